package chat.chats.boundary;

import chat.chats.control.ChatIds;
import chat.chats.control.Members;
import chat.chats.entity.Chat;
import chat.problems.Problem;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Opening chats and finding them. */
@ApplicationScoped
public class Chats {

    @PersistenceContext(unitName = "chat")
    EntityManager em;

    /**
     * The chat of exactly these users, created on first use. Idempotent over the set of users, also under
     * concurrent calls: the insert does nothing when another call already inserted the same members key, and the
     * chat is then read back (in PostgreSQL the conflicting insert waits for the winner's commit).
     */
    @Transactional
    public UUID open(List<String> userIds) {
        Members members = Members.of(userIds);
        String key = members.key();
        Optional<UUID> existing = idByMembersKey(key);
        if (existing.isPresent()) {
            return existing.get();
        }
        UUID id = UUID.randomUUID();
        int inserted = em.createNativeQuery(Chat.INSERT_UNLESS_EXISTS)
                .setParameter(1, id)
                .setParameter(2, key)
                .setParameter(3, Instant.now())
                .executeUpdate();
        if (inserted == 0) {
            return idByMembersKey(key).orElseThrow(() -> new IllegalStateException("chat vanished: " + key));
        }
        em.find(Chat.class, id).admit(members.userIds());
        return id;
    }

    /**
     * The chat, read without a lock, in a transaction of its own (which gives its connection back at the end).
     *
     * @throws Problem 400 {@code <call>.MissingChatID} without an id, 404 {@code <call>.InvalidChatID} when no chat
     *                 has this id
     */
    @Transactional
    public Chat find(String chatId, String call) {
        return find(em, chatId, call, LockModeType.NONE);
    }

    /**
     * The chat, read through the caller's own entity manager, optionally locked until the transaction ends (to
     * advance its sequence). A transaction must use a single entity manager: each one holds a database connection
     * of its own, and a call that holds one connection while it waits for a second starves the pool as soon as
     * as many such calls run as there are connections.
     *
     * @param call the error id prefix, e.g. {@code chat.Send}
     * @throws Problem 400 {@code <call>.MissingChatID} without an id, 404 {@code <call>.InvalidChatID} when no chat
     *                 has this id
     */
    public static Chat find(EntityManager em, String chatId, String call, LockModeType lock) {
        return ChatIds.parse(ChatIds.require(chatId, call))
                .map(id -> em.find(Chat.class, id, lock))
                .orElseThrow(() -> Problem.notFound(call + ".InvalidChatID", "chat not found with this id"));
    }

    private Optional<UUID> idByMembersKey(String key) {
        return em.createNamedQuery(Chat.ID_BY_MEMBERS_KEY, UUID.class)
                .setParameter("key", key)
                .getResultList().stream()
                .findFirst();
    }
}
