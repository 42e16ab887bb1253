package chat.platform;

import chat.fleet.Fleet;
import chat.fleet.Signals;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * {@code /health/ready} reports the fleet's signal transport as {@code fleet}: UP while the LISTEN connection (or
 * the NATS connection) is up. A transport that is reconnecting stays UP for {@code chat.fleet.ready-grace-millis}:
 * meanwhile streams here still get other instances' messages through the periodic catch-up, only later, and a blip
 * must not take every instance of a fleet out of its balancer at once. After the grace it is DOWN until the
 * transport is back. The grace is counted from the first probe that finds the transport lost (a balancer probes
 * every few seconds, so that is at most one probe interval late). Logged once per change, not per probe.
 */
@Readiness
@ApplicationScoped
public class FleetReadiness implements HealthCheck {

    private static final Logger LOG = Logger.getLogger(FleetReadiness.class.getName());

    private final Fleet fleet;
    private final long graceMillis;
    private long lostSince;
    private boolean down;

    @Inject
    public FleetReadiness(Fleet fleet,
                          @ConfigProperty(name = "chat.fleet.ready-grace-millis", defaultValue = "10000") long graceMillis) {
        this.fleet = fleet;
        this.graceMillis = graceMillis;
    }

    @Override
    public synchronized HealthCheckResponse call() {
        Signals signals = fleet.signals();
        var response = HealthCheckResponse.named("fleet").withData("transport", signals.name());
        long now = System.nanoTime();
        if (signals.connected()) {
            if (down) {
                LOG.info(() -> "readiness: the fleet's " + signals.name() + " transport is back, UP");
            }
            lostSince = 0;
            down = false;
            return response.up().build();
        }
        if (lostSince == 0) {
            lostSince = now;
        }
        long lostMillis = TimeUnit.NANOSECONDS.toMillis(now - lostSince);
        response.withData("reconnecting-millis", lostMillis);
        if (lostMillis < graceMillis) {
            return response.up().build();
        }
        if (!down) {
            down = true;
            LOG.warning(() -> "readiness: the fleet's " + signals.name() + " transport has been lost for "
                    + lostMillis + " ms, DOWN until it is back");
        }
        return response.down().withData("error", "the signal transport between instances is reconnecting").build();
    }
}
