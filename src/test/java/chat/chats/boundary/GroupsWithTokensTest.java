package chat.chats.boundary;

import chat.Api;
import chat.identity.TestTokens;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.config.mp.MpConfigSources;
import io.helidon.microprofile.testing.AddConfig;
import io.helidon.microprofile.testing.AddConfigSource;
import io.helidon.microprofile.testing.junit5.HelidonTest;
import jakarta.inject.Inject;
import jakarta.ws.rs.client.WebTarget;
import org.eclipse.microprofile.config.spi.ConfigSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.Map;

import static chat.Api.assertError;
import static chat.Api.user;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/**
 * Conversations with authentication on: the acting user is the token's, and joining or leaving a group is what
 * makes Send, History and Connect allowed or refused.
 */
@HelidonTest
@AddConfig(key = "mp.jwt.verify.issuer", value = TestTokens.ISSUER)
@AddConfig(key = "mp.jwt.verify.audiences", value = TestTokens.AUDIENCE)
class GroupsWithTokensTest {

    static final TestTokens KEYS = TestTokens.rsa();

    @AddConfigSource
    static ConfigSource key() {
        return MpConfigSources.create(Map.of("mp.jwt.verify.publickey", KEYS.publicKeyPem()));
    }

    @Inject
    WebTarget target;

    Api api;
    String john;
    String barry;

    @BeforeEach
    void users() {
        api = new Api(target.getUri());
        john = user("John");
        barry = user("Barry");
    }

    private Api.Reply post(String name, ObjectNode body, String user) {
        return api.send(HttpRequest.newBuilder(api.uri("/chat/" + name)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + KEYS.token(user))
                .POST(HttpRequest.BodyPublishers.ofString(Api.write(body))).build());
    }

    @Test
    void joiningAllowsSendHistoryAndConnectAndLeavingRefusesThem() {
        Api.Reply created = post("Create", Api.object().put("name", "Team"), john);
        assertThat(created.body(), created.status(), is(200));
        assertThat("the token's user owns it", created.json().get("chat").get("owner").asText(), is(john));
        String chat = created.json().get("chat").get("chat_id").asText();
        ObjectNode send = Api.object().put("chat_id", chat).put("text", "hi");
        assertError(post("Send", send, barry), 403, "chat.Send.Forbidden");
        assertError(post("History", Api.object().put("chat_id", chat), barry), 403, "chat.History.Forbidden");
        assertError(post("Invite", Api.object().put("chat_id", chat).put("user_id", barry), john), 403,
                "chat.Invite.Forbidden");
        ObjectNode invite = Api.object().put("chat_id", chat);
        invite.putArray("user_ids").add(barry);
        assertThat(post("Invite", invite, john).status(), is(200));
        assertThat(post("Send", send, barry).status(), is(200));
        assertThat(post("History", Api.object().put("chat_id", chat), barry).status(), is(200));
        assertThat(post("List", Api.object(), barry).json().get("chats").get(0).get("unread").asInt(), is(0));
        assertThat(post("Leave", Api.object().put("chat_id", chat), barry).status(), is(200));
        assertError(post("Send", send, barry), 403, "chat.Send.Forbidden");
        assertError(post("History", Api.object().put("chat_id", chat), barry), 403, "chat.History.Forbidden");
    }
}
