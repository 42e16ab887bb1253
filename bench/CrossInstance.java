import java.util.ArrayList;
import java.util.List;

/**
 * Send to receipt across instances: {@code chats} chats with one stream each on the instance {@code watch}, and
 * Sends at a steady {@code rate} per second for {@code seconds} through the instance {@code send}, spread over the
 * chats, over {@code connections} keep-alive connections on an open-loop schedule ({@link Paced}). Every message
 * is timed from the moment it was due to the moment its stream reads it: with {@code send} and {@code watch} two
 * instances on one database, that is the whole path through the fleet's transport (the commit, the signal, the
 * other instance's read by seq, the write); with both the same instance it is the single-instance reference.
 *
 * <p>Before the measured {@code seconds}, {@code warmup} seconds at the same rate, unmeasured: an instance that
 * just started (the second one, here) runs its read path interpreted at first.
 *
 * <p>Args: {@code send=URL watch=URL rate seconds [warmup=0] [chats=100] [connections=32] [label=notify]}.
 */
final class CrossInstance {

    private CrossInstance() {
    }

    static void run(Args args) throws Exception {
        String send = args.get("send");
        String watch = args.get("watch");
        String label = args.get("label", "notify");
        int chatCount = args.integer("chats", 100);
        int connections = args.integer("connections", 32);
        double rate = args.decimal("rate");
        double seconds = args.decimal("seconds");
        Result result = Result.of("cross", label).put("rate", rate).put("chats", chatCount)
                .put("connections", connections);
        String run = Long.toString(System.nanoTime(), 36);
        String[] chats = new String[chatCount];
        for (int i = 0; i < chatCount; i++) {
            chats[i] = Http.newChat(send, "cross-" + run + "-" + i, "cross-reader-" + run + "-" + i);
        }
        Marks marks = new Marks();
        SseStreams.Opened opened = SseStreams.open(watch, 0, chatCount, i -> chats[i], i -> "cross-watch-" + i, marks,
                System.nanoTime() + 60_000_000_000L);
        if (!opened.all(chatCount)) {
            result.error(opened.why(chatCount), opened.detail()).print();
            return;
        }
        // one message per chat first: every stream is registered and every path warm before the clock starts
        for (int i = 0; i < chatCount; i++) {
            marks.send(send, chats[i], sender(run, i), i);
        }
        if (!marks.awaitDelivered(chatCount, System.nanoTime() + 30_000_000_000L)) {
            result.error("the first messages did not reach the other instance's streams within 30 s", null).print();
            return;
        }
        int warmups = (int) Math.round(rate * args.decimal("warmup", 0));
        Latencies answered = new Latencies();
        paced(marks, send, chats, run, rate, connections, chatCount, warmups, null);
        marks.awaitDelivered(chatCount + warmups, System.nanoTime() + 20_000_000_000L);
        int sends = (int) Math.round(rate * seconds);
        long deliveredBefore = marks.delivered();
        marks.recording(true);
        long start = System.nanoTime();
        paced(marks, send, chats, run, rate, connections, chatCount + warmups, sends, answered);
        double window = (System.nanoTime() - start) / 1e9;
        marks.awaitDelivered(deliveredBefore + sends, System.nanoTime() + 20_000_000_000L);
        marks.recording(false);
        List<Latencies> each = new ArrayList<>();
        opened.streams().forEach(stream -> each.add(stream.latencies()));
        Latencies all = new Latencies();
        each.forEach(all::addAll);
        Load.log(label + ": " + all.count() + " of " + sends + " messages timed across, p99 " + all.ms(0.99)
                + " ms; Send answered p99 " + answered.ms(0.99) + " ms");
        result.put("seconds", seconds).put("sends", sends).put("per_s", sends / Math.max(seconds, window), 1)
                .latencies("", all).latencies("send_", answered)
                .put("expected", sends).put("delivered", marks.delivered() - deliveredBefore)
                .print();
    }

    /**
     * {@code count} Sends at {@code rate} per second over {@code connections} connections ({@link Paced}), marks
     * {@code first…}, spread over the chats in turn; each one's answer time, from when it was due, into
     * {@code answered} when given: it tells a slow sender from a slow path after it.
     */
    private static void paced(Marks marks, String send, String[] chats, String run, double rate, int connections,
                              long first, int count, Latencies answered) throws InterruptedException {
        Paced.run(send, rate, count, connections, (connection, i, due) -> {
            int chat = i % chats.length;
            long took = marks.send(connection, chats[chat], sender(run, chat), first + i, due);
            if (answered != null && took >= 0) {
                answered.add(took);
            }
        });
    }

    private static String sender(String run, int chat) {
        return "cross-" + run + "-" + chat;
    }
}
