package chat.stream.control;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * The live deliveries of one chat, put into seq order. Commits of one chat happen in seq order, but the
 * after-commit notifications run on the committing threads and may arrive in any order; a stream that wrote 6
 * before 5 and then lost its connection would resume after 6 and never see 5. So a delivery ahead of the next
 * expected seq waits here; if the gap is still open after {@code gapWaitMillis}, the missing events are read from
 * the database and the run is delivered in order.
 *
 * <p>The read is authoritative: every seq below one that was published is committed (a seq is only taken after
 * the previous one committed), so a seq of the gap that the database does not return, twice in a row, will never
 * exist, and is skipped with one warning. A read that fails is retried with a growing delay; if the gap cannot be filled for
 * {@code giveUpMillis}, or too many deliveries wait behind it, the fanout closes its listeners, which resume from
 * the database by {@code Last-Event-ID}: nothing is lost and the chat is never wedged. A closed fanout (the last
 * stream left, or it gave up) stops reading.
 *
 * <p>Whether it keeps up is watched from outside without taking its lock ({@link #stalledNanos}): how long it has
 * been behind a seq known to be committed without delivering anything. A fanout that works is behind for as long
 * as a delivery takes, or a gap fill (which gives up after {@code giveUpMillis}); one that stays behind much longer
 * is wedged.
 */
public final class Fanout {

    /** What a fanout hands deliveries to: a stream, in production. */
    public interface Listener {
        /** Takes a delivery without blocking; false when the listener is gone and must be dropped. */
        boolean offer(Delivery delivery);

        /** Ends the listener; its client will resume from where it is complete. */
        void close();
    }

    static final int PAGE = 1000;
    static final int MAX_WAITING = 10_000;
    static final long MAX_RETRY_MILLIS = 5_000;

    private static final Logger LOG = Logger.getLogger(Fanout.class.getName());

    private final UUID chatId;
    private final Replay database;
    private final ScheduledExecutorService timer;
    private final Executor lane;
    private final long gapWaitMillis;
    private final long giveUpMillis;
    private final List<Listener> listeners = new ArrayList<>();
    private final TreeMap<Long, Delivery> early = new TreeMap<>();
    private long next;
    /** The newest seq known to be committed without its event at hand (another instance's signal). */
    private long known;
    /** The newest seq known to be committed, however it was learnt; read without the lock. */
    private final AtomicLong heard;
    /** {@code next - 1}, for reading without the lock. */
    private volatile long delivered;
    /** When delivery last advanced, or fell behind after being complete ({@link System#nanoTime}). */
    private volatile long progressNanos = System.nanoTime();
    /** The fill that is scheduled and has not started, and when it is due; null when none is. */
    private ScheduledFuture<?> pendingFill;
    private long fillDue;
    private volatile boolean closed;
    private int failures;
    private long failingSince;
    /** The first seq of a hole the last read showed, to be confirmed by the next read; -1 for none. */
    private long doubted = -1;

    /**
     * @param next          the first seq this fanout expects
     * @param lane          runs {@link #submit} work one task at a time, in order, off the caller's thread
     * @param gapWaitMillis how long a delivery waits for its predecessor before the gap is read from the database
     * @param giveUpMillis  how long a gap may stay unfillable (database unreachable) before the listeners are closed
     */
    public Fanout(UUID chatId, long next, Replay database, ScheduledExecutorService timer, Executor lane,
                  long gapWaitMillis, long giveUpMillis) {
        this.chatId = chatId;
        this.next = next;
        this.heard = new AtomicLong(next - 1);
        this.delivered = next - 1;
        this.database = database;
        this.timer = timer;
        this.lane = lane;
        this.gapWaitMillis = gapWaitMillis;
        this.giveUpMillis = giveUpMillis;
    }

    /** Adds a listener; false when this fanout is closed and a new one must take its place. */
    public synchronized boolean add(Listener listener) {
        if (closed) {
            return false;
        }
        listeners.add(listener);
        return true;
    }

    /** Removes a listener; the fanout closes itself with its last one. True when it is now closed. */
    public synchronized boolean remove(Listener listener) {
        listeners.remove(listener);
        if (listeners.isEmpty()) {
            closed = true;
            early.clear();
        }
        return closed;
    }

    public synchronized boolean isClosed() {
        return closed;
    }

    /** The seq this fanout delivers next: what a reader of the database on its behalf starts after. */
    public synchronized long next() {
        return next;
    }

    public synchronized List<Listener> listeners() {
        return List.copyOf(listeners);
    }

    /**
     * Renders and publishes committed event {@code seq} on this chat's lane, so that the committing thread only hands
     * it over: its answer does not wait for the rendering or for the number of listeners.
     */
    public void submit(long seq, Supplier<Delivery> rendered) {
        heard(seq);
        lane.execute(() -> {
            if (!isClosed()) {
                publish(rendered.get());
            }
        });
    }

    /** Takes a committed event; delivers it, and whatever it completes, in seq order. Never blocks on I/O. */
    public synchronized void publish(Delivery delivery) {
        heard(delivery.seq());
        if (closed || delivery.seq() < next) {
            return;
        }
        if (delivery.seq() > next) {
            early.put(delivery.seq(), delivery);
            if (early.size() > MAX_WAITING) {
                giveUp(early.size() + " deliveries wait behind seq " + next);
                return;
            }
            scheduleFill(gapWaitMillis);
            return;
        }
        deliver(delivery);
        deliverWaiting();
    }

    /**
     * Learns that the chat has committed events up to {@code seq} without having them at hand (another instance
     * committed them, or a catch-up read the chat's newest seq): they are read from the database at once and
     * delivered in order, after anything that waits. A late, repeated or stale signal costs at most a read.
     */
    public synchronized void committed(long seq) {
        heard(seq);
        if (closed || seq < next) {
            return;
        }
        known = Math.max(known, seq);
        scheduleFill(0);
    }

    private void deliver(Delivery delivery) {
        listeners.removeIf(listener -> !listener.offer(delivery));
        advance(delivery.seq() + 1);
    }

    private void advance(long to) {
        next = to;
        delivered = to - 1;
        progressNanos = System.nanoTime();
    }

    /** Learns that {@code seq} is committed: a fanout that was complete starts being behind now. Lock-free. */
    private void heard(long seq) {
        long before = heard.getAndAccumulate(seq, Math::max);
        if (seq > before && before <= delivered) {
            progressNanos = System.nanoTime();
        }
    }

    /**
     * How long this fanout has been behind a committed seq without delivering anything, at {@link System#nanoTime}
     * {@code now}; 0 while it is complete or closed. Takes no lock, so a wedged fanout cannot hold up the caller.
     */
    public long stalledNanos(long now) {
        if (closed || heard.get() <= delivered) {
            return 0;
        }
        return Math.max(0, now - progressNanos);
    }

    private void deliverWaiting() {
        while (!early.isEmpty() && early.firstKey() <= next) {
            Delivery waiting = early.pollFirstEntry().getValue();
            if (waiting.seq() == next) {
                deliver(waiting);
            }
        }
    }

    /** Schedules a fill, or brings a scheduled one forward; a fill that runs already schedules the next itself. */
    private void scheduleFill(long delayMillis) {
        if (closed) {
            return;
        }
        long due = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(delayMillis);
        if (pendingFill != null) {
            if (due - fillDue >= 0 || !pendingFill.cancel(false)) {
                return;
            }
        }
        fillDue = due;
        pendingFill = timer.schedule(() -> Thread.ofVirtual().start(this::fill), delayMillis, TimeUnit.MILLISECONDS);
    }

    /** Reads the events of a gap that stayed open from the database, then delivers them and what waited. */
    void fill() {
        long after;
        long before;
        synchronized (this) {
            pendingFill = null;
            if (closed || (early.isEmpty() && known < next)) {
                return;
            }
            after = next - 1;
            before = early.isEmpty() ? known + 1 : early.firstKey();
        }
        int limit = (int) Math.min(before - after - 1, PAGE);
        List<Delivery> read;
        try {
            read = database.after(chatId, after, limit);
        } catch (RuntimeException e) {
            failed(after, before, e);
            return;
        }
        synchronized (this) {
            if (closed) {
                return;
            }
            if (failures > 0) {
                LOG.info(() -> "chat " + chatId + ": the database answers again; filling the gap");
                failures = 0;
            }
            boolean doubt = false;
            for (Delivery delivery : read) {
                if (delivery.seq() >= before) {
                    break;
                }
                if (delivery.seq() < next) {
                    continue;
                }
                if (delivery.seq() > next) {
                    if (!holeConfirmed()) {
                        doubt = true;
                        break;
                    }
                    skip(next, delivery.seq() - 1);
                }
                deliver(delivery);
            }
            boolean complete = !doubt && read.size() < limit;
            if (complete && early.isEmpty() && known >= next && known < before) {
                // a signalled seq the database does not have (yet): a hole once two reads agree
                if (holeConfirmed()) {
                    skip(next, known);
                } else {
                    doubt = true;
                }
            }
            if (complete && !early.isEmpty() && early.firstKey() > next && early.firstKey() <= before) {
                if (holeConfirmed()) {
                    skip(next, early.firstKey() - 1);
                } else {
                    doubt = true;
                }
            }
            deliverWaiting();
            if (!early.isEmpty()) {
                scheduleFill(complete || doubt ? gapWaitMillis : 0);
            } else if (known >= next) {
                scheduleFill(doubt ? gapWaitMillis : 0);
            }
        }
    }

    /**
     * True when the hole starting at {@code next} was already there in the previous read: a hole is only skipped
     * once two reads, a gap wait apart, agree that it is one.
     */
    private boolean holeConfirmed() {
        if (doubted == next) {
            return true;
        }
        doubted = next;
        return false;
    }

    private void skip(long from, long to) {
        LOG.warning(() -> "chat " + chatId + ": events " + from + ".." + to
                + " are not in the database although later ones are; continuing after them");
        advance(to + 1);
    }

    private synchronized void failed(long after, long before, RuntimeException e) {
        if (closed) {
            return;
        }
        long now = System.nanoTime();
        if (failures++ == 0) {
            failingSince = now;
            LOG.warning(() -> "chat " + chatId + ": cannot read events " + (after + 1) + ".." + (before - 1)
                    + " to fill a gap; retrying: " + e);
        }
        if (TimeUnit.NANOSECONDS.toMillis(now - failingSince) >= giveUpMillis) {
            giveUp("the database did not answer for " + giveUpMillis + " ms");
            return;
        }
        scheduleFill(Math.min(MAX_RETRY_MILLIS, gapWaitMillis << Math.min(failures, 16)));
    }

    /** Closes every listener: each resumes from the database by Last-Event-ID, so nothing is lost. */
    private void giveUp(String why) {
        LOG.warning(() -> "chat " + chatId + ": " + why + "; closing its " + listeners.size()
                + " streams, which resume from the database");
        closed = true;
        early.clear();
        List<Listener> all = List.copyOf(listeners);
        listeners.clear();
        all.forEach(Listener::close);
    }
}
