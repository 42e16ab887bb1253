package chat.stream.control;

import java.util.List;
import java.util.UUID;

/** How committed events are read back: those of a chat after a seq, oldest first, at most {@code limit}. */
@FunctionalInterface
public interface Replay {
    List<Delivery> after(UUID chatId, long seq, int limit);
}
