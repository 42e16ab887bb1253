package chat.stream.boundary;

import chat.Api;
import chat.SseClient;
import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.microprofile.testing.AddConfig;
import io.helidon.microprofile.testing.junit5.HelidonTest;
import jakarta.inject.Inject;
import jakarta.ws.rs.client.WebTarget;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import static chat.Api.user;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.hamcrest.Matchers.notNullValue;

/**
 * What an open stream holds and how much of it one user or the whole service may hold. Heartbeats are off here,
 * so that a stream's release can only come from noticing the end of its connection.
 */
@HelidonTest
@AddConfig(key = "chat.stream.heartbeat-millis", value = "0")
@AddConfig(key = "chat.stream.max-per-user", value = "2")
@AddConfig(key = "chat.stream.max-streams", value = "3")
class StreamResourcesTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @Inject
    WebTarget target;

    @Inject
    Subscribers subscribers;

    URI base;
    String chatId;
    String john;
    String barry;

    @BeforeEach
    void chat() throws InterruptedException {
        // the streams of the test before must be gone: the limits count every open stream
        Instant until = Instant.now().plus(WAIT);
        while (subscribers.open() > 0 && Instant.now().isBefore(until)) {
            Thread.sleep(10);
        }
        base = target.getUri();
        john = user("John");
        barry = user("Barry");
        chatId = new Api(base).newChat(john, barry, "Carol", "Dave");
    }

    private SseClient open(String user) throws Exception {
        return SseClient.open(base, "/chat/Connect?chat_id=" + chatId + "&user_id=" + user, Map.of());
    }

    private int streams(String user) {
        return subscribers.streams(UUID.fromString(chatId), user);
    }

    private void await(String user, int count) throws InterruptedException {
        Instant until = Instant.now().plus(WAIT);
        while (streams(user) != count && Instant.now().isBefore(until)) {
            Thread.sleep(10);
        }
    }

    @Test
    void aClientThatClosesItsConnectionIsReleasedWithinASecond() throws Exception {
        SseClient stream = open(john);
        assertThat("open", stream.status(), is(200));
        assertThat("the opening block", stream.next(WAIT), notNullValue());
        await(john, 1);
        int threads = subscribers.threads();
        stream.close();
        Instant closed = Instant.now();
        await(john, 0);
        assertThat("released", streams(john), is(0));
        assertThat("within a second, with no write to notice it", Duration.between(closed, Instant.now()).toMillis(),
                lessThan(1000L));
        Instant until = Instant.now().plus(WAIT);
        while (subscribers.threads() > threads - 1 && Instant.now().isBefore(until)) {
            Thread.sleep(10);
        }
        assertThat("its thread ended", subscribers.threads(), lessThanOrEqualTo(threads - 1));
    }

    @Test
    void aUserHoldsAtMostMaxPerUserStreamsOfAChat() throws Exception {
        try (SseClient first = open(john); SseClient second = open(john); SseClient third = open(john)) {
            assertThat(first.status(), is(200));
            assertThat(second.status(), is(200));
            assertRefused(third, 429, "chat.Connect.TooManyUserStreams");
            try (SseClient other = open(barry)) {
                assertThat("another user is not affected", other.status(), is(200));
            }
        }
        await(john, 0);
        try (SseClient again = open(john)) {
            assertThat("a place is free again once one closed", again.status(), is(200));
        }
    }

    @Test
    void theServiceHoldsAtMostMaxStreams() throws Exception {
        try (SseClient a = open(john); SseClient b = open(barry); SseClient c = open("Carol");
             SseClient d = open("Dave")) {
            assertThat(a.status(), is(200));
            assertThat(b.status(), is(200));
            assertThat(c.status(), is(200));
            assertRefused(d, 503, "chat.Connect.TooManyStreams");
        }
    }

    private static void assertRefused(SseClient refused, int status, String id) throws Exception {
        assertThat("status", refused.status(), is(status));
        JsonNode error = Api.JSON.readTree(refused.errorBody());
        assertThat("id", error.get("id").asText(), is(id));
        assertThat("code", error.get("code").asInt(), is(status));
        assertThat("Retry-After", refused.header("Retry-After"), notNullValue());
        assertThat("whole seconds", Long.parseLong(refused.header("Retry-After")) > 0, is(true));
    }
}
