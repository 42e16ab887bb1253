package chat.messages.boundary;

import chat.Api;
import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.microprofile.testing.junit5.HelidonTest;
import jakarta.inject.Inject;
import jakarta.ws.rs.client.WebTarget;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.LongStream;

import static chat.Api.assertError;
import static chat.Api.user;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.is;

@HelidonTest
class HistoryTest {

    @Inject
    WebTarget target;

    Api api;
    String john;
    String barry;
    String chatId;

    @BeforeEach
    void chat() {
        api = new Api(target.getUri());
        john = user("John");
        barry = user("Barry");
        chatId = api.newChat(john, barry);
    }

    private void sendMessages(int count) {
        for (int i = 1; i <= count; i++) {
            api.send(chatId, i % 2 == 0 ? barry : john, "c" + i, "message " + i);
        }
    }

    private List<Long> seqs(JsonNode messages) {
        List<Long> seqs = new ArrayList<>();
        messages.forEach(m -> seqs.add(m.get("seq").asLong()));
        return seqs;
    }

    private static Long[] range(long from, long to) {
        return LongStream.rangeClosed(from, to).boxed().toArray(Long[]::new);
    }

    private JsonNode history(String json) {
        var reply = api.post("/chat/History", json);
        assertThat("status of " + reply.body(), reply.status(), is(200));
        assertThat("only messages", reply.json().size(), is(1));
        return reply.json().get("messages");
    }

    @Test
    void anEmptyChatHasAnEmptyList() {
        var reply = api.post("/chat/History", "{\"chat_id\":\"" + chatId + "\"}");
        assertThat(reply.body(), is("{\"messages\":[]}"));
    }

    @Test
    void answersTheNewest50OldestFirstByDefault() {
        sendMessages(60);
        JsonNode messages = history("{\"chat_id\":\"" + chatId + "\"}");
        assertThat(seqs(messages), contains(range(11, 60)));
        JsonNode last = messages.get(49);
        assertThat("text", last.get("text").asText(), is("message 60"));
        assertThat("user", last.get("user_id").asText(), is(barry));
        assertThat("client id", last.get("client_id").asText(), is("c60"));
        assertThat("chat id", last.get("chat_id").asText(), is(chatId));
        assertThat("all 8 fields", last.size(), is(8));
    }

    @Test
    void limitTakesTheNewest() {
        sendMessages(10);
        assertThat(seqs(history("{\"chat_id\":\"" + chatId + "\",\"limit\":3}")), contains(range(8, 10)));
    }

    @Test
    void beforePagesBackOldestFirst() {
        sendMessages(10);
        assertThat(seqs(history("{\"chat_id\":\"" + chatId + "\",\"limit\":3,\"before\":8}")), contains(range(5, 7)));
        assertThat(seqs(history("{\"chat_id\":\"" + chatId + "\",\"limit\":3,\"before\":3}")), contains(range(1, 2)));
        assertThat(seqs(history("{\"chat_id\":\"" + chatId + "\",\"limit\":3,\"before\":1}")), is(empty()));
    }

    @Test
    void afterCatchesUpFromTheOldestUnseen() {
        sendMessages(10);
        assertThat(seqs(history("{\"chat_id\":\"" + chatId + "\",\"limit\":3,\"after\":4}")), contains(range(5, 7)));
        assertThat(seqs(history("{\"chat_id\":\"" + chatId + "\",\"after\":4}")), contains(range(5, 10)));
        assertThat(seqs(history("{\"chat_id\":\"" + chatId + "\",\"limit\":2,\"after\":0}")), contains(range(1, 2)));
        assertThat(seqs(history("{\"chat_id\":\"" + chatId + "\",\"after\":10}")), is(empty()));
        assertThat(seqs(history("{\"chat_id\":\"" + chatId + "\",\"after\":99}")), is(empty()));
    }

    @Test
    void afterAndBeforeTogetherBoundAWindow() {
        sendMessages(10);
        assertThat(seqs(history("{\"chat_id\":\"" + chatId + "\",\"after\":2,\"before\":6}")), contains(range(3, 5)));
    }

    @Test
    void pagingBackVisitsEveryMessageOnce() {
        sendMessages(23);
        List<Long> seen = new ArrayList<>();
        long before = 0;
        while (true) {
            String cursor = before == 0 ? "" : ",\"before\":" + before;
            List<Long> page = seqs(history("{\"chat_id\":\"" + chatId + "\",\"limit\":5" + cursor + "}"));
            if (page.isEmpty()) {
                break;
            }
            seen.addAll(0, page);
            before = page.get(0);
        }
        assertThat(seen, contains(range(1, 23)));
    }

    @Test
    void limitAbove1000IsCappedAndZeroMeansTheDefault() {
        sendMessages(55);
        assertThat(seqs(history("{\"chat_id\":\"" + chatId + "\",\"limit\":100000}")), contains(range(1, 55)));
        assertThat(seqs(history("{\"chat_id\":\"" + chatId + "\",\"limit\":0}")), contains(range(6, 55)));
    }

    @Test
    void manyMoreConcurrentReadsThanPooledConnectionsAllSucceed() throws Exception {
        sendMessages(3);
        String other = api.newChat(john, user("Carol"));
        var next = new java.util.concurrent.atomic.AtomicInteger();
        List<Integer> sizes = chat.Concurrently.run(32, () ->
                history("{\"chat_id\":\"" + (next.getAndIncrement() % 2 == 0 ? chatId : other) + "\"}").size());
        assertThat("32 reads over 2 connections", sizes.stream().filter(size -> size == 3).count(), is(16L));
    }

    @Test
    void aliasPathAnswersTheSame() {
        sendMessages(3);
        var reply = api.post("/chat/Chat/History", "{\"chat_id\":\"" + chatId + "\"}");
        assertThat("status", reply.status(), is(200));
        assertThat(seqs(reply.json().get("messages")), contains(range(1, 3)));
    }

    @Test
    void badRequestsAre4xx() {
        assertError(api.post("/chat/History", "{}"), 400, "chat.History.MissingChatID");
        assertError(api.post("/chat/History", "{\"chat_id\":\"" + UUID.randomUUID() + "\"}"), 404,
                "chat.History.InvalidChatID");
        assertError(api.post("/chat/Chat/History", "{\"chat_id\":\"nope\"}"), 404, "chat.History.InvalidChatID");
        assertError(api.post("/chat/History", "{\"chat_id\":\"" + chatId + "\",\"limit\":-1}"), 400,
                "chat.History.InvalidLimit");
        assertError(api.post("/chat/History", "{\"chat_id\":\"" + chatId + "\",\"before\":-1}"), 400,
                "chat.History.InvalidBefore");
        assertError(api.post("/chat/History", "{\"chat_id\":\"" + chatId + "\",\"after\":-5}"), 400,
                "chat.History.InvalidAfter");
        assertError(api.post("/chat/History", "{\"chat_id\":\"" + chatId + "\",\"limit\":\"ten\"}"), 400,
                "chat.History.InvalidJSON");
    }
}
