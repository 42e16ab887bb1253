package chat.platform;

import chat.Api;
import io.helidon.microprofile.testing.junit5.HelidonTest;
import jakarta.inject.Inject;
import jakarta.ws.rs.client.WebTarget;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

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
        // the checks come in no fixed order (the fleet's is there too)
        var database = new ArrayList<String>();
        reply.json().get("checks").forEach(check -> {
            if (check.get("name").asText().equals("database")) {
                database.add(check.get("status").asText());
            }
        });
        assertThat("one database check, up", database, is(List.of("UP")));
    }

    @Test
    void readinessHasTheShutdownCheckAndLivenessTheFanoutOne() {
        var ready = api.get("/health/ready");
        var live = api.get("/health/live");
        assertThat("ready", ready.status(), is(200));
        assertThat("live", live.status(), is(200));
        var checks = new ArrayList<String>();
        ready.json().get("checks").forEach(check -> checks.add("ready " + check.get("name").asText() + " "
                + check.get("status").asText()));
        live.json().get("checks").forEach(check -> checks.add("live " + check.get("name").asText() + " "
                + check.get("status").asText()));
        assertThat(checks.contains("ready shutdown UP"), is(true));
        assertThat(checks.toString(), checks.contains("live fanout UP"), is(true));
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

    /**
     * The served spec's server is relative ({@code /}): OpenAPI resolves it against where the spec was fetched
     * from, so whatever host and port the service runs on, the spec points at it (an absolute
     * {@code http://localhost:8080} pointed at the wrong place for every other port and host).
     */
    @Test
    void theServedSpecPointsAtWhereverTheServiceRuns() throws Exception {
        var yaml = api.get("/openapi");
        assertThat("status", yaml.status(), is(200));
        Map<String, Object> spec = new Yaml().load(yaml.body());
        assertThat("servers", spec.get("servers"), is(List.of(Map.of("url", "/"))));
        var json = api.send(HttpRequest.newBuilder(api.uri("/openapi")).header("Accept", "application/json").GET().build());
        assertThat("JSON form", json.status(), is(200));
        assertThat("servers in JSON", json.json().get("servers"), is(Api.JSON.readTree("[{\"url\":\"/\"}]")));
        assertThat("the test server's port is not 8080", target.getUri().getPort(), is(not(8080)));
        assertThat("resolved against the spec's own address, it is this service",
                api.uri("/openapi").resolve(json.json().get("servers").get(0).get("url").asText()),
                is(api.uri("/")));
    }
}
