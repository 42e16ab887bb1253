package chat.chats.boundary;

import chat.chats.control.ChatIds;
import chat.chats.control.Members;
import chat.chats.entity.Chat;
import chat.identity.control.Caller;
import chat.problems.Problem;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Opening chats and finding them, always within the caller's namespace: a chat of another namespace is answered
 * exactly like one that does not exist.
 */
@ApplicationScoped
public class Chats {

    @PersistenceContext(unitName = "chat")
    EntityManager em;

    /**
     * The chat of exactly these users in the caller's namespace, created on first use. Idempotent over the set of
     * users, also under concurrent calls: the insert does nothing when another call already inserted the same
     * members key, and the chat is then read back (in PostgreSQL the conflicting insert waits for the winner's
     * commit). An end user may only open chats that include them.
     *
     * @throws Problem 403 {@code chat.New.Forbidden} when an end user leaves themselves out
     */
    @Transactional
    public UUID open(Caller caller, List<String> userIds) {
        Members members = Members.of(userIds);
        if (caller.kind() == Caller.Kind.USER && !members.userIds().contains(caller.subject())) {
            throw Caller.forbidden("chat.New", "a user may only open chats that include them: add yourself to user_ids");
        }
        String key = members.key();
        Optional<UUID> existing = idByMembersKey(caller.namespace(), key);
        if (existing.isPresent()) {
            return existing.get();
        }
        UUID id = UUID.randomUUID();
        int inserted = em.createNativeQuery(Chat.INSERT_UNLESS_EXISTS)
                .setParameter(1, id)
                .setParameter(2, caller.namespace())
                .setParameter(3, key)
                .setParameter(4, Instant.now())
                .executeUpdate();
        if (inserted == 0) {
            return idByMembersKey(caller.namespace(), key)
                    .orElseThrow(() -> new IllegalStateException("chat vanished: " + key));
        }
        em.find(Chat.class, id).admit(members.userIds());
        return id;
    }

    /**
     * The chat that {@code userId} reads (History, Connect), in a transaction of its own (which gives its
     * connection back at the end). While authentication is on, the user must be a member.
     *
     * @param userId the acting user; null when the call names none (History while authentication is off)
     * @throws Problem 400 {@code <call>.MissingChatID}, 404 {@code <call>.InvalidChatID} when the caller's namespace
     *                 has no chat with this id, 403 {@code <call>.Forbidden} for a non-member
     */
    @Transactional
    public Chat read(Caller caller, String chatId, String userId, String call) {
        return read(em, caller, chatId, userId, call);
    }

    /** {@link #read(Caller, String, String, String)} within the caller's transaction and entity manager. */
    public static Chat read(EntityManager em, Caller caller, String chatId, String userId, String call) {
        Chat chat = find(em, caller, chatId, call);
        if (caller.authenticated() && ((Number) em.createNamedQuery(Chat.IS_MEMBER)
                .setParameter(1, chat.id())
                .setParameter(2, userId)
                .getSingleResult()).longValue() == 0) {
            throw notMember(call);
        }
        return chat;
    }

    /**
     * The chat, read through the caller's own entity manager. A
     * transaction must use a single entity manager: each one holds a database connection of its own, and a call
     * that holds one connection while it waits for a second starves the pool as soon as as many such calls run as
     * there are connections.
     *
     * @param call the error id prefix, e.g. {@code chat.Send}
     * @throws Problem 400 {@code <call>.MissingChatID} without an id, 404 {@code <call>.InvalidChatID} when the
     *                 caller's namespace has no chat with this id
     */
    public static Chat find(EntityManager em, Caller caller, String chatId, String call) {
        return ChatIds.parse(ChatIds.require(chatId, call))
                .map(id -> em.find(Chat.class, id))
                .filter(chat -> chat.namespace().equals(caller.namespace()) && !chat.deleted())
                .orElseThrow(() -> notFound(call));
    }

    private static Problem notFound(String call) {
        return Problem.notFound(call + ".InvalidChatID", "chat not found with this id");
    }

    private static Problem notMember(String call) {
        return Caller.forbidden(call, "only members of the chat may do this");
    }

    private Optional<UUID> idByMembersKey(String namespace, String key) {
        return em.createNamedQuery(Chat.ID_BY_MEMBERS_KEY)
                .setParameter(1, namespace)
                .setParameter(2, key)
                .getResultList().stream()
                .map(id -> UUID.fromString((String) id))
                .findFirst();
    }
}
