import java.util.function.Supplier;
import java.util.function.ToIntFunction;

/**
 * One client asking one call in a loop on one connection: {@code warm} unmeasured answers first, then up to
 * {@code requests} measured ones, for at most {@code seconds}. Each answer must be a 200 holding {@code expected}
 * items (counted by a field each item has; the count may depend on the request's body), or it counts as an error;
 * the first error is logged.
 */
final class Asking {

    private final Http.Connection connection;
    private final String path;
    private final String itemField;
    private final ToIntFunction<String> expected;

    private final Latencies latencies = new Latencies();
    private double measuredNanos;
    private int errors;

    private Asking(Http.Connection connection, String path, String itemField, ToIntFunction<String> expected) {
        this.connection = connection;
        this.path = path;
        this.itemField = itemField;
        this.expected = expected;
    }

    /** Asks {@code path} with the bodies {@code body} makes, as described above; the figures are on the result. */
    static Asking run(Http.Connection connection, String path, Supplier<String> body, String itemField, int expected,
                      int warm, int requests, double seconds) throws Exception {
        return run(connection, path, body, itemField, b -> expected, warm, requests, seconds);
    }

    /** The same, with the number of items each body's answer must hold. */
    static Asking run(Http.Connection connection, String path, Supplier<String> body, String itemField,
                      ToIntFunction<String> expected, int warm, int requests, double seconds) throws Exception {
        Asking asking = new Asking(connection, path, itemField, expected);
        long limit = (long) Math.min(seconds * 1e9, Long.MAX_VALUE / 2);
        long start = System.nanoTime();
        for (int i = -warm; i < requests && System.nanoTime() - start < limit; i++) {
            asking.ask(body.get(), i >= 0);
        }
        return asking;
    }

    private void ask(String body, boolean measured) throws Exception {
        long t0 = System.nanoTime();
        Http.Answer a = connection.post(path, body);
        long t1 = System.nanoTime();
        int items = count(a.body(), itemField);
        int wanted = expected.applyAsInt(body);
        if ((a.status() != 200 || items != wanted) && errors++ == 0) {
            Load.log(path + " " + body + " answered " + a.status() + " with " + items + " items, not " + wanted);
        }
        if (measured) {
            latencies.add(t1 - t0);
            measuredNanos += t1 - t0;
        }
    }

    /** {@code requests}, {@code p50_ms}, {@code p99_ms}, {@code per_s} (one client's rate) and {@code errors}. */
    Result into(Result result) {
        int done = latencies.count();
        return result.put("requests", done)
                .put("p50_ms", latencies.ms(0.50)).put("p99_ms", latencies.ms(0.99))
                .put("per_s", done == 0 ? null : Result.round(done / (measuredNanos / 1e9), 0))
                .put("errors", errors);
    }

    /** How many times the needle occurs in s: the items of an answer, counted by a field each has. */
    static int count(String s, String needle) {
        int n = 0;
        for (int i = s.indexOf(needle); i >= 0; i = s.indexOf(needle, i + 1)) {
            n++;
        }
        return n;
    }
}
