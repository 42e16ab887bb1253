package chat;

import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

import java.net.URI;
import java.sql.DriverManager;
import java.sql.SQLException;

/**
 * When the tests run against PostgreSQL ({@code CHAT_DB_URL}), creates the test database if it does not exist yet,
 * so that the test command needs no set-up step beyond a running server.
 */
public class PostgresDatabase implements LauncherSessionListener {

    @Override
    public void launcherSessionOpened(LauncherSession session) {
        String url = System.getenv("CHAT_DB_URL");
        if (url == null || !url.startsWith("jdbc:postgresql:")) {
            return;
        }
        URI uri = URI.create(url.substring("jdbc:".length()));
        String database = uri.getPath().substring(1);
        String admin = "jdbc:postgresql://" + uri.getAuthority() + "/postgres";
        try (var connection = DriverManager.getConnection(admin, System.getenv("CHAT_DB_USER"),
                System.getenv("CHAT_DB_PASSWORD"));
             var exists = connection.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
            exists.setString(1, database);
            if (!exists.executeQuery().next()) {
                try (var create = connection.createStatement()) {
                    create.execute("CREATE DATABASE \"" + database.replace("\"", "\"\"") + "\"");
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot prepare the PostgreSQL test database " + url
                    + " (is PostgreSQL running?)", e);
        }
    }
}
