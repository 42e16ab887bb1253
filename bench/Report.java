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
 * (service ÷ reference: below 1 is less throughput or less time, above 1 is more).
 */
final class Report {

    private Report() {
    }

    static void run(Map<String, String> args) throws Exception {
        Path in = Path.of(args.get("in"));
        List<Map<String, Object>> results = new ArrayList<>();
        for (String line : Files.readAllLines(in, StandardCharsets.UTF_8)) {
            if (line.startsWith("{")) {
                @SuppressWarnings("unchecked")
                Map<String, Object> r = (Map<String, Object>) Load.Json.read(line);
                results.add(r);
            }
        }
        Map<String, Object> meta = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : args.entrySet()) {
            if (e.getKey().startsWith("meta.")) {
                meta.put(e.getKey().substring(5), e.getValue());
            }
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[]{"measure", "service", "reference", "ratio"});

        // start-up
        Map<String, Object> svcStart = find(results, "startup", "service");
        Map<String, Object> refStart = find(results, "startup", "reference");
        rows.add(row("Start-up: process start to first 200 of /health/ready (s)",
                num(svcStart, "ready_s"), num(refStart, "ready_s"), "JDK HTTP server"));
        rows.add(row("Start-up: process start to first New answered (s)",
                num(svcStart, "new_s"), num(refStart, "new_s"), "JDK HTTP server"));

        // send
        for (Map<String, Object> svc : all(results, "send", "service")) {
            Object clients = svc.get("clients");
            Map<String, Object> pg = find(results, "send", "pgbench", "clients", clients);
            String who = whole(clients) + (num(svc, "clients") == 1 ? " client" : " clients");
            Double errors = num(svc, "errors");
            String[] perS = row("Send, " + who + ", 100 chats: committed messages/s", num(svc, "per_s"),
                    num(pg, "per_s"), "pgbench");
            if (errors != null && errors > 0) {
                perS[1] = perS[1] + " (" + whole(errors) + " failed)";
            }
            rows.add(perS);
            rows.add(pair("Send, " + who + ": latency p50 / p99 (ms)", svc, pg, "pgbench", "p50_ms", "p99_ms"));
        }

        // fan-out
        for (Map<String, Object> svc : all(results, "fanout", "service")) {
            Object shape = svc.get("shape");
            Map<String, Object> ref = find(results, "fanout", "reference", "shape", shape);
            String[] s = String.valueOf(shape).split("x");
            String what = "Fan-out, " + s[0] + (s[0].equals("1") ? " chat" : " chats") + " × " + s[1]
                    + " streams";
            String rate = svc.get("rate") != null ? whole(svc.get("rate")) + " Sends/s"
                    : ref != null && ref.get("rate") != null ? whole(ref.get("rate")) + " Sends/s" : "steady";
            rows.add(triple(what + ", " + rate + ": POST to receipt p50 / p99 / max (ms)", svc, ref,
                    "JDK SSE echo", "p50_ms", "p99_ms", "max_ms"));
            rows.add(row(what + ": deliveries/s (burst of back-to-back Sends)", num(svc, "burst_deliveries_per_s"),
                    num(ref, "burst_deliveries_per_s"), "JDK SSE echo", error(svc), error(ref)));
            if (svc.get("error") == null && !Objects.equals(svc.get("delivered"), svc.get("expected"))) {
                rows.add(new String[]{what + ": delivered / expected", whole(svc.get("delivered")) + " / "
                        + whole(svc.get("expected")), ref == null ? "" : whole(ref.get("delivered")) + " / "
                        + whole(ref.get("expected")), ""});
            }
        }

        // connections
        for (Map<String, Object> svc : all(results, "conns", "service")) {
            Object n = svc.get("streams");
            Map<String, Object> ref = find(results, "conns", "reference", "streams", n);
            String what = "Connections, " + whole(n) + " open streams";
            rows.add(pair(what + ": heap / RSS per stream (KiB)", svc, ref, "JDK SSE echo",
                    "heap_kib_per_stream", "rss_kib_per_stream"));
            rows.add(new String[]{what + ": one Send reaches all within 1 s", reach(svc), reach(ref),
                    ratio(num(svc, "all_ms"), num(ref, "all_ms"))});
        }

        // history
        for (Map<String, Object> svc : all(results, "history", "service")) {
            Object page = svc.get("page");
            Map<String, Object> pg = find(results, "history", "pgbench", "page", page);
            String what = switch (String.valueOf(page)) {
                case "newest" -> "History, newest page";
                case "middle" -> "History, a middle page (before)";
                default -> "History, catch-up page (after)";
            };
            String rowsIn = meta.getOrDefault("history_rows", "?").toString();
            rows.add(pair(what + " of " + fmtCount(rowsIn) + ": p50 / p99 (ms)", svc, pg, "pgbench",
                    "p50_ms", "p99_ms"));
        }

        String table = render(rows);
        System.out.println(table);
        String notes = "ratio = service ÷ reference. References, measured in the same run on the same machine: "
                + "pgbench = PostgreSQL running the service's SQL for that call (bench/*.sql) over TCP loopback; "
                + "JDK SSE echo = bench/EchoServer.java, the same HTTP contract served from memory by the JDK's "
                + "own HTTP server (no framework, no database); JDK HTTP server = the same program's start-up.";
        System.out.println();
        System.out.println(notes);
        if (meta.get("loadavg_before") != null) {
            String noise = "Machine: " + meta.getOrDefault("cores", "?") + " cores, " + meta.getOrDefault("memory_gib", "?")
                    + " GiB; load average (1 min) " + meta.get("loadavg_before") + " before the run, "
                    + meta.getOrDefault("loadavg_after", "?") + " after; " + meta.getOrDefault("mode", "") + " run in "
                    + meta.getOrDefault("elapsed_s", "?") + " s, " + meta.getOrDefault("date", "") + ".";
            System.out.println(noise);
        }
        if (args.get("out") != null) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("meta", meta);
            doc.put("results", results);
            List<Object> table2 = new ArrayList<>();
            for (String[] r : rows.subList(1, rows.size())) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("measure", r[0]);
                m.put("service", r[1]);
                m.put("reference", r[2]);
                m.put("ratio", r[3]);
                table2.add(m);
            }
            doc.put("table", table2);
            doc.put("notes", notes);
            Files.writeString(Path.of(args.get("out")), Load.Json.write(doc) + "\n");
        }
    }

    static Map<String, Object> find(List<Map<String, Object>> rs, String section, String target, Object... kv) {
        for (Map<String, Object> r : rs) {
            if (section.equals(r.get("section")) && target.equals(r.get("target"))) {
                boolean ok = true;
                for (int i = 0; i < kv.length; i += 2) {
                    ok &= Objects.equals(r.get((String) kv[i]), kv[i + 1]);
                }
                if (ok) {
                    return r;
                }
            }
        }
        return null;
    }

    static List<Map<String, Object>> all(List<Map<String, Object>> rs, String section, String target) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map<String, Object> r : rs) {
            if (section.equals(r.get("section")) && target.equals(r.get("target"))) {
                out.add(r);
            }
        }
        return out;
    }

    static Double num(Map<String, Object> r, String key) {
        return r != null && r.get(key) instanceof Double d ? d : null;
    }

    static String error(Map<String, Object> r) {
        if (r == null) {
            return "not measured";
        }
        return r.get("error") == null ? null : r.get("error").toString();
    }

    static String[] row(String what, Double svc, Double ref, String refName) {
        return row(what, svc, ref, refName, null, null);
    }

    static String[] row(String what, Double svc, Double ref, String refName, String svcErr, String refErr) {
        return new String[]{what, svcErr != null ? svcErr : fmt(svc),
                refErr != null ? refErr : fmt(ref) + " (" + refName + ")", ratio(svc, ref)};
    }

    static String[] pair(String what, Map<String, Object> svc, Map<String, Object> ref, String refName, String a,
                         String b) {
        String se = error(svc);
        String re = error(ref);
        return new String[]{what,
                se != null ? se : fmt(num(svc, a)) + " / " + fmt(num(svc, b)),
                re != null ? re : fmt(num(ref, a)) + " / " + fmt(num(ref, b)) + " (" + refName + ")",
                se != null || re != null ? "–" : ratio(num(svc, a), num(ref, a)) + " / " + ratio(num(svc, b),
                        num(ref, b))};
    }

    static String[] triple(String what, Map<String, Object> svc, Map<String, Object> ref, String refName, String a,
                           String b, String c) {
        String se = error(svc);
        String re = error(ref);
        return new String[]{what,
                se != null ? se : fmt(num(svc, a)) + " / " + fmt(num(svc, b)) + " / " + fmt(num(svc, c)),
                re != null ? re : fmt(num(ref, a)) + " / " + fmt(num(ref, b)) + " / " + fmt(num(ref, c))
                        + " (" + refName + ")",
                se != null || re != null ? "–" : ratio(num(svc, a), num(ref, a)) + " / "
                        + ratio(num(svc, b), num(ref, b)) + " / " + ratio(num(svc, c), num(ref, c))};
    }

    static String reach(Map<String, Object> r) {
        String e = error(r);
        if (e != null) {
            return e;
        }
        String ms = r.get("all_ms") == null ? "not all within 10 s" : "all in " + fmt(r.get("all_ms")) + " ms";
        return (Boolean.TRUE.equals(r.get("all_within_1s")) ? "yes, " : "NO, ") + ms;
    }

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

    static String fmtCount(String n) {
        try {
            long v = Long.parseLong(n);
            return String.format(Locale.ROOT, "%,d", v) + " messages";
        } catch (NumberFormatException e) {
            return n + " messages";
        }
    }

    /** A Markdown table with aligned columns, readable as it is in a terminal. */
    static String render(List<String[]> rows) {
        int[] w = new int[4];
        for (String[] r : rows) {
            for (int i = 0; i < 4; i++) {
                w[i] = Math.max(w[i], r[i].length());
            }
        }
        StringBuilder sb = new StringBuilder();
        for (int j = 0; j < rows.size(); j++) {
            String[] r = rows.get(j);
            sb.append('|');
            for (int i = 0; i < 4; i++) {
                String cell = r[i];
                String pad = " ".repeat(w[i] - cell.length());
                sb.append(' ').append(i == 0 || j == 0 ? cell + pad : pad + cell).append(" |");
            }
            sb.append('\n');
            if (j == 0) {
                sb.append('|');
                for (int i = 0; i < 4; i++) {
                    sb.append(' ').append(i == 0 ? "-".repeat(w[i]) : "-".repeat(w[i] - 1) + ":").append(" |");
                }
                sb.append('\n');
            }
        }
        return sb.toString().stripTrailing();
    }
}
