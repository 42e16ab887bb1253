package chat.platform;

import chat.Api;
import io.helidon.microprofile.testing.junit5.HelidonTest;
import jakarta.inject.Inject;
import jakarta.ws.rs.client.WebTarget;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

@HelidonTest
class PlatformTest {

    @Inject
    WebTarget target;

    Api api;

    @BeforeEach
    void client() {
        api = new Api(target.getUri());
    }

    @Test
    void readinessReportsTheDatabaseUp() {
        var reply = api.get("/health/ready");
        assertThat("status", reply.status(), is(200));
        assertThat("overall", reply.json().get("status").asText(), is("UP"));
        assertThat("database check", reply.json().get("checks").get(0).get("name").asText(), is("database"));
        assertThat("database up", reply.json().get("checks").get(0).get("status").asText(), is("UP"));
    }

    @Test
    void servesTheSpecWithBothPathForms() {
        var reply = api.get("/openapi");
        assertThat("status", reply.status(), is(200));
        assertThat(reply.body(), containsString("title: chat"));
        for (String path : new String[] {"/chat/New:", "/chat/Chat/New:", "/chat/Send:", "/chat/Chat/Send:",
                "/chat/History:", "/chat/Chat/History:", "/chat/Connect:", "/chat/Chat/Connect:"}) {
            assertThat(reply.body(), containsString(path));
        }
    }
}
