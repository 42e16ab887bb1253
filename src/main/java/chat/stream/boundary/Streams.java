package chat.stream.boundary;

import chat.chats.boundary.Chats;
import chat.chats.control.ChatIds;
import chat.chats.control.Texts;
import chat.chats.entity.Chat;
import chat.problems.Problem;
import chat.stream.control.Cursor;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** Opening live streams: everything that can be refused is checked before the stream opens. */
@ApplicationScoped
public class Streams {

    static final String CALL = "chat.Connect";

    @Inject
    Chats chats;

    /** A stream that may open: the chat, its newest seq when it was checked, and where the stream starts. */
    record Opening(Chat chat, long lastSeq, long after) {
    }

    /**
     * @throws Problem 400 {@code chat.Connect.MissingChatID}, {@code MissingUserID}, {@code InvalidUserID},
     *                 {@code InvalidLastEventID}; 404 {@code chat.Connect.InvalidChatID}
     */
    Opening check(Connection connection) {
        String chatId = ChatIds.require(connection.chatId(), CALL);
        String userId = connection.userId();
        if (userId == null || userId.isBlank()) {
            throw Problem.badRequest(CALL + ".MissingUserID", "user_id is required");
        }
        Texts.requireValid(userId, CALL + ".InvalidUserID", "user_id", Texts.MAX_ID_LENGTH);
        Chat chat = chats.find(chatId, CALL);
        long lastSeq = chat.lastSeq();
        long after = Cursor.after(connection.lastEventIdHeader(), connection.lastEventIdQuery(), lastSeq);
        return new Opening(chat, lastSeq, after);
    }
}
