package chat.platform;

import chat.Api;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
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

    private final List<Process> processes = new ArrayList<>();

    @AfterEach
    void stop() {
        processes.forEach(Process::destroyForcibly);
    }

    @Test
    void acknowledgedSendsSurviveKill9() throws Exception {
        Path dataDir = Files.createTempDirectory(Path.of("target"), "durability-");
        int port = freePort();
        Api api = start(dataDir, port);
        String chatId = api.newChat(user("John"), user("Barry"));

        Map<String, Long> acknowledged = new ConcurrentHashMap<>();
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
        processes.get(0).destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        running.set(false);
        senders.shutdown();
        senders.awaitTermination(30, TimeUnit.SECONDS);
        assertThat("sends acknowledged before the kill", acknowledged.size(), greaterThan(100));

        Api restarted = start(dataDir, port);
        Map<String, Long> stored = new ConcurrentHashMap<>();
        long after = 0;
        while (true) {
            JsonNode page = restarted.history(Api.object().put("chat_id", chatId).put("after", after).put("limit", 1000));
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

    private Api start(Path dataDir, int port) throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElse("java");
        Process process = new ProcessBuilder(java,
                "-cp", System.getProperty("java.class.path"),
                "-Dserver.port=" + port,
                "-Dchat.data-dir=" + dataDir.toAbsolutePath(),
                "chat.Main")
                .redirectErrorStream(true)
                .redirectOutput(dataDir.resolve("service-" + processes.size() + ".log").toFile())
                .start();
        processes.add(process);
        Api api = new Api(URI.create("http://127.0.0.1:" + port));
        Instant until = Instant.now().plus(Duration.ofSeconds(60));
        while (Instant.now().isBefore(until) && process.isAlive()) {
            try {
                if (api.get("/health/ready").status() == 200) {
                    return api;
                }
            } catch (RuntimeException notYet) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the service did not become ready; see " + dataDir);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
