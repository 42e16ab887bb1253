import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Pattern;

/**
 * Fuzzing: {@code fuzz_requests} requests (100,000; 5,000 in quick mode) made by {@link FuzzCases} from
 * {@code openapi/chat.yaml} and the run's {@code seed} (16 unless given), sent by 8 clients on keep-alive
 * connections. Before them, 4 chats get 25 messages each. What counts: answers with a 5xx status, bodies with a
 * stack trace or a Java class name, requests with no answer within 5 s; afterwards the service must still answer
 * (readiness, New, Send, History) and hold every message stored before, with its seq. Also counted, not failed:
 * error answers that are not in micro's format (what the HTTP layer refuses before the service sees it), and
 * connections the server closed without an answer.
 */
final class Fuzz {

    /** A stack frame, an exception's name, or a qualified class name (two lowercase packages, then a Class). */
    private static final Pattern LEAK = Pattern.compile("\\tat |\\bat [a-z][\\w$]*(\\.[\\w$]+)+\\(|Exception\\b|"
            + "Caused by|\\b(java|javax|jakarta|sun|jdk)\\.[a-z]+\\.|\\b(io\\.helidon|org\\.glassfish|org\\.hibernate|"
            + "org\\.postgresql|org\\.h2|com\\.fasterxml|com\\.zaxxer|org\\.jboss|org\\.eclipse)\\b|"
            + "\\b[a-z][a-z0-9_]*\\.[a-z][a-z0-9_]*\\.[A-Z][A-Za-z0-9_$]+\\b");
    private static final Pattern MICRO = Pattern.compile("\\{\"id\":\"[^\"]+\",\"code\":(\\d{3}),\"detail\":\"");

    private Fuzz() {
    }

    static void run(Args args, boolean quick, Service service, Row row) throws Exception {
        int requests = args.integer("fuzz_requests", quick ? 5_000 : 100_000);
        long seed = Long.parseLong(args.get("seed", "16"));
        String base = service.base();
        Spec spec = Spec.read(Path.of(args.get("spec")));

        List<String> chats = Ledger.newChats(base, "fuzz-" + System.nanoTime(), 4);
        Ledger ledger = new Ledger();
        Senders before = new Senders(base, chats, 4, 0, 30_000, ledger, null);
        before.awaitAcknowledged(100, System.nanoTime() + 60_000_000_000L);
        before.stop();

        FuzzCases cases = new FuzzCases(spec, chats, "127.0.0.1:" + service.port(), seed);
        LongAdder fivexx = new LongAdder();
        LongAdder beforeService = new LongAdder();
        LongAdder leaks = new LongAdder();
        LongAdder hangs = new LongAdder();
        LongAdder closed = new LongAdder();
        LongAdder notMicro = new LongAdder();
        Map<Integer, LongAdder> statuses = new ConcurrentHashMap<>();
        Map<String, List<String>> failures = new java.util.concurrent.ConcurrentSkipListMap<>();
        Map<String, String> notMicroByStatus = new ConcurrentHashMap<>();
        Latencies times = new Latencies();
        AtomicLong next = new AtomicLong();
        long t0 = System.nanoTime();
        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int c = 0; c < 8; c++) {
                clients.submit(() -> {
                    Http.Connection connection = new Http.Connection(base, 5000);
                    Latencies mine = new Latencies();
                    for (long n = next.getAndIncrement(); n < requests; n = next.getAndIncrement()) {
                        FuzzCases.Case k = cases.make(n);
                        long start = System.nanoTime();
                        try {
                            Http.Answer a = connection.exchange(k.bytes());
                            mine.add(System.nanoTime() - start);
                            statuses.computeIfAbsent(a.status(), s -> new LongAdder()).increment();
                            if (a.status() >= 500 && MICRO.matcher(a.body()).lookingAt()) {
                                fivexx.increment();
                                note(failures, "5xx", n, k, a.status() + " " + a.body());
                            } else if (a.status() >= 500) {
                                beforeService.increment();
                                note(failures, "5xx before the service", n, k, a.status() + " " + a.body());
                            }
                            if (LEAK.matcher(a.body()).find()) {
                                leaks.increment();
                                note(failures, "leak", n, k, a.status() + " " + a.body());
                            }
                            var m = MICRO.matcher(a.body());
                            boolean head = k.what().startsWith("HEAD "); // a HEAD answer has no body, by HTTP
                            if (a.status() >= 400 && !head
                                    && !(m.lookingAt() && m.group(1).equals(Integer.toString(a.status())))) {
                                notMicro.increment();
                                notMicroByStatus.putIfAbsent(Integer.toString(a.status()), "#" + n + " " + k.what()
                                        + " → " + clip(a.body()));
                            }
                        } catch (SocketTimeoutException e) {
                            hangs.increment();
                            note(failures, "no answer within 5 s", n, k, e.toString());
                        } catch (IOException e) {
                            closed.increment();
                            note(failures, "closed", n, k, e.toString());
                        }
                        if (k.closeAfter()) {
                            connection.close();
                        }
                    }
                    connection.close();
                    times.addAll(mine);
                });
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;

        List<String> after = new ArrayList<>();
        boolean answers = stillAnswers(base, chats.get(0), after);
        Ledger.Check check = ledger.verify(base, chats);
        row.done("requests made from openapi/chat.yaml's operations and schemas (seed %d): fields missing, "
                        + "mistyped, extreme or repeated; huge, deep, cut or non-JSON bodies; bytes that are not UTF-8; "
                        + "odd headers, paths, methods, framings and stream parameters; 8 clients", seed)
                .often("%s requests in %s (%s/s); answers by status: %s", Row.count(requests), Row.seconds(seconds),
                        Report.whole((double) Math.round(requests / seconds)), statuses(statuses))
                .lost("5xx answers from the service", fivexx.sum())
                .lost("stack traces or class names in bodies", leaks.sum())
                .lost("no answer within 5 s", hangs.sum())
                .lost("messages stored before, lost", check.lost() + check.moved() + check.gaps())
                .lost("service not answering afterwards", answers ? 0 : 1)
                .measured("answer time p50 / p99 / max", "%s / %s / %s", Row.millis(times.quantile(0.5) / 1e6),
                        Row.millis(times.quantile(0.99) / 1e6), Row.millis(times.quantile(1.0) / 1e6))
                .measured("5xx from Helidon's HTTP layer, before the service (no body)", "%s",
                        Row.count(beforeService.sum()))
                .measured("closed without an answer", "%s", Row.count(closed.sum()))
                .measured("error answers not in micro's format", "%s%s", Row.count(notMicro.sum()),
                        notMicroByStatus.isEmpty() ? "" : " " + new java.util.TreeMap<>(notMicroByStatus).keySet());
        List<String> found = new ArrayList<>();
        failures.forEach((kind, examples) -> {
            if (!kind.equals("closed")) {
                found.addAll(examples);
            }
        });
        if (!found.isEmpty()) {
            row.measured("found", "%s", String.join("; ", found));
        }
        if (!after.isEmpty()) {
            row.measured("afterwards", "%s", String.join("; ", after));
        }
        notMicroByStatus.forEach((status, example) -> Load.log("fuzz: not micro's format, " + status + ": " + example));
        failures.values().forEach(examples -> examples.forEach(f -> Load.log("fuzz: " + f)));
    }

    /**
     * Writes request {@code n} of a run to stdout, byte for byte, to look at or to send again ({@code nc}); its chat
     * ids are {@code chat} (the run's were its own), its {@code Host} is {@code host}.
     */
    static int show(Args args) throws IOException {
        String chat = args.get("chat", "00000000-0000-0000-0000-000000000000");
        FuzzCases cases = new FuzzCases(Spec.read(Path.of(args.get("spec"))), List.of(chat),
                args.get("host", "127.0.0.1:8080"), Long.parseLong(args.get("seed", "16")));
        FuzzCases.Case k = cases.make(Long.parseLong(args.get("n")));
        System.err.println("# " + k.what());
        System.out.write(k.bytes());
        return 0;
    }

    /** Readiness, New, Send and History, each answered 200. */
    private static boolean stillAnswers(String base, String chat, List<String> problems) throws InterruptedException {
        try {
            Http.Answer ready = Http.get(base, "/health/ready", Duration.ofSeconds(10));
            Http.Answer send = Http.post(base, "/chat/Send", Http.sendBody(chat, Ledger.SENDER, null, "after the fuzz"));
            Http.Answer history = Http.post(base, "/chat/History", "{\"chat_id\":\"" + chat + "\",\"limit\":1}");
            String created = Http.newChat(base, "fuzz-after-a", "fuzz-after-b");
            for (Http.Answer a : List.of(ready, send, history)) {
                if (a.status() != 200) {
                    problems.add(a.status() + " " + clip(a.body()));
                }
            }
            return problems.isEmpty() && !created.isEmpty();
        } catch (IOException e) {
            problems.add(e.toString());
            return false;
        }
    }

    /** The first few of each kind, for the table and the log. */
    private static void note(Map<String, List<String>> failures, String kind, long n, FuzzCases.Case k,
                             String answer) {
        List<String> of = failures.computeIfAbsent(kind, x -> java.util.Collections.synchronizedList(new ArrayList<>()));
        if (of.size() < 4) {
            of.add(kind + " #" + n + " (" + k.what() + "): " + clip(answer));
        }
    }

    private static String statuses(Map<Integer, LongAdder> statuses) {
        List<String> parts = new ArrayList<>();
        new java.util.TreeMap<>(statuses).forEach((s, n) -> parts.add(s + " × " + Row.count(n.sum())));
        return String.join(", ", parts);
    }

    private static String clip(String s) {
        String one = s.replace("\n", " ").replace("\r", "");
        return one.length() > 160 ? one.substring(0, 160) + "…" : one;
    }
}
