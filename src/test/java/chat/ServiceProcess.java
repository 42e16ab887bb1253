package chat;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The service as a separate process (the test JVM's classpath, {@code chat.Main}; or the built launcher), for what
 * cannot happen inside the test JVM: being killed with SIGKILL, losing its database, restarting under its clients.
 */
public final class ServiceProcess implements AutoCloseable {

    private final Process process;
    private final Api api;

    private ServiceProcess(Process process, Api api) {
        this.process = process;
        this.api = api;
    }

    /** Starts the service on a free port with its data under {@code dataDir} and waits until it is ready. */
    public static ServiceProcess start(Path dataDir, int port, Map<String, String> env, String... properties)
            throws IOException, InterruptedException {
        return run(command(dataDir, port, properties), dataDir, port, env);
    }

    /** The command line that {@link #start} runs: for a test that must watch a process that does not get ready. */
    public static List<String> command(Path dataDir, int port, String... properties) {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
                "-Dserver.port=" + port, "-Dchat.data-dir=" + dataDir.toAbsolutePath()));
        command.addAll(List.of(properties));
        command.add("chat.Main");
        return command;
    }

    /**
     * Starts the service as a user does, with the {@code target/chat} launcher the build writes (with no arguments or
     * just {@code serve}), configured by environment variables only. For the tests that run after {@code package}.
     */
    public static ServiceProcess launch(Path dataDir, int port, Map<String, String> env, String... args)
            throws IOException, InterruptedException {
        Map<String, String> all = new HashMap<>(env);
        all.put("SERVER_PORT", Integer.toString(port));
        all.put("CHAT_DATA_DIR", dataDir.toAbsolutePath().toString());
        List<String> command = new ArrayList<>(List.of(launcher().toString()));
        command.addAll(List.of(args));
        return run(command, dataDir, port, all);
    }

    /** The launcher the build wrote ({@code chat.test.launcher}, set by the integration-test runs in pom.xml). */
    public static Path launcher() {
        String launcher = System.getProperty("chat.test.launcher");
        if (launcher == null) {
            throw new IllegalStateException("chat.test.launcher is not set: this test runs after package (mvn verify)");
        }
        return Path.of(launcher).toAbsolutePath();
    }

    private static ServiceProcess run(List<String> command, Path dataDir, int port, Map<String, String> env)
            throws IOException, InterruptedException {
        var builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dataDir.resolve("service.log").toFile()));
        builder.environment().putAll(env);
        Process process = builder.start();
        Api api = new Api(URI.create("http://127.0.0.1:" + port));
        Instant until = Instant.now().plus(Duration.ofSeconds(90));
        while (Instant.now().isBefore(until) && process.isAlive()) {
            try {
                if (api.get("/health/ready").status() == 200) {
                    return new ServiceProcess(process, api);
                }
            } catch (RuntimeException notYet) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        process.destroyForcibly();
        throw new AssertionError("the service did not become ready; see " + dataDir.resolve("service.log"));
    }

    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    public Api api() {
        return api;
    }

    /** Stops it as an operator would (SIGTERM): shutdown hooks run, and open streams are ended by the server. */
    public void stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
            kill();
        }
    }

    /**
     * SIGTERM, as {@link #stop()}, then how the process ended: its exit status, or -1 when it was still running after
     * {@code within} (it is then killed).
     */
    public int terminate(Duration within) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(within.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
            kill();
            return -1;
        }
        return process.exitValue();
    }

    /** {@code kill -9}: no shutdown hook runs, nothing is flushed. */
    public void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    @Override
    public void close() throws InterruptedException {
        kill();
    }
}
