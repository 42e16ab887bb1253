package chat;

import org.flywaydb.core.Flyway;

import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
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

    /** Skips the test when PostgreSQL has analysed {@code table} already: its plan would not be the one asked about. */
    public void assumeNeverAnalysed(String table) throws SQLException {
        try (PreparedStatement analysed = connection.prepareStatement("SELECT count(*) FROM pg_stat_user_tables"
                + " WHERE relname = ? AND (last_analyze IS NOT NULL OR last_autoanalyze IS NOT NULL)")) {
            analysed.setString(1, table);
            try (ResultSet rows = analysed.executeQuery()) {
                rows.next();
                assumeTrue(rows.getInt(1) == 0, "the " + table + " table was analysed already");
            }
        }
    }

    /** Runs an {@code EXPLAIN} statement, bound already, and answers its plan, one line per row. */
    public static String plan(PreparedStatement explain) throws SQLException {
        StringBuilder plan = new StringBuilder();
        try (ResultSet rows = explain.executeQuery()) {
            while (rows.next()) {
                plan.append(rows.getString(1)).append('\n');
            }
        }
        return plan.toString();
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
