package chat.identity.boundary;

import chat.identity.control.Caller;
import chat.identity.control.Namespaces;
import chat.problems.MicroErrors;
import chat.problems.Operation;
import chat.problems.Problem;
import io.helidon.common.context.Contexts;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.microprofile.server.ServerCdiExtension;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.Optional;
import java.util.logging.Logger;

/**
 * Makes the {@link Caller} of every API request ({@code /chat/...}), once, before any resource runs, and keeps it
 * in the request's context for the resources to hand to the facades.
 *
 * <p>While authentication is on ({@link Tokens#enabled()}), a request needs a valid token, from
 * {@code Authorization: Bearer <jwt>} or else the {@code chat_session} cookie ({@code POST /chat/Session} sets it,
 * for EventSource, which cannot send headers); a token in the URL is never read (it would leak into logs, Referer
 * headers and history). A {@code micro-namespace} header, when present, must be the token's namespace. While
 * authentication is off, the header alone selects the namespace ({@code micro} without it), so tenants stay apart
 * in development too.
 */
@ApplicationScoped
public class Identity implements Filter {

    public static final String COOKIE = "chat_session";
    static final HeaderName NAMESPACE = HeaderNames.create("micro-namespace");
    private static final Logger LOG = Logger.getLogger(Identity.class.getName());

    private final Tokens tokens;
    private final boolean bindAll;

    /** How the request proved who it is: the token, and whether it came as a cookie. */
    public record Credentials(String token, boolean cookie) {
        @Override
        public String toString() {
            return "Credentials[" + (cookie ? "cookie" : "bearer") + "]";
        }
    }

    @Inject
    public Identity(Tokens tokens, @ConfigProperty(name = "server.host", defaultValue = "0.0.0.0") String host) {
        this.tokens = tokens;
        this.bindAll = !host.startsWith("127.") && !host.equals("localhost") && !host.equals("::1");
    }

    void register(@Observes @Initialized(ApplicationScoped.class) Object start, ServerCdiExtension server) {
        if (!tokens.enabled()) {
            LOG.warning("Authentication is OFF: no mp.jwt.verify.publickey(.location) is configured, so anyone who"
                    + " can reach the service may act as any user." + (bindAll ? "" : " Listening on this machine only."));
        }
        server.serverRoutingBuilder().addFilter(this);
    }

    /** The caller of the request this thread serves. */
    public static Caller caller() {
        return Contexts.context().flatMap(context -> context.get(Caller.class))
                .orElseThrow(() -> new IllegalStateException("no caller: the identity filter did not run"));
    }

    /** The credentials of the request this thread serves, if it presented any. */
    public static Optional<Credentials> credentials() {
        return Contexts.context().flatMap(context -> context.get(Credentials.class));
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest request, RoutingResponse response) {
        String path = request.path().path();
        if (!path.startsWith("/chat/")) {
            chain.proceed();
            return;
        }
        String call = Operation.prefix(path);
        try {
            Caller caller = tokens.enabled() ? authenticate(request, call) : development(request, call);
            request.context().register(caller);
        } catch (Problem problem) {
            if (problem.code() == 401) {
                response.header(HeaderNames.WWW_AUTHENTICATE, "Bearer");
            }
            MicroErrors.send(response, problem);
            return;
        }
        chain.proceed();
    }

    private static Caller development(RoutingRequest request, String call) {
        String namespace = request.headers().first(NAMESPACE).orElse(Namespaces.DEFAULT);
        return Caller.development(Namespaces.require(namespace, call));
    }

    private Caller authenticate(RoutingRequest request, String call) {
        if (signingOut(request)) {
            return Caller.development(Namespaces.DEFAULT);
        }
        Optional<Credentials> credentials = credentials(request);
        if (credentials.isEmpty()) {
            throw Tokens.unauthorized("a token is required: Authorization: Bearer <token>, or the " + COOKIE
                    + " cookie");
        }
        request.context().register(credentials.get());
        Caller caller = tokens.verify(credentials.get().token());
        Optional<String> named = request.headers().first(NAMESPACE);
        if (named.isPresent() && !named.get().equals(caller.namespace())) {
            throw Caller.forbidden(call, "the micro-namespace header must be the token's namespace");
        }
        return caller;
    }

    /** Signing out needs no valid token: an expired cookie must be clearable. */
    private static boolean signingOut(RoutingRequest request) {
        return request.prologue().method().equals(Method.DELETE) && request.path().path().endsWith("/Session");
    }

    private static Optional<Credentials> credentials(RoutingRequest request) {
        Optional<String> authorization = request.headers().first(HeaderNames.AUTHORIZATION);
        if (authorization.isPresent()) {
            String value = authorization.get().strip();
            if (value.regionMatches(true, 0, "Bearer ", 0, 7) && value.length() > 7) {
                return Optional.of(new Credentials(value.substring(7).strip(), false));
            }
            throw Tokens.unauthorized("the Authorization header must be Bearer <token>");
        }
        return request.headers().cookies().first(COOKIE)
                .filter(token -> !token.isBlank())
                .map(token -> new Credentials(token, true));
    }
}
