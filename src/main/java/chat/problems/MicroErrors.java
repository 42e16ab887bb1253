package chat.problems;

import chat.api.model.MicroError;
import chat.platform.JsonMapping;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectWriter;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.webserver.http.ServerResponse;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * Builds responses in micro's error format, for JAX-RS and for the routes served by Helidon itself. The HTTP
 * status always equals the body's {@code code}, and the body never carries class names or stack traces.
 */
public final class MicroErrors {

    private static final ObjectWriter WRITER = JsonMapping.create().writer();

    private MicroErrors() {
    }

    public static MicroError body(String id, int code, String detail) {
        return new MicroError()
                .id(id)
                .code(code)
                .detail(detail)
                .status(statusText(code));
    }

    public static Response response(String id, int code, String detail) {
        return Response.status(code).type(MediaType.APPLICATION_JSON_TYPE).entity(body(id, code, detail)).build();
    }

    public static Response response(Problem problem) {
        Response.ResponseBuilder answer = Response.status(problem.code()).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(body(problem.id(), problem.code(), problem.detail()));
        if (problem.retryAfterSeconds() >= 0) {
            answer.header("Retry-After", problem.retryAfterSeconds());
        }
        return answer.build();
    }

    /** The error as JSON bytes. */
    public static byte[] json(String id, int code, String detail) {
        try {
            return WRITER.writeValueAsBytes(body(id, code, detail));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an error always renders as JSON", e);
        }
    }

    /** Answers a request that Helidon serves itself (not through JAX-RS) with the problem. */
    public static void send(ServerResponse response, Problem problem) {
        response.status(problem.code());
        response.header(HeaderValues.CONTENT_TYPE_JSON);
        if (problem.retryAfterSeconds() >= 0) {
            response.header(HeaderNames.RETRY_AFTER, Long.toString(problem.retryAfterSeconds()));
        }
        response.send(json(problem.id(), problem.code(), problem.detail()));
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
