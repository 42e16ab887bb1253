import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Send's own latency while the chat it sends to has {@code streams} open streams (0 for the reference): whatever
 * the service does for a chat's listeners must not make the sender wait. Sends go out at a steady {@code rate}
 * per second for {@code seconds}, on an open-loop schedule over {@code connections} keep-alive connections
 * ({@link Paced}) so that a slow answer does not hold back the schedule, and the rate is kept low enough that the
 * fan-out keeps up (the deliveries are counted): what is measured is the Send, not a backlog of deliveries.
 * Latency is from the moment a Send was due to its answer.
 *
 * <p>Args: {@code base streams rate seconds [warm=10] [connections=32] [label=service]}.
 */
final class SendWithStreams {

    private SendWithStreams() {
    }

    static void run(Args args) throws Exception {
        String base = args.get("base");
        String label = args.get("label", "service");
        int streamCount = args.integer("streams");
        double rate = args.decimal("rate");
        double seconds = args.decimal("seconds");
        int warm = args.integer("warm", 10);
        int connections = args.integer("connections", 32);
        String sender = "watched-sender-" + streamCount;
        String chat = Http.newChat(base, sender, "watched-reader-" + streamCount);
        Marks marks = new Marks();
        Result result = Result.of("send-streams", label).put("streams", streamCount).put("rate", rate);

        SseStreams.Opened opened = SseStreams.open(base, 0, streamCount, i -> chat, i -> "watcher-" + i, marks,
                System.nanoTime() + 120_000_000_000L);
        if (!opened.all(streamCount)) {
            result.error(opened.why(streamCount), opened.detail()).print();
            return;
        }
        List<SseStream> streams = opened.streams();
        // registration may finish after the headers: a first message must reach every stream before measuring
        if (marks.send(base, chat, sender, 0) < 0
                || !SseStreams.awaitAll(streams, 0, System.nanoTime() + 20_000_000_000L)) {
            result.error("the first message did not reach every stream within 20 s", null).print();
            return;
        }
        for (int i = 1; i <= warm; i++) {
            marks.send(base, chat, sender, i);
        }
        marks.awaitDelivered((long) (warm + 1) * streamCount, System.nanoTime() + 20_000_000_000L);

        int sends = (int) Math.round(rate * seconds);
        long[] took = new long[sends];
        long deliveredBefore = marks.delivered();
        AtomicLong lastAnswer = new AtomicLong();
        long start = System.nanoTime();
        Paced.run(base, rate, sends, connections, (connection, msg, due) -> {
            took[msg] = marks.send(connection, chat, sender, 1_000_000 + msg, due);
            lastAnswer.accumulateAndGet(System.nanoTime(), Math::max);
        });
        double window = (lastAnswer.get() - start) / 1e9; // longer than the schedule only if answers lagged
        long expected = (long) sends * streamCount;
        marks.awaitDelivered(deliveredBefore + expected, System.nanoTime() + 15_000_000_000L);
        Latencies latencies = new Latencies();
        int failed = 0;
        for (long t : took) {
            if (t > 0) {
                latencies.add(t);
            } else {
                failed++;
            }
        }
        Load.log(label + ": " + streamCount + " streams, " + latencies.count() + " Sends answered, p99 "
                + latencies.ms(0.99) + " ms");
        result.put("seconds", seconds).put("sends", sends).put("count", latencies.count())
                .put("per_s", latencies.count() / Math.max(seconds, window), 1)
                .latencies("", latencies)
                .put("errors", failed)
                .put("expected", expected).put("delivered", marks.delivered() - deliveredBefore)
                .print();
    }
}
