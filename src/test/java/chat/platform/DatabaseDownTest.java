package chat.platform;

import chat.Api;
import chat.ServiceProcess;
import chat.TcpProxy;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

import static chat.Api.assertError;
import static chat.Api.user;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * While PostgreSQL cannot be reached, calls answer 503 {@code chat.Unavailable} and {@code /health/ready} is DOWN;
 * when it is back, the service recovers by itself and nothing stored is lost. The service reaches PostgreSQL
 * through a proxy that the test cuts. Runs in the PostgreSQL pass of the suite (the embedded database cannot go
 * away).
 */
class DatabaseDownTest {

    @Test
    void answers503AndNotReadyWhileTheDatabaseIsUnreachable() throws Exception {
        String url = System.getenv("CHAT_DB_URL");
        assumeTrue(url != null && url.startsWith("jdbc:postgresql:"),
                "needs PostgreSQL: runs in the suite's PostgreSQL pass");
        URI database = URI.create(url.substring("jdbc:".length()));
        try (TcpProxy proxy = new TcpProxy(database.getHost(), database.getPort())) {
            Path dataDir = Files.createTempDirectory(Path.of("target"), "database-down-");
            String viaProxy = "jdbc:postgresql://127.0.0.1:" + proxy.port() + database.getPath();
            try (ServiceProcess service = ServiceProcess.start(dataDir, ServiceProcess.freePort(),
                    Map.of("CHAT_DB_URL", viaProxy), "-Djavax.sql.DataSource.chat.connectionTimeout=1000")) {
                Api api = service.api();
                String chatId = api.newChat(user("John"), user("Barry"));
                api.send(chatId, "John", "before", "stored before the outage");

                proxy.cut();
                var body = Api.object().put("chat_id", chatId).put("user_id", "John").put("text", "during");
                assertError(api.post("/chat/Send", Api.write(body)), 503, "chat.Unavailable");
                assertError(api.post("/chat/History", Api.write(Api.object().put("chat_id", chatId))), 503,
                        "chat.Unavailable");
                assertError(api.post("/chat/New", "{\"user_ids\":[\"" + user("x") + "\"]}"), 503, "chat.Unavailable");
                var ready = api.get("/health/ready");
                assertThat("not ready", ready.status(), is(503));
                assertThat("down", ready.json().get("status").asText(), is("DOWN"));
                assertThat("a generic reason only: " + ready.body(),
                        check(ready.json(), "database").get("data"),
                        is(Api.JSON.readTree("{\"error\":\"the database cannot be reached\"}")));
                assertThat("no host or port", ready.body(), not(containsString(String.valueOf(proxy.port()))));
                assertThat("no pool figures", ready.body(), not(containsString("total=")));

                proxy.restore();
                Instant until = Instant.now().plusSeconds(30);
                while (api.get("/health/ready").status() != 200 && Instant.now().isBefore(until)) {
                    Thread.sleep(200);
                }
                assertThat("ready again", api.get("/health/ready").status(), is(200));
                String log = Files.readString(dataDir.resolve("service.log"));
                assertThat("the detail went to the log once, however often readiness was asked: " + log,
                        log.split("readiness: the database cannot be reached", -1).length - 1, is(1));
                var after = api.send(chatId, "John", "after", "stored after the outage");
                assertThat("the sequence goes on", after.get("seq").asLong(), is(2L));
                assertThat("nothing lost", api.history(Api.object().put("chat_id", chatId)).size(), is(2));
            }
        }
    }

    /** The readiness check of this name (the checks come in no fixed order: the fleet's is there too). */
    private static JsonNode check(JsonNode ready, String name) {
        for (var check : ready.get("checks")) {
            if (check.path("name").asText().equals(name)) {
                return check;
            }
        }
        throw new AssertionError("no readiness check " + name + " in " + ready);
    }
}
