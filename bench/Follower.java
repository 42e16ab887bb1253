import java.io.IOException;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A client that follows one chat as {@code EventSource} does: it connects with {@code Last-Event-ID} set to the
 * last event it received (0 at first: the whole chat), and whenever the stream ends, whoever ended it, connects again
 * after {@code retryMillis}; {@link #drop} ends the stream from the client's side, at any moment. Every message
 * it reads is held against what came before: a seq it had already (a duplicate), one below the last it read that it
 * had not had (out of order), and, at the end, the seqs up to the chat's newest that never came (gaps).
 */
final class Follower {

    private final String base;
    private final String chat;
    private final String user;
    private final long retryMillis;
    private final BitSet seen = new BitSet();
    private final Thread thread;
    private volatile boolean running = true;

    // guarded by this
    private SseStream stream;
    private int epoch;
    private long last;
    private long duplicates;
    private long disorder;
    private long connects;
    private long refused;
    private String lastRefusal;

    Follower(String base, String chat, String user, long retryMillis) {
        this.base = base;
        this.chat = chat;
        this.user = user;
        this.retryMillis = retryMillis;
        this.thread = Thread.ofVirtual().name("follower-" + user).start(this::follow);
    }

    private void follow() {
        while (running) {
            int mine;
            long from;
            synchronized (this) {
                mine = ++epoch;
                from = last;
            }
            try {
                SseStream s = SseStream.open(base, chat, user, from, 0, null, seq -> read(mine, seq));
                synchronized (this) {
                    connects++;
                    stream = s;
                    if (epoch != mine || !running) {
                        s.close(); // dropped while connecting
                    }
                }
                s.awaitEnd(Long.MAX_VALUE);
            } catch (InterruptedException e) {
                return;
            } catch (IOException e) {
                synchronized (this) {
                    refused++;
                    lastRefusal = e.getMessage();
                }
            }
            if (running) {
                Load.sleep(retryMillis);
            }
        }
    }

    private synchronized void read(int streamEpoch, long seq) {
        if (streamEpoch != epoch) {
            return; // a line the dropped stream had read before it was closed: the client never took it
        }
        if (seen.get((int) seq)) {
            duplicates++;
        } else if (seq < last) {
            disorder++;
        }
        seen.set((int) seq);
        last = seq;
    }

    /** Ends the current stream from the client's side (its socket closed); it connects again after the retry. */
    void drop() {
        drop(false);
    }

    /**
     * The same, with {@code reset}: the connection torn down (RST) rather than closed. True when it ended an open
     * stream; false while the follower was between streams (the next one is dropped as soon as it opens).
     */
    boolean drop(boolean reset) {
        SseStream s;
        synchronized (this) {
            epoch++;
            s = stream;
            stream = null;
        }
        if (s == null || s.ended()) {
            return false;
        }
        if (reset) {
            s.reset();
        } else {
            s.close();
        }
        return true;
    }

    /** The streams it has opened so far: 1 when its first stream never ended. */
    synchronized long connects() {
        return connects;
    }

    synchronized long last() {
        return last;
    }

    /** Waits until it has read {@code seq}, or the time is up. */
    boolean await(long seq, long untilNanos) {
        while (last() < seq) {
            if (System.nanoTime() >= untilNanos) {
                return false;
            }
            Load.sleep(10);
        }
        return true;
    }

    synchronized long duplicates() {
        return duplicates;
    }

    synchronized long disorder() {
        return disorder;
    }

    /** The seqs from 1 to {@code newest} it never read. */
    synchronized long gaps(long newest) {
        return newest - seen.get(1, (int) newest + 1).cardinality();
    }

    /** Why the last connect failed (a refusal or the connection failure), or null. */
    synchronized String lastRefusal() {
        return refused == 0 ? null : lastRefusal;
    }

    void stop() throws InterruptedException {
        running = false;
        drop();
        thread.join(5000);
    }

    /**
     * What the followers got, once each has caught up with its chat's newest message (or the wait is over):
     * seqs missing, read twice, read out of order; how many followers had to reconnect, how many connects that
     * took beyond the first ones, and how many never caught up.
     */
    record Tally(long gaps, long duplicates, long disorder, long resumed, long reconnects, long late) {
    }

    /** Waits up to {@code waitMillis} for every follower to read its chat's newest message, stops them, tallies. */
    static Tally settle(String base, List<Follower> followers, long waitMillis) throws Exception {
        Map<String, Long> newest = new HashMap<>();
        for (Follower f : followers) {
            if (!newest.containsKey(f.chat)) {
                newest.put(f.chat, Ledger.newest(base, f.chat));
            }
        }
        long until = System.nanoTime() + waitMillis * 1_000_000;
        long gaps = 0;
        long duplicates = 0;
        long disorder = 0;
        long resumed = 0;
        long reconnects = 0;
        long late = 0;
        for (Follower f : followers) {
            long n = newest.get(f.chat);
            late += f.await(n, until) ? 0 : 1;
            f.stop();
            gaps += f.gaps(n);
            duplicates += f.duplicates();
            disorder += f.disorder();
            resumed += f.connects() > 1 ? 1 : 0;
            reconnects += Math.max(0, f.connects() - 1);
        }
        return new Tally(gaps, duplicates, disorder, resumed, reconnects, late);
    }
}
