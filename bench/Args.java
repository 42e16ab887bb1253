import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code key=value} arguments of a bench program, and the watchdog every one of them starts: whatever happens,
 * the process ends at {@code deadline=SECONDS} (default 300), so no step of {@code bench/run} can hang.
 */
final class Args {

    private final Map<String, String> values = new LinkedHashMap<>();

    static Args parse(String[] argv, int from) {
        Args args = new Args();
        for (int i = from; i < argv.length; i++) {
            int eq = argv[i].indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("not key=value: " + argv[i]);
            }
            args.values.put(argv[i].substring(0, eq), argv[i].substring(eq + 1));
        }
        return args;
    }

    String get(String key) {
        String v = values.get(key);
        if (v == null) {
            throw new IllegalArgumentException("missing argument " + key + "=");
        }
        return v;
    }

    String get(String key, String dflt) {
        return values.getOrDefault(key, dflt);
    }

    int integer(String key) {
        return Integer.parseInt(get(key));
    }

    int integer(String key, int dflt) {
        return values.containsKey(key) ? integer(key) : dflt;
    }

    double decimal(String key) {
        return Double.parseDouble(get(key));
    }

    double decimal(String key, double dflt) {
        return values.containsKey(key) ? decimal(key) : dflt;
    }

    Map<String, String> all() {
        return values;
    }

    void watchdog(String name) {
        long deadline = Long.parseLong(get("deadline", "300"));
        Thread.ofPlatform().daemon().name("watchdog").start(() -> {
            try {
                Thread.sleep(deadline * 1000);
            } catch (InterruptedException e) {
                return;
            }
            System.err.println(name + ": deadline of " + deadline + " s reached, exiting");
            System.out.flush();
            Runtime.getRuntime().halt(3);
        });
    }
}
