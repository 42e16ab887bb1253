package chat.platform;

import chat.stream.boundary.Subscribers;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

import java.util.function.LongFunction;
import java.util.logging.Logger;

/**
 * {@code /health/live} reports {@code fanout}: DOWN while some chat's fan-out has been behind a committed message for
 * {@code chat.live.fanout-stall-millis} (default 60 s; 0 turns the check off) without delivering anything: the
 * process is wedged and only a restart helps. A fan-out that works is behind only for as long as a delivery or a gap
 * fill takes, and a gap it cannot fill (the database is down) closes the chat's streams after
 * {@code chat.stream.gap-give-up-millis} (30 s), so a database outage never makes the service look dead; the stall
 * limit must stay above that. The answer gives counts only; the chat goes to the log, once per stall.
 */
@Liveness
@ApplicationScoped
public class FanoutLiveness implements HealthCheck {

    private static final Logger LOG = Logger.getLogger(FanoutLiveness.class.getName());

    private final LongFunction<Subscribers.Stall> stalled;
    private final long stallMillis;
    private boolean down;

    @Inject
    public FanoutLiveness(Subscribers subscribers,
                          @ConfigProperty(name = "chat.live.fanout-stall-millis", defaultValue = "60000") long stallMillis) {
        this(subscribers::stalled, stallMillis);
    }

    /** @param stalled the chats stalled for at least the given milliseconds */
    FanoutLiveness(LongFunction<Subscribers.Stall> stalled, long stallMillis) {
        this.stalled = stalled;
        this.stallMillis = stallMillis;
    }

    @Override
    public synchronized HealthCheckResponse call() {
        var response = HealthCheckResponse.named("fanout");
        Subscribers.Stall stall = stallMillis > 0 ? stalled.apply(stallMillis) : new Subscribers.Stall(0, 0, null);
        if (stall.chats() == 0) {
            if (down) {
                LOG.info("liveness: every chat's fan-out delivers again, UP");
            }
            down = false;
            return response.up().build();
        }
        if (!down) {
            LOG.severe(() -> "liveness: the fan-out of chat " + stall.longest() + " has delivered nothing for "
                    + stall.longestMillis() + " ms although later messages are committed (" + stall.chats()
                    + " chats so), DOWN");
        }
        down = true;
        return response.down()
                .withData("stalled-chats", stall.chats())
                .withData("longest-stall-millis", stall.longestMillis())
                .build();
    }
}
