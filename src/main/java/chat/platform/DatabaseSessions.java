package chat.platform;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import javax.sql.DataSource;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.logging.Logger;

/**
 * Bounds every wait of the service's PostgreSQL sessions, so that a connection lost in the middle of a transaction
 * (a cut network, an instance that froze or was partitioned) cannot hold a chat's row lock for longer than a few
 * seconds, and no Send waits behind it without limit. Set on the pool before it opens its first connection (Helidon
 * fires the pool's {@link HikariConfig} for this), PostgreSQL only: the embedded H2 runs in this process and has no
 * connection to lose.
 *
 * <ul>
 *     <li>{@code idle_in_transaction_session_timeout} ({@code chat.db.idle-in-transaction-timeout-millis}): a session
 *     that sits in an open transaction sending nothing is ended by PostgreSQL itself, which frees its locks. The
 *     service never pauses inside a transaction (a Send's batch runs its statements back to back), so only a client
 *     that vanished reaches it; without it PostgreSQL keeps such a backend until TCP notices, hours by default.</li>
 *     <li>{@code lock_timeout} ({@code chat.db.lock-timeout-millis}): a statement waiting for a row lock fails instead
 *     of waiting on, so the Sends behind a lost lock are answered 503 in seconds and may be retried.</li>
 *     <li>{@code statement_timeout} ({@code chat.db.statement-timeout-millis}): no statement of the service runs longer;
 *     enforced by the server, so it holds even when the driver's own cancel request cannot get through.</li>
 *     <li>{@code socketTimeout} ({@code chat.db.socket-timeout-millis}), {@code connectTimeout}
 *     ({@code chat.db.connect-timeout-millis}) and {@code tcpKeepAlive}: the driver gives up on a connection whose
 *     peer stopped answering, rather than waiting in a read forever. The socket timeout is longer than the
 *     statement timeout, so that a slow statement ends with PostgreSQL's clear error first.</li>
 *     <li>The pool checks idle connections every 30 s ({@code keepaliveTime}), so that one broken while idle is
 *     replaced before a request borrows it.</li>
 * </ul>
 * A {@code CHAT_DB_URL} that names its own {@code options} or one of these driver parameters takes precedence.
 *
 * <p>Helidon's pool metrics are left out here: they would look up the metrics registry when the pool starts,
 * before the metrics are ready (which logs a warning per meter at start and stop); {@link ServiceMetrics} reports
 * the pool's connections instead.
 */
@ApplicationScoped
public class DatabaseSessions {

    private static final Logger LOG = Logger.getLogger(DatabaseSessions.class.getName());
    static final long KEEPALIVE_MILLIS = 30_000;

    private final long lockTimeoutMillis;
    private final long statementTimeoutMillis;
    private final long idleInTransactionMillis;
    private final long socketTimeoutMillis;
    private final long connectTimeoutMillis;

    @Inject
    public DatabaseSessions(
            @ConfigProperty(name = "chat.db.lock-timeout-millis", defaultValue = "5000") long lockTimeoutMillis,
            @ConfigProperty(name = "chat.db.statement-timeout-millis", defaultValue = "10000") long statementTimeoutMillis,
            @ConfigProperty(name = "chat.db.idle-in-transaction-timeout-millis", defaultValue = "10000")
            long idleInTransactionMillis,
            @ConfigProperty(name = "chat.db.socket-timeout-millis", defaultValue = "15000") long socketTimeoutMillis,
            @ConfigProperty(name = "chat.db.connect-timeout-millis", defaultValue = "5000") long connectTimeoutMillis) {
        this.lockTimeoutMillis = lockTimeoutMillis;
        this.statementTimeoutMillis = statementTimeoutMillis;
        this.idleInTransactionMillis = idleInTransactionMillis;
        this.socketTimeoutMillis = socketTimeoutMillis;
        this.connectTimeoutMillis = connectTimeoutMillis;
    }

    void configure(@Observes @Named("chat") HikariConfig pool) {
        pool.setMetricsTrackerFactory(null);
        if (!isPostgres(pool.getJdbcUrl())) {
            return;
        }
        driverProperties().forEach(pool::addDataSourceProperty);
        if (pool.getKeepaliveTime() == 0) {
            pool.setKeepaliveTime(KEEPALIVE_MILLIS);
        }
        LOG.fine(() -> "database sessions: " + driverProperties());
    }

    /** The service's pool, or null for a data source of another kind (a test's). */
    static HikariDataSource pool(DataSource dataSource) {
        try {
            return dataSource.isWrapperFor(HikariDataSource.class) ? dataSource.unwrap(HikariDataSource.class) : null;
        } catch (SQLException e) {
            return null;
        }
    }

    static boolean isPostgres(String jdbcUrl) {
        return jdbcUrl != null && jdbcUrl.startsWith("jdbc:postgresql:");
    }

    /** What the PostgreSQL driver is given for each of the pool's connections. */
    Map<String, String> driverProperties() {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("options", "-c lock_timeout=" + lockTimeoutMillis
                + " -c statement_timeout=" + statementTimeoutMillis
                + " -c idle_in_transaction_session_timeout=" + idleInTransactionMillis);
        properties.put("tcpKeepAlive", "true");
        // the driver counts these in seconds; 0 would mean no limit at all
        properties.put("socketTimeout", Long.toString(seconds(socketTimeoutMillis)));
        properties.put("connectTimeout", Long.toString(seconds(connectTimeoutMillis)));
        return properties;
    }

    private static long seconds(long millis) {
        return millis <= 0 ? 0 : Math.max(1, (millis + 999) / 1000);
    }
}
