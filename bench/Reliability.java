import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The reliability suite ({@code bench/reliability} runs it): faults, load and bad input against the service as a
 * process, each row saying what was done, how often, and what was lost, which must be nothing. Every row starts the
 * service processes it needs (the rows on streams and input share one), talks to them over loopback only, and
 * ends by itself; a watchdog ends the whole run at {@code deadline=SECONDS}.
 *
 * <pre>
 * java Reliability run    rows=kill-pg,kill-h2,cut,… mode=quick|full|soak java= jar= pids= logs= db= pg_url= …
 * java Reliability report in=results.jsonl out=results.json [meta.k=v …]   prints the table; exit 1 on any loss
 * java Reliability fuzz-case n=N spec=openapi/chat.yaml [seed=16] [host=H:P] [chat=ID]   prints fuzz request N
 * </pre>
 *
 * The rows: {@link KillNine} (kill-pg, kill-h2), {@link DatabaseCut} (cut; and partition in the full run),
 * {@link DropResume} (resume), {@link Fuzz} (fuzz), {@link StalledReader} (stall), {@link Soak} (soak, only with
 * {@code --soak}), {@link Slowloris} (slow).
 */
public final class Reliability {

    /** The rows, in the order of the table: name on the command line, id in the results, title. */
    private static final String[][] ROWS = {
            {"kill-pg", "kill-9-postgresql", "1. kill -9 under load, PostgreSQL"},
            {"kill-h2", "kill-9-h2", "1. kill -9 under load, embedded H2"},
            {"cut", "database-cut", "2. PostgreSQL cut under load (connections reset, refused)"},
            {"partition", "database-partition", "2. PostgreSQL partitioned under load (connections frozen)"},
            {"resume", "drop-resume", "3. streams dropped and resumed during sends"},
            {"fuzz", "fuzz", "4. fuzzing from openapi/chat.yaml"},
            {"stall", "stalled-reader", "5. a stalled reader among many streams"},
            {"soak", "soak", "6. soak"},
            {"slow", "slowloris", "7. slowloris and oversized requests"},
    };

    private Reliability() {
    }

    public static void main(String[] argv) throws Exception {
        if (argv.length == 0) {
            System.err.println("usage: java Reliability run|report key=value ...");
            System.exit(64);
        }
        Args args = Args.parse(argv, 1);
        args.watchdog("Reliability " + argv[0]);
        int status = switch (argv[0]) {
            case "run" -> run(args);
            case "report" -> report(args);
            case "fuzz-case" -> Fuzz.show(args);
            default -> 64;
        };
        System.out.flush();
        System.exit(status);
    }

    private static int run(Args args) throws Exception {
        boolean quick = args.get("mode").equals("quick");
        Service shared = null;
        try {
            for (String name : args.get("rows").split(",")) {
                String[] spec = spec(name);
                Row row = new Row(spec[1], spec[2]);
                long t0 = System.nanoTime();
                Load.log("row " + name + " starts");
                try {
                    if (shared == null && List.of("resume", "fuzz", "stall", "slow", "soak").contains(name)) {
                        // quick mode cuts a stalled stream after 3 s instead of 10 s: the same path, sooner
                        shared = Service.start(Service.Launch.postgres(args, "service", args.get("db") + "_streams",
                                quick ? new String[]{"-Dchat.stream.write-timeout-millis=3000"} : new String[0]));
                    }
                    switch (name) {
                        case "kill-pg" -> KillNine.run(args, quick, false, row);
                        case "kill-h2" -> KillNine.run(args, quick, true, row);
                        case "cut" -> DatabaseCut.run(args, quick, false, row);
                        case "partition" -> DatabaseCut.run(args, quick, true, row);
                        case "resume" -> DropResume.run(args, quick, shared, row);
                        case "fuzz" -> Fuzz.run(args, quick, shared, row);
                        case "stall" -> StalledReader.run(args, quick, shared, row);
                        case "soak" -> Soak.run(args, shared, row);
                        case "slow" -> Slowloris.run(args, quick, shared, row);
                        default -> throw new IllegalArgumentException(name);
                    }
                } catch (Exception | Error e) {
                    Load.log("row " + name + " failed: " + e);
                    e.printStackTrace();
                    row.error("could not be run: " + e.getMessage());
                }
                row.print();
                Load.log("row " + name + " done in " + Row.seconds((System.nanoTime() - t0) / 1e9));
                if (shared != null && !shared.alive()) {
                    Load.log("the shared service has stopped; see its log: " + shared.logTail(20));
                    shared = null;
                }
            }
        } finally {
            if (shared != null) {
                shared.stop();
            }
        }
        return 0;
    }

    private static String[] spec(String name) {
        for (String[] r : ROWS) {
            if (r[0].equals(name)) {
                return r;
            }
        }
        throw new IllegalArgumentException("no such row: " + name);
    }

    // ---- the table ----------------------------------------------------------------------------------------

    /** Prints the table of the rows in {@code in}, writes {@code out}; 1 when anything was lost or not run. */
    @SuppressWarnings("unchecked")
    private static int report(Args args) throws Exception {
        List<Map<String, Object>> results = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of(args.get("in")), StandardCharsets.UTF_8)) {
            if (line.startsWith("{")) {
                results.add((Map<String, Object>) Json.read(line));
            }
        }
        List<String[]> rows = new ArrayList<>();
        String[] head = {"check", "what was done", "how often", "lost (must be 0)", "measured", "result"};
        rows.add(head);
        List<Object> table = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        List<String> asked = List.of(args.get("rows", "").split(","));
        for (String[] spec : ROWS) {
            boolean found = false;
            for (Map<String, Object> r : results) {
                found |= spec[1].equals(r.get("target"));
            }
            if (!found && asked.contains(spec[0])) { // the run ended before the row did: its time limit, a crash
                Map<String, Object> missing = new LinkedHashMap<>();
                missing.put("target", spec[1]);
                missing.put("title", spec[2]);
                missing.put("error", "the suite ended before this row did (its time limit, or a crash: see suite.log)");
                results.add(missing);
            }
            for (Map<String, Object> r : results) {
                if (!spec[1].equals(r.get("target"))) {
                    continue;
                }
                String[] row = render(r, failures);
                rows.add(row);
                Map<String, Object> m = new LinkedHashMap<>();
                for (int i = 0; i < head.length; i++) {
                    m.put(head[i], row[i]);
                }
                table.add(m);
            }
        }
        System.out.println(Report.render(rows, true));
        Map<String, Object> meta = new LinkedHashMap<>();
        args.all().forEach((k, v) -> {
            if (k.startsWith("meta.")) {
                meta.put(k.substring(5), v);
            }
        });
        System.out.println();
        System.out.println("lost: every count must be 0 (a loss fails the run); result: ok, or the losses, or the "
                + "targets missed (reported, not failed: timings depend on the machine).");
        if (meta.get("loadavg_before") != null) {
            System.out.println("Machine: " + meta.getOrDefault("cores", "?") + " cores; load average (1 min) "
                    + meta.get("loadavg_before") + " before the run, " + meta.getOrDefault("loadavg_after", "?")
                    + " after; " + meta.getOrDefault("mode", "") + " run in " + meta.getOrDefault("elapsed_s", "?")
                    + " s, " + meta.getOrDefault("date", "") + ".");
        }
        if (args.get("out", null) != null) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("meta", meta);
            doc.put("passed", failures.isEmpty());
            doc.put("failures", new ArrayList<Object>(failures));
            doc.put("table", table);
            doc.put("results", results);
            Files.writeString(Path.of(args.get("out")), Json.write(doc) + "\n");
        }
        if (!failures.isEmpty()) {
            System.err.println("bench/reliability: " + String.join("; ", failures));
            return 1;
        }
        return 0;
    }

    @SuppressWarnings("unchecked")
    private static String[] render(Map<String, Object> r, List<String> failures) {
        String title = String.valueOf(r.get("title"));
        List<String> lost = new ArrayList<>();
        long losses = 0;
        for (Map.Entry<String, Object> e : ((Map<String, Object>) r.getOrDefault("lost", Map.of())).entrySet()) {
            long n = e.getValue() instanceof Double d ? d.longValue() : -1;
            losses += n == 0 ? 0 : 1;
            lost.add(Report.whole(e.getValue()) + " " + e.getKey());
        }
        List<String> measured = new ArrayList<>();
        ((Map<String, Object>) r.getOrDefault("measured", Map.of())).forEach((k, v) -> measured.add(k + ": " + v));
        List<String> missed = new ArrayList<>();
        for (Object o : (List<Object>) r.getOrDefault("checks", List.of())) {
            Map<String, Object> c = (Map<String, Object>) o;
            boolean met = Boolean.TRUE.equals(c.get("met"));
            measured.add(c.get("what") + ": " + c.get("value") + " (target " + c.get("target") + (met ? ", met)"
                    : ", MISSED)"));
            if (!met) {
                missed.add(String.valueOf(c.get("what")));
            }
        }
        String result;
        if (r.get("error") != null) {
            result = "NOT RUN: " + r.get("error");
            failures.add(title + ": " + r.get("error"));
        } else if (losses > 0) {
            result = "LOST";
            failures.add(title + ": " + String.join(", ", lost));
        } else if (!missed.isEmpty()) {
            result = "missed: " + String.join(", ", missed);
        } else {
            result = "ok";
        }
        return new String[]{title, String.valueOf(r.getOrDefault("done", "")), String.valueOf(r.getOrDefault("often", "")),
                String.join(", ", lost), String.join("; ", measured), result};
    }
}
