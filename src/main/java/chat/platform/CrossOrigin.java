package chat.platform;

import chat.problems.MicroErrors;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.net.URI;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Lets pages from other origins use the API (EventSource on Connect, POST calls), but only the origins listed in
 * {@code chat.cors.allowed-origins} (comma separated, e.g. {@code https://app.example.com}); none by default, so
 * only the service's own page can. An allowed origin is answered with itself in {@code Access-Control-Allow-Origin}
 * (never {@code *}, which the list does not accept) and credentials are never allowed, as the API uses none. Any
 * other origin gets no CORS headers at all, so the browser keeps the answer from the page; its preflights are
 * refused with 403.
 */
@Provider
@PreMatching
@ApplicationScoped
public class CrossOrigin implements ContainerRequestFilter, ContainerResponseFilter {

    static final String ALLOWED_METHODS = "GET, POST";
    static final String ALLOWED_HEADERS = "Content-Type, Accept, Last-Event-ID, chat-id, user-id";
    static final String MAX_AGE_SECONDS = "600";

    private final Set<String> allowedOrigins;

    @Inject
    public CrossOrigin(@ConfigProperty(name = "chat.cors.allowed-origins") Optional<String> allowedOrigins) {
        this.allowedOrigins = parse(allowedOrigins.orElse(""));
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
        String trimmed = entry.endsWith("/") ? entry.substring(0, entry.length() - 1) : entry;
        URI uri;
        try {
            uri = URI.create(trimmed);
        } catch (IllegalArgumentException e) {
            throw notAnOrigin(entry);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null
                || uri.getRawUserInfo() != null || !(uri.getRawPath() == null || uri.getRawPath().isEmpty())
                || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw notAnOrigin(entry);
        }
        return scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + (uri.getPort() >= 0 ? ":" + uri.getPort() : "");
    }

    private static IllegalArgumentException notAnOrigin(String entry) {
        return new IllegalArgumentException("chat.cors.allowed-origins lists exact origins like "
                + "https://app.example.com; '" + entry + "' is not one (no wildcards, paths or credentials)");
    }

    boolean allows(String origin) {
        return origin != null && allowedOrigins.contains(origin.toLowerCase(Locale.ROOT));
    }

    @Override
    public void filter(ContainerRequestContext request) {
        String origin = request.getHeaderString("Origin");
        if (!HttpMethod.OPTIONS.equals(request.getMethod()) || origin == null
                || request.getHeaderString("Access-Control-Request-Method") == null) {
            return;
        }
        if (!allows(origin)) {
            request.abortWith(Response.fromResponse(MicroErrors.response("chat.OriginNotAllowed", 403,
                    "this origin may not use the API from a browser (see chat.cors.allowed-origins)"))
                    .header("Vary", "Origin")
                    .build());
            return;
        }
        request.abortWith(Response.noContent()
                .header("Access-Control-Allow-Origin", origin)
                .header("Access-Control-Allow-Methods", ALLOWED_METHODS)
                .header("Access-Control-Allow-Headers", ALLOWED_HEADERS)
                .header("Access-Control-Max-Age", MAX_AGE_SECONDS)
                .header("Vary", "Origin")
                .build());
    }

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        String origin = request.getHeaderString("Origin");
        if (origin == null || response.getHeaders().containsKey("Access-Control-Allow-Origin")) {
            return;
        }
        response.getHeaders().add("Vary", "Origin");
        if (allows(origin)) {
            response.getHeaders().putSingle("Access-Control-Allow-Origin", origin);
        }
    }
}
