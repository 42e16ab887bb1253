package chat.platform;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * {@code /health/ready} is DOWN while the database cannot be reached, so a balancer sends no traffic here. Anyone
 * may ask, so the answer gives only a generic reason: the driver's and the pool's messages name hosts, ports and
 * pool statistics. Those go to the log instead, once when the database becomes unreachable and once when it is
 * back, not on every probe (a balancer probes every few seconds).
 */
@Readiness
@ApplicationScoped
public class DatabaseReadiness implements HealthCheck {

    static final String UNREACHABLE = "the database cannot be reached";

    private static final Logger LOG = Logger.getLogger(DatabaseReadiness.class.getName());

    private final DataSource dataSource;
    private final AtomicBoolean down = new AtomicBoolean();

    @Inject
    public DatabaseReadiness(@Named("chat") DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public HealthCheckResponse call() {
        var response = HealthCheckResponse.named("database");
        try (Connection connection = dataSource.getConnection()) {
            if (!connection.isValid(2)) {
                wentDown("a pooled connection failed its validity check", null);
                return response.down().withData("error", UNREACHABLE).build();
            }
        } catch (SQLException | RuntimeException e) {
            wentDown(String.valueOf(e.getMessage()), e);
            return response.down().withData("error", UNREACHABLE).build();
        }
        if (down.compareAndSet(true, false)) {
            LOG.info("readiness: the database can be reached again, UP");
        }
        return response.up().build();
    }

    private void wentDown(String detail, Throwable cause) {
        if (down.compareAndSet(false, true)) {
            LOG.log(Level.WARNING, cause, () -> "readiness: " + UNREACHABLE + ", DOWN until it can: " + detail);
        }
    }
}
