package chat.messages.boundary;

import chat.Api;
import io.helidon.microprofile.testing.AddConfig;
import io.helidon.microprofile.testing.junit5.HelidonTest;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.ws.rs.client.WebTarget;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import static chat.Api.user;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A session of the service that stops talking in the middle of a transaction (its client vanished: a cut, a freeze,
 * a partition) holds its chat's row lock only until PostgreSQL ends the session for idling in it; meanwhile the
 * chat's Sends are answered 503 in seconds. PostgreSQL only; the test's own connection from the service's pool plays
 * the vanished session: it takes the lock, then says nothing more.
 */
@HelidonTest
@AddConfig(key = "chat.send.statement-timeout-millis", value = "1000")
@AddConfig(key = "chat.db.lock-timeout-millis", value = "1000")
@AddConfig(key = "chat.db.idle-in-transaction-timeout-millis", value = "3000")
class LostLockTest {

    @Inject
    WebTarget target;

    @Inject
    @Named("chat")
    DataSource dataSource;

    Api api;
    String john;

    @BeforeEach
    void client() {
        String url = System.getenv("CHAT_DB_URL");
        assumeTrue(url != null && url.startsWith("jdbc:postgresql:"), "needs PostgreSQL: H2 has no sessions to lose");
        api = new Api(target.getUri());
        john = user("John");
    }

    private Api.Reply send(String chatId, String text) {
        return api.post("/chat/Send", Api.write(Api.object().put("chat_id", chatId).put("user_id", john)
                .put("client_id", UUID.randomUUID().toString()).put("text", text)));
    }

    private static String show(Connection connection, String setting) throws SQLException {
        try (var statement = connection.createStatement(); var rows = statement.executeQuery("SHOW " + setting)) {
            rows.next();
            return rows.getString(1);
        }
    }

    @Test
    void theServicesSessionsBoundEveryWait() throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            assertThat(show(connection, "lock_timeout"), is("1s"));
            assertThat(show(connection, "idle_in_transaction_session_timeout"), is("3s"));
            assertThat("the default", show(connection, "statement_timeout"), is("10s"));
        }
    }

    @Test
    void aLockLeftByASessionThatWentQuietIsFreedAndTheChatTakesSendsAgain() throws Exception {
        String chatId = api.newChat(john, user("Barry"));
        Connection holder = dataSource.getConnection();
        try {
            holder.setAutoCommit(false);
            try (var lock = holder.prepareStatement("SELECT last_seq FROM chats WHERE id = ? FOR UPDATE")) {
                lock.setObject(1, UUID.fromString(chatId));
                lock.executeQuery().close();
            }
            Instant quiet = Instant.now();
            Api.Reply behind = send(chatId, "behind the lock");
            Api.assertError(behind, 503, "chat.Unavailable");
            assertThat("answered in seconds", Duration.between(quiet, Instant.now()).toMillis(), lessThan(5_000L));

            Api.Reply stored = behind;
            while (stored.status() != 200 && Duration.between(quiet, Instant.now()).toSeconds() < 20) {
                Thread.sleep(200);
                stored = send(chatId, "after the lock");
            }
            assertThat("the chat takes Sends again, its lock freed by PostgreSQL: " + stored.body(), stored.status(),
                    is(200));
            assertThat("the first stored seq", stored.json().get("message").get("seq").asLong(), is(1L));
            SQLException ended = assertThrows(SQLException.class, () -> show(holder, "lock_timeout"));
            assertThat("PostgreSQL ended the quiet session: " + ended, ended.getSQLState().startsWith("08")
                    || ended.getSQLState().equals("25P03"), is(true));
        } finally {
            holder.close();
        }
    }
}
