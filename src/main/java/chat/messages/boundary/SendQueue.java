package chat.messages.boundary;

import chat.fleet.Fleet;
import chat.fleet.Signal;
import chat.messages.entity.MessageStored;
import chat.problems.Problem;
import chat.problems.UnexpectedProblemMapper;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * Group commit for Send: concurrent Sends share transactions, with no fixed wait. Each chat belongs to one of
 * {@code chat.send.lanes} lanes (by its id), and each lane has one writer thread that takes everything queued when
 * it becomes free. One lane is the default: bench/run measured a single writer best on both databases (it makes
 * the largest batches; a second writer's commits mostly wait for the first one's fsync, and at 16 clients two
 * lanes gave half the throughput of one). A platform thread, so that the writer gets a core as soon as a batch
 * waits, not after the request threads queued on the same carriers. A lone Send is written at once, and under load a batch forms from whatever arrived while the
 * previous one was committing (at most {@code chat.send.max-batch}). One lane per chat keeps a chat's Sends in
 * arrival order and lets no two writers of this instance contend for its row; different chats share a
 * transaction, and one commit (one fsync) serves the whole batch.
 *
 * <p>Each Send is answered after its batch committed, and only then are the new messages handed to the streams
 * ({@link MessageStored}, in seq order per chat). If a batch's transaction fails, its Sends are written again one by
 * one, so that the error reaches only the Send that caused it; if it ran out of time (a chat's row lock held by
 * another instance, say), each chat's Sends are written again on their own, so that only that chat's wait. Every
 * wait is bounded: a batch's statement may take {@code chat.send.statement-timeout-millis}, and a Send that is not
 * answered within {@code chat.send.timeout-millis} gets 503; either may be retried safely with the same client_id.
 *
 * <p>Other instances learn of a batch from the {@link Fleet}: one signal per changed chat with its newest seq, sent
 * inside the batch's transaction (a NOTIFY, delivered at commit) or after its commit (NATS).
 */
@ApplicationScoped
public class SendQueue {

    private static final Logger LOG = Logger.getLogger(SendQueue.class.getName());

    @Inject
    @Named("chat")
    DataSource dataSource;

    @Inject
    Event<MessageStored> stored;

    @Inject
    Fleet fleet;

    @Inject
    @ConfigProperty(name = "chat.send.lanes", defaultValue = "1")
    int laneCount;

    @Inject
    @ConfigProperty(name = "chat.send.max-batch", defaultValue = "256")
    int maxBatch;

    @Inject
    @ConfigProperty(name = "chat.send.queue", defaultValue = "10000")
    int queueLimit;

    @Inject
    @ConfigProperty(name = "chat.send.timeout-millis", defaultValue = "10000")
    long timeoutMillis;

    /**
     * How long a batch's statement may take, its wait for a chat's row lock included: with one writer, a lock that
     * another instance holds and lost must not hold up every chat (the Sends of such a batch get 503 and may be
     * retried).
     */
    @Inject
    @ConfigProperty(name = "chat.send.statement-timeout-millis", defaultValue = "5000")
    long statementTimeoutMillis;

    private Lane[] lanes;
    private volatile boolean closing;
    private volatile SendBatch writer;
    private final AtomicLong batches = new AtomicLong();

    /** A Send and the answer its caller waits for. */
    private record Pending(SendBatch.Item item, CompletableFuture<SendBatch.Outcome> answer) {
    }

    @PostConstruct
    void start() {
        lanes = new Lane[Math.max(1, laneCount)];
        for (int i = 0; i < lanes.length; i++) {
            lanes[i] = new Lane(new LinkedBlockingQueue<>(Math.max(1, queueLimit)));
            Thread.ofPlatform().daemon().name("send-lane-" + i).start(lanes[i]);
        }
    }

    @PreDestroy
    void stop() {
        for (Lane lane : lanes) {
            lane.stop();
        }
    }

    /**
     * Writes the Send in the next batch of its chat's lane and waits for the outcome.
     *
     * @throws Problem 503 {@code chat.Unavailable} when the lane is full or the answer does not come in time, or
     *                 the database cannot be reached; 500 {@code chat.Internal} for anything else
     */
    SendBatch.Outcome send(SendBatch.Item item) {
        if (closing) {
            throw unavailable("the service is shutting down; try again (the same client_id is safe)");
        }
        var pending = new Pending(item, new CompletableFuture<>());
        Lane lane = lanes[Math.floorMod(item.chatId().hashCode(), lanes.length)];
        lane.unanswered.incrementAndGet();
        if (!lane.queue.offer(pending)) {
            lane.unanswered.decrementAndGet();
            throw unavailable("too many Sends are waiting to be written; try again");
        }
        try {
            return pending.answer().get(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw unavailable("the database did not answer in time; try again (the same client_id is safe)");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable("interrupted while waiting for the database");
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Problem problem ? problem : UnexpectedProblemMapper.problem(e.getCause());
        }
    }

    /**
     * Takes no more Sends (503 from now on) and waits until every queued one is written and answered, or until
     * {@link System#nanoTime} reaches {@code deadlineNanos}. True when nothing is left.
     */
    public boolean drain(long deadlineNanos) throws InterruptedException {
        closing = true;
        for (Lane lane : lanes) {
            while (!lane.idle()) {
                if (System.nanoTime() - deadlineNanos >= 0) {
                    return false;
                }
                Thread.sleep(5);
            }
        }
        return true;
    }

    /** How many batch transactions have committed: with group commit, fewer than the Sends they stored. */
    public long batches() {
        return batches.get();
    }

    static Problem unavailable(String detail) {
        return new Problem("chat.Unavailable", 503, detail).retryAfter(1);
    }

    private SendBatch writer(Connection connection) throws SQLException {
        SendBatch known = writer;
        if (known == null) {
            known = new SendBatch(SendBatch.Dialect.of(connection),
                    (int) Math.max(1, (statementTimeoutMillis + 999) / 1000));
            writer = known;
        }
        return known;
    }

    /** One writer thread and the Sends waiting for it. */
    private final class Lane implements Runnable {
        private final BlockingQueue<Pending> queue;
        /** Sends queued or in the batch being written: not answered yet. */
        private final AtomicInteger unanswered = new AtomicInteger();
        private volatile boolean running = true;
        private volatile Thread thread;

        Lane(BlockingQueue<Pending> queue) {
            this.queue = queue;
        }

        /** Nothing queued and no batch being written. */
        boolean idle() {
            return unanswered.get() == 0;
        }

        void stop() {
            running = false;
            Thread current = thread;
            if (current != null) {
                current.interrupt();
            }
        }

        @Override
        public void run() {
            thread = Thread.currentThread();
            List<Pending> batch = new ArrayList<>();
            while (running) {
                try {
                    batch.add(queue.take());
                } catch (InterruptedException e) {
                    break;
                }
                queue.drainTo(batch, maxBatch - 1);
                try {
                    write(batch);
                } catch (RuntimeException e) {
                    LOG.log(Level.SEVERE, "a batch of Sends failed unexpectedly", e);
                    batch.forEach(pending -> pending.answer().completeExceptionally(e));
                }
                unanswered.addAndGet(-batch.size());
                batch.clear();
            }
        }

        /**
         * Writes a batch in one transaction and answers its Sends. A failed transaction is written again in
         * smaller parts, once its connection is back in the pool: Send by Send when one of them may have caused
         * it, chat by chat when it ran out of time.
         */
        private void write(List<Pending> batch) {
            List<SendBatch.Outcome> outcomes = null;
            Exception failure = null;
            boolean committed = false;
            try (Connection connection = dataSource.getConnection()) {
                connection.setAutoCommit(false);
                try {
                    outcomes = writer(connection).write(connection, batch.stream().map(Pending::item).toList());
                    fleet.beforeCommit(connection, changed(outcomes));
                    connection.commit();
                    committed = true;
                    batches.incrementAndGet();
                } catch (SQLException | RuntimeException e) {
                    rollback(connection);
                    failure = e;
                }
            } catch (SQLException e) {
                if (committed) {
                    // giving the connection back failed; the batch is committed and is answered so
                    LOG.log(Level.FINE, "closing a committed batch's connection", e);
                } else {
                    failure = e;
                }
            }
            if (failure == null) {
                answer(batch, outcomes);
            } else if (UnexpectedProblemMapper.databaseUnreachable(failure)) {
                batch.forEach(pending -> pending.answer().completeExceptionally(unavailable(
                        "the database is unavailable; try again (the same client_id is safe)")));
            } else if (UnexpectedProblemMapper.databaseTimedOut(failure)) {
                Map<UUID, List<Pending>> byChat = batch.stream().collect(Collectors.groupingBy(
                        pending -> pending.item().chatId(), LinkedHashMap::new, Collectors.toList()));
                if (byChat.size() > 1) {
                    // one chat's row lock may be held elsewhere: each chat's Sends again, so that only its own wait
                    byChat.values().forEach(this::write);
                } else {
                    Problem late = unavailable("the database did not answer in time; try again (the same client_id"
                            + " is safe)");
                    batch.forEach(pending -> pending.answer().completeExceptionally(late));
                }
            } else if (batch.size() > 1) {
                // one Send may have caused it: each is written alone, so that only that one fails
                batch.forEach(pending -> write(List.of(pending)));
            } else {
                batch.get(0).answer().completeExceptionally(failure);
            }
        }

        private void answer(List<Pending> batch, List<SendBatch.Outcome> outcomes) {
            for (int i = 0; i < batch.size(); i++) {
                batch.get(i).answer().complete(outcomes.get(i));
            }
            for (SendBatch.Outcome outcome : outcomes) {
                if (outcome.stored()) {
                    stored.fire(new MessageStored(outcome.message().chatId(), outcome.message().seq(),
                            outcome.message()));
                }
            }
            fleet.afterCommit(changed(outcomes));
        }

        /** Each chat the batch stored messages in, with its newest seq: what other instances need to know. */
        private static List<Signal> changed(List<SendBatch.Outcome> outcomes) {
            Map<UUID, Signal> newest = new LinkedHashMap<>();
            for (SendBatch.Outcome outcome : outcomes) {
                if (outcome.stored()) {
                    newest.merge(outcome.message().chatId(), Signal.events(outcome.message().chatId(),
                            outcome.message().seq()), (a, b) -> a.seq() >= b.seq() ? a : b);
                }
            }
            return List.copyOf(newest.values());
        }

        private static void rollback(Connection connection) {
            try {
                connection.rollback();
            } catch (SQLException e) {
                LOG.log(Level.FINE, "rolling back a failed batch", e);
            }
        }
    }
}
