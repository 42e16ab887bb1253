import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Streams dropped and resumed while messages are sent: 4 senders send 50 messages a second each to 4 chats,
 * {@code readers} streams (20; 10 in quick mode) follow them, and {@code cycles} times (1,000; 100 in quick mode)
 * one of them is dropped by its client, 5–40 ms after the last drop, by closing its socket or, every other time,
 * resetting it; it connects again 20 ms later with {@code Last-Event-ID}, as EventSource does. At the end every
 * stream must have read each message of its chat exactly once and in order: no gap, no duplicate, no message
 * older than one it had read already.
 */
final class DropResume {

    private DropResume() {
    }

    static void run(Args args, boolean quick, Service service, Row row) throws Exception {
        int cycles = args.integer("cycles", quick ? 100 : 1000);
        int readerCount = args.integer("readers", quick ? 10 : 20);
        String base = service.base();
        List<String> chats = Ledger.newChats(base, "resume-" + System.nanoTime(), 4);
        row.done("4 senders at 50 Sends/s each on 4 chats, %d streams following them; one stream dropped every "
                + "5–40 ms (socket closed, or reset), resuming 20 ms later with Last-Event-ID", readerCount);
        Ledger ledger = new Ledger();
        List<Follower> readers = new ArrayList<>();
        for (int i = 0; i < readerCount; i++) {
            readers.add(new Follower(base, chats.get(i % chats.size()), "resume-reader-" + i, 20));
        }
        long t0 = System.nanoTime();
        Senders senders = new Senders(base, chats, 4, 50, 30_000, ledger, null);
        try {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            for (int cycle = 0; cycle < cycles; ) {
                Load.sleep(random.nextLong(5, 40));
                if (readers.get(random.nextInt(readers.size())).drop(cycle % 2 == 1)) {
                    cycle++;
                }
            }
        } finally {
            senders.stop();
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        Follower.Tally streams = Follower.settle(base, readers, 15_000);
        Ledger.Check check = ledger.verify(base, chats);
        row.often("%s drops in %s; %s Sends, %s resumes", Row.count(cycles), Row.seconds(seconds),
                        Row.count(senders.sent()), Row.count(streams.reconnects()))
                .lost("gaps", streams.gaps()).lost("duplicates", streams.duplicates())
                .lost("order violations", streams.disorder())
                .lost("acknowledged Sends lost", check.lost() + check.moved())
                .measured("streams that had not caught up 15 s after the last Send", "%d", streams.late());
    }
}
