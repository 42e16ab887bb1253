package chat.messages.entity;

import java.util.UUID;

/**
 * Fired after the sending batch committed. It says "chat {@code chatId} has a committed message numbered
 * {@code seq}", which is all another instance would need to catch up from the database; the message rides along so
 * this instance need not read it back.
 */
public record MessageStored(UUID chatId, long seq, Message message) {
}
