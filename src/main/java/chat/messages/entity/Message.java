package chat.messages.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.NamedNativeQuery;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

/**
 * A row of a chat's event log: a message (kind {@value #MESSAGE}) or a change event (any other kind: an edit, a
 * deletion, a reaction, a membership change), each numbered by the chat's one sequence. Unique per (chat, seq) and
 * per (chat, user, client_id): the first makes the sequence gap-free, the second makes sending retry-safe for each
 * sender without one sender's ids colliding with another's. A change event's {@code relatesTo} names the message
 * it changes (if any), its {@code data} is the event's JSON as streams receive it, its text and subject are empty
 * and its client_id is its own id.
 */
@Entity
@Table(name = "messages")
@NamedNativeQuery(name = Message.RANGE_NEWEST_FIRST, resultClass = Message.class,
        query = "SELECT * FROM messages WHERE chat_id = ?1 AND seq > ?2 AND seq < ?3 ORDER BY seq DESC")
@NamedNativeQuery(name = Message.RANGE_OLDEST_FIRST, resultClass = Message.class,
        query = "SELECT * FROM messages WHERE chat_id = ?1 AND seq > ?2 AND seq < ?3 ORDER BY seq ASC")
@NamedNativeQuery(name = Message.MESSAGES_NEWEST_FIRST, resultClass = Message.class,
        query = "SELECT * FROM messages WHERE chat_id = ?1 AND seq > ?2 AND seq < ?3 AND kind = 'message'"
                + " ORDER BY seq DESC")
@NamedNativeQuery(name = Message.MESSAGES_OLDEST_FIRST, resultClass = Message.class,
        query = "SELECT * FROM messages WHERE chat_id = ?1 AND seq > ?2 AND seq < ?3 AND kind = 'message'"
                + " ORDER BY seq ASC")
public class Message {

    /** The kind of a row that is a message, not a change event. */
    public static final String MESSAGE = "message";

    /** Every event of a seq range (what streams replay). */
    public static final String RANGE_NEWEST_FIRST = "Message.rangeNewestFirst";
    public static final String RANGE_OLDEST_FIRST = "Message.rangeOldestFirst";
    /** Only the messages of a seq range (what History pages through). */
    public static final String MESSAGES_NEWEST_FIRST = "Message.messagesNewestFirst";
    public static final String MESSAGES_OLDEST_FIRST = "Message.messagesOldestFirst";

    @Id
    private UUID id;

    @Column(name = "chat_id", nullable = false, updatable = false)
    private UUID chatId;

    @Column(nullable = false, updatable = false)
    private long seq;

    @Column(name = "client_id", nullable = false, updatable = false)
    private String clientId;

    @Column(name = "user_id", nullable = false, updatable = false)
    private String userId;

    @Column(nullable = false, updatable = false)
    private String subject;

    @Column(nullable = false, updatable = false)
    private String text;

    @Column(name = "sent_at", nullable = false, updatable = false)
    private Instant sentAt;

    @Column(nullable = false, updatable = false)
    private String kind = MESSAGE;

    @Column(name = "relates_to", updatable = false)
    private UUID relatesTo;

    @Column(updatable = false)
    private String data;

    /** When the message was last edited; null when never. Set by an edit, in SQL under the chat's lock. */
    @Column(name = "edited_at", updatable = false)
    private Instant editedAt;

    /** A tombstone: the message was deleted, its text and subject emptied, its row and seq kept. */
    @Column(nullable = false, updatable = false)
    private boolean deleted;

    /** The message of the same chat this one replies to, or null. */
    @Column(name = "reply_to", updatable = false)
    private UUID replyTo;

    protected Message() {
    }

    public Message(UUID chatId, long seq, String clientId, String userId, String subject, String text, Instant sentAt) {
        if (seq < 1) {
            throw new IllegalArgumentException("seq starts at 1: " + seq);
        }
        this.id = UUID.randomUUID();
        this.chatId = chatId;
        this.seq = seq;
        this.clientId = clientId;
        this.userId = userId;
        this.subject = subject;
        this.text = text;
        this.sentAt = sentAt;
    }

    /** A new message replying to {@code replyTo} (a message of the same chat) or to nothing (null). */
    public Message(UUID chatId, long seq, String clientId, String userId, String subject, String text, Instant sentAt,
                   UUID replyTo) {
        this(chatId, seq, clientId, userId, subject, text, sentAt);
        this.replyTo = replyTo;
    }

    /** This message in its current state: as an edit, a deletion or a reply left it. */
    public Message withState(Instant editedAt, boolean deleted, UUID replyTo) {
        this.editedAt = editedAt;
        this.deleted = deleted;
        this.replyTo = replyTo;
        return this;
    }

    /** A message as it was stored, read back without the entity manager. */
    public static Message stored(UUID id, UUID chatId, long seq, String clientId, String userId, String subject,
                                 String text, Instant sentAt) {
        Message message = new Message(chatId, seq, clientId, userId, subject, text, sentAt);
        message.id = id;
        return message;
    }

    /**
     * A change event numbered {@code seq}: {@code data} is its JSON as streams receive it, {@code relatesTo} the
     * message it changes or null.
     */
    public static Message event(UUID id, UUID chatId, long seq, String userId, String kind, UUID relatesTo,
                                String data, Instant at) {
        if (MESSAGE.equals(kind)) {
            throw new IllegalArgumentException("a change event needs a kind of its own");
        }
        Message event = new Message(chatId, seq, id.toString(), userId, "", "", at);
        event.id = id;
        event.kind = kind;
        event.relatesTo = relatesTo;
        event.data = data;
        return event;
    }

    /** A row as it was stored, whatever its kind. */
    public static Message stored(UUID id, UUID chatId, long seq, String clientId, String userId, String subject,
                                 String text, Instant sentAt, String kind, UUID relatesTo, String data) {
        Message row = stored(id, chatId, seq, clientId, userId, subject, text, sentAt);
        row.kind = kind;
        row.relatesTo = relatesTo;
        row.data = data;
        return row;
    }

    /** True for a message, false for a change event. */
    public boolean isMessage() {
        return MESSAGE.equals(kind);
    }

    public String kind() {
        return kind;
    }

    public UUID relatesTo() {
        return relatesTo;
    }

    public String data() {
        return data;
    }

    public UUID id() {
        return id;
    }

    public UUID chatId() {
        return chatId;
    }

    public long seq() {
        return seq;
    }

    public String clientId() {
        return clientId;
    }

    public String userId() {
        return userId;
    }

    public String subject() {
        return subject;
    }

    public String text() {
        return text;
    }

    public Instant sentAt() {
        return sentAt;
    }

    public Instant editedAt() {
        return editedAt;
    }

    public boolean deleted() {
        return deleted;
    }

    public UUID replyTo() {
        return replyTo;
    }
}
