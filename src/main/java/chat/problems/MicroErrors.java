package chat.problems;

import chat.api.model.MicroError;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * Builds responses in micro's error format. The HTTP status always equals the body's {@code code}, and the
 * body never carries class names or stack traces.
 */
public final class MicroErrors {

    private MicroErrors() {
    }

    public static Response response(String id, int code, String detail) {
        MicroError body = new MicroError()
                .id(id)
                .code(code)
                .detail(detail)
                .status(statusText(code));
        return Response.status(code).type(MediaType.APPLICATION_JSON_TYPE).entity(body).build();
    }

    public static Response response(Problem problem) {
        return response(problem.id(), problem.code(), problem.detail());
    }

    /** The reason phrase micro puts in {@code status}, e.g. "Bad Request" for 400. */
    static String statusText(int code) {
        Response.Status known = Response.Status.fromStatusCode(code);
        if (known != null) {
            return known.getReasonPhrase();
        }
        return switch (code) {
            case 422 -> "Unprocessable Entity";
            case 429 -> "Too Many Requests";
            default -> code >= 500 ? "Internal Server Error" : "Bad Request";
        };
    }
}
