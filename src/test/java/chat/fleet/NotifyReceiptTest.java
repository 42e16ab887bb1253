package chat.fleet;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.notNullValue;

/**
 * The listener hands a signal on when it arrives, not when its wait for notifications ends. Not a speed test (those
 * are bench/run's): a listener that polled, looking for notifications once per wait, would hand on a signal
 * committed at a random moment after half a wait on average, so the median delay here is held against a quarter
 * of the wait, a bound a listener that blocks on its connection meets many times over even on a busy machine.
 */
class NotifyReceiptTest {

    private SignalsDatabase database;

    @AfterEach
    void dropIt() throws Exception {
        if (database != null) {
            database.close();
        }
    }

    @Test
    void aSignalIsHandedOnWhenItArrivesNotWhenTheListenersWaitEnds() throws Exception {
        database = new SignalsDatabase("chat_test_receipt_");
        long pingMillis = 60_000;
        int wait = PostgresSignals.pollMillis(pingMillis);
        assertThat("the listener waits long enough for a poller to show", wait, is(500));
        BlockingQueue<Long> receivedAt = new LinkedBlockingQueue<>();
        PostgresSignals listener = database.instance("b", pingMillis, new Signals.Receiver() {
            @Override
            public void received(List<Signal> signals) {
                signals.forEach(signal -> receivedAt.add(System.nanoTime()));
            }

            @Override
            public void catchUp() {
            }
        });
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!listener.connected() && System.nanoTime() < until) {
            Thread.sleep(20);
        }
        assertThat("b listens", listener.connected(), is(true));

        Connection batch = database.connect();
        batch.setAutoCommit(false);
        List<Double> delays = new ArrayList<>();
        try (PreparedStatement notify = batch.prepareStatement("SELECT pg_notify(?, ?)")) {
            for (int i = 1; i <= 16; i++) {
                // commits at every phase of the listener's wait
                Thread.sleep(ThreadLocalRandom.current().nextInt(wait));
                notify.setString(1, PostgresSignals.CHANNEL);
                notify.setString(2, SignalCodec.encode("a", List.of(Signal.events(UUID.randomUUID(), i)),
                        PostgresSignals.MAX_PAYLOAD));
                notify.execute();
                batch.commit();
                long committed = System.nanoTime();
                Long at = receivedAt.poll(5, TimeUnit.SECONDS);
                assertThat("signal " + i + " reached the receiver", at, notNullValue());
                delays.add(Math.max(0, at - committed) / 1e6);
            }
        }
        Collections.sort(delays);
        double median = delays.get(delays.size() / 2);
        assertThat("median delay from commit to the receiver (ms), all: " + delays, median, lessThan(wait / 4.0));
    }
}
