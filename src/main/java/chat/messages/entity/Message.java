package chat.messages.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.NamedNativeQuery;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

/**
 * A stored message. Unique per (chat, seq) and per (chat, user, client_id): the first makes the sequence gap-free,
 * the second makes sending retry-safe for each sender without one sender's ids colliding with another's.
 */
@Entity
@Table(name = "messages")
@NamedNativeQuery(name = Message.RANGE_NEWEST_FIRST, resultClass = Message.class,
        query = "SELECT * FROM messages WHERE chat_id = ?1 AND seq > ?2 AND seq < ?3 ORDER BY seq DESC")
@NamedNativeQuery(name = Message.RANGE_OLDEST_FIRST, resultClass = Message.class,
        query = "SELECT * FROM messages WHERE chat_id = ?1 AND seq > ?2 AND seq < ?3 ORDER BY seq ASC")
public class Message {

    public static final String RANGE_NEWEST_FIRST = "Message.rangeNewestFirst";
    public static final String RANGE_OLDEST_FIRST = "Message.rangeOldestFirst";

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

    /** A message as it was stored, read back without the entity manager. */
    public static Message stored(UUID id, UUID chatId, long seq, String clientId, String userId, String subject,
                                 String text, Instant sentAt) {
        Message message = new Message(chatId, seq, clientId, userId, subject, text, sentAt);
        message.id = id;
        return message;
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
}
