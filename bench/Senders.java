import java.io.IOException;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Senders for the fault rows: each on a keep-alive connection of its own, sending to a random one of its chats
 * with a fresh client_id every time, back to back or paced; every 200 goes into the {@link Ledger} with its seq.
 * They keep sending through errors (a request that got no answer waits 20 ms before the next, so that a dead
 * service is not spun on) until {@link #stop}. An optional {@link Observer} sees every request.
 */
final class Senders implements AutoCloseable {

    /** Told of every request: when it started and ended, and its status (-1: no answer; the body then says why). */
    interface Observer {
        void answered(long startNanos, long endNanos, int status, String body);
    }

    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong acknowledged = new AtomicLong();
    private volatile boolean running = true;

    /**
     * Starts {@code count} senders through {@code base} to {@code chats}, as {@link Ledger#SENDER}.
     *
     * @param perSecond   Sends a second of each sender, or 0 for back to back
     * @param timeoutMillis how long a request may wait for its answer before it counts as unanswered
     */
    Senders(String base, List<String> chats, int count, double perSecond, int timeoutMillis, Ledger ledger,
            Observer observer) {
        String run = Long.toString(System.nanoTime(), 36);
        for (int s = 0; s < count; s++) {
            int sender = s;
            threads.submit(() -> {
                ThreadLocalRandom random = ThreadLocalRandom.current();
                long interval = perSecond > 0 ? (long) (1e9 / perSecond) : 0;
                long next = System.nanoTime() + (interval > 0 ? random.nextLong(interval) : 0);
                try (Http.Connection connection = new Http.Connection(base, timeoutMillis)) {
                    for (long k = 0; running; k++) {
                        if (interval > 0) {
                            long wait = next - System.nanoTime();
                            if (wait > 0) {
                                LockSupport.parkNanos(wait);
                            }
                            next += interval;
                        }
                        String chat = chats.get(random.nextInt(chats.size()));
                        String clientId = run + "-" + sender + "-" + k;
                        long t0 = System.nanoTime();
                        sent.incrementAndGet();
                        int status;
                        String body;
                        try {
                            Http.Answer a = connection.post("/chat/Send",
                                    Http.sendBody(chat, Ledger.SENDER, clientId, "reliability " + clientId));
                            status = a.status();
                            body = a.body();
                            long seq = status == 200 ? Ledger.seqOf(body) : -1;
                            if (seq > 0) {
                                ledger.acknowledged(chat, clientId, seq);
                                acknowledged.incrementAndGet();
                            }
                        } catch (IOException e) {
                            status = -1;
                            body = e.toString();
                        }
                        if (observer != null) {
                            observer.answered(t0, System.nanoTime(), status, body);
                        }
                        if (status == -1 && running) {
                            Load.sleep(20);
                        }
                    }
                }
            });
        }
    }

    long sent() {
        return sent.get();
    }

    long acknowledged() {
        return acknowledged.get();
    }

    /** Waits until {@code count} Sends were acknowledged (true), or the time is up. */
    boolean awaitAcknowledged(long count, long untilNanos) {
        while (acknowledged.get() < count) {
            if (System.nanoTime() >= untilNanos) {
                return false;
            }
            Load.sleep(5);
        }
        return true;
    }

    /** Stops sending and waits until every sender has its last answer (or gave up on it). */
    void stop() {
        running = false;
        threads.close();
    }

    @Override
    public void close() {
        stop();
    }
}
