package chat.stream.control;

import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * The bytes of server-sent events, in the wire order the API documents: comment, {@code id}, {@code event},
 * {@code retry}, {@code data}, then the blank line that dispatches the block. A frame is rendered once per event
 * and written as it is to every stream that gets it.
 */
public final class EventFrames {

    /** Written when a stream has been silent for the heartbeat interval. */
    public static final byte[] HEARTBEAT = ": heartbeat\n\n".getBytes(StandardCharsets.US_ASCII);

    private static final Pattern LINES = Pattern.compile("\r\n|\r|\n");

    private EventFrames() {
    }

    /**
     * The first block of every stream: a comment (which makes the server send its headers at once), the seq the
     * stream starts after as {@code id} (so that an EventSource that loses the connection before any event still
     * resumes from exactly there), and the reconnect hint. It dispatches nothing in a client.
     */
    public static byte[] opening(long after, long retryMillis) {
        return (": connected\nid: " + after + "\nretry: " + retryMillis + "\n\n").getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * The last block of a stream the service ends because it shuts down: a comment saying so and the reconnect
     * hint. It dispatches nothing; the client reconnects (to another instance) and resumes by {@code Last-Event-ID}.
     */
    public static byte[] reconnect(long retryMillis) {
        return (": reconnect\nretry: " + retryMillis + "\n\n").getBytes(StandardCharsets.US_ASCII);
    }

    /** One event: {@code id: <seq>}, {@code event: <name>}, the data one {@code data:} line per line. */
    public static byte[] event(long seq, String name, String data) {
        var frame = new StringBuilder(data.length() + 40)
                .append("id: ").append(seq).append('\n')
                .append("event: ").append(singleLine(name)).append('\n');
        for (String line : LINES.split(data, -1)) {
            frame.append("data: ").append(line).append('\n');
        }
        return frame.append('\n').toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * A moment outside the chat's sequence (read, typing, presence): no {@code id:} line, so the client's
     * Last-Event-ID stays the seq of the last sequenced event and a resume stays exact.
     */
    public static byte[] ephemeral(String name, String data) {
        var frame = new StringBuilder(data.length() + 32).append("event: ").append(singleLine(name)).append('\n');
        for (String line : LINES.split(data, -1)) {
            frame.append("data: ").append(line).append('\n');
        }
        return frame.append('\n').toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String singleLine(String value) {
        return value.replace("\r", "").replace("\n", "");
    }
}
