import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One result of a measure: a flat JSON object printed as one line on stdout, where {@code bench/run} collects it
 * into {@code results.jsonl} for the report. {@code section} names the measure, {@code target} what was measured
 * (the service, or a reference); the other fields are the measure's own.
 */
final class Result {

    private final Map<String, Object> fields = new LinkedHashMap<>();

    private Result(String section, String target) {
        fields.put("section", section);
        fields.put("target", target);
    }

    static Result of(String section, String target) {
        return new Result(section, target);
    }

    Result put(String key, Object value) {
        fields.put(key, value);
        return this;
    }

    /** A rate or a size, rounded to {@code digits} decimals. */
    Result put(String key, double value, int digits) {
        fields.put(key, round(value, digits));
        return this;
    }

    /** {@code <prefix>p50_ms}, {@code p99_ms} and {@code max_ms} of these latencies. */
    Result latencies(String prefix, Latencies l) {
        fields.put(prefix + "p50_ms", l.ms(0.50));
        fields.put(prefix + "p99_ms", l.ms(0.99));
        fields.put(prefix + "max_ms", l.ms(1.0));
        return this;
    }

    /** A measure that could not be taken: what stopped it, for the table, and the details, for the log. */
    Result error(String what, String detail) {
        fields.put("error", what);
        if (detail != null) {
            fields.put("detail", detail);
        }
        return this;
    }

    void print() {
        System.out.println(Json.write(fields));
        System.out.flush();
    }

    static double round(double v, int digits) {
        double f = Math.pow(10, digits);
        return Math.round(v * f) / f;
    }
}
