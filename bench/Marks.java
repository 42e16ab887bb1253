import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Marked messages: Sends whose text carries a number k ({@code bench|k|x}), so that a stream reading one knows
 * which it is and, from when its Send started, how long it took to arrive. One instance per measure counts the
 * deliveries of all its streams; latencies are recorded only while {@link #recording} is on.
 */
final class Marks {

    static final String PREFIX = "bench|";

    private final Map<Long, Long> sentAt = new ConcurrentHashMap<>();
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong lastDelivery = new AtomicLong();
    private volatile boolean recording;

    static String text(long k) {
        return PREFIX + k + "|x";
    }

    /**
     * Sends message k to the chat (through {@code java.net.http}) and remembers when it started. Returns the POST's
     * own latency in nanoseconds, or -1 when it failed (logged).
     */
    long send(String base, String chat, String user, long k) {
        return send(base, chat, user, k, "");
    }

    /** The same, the message's text made longer by {@code padding} (plain letters, after the mark). */
    long send(String base, String chat, String user, long k, String padding) {
        return send(json -> Http.post(base, "/chat/Send", json), chat, user, k, padding, System.nanoTime());
    }

    /**
     * Sends message k on this connection, timed from {@code since} (when it was due, which may be before now):
     * the latency from then to its answer, or -1 when it failed (logged).
     */
    long send(Http.Connection connection, String chat, String user, long k, long since) {
        return send(json -> connection.post("/chat/Send", json), chat, user, k, "", since);
    }

    private interface Post {
        Http.Answer post(String json) throws Exception;
    }

    private long send(Post post, String chat, String user, long k, String padding, long since) {
        sentAt.put(k, since);
        try {
            Http.Answer a = post.post(Http.sendBody(chat, user, null, text(k) + padding));
            if (a.status() != 200) {
                Load.log("Send answered " + a.status() + ": " + a.body());
                return -1;
            }
            return System.nanoTime() - since;
        } catch (Exception e) {
            Load.log("Send failed: " + e);
            return -1;
        }
    }

    /** Called by a stream's reader when it read message k at {@code now}. */
    void arrived(Latencies of, long k, long now) {
        if (recording) {
            Long at = sentAt.get(k);
            if (at != null) {
                of.add(now - at);
            }
        }
        lastDelivery.accumulateAndGet(now, Math::max);
        delivered.incrementAndGet();
    }

    void recording(boolean on) {
        recording = on;
    }

    long delivered() {
        return delivered.get();
    }

    long lastDelivery() {
        return lastDelivery.get();
    }

    /** Waits until {@code total} deliveries were counted, or the time is up; whether they were. */
    boolean awaitDelivered(long total, long untilNanos) {
        while (delivered.get() < total) {
            if (System.nanoTime() >= untilNanos) {
                return false;
            }
            Load.sleep(2);
        }
        return true;
    }
}
