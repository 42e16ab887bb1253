package chat.fleet;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.UUID;

/**
 * A transport that carries {@link Signal}s between the instances of a fleet. Sending has two moments, and a
 * transport uses the one that suits it: inside the batch's transaction (a NOTIFY is delivered at commit, in commit
 * order, and never for a rolled-back batch), or after its commit (a NATS publish). Receiving hands the other
 * instances' signals to a {@link Receiver}.
 */
public interface Signals extends AutoCloseable {

    /** What a transport hands received signals to. */
    interface Receiver {
        /** Signals of other instances, coalesced. */
        void received(List<Signal> signals);

        /**
         * The transport cannot say exactly what changed: it (re)connected after a loss, or a sender's batch was
         * too large to list. Every chat with local streams must be caught up from the database.
         */
        void catchUp();
    }

    /** A short name for readiness and the log: {@code notify}, {@code nats}, {@code local}. */
    String name();

    /** Starts receiving. */
    void start(Receiver receiver);

    /** In the batch's transaction, before its commit: a failure here fails the batch, which is then retried. */
    default void beforeCommit(Connection connection, List<Signal> signals) throws SQLException {
    }

    /** After the batch committed: best effort, a signal lost here is made up for by the periodic catch-up. */
    default void afterCommit(List<Signal> signals) {
    }

    /** Local streams now follow this chat: its signals matter here. */
    default void follow(UUID chatId) {
    }

    /** The last local stream of this chat ended. */
    default void unfollow(UUID chatId) {
    }

    /** Whether the transport is connected now; a local transport always is. */
    boolean connected();

    @Override
    void close();
}
