package chat.chats.control;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A chat as calls answer it: a {@code direct} chat of New (no name, no owner, fixed users) or a named
 * {@code group} of Create.
 *
 * @param userIds the members, sorted
 */
public record ChatView(UUID id, String kind, String name, String description, String owner, List<String> userIds,
                       boolean isPrivate, Instant createdAt) {
}
