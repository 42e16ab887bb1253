package chat.stream.control;

/**
 * A committed event of a chat ready for its streams: its seq, its sender (for the echo filter; null for a change
 * event, which every stream gets) and its frame, the bytes rendered once for every stream that gets it.
 */
public record Delivery(long seq, String userId, byte[] frame) {
}
