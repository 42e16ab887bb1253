package chat.stream.control;

import chat.messages.boundary.Messages;
import chat.messages.control.Page;
import chat.messages.entity.MessageStored;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Owns every open stream, grouped by chat. Learns of committed messages from {@link MessageStored} after the
 * sending transaction succeeded (so a rolled-back message is never streamed) and hands them, in seq order, to the
 * chat's subscribers only. Holds nothing for chats nobody follows.
 *
 * <p>{@link MessageStored} carries "chat C has a committed message N": another instance's notification of the same
 * fact could feed {@link Fanout#publish} just as well, since gaps are filled from the database.
 */
@ApplicationScoped
public class Subscribers {

    private final ConcurrentHashMap<UUID, Fanout> fanouts = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("stream-gaps").factory());

    @Inject
    Messages messages;

    @Inject
    @ConfigProperty(name = "chat.stream.heartbeat-millis", defaultValue = "15000")
    long heartbeatMillis;

    @Inject
    @ConfigProperty(name = "chat.stream.retry-millis", defaultValue = "3000")
    long retryMillis;

    @Inject
    @ConfigProperty(name = "chat.stream.buffer", defaultValue = "1000")
    int buffer;

    @Inject
    @ConfigProperty(name = "chat.stream.gap-wait-millis", defaultValue = "200")
    long gapWaitMillis;

    /** Created with the application, not on the first stream: it must see every commit from the start. */
    void start(@Observes @Initialized(ApplicationScoped.class) Object start) {
    }

    void stored(@Observes(during = TransactionPhase.AFTER_SUCCESS) MessageStored stored) {
        Fanout fanout = fanouts.get(stored.chatId());
        if (fanout != null) {
            fanout.publish(Delivery.of(stored.message()));
        }
    }

    /**
     * Opens a stream of the chat after seq {@code after}, on a virtual thread of its own.
     *
     * @param lastSeq the chat's newest seq, read just before: live deliveries of a chat nobody followed yet start
     *                after it (anything older is replayed from the database)
     */
    public void open(UUID chatId, long lastSeq, String userId, boolean echo, long after, SseEventSink sink, Sse sse) {
        var subscriber = new Subscriber(chatId, userId, echo, after, buffer, sink, sse);
        fanouts.compute(chatId, (id, fanout) -> {
            Fanout existing = fanout != null ? fanout : new Fanout(id, lastSeq + 1, this::read, timer, gapWaitMillis);
            existing.add(subscriber);
            return existing;
        });
        Thread.ofVirtual().name("stream-" + chatId).start(() -> {
            try {
                subscriber.run(this::read, retryMillis, heartbeatMillis);
            } finally {
                remove(subscriber);
            }
        });
    }

    /** How many streams of this chat are open. */
    public int count(UUID chatId) {
        Fanout fanout = fanouts.get(chatId);
        return fanout == null ? 0 : fanout.size();
    }

    private void remove(Subscriber subscriber) {
        fanouts.computeIfPresent(subscriber.chatId(), (id, fanout) -> {
            fanout.remove(subscriber);
            return fanout.isEmpty() ? null : fanout;
        });
    }

    private List<Delivery> read(UUID chatId, long after, int limit) {
        return messages.range(chatId, Page.between(after, Long.MAX_VALUE, limit)).stream()
                .map(Delivery::of)
                .toList();
    }

    @PreDestroy
    void closeAll() {
        timer.shutdownNow();
        fanouts.values().forEach(fanout -> fanout.subscribers().forEach(Fanout.Listener::close));
    }
}
