import java.util.concurrent.ThreadLocalRandom;

/**
 * Search over a chat set loaded by bench/search-load.sql, from one client: half the queries one whole topic word
 * ({@code topic0123}, a few hundred matches), half a prefix one digit shorter ({@code topic012}, ten times as
 * many), {@code requests} of them after {@code warm} unmeasured ones (at most {@code seconds}). Every answer must
 * be a 200 with 20 messages, or it counts as an error.
 *
 * <p>Args: {@code base user requests [warm=200] [seconds=60] [label=service]}.
 */
final class Search {

    private Search() {
    }

    static void run(Args args) throws Exception {
        String base = args.get("base");
        String label = args.get("label", "service");
        String user = args.get("user");
        int requests = args.integer("requests", 1000);
        int warm = args.integer("warm", 200);
        double maxSeconds = args.decimal("seconds", 60);
        Latencies latencies = new Latencies();
        ThreadLocalRandom rnd = ThreadLocalRandom.current();
        int bad = 0;
        double sum = 0;
        long stopAt = System.nanoTime() + (long) (maxSeconds * 1e9);
        Http.Connection connection = new Http.Connection(base);
        for (int i = -warm; i < requests && System.nanoTime() < stopAt; i++) {
            String word = String.format("topic%04d", rnd.nextInt(10_000));
            String query = rnd.nextBoolean() ? word : word.substring(0, word.length() - 1);
            String body = "{\"user_id\":\"" + user + "\",\"query\":\"" + query + "\"}";
            long t0 = System.nanoTime();
            Http.Answer a = connection.post("/chat/Search", body);
            long t1 = System.nanoTime();
            int messages = History.count(a.body(), "\"seq\":");
            if ((a.status() != 200 || messages != 20) && bad++ == 0) {
                Load.log("Search " + query + " answered " + a.status() + " with " + messages + " messages");
            }
            if (i >= 0) {
                latencies.add(t1 - t0);
                sum += t1 - t0;
            }
        }
        connection.close();
        int done = latencies.count();
        Result.of("search", label).put("requests", done)
                .put("p50_ms", latencies.ms(0.50)).put("p99_ms", latencies.ms(0.99))
                .put("per_s", done == 0 ? null : Result.round(done / (sum / 1e9), 0))
                .put("errors", bad)
                .print();
    }
}
