import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The benchmark's load generator: a separate process that drives the service (or the reference server) over
 * loopback, measures, and prints one JSON object per result on stdout (progress goes to stderr). Every mode is
 * bounded: it stops by itself when its work is done, and a watchdog ends the process at {@code deadline=SECONDS}
 * whatever happens.
 *
 * <p>Request/response calls use {@code java.net.http.HttpClient} (HTTP/1.1, keep-alive, TCP_NODELAY) from virtual
 * threads. Server-sent event streams use one plain socket per stream with TCP_NODELAY, read by one virtual thread
 * each: thousands of them cost little.
 *
 * <pre>
 * java Load ready   base=URL [deadline=S]                       first 200 of /health/ready, then first New
 * java Load send    base=URL clients=N seconds=S warmup=S [chats=100] [label=...]
 * java Load fanout  base=URL chats=C streams=N rate=R seconds=S burst=B [label=...]
 * java Load conns   base=URL steps=1000,5000 pid=PID [label=...]
 * java Load history base=URL chat=ID last=N requests=N [warm=N] [seconds=S] [label=...]
 * java Load report  in=results.jsonl out=results.json [meta.k=v ...]   prints the table
 * </pre>
 */
public final class Load {

    static final Map<String, String> ARGS = new LinkedHashMap<>();
    static final List<String> FILES = new ArrayList<>();

    public static void main(String[] argv) throws Exception {
        if (argv.length == 0) {
            System.err.println("usage: java Load MODE key=value ...");
            System.exit(64);
        }
        for (int i = 1; i < argv.length; i++) {
            int eq = argv[i].indexOf('=');
            if (eq > 0) {
                ARGS.put(argv[i].substring(0, eq), argv[i].substring(eq + 1));
            } else {
                FILES.add(argv[i]);
            }
        }
        long deadline = Long.parseLong(ARGS.getOrDefault("deadline", "300"));
        Thread.ofPlatform().daemon().name("watchdog").start(() -> {
            try {
                Thread.sleep(deadline * 1000);
            } catch (InterruptedException e) {
                return;
            }
            System.err.println("Load " + argv[0] + ": deadline of " + deadline + " s reached, exiting");
            System.out.flush();
            Runtime.getRuntime().halt(3);
        });
        switch (argv[0]) {
            case "ready" -> ready();
            case "send" -> send();
            case "fanout" -> fanout();
            case "conns" -> conns();
            case "history" -> history();
            case "report" -> Report.run(ARGS);
            default -> {
                System.err.println("unknown mode " + argv[0]);
                System.exit(64);
            }
        }
        System.out.flush();
        // streams still open and the HTTP client's threads must not keep the process alive
        System.exit(0);
    }

    static String arg(String key) {
        String v = ARGS.get(key);
        if (v == null) {
            throw new IllegalArgumentException("missing argument " + key + "=");
        }
        return v;
    }

    static String arg(String key, String dflt) {
        return ARGS.getOrDefault(key, dflt);
    }

    static void log(String msg) {
        System.err.println("  [load] " + msg);
    }

    // ---------------------------------------------------------------------------------------------------------
    // HTTP request/response

    static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .executor(Executors.newVirtualThreadPerTaskExecutor())
            .build();

    record Answer(int status, String body) {
    }

    static Answer post(String base, String path, String json) throws IOException, InterruptedException {
        HttpRequest req = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json))
                .build();
        HttpResponse<String> res = HTTP.send(req, HttpResponse.BodyHandlers.ofString());
        return new Answer(res.statusCode(), res.body());
    }

    static final Pattern CHAT_ID = Pattern.compile("\"chat_id\"\\s*:\\s*\"([^\"]+)\"");

    static String newChat(String base, String... users) throws IOException, InterruptedException {
        StringBuilder json = new StringBuilder("{\"user_ids\":[");
        for (int i = 0; i < users.length; i++) {
            json.append(i == 0 ? "" : ",").append('"').append(users[i]).append('"');
        }
        Answer a = post(base, "/chat/New", json.append("]}").toString());
        Matcher m = CHAT_ID.matcher(a.body());
        if (a.status() != 200 || !m.find()) {
            throw new IOException("New answered " + a.status() + ": " + a.body());
        }
        return m.group(1);
    }

    static String sendJson(String chat, String user, String clientId, String text) {
        return "{\"chat_id\":\"" + chat + "\",\"user_id\":\"" + user + "\""
                + (clientId == null ? "" : ",\"client_id\":\"" + clientId + "\"")
                + ",\"text\":\"" + text + "\"}";
    }

    // ---------------------------------------------------------------------------------------------------------
    // ready: start-up time

    static void ready() throws Exception {
        String base = arg("base");
        HttpRequest req = HttpRequest.newBuilder(URI.create(base + "/health/ready"))
                .timeout(Duration.ofSeconds(2)).GET().build();
        long readyNs = -1;
        while (readyNs < 0) {
            try {
                HttpResponse<String> res = HTTP.send(req, HttpResponse.BodyHandlers.ofString());
                if (res.statusCode() == 200) {
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
                newChat(base, "startup-a", "startup-b");
                newNs = epochNanos();
            } catch (IOException e) {
                Thread.sleep(5);
            }
        }
        System.out.println(json("ready_epoch_ns", readyNs, "new_epoch_ns", newNs));
    }

    static long epochNanos() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    // ---------------------------------------------------------------------------------------------------------
    // send: durable Send throughput and latency

    static void send() throws Exception {
        String base = arg("base");
        int clients = Integer.parseInt(arg("clients"));
        double seconds = Double.parseDouble(arg("seconds"));
        double warmup = Double.parseDouble(arg("warmup", "1"));
        int chatCount = Integer.parseInt(arg("chats", "100"));
        String[] chats = new String[chatCount];
        try (ExecutorService ex = Executors.newVirtualThreadPerTaskExecutor()) {
            List<java.util.concurrent.Future<String>> ids = new ArrayList<>();
            for (int i = 0; i < chatCount; i++) {
                int chat = i;
                ids.add(ex.submit(() -> newChat(base, "send-a-" + chat, "send-b-" + chat)));
            }
            for (int i = 0; i < chatCount; i++) {
                chats[i] = ids.get(i).get();
            }
        }
        long start = System.nanoTime();
        long measureFrom = start + (long) (warmup * 1e9);
        long end = measureFrom + (long) (seconds * 1e9);
        long[][] lat = new long[clients][];
        int[] counts = new int[clients];
        LongAdder errors = new LongAdder();
        ConcurrentLinkedQueue<String> errorSamples = new ConcurrentLinkedQueue<>();
        String run = Long.toString(System.currentTimeMillis(), 36);
        try (ExecutorService ex = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int c = 0; c < clients; c++) {
                int client = c;
                ex.submit(() -> {
                    long[] mine = new long[1 << 14];
                    int n = 0;
                    ThreadLocalRandom rnd = ThreadLocalRandom.current();
                    for (long k = 0; ; k++) {
                        long t0 = System.nanoTime();
                        if (t0 >= end) {
                            break;
                        }
                        int chat = rnd.nextInt(chatCount);
                        String body = sendJson(chats[chat], "send-a-" + chat, run + "-" + client + "-" + k,
                                "bench message " + k);
                        try {
                            Answer a = post(base, "/chat/Send", body);
                            long t1 = System.nanoTime();
                            if (a.status() != 200) {
                                errors.increment();
                                if (errorSamples.size() < 3) {
                                    errorSamples.add(a.status() + " " + a.body());
                                }
                            } else if (t0 >= measureFrom && t1 <= end) {
                                if (n == mine.length) {
                                    mine = Arrays.copyOf(mine, n * 2);
                                }
                                mine[n++] = t1 - t0;
                            }
                        } catch (Exception e) {
                            errors.increment();
                            if (errorSamples.size() < 3) {
                                errorSamples.add(e.toString());
                            }
                            sleepQuietly(10);
                        }
                    }
                    lat[client] = mine;
                    counts[client] = n;
                    return null;
                });
            }
        }
        long total = 0;
        for (int n : counts) {
            total += n;
        }
        long[] all = new long[(int) total];
        int at = 0;
        for (int c = 0; c < clients; c++) {
            System.arraycopy(lat[c], 0, all, at, counts[c]);
            at += counts[c];
        }
        Arrays.sort(all);
        if (!errorSamples.isEmpty()) {
            log("send errors (" + errors.sum() + "), e.g. " + errorSamples);
        }
        System.out.println(json("section", "send", "target", arg("label", "service"), "clients", clients,
                "seconds", seconds, "count", total, "per_s", round(total / seconds, 1),
                "p50_ms", ms(pct(all, 0.50)), "p99_ms", ms(pct(all, 0.99)), "errors", errors.sum()));
    }

    // ---------------------------------------------------------------------------------------------------------
    // Server-sent event streams over plain sockets

    /** One open stream: a socket and the virtual thread that reads it. */
    static final class SseStream {
        final int index;
        final Socket socket;
        volatile int received;
        volatile long lastK = -1;
        long[] latencies;
        final AtomicInteger latencyCount = new AtomicInteger();

        SseStream(int index, Socket socket) {
            this.index = index;
            this.socket = socket;
        }
    }

    /** The status and headers of a stream that was refused, for the report. */
    static final class Refused extends IOException {
        private static final long serialVersionUID = 1L;
        final int status;

        Refused(int status, String detail) {
            super("HTTP " + status + " " + detail);
            this.status = status;
        }
    }

    static final AtomicLong DELIVERED = new AtomicLong();
    static final AtomicLong LAST_DELIVERY = new AtomicLong();
    /** send nanoTime of message k, set by the sender just before it posts. */
    static final Map<Long, Long> SENT_AT = new java.util.concurrent.ConcurrentHashMap<>();

    static InetSocketAddress address(String base) {
        URI u = URI.create(base);
        return new InetSocketAddress(u.getHost(), u.getPort());
    }

    /**
     * Opens a stream and returns once its response headers arrived (status 200, an event stream); a virtual thread
     * then reads its events until the process ends.
     */
    static SseStream open(String base, int index, String chat, String user, int latencyCapacity) throws IOException {
        Socket s = new Socket();
        s.setTcpNoDelay(true);
        s.setReceiveBufferSize(16 * 1024);
        s.connect(address(base), 10_000);
        s.setSoTimeout(20_000);
        URI u = URI.create(base);
        String req = "GET /chat/Connect?chat_id=" + chat + "&user_id=" + user + " HTTP/1.1\r\n"
                + "Host: " + u.getHost() + ":" + u.getPort() + "\r\n"
                + "Accept: text/event-stream\r\n"
                + "Cache-Control: no-cache\r\n\r\n";
        OutputStream out = s.getOutputStream();
        out.write(req.getBytes(StandardCharsets.US_ASCII));
        out.flush();
        Lines in = new Lines(s.getInputStream());
        String status = in.rawLine();
        if (status == null) {
            s.close();
            throw new IOException("connection closed before the status line");
        }
        String[] parts = status.split(" ", 3);
        int code = parts.length > 1 ? Integer.parseInt(parts[1]) : 0;
        boolean chunked = false;
        String type = "";
        long length = -1;
        for (String h = in.rawLine(); h != null && !h.isEmpty(); h = in.rawLine()) {
            String lower = h.toLowerCase(Locale.ROOT);
            if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                chunked = true;
            } else if (lower.startsWith("content-type:")) {
                type = lower.substring(13).trim();
            } else if (lower.startsWith("content-length:")) {
                length = Long.parseLong(lower.substring(15).trim());
            }
        }
        if (code != 200 || !type.startsWith("text/event-stream")) {
            String body = "";
            if (length > 0 && length < 10_000) {
                body = new String(in.readN((int) length), StandardCharsets.UTF_8);
            }
            s.close();
            throw new Refused(code, type + " " + body);
        }
        in.chunked = chunked;
        s.setSoTimeout(0);
        SseStream stream = new SseStream(index, s);
        if (latencyCapacity > 0) {
            stream.latencies = new long[latencyCapacity];
        }
        Thread.ofVirtual().start(() -> read(stream, in));
        return stream;
    }

    static final byte[] MARK = "\"text\":\"bench|".getBytes(StandardCharsets.US_ASCII);

    /** Reads events: for each data line carrying a benchmark text, records the time since its send. */
    static void read(SseStream stream, Lines in) {
        try {
            while (true) {
                int n = in.line();
                if (n < 0) {
                    return;
                }
                if (n > 5 && in.startsWith("data:")) {
                    long now = System.nanoTime();
                    int at = in.indexOf(MARK);
                    if (at < 0) {
                        continue;
                    }
                    long k = in.parseLong(at + MARK.length);
                    Long sentAt = SENT_AT.get(k);
                    if (stream.latencies != null && sentAt != null) {
                        int i = stream.latencyCount.get();
                        if (i < stream.latencies.length) {
                            stream.latencies[i] = now - sentAt;
                            stream.latencyCount.set(i + 1);
                        }
                    }
                    stream.lastK = k;
                    stream.received++;
                    DELIVERED.incrementAndGet();
                    LAST_DELIVERY.accumulateAndGet(now, Math::max);
                }
            }
        } catch (IOException e) {
            // closed
        }
    }

    /** A small byte-level line reader over a socket, with HTTP/1.1 chunked decoding once headers are read. */
    static final class Lines {
        final InputStream raw;
        final byte[] buf = new byte[2048];
        int pos;
        int lim;
        boolean chunked;
        long chunkLeft;
        byte[] line = new byte[512];
        int len;

        Lines(InputStream raw) {
            this.raw = raw;
        }

        int rawByte() throws IOException {
            if (pos == lim) {
                lim = raw.read(buf, 0, buf.length);
                pos = 0;
                if (lim <= 0) {
                    lim = 0;
                    return -1;
                }
            }
            return buf[pos++] & 0xff;
        }

        /** A CRLF- or LF-terminated line of the raw stream (status line, headers, chunk sizes). */
        String rawLine() throws IOException {
            StringBuilder sb = new StringBuilder();
            for (int b = rawByte(); b >= 0; b = rawByte()) {
                if (b == '\n') {
                    int l = sb.length();
                    return l > 0 && sb.charAt(l - 1) == '\r' ? sb.substring(0, l - 1) : sb.toString();
                }
                sb.append((char) b);
            }
            return sb.isEmpty() ? null : sb.toString();
        }

        byte[] readN(int n) throws IOException {
            byte[] out = new byte[n];
            for (int i = 0; i < n; i++) {
                int b = rawByte();
                if (b < 0) {
                    return Arrays.copyOf(out, i);
                }
                out[i] = (byte) b;
            }
            return out;
        }

        int bodyByte() throws IOException {
            if (!chunked) {
                return rawByte();
            }
            if (chunkLeft == 0) {
                String size = rawLine();
                while (size != null && size.isEmpty()) {
                    size = rawLine();
                }
                if (size == null) {
                    return -1;
                }
                int semi = size.indexOf(';');
                chunkLeft = Long.parseLong((semi >= 0 ? size.substring(0, semi) : size).trim(), 16);
                if (chunkLeft == 0) {
                    return -1;
                }
            }
            chunkLeft--;
            return rawByte();
        }

        /** Reads the next line of the body into {@code line}; its length, or -1 at the end. */
        int line() throws IOException {
            len = 0;
            for (int b = bodyByte(); ; b = bodyByte()) {
                if (b < 0) {
                    return len > 0 ? len : -1;
                }
                if (b == '\n') {
                    if (len > 0 && line[len - 1] == '\r') {
                        len--;
                    }
                    return len;
                }
                if (len == line.length) {
                    line = Arrays.copyOf(line, len * 2);
                }
                line[len++] = (byte) b;
            }
        }

        boolean startsWith(String prefix) {
            if (len < prefix.length()) {
                return false;
            }
            for (int i = 0; i < prefix.length(); i++) {
                if (line[i] != prefix.charAt(i)) {
                    return false;
                }
            }
            return true;
        }

        int indexOf(byte[] needle) {
            outer:
            for (int i = 0; i + needle.length <= len; i++) {
                for (int j = 0; j < needle.length; j++) {
                    if (line[i + j] != needle[j]) {
                        continue outer;
                    }
                }
                return i;
            }
            return -1;
        }

        long parseLong(int from) {
            long v = 0;
            for (int i = from; i < len && line[i] >= '0' && line[i] <= '9'; i++) {
                v = v * 10 + (line[i] - '0');
            }
            return v;
        }
    }

    /**
     * Opens {@code count} streams (numbered from {@code first}) with at most 64 connects in flight; returns the
     * streams that opened. Stops early at the first refusal, which it remembers in {@code refused}.
     */
    static List<SseStream> openMany(String base, int first, int count, String[] chats, String[] users,
                                    int latencyCapacity, long deadlineNanos, String[] refused) throws Exception {
        List<SseStream> opened = java.util.Collections.synchronizedList(new ArrayList<>());
        Semaphore inFlight = new Semaphore(64);
        AtomicInteger failures = new AtomicInteger();
        try (ExecutorService ex = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = first; i < first + count; i++) {
                if (refused[0] != null || failures.get() > 20 || System.nanoTime() > deadlineNanos) {
                    break;
                }
                inFlight.acquire();
                int index = i;
                ex.submit(() -> {
                    try {
                        for (int attempt = 0; ; attempt++) {
                            try {
                                opened.add(open(base, index, chats[index % chats.length], users[index % chats.length],
                                        latencyCapacity));
                                return null;
                            } catch (Refused r) {
                                refused[0] = r.getMessage();
                                return null;
                            } catch (IOException e) {
                                if (attempt >= 3 || System.nanoTime() > deadlineNanos) {
                                    if (failures.incrementAndGet() <= 3) {
                                        log("stream " + index + " failed to open: " + e);
                                    }
                                    refused[1] = e.toString();
                                    return null;
                                }
                                sleepQuietly(100L * (attempt + 1));
                            }
                        }
                    } finally {
                        inFlight.release();
                    }
                });
            }
        }
        return opened;
    }

    /** "Connect not available (HTTP 404)" from a refusal's message. */
    static String notAvailable(String refusal) {
        Matcher m = Pattern.compile("HTTP (\\d+)").matcher(refusal);
        return "Connect not available" + (m.find() ? " (HTTP " + m.group(1) + ")" : "");
    }

    /**
     * Sends message {@code k} to {@code chat} and remembers when; the text carries k so every stream can tell
     * how long it took to arrive. Returns the POST's own latency in nanoseconds, or -1 on failure.
     */
    static long sendMarked(String base, String chat, String user, long k) {
        long t0 = System.nanoTime();
        SENT_AT.put(k, t0);
        try {
            Answer a = post(base, "/chat/Send", sendJson(chat, user, null, "bench|" + k + "|x"));
            if (a.status() != 200) {
                log("Send answered " + a.status() + ": " + a.body());
                return -1;
            }
            return System.nanoTime() - t0;
        } catch (Exception e) {
            log("Send failed: " + e);
            return -1;
        }
    }

    /** Waits until every stream of {@code streams} has seen message k (or later), or the time is up. */
    static boolean awaitAll(List<SseStream> streams, long k, long untilNanos) {
        while (System.nanoTime() < untilNanos) {
            boolean all = true;
            for (SseStream s : streams) {
                if (s.lastK < k) {
                    all = false;
                    break;
                }
            }
            if (all) {
                return true;
            }
            sleepQuietly(2);
        }
        return false;
    }

    // ---------------------------------------------------------------------------------------------------------
    // fanout: one Send reaching many streams

    static void fanout() throws Exception {
        String base = arg("base");
        String label = arg("label", "service");
        int chatCount = Integer.parseInt(arg("chats", "1"));
        int streamCount = Integer.parseInt(arg("streams"));
        double rate = Double.parseDouble(arg("rate", "10"));
        double seconds = Double.parseDouble(arg("seconds", "10"));
        int burst = Integer.parseInt(arg("burst", "20"));
        int warm = Integer.parseInt(arg("warm", "10"));
        String shape = chatCount + "x" + (streamCount / chatCount);
        String[] chats = new String[chatCount];
        String[] readers = new String[chatCount];
        for (int i = 0; i < chatCount; i++) {
            readers[i] = "fan-reader-" + i;
            chats[i] = newChat(base, "fan-sender-" + i, readers[i]);
        }
        int sends = (int) Math.round(rate * seconds);
        int perStreamMessages = (sends + chatCount - 1) / chatCount + 2;
        long t0 = System.nanoTime();
        String[] refused = new String[2];
        List<SseStream> streams = openMany(base, 0, streamCount, chats, readers, perStreamMessages,
                t0 + 120_000_000_000L, refused);
        double openS = (System.nanoTime() - t0) / 1e9;
        if (refused[0] != null || streams.size() < streamCount) {
            String why = refused[0] != null ? notAvailable(refused[0])
                    : "opened only " + streams.size() + " of " + streamCount + " streams";
            String detail = refused[0] != null ? refused[0] : String.valueOf(refused[1]);
            log(label + ": " + why + ": " + detail);
            System.out.println(json("section", "fanout", "target", label, "shape", shape, "error", why,
                    "detail", detail));
            return;
        }
        log(label + ": " + streams.size() + " streams open in " + String.format("%.1f", openS) + " s");
        List<List<SseStream>> byChat = new ArrayList<>();
        for (int c = 0; c < chatCount; c++) {
            byChat.add(new ArrayList<>());
        }
        for (SseStream s : streams) {
            byChat.get(s.index % chatCount).add(s);
        }
        // warm-up: every chat's streams must see a message before measuring (registration is asynchronous)
        for (int c = 0; c < chatCount; c++) {
            if (sendMarked(base, chats[c], "fan-sender-" + c, 1_000_000 + c) < 0) {
                System.out.println(json("section", "fanout", "target", label, "shape", shape,
                        "error", "warm-up Send failed"));
                return;
            }
        }
        for (int c = 0; c < chatCount; c++) {
            if (!awaitAll(byChat.get(c), 1_000_000 + c, System.nanoTime() + 15_000_000_000L)) {
                System.out.println(json("section", "fanout", "target", label, "shape", shape,
                        "error", "warm-up message not delivered to every stream within 15 s"));
                return;
            }
        }
        for (int i = 0; i < warm; i++) {
            sendMarked(base, chats[i % chatCount], "fan-sender-" + (i % chatCount), 2_000_000 + i);
        }
        sleepQuietly(500);
        for (SseStream s : streams) {
            s.latencyCount.set(0);
        }
        // steady phase: one Send every 1/rate s, each on its own virtual thread so a slow one does not delay the
        // schedule; message k goes to chat k % chats
        long deliveredBefore = DELIVERED.get();
        long[] postLat = new long[sends];
        long start = System.nanoTime();
        try (ExecutorService ex = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < sends; i++) {
                long at = start + (long) (i * 1e9 / rate);
                long wait = at - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
                int msg = i;
                ex.submit(() -> {
                    postLat[msg] = sendMarked(base, chats[msg % chatCount], "fan-sender-" + (msg % chatCount), msg);
                });
            }
        }
        long lastSend = System.nanoTime();
        long expected = 0;
        for (int c = 0; c < chatCount; c++) {
            long perChat = 0;
            for (int i = 0; i < sends; i++) {
                if (i % chatCount == c) {
                    perChat++;
                }
            }
            expected += perChat * byChat.get(c).size();
        }
        long until = lastSend + 10_000_000_000L;
        while (DELIVERED.get() - deliveredBefore < expected && System.nanoTime() < until) {
            sleepQuietly(5);
        }
        long delivered = DELIVERED.get() - deliveredBefore;
        int total = 0;
        for (SseStream s : streams) {
            total += s.latencyCount.get();
        }
        long[] all = new long[total];
        int at = 0;
        for (SseStream s : streams) {
            int n = s.latencyCount.get();
            System.arraycopy(s.latencies, 0, all, at, n);
            at += n;
        }
        Arrays.sort(all);
        long[] posts = Arrays.stream(postLat).filter(v -> v > 0).sorted().toArray();
        double steadyWindow = (Math.max(LAST_DELIVERY.get(), lastSend) - start) / 1e9;
        // burst phase: `burst` Sends back to back from one sender (each after the previous answered); deliveries
        // per second from the first POST to the last delivery
        long burstBefore = DELIVERED.get();
        long burstStart = System.nanoTime();
        long lastK = 0;
        for (int i = 0; i < burst; i++) {
            lastK = 3_000_000 + i;
            sendMarked(base, chats[i % chatCount], "fan-sender-" + (i % chatCount), lastK);
        }
        long burstExpected = (long) burst * streamCount / chatCount;
        long burstUntil = System.nanoTime() + 15_000_000_000L;
        while (DELIVERED.get() - burstBefore < burstExpected && System.nanoTime() < burstUntil) {
            sleepQuietly(1);
        }
        long burstDelivered = DELIVERED.get() - burstBefore;
        double burstS = (LAST_DELIVERY.get() - burstStart) / 1e9;
        System.out.println(json("section", "fanout", "target", label, "shape", shape, "streams", streams.size(),
                "rate", rate, "sends", sends, "expected", expected, "delivered", delivered,
                "p50_ms", ms(pct(all, 0.50)), "p99_ms", ms(pct(all, 0.99)), "max_ms", ms(pct(all, 1.0)),
                "deliveries_per_s", round(delivered / steadyWindow, 0),
                "post_p50_ms", ms(pct(posts, 0.50)), "post_p99_ms", ms(pct(posts, 0.99)),
                "burst_sends", burst, "burst_delivered", burstDelivered,
                "burst_deliveries_per_s", round(burstDelivered / burstS, 0), "open_s", round(openS, 2)));
    }

    // ---------------------------------------------------------------------------------------------------------
    // conns: memory per open stream, and whether a Send still reaches all of them within 1 s

    static void conns() throws Exception {
        String base = arg("base");
        String label = arg("label", "service");
        long pid = Long.parseLong(arg("pid"));
        String jcmd = arg("jcmd", "jcmd");
        int[] steps = Arrays.stream(arg("steps").split(",")).mapToInt(Integer::parseInt).toArray();
        String chat = newChat(base, "conn-sender", "conn-reader");
        // the chat needs one message so that the streams' first event tells them they are registered
        long[] base0 = memory(jcmd, pid);
        log(label + ": before streams: heap " + base0[0] / 1024 + " KiB, RSS " + base0[1] / 1024 + " KiB");
        List<SseStream> all = new ArrayList<>();
        String[] refused = new String[2];
        long k = 5_000_000;
        for (int step : steps) {
            long t0 = System.nanoTime();
            List<SseStream> more = openMany(base, all.size(), step - all.size(), new String[]{chat}, new String[]{"conn-reader"},
                    0, t0 + 120_000_000_000L, refused);
            all.addAll(more);
            double openS = (System.nanoTime() - t0) / 1e9;
            if (refused[0] != null) {
                log(label + ": Connect refused: " + refused[0]);
                System.out.println(json("section", "conns", "target", label, "streams", step,
                        "error", notAvailable(refused[0]), "detail", refused[0]));
                return;
            }
            if (all.size() < step) {
                log(label + ": opened only " + all.size() + " streams: " + refused[1]);
                System.out.println(json("section", "conns", "target", label, "streams", step,
                        "error", "opened only " + all.size() + " streams", "detail", String.valueOf(refused[1])));
                return;
            }
            // registration is asynchronous: a first message must reach every stream before the measurement
            k++;
            sendMarked(base, chat, "conn-sender", k);
            boolean registered = awaitAll(all, k, System.nanoTime() + 20_000_000_000L);
            if (!registered) {
                System.out.println(json("section", "conns", "target", label, "streams", step,
                        "error", "a message did not reach all " + step + " streams within 20 s"));
                return;
            }
            sleepQuietly(500);
            long[] mem = memory(jcmd, pid);
            // the measured Send: time until every stream has it
            k++;
            long sent = System.nanoTime();
            sendMarked(base, chat, "conn-sender", k);
            boolean within1s = awaitAll(all, k, sent + 1_000_000_000L);
            boolean eventually = within1s || awaitAll(all, k, sent + 10_000_000_000L);
            long allAt = System.nanoTime();
            int got = 0;
            for (SseStream s : all) {
                if (s.lastK >= k) {
                    got++;
                }
            }
            log(label + ": " + step + " streams: heap " + mem[0] / 1024 + " KiB, RSS " + mem[1] / 1024
                    + " KiB, all delivered in " + (allAt - sent) / 1_000_000 + " ms");
            System.out.println(json("section", "conns", "target", label, "streams", step, "open_s", round(openS, 2),
                    "heap_mib", round(mem[0] / 1048576.0, 1), "rss_mib", round(mem[1] / 1048576.0, 1),
                    "heap_kib_per_stream", round((mem[0] - base0[0]) / 1024.0 / step, 1),
                    "rss_kib_per_stream", round((mem[1] - base0[1]) / 1024.0 / step, 1),
                    "all_within_1s", within1s, "delivered", got,
                    "all_ms", eventually ? round((allAt - sent) / 1e6, 1) : null));
        }
    }

    static final Pattern HEAP_USED = Pattern.compile("used (\\d+)K");

    /** {heap used after a full GC, resident set size} of the process, in bytes. */
    static long[] memory(String jcmd, long pid) throws Exception {
        run(jcmd, Long.toString(pid), "GC.run");
        String info = run(jcmd, Long.toString(pid), "GC.heap_info");
        Matcher m = HEAP_USED.matcher(info);
        long heap = m.find() ? Long.parseLong(m.group(1)) * 1024 : -1;
        long rss = -1;
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                rss = Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        return new long[]{heap, rss};
    }

    static String run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
        }
        return out;
    }

    // ---------------------------------------------------------------------------------------------------------
    // history: page latency in a long chat

    static void history() throws Exception {
        String base = arg("base");
        String label = arg("label", "service");
        String chat = arg("chat");
        long last = Long.parseLong(arg("last"));
        int requests = Integer.parseInt(arg("requests", "1000"));
        int warm = Integer.parseInt(arg("warm", "200"));
        double maxSeconds = Double.parseDouble(arg("seconds", "60"));
        String[] kinds = {"newest", "middle", "after"};
        for (String kind : kinds) {
            long[] lat = new long[requests];
            ThreadLocalRandom rnd = ThreadLocalRandom.current();
            int bad = 0;
            int done = 0;
            long stopAt = System.nanoTime() + (long) (maxSeconds * 1e9);
            for (int i = -warm; i < requests && System.nanoTime() < stopAt; i++) {
                String body = switch (kind) {
                    case "newest" -> "{\"chat_id\":\"" + chat + "\"}";
                    case "middle" -> "{\"chat_id\":\"" + chat + "\",\"before\":"
                            + (last * 2 / 5 + rnd.nextLong(last / 5)) + "}";
                    default -> "{\"chat_id\":\"" + chat + "\",\"after\":" + rnd.nextLong(last - 50) + "}";
                };
                long t0 = System.nanoTime();
                Answer a = post(base, "/chat/History", body);
                long t1 = System.nanoTime();
                if (a.status() != 200 || count(a.body(), "\"seq\":") != 50) {
                    if (bad++ == 0) {
                        log("History " + kind + " answered " + a.status() + " with "
                                + count(a.body(), "\"seq\":") + " messages");
                    }
                }
                if (i >= 0) {
                    lat[i] = t1 - t0;
                    done++;
                }
            }
            lat = Arrays.copyOf(lat, done);
            Arrays.sort(lat);
            double sum = 0;
            for (long l : lat) {
                sum += l;
            }
            System.out.println(json("section", "history", "target", label, "page", kind, "requests", done,
                    "p50_ms", ms(pct(lat, 0.50)), "p99_ms", ms(pct(lat, 0.99)),
                    "per_s", done == 0 ? null : round(done / (sum / 1e9), 0), "errors", bad));
        }
    }

    static int count(String s, String needle) {
        int n = 0;
        for (int i = s.indexOf(needle); i >= 0; i = s.indexOf(needle, i + 1)) {
            n++;
        }
        return n;
    }

    // ---------------------------------------------------------------------------------------------------------
    // helpers

    static long pct(long[] sorted, double p) {
        if (sorted.length == 0) {
            return -1;
        }
        int i = (int) Math.ceil(p * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }

    static Object ms(long nanos) {
        return nanos < 0 ? null : round(nanos / 1e6, nanos < 10_000_000 ? 2 : 1);
    }

    static double round(double v, int digits) {
        double f = Math.pow(10, digits);
        return Math.round(v * f) / f;
    }

    static void sleepQuietly(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static String json(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return Json.write(m);
    }

    /** Just enough JSON for flat result objects: write, and read back for the report. */
    static final class Json {
        static String write(Object v) {
            if (v == null) {
                return "null";
            }
            if (v instanceof String s) {
                StringBuilder sb = new StringBuilder("\"");
                for (char c : s.toCharArray()) {
                    switch (c) {
                        case '"' -> sb.append("\\\"");
                        case '\\' -> sb.append("\\\\");
                        case '\n' -> sb.append("\\n");
                        case '\r' -> sb.append("\\r");
                        case '\t' -> sb.append("\\t");
                        default -> {
                            if (c < 0x20) {
                                sb.append(String.format("\\u%04x", (int) c));
                            } else {
                                sb.append(c);
                            }
                        }
                    }
                }
                return sb.append('"').toString();
            }
            if (v instanceof Double d) {
                if (d.isNaN() || d.isInfinite()) {
                    return "null";
                }
                return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString(d.longValue()) : d.toString();
            }
            if (v instanceof Map<?, ?> map) {
                StringBuilder sb = new StringBuilder("{");
                for (Map.Entry<?, ?> e : map.entrySet()) {
                    sb.append(sb.length() > 1 ? "," : "").append(write(e.getKey().toString())).append(':')
                            .append(write(e.getValue()));
                }
                return sb.append('}').toString();
            }
            if (v instanceof List<?> list) {
                StringBuilder sb = new StringBuilder("[");
                for (Object o : list) {
                    sb.append(sb.length() > 1 ? "," : "").append(write(o));
                }
                return sb.append(']').toString();
            }
            return v.toString();
        }

        final String s;
        int i;

        Json(String s) {
            this.s = s;
        }

        static Object read(String s) {
            Json j = new Json(s);
            Object v = j.value();
            j.ws();
            if (j.i != s.length()) {
                throw new IllegalArgumentException("trailing characters in " + s);
            }
            return v;
        }

        void ws() {
            while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
                i++;
            }
        }

        Object value() {
            ws();
            char c = s.charAt(i);
            if (c == '{') {
                Map<String, Object> m = new LinkedHashMap<>();
                i++;
                ws();
                if (s.charAt(i) == '}') {
                    i++;
                    return m;
                }
                while (true) {
                    ws();
                    String key = (String) value();
                    ws();
                    i++; // :
                    m.put(key, value());
                    ws();
                    if (s.charAt(i++) == '}') {
                        return m;
                    }
                }
            }
            if (c == '[') {
                List<Object> l = new ArrayList<>();
                i++;
                ws();
                if (s.charAt(i) == ']') {
                    i++;
                    return l;
                }
                while (true) {
                    l.add(value());
                    ws();
                    if (s.charAt(i++) == ']') {
                        return l;
                    }
                }
            }
            if (c == '"') {
                StringBuilder sb = new StringBuilder();
                i++;
                while (s.charAt(i) != '"') {
                    char ch = s.charAt(i++);
                    if (ch == '\\') {
                        char e = s.charAt(i++);
                        switch (e) {
                            case 'n' -> sb.append('\n');
                            case 'r' -> sb.append('\r');
                            case 't' -> sb.append('\t');
                            case 'u' -> {
                                sb.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
                                i += 4;
                            }
                            default -> sb.append(e);
                        }
                    } else {
                        sb.append(ch);
                    }
                }
                i++;
                return sb.toString();
            }
            if (s.startsWith("true", i)) {
                i += 4;
                return Boolean.TRUE;
            }
            if (s.startsWith("false", i)) {
                i += 5;
                return Boolean.FALSE;
            }
            if (s.startsWith("null", i)) {
                i += 4;
                return null;
            }
            int start = i;
            while (i < s.length() && "+-0123456789.eE".indexOf(s.charAt(i)) >= 0) {
                i++;
            }
            return Double.parseDouble(s.substring(start, i));
        }
    }
}
