package chat.messages.boundary;

import chat.identity.control.Caller;
import chat.messages.control.Outgoing;
import chat.messages.entity.Message;
import chat.problems.Problem;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Writes one batch of Sends in the caller's transaction, with a fixed number of statements whatever its size:
 * <ol>
 *     <li>one look-up of the senders' memberships (while authentication is on) and of earlier messages with the
 *     same (chat, user, client_id), for the Sends that gave a client_id;</li>
 *     <li>one statement that locks each chat and reserves exactly as many seqs as it has new messages
 *     ({@code last_seq = last_seq + k}), after the look-up, so that a retried or refused Send never takes a seq:
 *     a burnt seq would be a gap, which every client reads as a lost message;</li>
 *     <li>one multi-row insert of the new messages.</li>
 * </ol>
 * Each Send gets its own outcome: its message (new, or the one stored the first time for a retry), or the
 * problem that refuses it alone (no such chat in its namespace, not a member). Two Sends of one batch with the same
 * (chat, user, client_id) (a client retrying before its first try was answered) get the same message.
 *
 * <p>Plain JDBC rather than JPA on this one path, because it is the hot one: the entity manager would issue one
 * statement per row and per chat, and the JTA interceptor's commit path cost about half the service's CPU per
 * Send (bench/run). Everything else stays JPA.
 */
final class SendBatch {

    /** A Send waiting for its batch. */
    record Item(Caller caller, String call, UUID chatId, Outgoing outgoing, Instant sentAt) {
        /** Whether the sender gave its own client_id: only then can the Send be a retry of an earlier one. */
        boolean retryable() {
            return outgoing.clientIdGiven();
        }

        Key key() {
            return new Key(chatId, outgoing.userId(), outgoing.clientId());
        }
    }

    /** What became of one Send: its message, whether this batch stored it, or the problem that refused it. */
    record Outcome(Message message, boolean stored, Problem problem) {
        static Outcome refused(Problem problem) {
            return new Outcome(null, false, problem);
        }
    }

    private record Key(UUID chatId, String userId, String clientId) {
    }

    private record Member(UUID chatId, String userId) {
    }

    /** The SQL that differs between PostgreSQL and H2 in PostgreSQL mode. */
    enum Dialect {
        POSTGRESQL, H2;

        static Dialect of(Connection connection) throws SQLException {
            return connection.getMetaData().getDatabaseProductName().toLowerCase().contains("h2") ? H2 : POSTGRESQL;
        }
    }

    private final Dialect dialect;

    SendBatch(Dialect dialect) {
        this.dialect = dialect;
    }

    /** The outcome of each item, in the items' order; the caller commits. */
    List<Outcome> write(Connection connection, List<Item> items) throws SQLException {
        Lookup lookup = lookUp(connection, items);
        Outcome[] outcomes = new Outcome[items.size()];
        Map<Key, Integer> firstOfKey = new HashMap<>();
        Map<UUID, List<Integer>> newByChat = new LinkedHashMap<>();
        Map<UUID, String> namespaceOfChat = new HashMap<>();
        for (int i = 0; i < items.size(); i++) {
            Item item = items.get(i);
            String namespace = item.caller().namespace();
            if (lookup.done() && !namespace.equals(lookup.namespaces().get(item.chatId()))) {
                // no such chat, or one of another namespace: answered alike
                outcomes[i] = Outcome.refused(notFound(item.call()));
                continue;
            }
            Message earlier = item.retryable() ? lookup.earlier().get(item.key()) : null;
            if (earlier != null) {
                outcomes[i] = new Outcome(earlier, false, null);
            } else if (item.caller().authenticated()
                    && !lookup.members().contains(new Member(item.chatId(), item.outgoing().userId()))) {
                outcomes[i] = Outcome.refused(notMember(item.call()));
            } else if (firstOfKey.putIfAbsent(item.key(), i) == null) {
                String claimed = namespaceOfChat.putIfAbsent(item.chatId(), namespace);
                if (claimed != null && !claimed.equals(namespace)) {
                    // the same chat id named from two namespaces: it belongs to one of them at most
                    firstOfKey.remove(item.key());
                    outcomes[i] = Outcome.refused(notFound(item.call()));
                } else {
                    newByChat.computeIfAbsent(item.chatId(), chat -> new ArrayList<>()).add(i);
                }
            }
        }
        Map<UUID, Long> lastSeqs = reserve(connection, newByChat, namespaceOfChat);
        List<Message> inserts = new ArrayList<>();
        for (var chat : newByChat.entrySet()) {
            Long last = lastSeqs.get(chat.getKey());
            List<Integer> indexes = chat.getValue();
            long seq = last == null ? 0 : last - indexes.size();
            for (int i : indexes) {
                Item item = items.get(i);
                if (last == null) {
                    outcomes[i] = Outcome.refused(notFound(item.call()));
                    continue;
                }
                Outgoing outgoing = item.outgoing();
                Message message = new Message(item.chatId(), ++seq, outgoing.clientId(), outgoing.userId(),
                        outgoing.subject(), outgoing.text(), item.sentAt());
                inserts.add(message);
                outcomes[i] = new Outcome(message, true, null);
            }
        }
        insert(connection, inserts);
        for (int i = 0; i < items.size(); i++) {
            if (outcomes[i] == null) {
                // a repeat within this batch: what its first got
                Outcome first = outcomes[firstOfKey.get(items.get(i).key())];
                outcomes[i] = new Outcome(first.message(), false, first.problem());
            }
        }
        return List.of(outcomes);
    }

    /**
     * What the batch's chats are: their namespaces, the senders that are members, earlier messages of retried
     * Sends. {@code done} is false when nothing needed looking up (no retryable Send, no authenticated caller):
     * then a chat's existence is learnt from the reservation.
     */
    private record Lookup(boolean done, Map<UUID, String> namespaces, Set<Member> members, Map<Key, Message> earlier) {
    }

    /** The batch's chats, memberships and earlier messages, in one statement. */
    private Lookup lookUp(Connection connection, List<Item> items) throws SQLException {
        Set<UUID> chats = new HashSet<>();
        Set<Member> askMembers = new HashSet<>();
        Set<Key> askEarlier = new HashSet<>();
        for (Item item : items) {
            chats.add(item.chatId());
            if (item.caller().authenticated()) {
                askMembers.add(new Member(item.chatId(), item.outgoing().userId()));
            }
            if (item.retryable()) {
                askEarlier.add(item.key());
            }
        }
        Map<UUID, String> namespaces = new HashMap<>();
        Set<Member> members = new HashSet<>();
        Map<Key, Message> earlier = new HashMap<>();
        if (askMembers.isEmpty() && askEarlier.isEmpty()) {
            return new Lookup(false, namespaces, members, earlier);
        }
        String none = "CAST(NULL AS VARCHAR(255)), CAST(NULL AS UUID), CAST(0 AS BIGINT), CAST(NULL AS VARCHAR(1024)),"
                + " CAST(NULL AS VARCHAR), CAST(NULL AS TIMESTAMP WITH TIME ZONE)";
        var sql = new StringBuilder("SELECT 'c', id, namespace, ").append(none)
                .append(" FROM chats WHERE id IN (").append(tuples(chats.size(), "?")).append(")");
        if (!askMembers.isEmpty()) {
            sql.append(" UNION ALL SELECT 'm', chat_id, user_id, ").append(none)
                    .append(" FROM chat_members WHERE (chat_id, user_id) IN (")
                    .append(tuples(askMembers.size(), "(?, ?)")).append(")");
        }
        if (!askEarlier.isEmpty()) {
            sql.append(" UNION ALL SELECT 'd', chat_id, user_id, client_id, id, seq, subject, text, sent_at")
                    .append(" FROM messages WHERE (chat_id, user_id, client_id) IN (")
                    .append(tuples(askEarlier.size(), "(?, ?, ?)")).append(")");
        }
        try (PreparedStatement statement = connection.prepareStatement(sql.toString())) {
            int p = 1;
            for (UUID chat : chats) {
                statement.setObject(p++, chat);
            }
            for (Member member : askMembers) {
                statement.setObject(p++, member.chatId());
                statement.setString(p++, member.userId());
            }
            for (Key key : askEarlier) {
                statement.setObject(p++, key.chatId());
                statement.setString(p++, key.userId());
                statement.setString(p++, key.clientId());
            }
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    UUID chatId = rows.getObject(2, UUID.class);
                    String name = rows.getString(3);
                    switch (rows.getString(1)) {
                        case "c" -> namespaces.put(chatId, name);
                        case "m" -> members.add(new Member(chatId, name));
                        default -> {
                            String clientId = rows.getString(4);
                            earlier.put(new Key(chatId, name, clientId), Message.stored(rows.getObject(5, UUID.class),
                                    chatId, rows.getLong(6), clientId, name, rows.getString(7), rows.getString(8),
                                    rows.getObject(9, OffsetDateTime.class).toInstant()));
                        }
                    }
                }
            }
        }
        return new Lookup(true, namespaces, members, earlier);
    }

    /**
     * Locks each chat and reserves as many seqs as it has new messages; answers each chat's newest seq after the
     * reservation. A chat that does not exist in the namespace is missing from the answer.
     */
    private Map<UUID, Long> reserve(Connection connection, Map<UUID, List<Integer>> newByChat,
                                    Map<UUID, String> namespaceOfChat) throws SQLException {
        Map<UUID, Long> lastSeqs = new HashMap<>();
        if (newByChat.isEmpty()) {
            return lastSeqs;
        }
        if (dialect == Dialect.POSTGRESQL) {
            String sql = "UPDATE chats c SET last_seq = c.last_seq + v.k FROM (VALUES "
                    + tuples(newByChat.size(), "(CAST(? AS UUID), CAST(? AS VARCHAR), CAST(? AS BIGINT))")
                    + ") AS v(id, namespace, k) WHERE c.id = v.id AND c.namespace = v.namespace"
                    + " RETURNING c.id, c.last_seq";
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                int p = 1;
                for (var chat : newByChat.entrySet()) {
                    statement.setObject(p++, chat.getKey());
                    statement.setString(p++, namespaceOfChat.get(chat.getKey()));
                    statement.setLong(p++, chat.getValue().size());
                }
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        lastSeqs.put(rows.getObject(1, UUID.class), rows.getLong(2));
                    }
                }
            }
            return lastSeqs;
        }
        // H2 has no UPDATE ... RETURNING; it runs in this process, so statements cost no round trips
        try (PreparedStatement update = connection.prepareStatement(
                "UPDATE chats SET last_seq = last_seq + ? WHERE id = ? AND namespace = ?");
             PreparedStatement read = connection.prepareStatement("SELECT last_seq FROM chats WHERE id = ?")) {
            for (var chat : newByChat.entrySet()) {
                update.setLong(1, chat.getValue().size());
                update.setObject(2, chat.getKey());
                update.setString(3, namespaceOfChat.get(chat.getKey()));
                if (update.executeUpdate() == 1) {
                    read.setObject(1, chat.getKey());
                    try (ResultSet rows = read.executeQuery()) {
                        rows.next();
                        lastSeqs.put(chat.getKey(), rows.getLong(1));
                    }
                }
            }
        }
        return lastSeqs;
    }

    private static void insert(Connection connection, List<Message> messages) throws SQLException {
        if (messages.isEmpty()) {
            return;
        }
        String sql = "INSERT INTO messages (id, chat_id, seq, client_id, user_id, subject, text, sent_at) VALUES "
                + tuples(messages.size(), "(?, ?, ?, ?, ?, ?, ?, ?)");
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            int p = 1;
            for (Message message : messages) {
                statement.setObject(p++, message.id());
                statement.setObject(p++, message.chatId());
                statement.setLong(p++, message.seq());
                statement.setString(p++, message.clientId());
                statement.setString(p++, message.userId());
                statement.setString(p++, message.subject());
                statement.setString(p++, message.text());
                statement.setObject(p++, OffsetDateTime.ofInstant(message.sentAt(), ZoneOffset.UTC));
            }
            statement.executeUpdate();
        }
    }

    private static String tuples(int count, String tuple) {
        return String.join(", ", java.util.Collections.nCopies(count, tuple));
    }

    static Problem notFound(String call) {
        return Problem.notFound(call + ".InvalidChatID", "chat not found with this id");
    }

    static Problem notMember(String call) {
        return Caller.forbidden(call, "only members of the chat may do this");
    }
}
