/**
 * List (issue 14) for a user in many chats, from one client: {@code chats} groups are created with the user in each,
 * {@code messages} messages from another member go to every {@code every}-th of them (so some have unread ones),
 * then the first page of List (50 chats, most recent activity first, with unread counts) is asked {@code requests}
 * times after {@code warm} unmeasured ones. Every answer must be a 200 with 50 chats, or it counts as an error.
 *
 * <p>Args: {@code base [chats=1000] [messages=3] [every=3] [requests=1000] [warm=200] [label=service]}.
 */
final class ListChats {

    private ListChats() {
    }

    static void run(Args args) throws Exception {
        String base = args.get("base");
        String label = args.get("label", "service");
        int chats = args.integer("chats", 1000);
        int messages = args.integer("messages", 3);
        int every = args.integer("every", 3);
        int requests = args.integer("requests", 1000);
        int warm = args.integer("warm", 200);
        String me = "list-" + Long.toHexString(System.nanoTime());
        String other = me + "-other";
        try (Http.Connection connection = new Http.Connection(base)) {
            for (int i = 0; i < chats; i++) {
                Http.Answer made = connection.post("/chat/Create", "{\"user_id\":\"" + other + "\",\"name\":\"g" + i
                        + "\",\"user_ids\":[\"" + me + "\"]}");
                if (made.status() != 200) {
                    throw new IllegalStateException("Create answered " + made.status() + ": " + made.body());
                }
                if (i % every == 0) {
                    String chat = made.body().replaceAll(".*\"chat_id\":\"([^\"]+)\".*", "$1");
                    for (int m = 0; m < messages; m++) {
                        connection.post("/chat/Send", "{\"chat_id\":\"" + chat + "\",\"user_id\":\"" + other
                                + "\",\"text\":\"m" + m + "\"}");
                    }
                }
            }
            Latencies latencies = new Latencies();
            int bad = 0;
            String body = "{\"user_id\":\"" + me + "\"}";
            for (int i = -warm; i < requests; i++) {
                long t0 = System.nanoTime();
                Http.Answer a = connection.post("/chat/List", body);
                long t1 = System.nanoTime();
                int listed = History.count(a.body(), "\"unread\":");
                if ((a.status() != 200 || listed != 50) && bad++ == 0) {
                    Load.log("List answered " + a.status() + " with " + listed + " chats");
                }
                if (i >= 0) {
                    latencies.add(t1 - t0);
                }
            }
            Result.of("list", label).put("chats", chats).put("requests", latencies.count())
                    .put("p50_ms", latencies.ms(0.50)).put("p99_ms", latencies.ms(0.99)).put("errors", bad)
                    .print();
        }
    }
}
