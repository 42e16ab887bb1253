package chat.stream.control;

import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One open stream. Live deliveries arrive in seq order into a bounded queue and are written by the stream's own
 * virtual thread, so a slow or stalled client never holds up a send or another stream. When the queue overflows
 * the stream is closed; the client resumes with {@code Last-Event-ID}.
 *
 * <p>The writer first replays from the database everything after the client's cursor, then writes the queued live
 * deliveries, skipping every seq it has already written. Because the subscriber is registered for live deliveries
 * before the replay reads, a message committed during the switch is in the replay, in the queue, or both, and is
 * written exactly once.
 */
public final class Subscriber implements Fanout.Listener {

    private static final Logger LOG = Logger.getLogger(Subscriber.class.getName());
    private static final int REPLAY_PAGE = 1000;
    /** Wakes the writer after {@link #close()}; never written. */
    private static final Delivery CLOSED = new Delivery(Long.MIN_VALUE, "", "");

    /** How the writer reads what it must replay: messages of a chat after a seq, oldest first, at most a page. */
    @FunctionalInterface
    public interface Replay {
        List<Delivery> after(UUID chatId, long seq, int limit);
    }

    private final UUID chatId;
    private final String userId;
    private final boolean echo;
    private final SseEventSink sink;
    private final Sse sse;
    private final BlockingQueue<Delivery> queue;
    private volatile boolean closed;
    /** The seq up to which this stream is complete (written or deliberately left out); writer thread only. */
    private long position;

    Subscriber(UUID chatId, String userId, boolean echo, long after, int buffer, SseEventSink sink, Sse sse) {
        this.chatId = chatId;
        this.userId = userId;
        this.echo = echo;
        this.position = after;
        this.sink = sink;
        this.sse = sse;
        this.queue = new LinkedBlockingQueue<>(buffer);
    }

    UUID chatId() {
        return chatId;
    }

    boolean closed() {
        return closed || sink.isClosed();
    }

    /**
     * Hands a live delivery to the writer without ever blocking. False when the stream is closed or its buffer is
     * full: the stream is then closed, and the caller drops it.
     */
    @Override
    public boolean offer(Delivery delivery) {
        if (closed()) {
            return false;
        }
        if (queue.offer(delivery)) {
            return true;
        }
        LOG.fine(() -> "stream of " + userId + " in chat " + chatId + " overflowed; closing it");
        close();
        return false;
    }

    /** Stops the writer, which closes the connection; queued deliveries are dropped. */
    @Override
    public void close() {
        closed = true;
        queue.clear();
        queue.offer(CLOSED);
    }

    /**
     * The writer loop: a reconnect hint (which also sends the headers at once), the replay, then live deliveries,
     * with a comment line as heartbeat after {@code heartbeatMillis} of silence (0: none). Returns when the client
     * is gone or the stream was closed.
     */
    void run(Replay replay, long retryMillis, long heartbeatMillis) {
        try {
            write(sse.newEventBuilder().reconnectDelay(retryMillis).comment("connected").build());
            replay(replay);
            while (!closed()) {
                Delivery delivery = heartbeatMillis > 0
                        ? queue.poll(heartbeatMillis, TimeUnit.MILLISECONDS)
                        : queue.poll(1, TimeUnit.MINUTES);
                if (closed()) {
                    break;
                }
                if (delivery == null) {
                    if (heartbeatMillis > 0) {
                        write(sse.newEventBuilder().comment("heartbeat").build());
                    }
                } else {
                    write(delivery);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | ExecutionException e) {
            LOG.log(Level.FINE, e, () -> "stream of " + userId + " in chat " + chatId + " ended");
        } finally {
            closed = true;
            try {
                sink.close();
            } catch (RuntimeException e) {
                LOG.log(Level.FINE, "closing a stream that is already gone", e);
            }
        }
    }

    private void replay(Replay replay) throws ExecutionException, InterruptedException {
        while (!closed()) {
            List<Delivery> page = replay.after(chatId, position, REPLAY_PAGE);
            for (Delivery delivery : page) {
                write(delivery);
            }
            if (page.size() < REPLAY_PAGE) {
                return;
            }
        }
    }

    private void write(Delivery delivery) throws ExecutionException, InterruptedException {
        if (delivery.seq() <= position) {
            return;
        }
        position = delivery.seq();
        if (!echo && delivery.userId().equals(userId)) {
            return;
        }
        write(sse.newEventBuilder()
                .id(Long.toString(delivery.seq()))
                .name("message")
                .data(delivery.json())
                .build());
    }

    private void write(OutboundSseEvent event) throws ExecutionException, InterruptedException {
        sink.send(event).toCompletableFuture().get();
    }
}
