package chat.problems;

/**
 * A failure the client caused or must know about, carried to the edge and answered in micro's error format
 * ({@code {"id","code","detail","status"}}) with the HTTP status equal to {@code code}.
 * The id is stable and meant for programs ({@code chat.Send.MissingText}); the detail is for people.
 */
public class Problem extends RuntimeException {

    private final String id;
    private final int code;
    private long retryAfterSeconds = -1;

    public Problem(String id, int code, String detail) {
        super(detail, null, false, false);
        this.id = id;
        this.code = code;
    }

    public static Problem badRequest(String id, String detail) {
        return new Problem(id, 400, detail);
    }

    public static Problem notFound(String id, String detail) {
        return new Problem(id, 404, detail);
    }

    public static Problem tooLarge(String id, String detail) {
        return new Problem(id, 413, detail);
    }

    /** Asks the client to wait this long before trying again ({@code Retry-After}). */
    public Problem retryAfter(long seconds) {
        this.retryAfterSeconds = seconds;
        return this;
    }

    /** The {@code Retry-After} seconds, or -1 for none. */
    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }

    public String id() {
        return id;
    }

    public int code() {
        return code;
    }

    public String detail() {
        return getMessage();
    }
}
