package chat.messages.boundary;

import chat.api.model.ChangeEvent;
import chat.api.model.Reaction;
import chat.platform.JsonMapping;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import chat.messages.entity.Message;

import java.util.List;

/**
 * The wire form of a stored message, as the spec defines it. The message life fields ({@code reply_to},
 * {@code edited_at}, {@code deleted}, {@code reactions}) are set only when they say something, and absent values
 * are left out of the JSON ({@link chat.platform.JsonMapping}), so a plain message keeps exactly the seed's shape.
 */
public final class MessageModels {

    private static final ObjectMapper JSON = JsonMapping.create();

    private MessageModels() {
    }

    public static chat.api.model.Message of(Message message) {
        return new chat.api.model.Message()
                .id(message.id().toString())
                .clientId(message.clientId())
                .chatId(message.chatId().toString())
                .userId(message.userId())
                .subject(message.subject())
                .text(message.text())
                .sentAt(message.sentAt().getEpochSecond())
                .seq(message.seq())
                .replyTo(message.replyTo() == null ? null : message.replyTo().toString())
                .editedAt(message.editedAt() == null ? null : message.editedAt().getEpochSecond())
                .deleted(message.deleted() ? Boolean.TRUE : null)
                .reactions(null);
    }

    /**
     * An event of the chat's log as Changes answers it: its seq, its kind and its data exactly as Connect sends it
     * (a message as it is now; a change event's stored JSON).
     */
    public static ChangeEvent event(Message event) {
        JsonNode data;
        try {
            data = event.isMessage() ? JSON.valueToTree(of(event)) : JSON.readTree(event.data());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a stored event's data is JSON", e);
        }
        return new ChangeEvent().seq(event.seq()).kind(event.kind()).data(data);
    }

    /** The message with its reactions as the reading user sees them (none: left out). */
    public static chat.api.model.Message of(Message message, List<Reaction> reactions) {
        return of(message).reactions(reactions == null || reactions.isEmpty() ? null : reactions);
    }
}
