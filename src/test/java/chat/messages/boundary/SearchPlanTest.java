package chat.messages.boundary;

import chat.OwnDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;

/**
 * The plan PostgreSQL makes for Search's statement ({@link MessageSearch#statement}) on analysed tables, for a
 * user in 100 chats: the search index must be scanned once per search, not once per chat of the user (which a
 * namespace check the planner cannot estimate led to: 50 times slower on the bench's data). PostgreSQL only, on a
 * database of its own.
 */
class SearchPlanTest {

    private static final int CHATS = 100;
    private static final int PER_CHAT = 2_000;

    private OwnDatabase database;
    private Connection connection;

    @BeforeEach
    void database() throws SQLException {
        database = OwnDatabase.create("search_plan");
        connection = database.connection();
        try (var statement = connection.createStatement()) {
            statement.execute("INSERT INTO chats (id, namespace, members_key, last_seq, created_at)"
                    + " SELECT md5('search-' || c)::uuid, 'micro', md5('search-' || c), " + PER_CHAT + ", now()"
                    + " FROM generate_series(1, " + CHATS + ") c");
            statement.execute("INSERT INTO chat_members (chat_id, user_id)"
                    + " SELECT md5('search-' || c)::uuid, 'John' FROM generate_series(1, " + CHATS + ") c");
            // each message names one topic of 1,000: a topic matches one message in 10 chats
            statement.execute("INSERT INTO messages (id, chat_id, seq, client_id, user_id, subject, text, sent_at)"
                    + " SELECT gen_random_uuid(), md5('search-' || (1 + (g - 1) / " + PER_CHAT + "))::uuid,"
                    + " 1 + (g - 1) % " + PER_CHAT + ", 'bulk-' || g, 'John', '',"
                    + " 'message ' || g || ' about topic' || lpad((g % 1000)::text, 3, '0'), now()"
                    + " FROM generate_series(1, " + CHATS * PER_CHAT + ") g");
            statement.execute(MessageSearch.createIndex("simple"));
            statement.execute("ANALYZE chats");
            statement.execute("ANALYZE chat_members");
            statement.execute("ANALYZE messages");
        }
    }

    @AfterEach
    void drop() throws SQLException {
        if (database != null) {
            database.close();
        }
    }

    private PreparedStatement search(String prefix) throws SQLException {
        PreparedStatement statement = connection.prepareStatement(prefix + MessageSearch.statement("simple", false, 1,
                false));
        statement.setString(1, "micro");
        statement.setString(2, "John");
        statement.setString(3, "topic123:*");
        statement.setInt(4, 20);
        return statement;
    }

    @Test
    void theSearchIndexIsScannedOncePerSearch() throws SQLException {
        String plan;
        try (PreparedStatement explain = search("EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) ")) {
            plan = OwnDatabase.plan(explain);
        }
        List<String> scans = plan.lines().filter(line -> line.contains("Index Scan on messages_search_simple_ix"))
                .toList();
        assertThat(plan, scans, hasSize(1));
        assertThat(plan, scans.get(0), containsString(" loops=1)"));
    }

    @Test
    void theStatementFindsEveryMatchNewestFirst() throws SQLException {
        int found = 0;
        try (PreparedStatement statement = search(""); ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
                assertThat(rows.getString(7), containsString("topic123"));
                found++;
            }
        }
        // 200,000 messages, topic number g % 1000: 200 name topic123, the newest 20 come back
        assertThat(found, is(20));
    }
}
