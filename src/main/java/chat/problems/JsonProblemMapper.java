package chat.problems;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import jakarta.annotation.Priority;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

import java.util.stream.Collectors;

/**
 * A body that is not JSON, or JSON of the wrong shape ({@code "user_ids":"John"}), is the client's mistake: 400
 * {@code chat.<Call>.InvalidJSON}, naming the field where it can, never Jackson's own message (it names classes).
 * Jersey's Jackson module brings plain-text mappers for exactly {@link JsonParseException} and
 * {@link JsonMappingException}; the subclasses below map the same types at a higher priority, so these win.
 * Not CDI beans: Jersey resolves a mapper's exception type from its class, which a CDI proxy hides.
 */
public abstract class JsonProblemMapper<E extends JsonProcessingException> implements ExceptionMapper<E> {

    @Context
    UriInfo uri;

    @Override
    public Response toResponse(E exception) {
        for (Throwable cause = exception.getCause(); cause != null; cause = cause.getCause()) {
            if (cause instanceof Problem problem) {
                // raised while the body was read, e.g. by the body size limit
                return MicroErrors.response(problem);
            }
        }
        return MicroErrors.response(Operation.prefix(uri.getPath()) + ".InvalidJSON", 400, detail(exception));
    }

    static String detail(JsonProcessingException exception) {
        if (exception instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()
                && !(mapping.getCause() instanceof JsonParseException)) {
            String field = mapping.getPath().stream()
                    .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                    .collect(Collectors.joining(".")).replace(".[", "[");
            return "the request body is not valid: " + field + " has the wrong type";
        }
        return "the request body is not valid JSON";
    }

    /** Syntax errors: {@code nope}, {@code {"a":}}. */
    @Provider
    @Priority(1)
    public static class Syntax extends JsonProblemMapper<JsonParseException> {
    }

    /** Shape errors: {@code {"user_ids":"John"}}, {@code {"limit":"ten"}}. */
    @Provider
    @Priority(1)
    public static class Shape extends JsonProblemMapper<JsonMappingException> {
    }

    /** Anything else Jackson reports while reading a body (e.g. trailing tokens). */
    @Provider
    @Priority(1)
    public static class Other extends JsonProblemMapper<JsonProcessingException> {
    }
}
