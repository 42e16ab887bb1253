package chat.fleet;

import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * LISTEN/NOTIFY as the fleet's doorbell. Every committed batch sends ONE {@code pg_notify} inside its own
 * transaction: PostgreSQL delivers it at commit, in commit order, and serialises notifying commits database-wide
 * (a lock in its pre-commit step), so one per batch rather than one per message keeps that lock's cost per commit,
 * not per Send. Its payload lists each changed chat with its newest seq, or says "many changed" above
 * {@link #MAX_PAYLOAD} bytes.
 *
 * <p>Receiving runs on one dedicated connection outside the pool (a pooled one would be handed out and its LISTEN
 * lost), on a thread of its own that waits in {@code PGConnection.getNotifications(timeout)}: a blocking read of the
 * socket, which returns as soon as the first notification's bytes arrive (and takes whatever else is already there
 * with it), so a signal is handed on when it comes, not when the wait ends; the timeout only bounds how long the
 * thread goes without looking at its pings and peers. Not {@code getNotifications()} in a loop with a sleep: that
 * adds up to the sleep to every signal, and its check for pending bytes is throttled by pgjdbc to about once a
 * second after one that found nothing (pgjdbc issue 1547). A connection that died quietly
 * (a half-open socket) would only be noticed when written to, so when nothing has come for {@code pingMillis} the
 * listener notifies itself and expects that ping back within as long again. A lost connection is opened again with
 * a growing delay; once it listens again, every chat with local streams is caught up, since what was notified
 * meanwhile is gone.
 *
 * <p>An instance alone on its database sends no NOTIFY at all: nobody would hear it, and a notifying commit costs
 * the database-wide lock, a write to the notification queue and a wake-up of this instance's own listener (bench/run
 * measured Send at one client about a third slower with it). Another instance makes itself known: its listener
 * pings once it listens, and its pings and signals reach every listener; besides, every {@link #PEERS_EVERY_MILLIS}
 * the listener counts the other listening connections in {@code pg_stat_activity}. Commits made before a newcomer
 * was heard of went unsignalled, so on hearing of one the listener sends the "many changed" marker: every receiver
 * catches up every chat it has streams for, which delivers them (and a newcomer catches up by itself once it
 * listens). Nothing is lost to the saving, and a newcomer waits at most that interval.
 */
final class PostgresSignals implements Signals {

    static final String CHANNEL = "chat_signals";
    /** PostgreSQL refuses payloads of 8,000 bytes and more. */
    static final int MAX_PAYLOAD = 7_999;
    static final long MAX_BACKOFF_MILLIS = 5_000;
    /** How often the listener counts the other instances' listening connections. */
    static final long PEERS_EVERY_MILLIS = 1_000;
    /** What {@link #beforeCommit} sends while no other instance was heard of for this long: nothing. */
    static final long PEERS_FORGOTTEN_MILLIS = 3 * PEERS_EVERY_MILLIS;

    private static final Logger LOG = Logger.getLogger(PostgresSignals.class.getName());

    private final String url;
    private final Properties properties;
    private final String instance;
    private final long pingMillis;
    private volatile boolean running = true;
    private volatile boolean listening;
    private volatile Connection connection;
    /** When another instance was last heard of ({@link System#nanoTime}), if ever. */
    private volatile long peerHeardAt;
    private volatile boolean peerHeard;
    /** Set when a peer is heard of after none was: the listener then sends the "many changed" marker. */
    private volatile boolean announce;
    private Thread thread;

    /**
     * @param applicationName how the listening connection shows in {@code pg_stat_activity}, so that an operator (or a
     *                        test) can tell it apart from the pool's
     */
    PostgresSignals(String url, String user, String password, String instance, String applicationName,
                    long pingMillis) {
        this.url = url;
        this.instance = instance;
        this.pingMillis = pingMillis;
        properties = new Properties();
        if (user != null) {
            properties.setProperty("user", user);
        }
        if (password != null) {
            properties.setProperty("password", password);
        }
        properties.setProperty("ApplicationName", applicationName);
        properties.setProperty("connectTimeout", "5");
        // a statement (the ping) on a connection that stopped answering must fail, not hang the listener
        properties.setProperty("socketTimeout", Long.toString(Math.max(5, 2 * pingMillis / 1000 + 1)));
        properties.setProperty("tcpKeepAlive", "true");
    }

    @Override
    public String name() {
        return "notify";
    }

    @Override
    public void start(Receiver receiver) {
        thread = Thread.ofPlatform().daemon().name("fleet-listener").start(() -> listen(receiver));
    }

    @Override
    public void beforeCommit(Connection batch, List<Signal> signals) throws SQLException {
        if (signals.isEmpty() || !peers()) {
            return;
        }
        notify(batch, SignalCodec.encode(instance, signals, MAX_PAYLOAD));
    }

    /** Whether another instance listens, or did lately: whether a NOTIFY has anyone to reach. */
    boolean peers() {
        return peerHeard && System.nanoTime() - peerHeardAt < TimeUnit.MILLISECONDS.toNanos(PEERS_FORGOTTEN_MILLIS);
    }

    private void peerHeard() {
        if (!peers()) {
            announce = true;
        }
        peerHeardAt = System.nanoTime();
        peerHeard = true;
    }

    /** Counts the other instances' listening connections on this database (named as ours, but not ours). */
    private void countPeers(Connection open) throws SQLException {
        try (PreparedStatement count = open.prepareStatement("SELECT count(*) FROM pg_stat_activity"
                + " WHERE datname = current_database() AND application_name LIKE 'chat-listener-%'"
                + " AND pid <> pg_backend_pid()")) {
            try (var rows = count.executeQuery()) {
                if (rows.next() && rows.getLong(1) > 0) {
                    peerHeard();
                }
            }
        }
    }

    @Override
    public boolean connected() {
        return listening;
    }

    private void listen(Receiver receiver) {
        long backoff = 100;
        boolean lost = false;
        while (running) {
            try (Connection open = DriverManager.getConnection(url, properties)) {
                connection = open;
                try (Statement statement = open.createStatement()) {
                    statement.execute("LISTEN " + CHANNEL);
                }
                // the other instances start signalling once they hear of this one: at once, by this ping
                ping(open);
                countPeers(open);
                listening = true;
                backoff = 100;
                if (lost) {
                    LOG.info("fleet: listening for other instances' commits again; catching up every followed chat");
                }
                // whatever was notified while no connection listened is gone: the database says what changed
                receiver.catchUp();
                poll(open.unwrap(PGConnection.class), open, receiver);
            } catch (SQLException | RuntimeException e) {
                if (!running) {
                    return;
                }
                if (listening || !lost) {
                    LOG.log(Level.WARNING, "fleet: the listening connection is lost; reconnecting: " + e, e);
                }
            } finally {
                listening = false;
                connection = null;
            }
            lost = true;
            sleep(backoff);
            backoff = Math.min(MAX_BACKOFF_MILLIS, backoff * 2);
        }
    }

    /** Receives until the connection fails or stops answering its own pings. */
    private void poll(PGConnection listener, Connection open, Receiver receiver) throws SQLException {
        long lastHeard = System.nanoTime();
        long pingSent = 0;
        long peersCounted = lastHeard;
        int wait = pollMillis(pingMillis);
        while (running) {
            if (announce) {
                announce = false;
                notify(open, SignalCodec.encodeMany(instance));
            }
            PGNotification[] notifications = listener.getNotifications(wait);
            long now = System.nanoTime();
            if (now - peersCounted >= TimeUnit.MILLISECONDS.toNanos(PEERS_EVERY_MILLIS)) {
                countPeers(open);
                peersCounted = now;
            }
            if (notifications != null && notifications.length > 0) {
                lastHeard = now;
                pingSent = 0;
                deliver(notifications, receiver);
                continue;
            }
            long quiet = TimeUnit.NANOSECONDS.toMillis(now - lastHeard);
            if (pingSent != 0 && TimeUnit.NANOSECONDS.toMillis(now - pingSent) > pingMillis) {
                throw new SQLException("the listening connection did not return its own ping within "
                        + pingMillis + " ms");
            }
            if (pingSent == 0 && quiet >= pingMillis) {
                ping(open);
                pingSent = now;
            }
        }
    }

    /**
     * The longest the listener waits in one {@code getNotifications} call: a bound on how late it looks at its pings
     * and its peers, not on how late a signal is handed on (the call returns when one arrives).
     */
    static int pollMillis(long pingMillis) {
        return (int) Math.clamp(pingMillis / 4, 10, 500);
    }

    /** Notifies this instance's own id: the listener's proof that its line works, and others' news of it. */
    private void ping(Connection open) throws SQLException {
        notify(open, instance + " ping");
    }

    private static void notify(Connection open, String payload) throws SQLException {
        try (PreparedStatement notify = open.prepareStatement("SELECT pg_notify(?, ?)")) {
            notify.setString(1, CHANNEL);
            notify.setString(2, payload);
            notify.execute();
        }
    }

    private void deliver(PGNotification[] notifications, Receiver receiver) {
        List<Signal> signals = new ArrayList<>();
        boolean many = false;
        for (PGNotification notification : notifications) {
            SignalCodec.Decoded decoded = SignalCodec.decode(notification.getParameter());
            if (decoded.instance().equals(instance)) {
                continue; // our own commits were delivered here without a read; our own pings only prove the line
            }
            peerHeard();
            many |= decoded.many();
            signals.addAll(decoded.signals());
        }
        if (many) {
            receiver.catchUp();
        } else if (!signals.isEmpty()) {
            receiver.received(SignalCodec.coalesce(signals));
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        running = false;
        Connection open = connection;
        if (open != null) {
            try {
                open.close();
            } catch (SQLException e) {
                LOG.log(Level.FINE, "closing the listening connection", e);
            }
        }
        if (thread != null) {
            thread.interrupt();
        }
    }
}
