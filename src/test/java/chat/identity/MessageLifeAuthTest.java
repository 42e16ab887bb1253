package chat.identity;

import chat.Api;
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
 * Message life with a key configured and an edit window of 2 s: a user edits and deletes only their own messages
 * and only within the window, a backend any message at any time; only members react, edit or search a chat.
 */
@HelidonTest
@AddConfig(key = "mp.jwt.verify.issuer", value = TestTokens.ISSUER)
@AddConfig(key = "mp.jwt.verify.audiences", value = TestTokens.AUDIENCE)
@AddConfig(key = "chat.edit-window", value = "2s")
class MessageLifeAuthTest {

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
    String chatId;
    String messageId;

    private Api.Reply post(String path, ObjectNode body, String token) {
        return api.send(HttpRequest.newBuilder(api.uri(path)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.ofString(Api.write(body))).build());
    }

    @BeforeEach
    void chat() {
        api = new Api(target.getUri());
        john = user("John");
        barry = user("Barry");
        var created = post("/chat/New", Api.object().set("user_ids", Api.JSON.valueToTree(new String[]{john, barry})),
                KEYS.token(john));
        chatId = created.json().get("chat_id").asText();
        var sent = post("/chat/Send", Api.object().put("chat_id", chatId).put("text", "hello"), KEYS.token(john));
        messageId = sent.json().get("message").get("id").asText();
    }

    private ObjectNode about() {
        return Api.object().put("chat_id", chatId).put("message_id", messageId);
    }

    @Test
    void theSenderEditsWithinTheWindowAndABackendAlways() throws Exception {
        var mine = post("/chat/Edit", about().put("text", "hello!"), KEYS.token(john));
        assertThat(mine.body(), mine.status(), is(200));
        assertError(post("/chat/Edit", about().put("text", "hi"), KEYS.token(barry)), 403, "chat.Edit.Forbidden");
        assertError(post("/chat/Edit", about().put("text", "as john").put("user_id", john), KEYS.token(barry)),
                403, "chat.Edit.Forbidden");
        Thread.sleep(2500);
        assertError(post("/chat/Edit", about().put("text", "too late"), KEYS.token(john)), 400,
                "chat.Edit.EditWindowClosed");
        String backend = KEYS.sign(TestTokens.backendClaims("app-server"));
        var moderated = post("/chat/Edit", about().put("text", "[moderated]").put("user_id", barry), backend);
        assertThat(moderated.body(), moderated.status(), is(200));
        assertThat(moderated.json().get("message").get("text").asText(), is("[moderated]"));
        var deleted = post("/chat/DeleteMessage", about().put("user_id", barry), backend);
        assertThat(deleted.body(), deleted.json().get("message").get("deleted").asBoolean(), is(true));
    }

    @Test
    void onlyMembersReactEditOrSearch() {
        String eve = user("Eve");
        assertError(post("/chat/React", about().put("emoji", "👍").put("on", true), KEYS.token(eve)), 403,
                "chat.React.Forbidden");
        assertError(post("/chat/DeleteMessage", about(), KEYS.token(eve)), 403, "chat.DeleteMessage.Forbidden");
        assertError(post("/chat/Changes", Api.object().put("chat_id", chatId), KEYS.token(eve)), 403,
                "chat.Changes.Forbidden");
        assertError(post("/chat/Search", Api.object().put("query", "hello").put("chat_id", chatId), KEYS.token(eve)),
                403, "chat.Search.Forbidden");
        var none = post("/chat/Search", Api.object().put("query", "hello"), KEYS.token(eve));
        assertThat(none.body(), none.json().get("messages").size(), is(0));
        var found = post("/chat/Search", Api.object().put("query", "hello").put("chat_id", chatId), KEYS.token(barry));
        assertThat(found.body(), found.json().get("messages").size(), is(1));
        var reacted = post("/chat/React", about().put("emoji", "👍").put("on", true), KEYS.token(barry));
        assertThat(reacted.body(), reacted.json().get("message").get("reactions").get(0).get("mine").asBoolean(),
                is(true));
    }
}
