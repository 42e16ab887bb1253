package chat.stream.control;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * The live deliveries of one chat, put into seq order. Commits of one chat happen in seq order, but the
 * after-commit notifications run on the committing threads and may arrive in any order; a stream that wrote 6
 * before 5 and then lost its connection would resume after 6 and never see 5. So a delivery ahead of the next
 * expected seq waits here; if the gap is still open after {@code gapWaitMillis}, the missing messages are read from
 * the database (they are committed: a later seq is only taken after the earlier one commits) and the run is
 * delivered in order.
 */
final class Fanout {

    /** What a fanout hands deliveries to: a stream, in production. */
    interface Listener {
        /** Takes a delivery without blocking; false when the listener is gone and must be dropped. */
        boolean offer(Delivery delivery);

        void close();
    }

    private static final Logger LOG = Logger.getLogger(Fanout.class.getName());

    private final UUID chatId;
    private final Subscriber.Replay database;
    private final ScheduledExecutorService timer;
    private final long gapWaitMillis;
    private final List<Listener> subscribers = new ArrayList<>();
    private final TreeMap<Long, Delivery> early = new TreeMap<>();
    private long next;
    private boolean fillScheduled;

    Fanout(UUID chatId, long next, Subscriber.Replay database, ScheduledExecutorService timer, long gapWaitMillis) {
        this.chatId = chatId;
        this.next = next;
        this.database = database;
        this.timer = timer;
        this.gapWaitMillis = gapWaitMillis;
    }

    synchronized void add(Listener subscriber) {
        subscribers.add(subscriber);
    }

    synchronized void remove(Listener subscriber) {
        subscribers.remove(subscriber);
    }

    synchronized boolean isEmpty() {
        return subscribers.isEmpty();
    }

    synchronized int size() {
        return subscribers.size();
    }

    synchronized List<Listener> subscribers() {
        return List.copyOf(subscribers);
    }

    /** Takes a committed message; delivers it, and whatever it completes, in seq order. Never blocks on I/O. */
    synchronized void publish(Delivery delivery) {
        if (delivery.seq() < next) {
            return;
        }
        if (delivery.seq() > next) {
            early.put(delivery.seq(), delivery);
            scheduleFill();
            return;
        }
        deliver(delivery);
        while (!early.isEmpty() && early.firstKey() <= next) {
            Delivery waiting = early.pollFirstEntry().getValue();
            if (waiting.seq() == next) {
                deliver(waiting);
            }
        }
    }

    private void deliver(Delivery delivery) {
        subscribers.removeIf(subscriber -> !subscriber.offer(delivery));
        next = delivery.seq() + 1;
    }

    private void scheduleFill() {
        if (!fillScheduled) {
            fillScheduled = true;
            timer.schedule(() -> Thread.ofVirtual().start(this::fill), gapWaitMillis, TimeUnit.MILLISECONDS);
        }
    }

    /** Reads the messages of a gap that stayed open from the database, then delivers them and what waited. */
    private void fill() {
        long after;
        long before;
        synchronized (this) {
            fillScheduled = false;
            if (early.isEmpty()) {
                return;
            }
            after = next - 1;
            before = early.firstKey();
        }
        List<Delivery> missing;
        try {
            missing = database.after(chatId, after, (int) Math.min(before - after - 1, 1000)).stream()
                    .filter(delivery -> delivery.seq() < before)
                    .toList();
        } catch (RuntimeException e) {
            LOG.warning(() -> "cannot read messages " + (after + 1) + ".." + (before - 1) + " of chat " + chatId
                    + " to fill a gap, trying again: " + e);
            synchronized (this) {
                scheduleFill();
            }
            return;
        }
        synchronized (this) {
            if (missing.isEmpty() && next == after + 1 && !early.isEmpty()) {
                LOG.warning(() -> "messages " + (after + 1) + ".." + (before - 1) + " of chat " + chatId
                        + " are not in the database; continuing after them");
                next = early.firstKey();
            }
            missing.forEach(this::publish);
            if (!early.isEmpty() && early.firstKey() == next) {
                publish(early.firstEntry().getValue());
            }
            if (!early.isEmpty()) {
                scheduleFill();
            }
        }
    }
}
