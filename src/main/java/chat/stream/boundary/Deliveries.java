package chat.stream.boundary;

import chat.messages.boundary.MessageModels;
import chat.messages.entity.Message;
import chat.platform.JsonMapping;
import chat.stream.control.Delivery;
import chat.stream.control.EventFrames;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectWriter;

/** Renders a stored message as the event every stream writes: {@code event: message}, its JSON as data. */
final class Deliveries {

    private static final ObjectWriter WRITER = JsonMapping.create().writer();

    private Deliveries() {
    }

    static Delivery of(Message message) {
        try {
            String json = WRITER.writeValueAsString(MessageModels.of(message));
            return new Delivery(message.seq(), message.userId(), EventFrames.event(message.seq(), "message", json));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a message always renders as JSON", e);
        }
    }
}
