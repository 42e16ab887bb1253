package chat.platform;

import chat.Api;
import chat.SseClient;
import chat.identity.TestTokens;
import io.helidon.microprofile.testing.AddConfigSource;
import io.helidon.microprofile.testing.junit5.HelidonTest;
import jakarta.inject.Inject;
import jakarta.ws.rs.client.WebTarget;
import org.eclipse.microprofile.config.spi.ConfigSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static chat.Api.user;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;

/**
 * {@code /metrics} in Prometheus text after some traffic: the series the README lists, with the counts the traffic
 * made. With authentication on, like {@code /health}, it needs no token. The registry outlives a test's service
 * (one per test class, all in one JVM), so counts are compared before and after.
 */
@HelidonTest
class MetricsTest {

    static final TestTokens KEYS = TestTokens.rsa();
    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{[^}]*})? (\\S+)$",
            Pattern.MULTILINE);

    @AddConfigSource
    static ConfigSource key() {
        return KEYS.configSource();
    }

    @Inject
    WebTarget target;

    Api api;
    String john;
    String barry;

    @BeforeEach
    void client() {
        api = new Api(target.getUri());
        john = user("John");
        barry = user("Barry");
    }

    /** Every sample of the scrape: {@code name{labels}} (labels as served, without mp_scope) to its value. */
    private Map<String, Double> scrape() {
        Api.Reply reply = api.get("/metrics");
        assertThat("served without a token: " + reply.body(), reply.status(), is(200));
        assertThat("Prometheus text", reply.header("Content-Type"), startsWith("text/plain"));
        Map<String, Double> samples = new HashMap<>();
        Matcher sample = SAMPLE.matcher(reply.body());
        while (sample.find()) {
            String labels = sample.group(2) == null ? "" : sample.group(2)
                    .replaceAll("mp_scope=\"[^\"]*\",?", "").replace(",}", "}").replace("{}", "");
            samples.put(sample.group(1) + labels, Double.parseDouble(sample.group(3)));
        }
        return samples;
    }

    private static double delta(Map<String, Double> before, Map<String, Double> after, String series) {
        assertThat("series " + series, after, hasKey(series));
        return after.get(series) - before.getOrDefault(series, 0.0);
    }

    private Api.Reply post(String path, String token, Object body) {
        return api.send(HttpRequest.newBuilder(api.uri(path)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.ofString(Api.write(body))).build());
    }

    @Test
    void countsRequestsByCallAndStatusAndTimesTheSendsAnswered() {
        String token = KEYS.token(john);
        Api.Reply opened = post("/chat/New", token, Map.of("user_ids", List.of(john, barry)));
        assertThat(opened.status(), is(200));
        String chatId = opened.json().get("chat_id").asText();
        var before = scrape();
        for (int i = 0; i < 3; i++) {
            assertThat(post("/chat/Send", token, Map.of("chat_id", chatId, "text", "m" + i)).status(), is(200));
        }
        assertThat(post("/chat/Chat/Send", token, Map.of("chat_id", chatId)).status(), is(400));
        assertThat("no token", api.post("/chat/History", Api.write(Map.of("chat_id", chatId))).status(), is(401));
        var after = scrape();
        assertThat("three Sends answered 200",
                delta(before, after, "chat_requests_total{operation=\"Send\",status=\"200\"}"), is(3.0));
        assertThat("one 400, counted with its status",
                delta(before, after, "chat_requests_total{operation=\"Send\",status=\"400\"}"), is(1.0));
        assertThat("the 401 too", delta(before, after, "chat_requests_total{operation=\"History\",status=\"401\"}"),
                is(1.0));
        assertThat("the timer counts the three answered Sends only",
                delta(before, after, "chat_send_seconds_count"), is(3.0));
        assertThat("in its histogram's last bucket too",
                delta(before, after, "chat_send_seconds_bucket{le=\"+Inf\"}"), is(3.0));
        assertThat("and took some time", delta(before, after, "chat_send_seconds_sum") > 0, is(true));
    }

    @Test
    void countsOpenStreamsAndDeliveries() throws Exception {
        String chatId = post("/chat/New", KEYS.token(john), Map.of("user_ids", List.of(john, barry)))
                .json().get("chat_id").asText();
        var before = scrape();
        try (SseClient stream = SseClient.open(target.getUri(), "/chat/Connect?chat_id=" + chatId,
                Map.of("Authorization", "Bearer " + KEYS.token(barry)))) {
            assertThat(stream.status(), is(200));
            for (int i = 0; i < 3; i++) {
                post("/chat/Send", KEYS.token(john), Map.of("chat_id", chatId, "text", "m" + i));
            }
            for (int i = 0; i < 3; i++) {
                assertThat("message " + i, stream.nextMessage(Duration.ofSeconds(10)) != null, is(true));
            }
            var during = scrape();
            assertThat("the open stream", during.get("chat_streams_open"), is(1.0));
            assertThat("three messages delivered", delta(before, during, "chat_deliveries_total"), is(3.0));
        }
        long until = System.currentTimeMillis() + 10_000;
        while (scrape().get("chat_streams_open") != 0.0 && System.currentTimeMillis() < until) {
            Thread.sleep(50);
        }
        assertThat("closed", scrape().get("chat_streams_open"), is(0.0));
    }

    @Test
    void servesThePoolDropsGapFillsAndSignalsFromTheStart() {
        var samples = scrape();
        for (String series : List.of("chat_db_connections_active", "chat_db_connections_idle",
                "chat_db_connections_pending", "chat_streams_dropped_total{reason=\"overflowed\"}",
                "chat_streams_dropped_total{reason=\"stalled\"}", "chat_gap_fills_total", "chat_fleet_signals_total")) {
            assertThat(samples, hasKey(series));
        }
        assertThat("the pool holds connections", samples.get("chat_db_connections_active")
                + samples.get("chat_db_connections_idle") > 0, is(true));
    }

    @Test
    void healthNeedsNoTokenEither() {
        assertThat(api.get("/health/ready").status(), is(200));
        assertThat(api.get("/health/live").status(), is(200));
    }
}
