package chat.platform;

import chat.Api;
import chat.ServiceProcess;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static chat.Api.user;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;

/**
 * Every Send answered 200 survives a {@code kill -9} of the service. Runs the service as a separate process (on the
 * database the suite runs on), sends from several threads, kills it without warning while sends are in flight,
 * starts it again on the same data, and finds every acknowledged message with the seq it was acknowledged with.
 */
class DurabilityTest {

    @Test
    void acknowledgedSendsSurviveKill9() throws Exception {
        Path dataDir = Files.createTempDirectory(Path.of("target"), "durability-");
        int port = ServiceProcess.freePort();
        Map<String, Long> acknowledged = new ConcurrentHashMap<>();
        String chatId;
        try (ServiceProcess service = ServiceProcess.start(dataDir, port, Map.of())) {
            Api api = service.api();
            chatId = api.newChat(user("John"), user("Barry"));
            AtomicBoolean running = new AtomicBoolean(true);
            ExecutorService senders = Executors.newFixedThreadPool(8);
            for (int t = 0; t < 8; t++) {
                int thread = t;
                senders.submit(() -> {
                    for (int i = 0; running.get(); i++) {
                        String clientId = "t" + thread + "-" + i;
                        try {
                            JsonNode message = api.send(chatId, "John", clientId, "message " + clientId);
                            acknowledged.put(clientId, message.get("seq").asLong());
                        } catch (RuntimeException | AssertionError killed) {
                            return;
                        }
                    }
                });
            }
            Instant until = Instant.now().plusSeconds(20);
            while (acknowledged.size() < 300 && Instant.now().isBefore(until)) {
                Thread.sleep(20);
            }
            service.kill();
            running.set(false);
            senders.shutdown();
            senders.awaitTermination(30, TimeUnit.SECONDS);
        }
        assertThat("sends acknowledged before the kill", acknowledged.size(), greaterThan(100));

        try (ServiceProcess restarted = ServiceProcess.start(dataDir, port, Map.of())) {
            Map<String, Long> stored = new ConcurrentHashMap<>();
            long after = 0;
            while (true) {
                JsonNode page = restarted.api().history(
                        Api.object().put("chat_id", chatId).put("after", after).put("limit", 1000));
                if (page.isEmpty()) {
                    break;
                }
                for (JsonNode message : page) {
                    stored.put(message.get("client_id").asText(), message.get("seq").asLong());
                    after = message.get("seq").asLong();
                }
            }
            acknowledged.forEach((clientId, seq) ->
                    assertThat("acknowledged " + clientId + " is stored with its seq", stored.get(clientId), is(seq)));
            assertThat("seq has no gaps", after, is((long) stored.size()));
        }
    }
}
