package chat;

import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

import java.net.URI;
import java.sql.DriverManager;
import java.sql.SQLException;

/**
 * When the tests run against PostgreSQL ({@code CHAT_DB_URL}), drops the test database and creates it empty, once
 * per test run, so that the test command needs no set-up step beyond a running server and no run depends on what
 * an earlier one left: a database migrated by another branch's migrations would fail Flyway's validation.
 */
public class PostgresDatabase implements LauncherSessionListener {

    @Override
    public void launcherSessionOpened(LauncherSession session) {
        String url = System.getenv("CHAT_DB_URL");
        if (url == null || !url.startsWith("jdbc:postgresql:")) {
            return;
        }
        recreate(url);
    }

    /** Drops the database that this PostgreSQL URL names, if it exists, and creates it empty. */
    public static void recreate(String url) {
        drop(url);
        admin(url, "CREATE DATABASE ");
    }

    /** Drops the database that this PostgreSQL URL names, if it exists. */
    public static void drop(String url) {
        // FORCE: a service left running by an interrupted run must not keep the database in use.
        admin(url, "DROP DATABASE IF EXISTS ", " WITH (FORCE)");
    }

    /**
     * Runs a statement about the URL's database ({@code before} its quoted name {@code after}) on the server's
     * {@code postgres} database, as {@code CHAT_DB_USER}.
     */
    private static void admin(String url, String before, String... after) {
        URI uri = URI.create(url.substring("jdbc:".length()));
        String database = uri.getPath().substring(1);
        String admin = "jdbc:postgresql://" + uri.getAuthority() + "/postgres";
        String quoted = "\"" + database.replace("\"", "\"\"") + "\"";
        try (var connection = DriverManager.getConnection(admin, System.getenv("CHAT_DB_USER"),
                System.getenv("CHAT_DB_PASSWORD"));
             var statement = connection.createStatement()) {
            statement.execute(before + quoted + String.join("", after));
        } catch (SQLException e) {
            throw new IllegalStateException("cannot prepare the PostgreSQL test database " + url
                    + " (is PostgreSQL running?)", e);
        }
    }
}
