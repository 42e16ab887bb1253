package chat.identity;

import chat.Api;
import io.helidon.microprofile.testing.junit5.HelidonTest;
import jakarta.inject.Inject;
import jakarta.ws.rs.client.WebTarget;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.time.Duration;

import static chat.Api.assertError;
import static chat.Api.user;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

/** Without a key no token is needed, but the micro-namespace header still keeps tenants apart. */
@HelidonTest
class DevelopmentNamespacesTest {

    @Inject
    WebTarget target;

    Api api;

    @BeforeEach
    void client() {
        api = new Api(target.getUri());
    }

    private Api.Reply post(String path, String body, String namespace) {
        var request = HttpRequest.newBuilder(api.uri(path)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (namespace != null) {
            request.header("micro-namespace", namespace);
        }
        return api.send(request.build());
    }

    @Test
    void theHeaderSelectsTheNamespaceAndMicroIsTheDefault() {
        String users = "{\"user_ids\":[\"" + user("John") + "\",\"" + user("Barry") + "\"]}";
        String plain = post("/chat/New", users, null).json().get("chat_id").asText();
        String micro = post("/chat/New", users, "micro").json().get("chat_id").asText();
        String acme = post("/chat/New", users, "acme").json().get("chat_id").asText();

        assertThat("no header is micro", micro, is(plain));
        assertThat("another namespace, another chat", acme, not(is(plain)));
        assertError(post("/chat/History", "{\"chat_id\":\"" + acme + "\"}", null), 404, "chat.History.InvalidChatID");
        assertError(post("/chat/Send", "{\"chat_id\":\"" + plain + "\",\"user_id\":\"x\",\"text\":\"t\"}", "acme"), 404,
                "chat.Send.InvalidChatID");
        Api.Reply own = post("/chat/History", "{\"chat_id\":\"" + acme + "\"}", "acme");
        assertThat("its own namespace reads it", own.status(), is(200));
    }

    @Test
    void aNamespaceThatIsNotANameIsRefused() {
        assertError(post("/chat/New", "{\"user_ids\":[\"x\"]}", "no spaces"), 400, "chat.New.InvalidNamespace");
        assertError(post("/chat/History", "{\"chat_id\":\"x\"}", "a".repeat(65)), 400,
                "chat.History.InvalidNamespace");
    }

    @Test
    void sessionsDoNotExistWhileAuthenticationIsOff() {
        assertError(api.get("/chat/Session"), 404, "chat.Session.AuthenticationOff");
    }
}
