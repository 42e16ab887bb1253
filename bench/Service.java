import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * The service as a process of the reliability suite's own, for what only a process can suffer: {@code kill -9}, a
 * restart on the same data, a database that goes away under it. Started from the jar that {@code bench/reliability}
 * links under its output directory (so that its command line is the suite's own), on a loopback port below the
 * ephemeral range, with its log in a file of its own. Every process started here is written down by its pid in
 * {@code pids=DIR} until it is gone, so that the script can end what a crashed or timed-out suite left running,
 * and a shutdown hook kills what is still alive when the suite's JVM exits.
 *
 * <p>Args read: {@code java jar [jvm_options] pids logs} and, for PostgreSQL, {@code pg_url pg_user pg_password}.
 */
final class Service {

    private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(Process::destroyForcibly)));
    }

    /** How to start one: the same port, data and settings on every restart. */
    record Launch(Args args, String name, int port, Path dataDir, String database, List<String> properties) {

        /** On the embedded H2 default, its data in {@code dataDir}. */
        static Launch h2(Args args, String name, Path dataDir, String... properties) throws IOException {
            return new Launch(args, name, freePort(), dataDir, null, List.of(properties));
        }

        /** On PostgreSQL, on the database {@code database} (at {@code pg_url}), its transaction log in logs. */
        static Launch postgres(Args args, String name, String database, String... properties) throws IOException {
            return new Launch(args, name, freePort(), Path.of(args.get("logs"), name + "-data"), database,
                    List.of(properties));
        }

        String base() {
            return "http://127.0.0.1:" + port;
        }
    }

    private final Launch launch;
    private final Process process;
    final double readySeconds;

    private Service(Launch launch, Process process, double readySeconds) {
        this.launch = launch;
        this.process = process;
        this.readySeconds = readySeconds;
    }

    /** Starts it and returns once {@code /health/ready} answers 200 (within 120 s, else it is killed). */
    static Service start(Launch launch) throws IOException, InterruptedException {
        return start(launch, launch.database() == null ? null
                : launch.args().get("pg_url") + launch.database());
    }

    /** The same with another JDBC URL for PostgreSQL (a proxy in front of it). */
    static Service start(Launch launch, String jdbcUrl) throws IOException, InterruptedException {
        Args args = launch.args();
        List<String> command = new ArrayList<>(List.of(args.get("java")));
        for (String option : args.get("jvm_options", "").split(" ")) {
            if (!option.isBlank()) {
                command.add(option);
            }
        }
        command.addAll(List.of("-Dserver.host=127.0.0.1", "-Dserver.port=" + launch.port()));
        command.addAll(launch.properties());
        command.addAll(List.of("-jar", args.get("jar")));
        Files.createDirectories(launch.dataDir());
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log(launch).toFile()));
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(k -> k.startsWith("CHAT_") || k.startsWith("JAVAX_SQL") || k.equals("JAVA_OPTS"));
        env.put("CHAT_DATA_DIR", launch.dataDir().toAbsolutePath().toString());
        if (jdbcUrl != null) {
            env.put("CHAT_DB_URL", jdbcUrl);
            env.put("CHAT_DB_USER", args.get("pg_user", "postgres"));
            env.put("CHAT_DB_PASSWORD", args.get("pg_password", "postgres"));
        }
        long t0 = System.nanoTime();
        Process process = builder.start();
        LIVE.add(process);
        Path pidFile = Path.of(args.get("pids"), Long.toString(process.pid()));
        Files.createDirectories(pidFile.getParent());
        Files.writeString(pidFile, launch.name() + "\n");
        process.onExit().thenRun(() -> {
            LIVE.remove(process);
            try {
                Files.deleteIfExists(pidFile);
            } catch (IOException e) {
                // the script's clean-up checks the process anyway
            }
        });
        long until = t0 + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < until && process.isAlive()) {
            try {
                if (Http.get(launch.base(), "/health/ready", Duration.ofSeconds(2)).status() == 200) {
                    return new Service(launch, process, (System.nanoTime() - t0) / 1e9);
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(50);
        }
        process.destroyForcibly().waitFor();
        throw new IOException(launch.name() + " did not become ready (" + (process.isAlive() ? "timed out" : "exit "
                + process.exitValue()) + "); see " + log(launch));
    }

    private static Path log(Launch launch) {
        return Path.of(launch.args().get("logs"), launch.name() + ".log");
    }

    String base() {
        return launch.base();
    }

    int port() {
        return launch.port();
    }

    Launch launch() {
        return launch;
    }

    Proc proc() {
        return new Proc(process.pid(), launch.args().get("jcmd", "jcmd"));
    }

    boolean alive() {
        return process.isAlive();
    }

    /** {@code kill -9}: no shutdown hook runs, nothing is flushed; returns once the process is gone. */
    void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    /** SIGTERM, as an operator stops it; killed after 30 s. */
    void stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            kill();
        }
    }

    /** The last lines of its log, for a result that must say why the service failed. */
    String logTail(int lines) {
        try {
            List<String> all = Files.readAllLines(log(launch));
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "";
        }
    }

    /** A loopback port nobody listens on, below the ephemeral range (so no outgoing connection holds it). */
    static int freePort() throws IOException {
        for (int i = 0; i < 100; i++) {
            int port = ThreadLocalRandom.current().nextInt(20000, 30000);
            try (ServerSocket probe = new ServerSocket()) {
                probe.bind(new InetSocketAddress("127.0.0.1", port));
                return port;
            } catch (IOException taken) {
                // try another
            }
        }
        throw new IOException("no free port");
    }
}
