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
            String body = "{\"user_id\":\"" + me + "\"}";
            Asking asked = Asking.run(connection, "/chat/List", () -> body, "\"unread\":", 50, warm, requests,
                    Double.MAX_VALUE);
            asked.into(Result.of("list", label).put("chats", chats)).print();
        }
    }
}
