package chat.platform;

import chat.problems.MicroErrors;
import chat.problems.Problem;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.http.Status;
import io.helidon.microprofile.server.ServerCdiExtension;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.net.URI;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import static jakarta.interceptor.Interceptor.Priority.PLATFORM_BEFORE;

/**
 * Which browser pages may use the service. A request that carries an {@code Origin} (every cross-origin request a
 * browser makes, simple ones included: a {@code text/plain} POST needs no preflight) is refused with 403
 * {@code chat.Forbidden} before it does anything, whatever its method, path or content type, unless the origin is
 * the service's own (the {@code Host} the request was sent to, or the {@code X-Forwarded-Host} of a proxy in front)
 * or is listed in {@code chat.cors.allowed-origins} (comma separated exact origins, e.g.
 * {@code https://app.example.com}; none by default). Requests without {@code Origin} (curl, SDKs, servers) are
 * not affected. A listed origin is answered with itself in {@code Access-Control-Allow-Origin} (never {@code *},
 * which the list does not accept) and {@code Access-Control-Allow-Credentials: true}, so that its pages may use
 * the session cookie; its preflights are answered here. Cookie-authenticated requests are therefore only taken from
 * the service's own pages and the listed ones.
 *
 * <p>A Helidon filter rather than a JAX-RS one, so that it guards every route: the JAX-RS calls, the event stream
 * Helidon serves itself, and the rest.
 */
@ApplicationScoped
public class CrossOrigin implements Filter {

    static final String ALLOWED_METHODS = "GET, POST, DELETE";
    static final String ALLOWED_HEADERS =
            "Content-Type, Accept, Authorization, Last-Event-ID, chat-id, user-id, micro-namespace";
    static final String MAX_AGE_SECONDS = "600";
    private static final HeaderName FORWARDED_HOST = HeaderNames.create("X-Forwarded-Host");
    private static final Problem FORBIDDEN = new Problem("chat.Forbidden", 403,
            "pages of this origin may not use the API (see chat.cors.allowed-origins)");

    private final Set<String> allowedOrigins;

    @Inject
    public CrossOrigin(@ConfigProperty(name = "chat.cors.allowed-origins") Optional<String> allowedOrigins) {
        this.allowedOrigins = parse(allowedOrigins.orElse(""));
    }

    /** Right after the access log and the shutdown's filter, before everything else. */
    void register(@Observes @Priority(PLATFORM_BEFORE + 20) @Initialized(ApplicationScoped.class) Object start,
                  ServerCdiExtension server) {
        server.serverRoutingBuilder().addFilter(this);
    }

    /**
     * The origins of a comma separated list, normalised (lowercase scheme and host, no trailing slash).
     *
     * @throws IllegalArgumentException for {@code *} or anything that is not a bare http(s) origin
     */
    static Set<String> parse(String list) {
        return Arrays.stream(list.split(","))
                .map(String::strip)
                .filter(origin -> !origin.isEmpty())
                .map(CrossOrigin::origin)
                .collect(Collectors.toUnmodifiableSet());
    }

    private static String origin(String entry) {
        URI uri = uri(entry.endsWith("/") ? entry.substring(0, entry.length() - 1) : entry);
        if (uri == null) {
            throw notAnOrigin(entry);
        }
        return uri.getScheme().toLowerCase(Locale.ROOT) + "://" + uri.getHost().toLowerCase(Locale.ROOT)
                + (uri.getPort() >= 0 ? ":" + uri.getPort() : "");
    }

    /** The origin as a URI when it is a bare http(s) origin, else null. */
    private static URI uri(String origin) {
        URI uri;
        try {
            uri = URI.create(origin);
        } catch (IllegalArgumentException e) {
            return null;
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null
                || uri.getRawUserInfo() != null || !(uri.getRawPath() == null || uri.getRawPath().isEmpty())
                || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            return null;
        }
        return uri;
    }

    private static IllegalArgumentException notAnOrigin(String entry) {
        return new IllegalArgumentException("chat.cors.allowed-origins lists exact origins like "
                + "https://app.example.com; '" + entry + "' is not one (no wildcards, paths or credentials)");
    }

    boolean allows(String origin) {
        return origin != null && allowedOrigins.contains(origin.toLowerCase(Locale.ROOT));
    }

    /**
     * True when a page of {@code origin} was served by this service: its host and port are those the request was
     * sent to ({@code host} is a {@code Host} header value, {@code host[:port]}).
     */
    static boolean sameOrigin(String origin, String host) {
        URI page = uri(origin);
        URI target = host == null || host.isBlank() ? null : uri(page == null ? "" : page.getScheme() + "://" + host.strip());
        if (page == null || target == null) {
            return false;
        }
        return page.getHost().equalsIgnoreCase(target.getHost()) && port(page) == port(target);
    }

    private static int port(URI uri) {
        if (uri.getPort() >= 0) {
            return uri.getPort();
        }
        return uri.getScheme().equalsIgnoreCase("https") ? 443 : 80;
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest request, RoutingResponse response) {
        var headers = request.headers();
        Optional<String> given = headers.first(HeaderNames.ORIGIN);
        if (given.isEmpty()) {
            chain.proceed();
            return;
        }
        String origin = given.get();
        if (sameOrigin(origin, headers.first(HeaderNames.HOST).orElse(null))
                || sameOrigin(origin, headers.first(FORWARDED_HOST).orElse(null))) {
            chain.proceed();
            return;
        }
        response.header(HeaderNames.VARY, "Origin");
        if (!allows(origin)) {
            MicroErrors.send(response, FORBIDDEN);
            return;
        }
        response.header(HeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, origin);
        // so that a listed page may use the session cookie: EventSource(url, {withCredentials: true})
        response.header(HeaderNames.ACCESS_CONTROL_ALLOW_CREDENTIALS, "true");
        if (request.prologue().method().equals(Method.OPTIONS)
                && headers.contains(HeaderNames.ACCESS_CONTROL_REQUEST_METHOD)) {
            response.header(HeaderNames.ACCESS_CONTROL_ALLOW_METHODS, ALLOWED_METHODS);
            response.header(HeaderNames.ACCESS_CONTROL_ALLOW_HEADERS, ALLOWED_HEADERS);
            response.header(HeaderNames.ACCESS_CONTROL_MAX_AGE, MAX_AGE_SECONDS);
            response.status(Status.NO_CONTENT_204).send();
            return;
        }
        chain.proceed();
    }
}
