import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Slowloris and oversized requests: does the service keep answering everyone else? A probe sends a Send and a
 * History in turn every 20 ms on its own connection, first alone ({@code probe_seconds}, 8; 3 in quick mode: its
 * normal p99), then while for {@code attack_seconds} (12; 5 in quick mode) {@code slow} connections (500; 200 in
 * quick mode) send the headers of a request one byte a second, a quarter of them instead a body one byte a
 * second after complete headers, two clients send bodies over the limit (2 MB declared, and 2 MB chunked), one
 * sends New with 10,000 user_ids, and one headers of 64 KiB. What counts: the probe's requests all succeed and
 * its p99 stays within its normal p99; every oversized request is refused with its 4xx; the server's threads and
 * open files come back once the slow connections are gone.
 */
final class Slowloris {

    private Slowloris() {
    }

    static void run(Args args, boolean quick, Service service, Row row) throws Exception {
        double probeSeconds = args.decimal("probe_seconds", quick ? 3 : 8);
        double attackSeconds = args.decimal("attack_seconds", quick ? 5 : 12);
        int slow = args.integer("slow", quick ? 200 : 500);
        String base = service.base();
        Proc server = service.proc();
        String chat = Ledger.newChats(base, "slow-" + System.nanoTime(), 1).get(0);
        row.done("a probe (Send, History) every 20 ms, alone for %s s, then for %s s beside %d connections sending "
                        + "headers (or, a quarter, a body) one byte a second, bodies over the limit (2 MB declared, 2 MB "
                        + "chunked), New with 10,000 user_ids and 64 KiB headers, back to back",
                Report.fmt(probeSeconds), Report.fmt(attackSeconds), slow);

        Latencies normal = probe(base, chat, probeSeconds, null);
        int filesBefore = server.openFiles();
        int threadsBefore = server.threads();

        AtomicInteger slowOpen = new AtomicInteger();
        AtomicInteger closedByServer = new AtomicInteger();
        List<Socket> sockets = new CopyOnWriteArrayList<>();
        Map<String, LongAdder> oversized = new ConcurrentHashMap<>();
        Latencies oversizedTimes = new Latencies();
        LongAdder probeFailures = new LongAdder();
        int[] peak = new int[2];
        long end = System.nanoTime() + (long) (attackSeconds * 1e9);
        Latencies attacked;
        try (ExecutorService attackers = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < slow; i++) {
                boolean body = i % 4 == 3;
                attackers.submit(() -> dribble(service.port(), body, end, sockets, slowOpen, closedByServer));
            }
            for (String kind : args.get("oversized", "2 MB declared,2 MB chunked,10000 user_ids,64 KiB headers")
                    .split(",")) {
                if (kind.isBlank() || kind.equals("none")) {
                    continue;
                }
                attackers.submit(() -> oversize(base, kind, end, oversized, oversizedTimes));
            }
            attackers.submit(() -> {
                while (System.nanoTime() < end) {
                    try {
                        peak[0] = Math.max(peak[0], server.openFiles());
                        peak[1] = Math.max(peak[1], server.threads());
                    } catch (IOException e) {
                        return;
                    }
                    Load.sleep(500);
                }
            });
            Load.sleep(1000); // the slow connections open first
            attacked = probe(base, chat, Math.max(1, attackSeconds - 2), probeFailures);
            Load.sleep(Math.max(0, (end - System.nanoTime()) / 1_000_000)); // the slow clients end by themselves
            for (Socket s : sockets) {
                close(s);
            }
        }
        Load.sleep(2000);
        int filesAfter = server.openFiles();
        int threadsAfter = server.threads();
        long notRefused = 0;
        List<String> answers = new ArrayList<>();
        for (Map.Entry<String, LongAdder> e : new java.util.TreeMap<>(oversized).entrySet()) {
            answers.add(e.getKey() + " × " + Row.count(e.getValue().sum()));
            String[] kindStatus = e.getKey().split(": ");
            notRefused += kindStatus.length == 2 && kindStatus[1].matches("4\\d\\d") ? 0 : e.getValue().sum();
        }
        double p99 = attacked.quantile(0.99) / 1e6;
        double normalP99 = normal.quantile(0.99) / 1e6;
        row.often("%s probe requests alone, %s during the attack; %d slow connections (%d closed by the server "
                                + "meanwhile); %s oversized requests", Row.count(normal.count()),
                        Row.count(attacked.count()), slowOpen.get(), closedByServer.get(),
                        Row.count(oversizedTimes.count()))
                .lost("probe requests that failed", probeFailures.sum())
                .lost("oversized requests not refused with a 4xx", notRefused)
                .measured("probe p50 alone / during", "%s / %s", Row.millis(normal.quantile(0.5) / 1e6),
                        Row.millis(attacked.quantile(0.5) / 1e6))
                .measured("oversized answers", "%s; p99 %s", String.join(", ", answers),
                        Row.millis(oversizedTimes.quantile(0.99) / 1e6))
                .measured("server open files / threads: before, peak, 2 s after", "%d, %d, %d / %d, %d, %d",
                        filesBefore, peak[0], filesAfter, threadsBefore, peak[1], threadsAfter)
                .check("probe p99 during the attack", Row.millis(p99) + " (alone " + Row.millis(normalP99) + ")",
                        "≤ 1.5× alone", p99 <= 1.5 * normalP99 + 2)
                .check("open files 2 s after the attack", Row.count(filesAfter) + " (before " + filesBefore + ")",
                        "≤ before + 10", filesAfter <= filesBefore + 10);
    }

    /** Send and History in turn every 20 ms on one connection; their latencies (a failure is counted, if asked). */
    private static Latencies probe(String base, String chat, double seconds, LongAdder failures) {
        Latencies l = new Latencies();
        long end = System.nanoTime() + (long) (seconds * 1e9);
        try (Http.Connection c = new Http.Connection(base, 10_000)) {
            for (long k = 0; System.nanoTime() < end; k++) {
                long t0 = System.nanoTime();
                try {
                    Http.Answer a = k % 2 == 0
                            ? c.post("/chat/Send", Http.sendBody(chat, Ledger.SENDER, null, "probe " + k))
                            : c.post("/chat/History", "{\"chat_id\":\"" + chat + "\",\"limit\":20}");
                    if (a.status() == 200) {
                        l.add(System.nanoTime() - t0);
                    } else if (failures != null) {
                        failures.increment();
                    }
                } catch (IOException e) {
                    if (failures != null) {
                        failures.increment();
                    }
                }
                Load.sleep(Math.max(0, 20 - (System.nanoTime() - t0) / 1_000_000));
            }
        }
        return l;
    }

    /** A connection that sends a request a byte a second: its headers, or (body) its body after whole headers. */
    private static void dribble(int port, boolean body, long end, List<Socket> sockets, AtomicInteger open,
                                AtomicInteger closedByServer) {
        Socket s = new Socket();
        try {
            s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            sockets.add(s);
            open.incrementAndGet();
            OutputStream out = s.getOutputStream();
            String head = "POST /chat/Send HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nContent-Type: application/json\r\n";
            if (body) {
                out.write((head + "Content-Length: 100000\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            }
            String slowly = body ? "{\"text\":\"" + "x".repeat(1000) : "X-Slow-" + "a".repeat(1000);
            for (int i = 0; System.nanoTime() < end && i < slowly.length(); i++) {
                out.write(slowly.charAt(i));
                out.flush();
                Load.sleep(1000);
            }
        } catch (IOException e) {
            if (s.isConnected() && !s.isClosed()) {
                closedByServer.incrementAndGet(); // the server closed or reset it, not this client
            }
        }
    }

    /** Oversized requests of one kind, back to back on fresh connections, until the end; each answer is counted. */
    private static void oversize(String base, String kind, long end, Map<String, LongAdder> answers, Latencies times) {
        java.net.URI u = java.net.URI.create(base);
        byte[] request = oversized(kind, u.getHost() + ":" + u.getPort());
        while (System.nanoTime() < end) {
            long t0 = System.nanoTime();
            String answer;
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(u.getHost(), u.getPort()), 5000);
                s.setSoTimeout(10_000);
                Thread writer = Thread.ofVirtual().start(() -> {
                    try {
                        s.getOutputStream().write(request); // the server may answer (and close) before it is all sent
                    } catch (IOException e) {
                        // refused early: that is the answer we read
                    }
                });
                answer = status(s.getInputStream());
                writer.join(10_000);
            } catch (IOException e) {
                answer = "no answer (" + e.getClass().getSimpleName() + ")";
            } catch (InterruptedException e) {
                return;
            }
            times.add(System.nanoTime() - t0);
            answers.computeIfAbsent(kind + ": " + answer, k -> new LongAdder()).increment();
        }
    }

    private static byte[] oversized(String kind, String host) {
        String head = "POST /chat/%s HTTP/1.1\r\nHost: " + host + "\r\nContent-Type: application/json\r\n";
        StringBuilder users = new StringBuilder("{\"user_ids\":[");
        for (int i = 0; i < 10_000; i++) {
            users.append(i == 0 ? "" : ",").append("\"slow-user-").append(i).append('"');
        }
        String newBody = users.append("]}").toString();
        String text = "{\"chat_id\":\"c\",\"user_id\":\"u\",\"text\":\"" + "x".repeat(2_000_000) + "\"}";
        return (switch (kind) {
            case "2 MB declared" -> head.formatted("Send") + "Content-Length: " + text.length() + "\r\n\r\n" + text;
            case "2 MB chunked" -> {
                StringBuilder sb = new StringBuilder(head.formatted("Send") + "Transfer-Encoding: chunked\r\n\r\n");
                for (int at = 0; at < text.length(); at += 65536) {
                    String part = text.substring(at, Math.min(text.length(), at + 65536));
                    sb.append(Integer.toHexString(part.length())).append("\r\n").append(part).append("\r\n");
                }
                yield sb.append("0\r\n\r\n").toString();
            }
            case "10000 user_ids" -> head.formatted("New") + "Content-Length: " + newBody.length() + "\r\n\r\n" + newBody;
            default -> head.formatted("History") + "X-Big: " + "h".repeat(65536) + "\r\nContent-Length: 2\r\n\r\n{}";
        }).getBytes(StandardCharsets.US_ASCII);
    }

    /** The status of the answer ("413"), from its status line. */
    private static String status(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int b = in.read(); b >= 0 && b != '\n' && line.length() < 200; b = in.read()) {
            line.append((char) b);
        }
        if (line.isEmpty()) {
            return "closed without an answer";
        }
        return line.toString().startsWith("HTTP/1.1 ") && line.length() >= 12 ? line.substring(9, 12) : "not HTTP";
    }

    private static void close(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // closed already
        }
    }
}
