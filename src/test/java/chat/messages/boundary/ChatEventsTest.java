package chat.messages.boundary;

import chat.Api;
import chat.SseClient;
import chat.identity.control.Caller;
import chat.messages.entity.Message;
import chat.problems.Problem;
import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.microprofile.testing.junit5.HelidonTest;
import jakarta.inject.Inject;
import jakarta.ws.rs.client.WebTarget;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.StreamSupport;

import static chat.Api.user;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The one sequence of chat events: a change event takes the chat's next seq like a message, reaches every stream
 * (its maker's too) as its own SSE event, is replayed by Last-Event-ID, and stays out of History; a refused or
 * empty change takes no seq.
 */
@HelidonTest
class ChatEventsTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Caller CALLER = Caller.development("micro");

    @Inject
    WebTarget target;

    @Inject
    ChatEvents events;

    Api api;
    URI base;
    String john;
    String barry;
    String chatId;

    @BeforeEach
    void chat() {
        base = target.getUri();
        api = new Api(base);
        john = user("John");
        barry = user("Barry");
        chatId = api.newChat(john, barry);
    }

    private SseClient connect(String user, String lastEventId) throws Exception {
        Map<String, String> headers = lastEventId == null ? Map.of() : Map.of("Last-Event-ID", lastEventId);
        SseClient client = SseClient.open(base, "/chat/Connect?chat_id=" + chatId + "&user_id=" + user, headers);
        assertThat("stream status: " + client.errorBody(), client.status(), is(200));
        return client;
    }

    private List<Message> note(String note, UUID about) {
        return events.append(CALLER, "chat.Test", UUID.fromString(chatId), (connection, chat) ->
                List.of(new ChatEvents.Change("noted", john, about, Map.of("note", note, "last_seq", chat.lastSeq()))));
    }

    private List<Long> historySeqs() {
        JsonNode messages = api.history(Api.object().put("chat_id", chatId));
        return StreamSupport.stream(messages.spliterator(), false).map(m -> m.get("seq").asLong()).toList();
    }

    @Test
    void aChangeTakesTheNextSeqReachesEveryStreamAndStaysOutOfHistory() throws Exception {
        UUID first = UUID.fromString(api.send(chatId, john, "j-1", "hello").get("id").asText());
        api.send(chatId, barry, "b-1", "hi");
        try (SseClient barrys = connect(barry, null); SseClient johns = connect(john, null)) {
            List<Message> made = note("pinned", first);
            assertThat("one event", made.size(), is(1));
            assertThat("it takes the chat's next seq", made.get(0).seq(), is(3L));
            for (SseClient stream : List.of(barrys, johns)) {
                SseClient.Event event = stream.nextSequenced(WAIT);
                assertThat("the change reaches every stream, its maker's too", event.event(), is("noted"));
                assertThat(event.id(), is("3"));
                JsonNode data = Api.JSON.readTree(event.data());
                assertThat(data.get("chat_id").asText(), is(chatId));
                assertThat(data.get("seq").asLong(), is(3L));
                assertThat(data.get("user_id").asText(), is(john));
                assertThat(data.get("id").asText(), is(made.get(0).id().toString()));
                assertThat("applied under the lock, it saw the chat's seq before it", data.get("last_seq").asLong(),
                        is(2L));
                assertThat(data.get("note").asText(), is("pinned"));
            }
        }
        assertThat("a message after it takes the seq after it", api.send(chatId, barry, "b-2", "again")
                .get("seq").asLong(), is(4L));
        assertThat("History shows messages only", historySeqs(), contains(1L, 2L, 4L));
    }

    @Test
    void aStreamResumingBeforeAChangeReplaysItInOrder() throws Exception {
        api.send(chatId, john, "j-1", "one");
        api.send(chatId, john, "j-2", "two");
        note("between", null);
        api.send(chatId, john, "j-3", "three");
        try (SseClient resumed = connect(barry, "1")) {
            List<SseClient.Event> got = resumed.messagesUntilQuiet(Duration.ofMillis(1500));
            assertThat(got.stream().map(SseClient.Event::id).toList(), contains("2", "3", "4"));
            assertThat(got.stream().map(SseClient.Event::event).toList(), contains("message", "noted", "message"));
        }
    }

    @Test
    void aRefusedOrEmptyChangeTakesNoSeq() {
        api.send(chatId, john, "j-1", "one");
        Problem refused = assertThrows(Problem.class, () -> events.append(CALLER, "chat.Test",
                UUID.fromString(chatId), (connection, chat) -> {
                    throw Problem.badRequest("chat.Test.Refused", "not this one");
                }));
        assertThat(refused.getMessage(), refused.code(), is(400));
        assertThat(events.append(CALLER, "chat.Test", UUID.fromString(chatId), (connection, chat) -> List.of()),
                is(List.of()));
        assertThat("no seq was burnt", api.send(chatId, john, "j-2", "two").get("seq").asLong(), is(2L));
    }

    @Test
    void aChatOfAnotherNamespaceIsNotFound() {
        Problem missing = assertThrows(Problem.class, () -> events.append(Caller.development("elsewhere"),
                "chat.Test", UUID.fromString(chatId), (connection, chat) -> List.of()));
        assertThat(missing.code(), is(404));
        assertThat(missing.id(), is("chat.Test.InvalidChatID"));
        Problem unknown = assertThrows(Problem.class, () -> events.append(CALLER, "chat.Test", UUID.randomUUID(),
                (connection, chat) -> List.of()));
        assertThat(unknown.id(), is("chat.Test.InvalidChatID"));
    }
}
