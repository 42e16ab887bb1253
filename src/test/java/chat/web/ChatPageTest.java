package chat.web;

import chat.Api;
import io.helidon.microprofile.testing.junit5.HelidonTest;
import jakarta.inject.Inject;
import jakarta.ws.rs.client.WebTarget;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static chat.Api.assertError;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

/** The chat page is served by the service itself, from the jar, next to the API. */
@HelidonTest
class ChatPageTest {

    @Inject
    WebTarget target;

    Api api;

    @BeforeEach
    void client() {
        api = new Api(target.getUri());
    }

    @Test
    void rootServesTheChatPage() {
        var reply = api.get("/");

        assertThat("status", reply.status(), is(200));
        assertThat("content type", reply.header("Content-Type"), startsWith("text/html"));
        assertThat("title", reply.body(), containsString("<title>chat</title>"));
        assertThat("script", reply.body(), containsString("<script src=\"chat.js\" defer></script>"));
    }

    @Test
    void scriptIsServed() {
        var reply = api.get("/chat.js");

        assertThat("status", reply.status(), is(200));
        assertThat("content type", reply.header("Content-Type"), startsWith("text/javascript"));
    }

    @Test
    void styleIsServed() {
        var reply = api.get("/chat.css");

        assertThat("status", reply.status(), is(200));
        assertThat("content type", reply.header("Content-Type"), startsWith("text/css"));
    }

    @Test
    void unknownFileIsMicroNotFound() {
        assertError(api.get("/nope.js"), 404, "chat.NotFound");
    }

    @Test
    void classpathOutsideThePageIsNotServed() {
        assertError(api.get("/META-INF/microprofile-config.properties"), 404, "chat.NotFound");
        assertError(api.get("/%2e%2e/META-INF/microprofile-config.properties"), 404, "chat.NotFound");
    }

    @Test
    void scriptNeverParsesTextAsHtml() {
        String script = api.get("/chat.js").body();

        for (String sink : new String[] {"innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval("}) {
            assertThat("the page sets text with textContent only", script, not(containsString(sink)));
        }
    }
}
