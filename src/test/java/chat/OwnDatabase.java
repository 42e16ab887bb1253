package chat;

import org.flywaydb.core.Flyway;

import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A PostgreSQL database of a test's own, migrated, beside the shared test database of {@code CHAT_DB_URL}: for
 * tests of what PostgreSQL plans on data they load themselves (statistics, or the lack of them, that nothing else
 * may disturb). Skips the test outside the PostgreSQL pass. Closing it drops the database.
 */
public final class OwnDatabase implements AutoCloseable {

    private final String url;
    private final Connection connection;

    private OwnDatabase(String url, Connection connection) {
        this.url = url;
        this.connection = connection;
    }

    /** Creates a database named {@code prefix} and a unique suffix on the server of {@code CHAT_DB_URL}. */
    public static OwnDatabase create(String prefix) throws SQLException {
        String shared = System.getenv("CHAT_DB_URL");
        assumeTrue(shared != null && shared.startsWith("jdbc:postgresql:"), "a PostgreSQL plan: runs in the"
                + " PostgreSQL pass");
        URI uri = URI.create(shared.substring("jdbc:".length()));
        String url = "jdbc:postgresql://" + uri.getAuthority() + "/" + prefix + "_"
                + Long.toString(System.nanoTime(), 36);
        PostgresDatabase.recreate(url);
        String user = System.getenv("CHAT_DB_USER");
        String password = System.getenv("CHAT_DB_PASSWORD");
        Connection connection = DriverManager.getConnection(url, user, password);
        Flyway.configure().dataSource(url, user, password).locations("classpath:db/migration").load().migrate();
        return new OwnDatabase(url, connection);
    }

    /** A connection to it, open until {@link #close}. */
    public Connection connection() {
        return connection;
    }

    @Override
    public void close() throws SQLException {
        try {
            connection.close();
        } finally {
            PostgresDatabase.drop(url);
        }
    }
}
