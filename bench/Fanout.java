import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Fan-out: {@code chats} chats with {@code streams} open streams spread evenly over them, in two phases.
 * <ul>
 * <li><b>Steady</b>: {@code rate} Sends per second for {@code seconds}, message i to chat i mod chats, on an
 * open-loop schedule over {@code connections} keep-alive connections ({@link Paced}), so that the schedule holds
 * whatever the answers take; so {@code rate × streams ÷ chats} deliveries per second are offered. Every stream
 * times each message from the moment it was due to the moment it reads the event: the send-to-receipt
 * percentiles.</li>
 * <li><b>Saturation</b>: for {@code saturate} seconds, {@code senders} senders post back to back, held back only
 * while {@code window} deliveries are still owed to the streams, so the server always has work queued but no
 * stream's backlog nears its buffer (a stream that overflows is closed, which would end the measure). Deliveries
 * per second from the first of these Sends to the last delivery.</li>
 * </ul>
 * Args: {@code base chats streams rate seconds saturate [senders=4] [connections=32] [window=20000] [label=service]}.
 */
final class Fanout {

    private Fanout() {
    }

    static void run(Args args) throws Exception {
        String base = args.get("base");
        String label = args.get("label", "service");
        int chatCount = args.integer("chats");
        int streamCount = args.integer("streams");
        double rate = args.decimal("rate");
        double seconds = args.decimal("seconds");
        double saturate = args.decimal("saturate");
        int senders = args.integer("senders", 4);
        int connections = args.integer("connections", 32);
        long window = args.integer("window", 20_000);
        int perChat = streamCount / chatCount;
        String shape = chatCount + "x" + perChat;
        Result result = Result.of("fanout", label).put("shape", shape).put("streams", streamCount)
                .put("rate", rate).put("offered_per_s", rate * perChat, 0);

        String[] chats = new String[chatCount];
        for (int c = 0; c < chatCount; c++) {
            chats[c] = Http.newChat(base, sender(c), "fan-reader-" + c);
        }
        Marks marks = new Marks();
        long t0 = System.nanoTime();
        SseStreams.Opened opened = SseStreams.open(base, 0, streamCount, i -> chats[i % chatCount],
                i -> "fan-" + i, marks, t0 + 120_000_000_000L);
        double openS = (System.nanoTime() - t0) / 1e9;
        if (!opened.all(streamCount)) {
            Load.log(label + ": " + opened.why(streamCount) + ": " + opened.detail());
            result.error(opened.why(streamCount), opened.detail()).print();
            return;
        }
        List<SseStream> streams = opened.streams();
        Load.log(label + ": " + streams.size() + " streams open in " + String.format("%.1f", openS) + " s");
        result.put("open_s", openS, 2);

        // registration may finish after the headers: every chat's streams must see a message before measuring
        long k = 0;
        for (int c = 0; c < chatCount; c++) {
            marks.send(base, chats[c], sender(c), k++);
        }
        if (!marks.awaitDelivered(streamCount, System.nanoTime() + 20_000_000_000L)) {
            result.error("the first messages did not reach every stream within 20 s", null).print();
            return;
        }
        for (int i = 0; i < Math.max(10, chatCount); i++, k++) { // warms the send and delivery paths
            marks.send(base, chats[i % chatCount], sender(i % chatCount), k);
        }
        if (!marks.awaitDelivered((long) streamCount + Math.max(10, chatCount) * (long) perChat,
                System.nanoTime() + 20_000_000_000L)) {
            result.error("the warm-up messages did not reach every stream within 20 s", null).print();
            return;
        }

        steady(base, chats, perChat, rate, seconds, connections, marks, streams, k, result);
        saturation(base, chats, perChat, saturate, senders, window, marks, 10_000_000L, result);
        result.print();
    }

    private static void steady(String base, String[] chats, int perChat, double rate, double seconds,
                               int connections, Marks marks, List<SseStream> streams, long firstK, Result result)
            throws InterruptedException {
        int sends = (int) Math.round(rate * seconds);
        long[] posts = new long[sends];
        long before = marks.delivered();
        marks.recording(true);
        long start = System.nanoTime();
        Paced.run(base, rate, sends, connections, (connection, msg, due) -> {
            int chat = msg % chats.length;
            posts[msg] = marks.send(connection, chats[chat], sender(chat), firstK + msg, due);
        });
        long expected = (long) sends * perChat;
        marks.awaitDelivered(before + expected, System.nanoTime() + 10_000_000_000L);
        marks.recording(false);
        long delivered = marks.delivered() - before;
        double took = (Math.max(marks.lastDelivery(), System.nanoTime()) - start) / 1e9;
        Latencies receipt = new Latencies();
        for (SseStream s : streams) {
            receipt.addAll(s.latencies());
        }
        Latencies post = new Latencies();
        for (long p : posts) {
            if (p > 0) {
                post.add(p);
            }
        }
        result.put("seconds", seconds).put("sends", sends).put("expected", expected).put("delivered", delivered)
                .latencies("", receipt)
                .put("deliveries_per_s", delivered / Math.max(took, seconds), 0)
                .latencies("post_", post)
                .put("post_errors", sends - post.count());
    }

    private static void saturation(String base, String[] chats, int perChat, double seconds, int senders,
                                   long window, Marks marks, long firstK, Result result) {
        long before = marks.delivered();
        AtomicLong next = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        long start = System.nanoTime();
        long end = start + (long) (seconds * 1e9);
        try (ExecutorService ex = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int s = 0; s < senders; s++) {
                ex.submit(() -> {
                    while (System.nanoTime() < end) {
                        // deliveries owed: those of the Sends started so far (and not failed), less those read
                        if ((next.get() - failed.get() + 1) * perChat - (marks.delivered() - before) > window) {
                            Load.sleep(1);
                            continue;
                        }
                        long i = next.getAndIncrement();
                        int chat = (int) (i % chats.length);
                        if (marks.send(base, chats[chat], sender(chat), firstK + i) < 0) {
                            failed.incrementAndGet();
                        }
                    }
                });
            }
        }
        long sends = next.get() - failed.get();
        long expected = sends * perChat;
        marks.awaitDelivered(before + expected, System.nanoTime() + 15_000_000_000L);
        long delivered = marks.delivered() - before;
        double took = (marks.lastDelivery() - start) / 1e9;
        result.put("sat_seconds", seconds).put("sat_sends", sends).put("sat_errors", failed.get())
                .put("sat_expected", expected).put("sat_delivered", delivered)
                .put("sat_deliveries_per_s", took > 0 ? delivered / took : 0, 0);
    }

    private static String sender(int chat) {
        return "fan-sender-" + chat;
    }
}
