package chat.messages.boundary;

import chat.OwnDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

/**
 * The plan PostgreSQL makes for the read of other instances' messages ({@link Messages#WINDOWS}) on a database
 * analysed while one chat held most of the messages, as after a bulk-loaded history: every window must be read by
 * its index range, not by a hash join over a sequential scan of the whole table (which the plain join of the
 * windows with the messages got here from 400,000 rows on). PostgreSQL only, on a database of its own.
 */
class WindowsPlanTest {

    private static final int CHATS = 100;
    private static final int BULK = 400_000;

    private static OwnDatabase database;
    private static Connection connection;
    private static final List<UUID> chats = new ArrayList<>();

    /** One database for both tests: loading the bulk takes seconds. */
    @BeforeAll
    static void database() throws SQLException {
        database = OwnDatabase.create("windows_plan");
        connection = database.connection();
        try (var statement = connection.createStatement()) {
            statement.execute("INSERT INTO chats (id, namespace, members_key, last_seq, created_at)"
                    + " SELECT md5('windows-' || n)::uuid, 'micro', md5('windows-' || n), 0, now()"
                    + " FROM generate_series(0, " + CHATS + ") n");
            // chat 0 holds the bulk, each of the others ten messages
            statement.execute("INSERT INTO messages (id, chat_id, seq, client_id, user_id, subject, text, sent_at)"
                    + " SELECT gen_random_uuid(), md5('windows-0')::uuid, g, 'bulk-' || g, 'John', '',"
                    + " 'history message number ' || g, now() FROM generate_series(1, " + BULK + ") g");
            statement.execute("INSERT INTO messages (id, chat_id, seq, client_id, user_id, subject, text, sent_at)"
                    + " SELECT gen_random_uuid(), md5('windows-' || n)::uuid, g, 'm-' || g, 'John', '', 'hello', now()"
                    + " FROM generate_series(1, " + CHATS + ") n, generate_series(1, 10) g");
            statement.execute("ANALYZE messages");
            try (ResultSet ids = statement.executeQuery("SELECT md5('windows-' || n)::uuid FROM generate_series(1, "
                    + CHATS + ") n ORDER BY 1")) {
                while (ids.next()) {
                    chats.add(ids.getObject(1, UUID.class));
                }
            }
        }
    }

    @AfterAll
    static void drop() throws SQLException {
        if (database != null) {
            database.close();
        }
    }

    /** Each chat's window (5, 8]: what a signal "chat C is at seq 8" asks of a stream that delivered up to 5. */
    private List<Messages.Window> windows() {
        return chats.stream().map(chat -> new Messages.Window(chat, 5, 8)).toList();
    }

    @Test
    void eachWindowIsReadByItsIndexRange() throws SQLException {
        String plan;
        try (PreparedStatement explain = connection.prepareStatement("EXPLAIN " + Messages.WINDOWS)) {
            Messages.bindWindows(connection, explain, windows());
            plan = OwnDatabase.plan(explain);
        }
        assertThat(plan, plan, containsString("messages_chat_seq_uq"));
        assertThat(plan, plan, not(containsString("Seq Scan on messages")));
    }

    @Test
    void theStatementReadsExactlyTheWindowsInOrder() throws SQLException {
        List<String> read = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement(Messages.WINDOWS)) {
            Messages.bindWindows(connection, statement, windows());
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    read.add(rows.getObject(2, UUID.class) + "/" + rows.getLong(3));
                }
            }
        }
        List<String> expected = new ArrayList<>();
        for (UUID chat : chats) {
            for (long seq = 6; seq <= 8; seq++) {
                expected.add(chat + "/" + seq);
            }
        }
        assertThat(read.size(), is(CHATS * 3));
        assertThat(read, contains(expected.toArray()));
    }
}
