import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An open-loop schedule over a fixed set of keep-alive connections, the way wrk2 drives a server (and a load
 * balancer's pool reaches an instance): message i is due at {@code i / rate} seconds after the start, the next free
 * connection sends it, and its time counts from when it was due, not from when a connection got round to it, so a
 * server that falls behind shows the whole wait (no coordinated omission).
 *
 * <p>The connections are plain sockets ({@link Http.Connection}): a request on its own virtual thread through
 * {@code java.net.http} opens a new connection whenever the others are busy (thousands after one slow second) and
 * costs the shared cores about as much as the service's own work per call.
 */
final class Paced {

    /** Sends message {@code i} on this connection; {@code due} is its scheduled moment (System.nanoTime). */
    interface Step {
        void send(Http.Connection connection, int i, long due) throws Exception;
    }

    private Paced() {
    }

    /** {@code count} messages at {@code rate} per second over {@code connections} connections to {@code base}. */
    static void run(String base, double rate, int count, int connections, Step step) throws InterruptedException {
        AtomicInteger next = new AtomicInteger();
        long start = System.nanoTime();
        try (ExecutorService ex = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int c = 0; c < connections; c++) {
                ex.submit(() -> {
                    try (Http.Connection connection = new Http.Connection(base)) {
                        for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
                            long due = start + (long) (i * 1e9 / rate);
                            long wait = due - System.nanoTime();
                            if (wait > 0) {
                                TimeUnit.NANOSECONDS.sleep(wait);
                            }
                            step.send(connection, i, due);
                        }
                    }
                    return null;
                });
            }
        }
    }
}
