package chat.platform;

import chat.Api;
import chat.Concurrently;
import chat.ServiceProcess;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static chat.Api.user;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/**
 * Each call holds at most one database connection at a time, so calls never starve the pool, however many run at
 * once. Runs the service as its own process (as in production, where a Send once took a second connection while
 * holding the first and 64 concurrent clients got only 503s) with a pool of two connections, the smallest that
 * migrations run with, and many more concurrent Sends and History calls than that.
 */
class ConnectionPoolTest {

    @Test
    void manyMoreConcurrentCallsThanPooledConnectionsAllSucceed() throws Exception {
        Path dataDir = Files.createTempDirectory(Path.of("target"), "pool-");
        try (ServiceProcess service = ServiceProcess.start(dataDir, ServiceProcess.freePort(), Map.of(),
                "-Djavax.sql.DataSource.chat.maximumPoolSize=2")) {
            Api api = service.api();
            List<String> chats = List.of(api.newChat(user("a"), user("b")), api.newChat(user("c"), user("d")));
            AtomicInteger next = new AtomicInteger();
            List<Integer> sends = Concurrently.run(32, () -> {
                int n = next.getAndIncrement();
                var body = Api.object().put("chat_id", chats.get(n % 2)).put("user_id", "a").put("text", "m" + n);
                return api.post("/chat/Send", Api.write(body)).status();
            });
            assertThat("every Send answered 200", sends.stream().filter(status -> status == 200).count(), is(32L));
            List<Integer> reads = Concurrently.run(32, () -> {
                var body = Api.object().put("chat_id", chats.get(next.getAndIncrement() % 2));
                return api.post("/chat/History", Api.write(body)).status();
            });
            assertThat("every History answered 200", reads.stream().filter(status -> status == 200).count(), is(32L));
        }
    }
}
