package chat.problems;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/**
 * What JAX-RS itself rejects (unknown path, wrong method, unsupported media type, ...), answered in micro's
 * format with the same status. The {@code Allow} header of a 405 is kept.
 */
@Provider
@ApplicationScoped
public class HttpProblemMapper implements ExceptionMapper<WebApplicationException> {

    @Override
    public Response toResponse(WebApplicationException exception) {
        if (exception instanceof NotFoundException) {
            // No resource matched: an empty 404 lets Helidon try its other routes (health, openapi, static
            // files); a path nobody serves is answered by UnknownPaths.
            return Response.status(Response.Status.NOT_FOUND).build();
        }
        Response original = exception.getResponse();
        int code = original.getStatus();
        Response.ResponseBuilder answer = Response.fromResponse(MicroErrors.response(idFor(code), code, detailFor(code)));
        String allow = original.getHeaderString(HttpHeaders.ALLOW);
        if (allow != null) {
            answer.header(HttpHeaders.ALLOW, allow);
        }
        return answer.build();
    }

    public static String idFor(int code) {
        return switch (code) {
            case 404 -> "chat.NotFound";
            case 405 -> "chat.MethodNotAllowed";
            case 406 -> "chat.NotAcceptable";
            case 413 -> "chat.RequestTooLarge";
            case 415 -> "chat.UnsupportedMediaType";
            default -> code >= 500 ? "chat.Internal" : "chat.BadRequest";
        };
    }

    public static String detailFor(int code) {
        return switch (code) {
            case 404 -> "no such endpoint; the API is at /chat/New, /chat/Send, /chat/History and /chat/Connect";
            case 405 -> "this method is not allowed here; the API calls are POST with a JSON body";
            case 406 -> "the answer is JSON (application/json), or text/event-stream for Connect";
            case 415 -> "the body must be JSON (application/json)";
            default -> MicroErrors.statusText(code).toLowerCase();
        };
    }
}
