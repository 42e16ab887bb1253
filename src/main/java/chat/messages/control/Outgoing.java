package chat.messages.control;

import chat.chats.control.ChatIds;
import chat.chats.control.Texts;
import chat.problems.Problem;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * A message as a client asked to send it, validated. A missing {@code client_id} becomes a new UUID (so the send
 * is stored once, but cannot be retried safely, and cannot be a retry: {@code clientIdGiven} is false); a missing
 * subject is empty.
 */
public record Outgoing(String chatId, String userId, String clientId, boolean clientIdGiven, String subject,
                       String text, UUID replyTo) {

    public static final int MAX_SUBJECT_LENGTH = 1024;

    /**
     * @param call         the error id prefix, {@code chat.Send} or {@code chat.Connect}
     * @param maxTextBytes the largest text accepted, in UTF-8 bytes
     * @throws Problem 400 {@code <call>.MissingChatID}, {@code MissingUserID}, {@code MissingText} and
     *                 {@code Invalid*} for values that cannot be stored or ids with control characters; 413
     *                 {@code <call>.TextTooLarge}
     */
    public static Outgoing of(String call, String chatId, String userId, String clientId, String subject,
                              String text, int maxTextBytes) {
        return of(call, chatId, userId, clientId, subject, text, null, maxTextBytes);
    }

    /**
     * The same, replying to {@code replyTo} (null or empty: to nothing). Whether it is a message of the chat is
     * for the batch to check, in its statement.
     *
     * @throws Problem 400 {@code <call>.InvalidReplyTo} for a reply_to that cannot be a message id
     */
    public static Outgoing of(String call, String chatId, String userId, String clientId, String subject,
                              String text, String replyTo, int maxTextBytes) {
        ChatIds.require(chatId, call);
        if (userId == null || userId.isBlank()) {
            throw Problem.badRequest(call + ".MissingUserID", "user_id is required");
        }
        if (text == null || text.isEmpty()) {
            throw Problem.badRequest(call + ".MissingText", "text is required");
        }
        Texts.requireValid(userId, call + ".InvalidUserID", "user_id", Texts.MAX_ID_LENGTH);
        String client = clientId == null || clientId.isEmpty() ? UUID.randomUUID().toString() : clientId;
        Texts.requireValid(client, call + ".InvalidClientID", "client_id", Texts.MAX_ID_LENGTH);
        String subjectOrEmpty = subject == null ? "" : subject;
        Texts.requireValidText(subjectOrEmpty, call + ".InvalidSubject", "subject", MAX_SUBJECT_LENGTH);
        if (text.length() > maxTextBytes || text.getBytes(StandardCharsets.UTF_8).length > maxTextBytes) {
            throw Problem.tooLarge(call + ".TextTooLarge", "text is larger than " + maxTextBytes + " bytes");
        }
        Texts.requireValidText(text, call + ".InvalidText", "text", Integer.MAX_VALUE);
        UUID reply = null;
        if (replyTo != null && !replyTo.isEmpty()) {
            reply = ChatIds.parse(replyTo).orElseThrow(() -> invalidReplyTo(call));
        }
        return new Outgoing(chatId, userId, client, client.equals(clientId), subjectOrEmpty, text, reply);
    }

    public static Problem invalidReplyTo(String call) {
        return Problem.badRequest(call + ".InvalidReplyTo", "reply_to is not a message of this chat");
    }
}
