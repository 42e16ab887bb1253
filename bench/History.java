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
        ThreadLocalRandom rnd = ThreadLocalRandom.current();
        try (Http.Connection connection = new Http.Connection(base)) {
            for (String kind : new String[]{"newest", "middle", "after"}) {
                Asking asked = Asking.run(connection, "/chat/History", () -> switch (kind) {
                    case "newest" -> "{\"chat_id\":\"" + chat + "\"}";
                    case "middle" -> "{\"chat_id\":\"" + chat + "\",\"before\":"
                            + (last * 2 / 5 + rnd.nextLong(last / 5)) + "}";
                    default -> "{\"chat_id\":\"" + chat + "\",\"after\":" + rnd.nextLong(last - 50) + "}";
                }, "\"seq\":", 50, warm, requests, maxSeconds);
                asked.into(Result.of("history", label).put("page", kind)).print();
            }
        }
    }
}
