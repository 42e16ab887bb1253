import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The reference for Send on the embedded database: H2 itself running the statements of {@code bench/send.sql}
 * (lock the chat's row, look for the client_id, insert the message, bump the chat's sequence, commit) through
 * JDBC, in this process, on a file database of its own opened with the service's own embedded URL settings
 * (PostgreSQL mode, {@code WRITE_DELAY=0}) and the service's migrations. Like pgbench: one connection and one
 * thread per client, one transaction per message, to one of 100 chats at random, closed loop. What the service
 * takes beyond this is its HTTP, JSON, JTA and Hibernate work around the same SQL.
 *
 * <p>The H2 driver is loaded from the jar the service ships with ({@code target/libs}), so the bench compiles with
 * the JDK alone and both run the same H2 version.
 *
 * <p>Usage: {@code java H2Send jar=H2_JAR url=JDBC_URL migrations=DIR clients=1,16,64 seconds=S [warmup=S]
 * [step_warmup=S] [chats=100] [deadline=S]}; one result line per client count.
 */
public final class H2Send {

    private static final Pattern VERSION = Pattern.compile("V(\\d+)__.*\\.sql");

    private final Driver driver;
    private final String url;
    private final List<UUID> chats = new ArrayList<>();

    private H2Send(Driver driver, String url) {
        this.driver = driver;
        this.url = url;
    }

    public static void main(String[] argv) throws Exception {
        Args args = Args.parse(argv, 0);
        args.watchdog("H2Send");
        URLClassLoader h2 = new URLClassLoader(new URL[]{Path.of(args.get("jar")).toUri().toURL()},
                H2Send.class.getClassLoader());
        Driver driver = (Driver) h2.loadClass("org.h2.Driver").getDeclaredConstructor().newInstance();
        H2Send bench = new H2Send(driver, args.get("url"));
        try (Connection keepOpen = bench.connect()) { // the database stays open between the steps
            bench.migrate(keepOpen, Path.of(args.get("migrations")));
            bench.createChats(keepOpen, args.integer("chats", 100));
            double warmup = args.decimal("warmup", 0);
            if (warmup > 0) {
                bench.measure(16, 0, warmup);
            }
            for (String c : args.get("clients").split(",")) {
                int clients = Integer.parseInt(c.trim());
                double seconds = args.decimal("seconds");
                Result result = Result.of("send-h2", "h2").put("clients", clients).put("seconds", seconds);
                bench.measure(clients, args.decimal("step_warmup", 1), seconds).into(result, seconds).print();
            }
        }
        System.exit(0);
    }

    private Connection connect() throws SQLException {
        Properties login = new Properties();
        login.setProperty("user", "chat");
        login.setProperty("password", "chat");
        Connection c = driver.connect(url, login);
        if (c == null) {
            throw new SQLException("the H2 driver does not accept " + url);
        }
        return c;
    }

    /** The service's migrations in version order, run by H2 itself (RUNSCRIPT), as Flyway runs them at start. */
    private void migrate(Connection c, Path dir) throws Exception {
        List<Path> files;
        try (Stream<Path> all = Files.list(dir)) {
            files = all.filter(p -> VERSION.matcher(p.getFileName().toString()).matches())
                    .sorted(Comparator.comparingInt(H2Send::version)).toList();
        }
        try (Statement s = c.createStatement()) {
            for (Path file : files) {
                s.execute("RUNSCRIPT FROM '" + file.toAbsolutePath().toString().replace("'", "''") + "'");
            }
        }
    }

    private static int version(Path file) {
        Matcher m = VERSION.matcher(file.getFileName().toString());
        return m.matches() ? Integer.parseInt(m.group(1)) : 0;
    }

    private void createChats(Connection c, int count) throws SQLException {
        try (PreparedStatement insert = c.prepareStatement(
                "INSERT INTO chats (id, members_key, last_seq, created_at) VALUES (?, ?, 0, ?)")) {
            for (int i = 0; i < count; i++) {
                UUID id = UUID.randomUUID();
                insert.setObject(1, id);
                insert.setString(2, "h2send-chat-" + i);
                insert.setObject(3, OffsetDateTime.now());
                insert.executeUpdate();
                chats.add(id);
            }
        }
    }

    private record Outcome(Latencies latencies, long errors) {
        Result into(Result r, double seconds) {
            return r.put("count", latencies.count()).put("per_s", latencies.count() / seconds, 1)
                    .latencies("", latencies).put("errors", errors);
        }
    }

    /** {@code clients} threads send for {@code warmup + seconds}; only Sends within the last {@code seconds} count. */
    private Outcome measure(int clients, double warmup, double seconds) throws InterruptedException {
        long measureFrom = System.nanoTime() + (long) (warmup * 1e9);
        long end = measureFrom + (long) (seconds * 1e9);
        Latencies all = new Latencies();
        LongAdder errors = new LongAdder();
        List<Thread> threads = new ArrayList<>();
        String run = Long.toString(System.nanoTime(), 36);
        for (int t = 0; t < clients; t++) {
            int client = t;
            threads.add(Thread.ofPlatform().name("h2-client-" + t).start(() -> {
                Latencies mine = new Latencies();
                try (Connection c = connect()) {
                    Sender sender = new Sender(c);
                    ThreadLocalRandom rnd = ThreadLocalRandom.current();
                    for (long k = 0; ; k++) {
                        long t0 = System.nanoTime();
                        if (t0 >= end) {
                            break;
                        }
                        try {
                            sender.send(chats.get(rnd.nextInt(chats.size())), run + "-" + client + "-" + k);
                            long t1 = System.nanoTime();
                            if (t0 >= measureFrom && t1 <= end) {
                                mine.add(t1 - t0);
                            }
                        } catch (SQLException e) {
                            errors.increment();
                            c.rollback();
                        }
                    }
                } catch (SQLException e) {
                    errors.increment();
                    System.err.println("H2Send: client " + client + ": " + e);
                }
                all.addAll(mine);
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        return new Outcome(all, errors.sum());
    }

    /** One client's connection and statements: the transaction of bench/send.sql. */
    private static final class Sender {
        private final Connection c;
        private final PreparedStatement lock;
        private final PreparedStatement earlier;
        private final PreparedStatement insert;
        private final PreparedStatement bump;

        Sender(Connection c) throws SQLException {
            this.c = c;
            c.setAutoCommit(false);
            lock = c.prepareStatement("SELECT last_seq FROM chats WHERE id = ? FOR UPDATE");
            earlier = c.prepareStatement("SELECT id FROM messages WHERE chat_id = ? AND client_id = ?");
            insert = c.prepareStatement("INSERT INTO messages (id, chat_id, seq, client_id, user_id, subject, text,"
                    + " sent_at) VALUES (?, ?, ?, ?, 'h2send', '', 'bench message', ?)");
            bump = c.prepareStatement("UPDATE chats SET last_seq = ? WHERE id = ?");
        }

        void send(UUID chat, String clientId) throws SQLException {
            lock.setObject(1, chat);
            long seq;
            try (ResultSet rs = lock.executeQuery()) {
                if (!rs.next()) {
                    throw new SQLException("no chat " + chat);
                }
                seq = rs.getLong(1) + 1;
            }
            earlier.setObject(1, chat);
            earlier.setString(2, clientId);
            try (ResultSet rs = earlier.executeQuery()) {
                if (rs.next()) {
                    c.commit();
                    return;
                }
            }
            insert.setObject(1, UUID.randomUUID());
            insert.setObject(2, chat);
            insert.setLong(3, seq);
            insert.setString(4, clientId);
            insert.setObject(5, OffsetDateTime.now());
            insert.executeUpdate();
            bump.setLong(1, seq);
            bump.setObject(2, chat);
            bump.executeUpdate();
            c.commit();
        }
    }
}
