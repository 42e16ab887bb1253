package chat.identity.boundary;

import chat.api.SessionApi;
import chat.api.model.Session;
import chat.identity.control.Caller;
import chat.problems.Problem;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Cookie sessions for browsers: EventSource cannot send an {@code Authorization} header, so a page trades its
 * bearer token for an {@code HttpOnly} cookie holding the same token ({@link SessionCookies} writes it).
 */
@ApplicationScoped
public class SessionsResource implements SessionApi {

    static final String CALL = "chat.Session";

    private final Tokens tokens;

    @Inject
    public SessionsResource(Tokens tokens) {
        this.tokens = tokens;
    }

    @Override
    public void createSession(String microNamespace) {
        Caller caller = signedIn();
        Identity.Credentials credentials = Identity.credentials()
                .filter(given -> !given.cookie())
                .orElseThrow(() -> Tokens.unauthorized("a session is made from Authorization: Bearer <token>"));
        SessionCookies.set(credentials.token(), caller.expiresAt());
    }

    @Override
    public void chatCreateSession(String microNamespace) {
        createSession(microNamespace);
    }

    @Override
    public Session getSession(String microNamespace) {
        Caller caller = signedIn();
        return new Session().userId(caller.subject()).namespace(caller.namespace())
                .expiresAt(caller.expiresAt().getEpochSecond());
    }

    @Override
    public Session chatGetSession(String microNamespace) {
        return getSession(microNamespace);
    }

    @Override
    public void deleteSession() {
        SessionCookies.clear();
    }

    @Override
    public void chatDeleteSession() {
        deleteSession();
    }

    private Caller signedIn() {
        if (!tokens.enabled()) {
            throw Problem.notFound(CALL + ".AuthenticationOff", "authentication is off, so there are no sessions");
        }
        return Identity.caller();
    }
}
