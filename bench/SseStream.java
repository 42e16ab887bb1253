import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;

/**
 * One live stream ({@code GET /chat/Connect}) read from a plain socket by its own virtual thread, so that
 * thousands cost the load process little and the bench sees the bytes exactly as the server wrote them. The
 * reader decodes HTTP/1.1 chunking and looks only at {@code data:} lines that carry a marked message
 * ({@link Marks}) and, for a stream that checks exactness, at the {@code seq} of every message; everything else
 * (the opening block, heartbeats) it skips.
 */
final class SseStream {

    private static final byte[] MARK = ("\"text\":\"" + Marks.PREFIX).getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SEQ = "\"seq\":".getBytes(StandardCharsets.US_ASCII);

    final int index;
    private final Socket socket;
    private final Marks marks;
    private final LongConsumer seqs;
    private final Latencies latencies = new Latencies();
    private volatile long lastK = -1;
    private volatile long marked;
    private final CountDownLatch ended = new CountDownLatch(1);

    /** Connect was answered, but not with a stream: the status and what the body said. */
    static final class Refused extends IOException {
        private static final long serialVersionUID = 1L;
        final int status;

        Refused(int status, String detail) {
            super("HTTP " + status + " " + detail);
            this.status = status;
        }
    }

    private SseStream(int index, Socket socket, Marks marks, LongConsumer seqs) {
        this.index = index;
        this.socket = socket;
        this.marks = marks;
        this.seqs = seqs;
    }

    /**
     * Opens a stream and returns once its response headers arrived (200, {@code text/event-stream}); its reader
     * then runs until the stream ends or {@link #close} is called.
     *
     * @throws Refused     when the server answered anything else
     * @throws IOException when the connection failed or no headers came within 20 s
     */
    static SseStream open(String base, String chat, String user, int index, Marks marks) throws IOException {
        return open(base, chat, user, -1, index, marks, null);
    }

    /**
     * Opens a stream as {@link #open(String, String, String, int, Marks)} does, resuming after {@code lastEventId}
     * (sent as {@code Last-Event-ID}, as EventSource does; none when negative), and hands the {@code seq} of every
     * message it reads to {@code seqs} (on the reader's thread, in the order read); {@code marks} may be null.
     */
    static SseStream open(String base, String chat, String user, long lastEventId, int index, Marks marks,
                          LongConsumer seqs) throws IOException {
        URI u = URI.create(base);
        Socket s = new Socket();
        try {
            s.setTcpNoDelay(true);
            s.setReceiveBufferSize(16 * 1024);
            s.connect(new InetSocketAddress(u.getHost(), u.getPort()), 10_000);
            s.setSoTimeout(20_000);
            String req = "GET /chat/Connect?chat_id=" + chat + "&user_id=" + user + " HTTP/1.1\r\n"
                    + "Host: " + u.getHost() + ":" + u.getPort() + "\r\n"
                    + "Accept: text/event-stream\r\n"
                    + (lastEventId >= 0 ? "Last-Event-ID: " + lastEventId + "\r\n" : "")
                    + "Cache-Control: no-cache\r\n\r\n";
            OutputStream out = s.getOutputStream();
            out.write(req.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            Lines in = new Lines(s.getInputStream());
            String status = in.rawLine();
            if (status == null) {
                throw new IOException("connection closed before the status line");
            }
            String[] parts = status.split(" ", 3);
            int code = parts.length > 1 ? Integer.parseInt(parts[1]) : 0;
            String type = "";
            long length = -1;
            for (String h = in.rawLine(); h != null && !h.isEmpty(); h = in.rawLine()) {
                String lower = h.toLowerCase(Locale.ROOT);
                if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                    in.chunked = true;
                } else if (lower.startsWith("content-type:")) {
                    type = lower.substring(13).trim();
                } else if (lower.startsWith("content-length:")) {
                    length = Long.parseLong(lower.substring(15).trim());
                }
            }
            if (code != 200 || !type.startsWith("text/event-stream")) {
                String body = length > 0 && length < 10_000
                        ? new String(in.readN((int) length), StandardCharsets.UTF_8) : "";
                throw new Refused(code, type + " " + body);
            }
            s.setSoTimeout(0);
            SseStream stream = new SseStream(index, s, marks, seqs);
            Thread.ofVirtual().start(() -> stream.read(in));
            return stream;
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
    }

    /** The number of the newest marked message this stream read, or -1. */
    long lastK() {
        return lastK;
    }

    /** How many marked messages this stream read. */
    long marked() {
        return marked;
    }

    /** Send-to-receipt times of the marked messages read while the measure's {@link Marks} was recording. */
    Latencies latencies() {
        return latencies;
    }

    /** Whether the stream has ended: the server closed or finished it, or {@link #close} was called. */
    boolean ended() {
        return ended.getCount() == 0;
    }

    /** Waits until the stream has ended; false when it still runs after {@code millis}. */
    boolean awaitEnd(long millis) throws InterruptedException {
        return ended.await(millis, TimeUnit.MILLISECONDS);
    }

    /** The connection is torn down abruptly (RST), as by a client whose network went away mid-stream. */
    void reset() {
        try {
            socket.setSoLinger(true, 0);
        } catch (IOException e) {
            // closed already
        }
        close();
    }

    /** The client leaves: closes its socket (FIN), as a browser does when a page goes away. */
    void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // closed already
        }
    }

    private void read(Lines in) {
        try {
            for (int n = in.line(); n >= 0; n = in.line()) {
                if (n > 5 && in.startsWith("data:")) {
                    long now = System.nanoTime();
                    int at = marks == null ? -1 : in.indexOf(MARK);
                    if (at >= 0) {
                        long k = in.parseLong(at + MARK.length);
                        lastK = k;
                        marked++; // this reader thread alone writes it
                        marks.arrived(latencies, k, now);
                    }
                    int seq = seqs == null ? -1 : in.lastIndexOf(SEQ);
                    if (seq >= 0) {
                        seqs.accept(in.parseLong(seq + SEQ.length));
                    }
                }
            }
        } catch (IOException e) {
            // closed, by either side
        } finally {
            ended.countDown();
        }
    }

    /** A small byte-level line reader over a socket, with HTTP/1.1 chunked decoding once the headers are read. */
    private static final class Lines {
        private final InputStream raw;
        private final byte[] buf = new byte[2048];
        private int pos;
        private int lim;
        boolean chunked;
        private long chunkLeft;
        private byte[] line = new byte[512];
        private int len;

        Lines(InputStream raw) {
            this.raw = raw;
        }

        private int rawByte() throws IOException {
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

        private int bodyByte() throws IOException {
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

        /** Reads the next line of the body; its length, or -1 at the end. */
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
            return find(needle, 0, len - needle.length + 1, 1);
        }

        /** The last occurrence: a message's own fields come before its {@code seq}, which ends the object. */
        int lastIndexOf(byte[] needle) {
            return find(needle, len - needle.length, -1, -1);
        }

        private int find(byte[] needle, int from, int to, int step) {
            outer:
            for (int i = from; i != to && i >= 0 && i + needle.length <= len; i += step) {
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
}
