import java.io.IOException;
import java.time.Duration;
import java.time.Instant;

/**
 * Start-up, seen from a client: started just before the server process, it polls {@code /health/ready} every
 * 5 ms until the first 200, then New until the first chat is made, and prints both moments as epoch nanoseconds;
 * {@code bench/run} subtracts the moment it spawned the server. Args: {@code base=URL}.
 */
final class Startup {

    private Startup() {
    }

    static void run(Args args) throws Exception {
        String base = args.get("base");
        long readyNs = -1;
        while (readyNs < 0) {
            try {
                if (Http.get(base, "/health/ready", Duration.ofSeconds(2)).status() == 200) {
                    readyNs = epochNanos();
                }
            } catch (IOException e) {
                // not listening yet
            }
            if (readyNs < 0) {
                Thread.sleep(5);
            }
        }
        long newNs = -1;
        while (newNs < 0) {
            try {
                Http.newChat(base, "startup-a", "startup-b");
                newNs = epochNanos();
            } catch (IOException e) {
                Thread.sleep(5);
            }
        }
        Result.of("ready", "poller").put("ready_epoch_ns", readyNs).put("new_epoch_ns", newNs).print();
    }

    private static long epochNanos() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }
}
