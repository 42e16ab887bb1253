package chat.fleet;

import chat.stream.boundary.Ephemera;
import chat.platform.ServiceMetrics;
import chat.stream.boundary.Subscribers;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * This instance's place in a fleet of instances on one PostgreSQL database. A committed batch becomes one
 * {@link Signal} per changed chat, sent by the configured {@link Signals} transport ({@code chat.fanout}:
 * {@code notify}, the default on PostgreSQL; {@code nats}; {@code local}, the only one on H2); another instance's
 * signals reach the streams here through {@link Subscribers#committed}, which reads what is missing by seq from
 * the database. This instance's own commits reach its streams in process, without a read ({@code MessageStored}).
 *
 * <p>A signal is a doorbell, never the only copy: every {@code chat.fleet.catch-up-millis} the newest seq of each
 * chat with local streams is read, which delivers whatever a lost signal hid; the same catch-up runs when the
 * transport (re)connects, when a sender's batch was too large to list, and when a chat gets its first local stream
 * (a signal that came before its stream was registered found nobody).
 */
@ApplicationScoped
public class Fleet implements Signals.Receiver {

    private static final Logger LOG = Logger.getLogger(Fleet.class.getName());
    private static final int CHUNK = 500;

    @Inject
    @Named("chat")
    DataSource dataSource;

    @Inject
    Subscribers subscribers;

    @Inject
    Ephemera ephemera;

    @Inject
    ServiceMetrics metrics;

    @Inject
    @ConfigProperty(name = "chat.fanout")
    Optional<String> fanout;

    @Inject
    @ConfigProperty(name = "javax.sql.DataSource.chat.jdbcUrl")
    String jdbcUrl;

    @Inject
    @ConfigProperty(name = "javax.sql.DataSource.chat.username")
    Optional<String> user;

    @Inject
    @ConfigProperty(name = "javax.sql.DataSource.chat.password")
    Optional<String> password;

    @Inject
    @ConfigProperty(name = "chat.nats.url", defaultValue = "nats://127.0.0.1:4222")
    String natsUrl;

    @Inject
    @ConfigProperty(name = "chat.nats.subject-prefix", defaultValue = "chat.signals")
    String natsPrefix;

    @Inject
    @ConfigProperty(name = "chat.fleet.catch-up-millis", defaultValue = "2000")
    long catchUpMillis;

    @Inject
    @ConfigProperty(name = "chat.fleet.ping-millis", defaultValue = "3000")
    long pingMillis;

    @Inject
    @ConfigProperty(name = "server.port", defaultValue = "8080")
    int port;

    /** A random id per process: a receiver skips its own signals by it. */
    private final String instance = UUID.randomUUID().toString().substring(0, 8);
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("fleet-catch-up").factory());
    private final AtomicBoolean catchUpQueued = new AtomicBoolean();
    private final ConcurrentHashMap<UUID, Long> pending = new ConcurrentHashMap<>();
    private final AtomicBoolean reading = new AtomicBoolean();
    private Signals signals;

    @PostConstruct
    void begin() {
        boolean postgres = jdbcUrl.startsWith("jdbc:postgresql:");
        String chosen = fanout.map(name -> name.trim().toLowerCase(Locale.ROOT)).orElse(postgres ? "notify" : "local");
        if (!postgres && !chosen.equals("local")) {
            LOG.warning(() -> "fleet: chat.fanout=" + chosen + " needs PostgreSQL; the embedded database serves one"
                    + " instance only, so streams get this instance's messages only");
        }
        signals = !postgres ? new LocalSignals() : switch (chosen) {
            case "local" -> new LocalSignals();
            case "nats" -> new NatsSignals(natsUrl, natsPrefix, instance, "chat-" + instance);
            case "notify" -> new PostgresSignals(jdbcUrl, user.orElse(null), password.orElse(null), instance,
                    "chat-listener-" + port + "-" + instance, pingMillis);
            default -> throw new IllegalStateException("chat.fanout must be notify, nats or local, not " + chosen);
        };
        LOG.info(() -> "fleet: instance " + instance + " (port " + port + "), signals by " + signals.name());
        signals.start(this);
        // presence is about users, not chats: it rides one subject every instance follows
        signals.follow(Ephemera.EVERYONE);
        if (!(signals instanceof LocalSignals) && catchUpMillis > 0) {
            timer.scheduleWithFixedDelay(this::catchUpNow, catchUpMillis, catchUpMillis, TimeUnit.MILLISECONDS);
        }
    }

    /** Created with the application: the transport must listen before the first stream opens. */
    void start(@Observes @Initialized(ApplicationScoped.class) Object start) {
    }

    @PreDestroy
    void end() {
        timer.shutdownNow();
        signals.close();
    }

    /** The transport, for readiness. */
    public Signals signals() {
        return signals;
    }

    /** This process's id in signals. */
    public String instance() {
        return instance;
    }

    /** In a batch's transaction: the chats it changed, each with its newest seq. */
    public void beforeCommit(Connection connection, List<Signal> changed) throws SQLException {
        signals.beforeCommit(connection, changed);
    }

    /** After a batch committed. */
    public void afterCommit(List<Signal> changed) {
        signals.afterCommit(changed);
    }

    /**
     * Tells the other instances of an ephemeral signal (issue 14: read, typing, presence), best effort: on
     * LISTEN/NOTIFY as a NOTIFY of its own on a pooled connection, on NATS as a publish on the chat's subject.
     */
    public void ephemeral(Signal signal) {
        List<Signal> one = List.of(signal);
        if (signals instanceof PostgresSignals notify) {
            if (!notify.peers()) {
                return; // nobody would hear it: not even a pooled connection is taken
            }
            try (Connection connection = dataSource.getConnection()) {
                connection.setAutoCommit(true);
                signals.beforeCommit(connection, one);
            } catch (SQLException | RuntimeException e) {
                LOG.log(Level.FINE, "fleet: an ephemeral signal was not sent", e);
            }
        }
        signals.afterCommit(one);
    }

    /** A chat got its first local stream: subscribe, then catch it up once. */
    public void follow(UUID chatId) {
        signals.follow(chatId);
        if (!(signals instanceof LocalSignals)) {
            timer.execute(() -> catchUp(List.of(chatId)));
        }
    }

    /** A chat's last local stream ended. */
    public void unfollow(UUID chatId) {
        signals.unfollow(chatId);
    }

    /**
     * Other instances' signals, handed to the streams here by one reader at a time: signals that arrive while it
     * reads are merged per chat and read together next, so that a busy fleet costs a read per batch of signals,
     * not per signal.
     */
    @Override
    public void received(List<Signal> received) {
        metrics.fleetSignals(received.size());
        for (Signal signal : received) {
            if (signal.kind().equals(Signal.EVENTS)) {
                pending.merge(signal.chatId(), signal.seq(), Math::max);
            } else if (signal.kind().equals(Signal.EPHEMERAL) && signal.payload() != null) {
                ephemera.received(signal.chatId(), signal.payload());
            }
        }
        if (!pending.isEmpty() && reading.compareAndSet(false, true)) {
            Thread.ofVirtual().name("fleet-read").start(this::read);
        }
    }

    private void read() {
        do {
            Map<UUID, Long> batch = new HashMap<>();
            for (UUID chat : pending.keySet()) {
                Long seq = pending.remove(chat);
                if (seq != null) {
                    batch.put(chat, seq);
                }
            }
            try {
                subscribers.committed(batch);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "fleet: handing signals to the streams failed; the catch-up covers them", e);
            }
            reading.set(false);
        } while (!pending.isEmpty() && reading.compareAndSet(false, true));
    }

    /** Queues one catch-up of every followed chat, off the transport's thread; requests meanwhile share it. */
    @Override
    public void catchUp() {
        if (catchUpQueued.compareAndSet(false, true)) {
            try {
                timer.execute(this::catchUpNow);
            } catch (RuntimeException stopping) {
                catchUpQueued.set(false);
            }
        }
    }

    private void catchUpNow() {
        catchUpQueued.set(false);
        catchUp(new ArrayList<>(subscribers.followedChats()));
    }

    /** Reads the newest seq of these chats and hands it to their streams, which read what they lack. */
    private void catchUp(List<UUID> chats) {
        for (int from = 0; from < chats.size(); from += CHUNK) {
            List<UUID> part = chats.subList(from, Math.min(chats.size(), from + CHUNK));
            String sql = "SELECT id, last_seq FROM chats WHERE id IN ("
                    + String.join(", ", Collections.nCopies(part.size(), "?")) + ")";
            Map<UUID, Long> newest = new HashMap<>();
            try (Connection connection = dataSource.getConnection();
                 PreparedStatement statement = connection.prepareStatement(sql)) {
                for (int i = 0; i < part.size(); i++) {
                    statement.setObject(i + 1, part.get(i));
                }
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        newest.put(rows.getObject(1, UUID.class), rows.getLong(2));
                    }
                }
            } catch (SQLException | RuntimeException e) {
                LOG.log(Level.FINE, "fleet: a catch-up read failed; the next one tries again", e);
                return;
            }
            // with the connection given back: the streams' read takes one of its own
            subscribers.committed(newest);
        }
    }
}
