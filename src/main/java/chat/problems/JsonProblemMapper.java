package chat.problems;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import jakarta.annotation.Priority;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

import java.math.BigInteger;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.List;

/**
 * A body that is not JSON, or JSON of the wrong shape ({@code "user_ids":"John"}, {@code "text":42},
 * {@code "limit":1.5}, a key given twice; see {@link chat.platform.JsonMapping}), is the client's mistake: 400
 * {@code chat.<Call>.InvalidJSON}, naming the field and what it must be where it can, never Jackson's own message
 * (it names classes).
 * Jersey's Jackson module brings plain-text mappers for exactly {@link JsonParseException} and
 * {@link JsonMappingException}; the subclasses below map the same types at a higher priority, so these win.
 * Not CDI beans: Jersey resolves a mapper's exception type from its class, which a CDI proxy hides.
 */
public abstract class JsonProblemMapper<E extends JsonProcessingException> implements ExceptionMapper<E> {

    private static final int MAX_PATH_LENGTH = 100;

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
        String duplicated = duplicatedKey(exception);
        if (duplicated != null) {
            return "the request body is not valid: " + duplicated + " is given more than once";
        }
        if (exception instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()
                && !(mapping.getCause() instanceof JsonParseException)) {
            String field = join(mapping.getPath().stream()
                    .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                    .toList());
            return "the request body is not valid: " + field + " " + expectation(mapping);
        }
        return "the request body is not valid JSON";
    }

    /** What the field must be, in JSON's words, as far as Jackson tells which type it wanted. */
    private static String expectation(JsonMappingException mapping) {
        if (mapping.getCause() instanceof InputCoercionException) {
            return "is out of range";
        }
        Class<?> target = mapping instanceof MismatchedInputException mismatch ? mismatch.getTargetType() : null;
        if (target == null) {
            return "has the wrong type";
        }
        if (CharSequence.class.isAssignableFrom(target)) {
            return "must be a string";
        }
        if (target == Integer.class || target == Long.class || target == Short.class || target == Byte.class
                || target == BigInteger.class || target == int.class || target == long.class) {
            return "must be an integer";
        }
        if (target == Boolean.class || target == boolean.class) {
            return "must be true or false";
        }
        if (Collection.class.isAssignableFrom(target) || target.isArray()) {
            return "must be an array";
        }
        return "has the wrong type";
    }

    /**
     * The path of a key that a JSON object repeats ({@code {"text":"a","text":"b"}}), or null. The parser
     * refuses it ({@code StreamReadFeature.STRICT_DUPLICATE_DETECTION}) with a plain parse error, told apart
     * from other syntax errors only by its message; the parser's position names the key.
     */
    private static String duplicatedKey(Throwable exception) {
        for (Throwable t = exception; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof JsonParseException parse && parse.getOriginalMessage() != null
                    && parse.getOriginalMessage().startsWith("Duplicate field ")
                    && parse.getProcessor() instanceof JsonParser parser) {
                var parts = new ArrayDeque<String>();
                for (JsonStreamContext at = parser.getParsingContext(); at != null && !at.inRoot(); at = at.getParent()) {
                    parts.addFirst(at.inArray() ? "[" + at.getCurrentIndex() + "]" : String.valueOf(at.getCurrentName()));
                }
                return join(List.copyOf(parts));
            }
        }
        return null;
    }

    /**
     * {@code user_ids[0]}, {@code a.b}. A repeated key may be anything the client sent: it is cut short, and control
     * characters and broken surrogates (which could not even be written as UTF-8) become U+FFFD.
     */
    private static String join(List<String> parts) {
        String path = String.join(".", parts).replace(".[", "[");
        var shown = new StringBuilder();
        for (int i = 0; i < path.length() && shown.length() < MAX_PATH_LENGTH; ) {
            int c = path.codePointAt(i);
            i += Character.charCount(c);
            boolean printable = Character.getType(c) != Character.CONTROL && Character.getType(c) != Character.SURROGATE;
            shown.appendCodePoint(printable ? c : '\uFFFD');
            if (shown.length() >= MAX_PATH_LENGTH && i < path.length()) {
                shown.append('…');
            }
        }
        return shown.toString();
    }

    /** Syntax errors: {@code nope}, {@code {"a":}}, a repeated key. */
    @Provider
    @Priority(1)
    public static class Syntax extends JsonProblemMapper<JsonParseException> {
    }

    /** Shape errors: {@code {"user_ids":"John"}}, {@code {"limit":"ten"}}, {@code {"text":42}}. */
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
