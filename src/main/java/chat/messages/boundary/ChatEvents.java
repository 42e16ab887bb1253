package chat.messages.boundary;

import chat.fleet.Fleet;
import chat.fleet.Signal;
import chat.identity.control.Caller;
import chat.messages.entity.Message;
import chat.messages.entity.MessageStored;
import chat.platform.JsonMapping;
import chat.problems.Problem;
import chat.problems.UnexpectedProblemMapper;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Changes to a chat that streams must not miss (an edit, a deletion, a reaction, a member joining or leaving), each
 * numbered by the chat's one sequence like a message (db/migration V4): Connect replays them by Last-Event-ID,
 * gap fills and other instances read them by seq, and none of that needs anything new.
 *
 * <p>Each change is one transaction: the chat's row is locked, the change checks and applies itself under the lock
 * (so it reads the state no other change can alter meanwhile), its events take the next seqs and are stored in the
 * chat's log, and after the commit they go to the streams here and to other instances exactly as a batch of Sends
 * does. Every Send holds the same row lock while it takes its seqs, so seq order stays commit order across
 * messages and changes alike. Changes are rare next to messages and do not share the group commit of
 * {@link SendQueue}.
 */
@ApplicationScoped
public class ChatEvents {

    private static final Logger LOG = Logger.getLogger(ChatEvents.class.getName());
    private static final ObjectMapper JSON = JsonMapping.create();

    @Inject
    @Named("chat")
    DataSource dataSource;

    @Inject
    Event<MessageStored> stored;

    @Inject
    Fleet fleet;

    /** The same bound as Send's: a change waits for the chat's row lock no longer than a batch of Sends does. */
    @Inject
    @ConfigProperty(name = "chat.send.statement-timeout-millis", defaultValue = "5000")
    long statementTimeoutMillis;

    /** The chat a change applies to, as locked for it. */
    public record Locked(UUID id, String namespace, long lastSeq) {
    }

    /**
     * An event a change makes: its kind (the SSE event name; never {@value Message#MESSAGE}), the user who made it,
     * the message it changes (or null) and its own fields. Streams receive it as JSON holding {@code id},
     * {@code chat_id}, {@code seq}, {@code user_id} and {@code at} (epoch seconds) followed by these fields.
     */
    public record Change(String kind, String userId, UUID relatesTo, Map<String, ?> fields) {
    }

    /** A change applied under the chat's row lock. */
    @FunctionalInterface
    public interface Apply {
        /**
         * Checks the change against the chat's current state and applies it on {@code connection}, in the
         * transaction that holds the chat's row lock. Answers the events it makes, in order (none: nothing
         * changed, and nothing is numbered or committed). Throwing a {@link Problem} refuses the change: nothing
         * of it is stored.
         */
        List<Change> apply(Connection connection, Locked chat) throws SQLException;
    }

    /**
     * Applies a change to a chat of the caller's namespace and answers its events as stored, numbered and
     * committed; they reach the streams after the commit.
     *
     * @param call the error id prefix, e.g. {@code chat.Edit}
     * @throws Problem 404 {@code <call>.InvalidChatID} when the caller's namespace has no such chat, whatever the
     *                 change throws, 503 {@code chat.Unavailable} when the database is unreachable or does not
     *                 answer in time
     */
    public List<Message> append(Caller caller, String call, UUID chatId, Apply change) {
        return append(caller, call, connection -> chatId, change);
    }

    /**
     * Finds or makes the chat a change applies to, on the change's connection and in its transaction, before the
     * chat is locked: Create makes a chat and its first event in one transaction this way.
     */
    @FunctionalInterface
    public interface Open {
        UUID open(Connection connection) throws SQLException;
    }

    /**
     * {@link #append(Caller, String, UUID, Apply)} for a chat that {@code open} finds or makes in the same
     * transaction (issue 14: Create).
     */
    public List<Message> append(Caller caller, String call, Open open, Apply change) {
        List<Message> events;
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                Locked chat = lock(connection, open.open(connection));
                if (chat == null || !chat.namespace().equals(caller.namespace())) {
                    throw SendBatch.notFound(call);
                }
                events = number(chat, change.apply(connection, chat));
                if (!events.isEmpty()) {
                    write(connection, chat, events);
                    fleet.beforeCommit(connection, signal(events));
                }
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                rollback(connection);
                throw e;
            }
        } catch (SQLException e) {
            throw UnexpectedProblemMapper.problem(e);
        } catch (Problem problem) {
            throw problem;
        } catch (RuntimeException e) {
            throw UnexpectedProblemMapper.problem(e);
        }
        for (Message event : events) {
            stored.fire(new MessageStored(event.chatId(), event.seq(), event));
        }
        if (!events.isEmpty()) {
            fleet.afterCommit(signal(events));
        }
        return events;
    }

    private int timeoutSeconds() {
        return (int) Math.max(1, (statementTimeoutMillis + 999) / 1000);
    }

    private Locked lock(Connection connection, UUID chatId) throws SQLException {
        try (PreparedStatement lock = connection.prepareStatement(
                "SELECT namespace, last_seq FROM chats WHERE id = ? FOR UPDATE")) {
            lock.setQueryTimeout(timeoutSeconds());
            lock.setObject(1, chatId);
            try (ResultSet rows = lock.executeQuery()) {
                return rows.next() ? new Locked(chatId, rows.getString(1), rows.getLong(2)) : null;
            }
        }
    }

    private static List<Message> number(Locked chat, List<Change> changes) {
        Instant at = Instant.now();
        List<Message> events = new ArrayList<>(changes.size());
        long seq = chat.lastSeq();
        for (Change change : changes) {
            UUID id = UUID.randomUUID();
            ObjectNode data = JSON.createObjectNode()
                    .put("id", id.toString())
                    .put("chat_id", chat.id().toString())
                    .put("seq", ++seq)
                    .put("user_id", change.userId())
                    .put("at", at.getEpochSecond());
            data.setAll((ObjectNode) JSON.valueToTree(change.fields()));
            events.add(Message.event(id, chat.id(), seq, change.userId(), change.kind(), change.relatesTo(),
                    JsonMapping.text(data), at));
        }
        return events;
    }

    private void write(Connection connection, Locked chat, List<Message> events) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement("UPDATE chats SET last_seq = ? WHERE id = ?")) {
            update.setQueryTimeout(timeoutSeconds());
            update.setLong(1, events.get(events.size() - 1).seq());
            update.setObject(2, chat.id());
            update.executeUpdate();
        }
        SendBatch.insert(connection, events, timeoutSeconds());
    }

    private static List<Signal> signal(List<Message> events) {
        Message newest = events.get(events.size() - 1);
        return List.of(Signal.events(newest.chatId(), newest.seq()));
    }

    private static void rollback(Connection connection) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            LOG.log(Level.FINE, "rolling back a failed change", e);
        }
    }
}
