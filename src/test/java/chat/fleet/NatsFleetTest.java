package chat.fleet;

import chat.ServiceProcess;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static chat.Api.user;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The fleet on NATS ({@code chat.fanout=nats}): the contract on the machine's NATS server (on a subject prefix of
 * this run's own), and a NATS server of the test's own stopped and started again under running instances.
 */
class NatsFleetTest extends FleetContract {

    private final String prefix = "chat-test-" + UUID.randomUUID();

    @Override
    List<String> transport() {
        return List.of("-Dchat.fanout=nats", "-Dchat.nats.subject-prefix=" + prefix);
    }

    @BeforeAll
    @Override
    void startInstances() throws Exception {
        Instances.assumePostgres();
        assumeTrue(reachable(), "no NATS server on 127.0.0.1:4222 (.ci/run starts one)");
        super.startInstances();
    }

    private static boolean reachable() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", 4222), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Test
    void readinessReportsNats() {
        JsonNode check = Readiness.fleetCheck(api(0));
        assertThat("the fleet check: " + check, check.path("status").asText(), is("UP"));
        assertThat(check.path("data").path("transport").asText(), is("nats"));
    }

    @Test
    void natsServerStoppedAndStartedDeliveryGoesOnAndRecoversWithoutRestart() throws Exception {
        try (NatsServer nats = NatsServer.start()) {
            List<ServiceProcess> pair = Instances.start(2, "nats-outage", "-Dchat.fanout=nats",
                    "-Dchat.nats.url=" + nats.url(), "-Dchat.fleet.catch-up-millis=1000",
                    "-Dchat.fleet.ready-grace-millis=2000");
            try {
                var a = pair.get(0).api();
                var b = pair.get(1).api();
                String sender = user("sender");
                String chatId = a.newChat(sender, user("listener"));
                try (var onB = new Listener(List.of(b.uri("/")), chatId, user("watcher"), 0)) {
                    send(List.of(a), chatId, sender, 2, 10);
                    assertThat(onB.awaitCount(20, DELIVERY), is(Listener.oneTo(20)));

                    nats.stop();
                    send(List.of(a), chatId, sender, 2, 10);
                    assertThat("delivered by the catch-up while NATS is down", onB.awaitCount(40, DELIVERY),
                            is(Listener.oneTo(40)));
                    assertThat("not ready once the grace is over", Readiness.awaitStatus(b, 503,
                            Duration.ofSeconds(20)), is(503));
                    assertThat(Readiness.fleetCheck(b).path("status").asText(), is("DOWN"));

                    nats.start(false);
                    assertThat("ready again without a restart", Readiness.awaitStatus(b, 200,
                            Duration.ofSeconds(30)), is(200));
                    assertThat(Readiness.fleetCheck(b).path("status").asText(), is("UP"));
                    send(List.of(a), chatId, sender, 2, 10);
                    assertThat(onB.awaitCount(60, DELIVERY), is(Listener.oneTo(60)));
                }
            } finally {
                Instances.stopAll(pair);
            }
        }
    }
}
