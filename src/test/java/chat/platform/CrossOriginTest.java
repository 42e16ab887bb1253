package chat.platform;

import chat.Api;
import chat.SseClient;
import io.helidon.microprofile.testing.AddConfig;
import io.helidon.microprofile.testing.junit5.HelidonTest;
import jakarta.inject.Inject;
import jakarta.ws.rs.client.WebTarget;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import static chat.Api.assertError;
import static chat.Api.user;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

@HelidonTest
@AddConfig(key = "chat.cors.allowed-origins", value = "https://app.example.com, http://localhost:3000/")
class CrossOriginTest {

    private static final String ALLOWED = "https://app.example.com";
    private static final String OTHER = "https://evil.example.com";

    @Inject
    WebTarget target;

    Api api;

    @BeforeEach
    void client() {
        api = new Api(target.getUri());
    }

    private Api.Reply newChatFrom(String origin) {
        String body = "{\"user_ids\":[\"" + user("John") + "\"]}";
        return api.send(HttpRequest.newBuilder(api.uri("/chat/New"))
                .header("Origin", origin)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build());
    }

    private Api.Reply preflight(String origin, String path) {
        return api.send(HttpRequest.newBuilder(api.uri(path))
                .header("Origin", origin)
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "content-type")
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .build());
    }

    @Test
    void allowedOriginIsAnsweredWithItself() {
        var reply = newChatFrom(ALLOWED);

        assertThat("status", reply.status(), is(200));
        assertThat("allow origin", reply.header("Access-Control-Allow-Origin"), is(ALLOWED));
        assertThat("vary", reply.header("Vary"), containsString("Origin"));
        assertThat("credentials, for the session cookie", reply.header("Access-Control-Allow-Credentials"),
                is("true"));
    }

    @Test
    void listedOriginWithTrailingSlashIsAllowed() {
        var reply = newChatFrom("http://localhost:3000");

        assertThat("allow origin", reply.header("Access-Control-Allow-Origin"), is("http://localhost:3000"));
    }

    @Test
    void otherOriginIsRefusedBeforeAnythingHappens() {
        var reply = newChatFrom(OTHER);

        assertError(reply, 403, "chat.Forbidden");
        assertThat("allow origin", reply.header("Access-Control-Allow-Origin"), is(nullValue()));
    }

    @Test
    void aSimplePostFromAnotherOriginStoresNothing() {
        String john = user("John");
        String chatId = api.newChat(john, user("Barry"));
        // a page can send this without a preflight: text/plain is a "simple" content type
        var reply = api.send(HttpRequest.newBuilder(api.uri("/chat/Send"))
                .header("Origin", OTHER)
                .header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"chat_id\":\"" + chatId + "\",\"user_id\":\"" + john + "\",\"text\":\"forged\"}"))
                .build());

        assertError(reply, 403, "chat.Forbidden");
        assertThat("nothing stored", api.history(Api.object().put("chat_id", chatId)).size(), is(0));
    }

    @Test
    void aFormPostFromAnotherOriginIsRefused() {
        var reply = api.send(HttpRequest.newBuilder(api.uri("/chat/Chat/New"))
                .header("Origin", OTHER)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("{\"user_ids\":[\"x\"]}"))
                .build());

        assertError(reply, 403, "chat.Forbidden");
    }

    @Test
    void anEventStreamOfAnotherOriginIsRefused() throws Exception {
        String chatId = api.newChat(user("John"), user("Barry"));
        try (SseClient stream = SseClient.open(target.getUri(), "/chat/Connect?chat_id=" + chatId + "&user_id=John",
                Map.of("Origin", OTHER))) {
            assertThat("status", stream.status(), is(403));
            assertThat("id", Api.JSON.readTree(stream.errorBody()).get("id").asText(), is("chat.Forbidden"));
        }
    }

    @Test
    void theServicesOwnOriginIsAllowedWithoutCorsHeaders() {
        var reply = newChatFrom("http://" + api.uri("/").getHost() + ":" + api.uri("/").getPort());

        assertThat("status", reply.status(), is(200));
        assertThat("no allow origin needed", reply.header("Access-Control-Allow-Origin"), is(nullValue()));
    }

    @Test
    void theOriginOfAProxyInFrontIsTheServicesOwn() {
        String body = "{\"user_ids\":[\"" + user("John") + "\"]}";
        var reply = api.send(HttpRequest.newBuilder(api.uri("/chat/New"))
                .header("Origin", "https://chat.example.org")
                .header("X-Forwarded-Host", "chat.example.org")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build());

        assertThat("status", reply.status(), is(200));
    }

    @Test
    void aRequestWithoutOriginIsNotAffected() {
        var reply = api.post("/chat/New", "{\"user_ids\":[\"" + user("John") + "\"]}");

        assertThat("status", reply.status(), is(200));
    }

    @Test
    void preflightOfAllowedOriginAllowsPostWithJson() {
        var reply = preflight(ALLOWED, "/chat/Send");

        assertThat("status", reply.status(), is(204));
        assertThat("allow origin", reply.header("Access-Control-Allow-Origin"), is(ALLOWED));
        assertThat("allow methods", reply.header("Access-Control-Allow-Methods"), is("GET, POST, DELETE"));
        assertThat("allow headers", reply.header("Access-Control-Allow-Headers"),
                is("Content-Type, Accept, Authorization, Last-Event-ID, chat-id, user-id, micro-namespace"));
        assertThat("max age", reply.header("Access-Control-Max-Age"), is("600"));
        assertThat("credentials", reply.header("Access-Control-Allow-Credentials"), is("true"));
    }

    @Test
    void preflightOfOtherOriginIsRefused() {
        var reply = preflight(OTHER, "/chat/Send");

        assertError(reply, 403, "chat.Forbidden");
        assertThat("allow origin", reply.header("Access-Control-Allow-Origin"), is(nullValue()));
    }

    @Test
    void eventStreamOfAllowedOriginCarriesAllowOrigin() throws Exception {
        String chatId = api.newChat(user("John"), user("Barry"));
        var request = HttpRequest.newBuilder(api.uri("/chat/Connect?chat_id=" + chatId + "&user_id=John"))
                .header("Origin", ALLOWED)
                .header("Accept", "text/event-stream")
                .timeout(Duration.ofSeconds(10))
                .GET()
                .build();
        try (var http = HttpClient.newHttpClient()) {
            HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            response.body().close();

            assertThat("status", response.statusCode(), is(200));
            assertThat("content type", response.headers().firstValue("Content-Type").orElse(""),
                    startsWith("text/event-stream"));
            assertThat("allow origin", response.headers().firstValue("Access-Control-Allow-Origin").orElse(null),
                    is(ALLOWED));
        }
    }
}
