package chat.platform;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import jakarta.ws.rs.ext.ContextResolver;
import jakarta.ws.rs.ext.Provider;

/**
 * The one Jackson configuration of the service. Unknown fields are ignored (micro clients may send fields this
 * version does not know); everything else about the shape is checked, so that a client's mistake is answered
 * {@code InvalidJSON} instead of being stored in a form the client did not send:
 * <ul>
 *     <li>a value takes only its own JSON type: no number or boolean becomes a string ({@code "text":42} is not
 *     {@code "42"}), no string becomes a number ({@code "limit":"1"}) or a boolean;</li>
 *     <li>an integer field takes no fraction ({@code "limit":1.5} is not 1);</li>
 *     <li>a key given twice is refused rather than the last one silently winning.</li>
 * </ul>
 * {@code null} stays what it was: an absent value. A message's optional fields (reply_to, edited_at, deleted,
 * reactions) are left out of the JSON while absent.
 */
@Provider
public class JsonMapping implements ContextResolver<ObjectMapper> {

    private static final ObjectWriter TREES = create().writer();

    private final ObjectMapper mapper = create();

    /**
     * A tree as JSON text, written with the shared buffer pool: {@code JsonNode.toString()} would use Jackson's
     * own internal mapper, which keeps a set of buffers in every thread that calls it.
     */
    public static String text(JsonNode tree) {
        try {
            return TREES.writeValueAsString(tree);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree could not be written", e);
        }
    }

    public static ObjectMapper create() {
        // Jackson's default keeps its buffers (about 12 KiB) in a thread local. Here every request and every open
        // stream runs on a virtual thread of its own: they were allocated anew for each request, and an open
        // stream held its set for as long as it was open (a fifth of its heap). One shared pool serves them all.
        JsonFactory factory = JsonFactory.builder().recyclerPool(JsonRecyclerPools.sharedConcurrentDequePool()).build();
        ObjectMapper mapper = JsonMapper.builder(factory)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                // numbers and booleans from strings (and booleans from numbers), "" as null for them
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
                .build();
        // strings from numbers and booleans: not a scalar coercion to Jackson, so configured on its own
        mapper.coercionConfigFor(LogicalType.Textual)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        // the message life fields of a message are left out while absent: a plain message keeps the seed's shape
        mapper.addMixIn(chat.api.model.Message.class, AbsentLeftOut.class);
        // Delete answers the chat it deleted or the message it deleted, never both
        mapper.addMixIn(chat.api.model.DeleteResponse.class, AbsentLeftOut.class);
        return mapper;
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    private abstract static class AbsentLeftOut {
    }

    @Override
    public ObjectMapper getContext(Class<?> type) {
        return mapper;
    }
}
