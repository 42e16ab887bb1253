package chat.fleet;

import java.util.UUID;

/**
 * "Chat {@code chatId} changed up to {@code seq}": the one signal that in-process streams and other instances
 * consume. It never carries the change itself: the messages table is the log, and a receiver reads by seq what it
 * has not delivered, so a lost, late or repeated signal costs latency, never correctness.
 *
 * <p>{@code kind} keeps the channel open for more than the chat's seq-numbered events: typing and presence (a
 * later issue) can ride it as kinds of their own; a receiver ignores a kind it does not know.
 */
public record Signal(String kind, UUID chatId, long seq, String payload) {

    /** The chat has committed events (messages, and later edits or reactions) up to {@code seq}. */
    public static final String EVENTS = "e";

    /**
     * A moment that is not part of any chat's sequence (issue 14: read, typing, presence): its small JSON payload
     * is the signal itself, and a receiver hands it to its streams as it is; lost means lost, as for a moment.
     */
    public static final String EPHEMERAL = "x";

    /** A signal without a payload: what every seq-numbered kind is. */
    public Signal(String kind, UUID chatId, long seq) {
        this(kind, chatId, seq, null);
    }

    public Signal {
        if (kind.isEmpty() || kind.indexOf(':') >= 0 || kind.indexOf(' ') >= 0) {
            throw new IllegalArgumentException("a signal kind is a short word without ':' or ' ': " + kind);
        }
    }

    public static Signal ephemeral(UUID chatId, String payload) {
        return new Signal(EPHEMERAL, chatId, 0, payload);
    }

    public static Signal events(UUID chatId, long seq) {
        return new Signal(EVENTS, chatId, seq);
    }
}
