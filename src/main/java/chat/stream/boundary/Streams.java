package chat.stream.boundary;

import chat.chats.boundary.Chats;
import chat.chats.control.ChatIds;
import chat.chats.control.Texts;
import chat.chats.entity.Chat;
import chat.problems.Problem;
import chat.stream.control.Cursor;
import chat.stream.control.Subscribers;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;

/** Opening live streams: everything that can be refused is checked before the stream opens. */
@ApplicationScoped
public class Streams {

    static final String CALL = "chat.Connect";

    @Inject
    Chats chats;

    @Inject
    Subscribers subscribers;

    /**
     * @throws Problem 400 {@code chat.Connect.MissingChatID}, {@code MissingUserID}, {@code InvalidUserID},
     *                 {@code InvalidLastEventID}; 404 {@code chat.Connect.InvalidChatID}
     */
    public void open(Connection connection, SseEventSink sink, Sse sse) {
        Chat chat = find(connection);
        long lastSeq = chat.lastSeq();
        long after = Cursor.after(connection.lastEventIdHeader(), connection.lastEventIdQuery(), lastSeq);
        subscribers.open(chat.id(), lastSeq, connection.userId(), connection.echo(), after, sink, sse);
    }

    private Chat find(Connection connection) {
        String chatId = ChatIds.require(connection.chatId(), CALL);
        String userId = connection.userId();
        if (userId == null || userId.isBlank()) {
            throw Problem.badRequest(CALL + ".MissingUserID", "user_id is required");
        }
        Texts.requireValid(userId, CALL + ".InvalidUserID", "user_id", Texts.MAX_ID_LENGTH);
        return chats.find(chatId, CALL);
    }
}
