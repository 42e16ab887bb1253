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
        ThreadLocalRandom rnd = ThreadLocalRandom.current();
        try (Http.Connection connection = new Http.Connection(base)) {
            Asking asked = Asking.run(connection, "/chat/Search", () -> {
                String word = String.format("topic%04d", rnd.nextInt(10_000));
                String query = rnd.nextBoolean() ? word : word.substring(0, word.length() - 1);
                return "{\"user_id\":\"" + user + "\",\"query\":\"" + query + "\"}";
            }, "\"seq\":", 20, warm, requests, maxSeconds);
            asked.into(Result.of("search", label)).print();
        }
    }
}
