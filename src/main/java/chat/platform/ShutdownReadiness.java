package chat.platform;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** {@code /health/ready} reports {@code shutdown}: DOWN from the moment the service began shutting down. */
@Readiness
@ApplicationScoped
public class ShutdownReadiness implements HealthCheck {

    private final Shutdown shutdown;

    @Inject
    public ShutdownReadiness(Shutdown shutdown) {
        this.shutdown = shutdown;
    }

    @Override
    public HealthCheckResponse call() {
        var response = HealthCheckResponse.named("shutdown");
        return shutdown.draining()
                ? response.down().withData("error", "the service is shutting down").build()
                : response.up().build();
    }
}
