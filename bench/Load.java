/**
 * The benchmark's load generator: a process of its own that drives the service (or a reference server) over
 * loopback, measures, and prints one JSON line per result on stdout (progress goes to stderr). Each mode is one
 * measure, in a file of its own; they share a small client ({@link Http} for calls, {@link SseStream} and
 * {@link SseStreams} for live streams, {@link Marks} for timing messages from Send to receipt, {@link Latencies},
 * {@link Proc} for what a server process holds, {@link Result} for the output). Every mode stops by itself when
 * its work is done, and a watchdog ends the process at {@code deadline=SECONDS} whatever happens.
 *
 * <pre>
 * java Load ready        base=URL                                        {@link Startup}
 * java Load send         base=URL[,URL] clients=1,16,64 seconds=S [warmup=S]   {@link Send}
 * java Load send-streams base=URL streams=N rate=R seconds=S             {@link SendWithStreams}
 * java Load fanout       base=URL chats=C streams=N rate=R seconds=S saturate=S   {@link Fanout}
 * java Load conns        base=URL pid=PID steps=1000,5000                {@link Connections}
 * java Load churn        base=URL pid=PID seconds=S [rate=50]            {@link Churn}
 * java Load history      base=URL chat=ID last=N requests=N              {@link History}
 * java Load list         base=URL chats=N requests=N                     {@link ListChats}
 * java Load search       base=URL user=ID requests=N                     {@link Search}
 * java Load cross        send=URL watch=URL rate=R seconds=S             {@link CrossInstance}
 * java Load report       in=results.jsonl out=results.json [meta.k=v …]  {@link Report}: prints the table
 * </pre>
 */
public final class Load {

    private Load() {
    }

    public static void main(String[] argv) throws Exception {
        if (argv.length == 0) {
            System.err.println("usage: java Load MODE key=value ...");
            System.exit(64);
        }
        Args args = Args.parse(argv, 1);
        args.watchdog("Load " + argv[0]);
        switch (argv[0]) {
            case "ready" -> Startup.run(args);
            case "send" -> Send.run(args);
            case "send-streams" -> SendWithStreams.run(args);
            case "fanout" -> Fanout.run(args);
            case "conns" -> Connections.run(args);
            case "churn" -> Churn.run(args);
            case "history" -> History.run(args);
            case "list" -> ListChats.run(args); // issue 14
            case "search" -> Search.run(args);
            case "cross" -> CrossInstance.run(args);
            case "report" -> Report.run(args);
            default -> {
                System.err.println("unknown mode " + argv[0]);
                System.exit(64);
            }
        }
        System.out.flush();
        // streams still open and the HTTP client's threads must not keep the process alive
        System.exit(0);
    }

    static void log(String msg) {
        System.err.println("  [load] " + msg);
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
