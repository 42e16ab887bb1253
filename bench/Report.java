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

    /** List (issue 14): the first page for a user in many chats; no reference, the goal is a p99 of 20 ms. */
    private void list() {
        for (Map<String, Object> svc : all("list", "service")) {
            add(new String[]{"List, a user in " + number(String.valueOf(svc.get("chats"))) + " chats, first page of 50: p50 / p99 (ms)",
                    svc.get("p50_ms") + " / " + svc.get("p99_ms"), "", ""}, "p99 ≤ 20 ms");
        }
    }

    /** Search over a chat set of many messages (issue 15), beside pgbench running the same statement. */
    private void search(String rowsIn) {
        for (Map<String, Object> svc : all("search", "service")) {
            add(row("Search, a chat set of " + count(rowsIn) + ": p50 / p99 (ms)", svc,
                    find("search", "pgbench"), PGBENCH, "p50_ms", "p99_ms"), "p99 ≤ 50 ms");
        }
    }

    /**
     * Two instances on one database, per transport: Send with its clients spread over both, beside one instance
     * at the same client count; send to receipt across the instances, beside the same measure on one instance.
     */
    private void fleet() {
        for (String transport : new String[]{"notify", "nats"}) {
            String how = transport.equals("notify") ? "LISTEN/NOTIFY" : "NATS";
            for (Map<String, Object> svc : all("send-fleet", transport)) {
                Object clients = svc.get("clients");
                Map<String, Object> one = find("send", "service", "clients", clients);
                String what = "Send, two instances (" + how + "), " + whole(clients) + " clients spread over both";
                String[] perS = row(what + ": committed messages/s", svc, one, "one instance", "per_s");
                Double errors = num(svc, "errors");
                if (errors != null && errors > 0) {
                    perS[1] = perS[1] + " (" + whole(errors) + " failed)";
                }
                add(perS, "");
                add(row(what + ": latency p50 / p99 (ms)", svc, one, "one instance", "p50_ms", "p99_ms"), "");
            }
            Map<String, Object> cross = find("cross", transport);
            if (cross != null) {
                Map<String, Object> one = find("cross", "one-" + transport);
                String what = "Send to receipt across two instances (" + how + "), " + whole(cross.get("rate"))
                        + " msg/s over " + whole(cross.get("chats")) + " chats: p50 / p99 / max (ms)";
                add(row(what, cross, one, "one instance", "p50_ms", "p99_ms", "max_ms"), "p99 ≤ 50 ms");
                // the sender's own answers: a sending instance that falls behind shows here, before any transport
                add(row(what.replace(": p50 / p99 / max (ms)", ": each Send's answer p50 / p99 (ms)"), cross, one,
                        "one instance", "send_p50_ms", "send_p99_ms"), "");
                if (cross.get("error") == null && !Objects.equals(cross.get("delivered"), cross.get("expected"))) {
                    add(new String[]{what.replace(": p50 / p99 / max (ms)", ": delivered / expected"),
                            whole(cross.get("delivered")) + " / " + whole(cross.get("expected")), "", ""}, "");
                }
            }
        }
    }

    // ---- rows ---------------------------------------------------------------------------------------------

    private void add(String[] row, String target) {
        rows.add(new String[]{row[0], row[1], row[2], row[3], target});
    }

    /**
     * One row: the values of {@code keys} (joined by " / ") for the service and the reference, and their ratios
     * in the same order; a measure that failed shows what stopped it instead.
     */
    private static String[] row(String what, Map<String, Object> svc, Map<String, Object> ref, String refName,
                                String... keys) {
        String se = error(svc);
        String re = error(ref);
        List<String> ratios = new ArrayList<>();
        for (String k : keys) {
            ratios.add(ratio(num(svc, k), num(ref, k)));
        }
        return new String[]{what,
                se != null ? se : values(svc, keys),
                re != null ? re : values(ref, keys) + " (" + refName + ")",
                se != null || re != null ? "–" : String.join(" / ", ratios)};
    }

    private static String values(Map<String, Object> r, String... keys) {
        List<String> v = new ArrayList<>();
        for (String k : keys) {
            v.add(fmt(num(r, k)));
        }
        return String.join(" / ", v);
    }

    private static String owed(Map<String, Object> r) {
        if (r == null || r.get("error") != null) {
            return "";
        }
        return whole(r.get("delivered")) + " / " + whole(r.get("expected")) + ", " + whole(r.get("sat_delivered"))
                + " / " + whole(r.get("sat_expected"));
    }

    private static String reach(Map<String, Object> r) {
        String e = error(r);
        if (e != null) {
            return e;
        }
        String ms = r.get("all_ms") == null ? "not all within 10 s" : "all in " + fmt(r.get("all_ms")) + " ms";
        return (Boolean.TRUE.equals(r.get("all_within_1s")) ? "yes, " : "NO, ") + ms;
    }

    /** What stopped a measure (and where, when it says), "not measured" when it has no result at all, else null. */
    private static String error(Map<String, Object> r) {
        if (r == null) {
            return "not measured";
        }
        if (r.get("error") == null) {
            return null;
        }
        return r.get("error") + (r.get("where") == null ? "" : " (" + r.get("where") + ")");
    }

    // ---- finding results ----------------------------------------------------------------------------------

    private Map<String, Object> find(String section, String target, Object... kv) {
        for (Map<String, Object> r : all(section, target)) {
            boolean ok = true;
            for (int i = 0; i < kv.length; i += 2) {
                ok &= Objects.equals(r.get((String) kv[i]), kv[i + 1]);
            }
            if (ok) {
                return r;
            }
        }
        return null;
    }

    private List<Map<String, Object>> all(String section, String target) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map<String, Object> r : results) {
            if (section.equals(r.get("section")) && target.equals(r.get("target"))) {
                out.add(r);
            }
        }
        return out;
    }

    private static Double num(Map<String, Object> r, String key) {
        return r != null && r.get(key) instanceof Double d ? d : null;
    }

    // ---- formatting ---------------------------------------------------------------------------------------

    static String ratio(Double svc, Double ref) {
        if (svc == null || ref == null || ref == 0) {
            return "–";
        }
        double r = svc / ref;
        return r >= 10 ? String.format(Locale.ROOT, "%.0f", r) : r >= 1 ? String.format(Locale.ROOT, "%.1f", r)
                : String.format(Locale.ROOT, "%.2f", r);
    }

    static String fmt(Object v) {
        if (v == null) {
            return "–";
        }
        if (v instanceof Double d) {
            double a = Math.abs(d);
            if (a >= 1000) {
                return String.format(Locale.ROOT, "%,.0f", d);
            }
            if (a >= 100) {
                return String.format(Locale.ROOT, "%.0f", d);
            }
            if (a >= 10) {
                return String.format(Locale.ROOT, "%.1f", d);
            }
            return String.format(Locale.ROOT, "%.2f", d);
        }
        return v.toString();
    }

    /** A count or a rate: whole numbers without decimals, thousands grouped. */
    static String whole(Object v) {
        if (v instanceof Double d && d == Math.rint(d)) {
            return String.format(Locale.ROOT, "%,d", d.longValue());
        }
        return fmt(v);
    }

    /** A count of messages, as "1,000,000 messages". */
    private static String count(String n) {
        return number(n) + " messages";
    }

    /** A whole number with thousands separators, whether the JSON gave it as 1000 or 1000.0. */
    private static String number(String n) {
        try {
            return String.format(Locale.ROOT, "%,d", Math.round(Double.parseDouble(n)));
        } catch (NumberFormatException e) {
            return n;
        }
    }

    /** A Markdown table with aligned columns, readable as it is in a terminal; figures right-aligned. */
    static String render(List<String[]> rows) {
        return render(rows, false);
    }

    /** The same; with {@code text}, every column is left-aligned (columns of words rather than figures). */
    static String render(List<String[]> rows, boolean text) {
        int cols = rows.get(0).length;
        int[] w = new int[cols];
        for (String[] r : rows) {
            for (int i = 0; i < cols; i++) {
                w[i] = Math.max(w[i], r[i].length());
            }
        }
        StringBuilder sb = new StringBuilder();
        for (int j = 0; j < rows.size(); j++) {
            String[] r = rows.get(j);
            sb.append('|');
            for (int i = 0; i < cols; i++) {
                String pad = " ".repeat(w[i] - r[i].length());
                boolean left = text || i == 0 || i == cols - 1 || j == 0;
                sb.append(' ').append(left ? r[i] + pad : pad + r[i]).append(" |");
            }
            sb.append('\n');
            if (j == 0) {
                sb.append('|');
                for (int i = 0; i < cols; i++) {
                    boolean left = text || i == 0 || i == cols - 1;
                    sb.append(' ').append(left ? "-".repeat(w[i]) : "-".repeat(w[i] - 1) + ":").append(" |");
                }
                sb.append('\n');
            }
        }
        return sb.toString().stripTrailing();
    }
}
