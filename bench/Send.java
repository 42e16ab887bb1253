import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.LongAdder;

/**
 * Durable Send, closed loop: each of N clients sends to one of {@code chats} (default 100) chats at random, waits
 * for the answer (given after the commit) and sends again. First {@code warmup} seconds at 16 clients, unmeasured
 * (the service's JIT warms up there, not in the first step), then for each client count of {@code clients}
 * {@code step_warmup} seconds unmeasured and {@code seconds} measured: throughput counts the Sends answered 200
 * within that window, latency is from just before the POST to its answer. One result per client count.
 *
 * <p>Args: {@code base clients=1,16,64 seconds [warmup=0] [step_warmup=1] [chats=100] [section=send]
 * [label=service]}; the section names the database behind the service ({@code send} for PostgreSQL,
 * {@code send-h2} for the embedded one, {@code send-fleet} for several instances). {@code base} may list several
 * instances of one fleet, comma separated: client i then sends through instance i mod n, so that Sends to a chat
 * come through every instance and contend for its row as they would behind a balancer.
 */
final class Send {

    private Send() {
    }

    static void run(Args args) throws Exception {
        String base = args.get("base");
        double seconds = args.decimal("seconds");
        String[] chats = newChats(base.split(",")[0], args.integer("chats", 100));
        double warmup = args.decimal("warmup", 0);
        if (warmup > 0) {
            measure(base, chats, 16, 0, warmup);
        }
        for (String c : args.get("clients").split(",")) {
            int clients = Integer.parseInt(c.trim());
            Outcome o = measure(base, chats, clients, args.decimal("step_warmup", 1), seconds);
            Result.of(args.get("section", "send"), args.get("label", "service"))
                    .put("clients", clients).put("seconds", seconds).put("count", o.latencies().count())
                    .put("per_s", o.latencies().count() / seconds, 1)
                    .latencies("", o.latencies())
                    .put("errors", o.errors())
                    .print();
        }
    }

    private record Outcome(Latencies latencies, long errors) {
    }

    private static Outcome measure(String base, String[] chats, int clients, double warmup, double seconds) {
        String[] bases = base.split(",");
        long measureFrom = System.nanoTime() + (long) (warmup * 1e9);
        long end = measureFrom + (long) (seconds * 1e9);
        List<Latencies> perClient = new ArrayList<>();
        LongAdder errors = new LongAdder();
        ConcurrentLinkedQueue<String> samples = new ConcurrentLinkedQueue<>();
        String run = Long.toString(System.nanoTime(), 36);
        try (ExecutorService ex = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int c = 0; c < clients; c++) {
                int client = c;
                Latencies mine = new Latencies();
                perClient.add(mine);
                ex.submit(() -> {
                    ThreadLocalRandom rnd = ThreadLocalRandom.current();
                    try (Http.Connection connection = new Http.Connection(bases[client % bases.length])) {
                        for (long k = 0; ; k++) {
                            long t0 = System.nanoTime();
                            if (t0 >= end) {
                                return;
                            }
                            int chat = rnd.nextInt(chats.length);
                            String body = Http.sendBody(chats[chat], "send-a-" + chat, run + "-" + client + "-" + k,
                                    "bench message " + k);
                            try {
                                Http.Answer a = connection.post("/chat/Send", body);
                                long t1 = System.nanoTime();
                                if (a.status() != 200) {
                                    errors.increment();
                                    if (samples.size() < 3) {
                                        samples.add(a.status() + " " + a.body());
                                    }
                                } else if (t0 >= measureFrom && t1 <= end) {
                                    mine.add(t1 - t0);
                                }
                            } catch (Exception e) {
                                errors.increment();
                                if (samples.size() < 3) {
                                    samples.add(e.toString());
                                }
                                Load.sleep(10);
                            }
                        }
                    }
                });
            }
        }
        Latencies all = new Latencies();
        perClient.forEach(all::addAll);
        if (!samples.isEmpty()) {
            Load.log("send errors at " + clients + " clients (" + errors.sum() + "), e.g. " + samples);
        }
        return new Outcome(all, errors.sum());
    }

    /** The chats sent to: chat i has members send-a-i and send-b-i, and Sends come from send-a-i. */
    private static String[] newChats(String base, int count) throws Exception {
        String[] chats = new String[count];
        try (ExecutorService ex = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<String>> ids = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                int chat = i;
                ids.add(ex.submit(() -> Http.newChat(base, "send-a-" + chat, "send-b-" + chat)));
            }
            for (int i = 0; i < count; i++) {
                chats[i] = ids.get(i).get();
            }
        }
        return chats;
    }
}
