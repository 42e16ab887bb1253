package chat.problems;

import chat.Api;
import io.helidon.microprofile.testing.junit5.HelidonTest;
import jakarta.inject.Inject;
import jakarta.ws.rs.client.WebTarget;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;

import static chat.Api.assertError;
import static chat.Api.user;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

@HelidonTest
class ErrorsTest {

    @Inject
    WebTarget target;

    Api api;

    @BeforeEach
    void client() {
        api = new Api(target.getUri());
    }

    @Test
    void malformedJsonIs400InvalidJson() {
        assertError(api.post("/chat/New", "nope"), 400, "chat.New.InvalidJSON");
        assertError(api.post("/chat/Send", "{\"chat_id\":"), 400, "chat.Send.InvalidJSON");
        assertError(api.post("/chat/History", "{} {}"), 400, "chat.History.InvalidJSON");
        assertError(api.post("/chat/Chat/New", "{\"user_ids\":[\"a\""), 400, "chat.New.InvalidJSON");
    }

    @Test
    void wrongTypesAre400NamingTheField() {
        var reply = api.post("/chat/New", "{\"user_ids\":\"John\"}");
        assertError(reply, 400, "chat.New.InvalidJSON");
        assertThat(reply.json().get("detail").asText(), containsString("user_ids"));
        assertThat("no class names", reply.body(), not(containsString("java.")));
        assertError(api.post("/chat/Send", "{\"chat_id\":{},\"user_id\":\"a\",\"text\":\"b\"}"), 400,
                "chat.Send.InvalidJSON");
        assertError(api.post("/chat/New", "[1,2]"), 400, "chat.New.InvalidJSON");
    }

    @Test
    void unknownFieldsAreIgnored() {
        var reply = api.post("/chat/New", "{\"user_ids\":[\"" + user("a") + "\"],\"colour\":\"blue\"}");
        assertThat(reply.status(), is(200));
    }

    @Test
    void jsonContentTypeAndNoContentTypeWorkLikeCurlsForm() {
        String body = "{\"user_ids\":[\"" + user("a") + "\"]}";
        assertThat(api.post("/chat/New", body, "application/json").status(), is(200));
        assertThat(api.post("/chat/New", body, "application/json; charset=utf-8").status(), is(200));
        assertThat(api.post("/chat/New", body, "text/plain").status(), is(200));
        assertThat(api.post("/chat/New", body, null).status(), is(200));
    }

    @Test
    void otherContentTypesAre415() {
        assertError(api.post("/chat/New", "<user_ids/>", "application/xml"), 415, "chat.UnsupportedMediaType");
    }

    @Test
    void unknownPathsAre404() {
        assertError(api.get("/nope"), 404, "chat.NotFound");
        assertError(api.post("/chat/Nope", "{}"), 404, "chat.NotFound");
        assertError(api.post("/chat/Chat/Chat/New", "{}"), 404, "chat.NotFound");
    }

    @Test
    void wrongMethodsAre405WithAllow() {
        var reply = api.get("/chat/New");
        assertError(reply, 405, "chat.MethodNotAllowed");
        assertThat("Allow header", reply.header("Allow"), containsString("POST"));
        assertError(api.send(HttpRequest.newBuilder(api.uri("/chat/History"))
                .method("DELETE", HttpRequest.BodyPublishers.noBody()).build()), 405, "chat.MethodNotAllowed");
    }

    @Test
    void bodiesLargerThanTheLimitAre413() {
        String huge = "{\"user_ids\":[\"" + "x".repeat(1024 * 1024) + "\"]}";
        assertError(api.post("/chat/New", huge), 413, "chat.New.RequestTooLarge");
    }

    @Test
    void chunkedBodiesLargerThanTheLimitAre413() {
        byte[] huge = ("{\"chat_id\":\"" + "x".repeat(1024 * 1024) + "\"}").getBytes(StandardCharsets.UTF_8);
        var request = HttpRequest.newBuilder(api.uri("/chat/History"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(huge)))
                .build();
        assertError(api.send(request), 413, "chat.History.RequestTooLarge");
    }
}
