package chat.messages.boundary;

import chat.api.model.Reaction;
import chat.chats.boundary.Chats;
import chat.chats.control.ChatIds;
import chat.chats.entity.Chat;
import chat.identity.control.Caller;
import chat.messages.control.EditWindow;
import chat.messages.control.Emoji;
import chat.messages.control.Outgoing;
import chat.messages.control.Page;
import chat.messages.entity.Message;
import chat.problems.Problem;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * What happens to a message after it was sent: an edit, a deletion, reactions. Each is a change of the chat's one
 * sequence ({@link ChatEvents}): it checks the message and applies itself under the chat's row lock, so racing
 * changes to one chat are applied one after the other, and its event ({@code edited}, {@code deleted},
 * {@code reaction}) takes the chat's next seq in the same commit. A change that changes nothing (an edit to the
 * same text, a reaction already there) takes no seq. The message row keeps the current state, which every call
 * answers and History shows; reactions are counted when a page is read, in one query for the page.
 */
@ApplicationScoped
public class MessageLife {

    public static final String EDITED = "edited";
    public static final String DELETED = "deleted";
    public static final String REACTION = "reaction";

    @Inject
    ChatEvents events;

    @Inject
    Messages messages;

    @Inject
    @Named("chat")
    DataSource dataSource;

    @PersistenceContext(unitName = "chat")
    EntityManager em;

    @Inject
    @ConfigProperty(name = "chat.max-text-bytes", defaultValue = "65536")
    int maxTextBytes;

    @Inject
    @ConfigProperty(name = "chat.edit-window", defaultValue = "unlimited")
    String editWindowSetting;

    @Inject
    @ConfigProperty(name = "chat.reactions.max-emoji", defaultValue = "50")
    int maxEmoji;

    private EditWindow editWindow;

    @PostConstruct
    void configure() {
        editWindow = EditWindow.parse(editWindowSetting);
    }

    /** A message named by a request, in a chat of the caller's namespace. */
    private record Target(UUID chatId, UUID messageId) {
    }

    private static Target target(String call, String chatId, String messageId) {
        ChatIds.require(chatId, call);
        if (messageId == null || messageId.isEmpty()) {
            throw Problem.badRequest(call + ".MissingMessageID", "message_id is required");
        }
        UUID chat = ChatIds.parse(chatId).orElseThrow(() -> SendBatch.notFound(call));
        return new Target(chat, ChatIds.parse(messageId).orElseThrow(() -> messageNotFound(call)));
    }

    static Problem messageNotFound(String call) {
        return Problem.notFound(call + ".InvalidMessageID", "message not found in this chat");
    }

    /**
     * The sender replaces the text (and the subject, when given) of a message: within the edit window, unless the
     * caller is a backend, which may edit any message.
     *
     * @throws Problem 400 for invalid input (as Send's), {@code <call>.MessageDeleted}, {@code <call>.EditWindowClosed};
     *                 403 {@code <call>.Forbidden} for another user's message or a non-member; 404
     *                 {@code <call>.InvalidChatID}, {@code <call>.InvalidMessageID}; 413 {@code <call>.TextTooLarge}
     */
    public chat.api.model.Message edit(Caller caller, String call, String chatId, String userId, String messageId,
                                       String text, String subject) {
        Target target = target(call, chatId, messageId);
        String actor = caller.actingUser(userId, call);
        Outgoing edit = Outgoing.of(call, chatId, actor, null, subject, text, maxTextBytes);
        return change(caller, call, target, actor, (connection, message) -> {
            if (message.deleted()) {
                throw Problem.badRequest(call + ".MessageDeleted", "a deleted message cannot be edited");
            }
            mustBeSender(caller, call, actor, message, "edit");
            Instant now = Instant.now();
            if (caller.kind() != Caller.Kind.BACKEND && !editWindow.open(message.sentAt(), now)) {
                throw Problem.badRequest(call + ".EditWindowClosed",
                        "a message may be edited only within " + editWindow.length() + " of sending");
            }
            String newSubject = subject == null ? message.subject() : edit.subject();
            if (newSubject.equals(message.subject()) && edit.text().equals(message.text())) {
                return List.of();
            }
            try (PreparedStatement update = connection.prepareStatement(
                    "UPDATE messages SET text = ?, subject = ?, edited_at = ? WHERE id = ?")) {
                update.setString(1, edit.text());
                update.setString(2, newSubject);
                update.setObject(3, OffsetDateTime.ofInstant(now, ZoneOffset.UTC));
                update.setObject(4, message.id());
                update.executeUpdate();
            }
            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put("message_id", message.id().toString());
            fields.put("text", edit.text());
            fields.put("subject", newSubject);
            fields.put("edited_at", now.getEpochSecond());
            return List.of(new ChatEvents.Change(EDITED, actor, message.id(), fields));
        });
    }

    /**
     * The sender (or a backend) deletes a message: it becomes a tombstone, without text, subject or reactions.
     * Deleting a tombstone changes nothing.
     *
     * @throws Problem 403 {@code <call>.Forbidden}, 404 {@code <call>.InvalidChatID}, {@code InvalidMessageID}
     */
    public chat.api.model.Message delete(Caller caller, String call, String chatId, String userId, String messageId) {
        Target target = target(call, chatId, messageId);
        String actor = caller.actingUser(userId, call);
        return change(caller, call, target, actor, (connection, message) -> {
            mustBeSender(caller, call, actor, message, "delete");
            if (message.deleted()) {
                return List.of();
            }
            try (PreparedStatement update = connection.prepareStatement(
                    "UPDATE messages SET text = '', subject = '', deleted = TRUE WHERE id = ?");
                 PreparedStatement reactions = connection.prepareStatement(
                         "DELETE FROM reactions WHERE message_id = ?")) {
                update.setObject(1, message.id());
                update.executeUpdate();
                reactions.setObject(1, message.id());
                reactions.executeUpdate();
            }
            return List.of(new ChatEvents.Change(DELETED, actor, message.id(),
                    Map.of("message_id", message.id().toString())));
        });
    }

    /**
     * A member adds ({@code on}) or takes back their emoji on a message; each user has each emoji once per message.
     *
     * @throws Problem 400 {@code <call>.MissingEmoji}, {@code InvalidEmoji}, {@code MissingOn},
     *                 {@code MessageDeleted}, {@code TooManyEmoji}; 403, 404 as for an edit
     */
    public chat.api.model.Message react(Caller caller, String call, String chatId, String userId, String messageId,
                                        String emoji, Boolean on) {
        Target target = target(call, chatId, messageId);
        String actor = caller.actingUser(userId, call);
        Emoji.require(emoji, call);
        if (on == null) {
            throw Problem.badRequest(call + ".MissingOn", "on is required: true to add the reaction, false to take it back");
        }
        return change(caller, call, target, actor, (connection, message) -> {
            if (message.deleted()) {
                throw Problem.badRequest(call + ".MessageDeleted", "a deleted message takes no reactions");
            }
            boolean changed = on ? addReaction(connection, call, target, actor, emoji)
                    : removeReaction(connection, target, actor, emoji);
            if (!changed) {
                return List.of();
            }
            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put("message_id", message.id().toString());
            fields.put("emoji", emoji);
            fields.put("on", on);
            fields.put("count", count(connection, target, emoji));
            return List.of(new ChatEvents.Change(REACTION, actor, message.id(), fields));
        });
    }

    private boolean addReaction(Connection connection, String call, Target target, String user, String emoji)
            throws SQLException {
        boolean emojiThere = false;
        int distinct = 0;
        try (PreparedStatement read = connection.prepareStatement(
                "SELECT emoji, MAX(CASE WHEN user_id = ? THEN 1 ELSE 0 END) FROM reactions WHERE message_id = ?"
                        + " GROUP BY emoji")) {
            read.setString(1, user);
            read.setObject(2, target.messageId());
            try (ResultSet rows = read.executeQuery()) {
                while (rows.next()) {
                    distinct++;
                    if (rows.getString(1).equals(emoji)) {
                        if (rows.getInt(2) == 1) {
                            return false;
                        }
                        emojiThere = true;
                    }
                }
            }
        }
        if (!emojiThere && distinct >= maxEmoji) {
            throw Problem.badRequest(call + ".TooManyEmoji",
                    "a message takes at most " + maxEmoji + " different emoji");
        }
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO reactions (chat_id, message_id, user_id, emoji, reacted_at) VALUES (?, ?, ?, ?, ?)")) {
            insert.setObject(1, target.chatId());
            insert.setObject(2, target.messageId());
            insert.setString(3, user);
            insert.setString(4, emoji);
            insert.setObject(5, OffsetDateTime.now(ZoneOffset.UTC));
            insert.executeUpdate();
        }
        return true;
    }

    private static boolean removeReaction(Connection connection, Target target, String user, String emoji)
            throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement(
                "DELETE FROM reactions WHERE message_id = ? AND emoji = ? AND user_id = ?")) {
            delete.setObject(1, target.messageId());
            delete.setString(2, emoji);
            delete.setString(3, user);
            return delete.executeUpdate() == 1;
        }
    }

    private static int count(Connection connection, Target target, String emoji) throws SQLException {
        try (PreparedStatement count = connection.prepareStatement(
                "SELECT COUNT(*) FROM reactions WHERE message_id = ? AND emoji = ?")) {
            count.setObject(1, target.messageId());
            count.setString(2, emoji);
            try (ResultSet rows = count.executeQuery()) {
                rows.next();
                return rows.getInt(1);
            }
        }
    }

    private static void mustBeSender(Caller caller, String call, String actor, Message message, String what) {
        if (caller.kind() != Caller.Kind.BACKEND && !message.userId().equals(actor)) {
            throw Caller.forbidden(call, "only the sender may " + what + " a message");
        }
    }

    /** A change to one message, applied under the chat's lock to the message as it is then. */
    @FunctionalInterface
    private interface MessageChange {
        List<ChatEvents.Change> apply(Connection connection, Message message) throws SQLException;
    }

    /** Applies the change and answers the message as the change left it, with its reactions as the actor sees them. */
    private chat.api.model.Message change(Caller caller, String call, Target target, String actor,
                                          MessageChange change) {
        Message[] after = new Message[1];
        List<Reaction>[] reactions = new List[1];
        events.append(caller, call, target.chatId(), (connection, chat) -> {
            if (caller.authenticated() && !member(connection, target.chatId(), actor)) {
                throw SendBatch.notMember(call);
            }
            Message message = read(connection, target).orElseThrow(() -> messageNotFound(call));
            List<ChatEvents.Change> made = change.apply(connection, message);
            after[0] = made.isEmpty() ? message : read(connection, target).orElseThrow();
            reactions[0] = reactions(connection, List.of(target.messageId()), actor)
                    .getOrDefault(target.messageId(), List.of());
            return made;
        });
        return MessageModels.of(after[0], reactions[0]);
    }

    private static boolean member(Connection connection, UUID chatId, String user) throws SQLException {
        try (PreparedStatement member = connection.prepareStatement(
                "SELECT 1 FROM chat_members WHERE chat_id = ? AND user_id = ?")) {
            member.setObject(1, chatId);
            member.setString(2, user);
            try (ResultSet rows = member.executeQuery()) {
                return rows.next();
            }
        }
    }

    /** The message (kind message) of the chat, as it is now. */
    private static Optional<Message> read(Connection connection, Target target) throws SQLException {
        try (PreparedStatement read = connection.prepareStatement(
                "SELECT id, chat_id, seq, client_id, user_id, subject, text, sent_at, edited_at, deleted, reply_to"
                        + " FROM messages WHERE id = ? AND chat_id = ? AND kind = 'message'")) {
            read.setObject(1, target.messageId());
            read.setObject(2, target.chatId());
            try (ResultSet rows = read.executeQuery()) {
                return rows.next() ? Optional.of(message(rows)) : Optional.empty();
            }
        }
    }

    /**
     * A message from a row of id, chat_id, seq, client_id, user_id, subject, text, sent_at, edited_at, deleted,
     * reply_to.
     */
    static Message message(ResultSet rows) throws SQLException {
        OffsetDateTime edited = rows.getObject(9, OffsetDateTime.class);
        return Message.stored(rows.getObject(1, UUID.class), rows.getObject(2, UUID.class), rows.getLong(3),
                        rows.getString(4), rows.getString(5), rows.getString(6), rows.getString(7),
                        rows.getObject(8, OffsetDateTime.class).toInstant())
                .withState(edited == null ? null : edited.toInstant(), rows.getBoolean(10),
                        rows.getObject(11, UUID.class));
    }

    /**
     * The reactions of these messages, per message, each emoji in the order it was first given, {@code mine} for
     * {@code reader} (null: nobody's): one query whatever the number of messages.
     */
    static Map<UUID, List<Reaction>> reactions(Connection connection, List<UUID> messageIds, String reader)
            throws SQLException {
        Map<UUID, List<Reaction>> found = new HashMap<>();
        if (messageIds.isEmpty()) {
            return found;
        }
        String sql = "SELECT message_id, emoji, COUNT(*), MAX(CASE WHEN user_id = ? THEN 1 ELSE 0 END),"
                + " MIN(reacted_at) FROM reactions WHERE message_id IN ("
                + String.join(", ", Collections.nCopies(messageIds.size(), "?"))
                + ") GROUP BY message_id, emoji ORDER BY 5, 2";
        try (PreparedStatement read = connection.prepareStatement(sql)) {
            read.setString(1, Objects.requireNonNullElse(reader, ""));
            int p = 2;
            for (UUID id : messageIds) {
                read.setObject(p++, id);
            }
            try (ResultSet rows = read.executeQuery()) {
                while (rows.next()) {
                    found.computeIfAbsent(rows.getObject(1, UUID.class), id -> new ArrayList<>())
                            .add(new Reaction().emoji(rows.getString(2)).count(rows.getInt(3)).mine(rows.getInt(4) == 1));
                }
            }
        }
        return found;
    }

    /** A History page as its reader sees it: the messages' current state with their reactions. */
    public List<chat.api.model.Message> history(Caller caller, String call, String chatId, String userId, Page page) {
        List<Message> found = messages.history(caller, call, chatId, userId, page);
        return withReactions(found, caller.actingUserIfAny(userId, call).orElse(null));
    }

    /** A page of messages as {@code reader} sees them: with their reactions, read in one query for the page. */
    public List<chat.api.model.Message> withReactions(List<Message> page, String reader) {
        List<UUID> ids = page.stream().filter(message -> !message.deleted()).map(Message::id).toList();
        Map<UUID, List<Reaction>> reactions;
        if (ids.isEmpty()) {
            reactions = Map.of();
        } else {
            try (Connection connection = dataSource.getConnection()) {
                reactions = reactions(connection, ids, reader);
            } catch (SQLException e) {
                throw new IllegalStateException("cannot read the reactions of a page", e);
            }
        }
        return page.stream().map(message -> MessageModels.of(message, reactions.get(message.id()))).toList();
    }

    /**
     * The chat's events after {@code after}, oldest first, at most {@code limit} (0 or null: 100; at most 1000):
     * what Connect replays after that Last-Event-ID. For a reader as History has.
     *
     * @throws Problem 400 {@code <call>.InvalidAfter}, {@code InvalidLimit} for negative values; 403, 404 as History
     */
    @Transactional
    public List<Message> changes(Caller caller, String call, String chatId, String userId, Long after, Integer limit) {
        ChatIds.require(chatId, call);
        if (after != null && after < 0) {
            throw Problem.badRequest(call + ".InvalidAfter", "after must not be negative");
        }
        if (limit != null && limit < 0) {
            throw Problem.badRequest(call + ".InvalidLimit", "limit must not be negative");
        }
        String reader = caller.actingUserIfAny(userId, call).orElse(null);
        Chat chat = Chats.read(em, caller, chatId, reader, call);
        Page page = Page.between(after == null ? 0 : after, Long.MAX_VALUE,
                limit == null || limit == 0 ? 100 : limit);
        return em.createNamedQuery(Message.RANGE_OLDEST_FIRST, Message.class)
                .setParameter(1, chat.id())
                .setParameter(2, page.after())
                .setParameter(3, page.before())
                .setMaxResults(page.limit())
                .getResultList();
    }
}
