package chat.stream.boundary;

import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.QueryParam;

/**
 * What a client says when it connects: the chat and user from the query or, like micro's metadata, from the
 * {@code chat-id} / {@code user-id} headers; where to resume; whether to get its own messages too.
 */
public class Connection {

    @QueryParam("chat_id")
    String chatIdQuery;

    @HeaderParam("chat-id")
    String chatIdHeader;

    @QueryParam("user_id")
    String userIdQuery;

    @HeaderParam("user-id")
    String userIdHeader;

    @QueryParam("echo")
    @DefaultValue("false")
    boolean echo;

    @HeaderParam("Last-Event-ID")
    String lastEventIdHeader;

    @QueryParam("last_event_id")
    String lastEventIdQuery;

    public String chatId() {
        return firstPresent(chatIdQuery, chatIdHeader);
    }

    public String userId() {
        return firstPresent(userIdQuery, userIdHeader);
    }

    public boolean echo() {
        return echo;
    }

    public String lastEventIdHeader() {
        return lastEventIdHeader;
    }

    public String lastEventIdQuery() {
        return lastEventIdQuery;
    }

    private static String firstPresent(String query, String header) {
        return query != null && !query.isEmpty() ? query : header;
    }
}
