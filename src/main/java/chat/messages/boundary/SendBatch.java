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
 * Writes one batch of Sends in the caller's transaction, with a fixed number of statements whatever its size.
 * For each Send, in this order: the chat must exist in the caller's namespace and not be deleted (else 404, exactly like a chat that
 * does not exist); a Send that gave a client_id the sender already used in this chat is a retry, answered with the
 * message stored the first time; while authentication is on the sender must be a member (else 403); the rest are
 * new. Each chat's row is locked and its {@code last_seq} raised by exactly its number of new messages, after
 * these checks, so that a retried or refused Send never takes a seq: a burnt seq would be a gap, which every
 * client reads as a lost message. Two Sends of one batch with the same (chat, user, client_id) (a client retrying
 * before its first try was answered) get the same message.
 *
 * <p>On PostgreSQL all of it is one statement (a lone Send costs one round trip and the commit), after one that
 * locks the batch's chats in id order when it has several, so that instances sharing a database never deadlock
 * on them; H2 runs in this process, where statements cost no round trips, and lacks the SQL for that, so it takes
 * the same steps one statement each.
 *
 * <p>Plain JDBC rather than JPA on this one path, because it is the hot one: the entity manager issued one
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
            return new Key(caller.namespace(), chatId, outgoing.userId(), outgoing.clientId());
        }
    }

    /** What became of one Send: its message, whether this batch stored it, or the problem that refused it. */
    record Outcome(Message message, boolean stored, Problem problem) {
        static Outcome refused(Problem problem) {
            return new Outcome(null, false, problem);
        }
    }

    private record Key(String namespace, UUID chatId, String userId, String clientId) {
    }

    private record Member(UUID chatId, String userId) {
    }

    /** A sender's client_id in a chat: what makes a Send a retry. */
    private record Sent(UUID chatId, String userId, String clientId) {
        static Sent of(Item item) {
            return new Sent(item.chatId(), item.outgoing().userId(), item.outgoing().clientId());
        }
    }

    /** The SQL that differs between PostgreSQL and H2 in PostgreSQL mode. */
    enum Dialect {
        POSTGRESQL, H2;

        static Dialect of(Connection connection) throws SQLException {
            return connection.getMetaData().getDatabaseProductName().toLowerCase().contains("h2") ? H2 : POSTGRESQL;
        }
    }

    private final Dialect dialect;
    private final int timeoutSeconds;

    /** @param timeoutSeconds how long each statement may take, waits for locks included */
    SendBatch(Dialect dialect, int timeoutSeconds) {
        this.dialect = dialect;
        this.timeoutSeconds = timeoutSeconds;
    }

    private PreparedStatement prepare(Connection connection, String sql) throws SQLException {
        PreparedStatement statement = connection.prepareStatement(sql);
        statement.setQueryTimeout(timeoutSeconds);
        return statement;
    }

    /** The outcome of each item, in the items' order; the caller commits. */
    List<Outcome> write(Connection connection, List<Item> items) throws SQLException {
        // a repeat within the batch (a client retrying before its first try was answered) shares its first's fate
        List<Item> firsts = new ArrayList<>();
        int[] firstOf = new int[items.size()];
        Map<Key, Integer> seen = new HashMap<>();
        for (int i = 0; i < items.size(); i++) {
            Integer first = seen.putIfAbsent(items.get(i).key(), firsts.size());
            if (first == null) {
                firstOf[i] = firsts.size();
                firsts.add(items.get(i));
            } else {
                firstOf[i] = first;
            }
        }
        List<Outcome> written = dialect == Dialect.POSTGRESQL
                ? inOneStatement(connection, firsts)
                : stepByStep(connection, firsts);
        List<Outcome> outcomes = new ArrayList<>(items.size());
        boolean[] answered = new boolean[firsts.size()];
        for (int i = 0; i < items.size(); i++) {
            Outcome outcome = written.get(firstOf[i]);
            outcomes.add(answered[firstOf[i]] ? new Outcome(outcome.message(), false, outcome.problem()) : outcome);
            answered[firstOf[i]] = true;
        }
        return outcomes;
    }

    /**
     * PostgreSQL: the whole batch in one statement, so that a lone Send costs one round trip and the commit. Its
     * parts, in order: the items whose chat exists in their namespace; earlier messages of retried ones; those of
     * senders who must be members and are not; the rest are new, counted per chat; each chat's row is locked and
     * its {@code last_seq} raised by that count; the new messages are numbered from the reserved range and inserted.
     * It answers one row per item that is new ('n', its seq), a retry ('e', the earlier message) or refused
     * ('x'); an item without a row has no chat in its namespace.
     */
    private List<Outcome> inOneStatement(Connection connection, List<Item> items) throws SQLException {
        lockInOrder(connection, items);
        boolean replies = replies(items);
        List<UUID> ids = new ArrayList<>(items.size());
        try (PreparedStatement statement = prepare(connection, statement(items.size(), replies))) {
            bind(statement, items, replies, ids);
            Outcome[] outcomes = new Outcome[items.size()];
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    int i = rows.getInt(2);
                    Item item = items.get(i);
                    Outgoing outgoing = item.outgoing();
                    outcomes[i] = switch (rows.getString(1)) {
                        case "n" -> new Outcome(Message.stored(ids.get(i), item.chatId(), rows.getLong(3),
                                outgoing.clientId(), outgoing.userId(), outgoing.subject(), outgoing.text(),
                                item.sentAt()).withState(null, false, outgoing.replyTo()), true, null);
                        case "e" -> new Outcome(Message.stored(rows.getObject(4, UUID.class), item.chatId(),
                                rows.getLong(3), outgoing.clientId(), outgoing.userId(), rows.getString(5),
                                rows.getString(6), rows.getObject(7, OffsetDateTime.class).toInstant())
                                .withState(null, false, rows.getObject(8, UUID.class)), false, null);
                        case "r" -> Outcome.refused(Outgoing.invalidReplyTo(item.call()));
                        default -> Outcome.refused(notMember(item.call()));
                    };
                }
            }
            for (int i = 0; i < outcomes.length; i++) {
                if (outcomes[i] == null) {
                    outcomes[i] = Outcome.refused(notFound(items.get(i).call()));
                }
            }
            return List.of(outcomes);
        }
    }

    /**
     * Whether the batch has a reply. A batch without replies runs the seed's statement (plus reply_to in the
     * earlier message's row): the reply check and its column cost planning and work that plain Sends, nearly all
     * of them, need not pay.
     */
    static boolean replies(List<Item> items) {
        return items.stream().anyMatch(item -> item.outgoing().replyTo() != null);
    }

    /** The PostgreSQL statement for a batch of {@code size} Sends (see {@link #inOneStatement}). */
    static String statement(int size, boolean replies) {
        String replyColumn = replies ? ", reply_to" : "";
        return "WITH input (ord, chat_id, namespace, user_id, client_id, retry, check_member, id, subject, text,"
                + " sent_at" + replyColumn + ") AS (VALUES " + tuples(size, "(CAST(? AS INTEGER),"
                + " CAST(? AS UUID), CAST(? AS VARCHAR), CAST(? AS VARCHAR), CAST(? AS VARCHAR), CAST(? AS BOOLEAN),"
                + " CAST(? AS BOOLEAN), CAST(? AS UUID), CAST(? AS VARCHAR), CAST(? AS VARCHAR),"
                + " CAST(? AS TIMESTAMPTZ)" + (replies ? ", CAST(? AS UUID)" : "") + ")") + ")"
                // each item's chat by its primary key, a probe per item whatever the statistics say: as a join, a
                // chats table not analysed yet looked like one row with deleted_at IS NULL and the plan scanned all
                // of chats once per item; a probe that names the namespace beside the id may take the wrong index
                // (see Chat.inNamespace), so the namespace is compared on the row found
                + ", known AS (SELECT i.* FROM input i WHERE (SELECT c.namespace FROM chats c WHERE c.id = i.chat_id"
                + " AND c.deleted_at IS NULL) = i.namespace)"
                + ", earlier AS (SELECT k.ord, m.id, m.seq, m.subject, m.text, m.sent_at, m.reply_to FROM known k"
                + " JOIN messages m"
                + " ON k.retry AND m.chat_id = k.chat_id AND m.user_id = k.user_id AND m.client_id = k.client_id)"
                + ", refused AS (SELECT k.ord FROM known k WHERE k.check_member"
                + " AND NOT EXISTS (SELECT 1 FROM earlier e WHERE e.ord = k.ord)"
                + " AND NOT EXISTS (SELECT 1 FROM chat_members cm WHERE cm.chat_id = k.chat_id AND cm.user_id = k.user_id))"
                // a reply must name a message of its own chat (not a change event, not another chat's message)
                + (replies ? ", misreplied AS (SELECT k.ord FROM known k WHERE k.reply_to IS NOT NULL"
                + " AND NOT EXISTS (SELECT 1 FROM earlier e WHERE e.ord = k.ord)"
                + " AND NOT EXISTS (SELECT 1 FROM refused r WHERE r.ord = k.ord)"
                + " AND NOT EXISTS (SELECT 1 FROM messages m WHERE m.id = k.reply_to AND m.chat_id = k.chat_id"
                + " AND m.kind = 'message'))" : "")
                + ", fresh AS (SELECT k.* FROM known k WHERE NOT EXISTS (SELECT 1 FROM earlier e WHERE e.ord = k.ord)"
                + " AND NOT EXISTS (SELECT 1 FROM refused r WHERE r.ord = k.ord)"
                + (replies ? " AND NOT EXISTS (SELECT 1 FROM misreplied r WHERE r.ord = k.ord)" : "") + ")"
                + ", counts AS (SELECT chat_id, COUNT(*) AS k FROM fresh GROUP BY chat_id)"
                + ", bumped AS (UPDATE chats c SET last_seq = c.last_seq + counts.k FROM counts"
                + " WHERE c.id = counts.chat_id RETURNING c.id, c.last_seq)"
                + ", numbered AS (SELECT f.*, b.last_seq - n.k + ROW_NUMBER() OVER (PARTITION BY f.chat_id ORDER BY f.ord)"
                + " AS seq FROM fresh f JOIN counts n ON n.chat_id = f.chat_id JOIN bumped b ON b.id = f.chat_id)"
                + ", inserted AS (INSERT INTO messages (id, chat_id, seq, client_id, user_id, subject, text, sent_at"
                + replyColumn + ") SELECT id, chat_id, seq, client_id, user_id, subject, text, sent_at" + replyColumn
                + " FROM numbered RETURNING 1)"
                + " SELECT 'n', ord, seq, CAST(NULL AS UUID), CAST(NULL AS VARCHAR), CAST(NULL AS VARCHAR),"
                + " CAST(NULL AS TIMESTAMPTZ), CAST(NULL AS UUID) FROM numbered"
                + " UNION ALL SELECT 'e', ord, seq, id, subject, text, sent_at, reply_to FROM earlier"
                + " UNION ALL SELECT 'x', ord, 0, NULL, NULL, NULL, NULL, NULL FROM refused"
                + (replies ? " UNION ALL SELECT 'r', ord, 0, NULL, NULL, NULL, NULL, NULL FROM misreplied" : "");
    }

    /** Sets the statement's parameters for these items; {@code ids} gets each item's new message id. */
    static void bind(PreparedStatement statement, List<Item> items, boolean replies, List<UUID> ids)
            throws SQLException {
        int p = 1;
        for (int i = 0; i < items.size(); i++) {
            Item item = items.get(i);
            Outgoing outgoing = item.outgoing();
            UUID id = UUID.randomUUID();
            ids.add(id);
            statement.setInt(p++, i);
            statement.setObject(p++, item.chatId());
            statement.setString(p++, item.caller().namespace());
            statement.setString(p++, outgoing.userId());
            statement.setString(p++, outgoing.clientId());
            statement.setBoolean(p++, item.retryable());
            statement.setBoolean(p++, item.caller().authenticated());
            statement.setObject(p++, id);
            statement.setString(p++, outgoing.subject());
            statement.setString(p++, outgoing.text());
            statement.setObject(p++, OffsetDateTime.ofInstant(item.sentAt(), ZoneOffset.UTC));
            if (replies) {
                statement.setObject(p++, outgoing.replyTo());
            }
        }
    }

    /**
     * Locks the rows of a batch's chats in the order of their ids, before the batch's statement updates them. The
     * statement alone locks them in whatever order its plan meets them, and two instances' writers whose batches
     * share chats then lock them in opposite orders: a deadlock, found only after PostgreSQL's
     * {@code deadlock_timeout} (a second), that fails both batches (bench/run, Send with its clients spread over
     * two instances: p99 over a second). A batch of one chat has no order to get wrong and costs no extra round
     * trip.
     */
    private void lockInOrder(Connection connection, List<Item> items) throws SQLException {
        Object[] chats = items.stream().map(Item::chatId).distinct().toArray();
        if (chats.length < 2) {
            return;
        }
        try (PreparedStatement lock = prepare(connection,
                "SELECT id FROM chats WHERE id = ANY (?) ORDER BY id FOR UPDATE")) {
            lock.setArray(1, connection.createArrayOf("uuid", chats));
            lock.executeQuery().close();
        }
    }

    /**
     * H2, which runs in this process (a statement costs no round trip) and has neither UPDATE ... RETURNING nor
     * data-modifying WITH: the same steps as statements of their own.
     */
    private List<Outcome> stepByStep(Connection connection, List<Item> items) throws SQLException {
        Lookup lookup = lookUp(connection, items);
        Outcome[] outcomes = new Outcome[items.size()];
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
            Message earlier = item.retryable() ? lookup.earlier().get(Sent.of(item)) : null;
            String claimed = namespaceOfChat.putIfAbsent(item.chatId(), namespace);
            if (earlier != null) {
                outcomes[i] = new Outcome(earlier, false, null);
            } else if (item.caller().authenticated()
                    && !lookup.members().contains(new Member(item.chatId(), item.outgoing().userId()))) {
                outcomes[i] = Outcome.refused(notMember(item.call()));
            } else if (item.outgoing().replyTo() != null
                    && !lookup.replied().contains(new Member(item.chatId(), item.outgoing().replyTo().toString()))) {
                outcomes[i] = Outcome.refused(Outgoing.invalidReplyTo(item.call()));
            } else if (claimed != null && !claimed.equals(namespace)) {
                // the same chat id named from two namespaces: it belongs to one of them at most
                outcomes[i] = Outcome.refused(notFound(item.call()));
            } else {
                newByChat.computeIfAbsent(item.chatId(), chat -> new ArrayList<>()).add(i);
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
                        outgoing.subject(), outgoing.text(), item.sentAt(), outgoing.replyTo());
                inserts.add(message);
                outcomes[i] = new Outcome(message, true, null);
            }
        }
        insert(connection, inserts, timeoutSeconds);
        return List.of(outcomes);
    }

    /**
     * What the batch's chats are: their namespaces, the senders that are members, earlier messages of retried
     * Sends. {@code done} is false when nothing needed looking up (no retryable Send, no authenticated caller):
     * then a chat's existence is learnt from the reservation.
     */
    private record Lookup(boolean done, Map<UUID, String> namespaces, Set<Member> members, Map<Sent, Message> earlier,
                          Set<Member> replied) {
    }

    /** The batch's chats, memberships and earlier messages, in one statement. */
    private Lookup lookUp(Connection connection, List<Item> items) throws SQLException {
        Set<UUID> chats = new HashSet<>();
        Set<Member> askMembers = new HashSet<>();
        Set<Sent> askEarlier = new HashSet<>();
        Set<UUID> askReplied = new HashSet<>();
        for (Item item : items) {
            if (item.outgoing().replyTo() != null) {
                askReplied.add(item.outgoing().replyTo());
            }
            chats.add(item.chatId());
            if (item.caller().authenticated()) {
                askMembers.add(new Member(item.chatId(), item.outgoing().userId()));
            }
            if (item.retryable()) {
                askEarlier.add(Sent.of(item));
            }
        }
        Map<UUID, String> namespaces = new HashMap<>();
        Set<Member> members = new HashSet<>();
        Map<Sent, Message> earlier = new HashMap<>();
        // a replied-to message of a chat, as a (chat, message id) pair
        Set<Member> replied = new HashSet<>();
        if (askMembers.isEmpty() && askEarlier.isEmpty() && askReplied.isEmpty()) {
            return new Lookup(false, namespaces, members, earlier, replied);
        }
        String none = "CAST(NULL AS VARCHAR(255)), CAST(NULL AS UUID), CAST(0 AS BIGINT), CAST(NULL AS VARCHAR(1024)),"
                + " CAST(NULL AS VARCHAR), CAST(NULL AS TIMESTAMP WITH TIME ZONE), CAST(NULL AS UUID)";
        var sql = new StringBuilder("SELECT 'c', id, namespace, ").append(none)
                .append(" FROM chats WHERE deleted_at IS NULL AND id IN (").append(tuples(chats.size(), "?")).append(")");
        if (!askMembers.isEmpty()) {
            sql.append(" UNION ALL SELECT 'm', chat_id, user_id, ").append(none)
                    .append(" FROM chat_members WHERE (chat_id, user_id) IN (")
                    .append(tuples(askMembers.size(), "(?, ?)")).append(")");
        }
        if (!askEarlier.isEmpty()) {
            sql.append(" UNION ALL SELECT 'd', chat_id, user_id, client_id, id, seq, subject, text, sent_at, reply_to")
                    .append(" FROM messages WHERE (chat_id, user_id, client_id) IN (")
                    .append(tuples(askEarlier.size(), "(?, ?, ?)")).append(")");
        }
        if (!askReplied.isEmpty()) {
            sql.append(" UNION ALL SELECT 'r', chat_id, CAST(id AS VARCHAR(255)), ").append(none)
                    .append(" FROM messages WHERE kind = 'message' AND id IN (")
                    .append(tuples(askReplied.size(), "?")).append(")");
        }
        try (PreparedStatement statement = prepare(connection, sql.toString())) {
            int p = 1;
            for (UUID chat : chats) {
                statement.setObject(p++, chat);
            }
            for (Member member : askMembers) {
                statement.setObject(p++, member.chatId());
                statement.setString(p++, member.userId());
            }
            for (Sent key : askEarlier) {
                statement.setObject(p++, key.chatId());
                statement.setString(p++, key.userId());
                statement.setString(p++, key.clientId());
            }
            for (UUID reply : askReplied) {
                statement.setObject(p++, reply);
            }
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    UUID chatId = rows.getObject(2, UUID.class);
                    String name = rows.getString(3);
                    switch (rows.getString(1)) {
                        case "c" -> namespaces.put(chatId, name);
                        case "m" -> members.add(new Member(chatId, name));
                        case "r" -> replied.add(new Member(chatId, name));
                        default -> {
                            String clientId = rows.getString(4);
                            earlier.put(new Sent(chatId, name, clientId), Message.stored(rows.getObject(5, UUID.class),
                                    chatId, rows.getLong(6), clientId, name, rows.getString(7), rows.getString(8),
                                    rows.getObject(9, OffsetDateTime.class).toInstant())
                                    .withState(null, false, rows.getObject(10, UUID.class)));
                        }
                    }
                }
            }
        }
        return new Lookup(true, namespaces, members, earlier, replied);
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
        try (PreparedStatement update = prepare(connection,
                "UPDATE chats SET last_seq = last_seq + ? WHERE id = ? AND namespace = ? AND deleted_at IS NULL");
             PreparedStatement read = prepare(connection, "SELECT last_seq FROM chats WHERE id = ?")) {
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

    /** Stores rows of chats' logs, messages and change events alike, in one statement. */
    static void insert(Connection connection, List<Message> rows, int timeoutSeconds) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        String sql = "INSERT INTO messages (id, chat_id, seq, client_id, user_id, subject, text, sent_at, kind,"
                + " relates_to, data, reply_to) VALUES " + tuples(rows.size(), "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setQueryTimeout(timeoutSeconds);
            int p = 1;
            for (Message row : rows) {
                statement.setObject(p++, row.id());
                statement.setObject(p++, row.chatId());
                statement.setLong(p++, row.seq());
                statement.setString(p++, row.clientId());
                statement.setString(p++, row.userId());
                statement.setString(p++, row.subject());
                statement.setString(p++, row.text());
                statement.setObject(p++, OffsetDateTime.ofInstant(row.sentAt(), ZoneOffset.UTC));
                statement.setString(p++, row.kind());
                statement.setObject(p++, row.relatesTo());
                statement.setString(p++, row.data());
                statement.setObject(p++, row.replyTo());
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
