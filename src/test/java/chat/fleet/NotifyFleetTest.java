package chat.fleet;

import chat.Api;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static chat.Api.user;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/**
 * The fleet on its default transport, LISTEN/NOTIFY: the contract, and a listening connection that the database
 * ends ({@code pg_terminate_backend}) while messages flow.
 */
class NotifyFleetTest extends FleetContract {

    @Override
    List<String> transport() {
        return List.of("-Dchat.fanout=notify");
    }

    @Test
    void readinessReportsTheListener() {
        JsonNode check = Readiness.fleetCheck(api(0));
        assertThat("the fleet check: " + check, check.path("status").asText(), is("UP"));
        assertThat(check.path("data").path("transport").asText(), is("notify"));
    }

    @Test
    void listenersTerminatedByTheDatabaseWhileMessagesFlowRecoverAndLoseNothing() throws Exception {
        String sender = user("sender");
        String chatId = api(0).newChat(sender, user("listener"));
        try (var onC = new Listener(List.of(base(2)), chatId, user("watcher"), 0)) {
            CompletableFuture<Map<String, Long>> sending = CompletableFuture.supplyAsync(() -> {
                try {
                    return send(List.of(api(0), api(1)), chatId, sender, 4, 60);
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            onC.awaitCount(40, DELIVERY);
            assertThat("listening connections ended", terminateListeners(), is(3));
            assertThat(sending.get().size(), is(240));
            assertThat("every seq once, in order, across the loss", onC.awaitCount(240, DELIVERY),
                    is(Listener.oneTo(240)));
            assertThat("every instance listens again", awaitListeners(3), is(3));
            assertThat(Readiness.fleetCheck(api(2)).path("status").asText(), is("UP"));
            // the catch-up is minutes away: these come through the new listening connection
            send(List.of(api(0)), chatId, sender, 1, 5);
            assertThat(onC.awaitCount(245, DELIVERY), is(Listener.oneTo(245)));
        }
    }

    /**
     * Two instances' writers whose batches share chats lock their rows in one order (by id): PostgreSQL finds no
     * deadlock, which would fail both batches after a second and have them written again chat by chat.
     */
    @Test
    void writersOfTwoInstancesSharingChatsNeverDeadlock() throws Exception {
        String sender = user("sender");
        List<String> chats = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            chats.add(api(0).newChat(sender, user("listener")));
        }
        long before = deadlocks();
        ExecutorService pool = Executors.newFixedThreadPool(64);
        List<Future<Integer>> answered = new ArrayList<>();
        for (int t = 0; t < 64; t++) {
            Api via = api(t % 2);
            int thread = t;
            answered.add(pool.submit(() -> {
                for (int i = 0; i < 30; i++) {
                    via.send(chats.get((thread + i) % chats.size()), sender, null, "m" + i);
                }
                return 30;
            }));
        }
        int sent = 0;
        for (Future<Integer> future : answered) {
            sent += future.get();
        }
        pool.shutdown();
        assertThat(sent, is(1920));
        Thread.sleep(1500); // the statistics are flushed about once a second
        assertThat("deadlocks in the database while two instances wrote", deadlocks() - before, is(0L));
    }

    private static long deadlocks() throws SQLException {
        try (Connection connection = database(); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(
                     "SELECT deadlocks FROM pg_stat_database WHERE datname = current_database()")) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private static Connection database() throws SQLException {
        return DriverManager.getConnection(System.getenv("CHAT_DB_URL"), System.getenv("CHAT_DB_USER"),
                System.getenv("CHAT_DB_PASSWORD"));
    }

    /** The listening connections of this test's instances, which name themselves by their port. */
    private String listeners() {
        return " FROM pg_stat_activity WHERE datname = current_database() AND application_name ~ '^chat-listener-("
                + String.join("|", instances.stream().map(i -> Integer.toString(i.api().uri("/").getPort())).toList())
                + ")-'";
    }

    private int terminateListeners() throws SQLException {
        try (Connection connection = database(); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT count(*) FILTER (WHERE pg_terminate_backend(pid))"
                     + listeners())) {
            rows.next();
            return rows.getInt(1);
        }
    }

    private int awaitListeners(int count) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        int seen;
        do {
            try (Connection connection = database(); Statement statement = connection.createStatement();
                 ResultSet rows = statement.executeQuery("SELECT count(*)" + listeners())) {
                rows.next();
                seen = rows.getInt(1);
            }
            if (seen == count) {
                return seen;
            }
            Thread.sleep(200);
        } while (System.nanoTime() < deadline);
        return seen;
    }
}
