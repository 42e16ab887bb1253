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
 * lost), on a thread of its own that polls {@code PGConnection.getNotifications}. A connection that died quietly
 * (a half-open socket) would only be noticed when written to, so when nothing has come for {@code pingMillis} the
 * listener notifies itself and expects that ping back within as long again. A lost connection is opened again with
 * a growing delay; once it listens again, every chat with local streams is caught up, since what was notified
 * meanwhile is gone.
 */
final class PostgresSignals implements Signals {

    static final String CHANNEL = "chat_signals";
    /** PostgreSQL refuses payloads of 8,000 bytes and more. */
    static final int MAX_PAYLOAD = 7_999;
    static final long MAX_BACKOFF_MILLIS = 5_000;

    private static final Logger LOG = Logger.getLogger(PostgresSignals.class.getName());

    private final String url;
    private final Properties properties;
    private final String instance;
    private final long pingMillis;
    private volatile boolean running = true;
    private volatile boolean listening;
    private volatile Connection connection;
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
        if (signals.isEmpty()) {
            return;
        }
        try (PreparedStatement notify = batch.prepareStatement("SELECT pg_notify(?, ?)")) {
            notify.setString(1, CHANNEL);
            notify.setString(2, SignalCodec.encode(instance, signals, MAX_PAYLOAD));
            notify.execute();
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
        String ping = instance + " ping";
        int wait = (int) Math.clamp(pingMillis / 4, 10, 500);
        while (running) {
            PGNotification[] notifications = listener.getNotifications(wait);
            long now = System.nanoTime();
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
                try (PreparedStatement notify = open.prepareStatement("SELECT pg_notify(?, ?)")) {
                    notify.setString(1, CHANNEL);
                    notify.setString(2, ping);
                    notify.execute();
                }
                pingSent = now;
            }
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
