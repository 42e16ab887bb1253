package chat.platform;

import chat.LogCapture;
import chat.stream.boundary.Subscribers;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Level;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;

/** The liveness rule's check: the stall itself is measured by each chat's fanout (FanoutTest). */
class FanoutLivenessTest {

    private static final Subscribers.Stall NONE = new Subscribers.Stall(0, 0, null);

    @Test
    void upWhileNoChatIsStalledForTheLimit() {
        AtomicLong asked = new AtomicLong();
        var check = new FanoutLiveness(minimum -> {
            asked.set(minimum);
            return NONE;
        }, 60_000);
        assertThat(check.call().getStatus(), is(HealthCheckResponse.Status.UP));
        assertThat("asks for chats stalled at least the limit", asked.get(), is(60_000L));
    }

    @Test
    void downWithCountsOnlyWhileAChatIsStalledThenUpAgain() {
        UUID chat = UUID.randomUUID();
        AtomicReference<Subscribers.Stall> stall = new AtomicReference<>(new Subscribers.Stall(2, 61_000, chat));
        var check = new FanoutLiveness(minimum -> stall.get(), 60_000);
        try (var log = LogCapture.of(FanoutLiveness.class)) {
            HealthCheckResponse down = check.call();
            assertThat(down.getStatus(), is(HealthCheckResponse.Status.DOWN));
            assertThat("counts, no chat id", down.getData().orElseThrow(),
                    is(Map.of("stalled-chats", 2L, "longest-stall-millis", 61_000L)));
            check.call();
            assertThat("the chat goes to the log, once", log.messages(Level.SEVERE), hasSize(1));
            assertThat(log.messages(Level.SEVERE).get(0).contains(chat.toString()), is(true));
            stall.set(NONE);
            assertThat(check.call().getStatus(), is(HealthCheckResponse.Status.UP));
        }
    }

    @Test
    void zeroTurnsTheCheckOff() {
        var check = new FanoutLiveness(minimum -> {
            throw new AssertionError("not asked");
        }, 0);
        assertThat(check.call().getStatus(), is(HealthCheckResponse.Status.UP));
    }
}
