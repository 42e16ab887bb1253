import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A stalled reader among many streams: {@code streams} streams (1,000; 200 in quick mode) follow 10 chats; one
 * chat (5 of the streams) gets 20 Sends a second of 60 KiB each, the other nine 2 a second each of small ones,
 * every message timed from its Send to each stream's receipt. First {@code baseline_seconds} (10; 3 in quick mode)
 * as they are; then a client opens a stream on the busy chat and never reads from it, and the same traffic goes on
 * until the server has let that connection go (the kernel first buffers up to 4 MiB for it; then its write makes
 * no progress for {@code chat.stream.write-timeout-millis}: 10 s by default, 3 s for quick mode's service) and 2 s
 * more. What counts: the other
 * streams get every message and their p99 stays what it was without the stalled reader; the server closes the
 * stalled connection (seen in {@code /proc/net/tcp*}: its socket no longer held); its heap after a full GC and its
 * RSS come back to where they were. A stream the server closed because this client, not the stalled one, fell
 * behind (a loaded machine) is counted apart: its messages are not expected of it.
 */
final class StalledReader {

    private static final int CHATS = 10;
    private static final int BUSY = 5;

    private StalledReader() {
    }

    static void run(Args args, boolean quick, Service service, Row row) throws Exception {
        int streamCount = args.integer("streams", quick ? 200 : 1000);
        double baselineSeconds = args.decimal("baseline_seconds", quick ? 3 : 10);
        double writeTimeout = quick ? 3 : 10;
        String base = service.base();
        Proc server = service.proc();
        List<String> chats = Ledger.newChats(base, "stall-" + System.nanoTime(), CHATS);
        row.done("%d streams on 10 chats; one chat (%d streams) 20 Sends/s of 60 KiB, the others 2 Sends/s each; "
                + "%s s like that, then one more stream on the busy chat whose client never reads, until the "
                + "server let it go (write timeout %s s)", streamCount, BUSY, Report.fmt(baselineSeconds),
                Report.fmt(writeTimeout));

        Marks marks = new Marks();
        // streams 0-9 on the busy chat 0, the rest spread over chats 1-9
        SseStreams.Opened opened = SseStreams.open(base, 0, streamCount,
                i -> chats.get(i < BUSY ? 0 : 1 + i % (CHATS - 1)), i -> "stall-reader-" + i, marks,
                System.nanoTime() + 120_000_000_000L);
        if (!opened.all(streamCount)) {
            row.error(opened.why(streamCount));
            return;
        }
        int[] perChat = new int[CHATS];
        for (int i = 0; i < streamCount; i++) {
            perChat[i < BUSY ? 0 : 1 + i % (CHATS - 1)]++;
        }
        AtomicLong k = new AtomicLong();
        AtomicLong expected = new AtomicLong();
        AtomicLongArray sentTo = new AtomicLongArray(CHATS);
        // a first message to every chat, so that every stream is registered before anything is timed
        for (int c = 0; c < CHATS; c++) {
            marks.send(base, chats.get(c), Ledger.SENDER, k.incrementAndGet());
            expected.addAndGet(perChat[c]);
            sentTo.incrementAndGet(c);
        }
        marks.awaitDelivered(expected.get(), System.nanoTime() + 30_000_000_000L);

        AtomicBoolean sending = new AtomicBoolean(true);
        List<Thread> senders = new ArrayList<>();
        String padding = "p".repeat(60 * 1024);
        for (int c = 0; c < CHATS; c++) {
            int chat = c;
            double rate = c == 0 ? 20 : 2;
            senders.add(Thread.ofVirtual().start(() -> {
                long interval = (long) (1e9 / rate);
                for (long next = System.nanoTime(); sending.get(); next += interval) {
                    Load.sleep(Math.max(0, (next - System.nanoTime()) / 1_000_000));
                    if (marks.send(base, chats.get(chat), Ledger.SENDER, k.incrementAndGet(),
                            chat == 0 ? padding : "") > 0) {
                        expected.addAndGet(perChat[chat]);
                        sentTo.incrementAndGet(chat);
                    }
                }
            }));
        }
        Load.sleep(1000); // the senders settle
        marks.recording(true);
        Load.sleep((long) (baselineSeconds * 1000));
        marks.recording(false);
        Latencies baseline = collect(opened.streams());
        long[] before = server.memory();

        Socket stalled = new Socket();
        stalled.setReceiveBufferSize(4096);
        stalled.connect(new InetSocketAddress("127.0.0.1", service.port()), 5000);
        stalled.getOutputStream().write(("GET /chat/Connect?chat_id=" + chats.get(0) + "&user_id=stall-stalled "
                + "HTTP/1.1\r\nHost: 127.0.0.1:" + service.port() + "\r\nAccept: text/event-stream\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        long stalledAt = System.nanoTime();
        marks.recording(true);
        long releasedAt = -1;
        while (System.nanoTime() - stalledAt < 60_000_000_000L) {
            if (!Proc.connectionHeld(service.port(), stalled.getLocalPort())
                    && System.nanoTime() - stalledAt > 500_000_000L) {
                releasedAt = System.nanoTime();
                break;
            }
            Load.sleep(100);
        }
        Load.sleep(2000);
        marks.recording(false);
        sending.set(false);
        for (Thread t : senders) {
            t.join(30_000);
        }
        Latencies stalledPhase = collect(opened.streams());
        marks.awaitDelivered(expected.get(), System.nanoTime() + 15_000_000_000L);
        long missing = 0;
        int cut = 0;
        for (SseStream stream : opened.streams()) {
            int chat = stream.index < BUSY ? 0 : 1 + stream.index % (CHATS - 1);
            if (stream.ended()) {
                cut++;
            } else {
                missing += Math.max(0, sentTo.get(chat) - stream.marked());
            }
        }
        boolean endSeen = drainedToEnd(stalled);
        stalled.close();
        Load.sleep(1000);
        long[] after = server.memory();
        opened.streams().forEach(SseStream::close);

        double p99 = stalledPhase.quantile(0.99) / 1e6;
        double normal = baseline.quantile(0.99) / 1e6;
        double released = releasedAt < 0 ? -1 : (releasedAt - stalledAt) / 1e9;
        double heapBefore = before[0] / 1048576.0;
        double heapAfter = after[0] / 1048576.0;
        row.often("%s Sends, %s deliveries to the other streams; the stalled stream got %s", Row.count(k.get()),
                        Row.count(marks.delivered()), endSeen ? "the end of its connection once it read again"
                                : "no end of its connection (still open)")
                .lost("deliveries missing on the other streams", missing)
                .lost("stalled connection not closed by the server", releasedAt < 0 ? 1 : 0)
                .measured("other streams closed by the server (this client fell behind)", "%d", cut)
                .measured("others' send to receipt p50 without / with the stalled reader", "%s / %s",
                        Row.millis(baseline.quantile(0.5) / 1e6), Row.millis(stalledPhase.quantile(0.5) / 1e6))
                .measured("server heap after GC / RSS, before and after", "%s / %s MiB, %s / %s MiB",
                        Report.fmt(heapBefore), Report.fmt(before[1] / 1048576.0), Report.fmt(heapAfter),
                        Report.fmt(after[1] / 1048576.0))
                .check("others' p99 with the stalled reader", Row.millis(p99) + " (without " + Row.millis(normal) + ")",
                        "≤ 1.5× without", p99 <= 1.5 * normal + 2)
                .check("stalled connection closed by the server after", released < 0 ? "not within 60 s"
                        : Row.seconds(released), "≤ " + Report.fmt(writeTimeout + 10) + " s (up to 4 MiB buffered, "
                        + "then the write timeout)", released >= 0 && released <= writeTimeout + 10)
                .check("heap after GC afterwards", Report.fmt(heapAfter) + " MiB (before " + Report.fmt(heapBefore)
                        + ")", "≤ before + 10% + 8 MiB", heapAfter <= heapBefore * 1.1 + 8);
    }

    private static Latencies collect(List<SseStream> streams) {
        Latencies all = new Latencies();
        for (SseStream s : streams) {
            all.addAll(s.latencies());
            s.latencies().clear();
        }
        return all;
    }

    /** Reads what the stalled connection had buffered; true when it then ends (the server closed it). */
    private static boolean drainedToEnd(Socket s) {
        try {
            s.setSoTimeout(3000);
            InputStream in = s.getInputStream();
            byte[] buffer = new byte[64 * 1024];
            while (in.read(buffer) >= 0) {
                // drain
            }
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // reset: ended too
        }
    }
}
