package chat.messages.boundary;

import chat.messages.entity.Message;

/** The wire form of a stored message, as the spec defines it. */
public final class MessageModels {

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
                .seq(message.seq());
    }
}
