import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The database goes away under load and comes back. The service reaches PostgreSQL only through a {@link Proxy} of
 * the suite's own; 8 senders send back to back to 8 chats, 16 streams follow them (2 a chat, resuming by
 * {@code Last-Event-ID} whenever they end), a prober calls History and New in turn every 100 ms and readiness is
 * probed every 250 ms. Then for {@code cut_seconds} (10; 3 in quick mode) the proxy resets every
 * connection and refuses new ones (the database stopped) or, in the partition row, holds every byte in both
 * directions (a network partition); then it lets everything through again and the load goes on for 8 s (5 s in
 * quick mode).
 *
 * <p>What counts: every request in flight during the outage is answered, 200 or 503 in micro's format, never
 * anything else and never a hang (its time is measured); readiness is DOWN during it (checked when the outage
 * outlasts the pool's 5 s wait for a connection: a shorter one is waited out); within 5 s of the database's
 * return every request succeeds again; the streams lose nothing and repeat nothing; every acknowledged Send is
 * stored with its seq, without gaps. After the return, PostgreSQL's sessions of the service are sampled every
 * second: one left idle in transaction, or a Send waiting on a lock, is what keeps a chat stuck after an outage.
 */
final class DatabaseCut {

    private DatabaseCut() {
    }

    /** One request: what it was, when it ran, what it got (-1: no answer). */
    private record Call(String kind, long start, long end, int status, String body) {
        double seconds() {
            return (end - start) / 1e9;
        }
    }

    static void run(Args args, boolean quick, boolean partition, Row row) throws Exception {
        double cutSeconds = args.decimal("cut_seconds", quick ? 3 : 10);
        double before = quick ? 1 : 4;
        double after = quick ? 5 : 8;
        int senderCount = 8;
        String database = args.get("db") + "_cut";
        row.done("%d senders, 16 streams, History and New every 100 ms, readiness every 250 ms; the proxy to "
                        + "PostgreSQL %s for %s s, then %s s more of load", senderCount,
                partition ? "holds every byte (a partition)" : "resets every connection and refuses new ones",
                Report.fmt(cutSeconds), Report.fmt(after));

        ConcurrentLinkedQueue<Call> calls = new ConcurrentLinkedQueue<>();
        Ledger ledger = new Ledger();
        List<Follower> followers = new ArrayList<>();
        AtomicInteger idleInTransaction = new AtomicInteger();
        AtomicInteger waitingOnLock = new AtomicInteger();
        long cutAt;
        long restoredAt;
        long stoppedAt;
        List<String> chats;
        try (Proxy proxy = new Proxy(args.get("pg_host", "127.0.0.1"), args.integer("pg_port", 5432))) {
            Service.Launch launch = Service.Launch.postgres(args, partition ? "partition" : "cut", database);
            Service service = Service.start(launch, "jdbc:postgresql://127.0.0.1:" + proxy.port() + "/" + database);
            String base = service.base();
            try {
                chats = Ledger.newChats(base, "cut-" + System.nanoTime(), 8);
                for (int i = 0; i < 16; i++) {
                    followers.add(new Follower(base, chats.get(i % chats.size()), "cut-reader-" + i, 200));
                }
                Senders senders = new Senders(base, chats, senderCount, 0, 30_000, ledger,
                        (t0, t1, status, body) -> calls.add(call("send", t0, t1, status, body)));
                AtomicBoolean probing = new AtomicBoolean(true);
                Thread prober = Thread.ofVirtual().start(() -> probe(base, chats.get(0), calls, probing));
                Thread ready = Thread.ofVirtual().start(() -> ready(base, calls, probing));
                try {
                    Load.sleep((long) (before * 1000));
                    cutAt = System.nanoTime();
                    if (partition) {
                        proxy.freeze();
                    } else {
                        proxy.cut();
                    }
                    TimeUnit.NANOSECONDS.sleep((long) (cutSeconds * 1e9) - (System.nanoTime() - cutAt));
                    proxy.restore();
                    restoredAt = System.nanoTime();
                    Thread sessions = Thread.ofVirtual().start(() -> sessions(args, database, idleInTransaction,
                            waitingOnLock));
                    Load.sleep((long) (after * 1000));
                    sessions.interrupt();
                    sessions.join();
                } finally {
                    probing.set(false); // not interrupted: a request cut short by the test is not the service's
                    senders.stop();
                    prober.join();
                    ready.join();
                }
                stoppedAt = System.nanoTime();
                Follower.Tally streams = Follower.settle(base, followers, 15_000);
                Ledger.Check check = ledger.verify(base, chats);
                report(row, calls, cutAt, restoredAt, stoppedAt, check, senderCount);
                row.lost("stream gaps", streams.gaps()).lost("stream duplicates", streams.duplicates())
                        .lost("stream order violations", streams.disorder())
                        .measured("streams", "%d of 16 kept open, %d resumed by Last-Event-ID", 16 - streams.resumed(),
                                streams.resumed())
                        .measured("after the return, sessions idle in transaction / waiting on a lock for over 1 s (max)",
                                "%d / %d", idleInTransaction.get(), waitingOnLock.get());
                if (check.example() != null) {
                    row.measured("first problem", "%s", check.example());
                }
            } finally {
                for (Follower f : followers) {
                    f.stop();
                }
                service.stop();
            }
        }
    }

    private static Call call(String kind, long t0, long t1, int status, String body) {
        return new Call(kind, t0, t1, status, status == 200 ? "" : body.substring(0, Math.min(300, body.length())));
    }

    /** History and New in turn, every 100 ms, each on a fresh connection. */
    private static void probe(String base, String chat, ConcurrentLinkedQueue<Call> calls, AtomicBoolean on) {
        for (int k = 0; on.get(); k++) {
            boolean history = k % 2 == 0;
            long t0 = System.nanoTime();
            try (Http.Connection c = new Http.Connection(base, 30_000)) {
                Http.Answer a = history ? c.post("/chat/History", "{\"chat_id\":\"" + chat + "\",\"limit\":5}")
                        : c.post("/chat/New", "{\"user_ids\":[\"cut-probe\",\"cut-probe-" + (k % 50) + "\"]}");
                calls.add(call(history ? "history" : "new", t0, System.nanoTime(), a.status(), a.body()));
            } catch (IOException e) {
                calls.add(call(history ? "history" : "new", t0, System.nanoTime(), -1, e.toString()));
            }
            Load.sleep(100);
        }
    }

    /**
     * {@code /health/ready} every 250 ms, as a balancer probes: each probe on its own, whether the one before has
     * answered or not, so that a probe that waits does not hide what the next one would have been told.
     */
    private static void ready(String base, ConcurrentLinkedQueue<Call> calls, AtomicBoolean on) {
        List<Thread> probes = new ArrayList<>();
        while (on.get()) {
            probes.add(Thread.ofVirtual().start(() -> {
                long t0 = System.nanoTime();
                try {
                    Http.Answer a = Http.get(base, "/health/ready", Duration.ofSeconds(30));
                    calls.add(call("ready", t0, System.nanoTime(), a.status(), a.body()));
                } catch (IOException e) {
                    calls.add(call("ready", t0, System.nanoTime(), -1, e.toString()));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
            Load.sleep(250);
        }
        for (Thread probe : probes) {
            try {
                probe.join(30_000);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /**
     * Samples the service's PostgreSQL sessions every second: the most that were idle in transaction for over a
     * second, and that waited on a lock for over a second.
     */
    private static void sessions(Args args, String database, AtomicInteger idle, AtomicInteger locked) {
        String sql = "SELECT count(*) FILTER (WHERE state = 'idle in transaction' AND state_change < now() - "
                + "interval '1 second') || ' ' || count(*) FILTER (WHERE wait_event_type = 'Lock' AND query_start < "
                + "now() - interval '1 second') FROM pg_stat_activity WHERE datname = '" + database + "'";
        while (!Thread.currentThread().isInterrupted()) {
            try {
                Process p = new ProcessBuilder(args.get("psql"), "-X", "-At", "-h", args.get("pg_host", "127.0.0.1"),
                        "-p", args.get("pg_port", "5432"), "-U", args.get("pg_user", "postgres"), "-d", "postgres",
                        "-c", sql).redirectErrorStream(true).start();
                String[] out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim().split(" ");
                p.waitFor();
                if (out.length == 2) {
                    idle.accumulateAndGet(Integer.parseInt(out[0]), Math::max);
                    locked.accumulateAndGet(Integer.parseInt(out[1]), Math::max);
                }
                Thread.sleep(1000);
            } catch (IOException | NumberFormatException e) {
                Load.log("sampling pg_stat_activity failed: " + e);
                return;
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private static void report(Row row, ConcurrentLinkedQueue<Call> calls, long cutAt, long restoredAt,
                               long stoppedAt, Ledger.Check check, int senders) {
        long ok = 0;
        long unavailable = 0;
        long notMicro = 0;
        long other = 0;
        long unanswered = 0;
        long dropped = 0;
        double slowest = 0;
        String otherExample = null;
        String droppedExample = null;
        long lastFailure = 0;
        long firstDown = -1;
        long answeredDown = 0;
        long answeredUp = 0;
        long waitedOut = 0;
        long upAgain = -1;
        for (Call c : calls) {
            if (c.kind().equals("ready")) {
                if (c.start() >= cutAt && c.start() < restoredAt) {
                    if (c.end() >= restoredAt) {
                        waitedOut++; // still waiting when the database came back
                    } else if (c.status() == 200) {
                        answeredUp++;
                    } else {
                        answeredDown++;
                        firstDown = firstDown < 0 ? c.end() : Math.min(firstDown, c.end());
                    }
                }
                if (c.start() >= restoredAt && c.status() == 200 && (upAgain < 0 || c.end() < upAgain)) {
                    upAgain = c.end();
                }
                continue;
            }
            boolean during = c.start() < restoredAt && c.end() > cutAt;
            if (during) {
                slowest = Math.max(slowest, c.seconds());
                if (c.status() == 200) {
                    ok++;
                } else if (c.status() == 503) {
                    unavailable++;
                    notMicro += c.body().contains("\"code\":503") && c.body().contains("\"id\":\"chat.") ? 0 : 1;
                } else if (c.status() != -1) {
                    other++;
                    otherExample = otherExample != null ? otherExample : c.kind() + " " + c.status() + " " + c.body();
                }
            }
            if (c.start() >= restoredAt && c.status() != 200) {
                lastFailure = Math.max(lastFailure, c.end());
                if (c.status() != 503 && c.status() != -1) {
                    other++;
                    otherExample = otherExample != null ? otherExample : c.kind() + " " + c.status() + " " + c.body();
                }
            }
            if ((during || c.start() >= restoredAt) && c.status() == -1) {
                if (c.body().contains("SocketTimeoutException")) {
                    unanswered++;
                } else {
                    dropped++;
                    droppedExample = droppedExample != null ? droppedExample : c.kind() + ", "
                            + Row.seconds((c.start() - restoredAt) / 1e9) + " after the return: " + c.body();
                }
            }
        }
        double recovery = lastFailure == 0 ? 0 : (lastFailure - restoredAt) / 1e9;
        boolean shortOutage = restoredAt - cutAt < 6_000_000_000L; // the pool's 5 s wait outlasts it
        boolean recovered = lastFailure < stoppedAt - 1_000_000_000L;
        row.often("one outage of %s s; %s Sends (%s acknowledged); %d requests in flight during it: %d answered 200, "
                                + "%d 503", Report.fmt((restoredAt - cutAt) / 1e9), Row.count(calls.stream()
                                .filter(c -> c.kind().equals("send")).count()), Row.count(check.acknowledged()),
                        ok + unavailable + other, ok, unavailable)
                .lost(check)
                .lost("answers other than 200 or micro's 503", other + notMicro)
                .lost("requests unanswered after 30 s", unanswered)
                .lost("connections closed without an answer", dropped)
                .check("longest answer during the outage", Row.seconds(slowest), "≤ 6 s (the pool waits 5 s)",
                        slowest <= 6)
                .check("readiness probes answered during the outage", answeredDown + " DOWN" + (firstDown < 0 ? ""
                                : " (the first " + Row.seconds((firstDown - cutAt) / 1e9) + " in)") + ", " + answeredUp
                                + " UP; " + waitedOut + " still waiting when it ended", "all DOWN" + (shortOutage
                                ? " (not checked: the pool waits 5 s for a connection)" : ""),
                        shortOutage || answeredDown > 0 && answeredUp == 0)
                .check("readiness UP again after the return", upAgain < 0 ? "not within the run"
                        : Row.seconds((upAgain - restoredAt) / 1e9), "≤ 5 s", upAgain > 0
                        && upAgain - restoredAt <= 5_000_000_000L)
                .check("every request succeeds again after the return", recovered ? Row.seconds(recovery)
                                : "not within " + Row.seconds((stoppedAt - restoredAt) / 1e9), "≤ 5 s",
                        recovered && recovery <= 5);
        if (otherExample != null) {
            row.measured("an unexpected answer", "%s", otherExample);
        }
        if (droppedExample != null) {
            row.measured("a connection closed without an answer", "%s", droppedExample);
        }
        Load.log("cut: " + senders + " senders; in flight during the outage: " + ok + " ok, " + unavailable
                + " 503, " + other + " other, " + unanswered + " unanswered, " + dropped + " dropped; slowest " + slowest
                + " s");
    }
}
