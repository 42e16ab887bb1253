package chat.messages.boundary;

import chat.Api;
import chat.Concurrently;
import io.helidon.microprofile.testing.AddConfig;
import io.helidon.microprofile.testing.junit5.HelidonTest;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.ws.rs.client.WebTarget;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import static chat.Api.user;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A chat's row lock held by someone else (another instance that froze, a lost connection) bounds the wait of its
 * Sends and of no one else's. PostgreSQL only; the test holds the lock on a connection of the service's pool,
 * which the tests keep at two.
 */
@HelidonTest
@AddConfig(key = "chat.send.statement-timeout-millis", value = "1000")
class LockWaitTest {

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
        assumeTrue(url != null && url.startsWith("jdbc:postgresql:"),
                "needs PostgreSQL: only another instance can hold a chat's row lock, and H2 is one instance");
        api = new Api(target.getUri());
        john = user("John");
    }

    private Api.Reply send(String chatId, String text) {
        return api.post("/chat/Send", Api.write(Api.object().put("chat_id", chatId).put("user_id", john)
                .put("client_id", UUID.randomUUID().toString()).put("text", text)));
    }

    @Test
    void aSendBehindALockHeldElsewhereIs503InSecondsAndOtherChatsGoOn() throws Exception {
        String locked = api.newChat(john, user("Barry"));
        String free = api.newChat(john, user("Carol"));
        try (Connection holder = dataSource.getConnection()) {
            holder.setAutoCommit(false);
            try (var lock = holder.prepareStatement("SELECT last_seq FROM chats WHERE id = ? FOR UPDATE")) {
                lock.setObject(1, UUID.fromString(locked));
                lock.executeQuery().close();
            }
            AtomicInteger next = new AtomicInteger();
            Instant start = Instant.now();
            List<Api.Reply> replies = Concurrently.run(8, () -> {
                int n = next.getAndIncrement();
                return send(n % 2 == 0 ? locked : free, "n" + n);
            });
            long took = Duration.between(start, Instant.now()).toMillis();
            int unavailable = 0;
            int stored = 0;
            for (Api.Reply reply : replies) {
                if (reply.status() == 503) {
                    Api.assertError(reply, 503, "chat.Unavailable");
                    unavailable++;
                } else {
                    assertThat("stored: " + reply.body(), reply.status(), is(200));
                    assertThat("to the free chat", reply.json().get("message").get("chat_id").asText(), is(free));
                    stored++;
                }
            }
            assertThat("the locked chat's four", unavailable, is(4));
            assertThat("the free chat's four", stored, is(4));
            assertThat("answered within a few statement timeouts, not hung", took, lessThan(10_000L));
            holder.rollback();
        }
        assertThat("once the lock is gone the chat takes Sends again", send(locked, "after").status(), is(200));
        assertThat("and the refused ones took no seq", api.history(Api.object().put("chat_id", locked)).get(0)
                .get("seq").asLong(), is(1L));
    }
}
