package chat.identity.control;

import chat.problems.Problem;

import java.time.Instant;
import java.util.Optional;

/**
 * Who makes a request and in which tenant: made once per request by the identity filter, from the bearer token or
 * session cookie while authentication is on, or from the {@code micro-namespace} header alone while it is off, and
 * handed to every facade. The acting user of a call follows from it and the {@code user_id} the request names.
 *
 * @param namespace the tenant every chat of the call lives in
 * @param kind      how far the caller is trusted
 * @param subject   the token's user, for {@link Kind#USER} and {@link Kind#BACKEND}; null in development
 * @param expiresAt when the token expires; null in development
 */
public record Caller(String namespace, Kind kind, String subject, Instant expiresAt) {

    public enum Kind {
        /** Authentication is off: the request names its user and is trusted, as before tokens existed. */
        DEVELOPMENT,
        /** An end user's token: acts only as its subject, only in chats it belongs to. */
        USER,
        /** A trusted backend's token ({@code groups} has {@code chat-service}): names any user of its namespace. */
        BACKEND
    }

    public static Caller development(String namespace) {
        return new Caller(namespace, Kind.DEVELOPMENT, null, null);
    }

    /** True when a token vouches for this caller, so membership is enforced. */
    public boolean authenticated() {
        return kind != Kind.DEVELOPMENT;
    }

    /**
     * The user a call acts as, given the {@code user_id} the request names (null or empty when it names none).
     * An end user acts as the token's subject: a named user must be that subject. A backend, or anyone while
     * authentication is off, must name the user.
     *
     * @param call the error id prefix, e.g. {@code chat.Send}
     * @throws Problem 400 {@code <call>.MissingUserID} when a user must be named and is not; 403
     *                 {@code <call>.Forbidden} when an end user names someone else
     */
    public String actingUser(String named, String call) {
        boolean given = named != null && !named.isEmpty();
        if (kind == Kind.USER) {
            if (given && !named.equals(subject)) {
                throw forbidden(call, "a user may act only as themselves (the token's subject)");
            }
            return subject;
        }
        if (!given || named.isBlank()) {
            throw Problem.badRequest(call + ".MissingUserID", "user_id is required");
        }
        return named;
    }

    /** The acting user when the request may leave it out altogether, as History does while authentication is off. */
    public Optional<String> actingUserIfAny(String named, String call) {
        boolean given = named != null && !named.isEmpty();
        if (kind == Kind.DEVELOPMENT && !given) {
            return Optional.empty();
        }
        return Optional.of(actingUser(named, call));
    }

    public static Problem forbidden(String call, String detail) {
        return new Problem(call + ".Forbidden", 403, detail);
    }

    @Override
    public String toString() {
        return "Caller[" + kind + " " + (subject == null ? "" : subject + " ") + "in " + namespace + "]";
    }
}
