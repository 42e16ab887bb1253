package chat.stream.control;

import chat.LogCapture;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.logging.Level;
import java.util.stream.LongStream;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThanOrEqualTo;

class FanoutTest {

    private final UUID chat = UUID.randomUUID();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final AtomicInteger reads = new AtomicInteger();

    /** The "database": events 1..100 are committed. */
    private List<Delivery> database(UUID chatId, long after, int limit) {
        reads.incrementAndGet();
        return LongStream.rangeClosed(after + 1, Math.min(after + limit, 100)).mapToObj(FanoutTest::delivery).toList();
    }

    private static Delivery delivery(long seq) {
        return new Delivery(seq, "u", ("{\"seq\":" + seq + "}").getBytes(StandardCharsets.UTF_8));
    }

    private Fanout fanout(Replay database, long gapWaitMillis) {
        return new Fanout(chat, 1, database, timer, Runnable::run, gapWaitMillis, 60_000);
    }

    /** Records what it is handed. */
    private static final class Recorder implements Fanout.Listener {
        final List<Long> seqs = new CopyOnWriteArrayList<>();
        volatile boolean open = true;

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

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long until = System.currentTimeMillis() + 5000;
        while (!condition.getAsBoolean() && System.currentTimeMillis() < until) {
            Thread.sleep(5);
        }
    }

    @Test
    void deliversInOrderWhatArrivesInOrder() {
        var fanout = fanout(this::database, 10_000);
        var listener = new Recorder();
        fanout.add(listener);
        for (long seq = 1; seq <= 5; seq++) {
            fanout.publish(delivery(seq));
        }
        assertThat(listener.seqs, contains(range(1, 5)));
        assertThat("no database read", reads.get(), is(0));
    }

    @Test
    void submitRendersAndPublishesOnTheLane() {
        List<Runnable> lane = new CopyOnWriteArrayList<>();
        var fanout = new Fanout(chat, 1, this::database, timer, lane::add, 10_000, 60_000);
        var listener = new Recorder();
        fanout.add(listener);
        fanout.submit(1, () -> delivery(1));
        assertThat("nothing on the caller's thread", listener.seqs, is(empty()));
        lane.forEach(Runnable::run);
        assertThat(listener.seqs, contains(1L));
    }

    @Test
    void holdsAnOvertakingMessageUntilItsPredecessorArrives() {
        var fanout = fanout(this::database, 10_000);
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
        var fanout = fanout(this::database, 50);
        var listener = new Recorder();
        fanout.add(listener);
        fanout.publish(delivery(4));
        await(() -> listener.seqs.size() >= 4);
        assertThat("1..3 read, then 4", listener.seqs, contains(1L, 2L, 3L, 4L));
        fanout.publish(delivery(2));
        fanout.publish(delivery(5));
        assertThat("the late 2 is dropped", listener.seqs, contains(1L, 2L, 3L, 4L, 5L));
    }

    @Test
    void aGapTheDatabaseFillsOnlyInPartIsSkippedWithOneWarning() throws InterruptedException {
        // 1..10 are committed except 1 and 5: seqs that will never exist
        Replay holes = (chatId, after, limit) -> {
            reads.incrementAndGet();
            return LongStream.rangeClosed(after + 1, 10).filter(seq -> seq != 1 && seq != 5)
                    .limit(limit).mapToObj(FanoutTest::delivery).toList();
        };
        var fanout = fanout(holes, 20);
        var listener = new Recorder();
        fanout.add(listener);
        try (var log = LogCapture.of(Fanout.class)) {
            fanout.publish(delivery(8));
            await(() -> listener.seqs.size() >= 6);
            assertThat("what exists, in order, then 8", listener.seqs, contains(2L, 3L, 4L, 6L, 7L, 8L));
            fanout.publish(delivery(9));
            assertThat("later seqs are not blocked", listener.seqs, contains(2L, 3L, 4L, 6L, 7L, 8L, 9L));
            assertThat("one warning per hole", log.messages(Level.WARNING).size(), is(2));
        }
    }

    @Test
    void aGapBeforeTheFirstWaitingSeqThatTheDatabaseLacksIsSkipped() throws InterruptedException {
        Replay nothing = (chatId, after, limit) -> {
            reads.incrementAndGet();
            return List.of();
        };
        var fanout = fanout(nothing, 20);
        var listener = new Recorder();
        fanout.add(listener);
        try (var log = LogCapture.of(Fanout.class)) {
            fanout.publish(delivery(4));
            await(() -> !listener.seqs.isEmpty());
            assertThat(listener.seqs, contains(4L));
            assertThat("one warning", log.messages(Level.WARNING).size(), is(1));
            assertThat("two reads agree on the hole before it is skipped", reads.get(), is(2));
        }
    }

    @Test
    void aFailingDatabaseIsRetriedWithGrowingDelaysThenTheGapIsFilled() throws InterruptedException {
        List<Long> attempts = new CopyOnWriteArrayList<>();
        Replay flaky = (chatId, after, limit) -> {
            attempts.add(System.nanoTime());
            if (attempts.size() <= 4) {
                throw new IllegalStateException("database down");
            }
            return database(chatId, after, limit);
        };
        var fanout = fanout(flaky, 20);
        var listener = new Recorder();
        fanout.add(listener);
        try (var log = LogCapture.of(Fanout.class)) {
            fanout.publish(delivery(3));
            await(() -> listener.seqs.size() >= 3);
            assertThat("filled once the database answers", listener.seqs, contains(1L, 2L, 3L));
            assertThat("five attempts", attempts.size(), is(5));
            long first = attempts.get(2) - attempts.get(1);
            long later = attempts.get(4) - attempts.get(3);
            assertThat("the delay grows", later, greaterThan(first));
            assertThat("one warning for the whole outage", log.messages(Level.WARNING).size(), is(1));
        }
    }

    @Test
    void aClosedFanoutStopsRetrying() throws InterruptedException {
        AtomicInteger attempts = new AtomicInteger();
        Replay down = (chatId, after, limit) -> {
            attempts.incrementAndGet();
            throw new IllegalStateException("database down");
        };
        var fanout = fanout(down, 10);
        var listener = new Recorder();
        fanout.add(listener);
        fanout.publish(delivery(5));
        await(() -> attempts.get() >= 2);
        assertThat("the last listener leaves", fanout.remove(listener), is(true));
        int seen = attempts.get();
        Thread.sleep(400);
        assertThat("at most the read under way finishes", attempts.get(), lessThanOrEqualTo(seen + 1));
    }

    @Test
    void aGapThatCannotBeFilledForTooLongClosesTheListenersToResume() throws InterruptedException {
        Replay down = (chatId, after, limit) -> {
            throw new IllegalStateException("database down");
        };
        var fanout = new Fanout(chat, 1, down, timer, Runnable::run, 10, 200);
        var first = new Recorder();
        var second = new Recorder();
        fanout.add(first);
        fanout.add(second);
        fanout.publish(delivery(2));
        await(fanout::isClosed);
        assertThat("closed", fanout.isClosed(), is(true));
        assertThat("its listeners are closed, to resume from the database", first.open || second.open, is(false));
        assertThat("a closed fanout takes no new listener", fanout.add(new Recorder()), is(false));
    }

    @Test
    void tooManyWaitingDeliveriesCloseTheListenersToResume() {
        var fanout = fanout(this::database, 60_000);
        var listener = new Recorder();
        fanout.add(listener);
        for (long seq = 2; seq <= Fanout.MAX_WAITING + 2; seq++) {
            fanout.publish(delivery(seq));
        }
        assertThat("closed", fanout.isClosed(), is(true));
        assertThat("the listener too", listener.open, is(false));
        assertThat("nothing was delivered out of order", listener.seqs, is(empty()));
    }

    @Test
    void aSignalThatEventsAreCommittedReadsAndDeliversThem() throws InterruptedException {
        var fanout = fanout(this::database, 10_000);
        var listener = new Recorder();
        fanout.add(listener);
        fanout.committed(3);
        await(() -> listener.seqs.size() >= 3);
        assertThat("read at once, without waiting for a gap", listener.seqs, contains(1L, 2L, 3L));
        fanout.committed(2);
        fanout.committed(0);
        Thread.sleep(50);
        assertThat("a stale signal reads nothing", reads.get(), is(1));
        fanout.publish(delivery(4));
        assertThat("and live deliveries go on", listener.seqs, contains(1L, 2L, 3L, 4L));
    }

    @Test
    void aSignalAheadOfALocalDeliveryKeepsTheOrder() throws InterruptedException {
        var fanout = fanout(this::database, 10_000);
        var listener = new Recorder();
        fanout.add(listener);
        fanout.publish(delivery(3));
        fanout.committed(5);
        await(() -> listener.seqs.size() >= 5);
        assertThat(listener.seqs, contains(1L, 2L, 3L, 4L, 5L));
    }

    @Test
    void dropsAListenerThatRefuses() {
        var fanout = fanout(this::database, 10_000);
        var gone = new Recorder();
        var stays = new Recorder();
        fanout.add(gone);
        fanout.add(stays);
        fanout.publish(delivery(1));
        gone.close();
        fanout.publish(delivery(2));
        assertThat("one left", fanout.listeners().size(), is(1));
        assertThat(stays.seqs, contains(1L, 2L));
    }

    @Test
    void aFanoutWhoseLaneNeverRunsIsStalledSinceTheCommitItDidNotDeliver() throws InterruptedException {
        List<Runnable> wedged = new CopyOnWriteArrayList<>();
        var fanout = new Fanout(chat, 1, this::database, timer, wedged::add, 10_000, 60_000);
        fanout.add(new Recorder());
        long before = System.nanoTime();
        assertThat("complete: not stalled", fanout.stalledNanos(before + 1_000_000_000L), is(0L));
        fanout.submit(1, () -> delivery(1));
        Thread.sleep(20);
        long now = System.nanoTime();
        assertThat("behind since the commit", fanout.stalledNanos(now), greaterThan(0L));
        assertThat("and no longer", fanout.stalledNanos(now), lessThanOrEqualTo(now - before));
        fanout.submit(2, () -> delivery(2));
        assertThat("a second commit does not restart the clock",
                fanout.stalledNanos(now + 5_000_000_000L), greaterThan(5_000_000_000L));
        wedged.forEach(Runnable::run);
        assertThat("delivered: complete again", fanout.stalledNanos(System.nanoTime() + 5_000_000_000L), is(0L));
    }

    @Test
    void aFanoutThatDeliversIsNotStalledHoweverLongItIsBusy() {
        var fanout = fanout(this::database, 10_000);
        fanout.add(new Recorder());
        fanout.committed(100);
        long now = System.nanoTime();
        fanout.publish(delivery(1));
        assertThat("behind 100, but it just delivered", fanout.stalledNanos(now), is(0L));
        fanout.remove(fanout.listeners().get(0));
        assertThat("a closed fanout is never stalled", fanout.stalledNanos(now + 120_000_000_000L), is(0L));
    }
}
