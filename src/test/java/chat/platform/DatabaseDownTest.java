package chat.platform;

import chat.Api;
import chat.ServiceProcess;
import chat.TcpProxy;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static chat.Api.assertError;
import static chat.Api.user;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * While PostgreSQL cannot be reached, calls answer 503 {@code chat.Unavailable} and {@code /health/ready} is DOWN;
 * when it is back, the service recovers by itself and nothing stored is lost. The service reaches PostgreSQL
 * through a proxy that the test cuts. Runs in the PostgreSQL pass of the suite (the embedded database cannot go
 * away).
 */
class DatabaseDownTest {

    /** The test's PostgreSQL server, or the test is skipped: the suite's PostgreSQL pass runs it. */
    private static URI postgres() {
        String url = System.getenv("CHAT_DB_URL");
        assumeTrue(url != null && url.startsWith("jdbc:postgresql:"),
                "needs PostgreSQL: runs in the suite's PostgreSQL pass");
        return URI.create(url.substring("jdbc:".length()));
    }

    /** The service's database URL through the proxy. */
    private static String through(TcpProxy proxy, URI database) {
        return "jdbc:postgresql://127.0.0.1:" + proxy.port() + database.getPath();
    }

    @Test
    void answers503AndNotReadyWhileTheDatabaseIsUnreachable() throws Exception {
        URI database = postgres();
        try (TcpProxy proxy = new TcpProxy(database.getHost(), database.getPort())) {
            Path dataDir = Files.createTempDirectory(Path.of("target"), "database-down-");
            String viaProxy = through(proxy, database);
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

    /**
     * A database that stops answering without closing anything (a partition, a frozen host: the proxy black-holes
     * every connection it carries, while new ones pass) costs Sends seconds, not forever: the pool's connections give
     * up by their socket timeout, the sessions left in a transaction are ended by PostgreSQL (freeing the chat's row
     * lock), and the service goes on by itself on new connections. The issue found a backend left idle in
     * transaction this way for 40 s and more, and no Send to its chat succeeded meanwhile.
     */
    @Test
    void aDatabaseThatStopsAnsweringCostsSecondsNotForever() throws Exception {
        URI database = postgres();
        try (TcpProxy proxy = new TcpProxy(database.getHost(), database.getPort())) {
            Path dataDir = Files.createTempDirectory(Path.of("target"), "database-silent-");
            try (ServiceProcess service = ServiceProcess.start(dataDir, ServiceProcess.freePort(),
                    Map.of("CHAT_DB_URL", through(proxy, database)), "-Djavax.sql.DataSource.chat.connectionTimeout=2000",
                    "-Djavax.sql.DataSource.chat.validationTimeout=1000", "-Dchat.send.timeout-millis=5000",
                    "-Dchat.db.lock-timeout-millis=1000", "-Dchat.db.statement-timeout-millis=2000",
                    "-Dchat.db.idle-in-transaction-timeout-millis=2000", "-Dchat.db.socket-timeout-millis=3000")) {
                Api api = service.api();
                String chatId = api.newChat(user("John"), user("Barry"));
                api.send(chatId, "John", null, "before");

                AtomicBoolean sending = new AtomicBoolean(true);
                List<Long> slowest = new CopyOnWriteArrayList<>();
                List<Instant> stored = new CopyOnWriteArrayList<>();
                List<String> unexpected = new CopyOnWriteArrayList<>();
                AtomicInteger texts = new AtomicInteger();
                List<Thread> senders = new ArrayList<>();
                for (int i = 0; i < 4; i++) {
                    senders.add(Thread.ofVirtual().start(() -> {
                        long longest = 0;
                        while (sending.get()) {
                            long start = System.nanoTime();
                            var body = Api.object().put("chat_id", chatId).put("user_id", "John")
                                    .put("client_id", UUID.randomUUID().toString())
                                    .put("text", "t" + texts.incrementAndGet());
                            Api.Reply reply = api.post("/chat/Send", Api.write(body));
                            longest = Math.max(longest, System.nanoTime() - start);
                            if (reply.status() == 200) {
                                stored.add(Instant.now());
                            } else if (reply.status() != 503 || !reply.body().contains("\"chat.Unavailable\"")) {
                                unexpected.add(reply.status() + " " + reply.body());
                            }
                        }
                        slowest.add(longest);
                    }));
                }
                Thread.sleep(1000);
                Instant silent = Instant.now();
                proxy.blackhole();
                Instant until = silent.plusSeconds(30);
                while (Instant.now().isBefore(until)
                        && stored.stream().noneMatch(at -> at.isAfter(silent.plusSeconds(1)))) {
                    Thread.sleep(100);
                }
                sending.set(false);
                for (Thread sender : senders) {
                    sender.join();
                }
                assertThat("only 200 or 503 chat.Unavailable", unexpected, is(List.of()));
                Instant recovered = stored.stream().filter(at -> at.isAfter(silent.plusSeconds(1))).findFirst()
                        .orElseThrow(() -> new AssertionError("no Send succeeded in 30 s after the database went silent"));
                assertThat("Sends succeed again within seconds, without a restart",
                        Duration.between(silent, recovered).toMillis(), lessThan(15_000L));
                assertThat("and no Send waited past its timeout", slowest.stream().mapToLong(Long::longValue).max()
                        .orElse(0) / 1_000_000, lessThan(7_000L));
                var seqs = api.history(Api.object().put("chat_id", chatId).put("limit", 1000));
                for (int i = 0; i < seqs.size(); i++) {
                    assertThat("no gap", seqs.get(i).get("seq").asLong(), is(i + 1L));
                }
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
