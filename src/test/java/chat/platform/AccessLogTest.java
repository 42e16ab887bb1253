package chat.platform;

import chat.Api;
import chat.LogCapture;
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
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;

import static chat.Api.user;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

/**
 * Every request gets an id, returned as {@code X-Request-Id} and written in its access log line; the log shows what
 * was asked and answered, never what was said or who vouched for it (message text, tokens). With a key, so that
 * tokens are in play.
 */
@HelidonTest
class AccessLogTest {

    static final TestTokens KEYS = TestTokens.rsa();

    @AddConfigSource
    static ConfigSource key() {
        return KEYS.configSource();
    }

    @Inject
    WebTarget target;

    Api api;
    String john;

    @BeforeEach
    void client() {
        api = new Api(target.getUri());
        john = user("John");
    }

    private Api.Reply post(String path, String body, String... headers) {
        var request = HttpRequest.newBuilder(api.uri(path)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return api.send(request.build());
    }

    /** Matches text that matches the regular expression as a whole. */
    private static org.hamcrest.Matcher<String> matchesPattern(String regex) {
        return new org.hamcrest.TypeSafeMatcher<>() {
            @Override
            protected boolean matchesSafely(String text) {
                return text.matches(regex);
            }

            @Override
            public void describeTo(org.hamcrest.Description description) {
                description.appendText("text matching ").appendValue(regex);
            }
        };
    }

    /** The access log's lines so far that satisfy {@code wanted}, waiting a little for the log's writer. */
    private static List<String> lines(LogCapture log, Predicate<String> wanted) throws InterruptedException {
        long until = System.currentTimeMillis() + 5000;
        while (System.currentTimeMillis() < until) {
            List<String> found = log.texts().stream().filter(wanted).toList();
            if (!found.isEmpty()) {
                return found;
            }
            Thread.sleep(20);
        }
        return List.of();
    }

    @Test
    void everyAnswerCarriesARequestIdThatItsAccessLogLineShows() throws InterruptedException {
        try (var log = LogCapture.of("chat.access")) {
            Api.Reply reply = api.get("/health/ready");
            String id = reply.header("X-Request-Id");
            assertThat("a generated id", id, matchesPattern("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"));
            List<String> mine = lines(log, line -> line.startsWith(id));
            assertThat("one line", mine, hasSize(1));
            assertThat("id, client, method, path, status, time", mine.get(0),
                    matchesPattern(id + " 127\\.0\\.0\\.1 GET /health/ready 200 \\d+\\.\\dms"));
            Api.Reply refused = post("/chat/New", "{\"user_ids\":[\"" + john + "\"]}");
            assertThat(refused.status(), is(401));
            String refusedId = refused.header("X-Request-Id");
            assertThat("each request its own", refusedId, not(is(id)));
            assertThat("refusals are logged with their status",
                    lines(log, line -> line.startsWith(refusedId + " ")).get(0), matchesPattern(".* POST /chat/New 401 .*"));
        }
    }

    @Test
    void aSaneRequestIdFromTheClientIsKeptAndAnyOtherReplaced() {
        String mine = "trace-" + UUID.randomUUID() + ":span/1";
        assertThat(api.send(HttpRequest.newBuilder(api.uri("/health/live")).header("X-Request-Id", mine).GET().build())
                .header("X-Request-Id"), is(mine));
        for (String odd : List.of("has space", "x".repeat(129), "quote\"", "new\u00e9")) {
            String answered = api.send(HttpRequest.newBuilder(api.uri("/health/live")).header("X-Request-Id", odd)
                    .GET().build()).header("X-Request-Id");
            assertThat("replaced: " + odd, answered, not(is(odd)));
            assertThat(answered, matchesPattern("[0-9a-f-]{36}"));
        }
    }

    @Test
    void neitherMessageTextNorTokensReachTheLog() throws InterruptedException {
        String token = KEYS.token(john);
        String text = "secret words " + UUID.randomUUID();
        String stranger = TestTokens.rsa().token(john);
        try (var log = LogCapture.of("")) {
            String chatId = post("/chat/New", "{\"user_ids\":[\"" + john + "\",\"" + user("Barry") + "\"]}",
                    "Authorization", "Bearer " + token).json().get("chat_id").asText();
            String send = "{\"chat_id\":\"" + chatId + "\",\"text\":\"" + text + "\"}";
            Api.Reply sent = post("/chat/Send", send, "Authorization", "Bearer " + token);
            assertThat(sent.status(), is(200));
            assertThat("a token of another key", post("/chat/Send", send, "Authorization", "Bearer " + stranger)
                    .status(), is(401));
            assertThat("broken JSON around the text", post("/chat/Send", "{\"text\":\"" + text + "\",,}",
                    "Authorization", "Bearer " + token).status(), is(400));
            assertThat("a token in the query, which is never read", api.send(HttpRequest.newBuilder(
                    api.uri("/chat/History?access_token=" + token)).POST(HttpRequest.BodyPublishers.ofString(
                    "{\"chat_id\":\"" + chatId + "\"}")).build()).status(), is(401));
            String lastId = post("/chat/History", "{\"chat_id\":\"" + chatId + "\"}", "Authorization", "Bearer " + token)
                    .header("X-Request-Id");
            assertThat("the last request's line is written, so everything before it is", lines(log,
                    line -> line.startsWith(lastId + " ")), hasSize(1));
            assertThat("the log has the calls", lines(log, line -> line.contains("POST /chat/Send 200")), not(empty()));
            List<String> leaks = log.texts().stream()
                    .filter(line -> line.contains(text) || line.contains(token) || line.contains(stranger)
                            || line.contains(token.substring(token.lastIndexOf('.') + 1)))
                    .toList();
            assertThat("no text, no token, no signature", leaks, is(empty()));
        }
    }
}
