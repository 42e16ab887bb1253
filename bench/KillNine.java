import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * kill -9 under load: {@code kill_senders} (64) senders send back to back to 16 new chats; 0.5–2 s after the first
 * answer (0.5–1 s in quick mode) the service is killed with SIGKILL, mid-commit, with Sends in flight; it is started
 * again on the same data and every chat is read back: each acknowledged Send must be there once with the seq it was
 * answered with, and the seqs must run without a gap. {@code kills} times (20; 3 in quick mode), each on new chats,
 * and after the last restart every chat of every round is checked once more. On PostgreSQL (its own database) and on
 * the embedded H2 default (its own data directory).
 */
final class KillNine {

    private KillNine() {
    }

    static void run(Args args, boolean quick, boolean h2, Row row) throws Exception {
        int kills = args.integer("kills", quick ? 3 : 20);
        int senderCount = args.integer("kill_senders", 64);
        int chatCount = 16;
        // kill_properties: -D settings for this row's service, e.g. to see the row fail without a durability setting
        String[] properties = args.get("kill_properties", "").isBlank() ? new String[0]
                : args.get("kill_properties").split(" ");
        Service.Launch launch = h2
                ? Service.Launch.h2(args, "kill-h2", Path.of(args.get("logs"), "kill-h2-data"), properties)
                : Service.Launch.postgres(args, "kill-pg", args.get("db") + "_kill", properties);
        row.done("%d senders back to back on 16 new chats; kill -9 after %s s of load; restart on the same data; "
                + "every chat read back", senderCount, quick ? "0.5–1" : "0.5–2");

        Ledger ledger = new Ledger();
        List<String> every = new ArrayList<>();
        Ledger.Check rounds = Ledger.Check.NONE;
        Latencies restarts = new Latencies();
        long sent = 0;
        Service service = Service.start(launch);
        try {
            for (int k = 0; k < kills; k++) {
                List<String> chats = Ledger.newChats(service.base(), "kill-" + k + "-" + System.nanoTime(), chatCount);
                every.addAll(chats);
                Senders senders = new Senders(service.base(), chats, senderCount, 0, 10_000, ledger, null);
                if (!senders.awaitAcknowledged(1, System.nanoTime() + 30_000_000_000L)) {
                    senders.stop();
                    throw new IllegalStateException("no Send was answered within 30 s of round " + (k + 1));
                }
                Load.sleep(ThreadLocalRandom.current().nextLong(500, quick ? 1000 : 2000));
                service.kill();
                senders.stop();
                sent += senders.sent();
                service = Service.start(launch);
                restarts.add((long) (service.readySeconds * 1e9));
                Ledger.Check round = ledger.verify(service.base(), chats);
                rounds = rounds.plus(round);
                Load.log(launch.name() + " round " + (k + 1) + " of " + kills + ": " + round);
            }
            Ledger.Check last = ledger.verify(service.base(), every);
            row.often("%d kills; %s Sends, %s acknowledged", kills, Row.count(sent), Row.count(ledger.count()))
                    .lost(rounds)
                    .lost("lost by a later kill", Math.max(0, last.losses() - rounds.losses()))
                    .measured("in flight at the kill, stored unacknowledged", "%s", Row.count(rounds.unacknowledged()))
                    .measured("restart to ready p50 / max", "%s / %s", Row.seconds(restarts.quantile(0.5) / 1e9),
                            Row.seconds(restarts.quantile(1.0) / 1e9));
            if (rounds.example() != null || last.example() != null) {
                row.measured("first problem", "%s", rounds.example() != null ? rounds.example() : last.example());
            }
        } finally {
            service.stop();
        }
        row.print();
    }
}
