package chat.stream.boundary;

import chat.platform.ShortThreads;
import chat.stream.control.Delivery;
import chat.stream.control.EventFrames;
import chat.stream.control.Fanout;
import chat.stream.control.Replay;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.time.Duration;
import java.time.Instant;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One open event stream on its HTTP connection.
 *
 * <p>Threads: the connection's own thread writes the opening block, has the replay written by a short thread
 * (it waits for the database, and this thread must not keep room for that deep a stack; see
 * {@link chat.platform.ShortThreads}), then parks in a read of the socket, which returns the moment the client
 * closes the connection (a closed stream is released at once, not at the next failed write). Live deliveries go into a bounded queue; a writer thread is started only while there is
 * something to write and drains the whole queue into one chunk, written to the socket in one call. An idle stream
 * therefore holds one parked thread.
 *
 * <p>Ending: a stream whose queue overflows, or whose write makes no progress for the write timeout, has its
 * socket closed at once (the client sees the connection end and resumes with {@code Last-Event-ID}); a stream
 * ended for other reasons (shutdown, the caller's token expiring) finishes its response properly, at shutdown after
 * a last block that asks the client to reconnect.
 *
 * <p>Exactness: the stream writes every seq after its cursor once. The connection thread replays from the
 * database after the stream was registered for live deliveries, and every delivery at or below the position
 * already written is skipped, so the switch from replay to live neither loses nor repeats an event.
 */
final class EventStream implements Fanout.Listener {

    private static final Logger LOG = Logger.getLogger(EventStream.class.getName());
    private static final int REPLAY_PAGE = 1000;
    /** Threads that run streams now (connection threads in a stream and writers): what a released stream frees. */
    static final AtomicInteger THREADS = new AtomicInteger();

    /** What a stream reports as it goes: events written, and the server cutting it. */
    interface Counts {
        void delivered(int events);

        /** Cut: its client fell a whole buffer behind. */
        void overflowed();

        /** Cut: a write to its client made no progress for the write timeout. */
        void stalled();
    }

    private final UUID chatId;
    private final String userId;
    private final boolean echo;
    private final int buffer;
    private final Socket socket;
    private final OutputStream out;
    private final Executor writers;
    private final Counts counts;
    /** The socket's own output, once the response's headers are out; writer only. */
    private OutputStream raw;
    private final CountDownLatch ended = new CountDownLatch(1);
    /** {@link System#nanoTime()} at which the stream ends by itself; 0 for never. */
    private final long expiresAtNanos;

    // guarded by this
    private final ArrayDeque<Delivery> queue = new ArrayDeque<>();
    private boolean writing = true;
    private boolean heartbeatDue;
    private boolean closed;
    private boolean aborted;
    /** Written last when the stream ends in order (a shutdown); null for nothing. */
    private byte[] farewell;

    private volatile long lastWriteNanos = System.nanoTime();
    /** When the write in progress started; 0 while none is. */
    private volatile long writeStartedNanos;
    /** The seq up to which this stream is complete (written, or deliberately left out); one writer at a time. */
    private long position;
    /** Set once an event this stream wrote ends it (issue 14: its user left or was kicked, the chat deleted). */
    private boolean endAfterWrite;
    /** Written right after the opening block: the members' read markers and presence (issue 14). */
    private List<byte[]> greeting = List.of();

    /**
     * @param expiresAt when the stream ends by itself (the caller's token expires), or null
     * @param socket the connection's socket, to notice the client leaving and to cut a stalled one; null where it
     *               cannot be reached (then a dead client is noticed by a failed write)
     * @param out    the response body
     * @param writers runs a writer while there is something to write
     */
    EventStream(UUID chatId, String userId, boolean echo, long after, int buffer, Instant expiresAt, Socket socket,
                OutputStream out, Executor writers, Counts counts) {
        this.writers = writers;
        this.counts = counts;
        this.expiresAtNanos = expiresAt == null ? 0
                : System.nanoTime() + Math.max(1, Duration.between(Instant.now(), expiresAt).toNanos());
        this.chatId = chatId;
        this.userId = userId;
        this.echo = echo;
        this.position = after;
        this.buffer = buffer;
        this.socket = socket;
        this.out = out;
    }

    /** Frames written right after the opening block, before the replay. */
    void greet(List<byte[]> frames) {
        this.greeting = List.copyOf(frames);
    }

    UUID chatId() {
        return chatId;
    }

    String userId() {
        return userId;
    }

    /**
     * Queues a live delivery without blocking, and starts a writer if none runs. False when the stream is closed or
     * its queue is full: an overflowing stream is cut at once, and its client resumes.
     */
    @Override
    public boolean offer(Delivery delivery) {
        synchronized (this) {
            if (closed) {
                return false;
            }
            if (queue.size() >= buffer) {
                LOG.fine(() -> "stream of " + userId + " in chat " + chatId + " overflowed; closing it");
            } else {
                queue.add(delivery);
                if (writing) {
                    return true;
                }
                writing = true;
                startWriter();
                return true;
            }
        }
        if (end(true)) {
            counts.overflowed();
        }
        return false;
    }

    /** Ends the stream, finishing its response; the client reconnects and resumes. */
    @Override
    public void close() {
        end(false);
    }

    /** Ends the stream in order with {@code frame} as its last block: the service shuts down. */
    void close(byte[] frame) {
        synchronized (this) {
            if (!closed) {
                farewell = frame;
            }
        }
        end(false);
    }

    /**
     * Called on every sweep: ends the stream when its token expired, sends a heartbeat after {@code heartbeatNanos}
     * without a write (0: never), and cuts the connection when a write has made no progress for
     * {@code writeTimeoutNanos}, also while the stream finishes.
     */
    void tick(long now, long heartbeatNanos, long writeTimeoutNanos) {
        boolean stalled = false;
        if (expiresAtNanos != 0 && now - expiresAtNanos >= 0) {
            close();
        }
        synchronized (this) {
            if (aborted) {
                return;
            }
            if (writing) {
                long started = writeStartedNanos;
                stalled = started != 0 && now - started > writeTimeoutNanos;
            } else if (!closed && heartbeatNanos > 0 && now - lastWriteNanos >= heartbeatNanos) {
                heartbeatDue = true;
                writing = true;
                startWriter();
            }
        }
        if (stalled) {
            LOG.fine(() -> "stream of " + userId + " in chat " + chatId + " made no progress; closing it");
            if (end(true)) {
                counts.stalled();
            }
        }
    }

    /**
     * Runs the stream on the connection's thread until it ends: the opening block, the replay of everything after
     * the cursor, the live deliveries that queued meanwhile, then waits for the end of the connection.
     */
    void run(Replay replay, long retryMillis) {
        THREADS.incrementAndGet();
        try {
            writeStarted();
            out.write(EventFrames.opening(position, retryMillis));
            for (byte[] frame : greeting) {
                out.write(frame);
            }
            flush();
            if (socket != null) {
                // the headers and the first chunk are out through Helidon; from here on each batch is one chunk
                // of our own, written to the socket in one call (Helidon ends the body when the stream ends)
                raw = socket.getOutputStream();
            }
            // the replay waits for the database: on a short thread, so that this one parks with a shallow stack
            ShortThreads.call(() -> {
                replay(replay);
                return null;
            });
            drain();
            awaitEnd();
        } catch (IOException | UncheckedIOException e) {
            LOG.log(Level.FINE, e, () -> "stream of " + userId + " in chat " + chatId + " ended");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            end(!isEnding());
            awaitWriter();
            sayFarewell();
            THREADS.decrementAndGet();
        }
    }

    /** Writes the last block of a stream ended in order, if it has one; the response ends after it. */
    private void sayFarewell() {
        byte[] frame;
        synchronized (this) {
            frame = aborted ? null : farewell;
        }
        if (frame == null) {
            return;
        }
        try {
            write(List.of(frame));
        } catch (IOException | UncheckedIOException e) {
            LOG.log(Level.FINE, e, () -> "stream of " + userId + " in chat " + chatId + " ended before its last block");
        }
    }

    private void replay(Replay replay) throws IOException {
        while (!isEnding()) {
            List<Delivery> page = replay.after(chatId, position, REPLAY_PAGE);
            send(unwritten(page), false);
            if (endsAfterWrite()) {
                return;
            }
            if (page.size() < REPLAY_PAGE) {
                return;
            }
        }
    }

    private void startWriter() {
        writers.execute(() -> {
            THREADS.incrementAndGet();
            try {
                drain();
            } catch (IOException | UncheckedIOException e) {
                LOG.log(Level.FINE, e, () -> "stream of " + userId + " in chat " + chatId + " ended");
                end(true);
            } finally {
                THREADS.decrementAndGet();
            }
        });
    }

    /** Writes what is queued, one chunk a batch, until the queue is empty; then gives up the writer role. */
    private void drain() throws IOException {
        try {
            while (true) {
                List<Delivery> batch;
                boolean heartbeat;
                synchronized (this) {
                    if (closed || (queue.isEmpty() && !heartbeatDue)) {
                        return;
                    }
                    batch = List.copyOf(queue);
                    queue.clear();
                    heartbeat = heartbeatDue;
                    heartbeatDue = false;
                }
                send(unwritten(batch), heartbeat);
                if (endsAfterWrite()) {
                    return;
                }
            }
        } finally {
            synchronized (this) {
                writing = false;
                notifyAll();
            }
        }
    }

    /** The frames of the deliveries this stream has not had yet, leaving out the user's own unless echoed. */
    private List<byte[]> unwritten(List<Delivery> deliveries) {
        List<byte[]> frames = new ArrayList<>(deliveries.size());
        for (Delivery delivery : deliveries) {
            if (endAfterWrite) {
                break;
            }
            if (delivery.isEphemeral()) {
                if (!userId.equals(delivery.userId())) {
                    frames.add(delivery.frame());
                }
                continue;
            }
            if (delivery.seq() <= position) {
                continue;
            }
            position = delivery.seq();
            if (echo || !userId.equals(delivery.userId())) {
                frames.add(delivery.frame());
            }
            endAfterWrite = delivery.ends(userId);
        }
        return frames;
    }

    /**
     * Writes the frames in one write of the socket (a heartbeat instead when there are none and one is due): one
     * system call and one packet for a whole batch, however many events it holds.
     */
    private void send(List<byte[]> frames, boolean heartbeat) throws IOException {
        if (frames.isEmpty()) {
            if (heartbeat) {
                write(List.of(EventFrames.HEARTBEAT));
            }
            return;
        }
        write(frames);
        counts.delivered(frames.size());
    }

    private void write(List<byte[]> frames) throws IOException {
        writeStarted();
        if (raw == null) {
            for (byte[] frame : frames) {
                out.write(frame);
            }
            flush();
            return;
        }
        int length = 0;
        for (byte[] frame : frames) {
            length += frame.length;
        }
        byte[] size = (Integer.toHexString(length) + "\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] chunk = new byte[size.length + length + 2];
        System.arraycopy(size, 0, chunk, 0, size.length);
        int at = size.length;
        for (byte[] frame : frames) {
            System.arraycopy(frame, 0, chunk, at, frame.length);
            at += frame.length;
        }
        chunk[at] = '\r';
        chunk[at + 1] = '\n';
        raw.write(chunk);
        wrote();
    }

    /** After a write: ends the stream, its response finished properly, when an event it wrote said so. */
    private boolean endsAfterWrite() {
        if (endAfterWrite) {
            LOG.fine(() -> "stream of " + userId + " in chat " + chatId + " ends: its user left or the chat is gone");
            end(false);
        }
        return endAfterWrite;
    }

    private void writeStarted() {
        writeStartedNanos = System.nanoTime();
    }

    private void flush() throws IOException {
        out.flush();
        wrote();
    }

    private void wrote() {
        lastWriteNanos = System.nanoTime();
        writeStartedNanos = 0;
    }

    /** Blocks until the client closes the connection or the stream is ended. */
    private void awaitEnd() throws IOException, InterruptedException {
        if (socket == null) {
            ended.await();
            return;
        }
        InputStream in = socket.getInputStream();
        // a client sends nothing on an event stream: end of input, or anything at all, ends it
        in.read();
    }

    private synchronized boolean isEnding() {
        return closed;
    }

    /**
     * Marks the stream closed, once. {@code abort} closes the socket (a stalled, overflowing or departed client);
     * otherwise the connection thread is woken to finish the response in order. False when there was nothing to
     * do: the stream was ended that way already.
     */
    private boolean end(boolean abort) {
        synchronized (this) {
            if (closed && (aborted || !abort)) {
                return false;
            }
            closed = true;
            aborted |= abort;
            queue.clear();
            notifyAll();
        }
        ended.countDown();
        if (socket == null) {
            return true;
        }
        try {
            if (abort) {
                socket.close();
            } else if (!socket.isInputShutdown()) {
                socket.shutdownInput();
            }
        } catch (IOException e) {
            LOG.log(Level.FINE, "ending a stream whose connection is gone", e);
        }
        return true;
    }

    /** Waits until no writer writes, so the response is finished by one thread only. */
    private void awaitWriter() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        synchronized (this) {
            while (writing && System.nanoTime() < deadline) {
                try {
                    wait(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }
}
