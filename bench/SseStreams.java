import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Many streams at once: opening them with a bounded number of connects in flight, and waiting until all read. */
final class SseStreams {

    private static final Pattern MICRO_ID = Pattern.compile("\"id\"\\s*:\\s*\"([^\"]+)\"");

    private SseStreams() {
    }

    /**
     * What {@link #open} got: the streams that opened and, when fewer than asked did, why: the server's refusal
     * (an HTTP answer) or the last connection failure (an exception text).
     */
    record Opened(List<SseStream> streams, String refusal, String failure) {
        boolean all(int wanted) {
            return streams.size() >= wanted && refusal == null;
        }

        /** Why fewer than {@code wanted} opened, for the table: "opened 10 of 100 streams: …". */
        String why(int wanted) {
            return "opened " + streams.size() + " of " + wanted + " streams: " + reason();
        }

        /** "Connect answered HTTP 503 chat.Connect.TooManyStreams", or the connection failure. */
        String reason() {
            if (refusal != null) {
                Matcher status = Pattern.compile("HTTP (\\d+)").matcher(refusal);
                Matcher id = MICRO_ID.matcher(refusal);
                return "Connect answered" + (status.find() ? " HTTP " + status.group(1) : "")
                        + (id.find() ? " " + id.group(1) : "");
            }
            return failure;
        }

        String detail() {
            return refusal != null ? refusal : failure;
        }
    }

    /**
     * Opens streams {@code first … first+count-1} (stream i on {@code chatOf(i)} as {@code userOf(i)}) with at most
     * 64 connects in flight, each tried up to four times (also when answered 503 {@code chat.Unavailable}: the
     * database was slow to hand out a connection). Stops early at the first other refusal, after 20 streams that
     * would not open, or at the deadline.
     */
    static Opened open(String base, int first, int count, IntFunction<String> chatOf, IntFunction<String> userOf,
                       Marks marks, long deadlineNanos) throws InterruptedException {
        List<SseStream> opened = Collections.synchronizedList(new ArrayList<>());
        AtomicReference<String> refusal = new AtomicReference<>();
        AtomicReference<String> failure = new AtomicReference<>();
        AtomicInteger failures = new AtomicInteger();
        Semaphore inFlight = new Semaphore(64);
        try (ExecutorService ex = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = first; i < first + count; i++) {
                if (refusal.get() != null || failures.get() >= 20 || System.nanoTime() > deadlineNanos) {
                    if (failure.get() == null && refusal.get() == null) {
                        failure.set("not all open by the deadline");
                    }
                    break;
                }
                inFlight.acquire();
                int index = i;
                ex.submit(() -> {
                    try {
                        for (int attempt = 0; ; attempt++) {
                            try {
                                opened.add(SseStream.open(base, chatOf.apply(index), userOf.apply(index), index, marks));
                                return;
                            } catch (SseStream.Refused r) {
                                if (r.status != 503 || !r.getMessage().contains("chat.Unavailable") || attempt >= 3) {
                                    refusal.compareAndSet(null, r.getMessage());
                                    return;
                                }
                                Load.sleep(1000L * (attempt + 1)); // the database was slow: try again, as told
                            } catch (IOException e) {
                                if (attempt >= 3 || System.nanoTime() > deadlineNanos) {
                                    if (failures.incrementAndGet() <= 3) {
                                        Load.log("stream " + index + " failed to open: " + e);
                                    }
                                    failure.set(e.toString());
                                    return;
                                }
                                Load.sleep(100L * (attempt + 1));
                            }
                        }
                    } finally {
                        inFlight.release();
                    }
                });
            }
        }
        return new Opened(new ArrayList<>(opened), refusal.get(), failure.get());
    }

    /** Waits until every one of the streams has read message k (or a later one), or the time is up. */
    static boolean awaitAll(Collection<SseStream> streams, long k, long untilNanos) {
        while (true) {
            boolean all = true;
            for (SseStream s : streams) {
                if (s.lastK() < k) {
                    all = false;
                    break;
                }
            }
            if (all) {
                return true;
            }
            if (System.nanoTime() >= untilNanos) {
                return false;
            }
            Load.sleep(2);
        }
    }

    static int countAt(Collection<SseStream> streams, long k) {
        int n = 0;
        for (SseStream s : streams) {
            if (s.lastK() >= k) {
                n++;
            }
        }
        return n;
    }
}
