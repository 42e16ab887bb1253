package chat.chats.control;

import chat.problems.Problem;

import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Chat ids are UUIDs in their canonical 36-character form. {@link UUID#fromString} alone accepts odd forms
 * ({@code 1-2-3-4-5}); an id that is not canonical names no chat.
 */
public final class ChatIds {

    private static final Pattern CANONICAL =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private ChatIds() {
    }

    /**
     * @throws Problem 400 {@code <call>.MissingChatID} when the id is missing or empty
     */
    public static String require(String chatId, String call) {
        if (chatId == null || chatId.isEmpty()) {
            throw Problem.badRequest(call + ".MissingChatID", "chat_id is required");
        }
        return chatId;
    }

    public static Optional<UUID> parse(String chatId) {
        if (chatId == null || !CANONICAL.matcher(chatId).matches()) {
            return Optional.empty();
        }
        return Optional.of(UUID.fromString(chatId));
    }
}
