package chat.stream.boundary;

import chat.chats.boundary.Chats;
import chat.chats.control.ChatIds;
import chat.chats.control.Texts;
import chat.chats.entity.Chat;
import chat.identity.control.Caller;
import chat.problems.Problem;
import chat.stream.control.Cursor;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Instant;

/** Opening live streams: everything that can be refused is checked before the stream opens. */
@ApplicationScoped
public class Streams {

    static final String CALL = "chat.Connect";

    @Inject
    Chats chats;

    /**
     * A stream that may open: the chat, its newest seq when it was checked, where the stream starts, the acting
     * user, and when the caller's token expires (null: never).
     */
    record Opening(Chat chat, long lastSeq, long after, String userId, Instant expiresAt) {
    }

    /**
     * @throws Problem 400 {@code chat.Connect.MissingChatID}, {@code MissingUserID}, {@code InvalidUserID},
     *                 {@code InvalidLastEventID}; 403 {@code chat.Connect.Forbidden} for a user who is not a member
     *                 (or not the token's); 404 {@code chat.Connect.InvalidChatID}
     */
    Opening check(Caller caller, Connection connection) {
        String chatId = ChatIds.require(connection.chatId(), CALL);
        String userId = caller.actingUser(connection.userId(), CALL);
        Texts.requireValid(userId, CALL + ".InvalidUserID", "user_id", Texts.MAX_ID_LENGTH);
        Chat chat = chats.read(caller, chatId, userId, CALL);
        long lastSeq = chat.lastSeq();
        long after = Cursor.after(connection.lastEventIdHeader(), connection.lastEventIdQuery(), lastSeq);
        return new Opening(chat, lastSeq, after, userId, caller.expiresAt());
    }
}
