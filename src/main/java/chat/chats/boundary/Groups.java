package chat.chats.boundary;

import chat.chats.control.ChatIds;
import chat.chats.control.ChatView;
import chat.chats.control.ListCursor;
import chat.chats.control.Members;
import chat.chats.control.Texts;
import chat.chats.entity.Chat;
import chat.identity.control.Caller;
import chat.messages.boundary.ChatEvents;
import chat.messages.boundary.ChatEvents.Change;
import chat.messages.entity.Message;
import chat.problems.Problem;
import chat.problems.UnexpectedProblemMapper;
import chat.stream.boundary.Ephemera;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;

/**
 * Conversations (issue 14): named groups and their members, "my chats" with unread counts, read markers and typing.
 *
 * <p>Every membership change is a change event of {@link ChatEvents}: it locks the chat's row, checks its rules
 * against the state under the lock, and takes the chat's next seq, so streams receive it in order with the messages
 * and replay it by Last-Event-ID ({@code created}, {@code joined}, {@code left}, {@code kicked},
 * {@code chat_deleted}; the member acted upon is the event's {@code member}, its {@code user_id} the one who acted).
 * A chat made by New is defined by its set of users, so its membership never changes.
 *
 * <p>Unlike Send, these calls check membership whatever the authentication: what they do depends on it (who may
 * invite, whose marker moves).
 */
@ApplicationScoped
public class Groups {

    public static final int MAX_NAME = 255;
    public static final int MAX_DESCRIPTION = 1024;
    /** List counts unread messages among this many of a chat's newest events at most (so its cost is bounded). */
    public static final int UNREAD_WINDOW = 1000;
    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 1000;

    @Inject
    ChatEvents events;

    @Inject
    Ephemera ephemera;

    @Inject
    @Named("chat")
    DataSource dataSource;

    /** One entry of List. */
    public record Listed(ChatView chat, Message lastMessage, int unread, long lastReadSeq) {
    }

    /** A page of List, and where the next one starts (null: this was the last). */
    public record Listing(List<Listed> chats, ListCursor next) {
    }

    /** A group as its rules see it, read under the chat's lock. */
    private record Group(String kind, String owner, boolean isPrivate, boolean deleted) {
    }

    /**
     * Makes a named group with the caller as owner; a repeated {@code clientId} of the same owner answers the group
     * made the first time.
     */
    public ChatView create(Caller caller, String userId, String name, String description, List<String> userIds,
                           Boolean isPrivate, String clientId) {
        String call = "chat.Create";
        String owner = actor(caller, userId, call);
        if (name == null || name.isBlank()) {
            throw Problem.badRequest(call + ".MissingName", "name is required");
        }
        Texts.requireValid(name, call + ".InvalidName", "name", MAX_NAME);
        String about = description == null ? "" : description;
        Texts.requireValidText(about, call + ".InvalidDescription", "description", MAX_DESCRIPTION);
        if (clientId != null) {
            Texts.requireValid(clientId, call + ".InvalidClientID", "client_id", Texts.MAX_ID_LENGTH);
        }
        List<String> others = userIds == null ? List.of() : userIds;
        var all = new ArrayList<>(others);
        all.add(owner);
        Members members = Members.of(all, call);
        boolean closed = Boolean.TRUE.equals(isPrivate);
        UUID[] made = new UUID[1];
        events.append(caller, call, connection -> {
            made[0] = open(connection, caller.namespace(), owner, name, about, closed, clientId, members);
            return made[0];
        }, (connection, chat) -> chat.lastSeq() > 0 ? List.of()
                : List.of(new Change("created", owner, null, Map.of("chat", fields(view(connection, chat.id()))))));
        return read(made[0]);
    }

    /** Adds users to a group: any member of a public group may, only the owner of a private one. */
    public ChatView invite(Caller caller, String chatId, String userId, List<String> userIds) {
        String call = "chat.Invite";
        String actor = actor(caller, userId, call);
        UUID id = chatId(chatId, call);
        Members invited = Members.of(userIds, call);
        return change(caller, call, id, (connection, group, present) -> {
            requireMember(present, actor, call);
            if (group.isPrivate() && !actor.equals(group.owner())) {
                throw Caller.forbidden(call, "only the owner may invite to a private group");
            }
            List<String> added = invited.userIds().stream().filter(user -> !present.contains(user)).toList();
            if (present.size() + added.size() > Members.MAX_USERS) {
                throw Problem.badRequest(call + ".TooManyUserIDs", "a chat has at most " + Members.MAX_USERS
                        + " users");
            }
            admit(connection, id, added);
            return added.stream().map(user -> new Change("joined", actor, null, Map.of("member", user))).toList();
        });
    }

    /** The caller leaves a group; its owner cannot (they delete it). Their streams of the chat end. */
    public ChatView leave(Caller caller, String chatId, String userId) {
        String call = "chat.Leave";
        String actor = actor(caller, userId, call);
        UUID id = chatId(chatId, call);
        return change(caller, call, id, (connection, group, present) -> {
            requireMember(present, actor, call);
            if (actor.equals(group.owner())) {
                throw Problem.badRequest(call + ".Owner", "the owner cannot leave the group; delete it instead");
            }
            remove(connection, id, List.of(actor));
            return List.of(new Change("left", actor, null, Map.of("member", actor)));
        });
    }

    /** The owner removes members; users who are not members are left alone. Their streams of the chat end. */
    public ChatView kick(Caller caller, String chatId, String userId, List<String> userIds) {
        String call = "chat.Kick";
        String actor = actor(caller, userId, call);
        UUID id = chatId(chatId, call);
        Members kicked = Members.of(userIds, call);
        return change(caller, call, id, (connection, group, present) -> {
            requireOwner(group, present, actor, call);
            if (kicked.userIds().contains(actor)) {
                throw Problem.badRequest(call + ".Owner", "the owner cannot kick themselves; delete the group instead");
            }
            List<String> gone = kicked.userIds().stream().filter(present::contains).toList();
            remove(connection, id, gone);
            return gone.stream().map(user -> new Change("kicked", actor, null, Map.of("member", user))).toList();
        });
    }

    /**
     * The owner deletes a group: its members are removed and the chat is answered 404 from then on; its streams get
     * a final {@code chat_deleted} event and end. Answers the group as it was.
     */
    public ChatView delete(Caller caller, String chatId, String userId) {
        String call = "chat.Delete";
        String actor = actor(caller, userId, call);
        UUID id = chatId(chatId, call);
        ChatView[] before = new ChatView[1];
        change(caller, call, id, (connection, group, present) -> {
            requireOwner(group, present, actor, call);
            before[0] = view(connection, id);
            try (PreparedStatement members = connection.prepareStatement("DELETE FROM chat_members WHERE chat_id = ?");
                 PreparedStatement mark = connection.prepareStatement(
                         "UPDATE chats SET deleted_at = ? WHERE id = ?")) {
                members.setObject(1, id);
                members.executeUpdate();
                mark.setObject(1, OffsetDateTime.now(ZoneOffset.UTC));
                mark.setObject(2, id);
                mark.executeUpdate();
            }
            return List.of(new Change("chat_deleted", actor, null, Map.of()));
        });
        return before[0];
    }

    /**
     * List's statement, after a cursor or from the newest. Its parameters: the acting user (for the unread count),
     * the namespace, the user, the cursor's activity twice and chat id, the page's size plus one. The user's
     * chats are joined by key with {@link Chat#namespaceIs}: see there, and ListPlanTest.
     */
    static String listStatement(boolean afterCursor) {
        String activity = "COALESCE(e.sent_at, ch.created_at)";
        return "SELECT p.chat_id, p.read_seq, p.activity, c.kind, c.name, c.description, c.owner, c.private,"
                + " c.created_at,"
                + " (SELECT COUNT(*) FROM messages u WHERE u.chat_id = p.chat_id AND u.seq > p.read_seq"
                + " AND u.seq > c.last_seq - " + UNREAD_WINDOW + " AND u.kind = 'message' AND u.user_id <> ?),"
                + " lm.id, lm.client_id, lm.user_id, lm.subject, lm.text, lm.sent_at, lm.seq"
                + " FROM (SELECT m.chat_id, m.read_seq, " + activity + " AS activity"
                + " FROM chat_members m JOIN chats ch ON ch.id = m.chat_id AND " + Chat.namespaceIs("ch")
                + " LEFT JOIN messages e ON e.chat_id = ch.id AND e.seq = ch.last_seq"
                + " WHERE m.user_id = ?"
                + (afterCursor ? " AND (" + activity + " < ? OR (" + activity + " = ? AND m.chat_id < ?))" : "")
                + " ORDER BY activity DESC, m.chat_id DESC LIMIT ?) p"
                + " JOIN chats c ON c.id = p.chat_id"
                + " LEFT JOIN messages lm ON lm.chat_id = p.chat_id AND lm.seq = (SELECT MAX(x.seq) FROM messages x"
                + " WHERE x.chat_id = p.chat_id AND x.kind = 'message')"
                + " ORDER BY p.activity DESC, p.chat_id DESC";
    }

    /**
     * The caller's chats, most recent activity (the time of the chat's newest event, else its creation) first.
     * One statement for the page: the user's memberships (read from the index alone), each chat's newest event by
     * its (chat_id, seq) key, sorted and cut to the page; then, for the page's chats only, the unread count (others'
     * messages after the marker among the chat's newest {@value #UNREAD_WINDOW} events) and the newest message.
     */
    public Listing list(Caller caller, String userId, Integer limit, String before) {
        String call = "chat.List";
        String actor = actor(caller, userId, call);
        if (limit != null && limit < 0) {
            throw Problem.badRequest(call + ".InvalidLimit", "limit must not be negative");
        }
        int size = limit == null || limit == 0 ? DEFAULT_LIMIT : Math.min(limit, MAX_LIMIT);
        ListCursor cursor = before == null || before.isEmpty() ? null : ListCursor.parse(before);
        String sql = listStatement(cursor != null);
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setQueryTimeout(5);
            int p = 1;
            statement.setString(p++, actor);
            statement.setString(p++, caller.namespace());
            statement.setString(p++, actor);
            if (cursor != null) {
                OffsetDateTime at = OffsetDateTime.ofInstant(cursor.activity(), ZoneOffset.UTC);
                statement.setObject(p++, at);
                statement.setObject(p++, at);
                statement.setObject(p++, cursor.chatId());
            }
            statement.setInt(p, size + 1);
            List<Listed> found = new ArrayList<>();
            List<ListCursor> cursors = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    UUID id = rows.getObject(1, UUID.class);
                    Instant createdAt = rows.getObject(9, OffsetDateTime.class).toInstant();
                    ChatView chat = new ChatView(id, rows.getString(4), rows.getString(5), rows.getString(6),
                            owner(rows.getString(7)), List.of(), rows.getBoolean(8), createdAt);
                    Message last = rows.getObject(11) == null ? null : Message.stored(rows.getObject(11, UUID.class),
                            id, rows.getLong(17), rows.getString(12), rows.getString(13), rows.getString(14),
                            rows.getString(15), rows.getObject(16, OffsetDateTime.class).toInstant());
                    found.add(new Listed(chat, last, rows.getInt(10), rows.getLong(2)));
                    cursors.add(ListCursor.of(rows.getObject(3, OffsetDateTime.class).toInstant(), id));
                }
            }
            ListCursor next = found.size() > size ? cursors.get(size - 1) : null;
            List<Listed> page = found.subList(0, Math.min(size, found.size()));
            Map<UUID, List<String>> members = members(connection, page.stream().map(l -> l.chat().id()).toList());
            return new Listing(page.stream().map(l -> new Listed(withMembers(l.chat(), members), l.lastMessage(),
                    l.unread(), l.lastReadSeq())).toList(), next);
        } catch (SQLException e) {
            throw UnexpectedProblemMapper.problem(e);
        }
    }

    /**
     * Moves the caller's read marker forward to {@code seq}, never back: the UPDATE only applies to a smaller
     * marker, so racing Reads leave the greatest. Other members' streams receive {@code event: read} when it moved.
     * Answers the marker after the call.
     */
    public long read(Caller caller, String chatId, String userId, Long seq) {
        String call = "chat.Read";
        String actor = actor(caller, userId, call);
        UUID id = chatId(chatId, call);
        if (seq == null) {
            throw Problem.badRequest(call + ".MissingSeq", "seq is required");
        }
        if (seq < 0) {
            throw Problem.badRequest(call + ".InvalidSeq", "seq must not be negative");
        }
        try (Connection connection = dataSource.getConnection()) {
            long marker = memberMarker(connection, caller, id, actor, call, seq);
            if (seq <= marker) {
                return marker;
            }
            try (PreparedStatement update = connection.prepareStatement(
                    "UPDATE chat_members SET read_seq = ? WHERE chat_id = ? AND user_id = ? AND read_seq < ?")) {
                update.setQueryTimeout(5);
                update.setLong(1, seq);
                update.setObject(2, id);
                update.setString(3, actor);
                update.setLong(4, seq);
                if (update.executeUpdate() == 0) {
                    // a racing Read moved it at least as far
                    return memberMarker(connection, caller, id, actor, call, seq);
                }
            }
        } catch (SQLException e) {
            throw UnexpectedProblemMapper.problem(e);
        }
        ephemera.read(id, actor, seq);
        return seq;
    }

    /** Tells the chat's other members' streams that the caller types (or stopped); nothing is stored. */
    public boolean typing(Caller caller, String chatId, String userId, Boolean typing) {
        String call = "chat.Typing";
        String actor = actor(caller, userId, call);
        UUID id = chatId(chatId, call);
        if (typing == null) {
            throw Problem.badRequest(call + ".MissingTyping", "typing is required (true or false)");
        }
        try (Connection connection = dataSource.getConnection()) {
            memberMarker(connection, caller, id, actor, call, 0);
        } catch (SQLException e) {
            throw UnexpectedProblemMapper.problem(e);
        }
        ephemera.typing(id, actor, typing);
        return typing;
    }

    /** The chat as it is now, for a caller of its namespace. */
    private ChatView read(UUID id) {
        try (Connection connection = dataSource.getConnection()) {
            return view(connection, id);
        } catch (SQLException e) {
            throw UnexpectedProblemMapper.problem(e);
        }
    }

    /** A membership change, checked and applied under the chat's lock; answers the chat after it. */
    @FunctionalInterface
    private interface MemberChange {
        List<Change> apply(Connection connection, Group group, java.util.Set<String> present) throws SQLException;
    }

    private ChatView change(Caller caller, String call, UUID id, MemberChange change) {
        ChatView[] after = new ChatView[1];
        events.append(caller, call, id, (connection, chat) -> {
            Group group = group(connection, id, call);
            List<Change> made = change.apply(connection, group, new TreeSet<>(members(connection, List.of(id))
                    .getOrDefault(id, List.of())));
            after[0] = view(connection, id);
            return made;
        });
        return after[0];
    }

    private static Group group(Connection connection, UUID id, String call) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT kind, owner, private, deleted_at FROM chats WHERE id = ?")) {
            select.setObject(1, id);
            try (ResultSet rows = select.executeQuery()) {
                if (!rows.next() || rows.getObject(4) != null) {
                    throw notFound(call);
                }
                Group group = new Group(rows.getString(1), rows.getString(2), rows.getBoolean(3), false);
                if (!Chat.GROUP.equals(group.kind())) {
                    throw Problem.badRequest(call + ".DirectChat", "a chat made by New is defined by its users:"
                            + " its membership cannot change (Create makes a group whose membership can)");
                }
                return group;
            }
        }
    }

    private static void requireMember(java.util.Set<String> present, String actor, String call) {
        if (!present.contains(actor)) {
            throw Caller.forbidden(call, "only members of the chat may do this");
        }
    }

    private static void requireOwner(Group group, java.util.Set<String> present, String actor, String call) {
        requireMember(present, actor, call);
        if (!actor.equals(group.owner())) {
            throw Caller.forbidden(call, "only the owner of the group may do this");
        }
    }

    private static void admit(Connection connection, UUID id, List<String> users) throws SQLException {
        eachMember(connection, "INSERT INTO chat_members (chat_id, user_id) VALUES (?, ?)", id, users);
    }

    private static void remove(Connection connection, UUID id, List<String> users) throws SQLException {
        eachMember(connection, "DELETE FROM chat_members WHERE chat_id = ? AND user_id = ?", id, users);
    }

    /** Runs a statement of (chat_id, user_id) once per user, in one batch. */
    private static void eachMember(Connection connection, String sql, UUID id, List<String> users)
            throws SQLException {
        if (users.isEmpty()) {
            return;
        }
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (String user : users) {
                statement.setObject(1, id);
                statement.setString(2, user);
                statement.addBatch();
            }
            statement.executeBatch();
        }
    }

    /**
     * The caller's read marker in a chat of their namespace, after checking that {@code seq} is not beyond the
     * chat's newest event.
     */
    private static long memberMarker(Connection connection, Caller caller, UUID id, String actor, String call,
                                     long seq) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT c.namespace, c.deleted_at, c.last_seq,"
                + " m.read_seq FROM chats c LEFT JOIN chat_members m ON m.chat_id = c.id AND m.user_id = ?"
                + " WHERE c.id = ?")) {
            select.setQueryTimeout(5);
            select.setString(1, actor);
            select.setObject(2, id);
            try (ResultSet rows = select.executeQuery()) {
                if (!rows.next() || !caller.namespace().equals(rows.getString(1)) || rows.getObject(2) != null) {
                    throw notFound(call);
                }
                long marker = rows.getLong(4);
                if (rows.wasNull()) {
                    throw Caller.forbidden(call, "only members of the chat may do this");
                }
                if (seq > rows.getLong(3)) {
                    throw Problem.badRequest(call + ".InvalidSeq", "seq is beyond the chat's newest event ("
                            + rows.getLong(3) + ")");
                }
                return marker;
            }
        }
    }

    /** Inserts the group and its members, unless the owner made it before with this client_id. */
    private static UUID open(Connection connection, String namespace, String owner, String name, String description,
                             boolean isPrivate, String clientId, Members members) throws SQLException {
        UUID existing = clientId == null ? null : byClientId(connection, namespace, owner, clientId);
        if (existing != null) {
            return existing;
        }
        UUID id = UUID.randomUUID();
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO chats (id, namespace, members_key,"
                + " last_seq, created_at, kind, name, description, owner, private, client_id)"
                + " VALUES (?, ?, ?, 0, ?, 'group', ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
            insert.setObject(1, id);
            insert.setString(2, namespace);
            insert.setString(3, "group:" + id);
            insert.setObject(4, OffsetDateTime.now(ZoneOffset.UTC));
            insert.setString(5, name);
            insert.setString(6, description);
            insert.setString(7, owner);
            insert.setBoolean(8, isPrivate);
            insert.setString(9, clientId);
            if (insert.executeUpdate() == 0) {
                // a racing retry with the same client_id won
                return byClientId(connection, namespace, owner, clientId);
            }
        }
        admit(connection, id, members.userIds());
        return id;
    }

    private static UUID byClientId(Connection connection, String namespace, String owner, String clientId)
            throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT id FROM chats WHERE namespace = ? AND owner = ? AND client_id = ?")) {
            select.setString(1, namespace);
            select.setString(2, owner);
            select.setString(3, clientId);
            try (ResultSet rows = select.executeQuery()) {
                return rows.next() ? rows.getObject(1, UUID.class) : null;
            }
        }
    }

    /** The chat with its members, as it is on this connection. */
    static ChatView view(Connection connection, UUID id) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT kind, name, description, owner, private, created_at FROM chats WHERE id = ?")) {
            select.setObject(1, id);
            try (ResultSet rows = select.executeQuery()) {
                if (!rows.next()) {
                    throw new IllegalStateException("chat vanished: " + id);
                }
                return new ChatView(id, rows.getString(1), rows.getString(2), rows.getString(3),
                        owner(rows.getString(4)), members(connection, List.of(id)).getOrDefault(id, List.of()),
                        rows.getBoolean(5), rows.getObject(6, OffsetDateTime.class).toInstant());
            }
        }
    }

    private static String owner(String owner) {
        return owner == null ? "" : owner;
    }

    /** The members of these chats, each sorted. */
    private static Map<UUID, List<String>> members(Connection connection, List<UUID> chats) throws SQLException {
        Map<UUID, List<String>> members = new LinkedHashMap<>();
        if (chats.isEmpty()) {
            return members;
        }
        try (PreparedStatement select = connection.prepareStatement("SELECT chat_id, user_id FROM chat_members"
                + " WHERE chat_id IN (" + String.join(", ", Collections.nCopies(chats.size(), "?")) + ")"
                + " ORDER BY chat_id, user_id")) {
            for (int i = 0; i < chats.size(); i++) {
                select.setObject(i + 1, chats.get(i));
            }
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    members.computeIfAbsent(rows.getObject(1, UUID.class), k -> new ArrayList<>())
                            .add(rows.getString(2));
                }
            }
        }
        return members;
    }

    private static ChatView withMembers(ChatView chat, Map<UUID, List<String>> members) {
        return new ChatView(chat.id(), chat.kind(), chat.name(), chat.description(), chat.owner(),
                members.getOrDefault(chat.id(), List.of()), chat.isPrivate(), chat.createdAt());
    }

    /** The chat as events carry it: the wire form's fields. */
    static Map<String, Object> fields(ChatView chat) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("chat_id", chat.id().toString());
        fields.put("kind", chat.kind());
        fields.put("name", chat.name());
        fields.put("description", chat.description());
        fields.put("owner", chat.owner());
        fields.put("user_ids", chat.userIds());
        fields.put("private", chat.isPrivate());
        fields.put("created_at", chat.createdAt().getEpochSecond());
        return fields;
    }

    private static String actor(Caller caller, String userId, String call) {
        String actor = caller.actingUser(userId, call);
        Texts.requireValid(actor, call + ".InvalidUserID", "user_id", Texts.MAX_ID_LENGTH);
        return actor;
    }

    private static UUID chatId(String chatId, String call) {
        return ChatIds.parse(ChatIds.require(chatId, call)).orElseThrow(() -> notFound(call));
    }

    private static Problem notFound(String call) {
        return Problem.notFound(call + ".InvalidChatID", "chat not found with this id");
    }
}
