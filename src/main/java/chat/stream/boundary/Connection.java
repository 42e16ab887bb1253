package chat.stream.boundary;

import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;

/**
 * What a client says when it connects: the chat and user from the query or, like micro's metadata, from the
 * {@code chat-id} / {@code user-id} headers; where to resume ({@code Last-Event-ID}, or {@code last_event_id} on a
 * first connect); whether to get its own messages too ({@code echo=true}).
 */
record Connection(String chatId, String userId, boolean echo, String lastEventIdHeader, String lastEventIdQuery) {

    private static final HeaderName CHAT_ID = HeaderNames.create("chat-id");
    private static final HeaderName USER_ID = HeaderNames.create("user-id");
    private static final HeaderName LAST_EVENT_ID = HeaderNames.create("Last-Event-ID");

    static Connection of(ServerRequest request) {
        var query = request.query();
        var headers = request.headers();
        return new Connection(
                firstPresent(query.first("chat_id").orElse(null), headers.first(CHAT_ID).orElse(null)),
                firstPresent(query.first("user_id").orElse(null), headers.first(USER_ID).orElse(null)),
                Boolean.parseBoolean(query.first("echo").orElse("false")),
                headers.first(LAST_EVENT_ID).orElse(null),
                query.first("last_event_id").orElse(null));
    }

    private static String firstPresent(String query, String header) {
        return query != null && !query.isEmpty() ? query : header;
    }
}
