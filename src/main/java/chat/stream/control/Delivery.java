package chat.stream.control;

/**
 * A committed event of a chat ready for its streams: its seq, its sender (for the echo filter; null for a change
 * event, which every stream gets) and its frame, the bytes rendered once for every stream that gets it.
 *
 * <p>Issue 14: {@code endsFor} names the user whose streams end once they wrote this event (a member who left or
 * was kicked), {@link #EVERYONE} when all of the chat's streams end (the chat was deleted), null for none. A
 * delivery with a negative seq is a moment outside the sequence (read, typing, presence): written whatever the
 * stream's position and never to the streams of {@code userId}, the user it is about.
 */
public record Delivery(long seq, String userId, byte[] frame, String endsFor) {

    public static final String EVERYONE = "*";

    public Delivery(long seq, String userId, byte[] frame) {
        this(seq, userId, frame, null);
    }

    /** A moment about {@code userId}, for everyone else's streams. */
    public static Delivery ephemeral(String userId, byte[] frame) {
        return new Delivery(-1, userId, frame, null);
    }

    public boolean isEphemeral() {
        return seq < 0;
    }

    /** Whether a stream of this user ends after writing this event. */
    public boolean ends(String streamUser) {
        return endsFor != null && (endsFor.equals(EVERYONE) || endsFor.equals(streamUser));
    }
}
