package chat.messages.boundary;

import chat.OwnDatabase;
import chat.identity.control.Caller;
import chat.messages.control.Outgoing;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

/**
 * The plan PostgreSQL makes for Send's batch statement on a database whose tables were never analysed (a new one,
 * or one where autovacuum is off): each item's chat must be found by its primary key. Taking the (namespace,
 * members_key) index instead reads every chat of the namespace once per item, which made a batch of 15 cost 3 ms
 * instead of 0.3 ms with 1,000 chats and cut Send's throughput at 16 clients by more than half. PostgreSQL only,
 * on a database of its own.
 */
class SendPlanTest {

    private static final int CHATS = 1000;

    private OwnDatabase database;
    private Connection connection;

    @BeforeEach
    void database() throws SQLException {
        database = OwnDatabase.create("send_plan");
        connection = database.connection();
        try (var statement = connection.createStatement()) {
            statement.execute("INSERT INTO chats (id, namespace, members_key, last_seq, created_at)"
                    + " SELECT md5('plan-' || n)::uuid, 'micro', md5('plan-' || n), 0, now()"
                    + " FROM generate_series(1, " + CHATS + ") n");
        }
    }

    @AfterEach
    void drop() throws SQLException {
        if (database != null) {
            database.close();
        }
    }

    private List<SendBatch.Item> items(int count) throws SQLException {
        List<SendBatch.Item> items = new ArrayList<>();
        try (var statement = connection.createStatement();
             ResultSet chats = statement.executeQuery("SELECT id FROM chats ORDER BY id DESC LIMIT " + count)) {
            while (chats.next()) {
                String chat = chats.getString(1);
                items.add(new SendBatch.Item(Caller.development("micro"), "chat.Send", UUID.fromString(chat),
                        Outgoing.of("chat.Send", chat, "John", "c-" + items.size(), "", "hello", 1024),
                        Instant.now()));
            }
        }
        return items;
    }

    private String plan(List<SendBatch.Item> items) throws SQLException {
        try (PreparedStatement explain = connection.prepareStatement(
                "EXPLAIN " + SendBatch.statement(items.size(), false))) {
            SendBatch.bind(explain, items, false, new ArrayList<>());
            return OwnDatabase.plan(explain);
        }
    }

    @Test
    void eachItemsChatIsFoundByItsKeyOnTablesNeverAnalysed() throws SQLException {
        database.assumeNeverAnalysed("chats");
        for (int size : new int[]{1, 4, 15}) {
            String plan = plan(items(size));
            assertThat("batch of " + size + ":\n" + plan, plan, containsString("chats_pk"));
            assertThat("batch of " + size + ":\n" + plan, plan, not(containsString("chats_namespace_members_key_uq")));
        }
    }

    @Test
    void theSameStatementStoresTheBatch() throws SQLException {
        List<SendBatch.Item> items = items(4);
        connection.setAutoCommit(false);
        List<SendBatch.Outcome> outcomes = new SendBatch(SendBatch.Dialect.POSTGRESQL, 5).write(connection, items);
        connection.commit();
        for (SendBatch.Outcome outcome : outcomes) {
            assertThat(outcome.stored(), is(true));
            assertThat(outcome.message().seq(), is(1L));
        }
        try (var statement = connection.createStatement();
             ResultSet count = statement.executeQuery("SELECT count(*) FROM messages")) {
            count.next();
            assertThat(count.getInt(1), is(4));
        }
    }
}
