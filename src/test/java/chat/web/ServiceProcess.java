package chat.web;

import chat.Api;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/**
 * The service as a separate process on a fixed port and data directory (on the database the suite runs on, as
 * the environment says), so that a test can stop it and start it again where clients expect it.
 */
final class ServiceProcess implements AutoCloseable {

    private final Path dataDir;
    private final int port;
    private Process process;
    private int starts;

    ServiceProcess(Path dataDir) throws IOException {
        this.dataDir = dataDir;
        this.port = freePort();
    }

    URI uri() {
        return URI.create("http://localhost:" + port + "/");
    }

    Api api() {
        return new Api(URI.create("http://127.0.0.1:" + port));
    }

    /** Starts the service and waits until it is ready. */
    void start() throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElse("java");
        process = new ProcessBuilder(java,
                "-cp", System.getProperty("java.class.path"),
                "-Dserver.port=" + port,
                "-Dchat.data-dir=" + dataDir.toAbsolutePath(),
                "chat.Main")
                .redirectErrorStream(true)
                .redirectOutput(dataDir.resolve("service-" + starts++ + ".log").toFile())
                .start();
        Api api = api();
        Instant until = Instant.now().plus(Duration.ofSeconds(90));
        while (Instant.now().isBefore(until) && process.isAlive()) {
            try {
                if (api.get("/health/ready").status() == 200) {
                    return;
                }
            } catch (RuntimeException notYet) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the service did not become ready; see the logs in " + dataDir);
    }

    /** Stops the service as an operator would (SIGTERM), which ends every open stream from the server's side. */
    void stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Override
    public void close() {
        if (process != null) {
            process.destroyForcibly();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
