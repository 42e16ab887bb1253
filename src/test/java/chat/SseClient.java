package chat;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A server-sent-events client on a plain socket, so that tests control the connection exactly: see the headers
 * before any event, read the raw bytes, close the socket, or never read at all. Decodes HTTP/1.1 chunked bodies and
 * parses events as a browser's EventSource does (fields {@code id}, {@code event}, {@code data}, {@code retry};
 * lines starting with {@code :} are comments).
 */
public final class SseClient implements AutoCloseable {

    /** One dispatched block of lines: a message event, or only comments / a retry hint. */
    public record Event(String id, String event, String data, List<String> comments, String retry) {
        public boolean isMessage() {
            return data != null;
        }
    }

    private final Socket socket;
    private final int status;
    private final Map<String, String> headers;
    private final String errorBody;
    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final StringBuffer raw = new StringBuffer();
    private volatile boolean ended;
    private volatile boolean endedInOrder;

    private SseClient(Socket socket, int status, Map<String, String> headers, String errorBody) {
        this.socket = socket;
        this.status = status;
        this.headers = headers;
        this.errorBody = errorBody;
    }

    /** Connects and reads the status line and headers; then reads events in the background. */
    public static SseClient open(URI base, String pathAndQuery, Map<String, String> requestHeaders) throws IOException {
        Socket socket = connect(base, pathAndQuery, requestHeaders, 0);
        InputStream in = new BufferedInputStream(socket.getInputStream());
        String statusLine = line(in);
        int status = Integer.parseInt(statusLine.split(" ")[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (String header = line(in); !header.isEmpty(); header = line(in)) {
            int colon = header.indexOf(':');
            headers.put(header.substring(0, colon).trim().toLowerCase(Locale.ROOT), header.substring(colon + 1).trim());
        }
        if (status != 200) {
            int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
            String body = new String(in.readNBytes(length), StandardCharsets.UTF_8);
            socket.close();
            return new SseClient(socket, status, headers, body);
        }
        SseClient client = new SseClient(socket, status, headers, null);
        Thread.ofVirtual().start(() -> client.read(in, "chunked".equals(headers.get("transfer-encoding"))));
        return client;
    }

    /** Connects and sends the request, with a tiny receive buffer, and never reads: a stalled client. */
    public static Socket stalled(URI base, String pathAndQuery) throws IOException {
        return connect(base, pathAndQuery, Map.of(), 1024);
    }

    private static Socket connect(URI base, String pathAndQuery, Map<String, String> headers, int receiveBuffer)
            throws IOException {
        Socket socket = new Socket();
        if (receiveBuffer > 0) {
            socket.setReceiveBufferSize(receiveBuffer);
        }
        socket.setTcpNoDelay(true);
        socket.connect(new InetSocketAddress(base.getHost(), base.getPort()), 5000);
        var request = new StringBuilder("GET " + pathAndQuery + " HTTP/1.1\r\n")
                .append("Host: ").append(base.getHost()).append(':').append(base.getPort()).append("\r\n")
                .append("Accept: text/event-stream\r\n");
        headers.forEach((name, value) -> request.append(name).append(": ").append(value).append("\r\n"));
        OutputStream out = socket.getOutputStream();
        out.write(request.append("\r\n").toString().getBytes(StandardCharsets.UTF_8));
        out.flush();
        return socket;
    }

    public int status() {
        return status;
    }

    public String header(String name) {
        return headers.get(name.toLowerCase(Locale.ROOT));
    }

    public String errorBody() {
        return errorBody;
    }

    /** Everything received so far, as text. */
    public String raw() {
        return raw.toString();
    }

    public boolean ended() {
        return ended;
    }

    /** True once the server ended the response properly (its last chunk came), not by cutting the connection. */
    public boolean endedInOrder() {
        return endedInOrder;
    }

    /** The next block of any kind, or null after the timeout. */
    public Event next(Duration timeout) throws InterruptedException {
        return events.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The next message event (skipping comments and hints), or null after the timeout. */
    public Event nextMessage(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            Event event = events.poll(Math.max(0, left), TimeUnit.NANOSECONDS);
            if (event == null || event.isMessage()) {
                return event;
            }
        }
    }

    /**
     * The next event of the chat's sequence (one with an {@code id:}), skipping comments, hints and the moments
     * outside the sequence (read, typing, presence: issue 14); null after the timeout.
     */
    public Event nextSequenced(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Event event = nextMessage(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
            if (event == null || event.id() != null) {
                return event;
            }
        }
    }

    /** The messages that arrive until none has come for {@code quiet}. */
    public List<Event> messagesUntilQuiet(Duration quiet) throws InterruptedException {
        List<Event> messages = new ArrayList<>();
        for (Event event = nextMessage(quiet); event != null; event = nextMessage(quiet)) {
            messages.add(event);
        }
        return messages;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    private void read(InputStream in, boolean chunked) {
        try {
            InputStream body = chunked ? new Chunks(in, () -> endedInOrder = true) : in;
            var lines = new ByteArrayOutputStream();
            String id = null;
            String event = null;
            StringBuilder data = null;
            String retry = null;
            List<String> comments = new ArrayList<>();
            int b;
            while ((b = body.read()) != -1) {
                raw.append((char) b);
                if (b != '\n') {
                    lines.write(b);
                    continue;
                }
                String line = lines.toString(StandardCharsets.UTF_8);
                lines.reset();
                if (line.isEmpty()) {
                    if (data != null || !comments.isEmpty() || retry != null || id != null) {
                        events.add(new Event(id, event, data == null ? null : data.toString(), List.copyOf(comments), retry));
                    }
                    id = null;
                    event = null;
                    data = null;
                    retry = null;
                    comments.clear();
                } else if (line.startsWith(":")) {
                    comments.add(line.substring(1).strip());
                } else {
                    int colon = line.indexOf(':');
                    String field = colon < 0 ? line : line.substring(0, colon);
                    String value = colon < 0 ? "" : line.substring(colon + 1);
                    if (value.startsWith(" ")) {
                        value = value.substring(1);
                    }
                    switch (field) {
                        case "id" -> id = value;
                        case "event" -> event = value;
                        case "retry" -> retry = value;
                        case "data" -> data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
                        default -> { }
                    }
                }
            }
        } catch (IOException closed) {
            // the socket was closed
        } finally {
            ended = true;
        }
    }

    private static String line(InputStream in) throws IOException {
        var line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1 && b != '\n') {
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.UTF_8);
    }

    /** Decodes {@code Transfer-Encoding: chunked}. */
    private static final class Chunks extends InputStream {
        private final InputStream in;
        private final Runnable lastChunk;
        private long left;
        private boolean done;

        Chunks(InputStream in, Runnable lastChunk) {
            this.in = in;
            this.lastChunk = lastChunk;
        }

        @Override
        public int read() throws IOException {
            if (done) {
                return -1;
            }
            if (left == 0) {
                String size = line(in).trim();
                if (size.isEmpty()) {
                    size = line(in).trim();
                }
                left = Long.parseLong(size.split(";")[0], 16);
                if (left == 0) {
                    done = true;
                    lastChunk.run();
                    return -1;
                }
            }
            int b = in.read();
            if (b == -1) {
                done = true;
                return -1;
            }
            left--;
            if (left == 0) {
                line(in);
            }
            return b;
        }
    }
}
