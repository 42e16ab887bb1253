import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The reference the benchmark holds the service's live delivery against: the smallest server that speaks the same
 * wire contract (New, Send, Connect as server-sent events, /health/ready) with the JDK's own HTTP server, no
 * framework and no database. Send numbers a message in memory and hands it to every stream of the chat; each
 * stream has its own queue drained by its own virtual thread, as the service's design asks. Whatever the service
 * takes beyond this is the cost of its framework, its database round trips and its ordering rules.
 *
 * <p>Streams open with the service's first block ({@code : connected}, the {@code id} the stream starts after,
 * {@code retry}) and get a heartbeat comment after HEARTBEAT_MILLIS (default 15000, the service's default) without
 * a write. The JDK's server does not tell a handler that its client left, so a failed write is the only way this
 * reference notices: {@code bench/run} starts it with a 1 s heartbeat for the churn measure.
 *
 * <p>Usage: {@code java EchoServer PORT [MAX_SECONDS] [HEARTBEAT_MILLIS]}. It binds to loopback only and exits by
 * itself after MAX_SECONDS (default 1800), so a forgotten process cannot linger.
 */
public final class EchoServer {

    private static final Pattern FIELD = Pattern.compile("\"(chat_id|user_id|text|client_id)\"\\s*:\\s*\"([^\"]*)\"");

    private static final byte[] HEARTBEAT = ": heartbeat\n\n".getBytes(StandardCharsets.US_ASCII);

    private record Stream(String userId, LinkedBlockingQueue<byte[]> queue) {
    }

    private final Map<String, Set<Stream>> streams = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> seqs = new ConcurrentHashMap<>();
    private final Map<String, String> chatsByMembers = new ConcurrentHashMap<>();
    private final long heartbeatMillis;

    private EchoServer(long heartbeatMillis) {
        this.heartbeatMillis = heartbeatMillis;
    }

    public static void main(String[] args) throws IOException {
        int port = Integer.parseInt(args[0]);
        long maxSeconds = args.length > 1 ? Long.parseLong(args[1]) : 1800;
        long heartbeatMillis = args.length > 2 ? Long.parseLong(args[2]) : 15_000;
        Thread.ofPlatform().daemon().start(() -> {
            try {
                Thread.sleep(maxSeconds * 1000);
            } catch (InterruptedException e) {
                return;
            }
            System.err.println("EchoServer: time limit reached, exiting");
            System.exit(2);
        });
        new EchoServer(heartbeatMillis).start(port);
    }

    private void start(int port) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 4096);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/health/ready", ex -> reply(ex, 200, "{\"status\":\"UP\"}"));
        server.createContext("/chat/New", this::newChat);
        server.createContext("/chat/Send", this::send);
        server.createContext("/chat/Connect", this::connect);
        server.start();
        System.err.println("EchoServer listening on " + port);
    }

    private void newChat(HttpExchange ex) throws IOException {
        String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String id = chatsByMembers.computeIfAbsent(body.replaceAll("\\s", ""), k -> UUID.randomUUID().toString());
        reply(ex, 200, "{\"chat_id\":\"" + id + "\"}");
    }

    private void send(HttpExchange ex) throws IOException {
        String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        Map<String, String> f = new ConcurrentHashMap<>();
        Matcher m = FIELD.matcher(body);
        while (m.find()) {
            f.put(m.group(1), m.group(2));
        }
        String chat = f.getOrDefault("chat_id", "");
        String user = f.getOrDefault("user_id", "");
        long seq = seqs.computeIfAbsent(chat, k -> new AtomicLong()).incrementAndGet();
        String message = "{\"id\":\"" + UUID.randomUUID() + "\",\"client_id\":\""
                + f.getOrDefault("client_id", UUID.randomUUID().toString()) + "\",\"chat_id\":\"" + chat
                + "\",\"user_id\":\"" + user + "\",\"subject\":\"\",\"text\":\"" + f.getOrDefault("text", "")
                + "\",\"sent_at\":" + System.currentTimeMillis() / 1000 + ",\"seq\":" + seq + "}";
        byte[] event = ("id: " + seq + "\nevent: message\ndata: " + message + "\n\n").getBytes(StandardCharsets.UTF_8);
        for (Stream s : streams.getOrDefault(chat, Set.of())) {
            if (!s.userId().equals(user)) {
                s.queue().offer(event);
            }
        }
        reply(ex, 200, "{\"message\":" + message + "}");
    }

    private void connect(HttpExchange ex) throws IOException {
        String chat = "";
        String user = "";
        String query = ex.getRequestURI().getRawQuery();
        for (String kv : query == null ? new String[0] : query.split("&")) {
            int eq = kv.indexOf('=');
            if (eq > 0 && kv.substring(0, eq).equals("chat_id")) {
                chat = kv.substring(eq + 1);
            } else if (eq > 0 && kv.substring(0, eq).equals("user_id")) {
                user = kv.substring(eq + 1);
            }
        }
        Stream stream = new Stream(user, new LinkedBlockingQueue<>());
        ex.getResponseHeaders().set("Content-Type", "text/event-stream");
        ex.getResponseHeaders().set("Cache-Control", "no-cache");
        ex.sendResponseHeaders(200, 0);
        OutputStream out = ex.getResponseBody();
        Set<Stream> set = streams.computeIfAbsent(chat, k -> ConcurrentHashMap.newKeySet());
        set.add(stream);
        try {
            long after = seqs.computeIfAbsent(chat, k -> new AtomicLong()).get();
            out.write((": connected\nid: " + after + "\nretry: 3000\n\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            while (true) {
                byte[] event = stream.queue().poll(heartbeatMillis, TimeUnit.MILLISECONDS);
                out.write(event != null ? event : HEARTBEAT);
                out.flush();
            }
        } catch (IOException | InterruptedException e) {
            // the client went away
        } finally {
            set.remove(stream);
            ex.close();
        }
    }

    private static void reply(HttpExchange ex, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }
}
