package chat.platform;

import chat.problems.Operation;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.HttpException;
import io.helidon.http.Method;
import io.helidon.microprofile.server.ServerCdiExtension;
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

import java.util.Locale;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;

import static jakarta.interceptor.Interceptor.Priority.PLATFORM_BEFORE;

/**
 * Every request, first of all filters: gives it its {@link RequestId} (returned as {@code X-Request-Id}), counts it
 * in the metrics by call and status ({@link ServiceMetrics}), and writes one line to the log {@code chat.access}
 * when it is answered (a stream: when it ends):
 * {@code <request id> <client address> <method> <path> <status> <milliseconds>ms}. The path is the raw one, without
 * the query: nothing a client sends in a body, a header or a query string is logged, so message text and tokens
 * never reach the log (a token in a URL is never read, but a client may still send one).
 *
 * <p>The lines are written by a thread of their own, so a request never waits for the log's output; if the log
 * cannot keep up (more than {@link #BACKLOG} lines behind), further lines are counted and the count is logged
 * instead. That thread wakes every {@link #WRITE_EVERY_MILLIS} ms and writes what has queued, rather than being
 * woken for each line: waking it per request cost about a tenth of Send's throughput at 16 clients on two cores
 * (bench/run's Send, runs alternated), and a queue without a lock lets request threads add their lines without
 * meeting each other or the writer.
 * {@code chat.access-log=false} turns the lines off (the id and the metrics stay).
 */
@ApplicationScoped
public class AccessLog implements Filter {

    static final HeaderName REQUEST_ID = HeaderNames.create("X-Request-Id");
    static final int BACKLOG = 10_000;
    static final long WRITE_EVERY_MILLIS = 100;
    private static final int MAX_PATH = 256;
    private static final Logger LOG = Logger.getLogger("chat.access");

    private final ServiceMetrics metrics;
    private final boolean enabled;
    private final Queue<Line> lines = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicLong lost = new AtomicLong();
    private volatile Thread writer;

    private record Line(String requestId, String client, String method, String path, int status, long nanos) {
        String text() {
            return requestId + ' ' + client + ' ' + method + ' ' + path + ' ' + status + ' '
                    + String.format(Locale.ROOT, "%.1f", nanos / 1e6) + "ms";
        }
    }

    @Inject
    public AccessLog(ServiceMetrics metrics,
                     @ConfigProperty(name = "chat.access-log", defaultValue = "true") boolean enabled) {
        this.metrics = metrics;
        this.enabled = enabled;
    }

    /** The first filter: registered before every other one. */
    void register(@Observes @Priority(PLATFORM_BEFORE) @Initialized(ApplicationScoped.class) Object start,
                  ServerCdiExtension server) {
        server.serverRoutingBuilder().addFilter(this);
        if (enabled) {
            writer = Thread.ofPlatform().daemon().name("access-log").start(this::write);
        }
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest request, RoutingResponse response) {
        long start = System.nanoTime();
        // read before the routing: a service's routing (health, metrics) makes the path its own
        String path = request.path().rawPath();
        Method method = request.prologue().method();
        RequestId id = RequestId.of(request.headers().first(REQUEST_ID).orElse(null));
        request.context().register(id);
        response.header(REQUEST_ID, id.value());
        int status = 500;
        try {
            chain.proceed();
            status = response.status().code();
        } catch (HttpException e) {
            // answered after the filters, by the routing's error handling
            status = e.status().code();
            throw e;
        } finally {
            answered(request, path, method, id, status, System.nanoTime() - start);
        }
    }

    private void answered(RoutingRequest request, String path, Method method, RequestId id, int status, long nanos) {
        String operation = Operation.name(path);
        metrics.request(operation, status);
        if (status == 200 && method.equals(Method.POST)
                && (operation.equals("Send") || operation.equals("Connect"))) {
            metrics.sendAnswered(nanos);
        }
        if (enabled) {
            var line = new Line(id.value(), request.remotePeer().host(), method.text(),
                    path.length() > MAX_PATH ? path.substring(0, MAX_PATH) + "..." : path, status, nanos);
            if (queued.incrementAndGet() > BACKLOG) {
                queued.decrementAndGet();
                lost.incrementAndGet();
            } else {
                lines.add(line);
            }
        }
    }

    private void write() {
        while (true) {
            try {
                Thread.sleep(WRITE_EVERY_MILLIS);
            } catch (InterruptedException e) {
                log();
                return;
            }
            log();
        }
    }

    private void log() {
        for (Line line = lines.poll(); line != null; line = lines.poll()) {
            queued.decrementAndGet();
            LOG.info(line.text());
        }
        long missed = lost.getAndSet(0);
        if (missed > 0) {
            LOG.warning(() -> missed + " access log lines left out: the log did not keep up");
        }
    }

    /** Writes what is still queued and stops the writer. */
    @PreDestroy
    void stop() {
        Thread running = writer;
        if (running != null) {
            running.interrupt();
            try {
                running.join(TimeUnit.SECONDS.toMillis(2));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
