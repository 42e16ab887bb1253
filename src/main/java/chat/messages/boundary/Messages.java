package chat.messages.boundary;

import chat.chats.boundary.Chats;
import chat.chats.control.ChatIds;
import chat.chats.entity.Chat;
import chat.identity.control.Caller;
import chat.messages.control.Outgoing;
import chat.messages.control.Page;
import chat.messages.entity.Message;
import chat.messages.entity.MessageStored;
import chat.problems.Problem;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;

/** Sending messages (through the group commit of {@link SendQueue}) and reading them back. */
@ApplicationScoped
public class Messages {

    @PersistenceContext(unitName = "chat")
    EntityManager em;

    @Inject
    SendQueue sendQueue;

    @Inject
    @ConfigProperty(name = "chat.max-text-bytes", defaultValue = "65536")
    int maxTextBytes;

    /**
     * Stores a message once per (chat, user, client_id) and answers it; a repeat by the same user answers the
     * message stored the first time and stores nothing, while another user's message with the same client_id is
     * a message of its own. The message is written with whatever other Sends are waiting (group commit,
     * {@link SendQueue}) and answered after the commit; {@link MessageStored} is fired only for a new message,
     * after the commit.
     *
     * @param call the error id prefix, {@code chat.Send} or {@code chat.Connect}
     * @throws Problem 400/413 for an invalid request, 403 {@code <call>.Forbidden} for a sender who is not a member
     *                 (while authentication is on) or not the token's user, 404 {@code <call>.InvalidChatID},
     *                 503 {@code chat.Unavailable} when the database does not answer in time
     */
    public Message send(Caller caller, String call, String chatId, String userId, String clientId, String subject,
                        String text) {
        ChatIds.require(chatId, call);
        String sender = caller.actingUser(userId, call);
        Outgoing outgoing = Outgoing.of(call, chatId, sender, clientId, subject, text, maxTextBytes);
        UUID id = ChatIds.parse(outgoing.chatId()).orElseThrow(() -> SendBatch.notFound(call));
        SendBatch.Outcome outcome = sendQueue.send(new SendBatch.Item(caller, call, id, outgoing, Instant.now()));
        if (outcome.problem() != null) {
            throw outcome.problem();
        }
        return outcome.message();
    }

    /**
     * A page of the chat's history, always oldest first, for a member of the chat (while authentication is on;
     * while it is off the call may name no user).
     */
    @Transactional
    public List<Message> history(Caller caller, String call, String chatId, String userId, Page page) {
        ChatIds.require(chatId, call);
        String reader = caller.actingUserIfAny(userId, call).orElse(null);
        Chat chat = Chats.read(em, caller, chatId, reader, call);
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
                .setParameter(1, chatId)
                .setParameter(2, page.after())
                .setParameter(3, page.before())
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
