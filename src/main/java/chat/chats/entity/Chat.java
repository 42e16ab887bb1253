package chat.chats.entity;

import jakarta.persistence.CollectionTable;
import jakarta.persistence.Column;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.NamedNativeQuery;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

/**
 * A chat between a fixed set of users, in one namespace (tenant). {@code members_key} (unique per namespace)
 * identifies the set, which makes New idempotent; {@code last_seq} is the number of the chat's newest message, bumped under the row's lock by every
 * send, so that the per-chat sequence is gap-free and in commit order. Its queries are SQL, not JPQL: Hibernate
 * then never starts its JPQL parser, which cost a sizeable part of the start-up.
 */
@Entity
@Table(name = "chats")
@NamedNativeQuery(name = Chat.ID_BY_MEMBERS_KEY,
        query = "SELECT CAST(id AS VARCHAR) FROM chats WHERE namespace = ?1 AND members_key = ?2")
@NamedNativeQuery(name = Chat.IS_MEMBER,
        query = "SELECT COUNT(*) FROM chat_members WHERE chat_id = ?1 AND user_id = ?2")
public class Chat {

    public static final String ID_BY_MEMBERS_KEY = "Chat.idByMembersKey";
    public static final String IS_MEMBER = "Chat.isMember";
    /** The kind of a chat made by New: its users are fixed. */
    public static final String DIRECT = "direct";
    /** The kind of a chat made by Create: named, owned, with members that come and go. */
    public static final String GROUP = "group";

    /** Inserts a chat unless its namespace has one with the same members key; the unique key decides races. */
    public static final String INSERT_UNLESS_EXISTS = """
            INSERT INTO chats (id, namespace, members_key, last_seq, created_at) VALUES (?1, ?2, ?3, 0, ?4)
            ON CONFLICT DO NOTHING""";

    /**
     * SQL that is true when the chat whose id is in {@code chatIdColumn} belongs to the namespace of the next
     * parameter. It finds the chat by its key alone and compares the namespace on the row found:
     * on tables that were never analysed (a new database, or autovacuum off) a join or probe that names
     * {@code namespace = ?} beside the id may be planned on the (namespace, members_key) index, which reads every
     * chat of the namespace once per row (a user in one chat of 1,000: 4 ms instead of 0.3 ms; a batch of 15
     * Sends: 3 ms instead of 0.3 ms). See SendPlanTest. The price: the planner cannot tell how many rows pass
     * (it guesses one in 200), so it serves statements that do not join {@code chats} and whose plan does not hang
     * on that count (presence); a statement that joins {@code chats} by key uses {@link #namespaceIs}, and
     * Search keeps its join (MessageSearch#statement).
     */
    public static String inNamespace(String chatIdColumn) {
        return "(SELECT n.namespace FROM chats n WHERE n.id = " + chatIdColumn + ") = ?";
    }

    /**
     * The same test for a statement that joins {@code chats} (as {@code alias}) by key already: the comparison
     * wrapped in {@code IS TRUE}, which no index can serve, so the planner cannot take the (namespace, members_key)
     * index instead of the key; unlike {@link #inNamespace} it still estimates the comparison from the column's
     * statistics. Listing the chats of a user in 1,000 of 1,866 (EXPLAIN ANALYZE, the bench's database): 5.3-8.4 ms
     * analysed and 5.7-7.2 ms with the statistics removed, against 9.5-10 and 101-108 ms for the plain join and
     * 10-22 and 6.6-16 ms for {@link #inNamespace}; a user in one chat 0.06-0.09 ms with either.
     */
    public static String namespaceIs(String alias) {
        return "(" + alias + ".namespace = ?) IS TRUE";
    }

    @Id
    private UUID id;

    @Column(nullable = false, updatable = false)
    private String namespace;

    @Column(name = "members_key", nullable = false, updatable = false)
    private String membersKey;

    @Column(name = "last_seq", nullable = false)
    private long lastSeq;

    @Column(name = "created_at", nullable = false, updatable = false)
    private Instant createdAt;

    @Column(nullable = false, updatable = false)
    private String kind = DIRECT;

    @Column(name = "deleted_at")
    private Instant deletedAt;

    @ElementCollection
    @CollectionTable(name = "chat_members", joinColumns = @JoinColumn(name = "chat_id"))
    @Column(name = "user_id", nullable = false)
    private Set<String> members = new HashSet<>();

    protected Chat() {
    }

    public UUID id() {
        return id;
    }

    public String namespace() {
        return namespace;
    }

    public long lastSeq() {
        return lastSeq;
    }

    public String kind() {
        return kind;
    }

    /** True once the group was deleted: then it is answered like a chat that does not exist. */
    public boolean deleted() {
        return deletedAt != null;
    }

    public void admit(Collection<String> userIds) {
        members.addAll(userIds);
    }
}
