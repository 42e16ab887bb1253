import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Request/response calls to the service or a reference server: {@code java.net.http} over HTTP/1.1 with keep-alive
 * (and TCP_NODELAY, which the JDK's client sets), called from virtual threads. Only what the API promises is used:
 * New, Send, History and the readiness check, so the bench measures the service from outside as a client would.
 *
 * <p>The measured loops use {@link Connection} instead: one plain keep-alive socket per client, as lean as
 * pgbench's own client. {@code java.net.http} costs about as much CPU per call as the service itself does, and
 * hops between its own threads, and the load generator shares the machine's cores with the service and the
 * database: its cost would be charged to the service.
 */
final class Http {

    private static final HttpClient CLIENT = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .executor(Executors.newVirtualThreadPerTaskExecutor())
            .build();

    private static final Pattern CHAT_ID = Pattern.compile("\"chat_id\"\\s*:\\s*\"([^\"]+)\"");

    private Http() {
    }

    record Answer(int status, String body) {
    }

    static Answer post(String base, String path, String json) throws IOException, InterruptedException {
        HttpRequest req = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json))
                .build();
        HttpResponse<String> res = CLIENT.send(req, HttpResponse.BodyHandlers.ofString());
        return new Answer(res.statusCode(), res.body());
    }

    static Answer get(String base, String path, Duration timeout) throws IOException, InterruptedException {
        HttpRequest req = HttpRequest.newBuilder(URI.create(base + path)).timeout(timeout).GET().build();
        HttpResponse<String> res = CLIENT.send(req, HttpResponse.BodyHandlers.ofString());
        return new Answer(res.statusCode(), res.body());
    }

    /**
     * One keep-alive HTTP/1.1 connection, for one client thread: writes a POST (or any request, byte for byte),
     * reads the status, the headers and a {@code Content-Length} or chunked body. Reconnects after the server
     * closed it. An answer that opens an event stream is not read further: its connection is closed.
     */
    static final class Connection implements AutoCloseable {
        private final String host;
        private final int port;
        private final int timeoutMillis;
        private java.net.Socket socket;
        private java.io.BufferedInputStream in;
        private java.io.OutputStream out;

        Connection(String base) {
            this(base, 30_000);
        }

        /** With {@code timeoutMillis} for connecting and for each read of the answer. */
        Connection(String base, int timeoutMillis) {
            URI uri = URI.create(base);
            this.host = uri.getHost();
            this.port = uri.getPort();
            this.timeoutMillis = timeoutMillis;
        }

        /** host:port, for a request's {@code Host} header. */
        String authority() {
            return host + ":" + port;
        }

        Answer post(String path, String json) throws IOException {
            byte[] body = json.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            byte[] head = ("POST " + path + " HTTP/1.1\r\nHost: " + host + ":" + port
                    + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n")
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            return exchange(head, body);
        }

        /**
         * Writes these bytes as they are (a whole request, well-formed or not) and reads the answer. A connection
         * that the server had closed since the last answer is opened again once; a request that then gets no
         * answer throws (a {@link java.net.SocketTimeoutException} after the timeout).
         */
        Answer exchange(byte[]... request) throws IOException {
            for (int attempt = 0; ; attempt++) {
                boolean reused = socket != null;
                try {
                    open();
                    for (byte[] part : request) {
                        out.write(part);
                    }
                    out.flush();
                    try {
                        return read(request.length > 0 && request[0].length >= 5 && new String(request[0], 0, 5,
                                java.nio.charset.StandardCharsets.US_ASCII).equals("HEAD "));
                    } catch (RuntimeException e) {
                        throw new IOException("an answer that is not HTTP: " + e, e);
                    }
                } catch (IOException e) {
                    close();
                    if (attempt > 0 || !reused || e instanceof java.net.SocketTimeoutException) {
                        throw e;
                    }
                }
            }
        }

        private void open() throws IOException {
            if (socket == null) {
                socket = new java.net.Socket();
                socket.setTcpNoDelay(true);
                socket.connect(new java.net.InetSocketAddress(host, port), Math.min(5000, timeoutMillis));
                socket.setSoTimeout(timeoutMillis);
                in = new java.io.BufferedInputStream(socket.getInputStream(), 16 * 1024);
                out = new java.io.BufferedOutputStream(socket.getOutputStream(), 16 * 1024);
            }
        }

        private Answer read(boolean head) throws IOException {
            String status = line();
            if (status.isEmpty()) {
                throw new IOException("connection closed");
            }
            int code;
            try {
                code = Integer.parseInt(status.substring(9, 12));
            } catch (RuntimeException e) {
                throw new IOException("not an HTTP status line: " + status);
            }
            long length = -1;
            boolean chunked = false;
            boolean close = false;
            boolean stream = false;
            for (String header = line(); !header.isEmpty(); header = line()) {
                int colon = header.indexOf(':');
                String name = colon < 0 ? header : header.substring(0, colon).trim();
                String value = colon < 0 ? "" : header.substring(colon + 1).trim();
                if (name.equalsIgnoreCase("Content-Length")) {
                    length = Long.parseLong(value);
                } else if (name.equalsIgnoreCase("Transfer-Encoding")) {
                    chunked = value.equalsIgnoreCase("chunked");
                } else if (name.equalsIgnoreCase("Connection")) {
                    close = value.equalsIgnoreCase("close");
                } else if (name.equalsIgnoreCase("Content-Type")) {
                    stream = value.startsWith("text/event-stream");
                }
            }
            if (code >= 100 && code < 200 && code != 101) {
                return read(head); // an interim answer (100 Continue): the real one follows
            }
            var body = new java.io.ByteArrayOutputStream();
            if (stream) {
                close();
                return new Answer(code, "");
            }
            if (head || code == 204 || code == 304) {
                // no body
            } else if (chunked) {
                for (long size = Long.parseLong(line().split(";")[0].trim(), 16); size > 0;
                     size = Long.parseLong(line().split(";")[0].trim(), 16)) {
                    body.write(in.readNBytes((int) size));
                    line();
                }
                line();
            } else if (length > 0) {
                body.write(in.readNBytes((int) length));
            } else if (length < 0 && close) {
                body.write(in.readAllBytes());
            }
            if (close) {
                close();
            }
            return new Answer(code, body.toString(java.nio.charset.StandardCharsets.UTF_8));
        }

        private String line() throws IOException {
            var line = new StringBuilder();
            for (int b = in.read(); b != -1 && b != '\n'; b = in.read()) {
                if (b != '\r') {
                    line.append((char) b);
                }
            }
            return line.toString();
        }

        @Override
        public void close() {
            if (socket != null) {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // closing anyway
                }
                socket = null;
            }
        }
    }

    /** New with these members; the chat's id. */
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

    /** The body of a Send; no client_id when {@code clientId} is null. Texts here never need escaping. */
    static String sendBody(String chat, String user, String clientId, String text) {
        return "{\"chat_id\":\"" + chat + "\",\"user_id\":\"" + user + "\""
                + (clientId == null ? "" : ",\"client_id\":\"" + clientId + "\"")
                + ",\"text\":\"" + text + "\"}";
    }
}
