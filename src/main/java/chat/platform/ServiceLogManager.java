package chat.platform;

import java.util.logging.LogManager;

/**
 * The JDK's log manager, except that it is not reset while the JVM shuts down. The JDK resets it (closing every
 * handler) from a shutdown hook of its own, which runs at the same time as the service's: so the lines of an orderly
 * stop ("shutting down: ending 3 streams…", "nothing in flight") were sometimes lost, as if the service had been
 * killed. Handlers left open lose nothing: the console handler writes through at each line, and the process ends
 * right after. {@code chat.Main} installs it ({@code java.util.logging.manager}) before anything logs.
 */
public final class ServiceLogManager extends LogManager {

    @Override
    public void reset() {
        if (!shuttingDown()) {
            super.reset(); // reading the configuration at start-up resets too, and must
        }
    }

    /** Whether the JVM is running its shutdown hooks: it refuses new ones then. */
    private static boolean shuttingDown() {
        Thread probe = new Thread(() -> { });
        try {
            Runtime.getRuntime().addShutdownHook(probe);
            Runtime.getRuntime().removeShutdownHook(probe);
            return false;
        } catch (IllegalStateException shutdownInProgress) {
            return true;
        }
    }
}
