package chat.stream.control;

import chat.messages.boundary.MessageModels;
import chat.messages.entity.Message;
import chat.platform.JsonMapping;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectWriter;

/**
 * A stored message ready for the streams: its seq, its sender (for the echo filter) and its JSON, rendered once
 * for all the subscribers that get it.
 */
public record Delivery(long seq, String userId, String json) {

    private static final ObjectWriter WRITER = JsonMapping.create().writer();

    public static Delivery of(Message message) {
        try {
            return new Delivery(message.seq(), message.userId(), WRITER.writeValueAsString(MessageModels.of(message)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a message always renders as JSON", e);
        }
    }
}
