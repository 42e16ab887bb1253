package chat.platform;

import chat.messages.boundary.SendQueue;
import chat.problems.MicroErrors;
import chat.problems.Problem;
import chat.stream.boundary.Subscribers;
import io.helidon.common.Weighted;
import io.helidon.http.HeaderNames;
import io.helidon.microprofile.server.ServerCdiExtension;
import io.helidon.spi.HelidonShutdownHandler;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static jakarta.interceptor.Interceptor.Priority.PLATFORM_BEFORE;

/**
 * A graceful shutdown on SIGTERM (or Ctrl-C), before the web server and the beans stop: readiness turns DOWN and new
 * API requests are answered 503 {@code chat.Unavailable} with {@code Connection: close}; every open stream is ended
 * in order with a last block asking its client to reconnect (to another instance, resuming by
 * {@code Last-Event-ID}); the requests in progress finish, every Send among them answered after its commit; then the
 * Send queue is empty and the server stops with nothing in flight. All of it within {@code chat.shutdown-timeout}
 * (default {@code 10s}); whatever is still in flight then is cut, and the log says how much.
 *
 * <p>It runs as a shutdown handler of Helidon's, weighted to run before the one that stops the CDI container (and
 * with it the server, which would otherwise close the connections of open streams and in-flight requests first).
 */
@ApplicationScoped
public class Shutdown implements Filter, HelidonShutdownHandler, Weighted {

    private static final Logger LOG = Logger.getLogger(Shutdown.class.getName());
    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m)?");
    private static final Problem SHUTTING_DOWN = new Problem("chat.Unavailable", 503,
            "the service is shutting down; try again (the same client_id is safe)").retryAfter(1);

    private final Subscribers subscribers;
    private final SendQueue sendQueue;
    private final Duration timeout;
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile boolean draining;

    @Inject
    public Shutdown(Subscribers subscribers, SendQueue sendQueue,
                    @ConfigProperty(name = "chat.shutdown-timeout", defaultValue = "10s") String timeout) {
        this.subscribers = subscribers;
        this.sendQueue = sendQueue;
        this.timeout = duration(timeout);
    }

    /**
     * A duration as {@code 10s}, {@code 500ms}, {@code 1m}, a number of seconds, or ISO-8601 ({@code PT10S}).
     *
     * @throws IllegalArgumentException for anything else
     */
    static Duration duration(String text) {
        String value = text.strip().toLowerCase(Locale.ROOT);
        Matcher simple = DURATION.matcher(value);
        if (simple.matches()) {
            long amount = Long.parseLong(simple.group(1));
            String unit = simple.group(2) == null ? "s" : simple.group(2);
            return switch (unit) {
                case "ms" -> Duration.ofMillis(amount);
                case "m" -> Duration.ofMinutes(amount);
                default -> Duration.ofSeconds(amount);
            };
        }
        try {
            return Duration.parse(text.strip());
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("chat.shutdown-timeout is a duration such as 10s, 500ms or 1m, not '"
                    + text + "'", e);
        }
    }

    /** Right after the access log, so that a refused request is logged and counted too. */
    void register(@Observes @Priority(PLATFORM_BEFORE + 10) @Initialized(ApplicationScoped.class) Object start,
                  ServerCdiExtension server) {
        server.serverRoutingBuilder().addFilter(this);
        io.helidon.Main.addShutdownHandler(this);
    }

    @PreDestroy
    void unregister() {
        io.helidon.Main.removeShutdownHandler(this);
    }

    /** Before the CDI container's handler, which has the default weight. */
    @Override
    public double weight() {
        return Weighted.DEFAULT_WEIGHT + 100;
    }

    /** True from the moment the shutdown began: readiness is DOWN. */
    public boolean draining() {
        return draining;
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest request, RoutingResponse response) {
        inFlight.incrementAndGet();
        try {
            if (draining && request.path().path().startsWith("/chat/")) {
                response.header(HeaderNames.CONNECTION, "close");
                MicroErrors.send(response, SHUTTING_DOWN);
                return;
            }
            chain.proceed();
        } finally {
            inFlight.decrementAndGet();
        }
    }

    @Override
    public void shutdown() {
        long started = System.nanoTime();
        long deadline = started + timeout.toNanos();
        LOG.info(() -> "shutting down: ending " + subscribers.open() + " streams and finishing " + inFlight.get()
                + " requests in progress (at most " + timeout.toMillis() + " ms)");
        draining = true;
        try {
            subscribers.shutDown();
            boolean done = awaitRequests(deadline) && sendQueue.drain(deadline);
            long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            if (done) {
                LOG.info(() -> "shutting down: nothing in flight after " + took + " ms; stopping");
            } else {
                LOG.warning(() -> "shutting down: " + inFlight.get() + " requests and " + subscribers.open()
                        + " streams still open after " + took + " ms (chat.shutdown-timeout); stopping anyway");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "shutting down: draining failed; stopping anyway", e);
        }
    }

    private boolean awaitRequests(long deadline) throws InterruptedException {
        while (inFlight.get() > 0) {
            if (System.nanoTime() - deadline >= 0) {
                return false;
            }
            Thread.sleep(5);
        }
        return true;
    }
}
