import java.util.ArrayList;
import java.util.List;

/**
 * Soak ({@code bench/reliability --soak MINUTES} only): first the service's maximum Send rate here (64 senders back
 * to back for 10 s), then for {@code soak_minutes} half that rate, paced, over 200 chats that 2,000 streams follow
 * (10 a chat, each resuming by {@code Last-Event-ID} should it end). Every minute the server's heap after a full
 * GC, RSS, threads and open files are sampled. What counts: the streams get every message once and in order, no
 * Send fails, and every sample stays flat: the last within 25% (+16 MiB) of the first for heap and RSS, within 10
 * of it for threads and within 5% (+20) for open files.
 */
final class Soak {

    private Soak() {
    }

    static void run(Args args, Service service, Row row) throws Exception {
        int minutes = args.integer("soak_minutes");
        int streamCount = args.integer("streams", 2000);
        String base = service.base();
        Proc server = service.proc();

        List<String> probeChats = Ledger.newChats(base, "soak-max-" + System.nanoTime(), 100);
        Senders max = new Senders(base, probeChats, 64, 0, 30_000, new Ledger(), null);
        Load.sleep(2000);
        long a0 = max.acknowledged();
        Load.sleep(10_000);
        double maxRate = (max.acknowledged() - a0) / 10.0;
        max.stop();
        double rate = maxRate / 2;

        List<String> chats = Ledger.newChats(base, "soak-" + System.nanoTime(), streamCount / 10);
        List<Follower> followers = new ArrayList<>();
        for (int i = 0; i < streamCount; i++) {
            followers.add(new Follower(base, chats.get(i % chats.size()), "soak-reader-" + i, 1000));
        }
        row.done("the maximum Send rate measured first (64 senders back to back, 10 s: %s/s); then half of it "
                        + "for %d minutes over %d chats followed by %d streams; heap after GC, RSS, threads and open "
                        + "files every minute", Report.whole((double) Math.round(maxRate)), minutes, chats.size(),
                streamCount);
        Load.sleep(5000); // the streams open
        int senderCount = 32;
        Ledger ledger = new Ledger();
        long[] failed = new long[1];
        Senders senders = new Senders(base, chats, senderCount, rate / senderCount, 30_000, ledger,
                (t0, t1, status, body) -> {
                    if (status != 200) {
                        synchronized (failed) {
                            failed[0]++;
                        }
                    }
                });
        List<long[]> samples = new ArrayList<>(); // heap, rss, threads, files
        long start = System.nanoTime();
        for (int m = 1; m <= minutes; m++) {
            Load.sleep(Math.max(0, (start + m * 60_000_000_000L - System.nanoTime()) / 1_000_000));
            long[] mem = server.memory();
            samples.add(new long[]{mem[0], mem[1], server.threads(), server.openFiles()});
            Load.log(String.format("soak minute %d: heap %.1f MiB, RSS %.1f MiB, %d threads, %d open files, %,d Sends "
                            + "acknowledged", m, mem[0] / 1048576.0, mem[1] / 1048576.0, server.threads(),
                    server.openFiles(), senders.acknowledged()));
        }
        senders.stop();
        double seconds = (System.nanoTime() - start) / 1e9;
        Follower.Tally streams = Follower.settle(base, followers, 60_000);
        Ledger.Check sample = ledger.verify(base, chats.subList(0, 5));
        row.often("%s Sends in %s (%s/s, half of %s/s) to %d streams", Row.count(senders.sent()), Row.seconds(seconds),
                        Report.whole((double) Math.round(senders.sent() / seconds)),
                        Report.whole((double) Math.round(maxRate)), streamCount)
                .lost("Sends that failed", failed[0])
                .lost("stream gaps", streams.gaps()).lost("stream duplicates", streams.duplicates())
                .lost("stream order violations", streams.disorder())
                .lost("acknowledged Sends lost (5 chats read back)", sample.lost() + sample.moved() + sample.gaps());
        if (samples.isEmpty()) {
            return;
        }
        long[] first = samples.get(0);
        long[] last = samples.get(samples.size() - 1);
        String[] names = {"heap after GC (MiB)", "RSS (MiB)", "threads", "open files"};
        for (int i = 0; i < names.length; i++) {
            List<String> series = new ArrayList<>();
            for (long[] s : samples) {
                series.add(i < 2 ? Report.fmt(s[i] / 1048576.0) : Long.toString(s[i]));
            }
            boolean flat = switch (i) {
                case 0, 1 -> last[i] <= first[i] * 1.25 + 16 * 1048576L;
                case 2 -> last[i] <= first[i] + 10;
                default -> last[i] <= first[i] * 1.05 + 20;
            };
            row.check(names[i] + " each minute", String.join(", ", series), i < 2 ? "last ≤ first + 25% + 16 MiB"
                    : i == 2 ? "last ≤ first + 10" : "last ≤ first + 5% + 20", flat);
        }
    }
}
