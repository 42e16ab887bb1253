import java.util.Arrays;

/**
 * Latencies in nanoseconds, gathered by one thread each (a client, a stream) and merged for the percentiles.
 * Synchronized, so that a late arrival on a stream's reader thread cannot race the merge.
 */
final class Latencies {

    private long[] values = new long[256];
    private int size;
    private boolean sorted;

    synchronized void add(long nanos) {
        if (size == values.length) {
            values = Arrays.copyOf(values, size * 2);
        }
        values[size++] = nanos;
        sorted = false;
    }

    synchronized void addAll(Latencies other) {
        long[] theirs;
        int n;
        synchronized (other) {
            theirs = other.values;
            n = other.size;
        }
        if (size + n > values.length) {
            values = Arrays.copyOf(values, Math.max(values.length * 2, size + n));
        }
        System.arraycopy(theirs, 0, values, size, n);
        size += n;
        sorted = false;
    }

    synchronized void clear() {
        size = 0;
    }

    synchronized int count() {
        return size;
    }

    /** The {@code q}-quantile (nearest rank; 1.0 is the maximum), or -1 when there is none. */
    synchronized long quantile(double q) {
        if (size == 0) {
            return -1;
        }
        if (!sorted) {
            Arrays.sort(values, 0, size);
            sorted = true;
        }
        int i = (int) Math.ceil(q * size) - 1;
        return values[Math.max(0, Math.min(size - 1, i))];
    }

    /** The quantile in milliseconds for a result (null when there is none). */
    Double ms(double q) {
        return ms(quantile(q));
    }

    static Double ms(long nanos) {
        return nanos < 0 ? null : Result.round(nanos / 1e6, nanos < 10_000_000 ? 2 : 1);
    }
}
