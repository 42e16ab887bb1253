import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Connections: streams on one chat, opened in steps (each with its own user id, as a crowd would), and at each
 * step the server's heap after a full GC and its RSS, counted per stream from the idle server; then one Send,
 * timed until every stream has it. When a step cannot be reached, its result says what stopped it and where: the
 * server's refusal, or a connection failure with the open files of both processes beside their limits.
 *
 * <p>Args: {@code base pid steps=1000,5000,… [jcmd=jcmd] [label=service] [hold=S]}; {@code hold} keeps the last
 * step's streams open that many seconds more (to look at the server with them, e.g. a heap histogram).
 */
final class Connections {

    private Connections() {
    }

    static void run(Args args) throws Exception {
        String base = args.get("base");
        String label = args.get("label", "service");
        Proc server = Proc.of(args);
        int[] steps = Arrays.stream(args.get("steps").split(",")).mapToInt(Integer::parseInt).toArray();
        String chat = Http.newChat(base, "conn-sender", "conn-reader");
        Marks marks = new Marks();
        String serverLimit = server.filesLimit(); // read now: at a failure there may be no descriptor left to read it
        String ownLimit = Proc.ownFilesLimit();
        long[] idle = server.memory();
        long heap0 = idle[0];
        long rss0 = idle[1];
        Load.log(label + ": before streams: heap " + heap0 / 1024 + " KiB, RSS " + rss0 / 1024 + " KiB");
        List<SseStream> all = new ArrayList<>();
        long k = 0;
        for (int step : steps) {
            Result result = Result.of("conns", label).put("streams", step);
            int before = all.size();
            long t0 = System.nanoTime();
            SseStreams.Opened more = SseStreams.open(base, before, step - before, i -> chat, i -> "conn-" + i,
                    marks, t0 + 120_000_000_000L);
            all.addAll(more.streams());
            double openS = (System.nanoTime() - t0) / 1e9;
            if (!more.all(step - before)) {
                int open = all.size();
                String what = String.format("stopped at %,d open: %s", open, more.reason());
                String where = where(more, label, all, server, serverLimit, ownLimit);
                Load.log(label + ": " + what + " (" + where + ")");
                result.put("opened", open).error(what, more.detail()).put("where", where).print();
                return;
            }
            // registration may finish after the headers: a first message must reach every stream before measuring
            marks.send(base, chat, "conn-sender", ++k);
            if (!SseStreams.awaitAll(all, k, System.nanoTime() + 20_000_000_000L)) {
                result.error("a message did not reach all " + step + " streams within 20 s",
                        SseStreams.countAt(all, k) + " had it").print();
                return;
            }
            Load.sleep(500);
            long[] mem = server.memory();
            long heap = mem[0];
            long rss = mem[1];
            int files = server.openFiles();
            long sent = System.nanoTime();
            marks.send(base, chat, "conn-sender", ++k);
            boolean within1s = SseStreams.awaitAll(all, k, sent + 1_000_000_000L);
            boolean eventually = within1s || SseStreams.awaitAll(all, k, sent + 10_000_000_000L);
            long allAt = System.nanoTime();
            Load.log(label + ": " + step + " streams: heap " + heap / 1024 + " KiB, RSS " + rss / 1024
                    + " KiB, all delivered in " + (allAt - sent) / 1_000_000 + " ms");
            result.put("open_s", openS, 2)
                    .put("heap_mib", heap / 1048576.0, 1).put("rss_mib", rss / 1048576.0, 1)
                    .put("heap_kib_per_stream", (heap - heap0) / 1024.0 / step, 1)
                    .put("rss_kib_per_stream", (rss - rss0) / 1024.0 / step, 1)
                    .put("open_files", files)
                    .put("all_within_1s", within1s).put("delivered", SseStreams.countAt(all, k))
                    .put("all_ms", eventually ? Result.round((allAt - sent) / 1e6, 1) : null)
                    .print();
        }
        Load.sleep((long) (args.decimal("hold", 0) * 1000));
    }

    /**
     * Where a step was stopped: by the server's answer, by the load generator's own open-files limit, or while
     * connecting to the server; with both processes' open files beside their limits. A few streams are closed
     * first, because the load generator may have no descriptor left to read {@code /proc} with.
     */
    private static String where(SseStreams.Opened more, String label, List<SseStream> all, Proc server,
                                String serverLimit, String ownLimit) {
        for (int i = 0; i < 16 && !all.isEmpty(); i++) {
            all.remove(all.size() - 1).close();
        }
        String files = String.format("%s: %,d open files of %s allowed; load generator: %,d of %s (after "
                + "closing 16 streams to count)", label, server.openFiles(), serverLimit, Proc.ownOpenFiles(), ownLimit);
        if (more.refusal() != null) {
            return "answered by the " + label + "; " + files;
        }
        if (String.valueOf(more.failure()).contains("Too many open files")) {
            return "in the load generator, at its open-files limit; " + files;
        }
        return "connecting to the " + label + "; " + files;
    }
}
