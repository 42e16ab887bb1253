package chat.messages.boundary;

import chat.chats.boundary.Chats;
import chat.chats.entity.Chat;
import chat.messages.control.Outgoing;
import chat.messages.control.Page;
import chat.messages.entity.Message;
import chat.messages.entity.MessageStored;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;

/** Sending messages and reading them back. */
@ApplicationScoped
public class Messages {

    @PersistenceContext(unitName = "chat")
    EntityManager em;

    @Inject
    Event<MessageStored> stored;

    @Inject
    @ConfigProperty(name = "chat.max-text-bytes", defaultValue = "65536")
    int maxTextBytes;

    /**
     * Stores a message once per (chat, user, client_id) and answers it; a repeat by the same user answers the
     * message stored the first time and stores nothing, while another user's message with the same client_id is
     * a message of its own. The chat's row lock is held from the look-up to the commit, so the duplicate check
     * cannot race and {@code seq} order is commit order. {@link MessageStored} is fired only for a new message.
     *
     * @param call the error id prefix, {@code chat.Send} or {@code chat.Connect}
     */
    @Transactional
    public Message send(String call, String chatId, String userId, String clientId, String subject, String text) {
        Outgoing outgoing = Outgoing.of(call, chatId, userId, clientId, subject, text, maxTextBytes);
        Chat chat = Chats.find(em, outgoing.chatId(), call, LockModeType.PESSIMISTIC_WRITE);
        var earlier = em.createNamedQuery(Message.BY_CLIENT_ID, Message.class)
                .setParameter("chat", chat.id())
                .setParameter("user", outgoing.userId())
                .setParameter("client", outgoing.clientId())
                .getResultList().stream()
                .findFirst();
        if (earlier.isPresent()) {
            return earlier.get();
        }
        var message = new Message(chat.id(), chat.nextSeq(), outgoing.clientId(), outgoing.userId(),
                outgoing.subject(), outgoing.text(), Instant.now());
        em.persist(message);
        stored.fire(new MessageStored(chat.id(), message.seq(), message));
        return message;
    }

    /** A page of the chat's history, always oldest first. */
    @Transactional
    public List<Message> history(String call, String chatId, Page page) {
        Chat chat = Chats.find(em, chatId, call, LockModeType.NONE);
        return range(chat.id(), page);
    }

    /**
     * Messages of a chat with {@code page.after() < seq < page.before()}, oldest first: the newest of them, or the
     * oldest with {@code page.oldestFirst()}. Replays and gap fills of the live stream read through here.
     */
    @Transactional
    public List<Message> range(UUID chatId, Page page) {
        List<Message> found = em.createNamedQuery(
                        page.oldestFirst() ? Message.RANGE_OLDEST_FIRST : Message.RANGE_NEWEST_FIRST, Message.class)
                .setParameter("chat", chatId)
                .setParameter("after", page.after())
                .setParameter("before", page.before())
                .setMaxResults(page.limit())
                .getResultList();
        if (page.oldestFirst()) {
            return found;
        }
        List<Message> oldestFirst = new ArrayList<>(found);
        Collections.reverse(oldestFirst);
        return oldestFirst;
    }
}
