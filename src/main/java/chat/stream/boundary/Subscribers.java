package chat.stream.boundary;

import chat.fleet.Fleet;
import chat.messages.boundary.Messages;
import chat.messages.control.Page;
import chat.messages.entity.Message;
import chat.messages.entity.MessageStored;
import chat.platform.SerialExecutor;
import chat.platform.ServiceMetrics;
import chat.problems.Problem;
import chat.stream.control.Delivery;
import chat.stream.control.EventFrames;
import chat.stream.control.Fanout;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.io.OutputStream;
import java.net.Socket;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Owns every open stream, grouped by chat. Learns of committed messages from {@link MessageStored}, which is fired
 * only after the sending batch committed (so a rolled-back message is never streamed), and hands them, in seq order, to the
 * chat's streams only; the committing thread only hands the message over, so a Send's answer does not wait for
 * the rendering or for the number of streams. Holds nothing for chats nobody follows.
 *
 * <p>{@link MessageStored} says "chat C has a committed event N": another instance's notification of the same
 * fact can feed {@link Fanout#publish} just as well, since gaps are filled from the database.
 *
 * <p>Limits: at most {@code chat.stream.max-streams} streams in all (503 beyond) and
 * {@code chat.stream.max-per-user} per chat and user (429 beyond), both with {@code Retry-After}.
 *
 * <p>At shutdown ({@link #shutDown}) every stream is ended in order with a last block asking its client to
 * reconnect, and a stream that opens after that ends at once the same way: the clients resume on another instance.
 */
@ApplicationScoped
public class Subscribers {

    static final String CALL = "chat.Connect";
    /** The most messages of one chat read at once for other instances' signals. */
    static final int WINDOW = 1000;

    private static final Logger LOG = Logger.getLogger(Subscribers.class.getName());

    private final ConcurrentHashMap<UUID, Fanout> fanouts = new ConcurrentHashMap<>();
    private final Set<EventStream> streams = ConcurrentHashMap.newKeySet();
    private final ConcurrentHashMap<StreamKey, AtomicInteger> perUser = new ConcurrentHashMap<>();
    private final AtomicInteger total = new AtomicInteger();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("stream-timer").factory());
    private final ExecutorService lanes = Executors.newFixedThreadPool(
            Math.max(2, Runtime.getRuntime().availableProcessors()),
            Thread.ofPlatform().daemon().name("stream-fanout-", 0).factory());
    private final ThreadFactory writerThreads = Thread.ofVirtual().name("stream-writer")
            .inheritInheritableThreadLocals(false).factory();
    private final Executor writers = task -> writerThreads.newThread(task).start();

    @Inject
    Messages messages;

    @Inject
    Fleet fleet;

    @Inject
    ServiceMetrics metrics;

    @Inject
    @ConfigProperty(name = "chat.stream.heartbeat-millis", defaultValue = "15000")
    long heartbeatMillis;

    @Inject
    @ConfigProperty(name = "chat.stream.retry-millis", defaultValue = "3000")
    long retryMillis;

    @Inject
    @ConfigProperty(name = "chat.stream.buffer", defaultValue = "1000")
    int buffer;

    @Inject
    @ConfigProperty(name = "chat.stream.gap-wait-millis", defaultValue = "200")
    long gapWaitMillis;

    @Inject
    @ConfigProperty(name = "chat.stream.gap-give-up-millis", defaultValue = "30000")
    long gapGiveUpMillis;

    @Inject
    @ConfigProperty(name = "chat.stream.write-timeout-millis", defaultValue = "10000")
    long writeTimeoutMillis;

    @Inject
    @ConfigProperty(name = "chat.stream.max-streams", defaultValue = "20000")
    int maxStreams;

    @Inject
    @ConfigProperty(name = "chat.stream.max-per-user", defaultValue = "50")
    int maxPerUser;

    private record StreamKey(UUID chatId, String userId) {
    }

    private volatile boolean shuttingDown;

    /** The chats whose fan-out is behind without delivering: how many, and the longest such stall. */
    public record Stall(int chats, long longestMillis, UUID longest) {
    }

    private final EventStream.Counts counts = new EventStream.Counts() {
        @Override
        public void delivered(int events) {
            metrics.delivered(events);
        }

        @Override
        public void overflowed() {
            metrics.streamDropped(ServiceMetrics.OVERFLOWED);
        }

        @Override
        public void stalled() {
            metrics.streamDropped(ServiceMetrics.STALLED);
        }
    };

    /** A place for one stream, taken before the stream opens and given back when it ends. */
    public final class Reservation {
        private final StreamKey key;

        private Reservation(StreamKey key) {
            this.key = key;
        }
    }

    /** Created with the application, not on the first stream: it must see every commit from the start. */
    void start(@Observes @Initialized(ApplicationScoped.class) Object start) {
    }

    /**
     * Starts the sweep. A stream's writes run on virtual threads started for the purpose, which inherit nothing
     * from the fan-out thread: bench/run measured a pool of platform writer threads worse (Send at p50 89 ms instead
     * of 20 ms at 40,000 deliveries per second, the extra threads competing with the carriers for two cores).
     */
    @PostConstruct
    void begin() {
        long tick = Math.clamp(heartbeatMillis > 0 ? heartbeatMillis / 3 : 1000, 50, 1000);
        timer.scheduleWithFixedDelay(this::tick, tick, tick, TimeUnit.MILLISECONDS);
    }

    /** The sweep, a few times per heartbeat interval: heartbeats, stalled writes, expired tokens. */
    private void tick() {
        long now = System.nanoTime();
        long heartbeat = TimeUnit.MILLISECONDS.toNanos(heartbeatMillis);
        long writeTimeout = TimeUnit.MILLISECONDS.toNanos(writeTimeoutMillis);
        for (EventStream stream : streams) {
            stream.tick(now, heartbeat, writeTimeout);
        }
    }

    void stored(@Observes MessageStored stored) {
        Fanout fanout = fanouts.get(stored.chatId());
        if (fanout != null) {
            fanout.submit(stored.seq(), () -> Deliveries.of(stored.message()));
        }
    }

    /**
     * Takes a place for a stream of this user in this chat.
     *
     * @throws Problem 503 {@code chat.Connect.TooManyStreams} when the service holds {@code chat.stream.max-streams}
     *                 streams, 429 {@code chat.Connect.TooManyUserStreams} when this user holds
     *                 {@code chat.stream.max-per-user} in this chat; both with {@code Retry-After}
     */
    public Reservation reserve(UUID chatId, String userId) {
        if (total.incrementAndGet() > maxStreams) {
            total.decrementAndGet();
            throw new Problem(CALL + ".TooManyStreams", 503,
                    "the service holds as many streams as it may (" + maxStreams + "); try again later")
                    .retryAfter(10);
        }
        var key = new StreamKey(chatId, userId);
        AtomicInteger mine = perUser.computeIfAbsent(key, k -> new AtomicInteger());
        if (mine.incrementAndGet() > maxPerUser) {
            release(key);
            throw new Problem(CALL + ".TooManyUserStreams", 429,
                    "this user holds " + maxPerUser + " streams of this chat already; close one first")
                    .retryAfter(30);
        }
        return new Reservation(key);
    }

    private void release(StreamKey key) {
        total.decrementAndGet();
        perUser.computeIfPresent(key, (k, count) -> count.decrementAndGet() <= 0 ? null : count);
    }

    /**
     * Runs a stream of the chat after seq {@code after} on the calling (connection) thread until it ends.
     *
     * @param lastSeq the chat's newest seq, read just before: live deliveries of a chat nobody followed yet start
     *                after it (anything older is replayed from the database)
     * @param expiresAt when the caller's token expires: the stream ends then (null: never), and the client
     *                  reconnects with a fresh token and resumes
     * @param socket  the connection's socket, or null where it cannot be reached
     */
    public void run(Reservation reservation, long lastSeq, boolean echo, long after, Instant expiresAt,
                    Socket socket, OutputStream out) {
        run(reservation, lastSeq, echo, after, expiresAt, socket, out, List.of());
    }

    /** The same, writing {@code greeting} right after the opening block (issue 14: markers and presence). */
    public void run(Reservation reservation, long lastSeq, boolean echo, long after, Instant expiresAt,
                    Socket socket, OutputStream out, List<byte[]> greeting) {
        StreamKey key = reservation.key;
        var stream = new EventStream(key.chatId(), key.userId(), echo, after, buffer, expiresAt, socket, out,
                writers, counts);
        stream.greet(greeting);
        streams.add(stream);
        if (shuttingDown) {
            // it opened as the others were being ended: it ends at once too
            stream.close(EventFrames.reconnect(retryMillis));
        }
        try {
            fanouts.compute(key.chatId(), (id, fanout) -> {
                Fanout open = fanout;
                if (open == null || !open.add(stream)) {
                    open = new Fanout(id, lastSeq + 1, this::fill, timer, new SerialExecutor(lanes),
                            gapWaitMillis, gapGiveUpMillis);
                    open.add(stream);
                    if (fanout == null) {
                        // under the map's lock for this chat, so that it cannot race an unfollow of the same chat
                        fleet.follow(id);
                    }
                }
                return open;
            });
            stream.run(this::read, retryMillis);
        } finally {
            fanouts.computeIfPresent(key.chatId(), (id, fanout) -> {
                if (!fanout.remove(stream)) {
                    return fanout;
                }
                fleet.unfollow(id);
                return null;
            });
            streams.remove(stream);
            release(key);
        }
    }

    /**
     * Learns that chat {@code chatId} has committed events up to {@code seq} that this instance did not see
     * committed (another instance's signal, or a catch-up): its streams here read them from the database, in order.
     * Chats without streams here cost nothing.
     */
    public void committed(UUID chatId, long seq) {
        committed(Map.of(chatId, seq));
    }

    /**
     * The same for several chats at once (a batch of other instances' signals): what their streams here lack is
     * read in one statement and published in order; a window too large for one read, or a read that fails, is
     * left to each fanout's own gap fill.
     */
    public void committed(Map<UUID, Long> newest) {
        List<Messages.Window> windows = new ArrayList<>();
        Map<UUID, Fanout> reading = new HashMap<>();
        newest.forEach((chatId, seq) -> {
            Fanout fanout = fanouts.get(chatId);
            if (fanout == null) {
                return;
            }
            long next = fanout.next();
            if (seq < next) {
                return;
            }
            if (seq - next >= WINDOW) {
                fanout.committed(seq);
                return;
            }
            windows.add(new Messages.Window(chatId, next - 1, seq));
            reading.put(chatId, fanout);
        });
        if (windows.isEmpty()) {
            return;
        }
        try {
            for (Message message : messages.windows(windows)) {
                reading.get(message.chatId()).publish(Deliveries.of(message));
            }
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "reading other instances' messages failed; each chat fills its gap itself", e);
        }
        // whatever the read did not bring (it failed, or a row is not visible yet) is each fanout's gap to fill
        for (Messages.Window window : windows) {
            reading.get(window.chatId()).committed(window.upTo());
        }
    }

    /**
     * Hands a moment outside the sequence (issue 14: read, typing, presence) to this instance's streams of the
     * chat, except those of the user it is about; straight into their queues, since it has no seq to order by.
     */
    public void ephemeral(UUID chatId, String aboutUser, byte[] frame) {
        Fanout fanout = fanouts.get(chatId);
        if (fanout == null) {
            return;
        }
        Delivery delivery = Delivery.ephemeral(aboutUser, frame);
        for (Fanout.Listener listener : fanout.listeners()) {
            listener.offer(delivery);
        }
    }

    /** The chats that have streams here now: the ones whose signals matter to this instance. */
    public Set<UUID> followedChats() {
        return Set.copyOf(fanouts.keySet());
    }

    /** How many streams are open in all. */
    public int open() {
        return total.get();
    }

    /** How many streams this user has open in this chat. */
    public int streams(UUID chatId, String userId) {
        AtomicInteger count = perUser.get(new StreamKey(chatId, userId));
        return count == null ? 0 : count.get();
    }

    /** How many threads run streams now: one per open stream, plus one per stream that is being written. */
    public int threads() {
        return EventStream.THREADS.get();
    }

    /**
     * Ends every stream in order, each with a last block that asks its client to reconnect (to another instance,
     * resuming by {@code Last-Event-ID}), and every stream that opens from now on the same way.
     */
    public void shutDown() {
        shuttingDown = true;
        byte[] reconnect = EventFrames.reconnect(retryMillis);
        streams.forEach(stream -> stream.close(reconnect));
    }

    /**
     * The chats whose fan-out has been behind a committed seq for at least {@code minimumMillis} without delivering
     * anything. Reads each chat's state without its lock, so a wedged chat cannot hold up the caller (a probe).
     */
    public Stall stalled(long minimumMillis) {
        long now = System.nanoTime();
        int chats = 0;
        long longest = 0;
        UUID worst = null;
        for (var entry : fanouts.entrySet()) {
            long millis = TimeUnit.NANOSECONDS.toMillis(entry.getValue().stalledNanos(now));
            if (millis >= minimumMillis) {
                chats++;
                if (millis >= longest) {
                    longest = millis;
                    worst = entry.getKey();
                }
            }
        }
        return new Stall(chats, longest, worst);
    }

    /** A gap fill (or a catch-up) of a chat's fanout: counted, then read like a replay. */
    private List<Delivery> fill(UUID chatId, long after, int limit) {
        metrics.gapFilled();
        return read(chatId, after, limit);
    }

    private List<Delivery> read(UUID chatId, long after, int limit) {
        return messages.range(chatId, Page.between(after, Long.MAX_VALUE, limit)).stream()
                .map(Deliveries::of)
                .toList();
    }

    @PreDestroy
    void closeAll() {
        timer.shutdownNow();
        lanes.shutdownNow();
        streams.forEach(EventStream::close);
    }
}
