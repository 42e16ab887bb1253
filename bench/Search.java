import java.util.concurrent.ThreadLocalRandom;

/**
 * Search over a chat set loaded by bench/search-load.sql, from one client: half the queries one whole topic word
 * ({@code topic0123}, a few hundred matches), half a prefix one digit shorter ({@code topic012}, ten times as
 * many), {@code requests} of them after {@code warm} unmeasured ones (at most {@code seconds}). Every answer must
 * be a 200 with 20 messages (the page), or with every match where the set has fewer ({@code rows} messages, each
 * topic word in one of 10,000: {@code bench/run --quick} loads too few for a whole word to fill a page), or it
 * counts as an error.
 *
 * <p>Args: {@code base user requests [rows=1000000] [warm=200] [seconds=60] [label=service]}.
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
        long rows = args.integer("rows", 1_000_000);
        int wholeWord = (int) Math.min(20, rows / 10_000);
        int prefix = (int) Math.min(20, rows / 1_000);
        ThreadLocalRandom rnd = ThreadLocalRandom.current();
        try (Http.Connection connection = new Http.Connection(base)) {
            Asking asked = Asking.run(connection, "/chat/Search", () -> {
                String word = String.format("topic%04d", rnd.nextInt(10_000));
                String query = rnd.nextBoolean() ? word : word.substring(0, word.length() - 1);
                return "{\"user_id\":\"" + user + "\",\"query\":\"" + query + "\"}";
            }, "\"seq\":", body -> body.matches(".*\"topic\\d{4}\".*") ? wholeWord : prefix, warm, requests,
                    maxSeconds);
            asked.into(Result.of("search", label)).print();
        }
    }
}
