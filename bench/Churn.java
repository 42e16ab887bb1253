import java.io.IOException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Churn: do streams whose clients left pile up in the server? For {@code seconds}, about {@code rate} streams a
 * second open on chats that come and go (a new chat every second) and are dropped by their clients after
 * 0.2–1.8 s (the client closes its socket; nothing is sent on these chats, so only noticing the end of the
 * connection releases them, not a failed write), while {@code stay} streams of another chat stay open and get two
 * Sends a second. The server's open files are sampled every 200 ms, its heap after a full GC every
 * {@code heap_every} seconds; the result has both before the churn, at their peak during it, and 1 s and
 * {@code after} seconds after the last client left.
 *
 * <p>Args: {@code base pid seconds [rate=50] [stay=20] [after=5] [heap_every=10] [jcmd=jcmd] [label=service]}.
 */
final class Churn {

    private Churn() {
    }

    static void run(Args args) throws Exception {
        String base = args.get("base");
        String label = args.get("label", "service");
        Proc server = Proc.of(args);
        double seconds = args.decimal("seconds");
        double rate = args.decimal("rate", 50);
        int stay = args.integer("stay", 20);
        double after = args.decimal("after", 5);
        double heapEvery = args.decimal("heap_every", 10);
        Result result = Result.of("churn", label).put("seconds", seconds).put("rate", rate).put("stay", stay)
                .put("after_s", after);

        Marks marks = new Marks();
        String stayChat = Http.newChat(base, "churn-stay-sender", "churn-stay-reader");
        SseStreams.Opened stayers = SseStreams.open(base, 0, stay, i -> stayChat, i -> "stay-" + i, marks,
                System.nanoTime() + 30_000_000_000L);
        if (!stayers.all(stay)) {
            result.error(stayers.why(stay), stayers.detail()).print();
            return;
        }
        long k = 0;
        marks.send(base, stayChat, "churn-stay-sender", k);
        if (!SseStreams.awaitAll(stayers.streams(), k, System.nanoTime() + 20_000_000_000L)) {
            result.error("the first message did not reach the staying streams within 20 s", null).print();
            return;
        }
        int filesBefore = server.openFiles();
        long heapBefore = server.heapAfterGc();

        AtomicInteger opened = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        AtomicInteger live = new AtomicInteger(stay);
        AtomicInteger livePeak = new AtomicInteger(stay);
        AtomicInteger filesPeak = new AtomicInteger(filesBefore);
        AtomicLong heapPeak = new AtomicLong(heapBefore);
        AtomicLong lastClose = new AtomicLong();
        long start = System.nanoTime();
        long end = start + (long) (seconds * 1e9);
        Thread files = Thread.ofPlatform().daemon().start(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                filesPeak.accumulateAndGet(server.openFiles(), Math::max);
                try {
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        Thread heap = Thread.ofPlatform().daemon().start(() -> {
            try {
                for (long at = start + (long) (heapEvery * 1e9); at < end; at += (long) (heapEvery * 1e9)) {
                    TimeUnit.NANOSECONDS.sleep(at - System.nanoTime());
                    heapPeak.accumulateAndGet(server.heapAfterGc(), Math::max);
                }
            } catch (InterruptedException e) {
                // the churn is over
            } catch (IOException e) {
                Load.log("heap sample failed: " + e);
            }
        });
        long stayExpected = 0;
        String chat = null;
        long chatSecond = -1;
        try (ExecutorService churners = Executors.newVirtualThreadPerTaskExecutor()) {
            for (long n = 0; ; n++) {
                long at = start + (long) (n * 1e9 / rate);
                if (at >= end) {
                    break;
                }
                long wait = at - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
                long second = (at - start) / 1_000_000_000L;
                if (second != chatSecond) { // a chat comes; the one before goes quiet
                    chatSecond = second;
                    chat = Http.newChat(base, "churn-a-" + second, "churn-b-" + second);
                    int msg = (int) ++k;
                    churners.submit(() -> {
                        marks.send(base, stayChat, "churn-stay-sender", msg);
                    });
                    stayExpected += stay;
                }
                String on = chat;
                long index = n;
                churners.submit(() -> {
                    SseStream s;
                    try {
                        s = SseStream.open(base, on, "churner-" + index, (int) index, marks);
                    } catch (IOException e) {
                        if (failed.incrementAndGet() <= 3) {
                            Load.log(label + ": churn stream failed to open: " + e);
                        }
                        return;
                    }
                    opened.incrementAndGet();
                    livePeak.accumulateAndGet(live.incrementAndGet(), Math::max);
                    Load.sleep(ThreadLocalRandom.current().nextLong(200, 1800));
                    s.close();
                    live.decrementAndGet();
                    lastClose.accumulateAndGet(System.nanoTime(), Math::max);
                });
            }
        }
        heap.interrupt();
        heap.join(30_000);
        long left = lastClose.get() > 0 ? lastClose.get() : System.nanoTime(); // the last client left
        TimeUnit.NANOSECONDS.sleep(Math.max(0, left + 1_000_000_000L - System.nanoTime()));
        int files1s = server.openFiles();
        TimeUnit.NANOSECONDS.sleep(Math.max(0, left + (long) (after * 1e9) - System.nanoTime()));
        int filesAfter = server.openFiles();
        files.interrupt();
        long heapAfter = server.heapAfterGc();
        marks.awaitDelivered(stay + stayExpected, System.nanoTime() + 5_000_000_000L);
        Load.log(label + ": churn: " + opened.get() + " streams opened and dropped, open files " + filesBefore
                + " before, " + filesPeak.get() + " at peak, " + files1s + " 1 s after, " + filesAfter + " "
                + after + " s after");
        result.put("opened", opened.get()).put("failed", failed.get()).put("live_peak", livePeak.get())
                .put("files_before", filesBefore).put("files_peak", filesPeak.get())
                .put("files_1s", files1s).put("files_after", filesAfter)
                .put("heap_before_mib", heapBefore / 1048576.0, 1).put("heap_peak_mib", heapPeak.get() / 1048576.0, 1)
                .put("heap_after_mib", heapAfter / 1048576.0, 1)
                .put("stay_expected", stayExpected).put("stay_delivered", marks.delivered() - stay)
                .print();
        stayers.streams().forEach(SseStream::close);
    }
}
