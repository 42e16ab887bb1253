package chat.fleet;

import chat.SseClient;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/**
 * A stream client as a browser's EventSource behaves: it follows a chat on one instance and, when the stream ends
 * (its instance was killed), reconnects to the next instance in its list with {@code Last-Event-ID}, the seq of the
 * last event it received. Records every seq it received, repeats included, so that a test can tell "exactly once,
 * in order" from "at least once".
 */
final class Listener implements AutoCloseable {

    private final List<URI> instances;
    private final String chatId;
    private final String userId;
    private final List<Long> seqs = new ArrayList<>();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile int reconnects;
    private volatile SseClient client;

    /** Follows the chat from {@code after} on {@code instances.get(0)}, failing over along the list. */
    Listener(List<URI> instances, String chatId, String userId, long after) throws IOException {
        this.instances = instances;
        this.chatId = chatId;
        this.userId = userId;
        client = open(0, after);
        thread = Thread.ofVirtual().start(this::read);
    }

    private SseClient open(int index, long after) throws IOException {
        SseClient opened = SseClient.open(instances.get(index % instances.size()),
                "/chat/Connect?chat_id=" + chatId + "&user_id=" + userId, Map.of("Last-Event-ID", Long.toString(after)));
        assertThat("stream status: " + opened.errorBody(), opened.status(), is(200));
        return opened;
    }

    private void read() {
        int index = 0;
        try {
            while (running) {
                SseClient.Event event = client.nextSequenced(Duration.ofMillis(100));
                if (event != null) {
                    synchronized (seqs) {
                        seqs.add(Long.parseLong(event.id()));
                        seqs.notifyAll();
                    }
                } else if (client.ended() && running) {
                    index++;
                    reconnects++;
                    client = reopen(index);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The next instance, with the last seq received; retried while that instance is not reachable yet. */
    private SseClient reopen(int index) throws InterruptedException {
        while (true) {
            try {
                return open(index, last());
            } catch (IOException | AssertionError notNow) {
                Thread.sleep(200);
            }
        }
    }

    long last() {
        synchronized (seqs) {
            return seqs.isEmpty() ? 0 : seqs.get(seqs.size() - 1);
        }
    }

    int reconnects() {
        return reconnects;
    }

    /** Waits (bounded) until {@code count} events came, or a little longer if more do. */
    List<Long> awaitCount(int count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (seqs) {
            while (seqs.size() < count) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                TimeUnit.NANOSECONDS.timedWait(seqs, left);
            }
        }
        Thread.sleep(500); // a repeat would come right behind
        synchronized (seqs) {
            return List.copyOf(seqs);
        }
    }

    /** 1, 2, ..., n. */
    static List<Long> oneTo(long n) {
        return LongStream.rangeClosed(1, n).boxed().toList();
    }

    /** from, from + 1, ..., to. */
    static List<Long> range(long from, long to) {
        return LongStream.rangeClosed(from, to).boxed().toList();
    }

    @Override
    public void close() throws IOException {
        running = false;
        client.close();
        thread.interrupt();
    }
}
