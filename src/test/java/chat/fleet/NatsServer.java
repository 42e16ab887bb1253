package chat.fleet;

import chat.ServiceProcess;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A NATS server of the test's own on a loopback port, so that a test may stop and start it without touching the
 * one other work on the machine uses.
 */
final class NatsServer implements AutoCloseable {

    private final Path executable;
    private final int port;
    private final Path log;
    private Process process;

    private NatsServer(Path executable, int port, Path log) {
        this.executable = executable;
        this.port = port;
        this.log = log;
    }

    /** Starts one on a free port; skips the test where no {@code nats-server} is installed. */
    static NatsServer start() throws IOException, InterruptedException {
        Path executable = find();
        assumeTrue(executable != null, "no nats-server on the PATH or in /usr/sbin: the NATS server stop-and-start"
                + " test needs one");
        NatsServer server = new NatsServer(executable, ServiceProcess.freePort(),
                Files.createTempFile(Path.of("target"), "nats-", ".log"));
        server.start(true);
        return server;
    }

    private static Path find() {
        for (String dir : (System.getenv("PATH") + ":/usr/sbin:/usr/local/sbin").split(":")) {
            Path candidate = Path.of(dir, "nats-server");
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    String url() {
        return "nats://127.0.0.1:" + port;
    }

    /** Starts it (again, on the same port) and waits until it accepts connections. */
    void start(boolean first) throws IOException, InterruptedException {
        process = new ProcessBuilder(List.of(executable.toString(), "-a", "127.0.0.1", "-p", Integer.toString(port)))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(first ? 10 : 20);
        while (System.nanoTime() < deadline) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        throw new AssertionError("nats-server did not start; see " + log);
    }

    void stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null) {
            process.destroyForcibly().waitFor();
        }
    }
}
