package chat.stream.control;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.is;

class FanoutTest {

    private final UUID chat = UUID.randomUUID();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final AtomicInteger reads = new AtomicInteger();

    /** The "database": messages 1..100 are committed. */
    private List<Delivery> database(UUID chatId, long after, int limit) {
        reads.incrementAndGet();
        return LongStream.rangeClosed(after + 1, Math.min(after + limit, 100)).mapToObj(FanoutTest::delivery).toList();
    }

    private static Delivery delivery(long seq) {
        return new Delivery(seq, "u", "{\"seq\":" + seq + "}");
    }

    /** Records what it is handed. */
    private static final class Recorder implements Fanout.Listener {
        final List<Long> seqs = new CopyOnWriteArrayList<>();
        boolean open = true;

        @Override
        public boolean offer(Delivery delivery) {
            if (open) {
                seqs.add(delivery.seq());
            }
            return open;
        }

        @Override
        public void close() {
            open = false;
        }
    }

    @AfterEach
    void stop() {
        timer.shutdownNow();
    }

    private static Long[] range(long from, long to) {
        return LongStream.rangeClosed(from, to).boxed().toArray(Long[]::new);
    }

    @Test
    void deliversInOrderWhatArrivesInOrder() {
        var fanout = new Fanout(chat, 1, this::database, timer, 10_000);
        var listener = new Recorder();
        fanout.add(listener);
        for (long seq = 1; seq <= 5; seq++) {
            fanout.publish(delivery(seq));
        }
        assertThat(listener.seqs, contains(range(1, 5)));
        assertThat("no database read", reads.get(), is(0));
    }

    @Test
    void holdsAnOvertakingMessageUntilItsPredecessorArrives() {
        var fanout = new Fanout(chat, 1, this::database, timer, 10_000);
        var listener = new Recorder();
        fanout.add(listener);
        fanout.publish(delivery(2));
        fanout.publish(delivery(3));
        assertThat("2 and 3 wait for 1", listener.seqs, is(empty()));
        fanout.publish(delivery(1));
        assertThat(listener.seqs, contains(1L, 2L, 3L));
        fanout.publish(delivery(2));
        assertThat("a repeat is dropped", listener.seqs, contains(1L, 2L, 3L));
    }

    @Test
    void fillsAGapThatStaysOpenFromTheDatabase() throws InterruptedException {
        var fanout = new Fanout(chat, 1, this::database, timer, 50);
        var listener = new Recorder();
        fanout.add(listener);
        fanout.publish(delivery(4));
        long until = System.currentTimeMillis() + 5000;
        while (listener.seqs.size() < 4 && System.currentTimeMillis() < until) {
            Thread.sleep(10);
        }
        assertThat("1..3 read, then 4", listener.seqs, contains(1L, 2L, 3L, 4L));
        fanout.publish(delivery(2));
        fanout.publish(delivery(5));
        assertThat("the late 2 is dropped", listener.seqs, contains(1L, 2L, 3L, 4L, 5L));
    }

    @Test
    void dropsAListenerThatRefuses() {
        var fanout = new Fanout(chat, 1, this::database, timer, 10_000);
        var gone = new Recorder();
        var stays = new Recorder();
        fanout.add(gone);
        fanout.add(stays);
        fanout.publish(delivery(1));
        gone.close();
        fanout.publish(delivery(2));
        assertThat("one left", fanout.size(), is(1));
        assertThat(stays.seqs, contains(1L, 2L));
    }
}
