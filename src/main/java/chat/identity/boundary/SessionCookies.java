package chat.identity.boundary;

import io.helidon.common.context.Contexts;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.ext.Provider;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/**
 * Writes the session cookie a call asked for: {@code chat_session=<token>; Max-Age=<the token's remaining life>;
 * Path=/chat; HttpOnly; SameSite=Strict}, plus {@code Secure} when the request came over https (directly or, by
 * {@code X-Forwarded-Proto}, through a proxy). {@code chat.auth.cookie.same-site} may set {@code Lax} or
 * {@code None}; browsers take {@code SameSite=None} only with {@code Secure}, so it always has it.
 */
@Provider
@ApplicationScoped
public class SessionCookies implements ContainerResponseFilter {

    private final String sameSite;

    /** What a call asked to write; null token: clear the cookie. */
    private record Wanted(String token, Instant expiresAt) {
        @Override
        public String toString() {
            return token == null ? "Wanted[clear]" : "Wanted[until " + expiresAt + "]";
        }
    }

    @Inject
    public SessionCookies(@ConfigProperty(name = "chat.auth.cookie.same-site", defaultValue = "Strict") String sameSite) {
        String normalized = sameSite.strip().toLowerCase(Locale.ROOT);
        this.sameSite = switch (normalized) {
            case "strict" -> "Strict";
            case "lax" -> "Lax";
            case "none" -> "None";
            default -> throw new IllegalArgumentException("chat.auth.cookie.same-site is Strict, Lax or None, not "
                    + sameSite);
        };
    }

    static void set(String token, Instant expiresAt) {
        Contexts.context().ifPresent(context -> context.register(new Wanted(token, expiresAt)));
    }

    static void clear() {
        Contexts.context().ifPresent(context -> context.register(new Wanted(null, null)));
    }

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        var wanted = Contexts.context().flatMap(context -> context.get(Wanted.class));
        if (wanted.isEmpty() || response.getStatus() >= 300) {
            return;
        }
        boolean secure = "https".equalsIgnoreCase(request.getUriInfo().getRequestUri().getScheme())
                || "https".equalsIgnoreCase(request.getHeaderString("X-Forwarded-Proto"))
                || sameSite.equals("None");
        long maxAge = wanted.get().token() == null ? 0
                : Math.max(0, Duration.between(Instant.now(), wanted.get().expiresAt()).toSeconds());
        String value = wanted.get().token() == null ? "" : wanted.get().token();
        response.getHeaders().add(HttpHeaders.SET_COOKIE, Identity.COOKIE + "=" + value + "; Max-Age=" + maxAge
                + "; Path=/chat; HttpOnly; SameSite=" + sameSite + (secure ? "; Secure" : ""));
    }
}
