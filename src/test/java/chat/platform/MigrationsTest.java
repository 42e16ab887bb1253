package chat.platform;

import chat.LogCapture;

import org.eclipse.microprofile.config.ConfigProvider;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.logging.LogRecord;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The migrations on a database of their own, as an operator's upgrade meets them: a fresh in-memory H2 with the
 * service's H2 settings, or, when the suite runs on PostgreSQL ({@code CHAT_DB_URL}), a fresh schema in the test
 * database. Data written under an older schema version must keep working after the upgrade.
 */
class MigrationsTest {

    private static final String DUPLICATE = "23505";

    DataSource dataSource;
    Runnable drop;

    @BeforeEach
    void freshDatabase() throws SQLException {
        String url = System.getenv("CHAT_DB_URL");
        if (url != null && url.startsWith("jdbc:postgresql:")) {
            String schema = "migrations_test_" + UUID.randomUUID().toString().replace("-", "");
            var admin = new PGSimpleDataSource();
            admin.setURL(url);
            admin.setUser(System.getenv("CHAT_DB_USER"));
            admin.setPassword(System.getenv("CHAT_DB_PASSWORD"));
            execute(admin, "CREATE SCHEMA " + schema);
            var inSchema = new PGSimpleDataSource();
            inSchema.setURL(url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema);
            inSchema.setUser(System.getenv("CHAT_DB_USER"));
            inSchema.setPassword(System.getenv("CHAT_DB_PASSWORD"));
            dataSource = inSchema;
            drop = () -> execute(admin, "DROP SCHEMA " + schema + " CASCADE");
        } else {
            // the service's own H2 options (MODE=PostgreSQL, ...), on a database in memory instead of the file
            String embedded = ConfigProvider.getConfig().getValue("chat.db.embedded-url", String.class);
            var h2 = new JdbcDataSource();
            h2.setURL("jdbc:h2:mem:migrations-" + UUID.randomUUID() + embedded.substring(embedded.indexOf(';'))
                    + ";DB_CLOSE_DELAY=-1");
            h2.setUser("chat");
            h2.setPassword("chat");
            dataSource = h2;
            drop = () -> execute(h2, "SHUTDOWN");
        }
    }

    @AfterEach
    void dropDatabase() {
        drop.run();
    }

    private Flyway flyway(String target) {
        var configuration = Flyway.configure().dataSource(dataSource).locations("classpath:db/migration");
        return (target == null ? configuration : configuration.target(target)).load();
    }

    /** A message row as stored, every column but the time. */
    record Row(UUID id, UUID chatId, long seq, String clientId, String userId, String subject, String text) {
    }

    @Test
    void messagesStoredUnderVersion1SurviveTheUpgradeAndClientIdsBecomeUniquePerSender() throws SQLException {
        flyway("1").migrate();
        assertThat("at version 1", flyway(null).info().current().getVersion().getVersion(), is("1"));
        UUID chatA = UUID.randomUUID();
        UUID chatB = UUID.randomUUID();
        insertChat(chatA, "a", 2, "John", "Barry");
        insertChat(chatB, "b", 1, "John", "Carol");
        List<Row> stored = List.of(
                new Row(UUID.randomUUID(), chatA, 1, "b-1", "John", "Hello", "Hey Barry"),
                new Row(UUID.randomUUID(), chatA, 2, "c2", "Barry", "", "line one\nline two"),
                new Row(UUID.randomUUID(), chatB, 1, "b-1", "John", "", "Hi Carol 👋"));
        for (Row row : stored) {
            insert(row);
        }
        SQLException oldRule = assertThrows(SQLException.class,
                () -> insert(new Row(UUID.randomUUID(), chatA, 3, "b-1", "Barry", "", "refused under version 1")));
        assertThat("version 1 keeps client_id unique per chat: " + oldRule, oldRule.getSQLState(), is(DUPLICATE));

        var result = flyway(null).migrate();

        assertThat("migrations applied on top of version 1", result.migrationsExecuted, greaterThanOrEqualTo(1));
        assertThat("every message still there, unchanged", rows(), is(stored));
        Row barrys = new Row(UUID.randomUUID(), chatA, 3, "b-1", "Barry", "", "Barry's own b-1");
        insert(barrys);
        SQLException sameSender = assertThrows(SQLException.class,
                () -> insert(new Row(UUID.randomUUID(), chatA, 4, "b-1", "John", "", "John's b-1 again")));
        assertThat("a sender's client_id stays unique: " + sameSender, sameSender.getSQLState(), is(DUPLICATE));
        SQLException sameSeq = assertThrows(SQLException.class,
                () -> insert(new Row(UUID.randomUUID(), chatA, 3, "new", "Carol", "", "seq 3 is taken")));
        assertThat("seq stays unique per chat: " + sameSeq, sameSeq.getSQLState(), is(DUPLICATE));
        var expected = new ArrayList<>(stored);
        expected.add(2, barrys);
        assertThat("the old messages and Barry's new one", rows(), is(expected));
    }

    @Test
    void chatsAndMessagesOfVersion2MoveIntoTheMicroNamespace() throws SQLException {
        flyway("2").migrate();
        UUID chat = UUID.randomUUID();
        insertChat(chat, "john-barry", 2, "John", "Barry");
        List<Row> stored = List.of(
                new Row(UUID.randomUUID(), chat, 1, "b-1", "John", "Hello", "Hey Barry"),
                new Row(UUID.randomUUID(), chat, 2, "b-1", "Barry", "", "Hi John"));
        for (Row row : stored) {
            insert(row);
        }

        flyway(null).migrate();

        assertThat("every message still there, unchanged", rows(), is(stored));
        try (Connection connection = dataSource.getConnection();
             var select = connection.prepareStatement("SELECT namespace, last_seq FROM chats WHERE id = ?")) {
            select.setObject(1, chat);
            try (var result = select.executeQuery()) {
                assertThat("the chat is there", result.next(), is(true));
                assertThat("in the default namespace", result.getString(1), is("micro"));
                assertThat("its sequence kept", result.getLong(2), is(2L));
            }
        }
        insertChat(UUID.randomUUID(), "acme", "john-barry", 0);
        SQLException sameNamespace = assertThrows(SQLException.class,
                () -> insertChat(UUID.randomUUID(), "micro", "john-barry", 0));
        assertThat("the members key stays unique within a namespace: " + sameNamespace, sameNamespace.getSQLState(),
                is(DUPLICATE));
    }

    @Test
    void aRestartLogsTheSchemaVersionItFindsAndThatNothingWasApplied() {
        List<LogRecord> logged;
        try (var log = LogCapture.of(Migrations.class)) {
            new Migrations().migrate(null, dataSource);
            new Migrations().migrate(null, dataSource);
            logged = log.records();
        }

        var flyway = flyway(null);
        String version = flyway.info().current().getVersion().getVersion();
        int migrations = flyway.info().applied().length;
        assertThat("one line per start", logged, hasSize(2));
        assertThat("the messages", logged.stream().map(LogRecord::getMessage).toList(), contains(
                "database schema at version " + version + " (" + migrations + " migrations applied now)",
                "database schema at version " + version + " (0 migrations applied now)"));
    }

    private void insertChat(UUID id, String namespace, String key, long lastSeq) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             var chat = connection.prepareStatement(
                     "INSERT INTO chats (id, namespace, members_key, last_seq, created_at) VALUES (?, ?, ?, ?, ?)")) {
            chat.setObject(1, id);
            chat.setString(2, namespace);
            chat.setString(3, key);
            chat.setLong(4, lastSeq);
            chat.setObject(5, OffsetDateTime.now(ZoneOffset.UTC));
            chat.executeUpdate();
        }
    }

    private void insertChat(UUID id, String key, long lastSeq, String... members) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             var chat = connection.prepareStatement(
                     "INSERT INTO chats (id, members_key, last_seq, created_at) VALUES (?, ?, ?, ?)");
             var member = connection.prepareStatement("INSERT INTO chat_members (chat_id, user_id) VALUES (?, ?)")) {
            chat.setObject(1, id);
            chat.setString(2, key);
            chat.setLong(3, lastSeq);
            chat.setObject(4, OffsetDateTime.now(ZoneOffset.UTC));
            chat.executeUpdate();
            for (String user : members) {
                member.setObject(1, id);
                member.setString(2, user);
                member.executeUpdate();
            }
        }
    }

    private void insert(Row row) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             var insert = connection.prepareStatement("INSERT INTO messages"
                     + " (id, chat_id, seq, client_id, user_id, subject, text, sent_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
            insert.setObject(1, row.id());
            insert.setObject(2, row.chatId());
            insert.setLong(3, row.seq());
            insert.setString(4, row.clientId());
            insert.setString(5, row.userId());
            insert.setString(6, row.subject());
            insert.setString(7, row.text());
            insert.setObject(8, OffsetDateTime.now(ZoneOffset.UTC));
            insert.executeUpdate();
        }
    }

    /** All messages, by chat as inserted (chat a's key sorts first) and then by seq. */
    private List<Row> rows() throws SQLException {
        try (Connection connection = dataSource.getConnection();
             var select = connection.prepareStatement("SELECT m.id, m.chat_id, m.seq, m.client_id, m.user_id,"
                     + " m.subject, m.text FROM messages m JOIN chats c ON c.id = m.chat_id"
                     + " ORDER BY c.members_key, m.seq");
             var result = select.executeQuery()) {
            List<Row> rows = new ArrayList<>();
            while (result.next()) {
                rows.add(new Row(result.getObject(1, UUID.class), result.getObject(2, UUID.class), result.getLong(3),
                        result.getString(4), result.getString(5), result.getString(6), result.getString(7)));
            }
            return rows;
        }
    }

    private static void execute(DataSource dataSource, String sql) {
        try (Connection connection = dataSource.getConnection(); var statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }
}
