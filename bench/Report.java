import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Turns the benchmark's result lines (one JSON object each) into the table it prints and into
 * {@code results.json}. Every row puts the service beside a reference measured in the same run, and their ratio
 * (service ÷ reference: below 1 is less throughput or less time, above 1 is more); where an open goal exists for
 * a row, the last column names it.
 */
final class Report {

    private static final String PGBENCH = "pgbench";
    private static final String H2 = "H2 JDBC";
    private static final String ECHO = "JDK SSE echo";

    private final List<Map<String, Object>> results;
    private final List<String[]> rows = new ArrayList<>();

    private Report(List<Map<String, Object>> results) {
        this.results = results;
        rows.add(new String[]{"measure", "service", "reference", "ratio", "target"});
    }

    static void run(Args args) throws Exception {
        List<Map<String, Object>> results = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of(args.get("in")), StandardCharsets.UTF_8)) {
            if (line.startsWith("{")) {
                @SuppressWarnings("unchecked")
                Map<String, Object> r = (Map<String, Object>) Json.read(line);
                results.add(r);
            }
        }
        Map<String, Object> meta = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : args.all().entrySet()) {
            if (e.getKey().startsWith("meta.")) {
                meta.put(e.getKey().substring(5), e.getValue());
            }
        }
        Report report = new Report(results);
        report.startup();
        report.send("send", "Send on PostgreSQL", PGBENCH, "pgbench", true);
        report.sendWithStreams();
        report.send("send-h2", "Send on embedded H2", H2, "h2", false);
        report.fanout();
        report.connections();
        report.churn();
        report.history(String.valueOf(meta.getOrDefault("history_rows", "?")));
        report.list();
        report.search(String.valueOf(meta.getOrDefault("search_rows", "?")));
        report.fleet();

        String table = render(report.rows);
        System.out.println(table);
        String notes = "ratio = service ÷ reference; target = the goal an open issue sets for that row (× is a "
                + "ratio, anything else an absolute figure of the service). References, measured in the same run "
                + "on the same machine: pgbench = PostgreSQL running the service's SQL for that call "
                + "(bench/*.sql) over TCP loopback; H2 JDBC = bench/H2Send.java, H2 running the same Send "
                + "statements through JDBC on a file database with the service's settings; JDK SSE echo = "
                + "bench/EchoServer.java, the same HTTP contract served from memory by the JDK's own HTTP server "
                + "(no framework, no database); JDK HTTP server = the same program's start-up; \"same, no "
                + "streams\" = the same paced Send on the same service to a chat nobody listens to, so that the "
                + "ratio is exactly what the listeners add.";
        System.out.println();
        System.out.println(notes);
        if (meta.get("loadavg_before") != null) {
            System.out.println("Machine: " + meta.getOrDefault("cores", "?") + " cores, "
                    + meta.getOrDefault("memory_gib", "?") + " GiB; load average (1 min) " + meta.get("loadavg_before")
                    + " before the run, " + meta.getOrDefault("loadavg_after", "?") + " after; "
                    + meta.getOrDefault("mode", "") + " run in " + meta.getOrDefault("elapsed_s", "?") + " s, "
                    + meta.getOrDefault("date", "") + ".");
        }
        if (args.get("out", null) != null) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("meta", meta);
            doc.put("results", results);
            List<Object> table2 = new ArrayList<>();
            for (String[] r : report.rows.subList(1, report.rows.size())) {
                Map<String, Object> m = new LinkedHashMap<>();
                for (int i = 0; i < r.length; i++) {
                    m.put(report.rows.get(0)[i], r[i]);
                }
                table2.add(m);
            }
            doc.put("table", table2);
            doc.put("notes", notes);
            Files.writeString(Path.of(args.get("out")), Json.write(doc) + "\n");
        }
    }

    // ---- the sections, in the order they run ---------------------------------------------------------------

    private void startup() {
        Map<String, Object> ref = find("startup", "reference");
        for (String[] who : new String[][]{{"service", "on PostgreSQL"},
                {"service-cached", "on PostgreSQL through target/chat (its class cache)"},
                {"service-h2", "on embedded H2 (the default)"}}) {
            Map<String, Object> svc = find("startup", who[0]);
            if (svc == null && !who[0].equals("service")) {
                continue;
            }
            add(row("Start-up " + who[1] + ": process start to first 200 of /health/ready (s)", svc, ref,
                    "JDK HTTP server", "ready_s"), "≤ 2 s");
            add(row("Start-up " + who[1] + ": process start to first New answered (s)", svc, ref,
                    "JDK HTTP server", "new_s"), "");
        }
    }

    /** Throughput, p99 and p50 per client count, each beside the reference at the same count. */
    private void send(String section, String what, String refName, String refTarget, boolean goals) {
        for (Map<String, Object> svc : all(section, "service")) {
            Object clients = svc.get("clients");
            Map<String, Object> ref = find(section, refTarget, "clients", clients);
            boolean one = Objects.equals(num(svc, "clients"), 1.0);
            String who = whole(clients) + (one ? " client" : " clients");
            String[] perS = row(what + ", " + who + ", 100 chats: committed messages/s", svc, ref, refName, "per_s");
            Double errors = num(svc, "errors");
            if (errors != null && errors > 0) {
                perS[1] = perS[1] + " (" + whole(errors) + " failed)";
            }
            add(perS, goals ? (one ? "≥ 0.8×" : "≥ 1.2×") : "");
            add(row(what + ", " + who + ": latency p99 (ms)", svc, ref, refName, "p99_ms"),
                    goals ? (one ? "" : Objects.equals(num(svc, "clients"), 16.0) ? "≤ 2×" : "≤ 1.5×") : "");
            add(row(what + ", " + who + ": latency p50 (ms)", svc, ref, refName, "p50_ms"), "");
        }
    }

    private void sendWithStreams() {
        Map<String, Object> ref = null;
        for (Map<String, Object> r : all("send-streams", "service")) {
            if (Objects.equals(num(r, "streams"), 0.0)) {
                ref = r;
            }
        }
        for (Map<String, Object> svc : all("send-streams", "service")) {
            if (svc == ref) {
                continue;
            }
            String what = "Send to a chat with " + whole(svc.get("streams")) + " open streams, "
                    + whole(svc.get("rate")) + " Sends/s";
            String refName = "same, no streams";
            add(row(what + ": latency p99 (ms)", svc, ref, refName, "p99_ms"), "≈ 1×");
            add(row(what + ": latency p50 (ms)", svc, ref, refName, "p50_ms"), "≈ 1×");
            add(row(what + ": Sends answered/s", svc, ref, refName, "per_s"), "");
            if (svc.get("error") == null && !Objects.equals(svc.get("delivered"), svc.get("expected"))) {
                add(new String[]{what + ": deliveries to the streams, delivered / expected",
                        whole(svc.get("delivered")) + " / " + whole(svc.get("expected")), "", ""}, "");
            }
        }
    }

    private void fanout() {
        for (Map<String, Object> svc : all("fanout", "service")) {
            Object shape = svc.get("shape");
            Map<String, Object> ref = find("fanout", "reference", "shape", shape);
            String[] s = String.valueOf(shape).split("x");
            boolean room = s[0].equals("1") && s[1].equals("1000");
            String what = "Fan-out, " + s[0] + (s[0].equals("1") ? " chat" : " chats") + " × "
                    + whole(Double.valueOf(s[1])) + " streams";
            add(row(what + ": deliveries/s at saturation", svc, ref, ECHO, "sat_deliveries_per_s"),
                    room ? "≥ 80,000/s" : "");
            add(row(what + ", " + whole(svc.get("rate")) + " Sends/s (" + whole(svc.get("offered_per_s"))
                            + " deliveries/s offered): send to receipt p50 / p99 / max (ms)", svc, ref, ECHO,
                    "p50_ms", "p99_ms", "max_ms"), room ? "p99 ≤ 12 ms" : "");
            if (svc.get("error") == null && (!Objects.equals(svc.get("delivered"), svc.get("expected"))
                    || !Objects.equals(svc.get("sat_delivered"), svc.get("sat_expected")))) {
                add(new String[]{what + ": delivered / expected (steady, saturation)", owed(svc), owed(ref), ""}, "");
            }
        }
    }

    private void connections() {
        for (Map<String, Object> svc : all("conns", "service")) {
            Object n = svc.get("streams");
            Map<String, Object> ref = find("conns", "reference", "streams", n);
            String what = "Connections, " + whole(n) + " open streams";
            add(row(what + ": heap / RSS per stream (KiB)", svc, ref, ECHO, "heap_kib_per_stream",
                    "rss_kib_per_stream"), "RSS ≤ 20 KiB");
            add(new String[]{what + ": one Send reaches all within 1 s", reach(svc), reach(ref),
                    error(svc) != null || error(ref) != null ? "–" : ratio(num(svc, "all_ms"), num(ref, "all_ms"))}, "");
        }
    }

    private void churn() {
        for (Map<String, Object> svc : all("churn", "service")) {
            Map<String, Object> ref = find("churn", "reference");
            String what = "Churn (" + whole(svc.get("seconds")) + " s, ~" + whole(svc.get("rate"))
                    + " streams/s dropped by their clients, " + whole(svc.get("stay")) + " stay)";
            add(row(what + ": open files before / peak / 1 s / " + whole(svc.get("after_s")) + " s after",
                    svc, ref, ECHO, "files_before", "files_peak", "files_1s", "files_after"), "1 s after = before");
            add(row(what + ": heap after GC before / peak / after (MiB)", svc, ref, ECHO,
                    "heap_before_mib", "heap_peak_mib", "heap_after_mib"), "");
            if (svc.get("error") == null && !Objects.equals(svc.get("stay_delivered"), svc.get("stay_expected"))) {
                add(new String[]{what + ": messages to the staying streams, delivered / expected",
                        whole(svc.get("stay_delivered")) + " / " + whole(svc.get("stay_expected")), "", ""}, "");
            }
        }
    }

    private void history(String rowsIn) {
        for (Map<String, Object> svc : all("history", "service")) {
            Object page = svc.get("page");
            Map<String, Object> pg = find("history", "pgbench", "page", page);
            String what = switch (String.valueOf(page)) {
                case "newest" -> "History, newest page";
                case "middle" -> "History, a middle page (before)";
                default -> "History, catch-up page (after)";
            };
            add(row(what + " of " + count(rowsIn) + ": p50 / p99 (ms)", svc, pg, PGBENCH, "p50_ms", "p99_ms"), "");
        }
    }
