package chat.stream.boundary;

import chat.messages.boundary.MessageModels;
import chat.messages.entity.Message;
import chat.platform.JsonMapping;
import chat.stream.control.Delivery;
import chat.stream.control.EventFrames;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;

/**
 * Renders a stored event as the frame every stream writes: a message as {@code event: message} with its JSON as
 * data, exactly the seed's shape; a change event as {@code event: <kind>} with the JSON stored with it. A change
 * event has no sender to leave out: it reaches the streams of the user who made it too (their other devices).
 */
final class Deliveries {

    private static final ObjectWriter WRITER = JsonMapping.create().writer();
    private static final ObjectMapper READER = JsonMapping.create();

    private Deliveries() {
    }

    /** Whose streams end after this event (issue 14): a member who left or was kicked, or all when deleted. */
    private static String endsFor(Message event) {
        return switch (event.kind()) {
            case "chat_deleted" -> Delivery.EVERYONE;
            case "left", "kicked" -> {
                try {
                    yield READER.readTree(event.data()).path("member").asText(null);
                } catch (JsonProcessingException e) {
                    yield null;
                }
            }
            default -> null;
        };
    }

    static Delivery of(Message message) {
        if (!message.isMessage()) {
            return new Delivery(message.seq(), null, EventFrames.event(message.seq(), message.kind(), message.data()),
                    endsFor(message));
        }
        try {
            String json = WRITER.writeValueAsString(MessageModels.of(message));
            return new Delivery(message.seq(), message.userId(), EventFrames.event(message.seq(), "message", json));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a message always renders as JSON", e);
        }
    }
}
