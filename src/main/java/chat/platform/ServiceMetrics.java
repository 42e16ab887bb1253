package chat.platform;

import chat.stream.boundary.Subscribers;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import org.eclipse.microprofile.metrics.Counter;
import org.eclipse.microprofile.metrics.Metadata;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.MetricUnits;
import org.eclipse.microprofile.metrics.Tag;
import org.eclipse.microprofile.metrics.Timer;

import javax.sql.DataSource;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToIntFunction;

import static jakarta.interceptor.Interceptor.Priority.APPLICATION;

/**
 * The service's own metrics, served with the JVM's at {@code /metrics} (Prometheus text; JSON with
 * {@code Accept: application/json}), each name starting with {@code chat} ({@code chat_…} in Prometheus). Their labels
 * are fixed words and status codes, never ids or text: the number of series stays small whatever the traffic, and
 * the endpoint shows nothing about who talks to whom. The README's Metrics section lists them.
 *
 * <p>Registered once the metrics registry is ready (after Helidon's metrics start, before the first request);
 * the gauges are read at each scrape, the counters are counted where things happen.
 */
@ApplicationScoped
public class ServiceMetrics {

    static final String REQUESTS = "chat.requests";
    static final String SEND = "chat.send";
    static final String STREAMS_OPEN = "chat.streams.open";
    static final String DELIVERIES = "chat.deliveries";
    static final String STREAMS_DROPPED = "chat.streams.dropped";
    static final String GAP_FILLS = "chat.gap.fills";
    static final String FLEET_SIGNALS = "chat.fleet.signals";
    static final String DB_CONNECTIONS = "chat.db.connections.";
    /** Why the server cut a stream: its client fell a whole buffer behind, or stopped reading. */
    public static final String OVERFLOWED = "overflowed";
    public static final String STALLED = "stalled";

    private final ConcurrentHashMap<String, Counter> requests = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Counter> dropped = new ConcurrentHashMap<>();

    @Inject
    MetricRegistry registry;

    @Inject
    Subscribers subscribers;

    @Inject
    @Named("chat")
    DataSource dataSource;

    private Timer send;
    private Counter deliveries;
    private Counter gapFills;
    private Counter fleetSignals;

    /** Made when the application starts, after the metrics registry is ready, so that the first scrape has it all. */
    void start(@Observes @Priority(APPLICATION) @Initialized(ApplicationScoped.class) Object start) {
    }

    @PostConstruct
    void register() {
        send = registry.timer(Metadata.builder().withName(SEND)
                .withDescription("Sends answered 200 (POST /chat/Send and /chat/Connect), from the request to its answer")
                .withUnit(MetricUnits.SECONDS).build());
        deliveries = counter(DELIVERIES, "Messages written to streams, replays included");
        gapFills = counter(GAP_FILLS, "Reads from the database to fill a gap in a chat's live order, or to catch up"
                + " what another instance committed");
        fleetSignals = counter(FLEET_SIGNALS, "Signals received from other instances (chat changed up to seq)");
        // present from the start, at 0: a series that appears only with the first event is hard to alert on
        dropped(OVERFLOWED);
        dropped(STALLED);
        registry.gauge(Metadata.builder().withName(STREAMS_OPEN).withDescription("Open event streams").build(),
                subscribers, Subscribers::open);
        HikariDataSource pool = DatabaseSessions.pool(dataSource);
        if (pool != null) {
            poolGauge(pool, "active", "Database connections in use", HikariPoolMXBean::getActiveConnections);
            poolGauge(pool, "idle", "Database connections open and free", HikariPoolMXBean::getIdleConnections);
            poolGauge(pool, "pending", "Requests waiting for a database connection",
                    HikariPoolMXBean::getThreadsAwaitingConnection);
        }
    }

    private Counter counter(String name, String description) {
        return registry.counter(Metadata.builder().withName(name).withDescription(description).build());
    }

    private void poolGauge(HikariDataSource pool, String state, String description,
                           ToIntFunction<HikariPoolMXBean> value) {
        registry.gauge(Metadata.builder().withName(DB_CONNECTIONS + state).withDescription(description).build(),
                pool, p -> {
                    HikariPoolMXBean bean = p.getHikariPoolMXBean();
                    return bean == null ? 0 : value.applyAsInt(bean);
                });
    }

    /** A request answered, by the call it was ({@code Send}, …, {@code other}) and its HTTP status. */
    public void request(String operation, int status) {
        requests.computeIfAbsent(operation + ' ' + status, key -> registry.counter(
                Metadata.builder().withName(REQUESTS).withDescription("Requests answered, by call and HTTP status")
                        .build(),
                new Tag("operation", operation), new Tag("status", Integer.toString(status)))).inc();
    }

    /** A Send answered 200, {@code nanos} after its request arrived. */
    public void sendAnswered(long nanos) {
        send.update(Duration.ofNanos(nanos));
    }

    public void delivered(int events) {
        deliveries.inc(events);
    }

    /** A stream the server cut: its client overflowed its buffer or stopped reading. */
    public void streamDropped(String reason) {
        dropped(reason).inc();
    }

    private Counter dropped(String reason) {
        return dropped.computeIfAbsent(reason, key -> registry.counter(
                Metadata.builder().withName(STREAMS_DROPPED)
                        .withDescription("Streams the server cut because their client fell behind (overflowed) or"
                                + " stopped reading (stalled)").build(),
                new Tag("reason", reason)));
    }

    public void gapFilled() {
        gapFills.inc();
    }

    public void fleetSignals(int count) {
        fleetSignals.inc(count);
    }
}
