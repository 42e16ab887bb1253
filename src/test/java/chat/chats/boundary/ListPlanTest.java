package chat.chats.boundary;

import chat.OwnDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

/**
 * The plan PostgreSQL makes for List's statement ({@link Groups#listStatement}) on tables never analysed, for a
 * user in 1,000 chats and a user in one chat of a namespace of 2,000: the user's chats must be found by key. With
 * the plain {@code namespace = ?} in the join it was planned on the (namespace, members_key) index, which reads the
 * namespace's chats (101 ms for the first user on the bench's database instead of 6 ms). PostgreSQL only, on a
 * database of its own.
 */
class ListPlanTest {

    private static final int CHATS = 2000;

    private OwnDatabase database;
    private Connection connection;

    @BeforeEach
    void database() throws SQLException {
        database = OwnDatabase.create("list_plan");
        connection = database.connection();
        try (var statement = connection.createStatement()) {
            statement.execute("INSERT INTO chats (id, namespace, members_key, last_seq, created_at)"
                    + " SELECT md5('list-' || n)::uuid, 'micro', md5('list-' || n), 0, now()"
                    + " FROM generate_series(1, " + CHATS + ") n");
            statement.execute("INSERT INTO chat_members (chat_id, user_id)"
                    + " SELECT md5('list-' || n)::uuid, 'John' FROM generate_series(1, 1000) n");
            statement.execute("INSERT INTO chat_members (chat_id, user_id) VALUES (md5('list-1500')::uuid, 'Ann')");
        }
    }

    @AfterEach
    void drop() throws SQLException {
        if (database != null) {
            database.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"John", "Ann"})
    void theUsersChatsAreFoundByKeyOnTablesNeverAnalysed(String user) throws SQLException {
        database.assumeNeverAnalysed("chats");
        String plan;
        try (PreparedStatement explain = connection.prepareStatement("EXPLAIN " + Groups.listStatement(false))) {
            bind(explain, user);
            plan = OwnDatabase.plan(explain);
        }
        assertThat(plan, plan, not(containsString("chats_namespace_members_key_uq")));
        int listed = 0;
        try (PreparedStatement list = connection.prepareStatement(Groups.listStatement(false))) {
            bind(list, user);
            try (ResultSet rows = list.executeQuery()) {
                while (rows.next()) {
                    listed++;
                }
            }
        }
        assertThat(listed, is(user.equals("John") ? 51 : 1));
    }

    private static void bind(PreparedStatement statement, String user) throws SQLException {
        statement.setString(1, user);
        statement.setString(2, "micro");
        statement.setString(3, user);
        statement.setInt(4, 51);
    }
}
