import java.util.concurrent.ThreadLocalRandom;

/**
 * History in a long chat, from one client: the newest page, a page in the middle ({@code before}) and catching up
 * ({@code after}), {@code requests} of each after {@code warm} unmeasured ones (at most {@code seconds} per kind).
 * Every answer must be a 200 with 50 messages, or it counts as an error.
 *
 * <p>Args: {@code base chat last requests [warm=200] [seconds=60] [label=service]}; {@code last} is the chat's
 * newest seq.
 */
final class History {

    private History() {
    }

    static void run(Args args) throws Exception {
        String base = args.get("base");
        String label = args.get("label", "service");
        String chat = args.get("chat");
        long last = Long.parseLong(args.get("last"));
        int requests = args.integer("requests", 1000);
        int warm = args.integer("warm", 200);
        double maxSeconds = args.decimal("seconds", 60);
        for (String kind : new String[]{"newest", "middle", "after"}) {
            Latencies latencies = new Latencies();
            ThreadLocalRandom rnd = ThreadLocalRandom.current();
            int bad = 0;
            double sum = 0;
            long stopAt = System.nanoTime() + (long) (maxSeconds * 1e9);
            Http.Connection connection = new Http.Connection(base);
            for (int i = -warm; i < requests && System.nanoTime() < stopAt; i++) {
                String body = switch (kind) {
                    case "newest" -> "{\"chat_id\":\"" + chat + "\"}";
                    case "middle" -> "{\"chat_id\":\"" + chat + "\",\"before\":"
                            + (last * 2 / 5 + rnd.nextLong(last / 5)) + "}";
                    default -> "{\"chat_id\":\"" + chat + "\",\"after\":" + rnd.nextLong(last - 50) + "}";
                };
                long t0 = System.nanoTime();
                Http.Answer a = connection.post("/chat/History", body);
                long t1 = System.nanoTime();
                int messages = count(a.body(), "\"seq\":");
                if ((a.status() != 200 || messages != 50) && bad++ == 0) {
                    Load.log("History " + kind + " answered " + a.status() + " with " + messages + " messages");
                }
                if (i >= 0) {
                    latencies.add(t1 - t0);
                    sum += t1 - t0;
                }
            }
            connection.close();
            int done = latencies.count();
            Result.of("history", label).put("page", kind).put("requests", done)
                    .put("p50_ms", latencies.ms(0.50)).put("p99_ms", latencies.ms(0.99))
                    .put("per_s", done == 0 ? null : Result.round(done / (sum / 1e9), 0))
                    .put("errors", bad)
                    .print();
        }
    }

    static int count(String s, String needle) {
        int n = 0;
        for (int i = s.indexOf(needle); i >= 0; i = s.indexOf(needle, i + 1)) {
            n++;
        }
        return n;
    }
}
