package chat.fleet;

import chat.PostgresDatabase;

import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * A PostgreSQL database of one test's own for {@link PostgresSignals} instances, so that no other test's instance
 * listens on it: made empty when opened, and dropped, with every connection and instance opened on it, when closed.
 */
final class SignalsDatabase implements AutoCloseable {

    /** A receiver that ignores everything. */
    static final Signals.Receiver DEAF = new Signals.Receiver() {
        @Override
        public void received(List<Signal> signals) {
        }

        @Override
        public void catchUp() {
        }
    };

    private final String url;
    private final List<AutoCloseable> opened = new ArrayList<>();

    /** Skips the calling test on the embedded database; {@code prefix} names the database, made unique. */
    SignalsDatabase(String prefix) {
        Instances.assumePostgres();
        URI uri = URI.create(System.getenv("CHAT_DB_URL").substring("jdbc:".length()));
        url = "jdbc:postgresql://" + uri.getAuthority() + "/" + prefix + Long.toString(System.nanoTime(), 36);
        PostgresDatabase.recreate(url);
    }

    Connection connect() throws SQLException {
        Connection connection = DriverManager.getConnection(url, System.getenv("CHAT_DB_USER"),
                System.getenv("CHAT_DB_PASSWORD"));
        opened.add(connection);
        return connection;
    }

    /** A started instance {@code id}, its listener shown as {@code chat-listener-test-<id>}. */
    PostgresSignals instance(String id, long pingMillis, Signals.Receiver receiver) {
        var signals = new PostgresSignals(url, System.getenv("CHAT_DB_USER"), System.getenv("CHAT_DB_PASSWORD"),
                id, "chat-listener-test-" + id, pingMillis);
        signals.start(receiver);
        opened.add(signals);
        return signals;
    }

    @Override
    public void close() throws Exception {
        for (AutoCloseable closeable : opened.reversed()) {
            closeable.close();
        }
        PostgresDatabase.drop(url);
    }
}
