package chat.fleet;

import chat.ServiceProcess;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Instances of the service as real processes, each on its own port, all on the suite's PostgreSQL database. */
final class Instances {

    private Instances() {
    }

    /** Skips the calling test class on the embedded database: a fleet needs PostgreSQL. */
    static void assumePostgres() {
        String url = System.getenv("CHAT_DB_URL");
        assumeTrue(url != null && url.startsWith("jdbc:postgresql:"),
                "several instances need PostgreSQL (the embedded database serves one process); runs in the"
                        + " PostgreSQL pass");
    }

    /** Starts {@code count} instances at once, each with these system properties, and waits until all are ready. */
    static List<ServiceProcess> start(int count, String name, String... properties) throws Exception {
        ExecutorService starting = Executors.newFixedThreadPool(count);
        try {
            List<Future<ServiceProcess>> started = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                Path dataDir = Files.createTempDirectory(Path.of("target"), name + "-" + i + "-");
                started.add(starting.submit(() ->
                        ServiceProcess.start(dataDir, ServiceProcess.freePort(), Map.of(), properties)));
            }
            List<ServiceProcess> all = new ArrayList<>();
            for (Future<ServiceProcess> future : started) {
                all.add(future.get());
            }
            return all;
        } finally {
            starting.shutdown();
        }
    }

    static void stopAll(List<ServiceProcess> instances) throws InterruptedException {
        if (instances != null) {
            for (ServiceProcess instance : instances) {
                instance.kill();
            }
        }
    }
}
