package chat.messages.boundary;

import chat.chats.boundary.Chats;
import chat.chats.control.ChatIds;
import chat.chats.entity.Chat;
import chat.identity.control.Caller;
import chat.messages.control.Outgoing;
import chat.messages.control.Page;
import chat.messages.entity.Message;
import chat.messages.entity.MessageStored;
import chat.problems.Problem;
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
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;

/** Sending messages (through the group commit of {@link SendQueue}) and reading them back. */
@ApplicationScoped
public class Messages {

    @PersistenceContext(unitName = "chat")
    EntityManager em;

    @Inject
    SendQueue sendQueue;

    @Inject
    @Named("chat")
    DataSource dataSource;

    /** The events of a chat with {@code after < seq <= upTo}. */
    public record Window(UUID chatId, long after, long upTo) {
    }

    @Inject
    @ConfigProperty(name = "chat.max-text-bytes", defaultValue = "65536")
    int maxTextBytes;

    /**
     * Stores a message once per (chat, user, client_id) and answers it; a repeat by the same user answers the
     * message stored the first time and stores nothing, while another user's message with the same client_id is
     * a message of its own. The message is written with whatever other Sends are waiting (group commit,
     * {@link SendQueue}) and answered after the commit; {@link MessageStored} is fired only for a new message,
     * after the commit.
     *
     * @param call the error id prefix, {@code chat.Send} or {@code chat.Connect}
     * @throws Problem 400/413 for an invalid request, 403 {@code <call>.Forbidden} for a sender who is not a member
     *                 (while authentication is on) or not the token's user, 404 {@code <call>.InvalidChatID},
     *                 503 {@code chat.Unavailable} when the database does not answer in time
     */
    public Message send(Caller caller, String call, String chatId, String userId, String clientId, String subject,
                        String text) {
        return send(caller, call, chatId, userId, clientId, subject, text, null);
    }

    /**
     * The same, replying to {@code replyTo}: a message of the same chat (checked in the batch's statement), else
     * 400 {@code <call>.InvalidReplyTo}.
     */
    public Message send(Caller caller, String call, String chatId, String userId, String clientId, String subject,
                        String text, String replyTo) {
        ChatIds.require(chatId, call);
        String sender = caller.actingUser(userId, call);
        Outgoing outgoing = Outgoing.of(call, chatId, sender, clientId, subject, text, replyTo, maxTextBytes);
        UUID id = ChatIds.parse(outgoing.chatId()).orElseThrow(() -> SendBatch.notFound(call));
        SendBatch.Outcome outcome = sendQueue.send(new SendBatch.Item(caller, call, id, outgoing, Instant.now()));
        if (outcome.problem() != null) {
            throw outcome.problem();
        }
        return outcome.message();
    }

    /**
     * A page of the chat's history, always oldest first, for a member of the chat (while authentication is on;
     * while it is off the call may name no user).
     */
    @Transactional
    public List<Message> history(Caller caller, String call, String chatId, String userId, Page page) {
        ChatIds.require(chatId, call);
        String reader = caller.actingUserIfAny(userId, call).orElse(null);
        Chat chat = Chats.read(em, caller, chatId, reader, call);
        return read(chat.id(), page, Message.MESSAGES_OLDEST_FIRST, Message.MESSAGES_NEWEST_FIRST);
    }

    /**
     * Events of a chat (its messages and its change events) with {@code page.after() < seq < page.before()}, oldest
     * first: the newest of them, or the oldest with {@code page.oldestFirst()}. Replays and gap fills of the live
     * stream read through here.
     */
    @Transactional
    public List<Message> range(UUID chatId, Page page) {
        return read(chatId, page, Message.RANGE_OLDEST_FIRST, Message.RANGE_NEWEST_FIRST);
    }

    private List<Message> read(UUID chatId, Page page, String oldestFirstQuery, String newestFirstQuery) {
        List<Message> found = em.createNamedQuery(page.oldestFirst() ? oldestFirstQuery : newestFirstQuery,
                        Message.class)
                .setParameter(1, chatId)
                .setParameter(2, page.after())
                .setParameter(3, page.before())
                .setMaxResults(page.limit())
                .getResultList();
        if (page.oldestFirst()) {
            return found;
        }
        List<Message> oldestFirst = new ArrayList<>(found);
        Collections.reverse(oldestFirst);
        return oldestFirst;
    }

    /**
     * {@link #windows}' statement, one text whatever the number of windows, so that the driver prepares it once on
     * the server. Each window is read by its own index range scan, from a LATERAL subquery with the window's size as
     * its limit: as a plain join of the windows with the messages, a database whose messages table was analysed
     * while a few chats held most of its rows (a bulk-loaded history, say) was planned as a hash join over a
     * sequential scan of every message, 270 ms per read with 2.3 million rows instead of 2 ms, and the other
     * instances' messages reached the streams here a second late (bench/run, send to receipt across instances).
     */
    static final String WINDOWS = "SELECT m.id, w.chat_id, m.seq, m.client_id, m.user_id, m.subject, m.text,"
            + " m.sent_at, m.kind, m.relates_to, m.data, m.edited_at, m.deleted, m.reply_to"
            + " FROM unnest(CAST(? AS UUID[]), CAST(? AS BIGINT[]), CAST(? AS BIGINT[]))"
            + " AS w (chat_id, after_seq, up_to)"
            + " CROSS JOIN LATERAL (SELECT * FROM messages e WHERE e.chat_id = w.chat_id AND e.seq > w.after_seq"
            + " AND e.seq <= w.up_to ORDER BY e.seq LIMIT GREATEST(w.up_to - w.after_seq, 0)) AS m"
            + " ORDER BY w.chat_id, m.seq";

    /**
     * The events of several chats' windows in one statement, each chat's oldest first: what another instance's
     * signals say the streams here lack. Plain JDBC without a JTA transaction, like Send's batch: this read runs
     * once per batch of signals, as often as other instances commit, and the entity manager's transaction cost
     * several times the query (bench/run, send to receipt across instances). PostgreSQL only, like the fleet.
     */
    public List<Message> windows(List<Window> windows) {
        if (windows.isEmpty()) {
            return List.of();
        }
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(WINDOWS)) {
            statement.setQueryTimeout(5);
            bindWindows(connection, statement, windows);
            List<Message> found = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    found.add(Message.stored(rows.getObject(1, UUID.class), rows.getObject(2, UUID.class),
                            rows.getLong(3), rows.getString(4), rows.getString(5), rows.getString(6),
                            rows.getString(7), rows.getObject(8, OffsetDateTime.class).toInstant(), rows.getString(9),
                            rows.getObject(10, UUID.class), rows.getString(11))
                            .withState(instant(rows.getObject(12, OffsetDateTime.class)), rows.getBoolean(13),
                                    rows.getObject(14, UUID.class)));
                }
            }
            return found;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the messages other instances committed", e);
        }
    }

    /** Binds {@link #WINDOWS}' three arrays: the chats, the seq each window starts after, the seq it ends at. */
    static void bindWindows(Connection connection, PreparedStatement statement, List<Window> windows)
            throws SQLException {
        statement.setArray(1, connection.createArrayOf("uuid", windows.stream().map(Window::chatId).toArray()));
        statement.setArray(2, connection.createArrayOf("bigint", windows.stream().map(Window::after).toArray()));
        statement.setArray(3, connection.createArrayOf("bigint", windows.stream().map(Window::upTo).toArray()));
    }

    private static Instant instant(OffsetDateTime at) {
        return at == null ? null : at.toInstant();
    }
}
