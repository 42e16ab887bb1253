import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One row of the reliability table, printed as one JSON line: what was done, how often, what was lost (every
 * count there must be 0), what else was measured, and the checks that have a target, met or not. A row that could
 * not be run says what stopped it instead.
 */
final class Row {

    private final String id;
    private final String title;
    private String done = "";
    private String often = "";
    private final Map<String, Object> lost = new LinkedHashMap<>();
    private final Map<String, Object> measured = new LinkedHashMap<>();
    private final List<Object> checks = new ArrayList<>();
    private String error;
    private boolean printed;

    Row(String id, String title) {
        this.id = id;
        this.title = title;
    }

    Row done(String format, Object... args) {
        done = String.format(Locale.ROOT, format, args);
        return this;
    }

    Row often(String format, Object... args) {
        often = String.format(Locale.ROOT, format, args);
        return this;
    }

    /** A count of what must not happen: lost, duplicated or misordered messages, 5xx, hangs. */
    Row lost(String what, long count) {
        lost.put(what, count);
        return this;
    }

    /** The losses of a ledger check: acknowledged Sends lost (or stored with another seq), duplicates, gaps. */
    Row lost(Ledger.Check check) {
        return lost("acknowledged Sends lost", check.lost() + check.moved())
                .lost("duplicates", check.duplicates())
                .lost("seq gaps", check.gaps());
    }

    Row measured(String what, String format, Object... args) {
        measured.put(what, String.format(Locale.ROOT, format, args));
        return this;
    }

    /** A figure with a target: shown with the target, and the row's result names it when it is missed. */
    Row check(String what, String value, String target, boolean met) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("what", what);
        c.put("value", value);
        c.put("target", target);
        c.put("met", met);
        checks.add(c);
        return this;
    }

    Row error(String what) {
        error = what;
        return this;
    }

    /** Prints the row, once: a row that failed after printing its figures is not printed again. */
    void print() {
        if (printed) {
            return;
        }
        printed = true;
        Result r = Result.of("reliability", id).put("title", title).put("done", done).put("often", often)
                .put("lost", lost).put("measured", measured).put("checks", checks);
        if (error != null) {
            r.error(error, null);
        }
        r.print();
    }

    /** Seconds with sensible digits: "0.41 s", "12.3 s". */
    static String seconds(double s) {
        return Report.fmt(s) + " s";
    }

    static String millis(double ms) {
        return Report.fmt(ms) + " ms";
    }

    static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }
}
