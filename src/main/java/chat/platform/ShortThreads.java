package chat.platform;

import io.helidon.common.context.Context;
import io.helidon.common.context.Contexts;

import java.util.Optional;

/**
 * Runs a step of a long-lived connection's work on a short-lived virtual thread of its own, in the request's
 * context, and waits for it.
 *
 * <p>Why: when a virtual thread parks, its frames are kept in heap objects sized by the deepest stack it has
 * parked with so far, and they never shrink. An event stream's connection thread lives for hours, parked almost
 * all the time in a shallow read of its socket; had it once waited for the database deep inside JPA and JDBC
 * (checking the chat, replaying history), it would keep room for that whole stack: in a heap dump of idle
 * streams, a chunk of about 16 KiB each, 5 of them in use. Steps that wait deep run here instead, and their stack
 * goes with their thread.
 */
public final class ShortThreads {

    /** A step that answers a value or throws {@code E}. */
    @FunctionalInterface
    public interface Step<T, E extends Exception> {
        T call() throws E;
    }

    private ShortThreads() {
    }

    /**
     * Runs {@code step} on a new virtual thread and answers its value, or throws what it threw. Interrupting the
     * waiting thread interrupts the step too, and the wait ends with {@link InterruptedException} once it ended.
     */
    @SuppressWarnings("unchecked")
    public static <T, E extends Exception> T call(Step<T, E> step) throws E, InterruptedException {
        Optional<Context> context = Contexts.context();
        Object[] outcome = new Object[2];
        Thread thread = Thread.ofVirtual().name("short-step").start(() -> {
            try {
                outcome[0] = context.isPresent() ? Contexts.runInContextWithThrow(context.get(), step::call) : step.call();
            } catch (Throwable thrown) {
                outcome[1] = thrown;
            }
        });
        try {
            thread.join();
        } catch (InterruptedException e) {
            thread.interrupt();
            thread.join();
            throw e;
        }
        // join() orders the step's writes before these reads
        if (outcome[1] instanceof RuntimeException unchecked) {
            throw unchecked;
        }
        if (outcome[1] instanceof Error error) {
            throw error;
        }
        if (outcome[1] != null) {
            throw (E) outcome[1];
        }
        return (T) outcome[0];
    }
}
