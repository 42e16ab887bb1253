package chat.fleet;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.BooleanSupplier;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;

/**
 * LISTEN/NOTIFY's cost only where someone listens: an instance alone on its database commits without a NOTIFY, and
 * starts notifying once another instance's listener appears. On a database of its own, so that no other test's
 * instance listens on it; a plain LISTEN of the test's (not named as an instance's listener) sees what is sent.
 */
class LoneInstanceTest {

    private SignalsDatabase database;

    @BeforeEach
    void ownDatabase() {
        database = new SignalsDatabase("chat_test_lone_");
    }

    @AfterEach
    void dropIt() throws Exception {
        if (database != null) {
            database.close();
        }
    }

    private Connection connect() throws SQLException {
        return database.connect();
    }

    private PostgresSignals instance(String id) {
        return database.instance(id, 3000, SignalsDatabase.DEAF);
    }

    /** A batch's transaction with one signal, committed. */
    private void commitABatch(PostgresSignals signals, Connection batch) throws SQLException {
        batch.setAutoCommit(false);
        signals.beforeCommit(batch, List.of(Signal.events(UUID.randomUUID(), 1)));
        batch.commit();
    }

    /** What the test's own LISTEN received within about a second (the own instance's pings left out). */
    private static List<String> heard(PGConnection listening) throws SQLException {
        List<String> payloads = new ArrayList<>();
        long until = System.nanoTime() + 1_000_000_000L;
        while (System.nanoTime() < until) {
            PGNotification[] notifications = listening.getNotifications(100);
            if (notifications != null) {
                for (PGNotification notification : notifications) {
                    if (!notification.getParameter().endsWith(" ping")) {
                        payloads.add(notification.getParameter());
                    }
                }
            }
        }
        return payloads;
    }

    private static boolean within(long millis, BooleanSupplier condition) throws InterruptedException {
        long until = System.nanoTime() + millis * 1_000_000;
        while (System.nanoTime() < until) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.sleep(20);
        }
        return condition.getAsBoolean();
    }

    @Test
    void aLoneInstanceCommitsWithoutNotifyAndNotifiesOnceAnotherListens() throws Exception {
        Connection test = connect();
        try (var statement = test.createStatement()) {
            statement.execute("LISTEN " + PostgresSignals.CHANNEL);
        }
        PGConnection listening = test.unwrap(PGConnection.class);
        PostgresSignals alone = instance("a");
        assertThat("a listens", within(5000, alone::connected), is(true));
        Connection batch = connect();

        commitABatch(alone, batch);
        assertThat("alone: no instance to tell, no NOTIFY", heard(listening), is(empty()));
        assertThat(alone.peers(), is(false));

        PostgresSignals other = instance("b");
        assertThat("b listens", within(5000, other::connected), is(true));
        assertThat("a hears of b", within(3000, alone::peers), is(true));
        // each of them hears of the other, so each sends the marker once
        assertThat("what a committed unsignalled, b's streams catch up on: the marker", heard(listening),
                containsInAnyOrder(SignalCodec.encodeMany("a"), SignalCodec.encodeMany("b")));
        commitABatch(alone, batch);
        List<String> heard = heard(listening);
        assertThat("with b listening, a's batch notifies: " + heard, heard, hasSize(1));
        assertThat(heard.get(0).startsWith("a e:"), is(true));

        other.close();
        assertThat("b gone: a forgets it after a few seconds", within(
                PostgresSignals.PEERS_FORGOTTEN_MILLIS + 3 * PostgresSignals.PEERS_EVERY_MILLIS,
                () -> !alone.peers()), is(true));
    }
}
