package chat.problems;

/**
 * A failure the client caused or must know about, carried to the edge and answered in micro's error format
 * ({@code {"id","code","detail","status"}}) with the HTTP status equal to {@code code}.
 * The id is stable and meant for programs ({@code chat.Send.MissingText}); the detail is for people.
 */
public class Problem extends RuntimeException {

    private final String id;
    private final int code;

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
