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

/** {@code /health/ready} is DOWN while the database cannot be reached, so a balancer sends no traffic here. */
@Readiness
@ApplicationScoped
public class DatabaseReadiness implements HealthCheck {

    private final DataSource dataSource;

    @Inject
    public DatabaseReadiness(@Named("chat") DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public HealthCheckResponse call() {
        var response = HealthCheckResponse.named("database");
        try (Connection connection = dataSource.getConnection()) {
            return response.status(connection.isValid(2)).build();
        } catch (SQLException | RuntimeException e) {
            return response.down().withData("error", String.valueOf(e.getMessage())).build();
        }
    }
}
