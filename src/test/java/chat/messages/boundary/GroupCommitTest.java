package chat.messages.boundary;

import chat.Api;
import chat.Concurrently;
import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.microprofile.testing.junit5.HelidonTest;
import jakarta.inject.Inject;
import jakarta.ws.rs.client.WebTarget;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

import static chat.Api.user;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;

/** Concurrent Sends share transactions, and each still gets its own answer. */
@HelidonTest
class GroupCommitTest {

    @Inject
    WebTarget target;

    @Inject
    SendQueue queue;

    Api api;
    String john;

    @BeforeEach
    void client() {
        api = new Api(target.getUri());
        john = user("John");
    }

    private Api.Reply send(String chatId, String clientId, String text) {
        var body = Api.object().put("chat_id", chatId).put("user_id", john).put("text", text);
        if (clientId != null) {
            body.put("client_id", clientId);
        }
        return api.post("/chat/Send", Api.write(body));
    }

    private static Long[] range(long from, long to) {
        return LongStream.rangeClosed(from, to).boxed().toArray(Long[]::new);
    }

    @Test
    void concurrentSendsShareTransactionsAndEveryChatStaysGapless() throws Exception {
        List<String> chats = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            chats.add(api.newChat(john, user("Other")));
        }
        long before = queue.batches();
        AtomicInteger next = new AtomicInteger();
        List<Api.Reply> replies = Concurrently.run(64, () -> {
            int n = next.getAndIncrement();
            return send(chats.get(n % chats.size()), "g-" + n, "message " + n);
        });
        long transactions = queue.batches() - before;
        for (Api.Reply reply : replies) {
            assertThat("Send: " + reply.body(), reply.status(), is(200));
        }
        assertThat("64 Sends, fewer transactions", transactions, lessThan(64L));
        for (String chatId : chats) {
            Set<Long> seqs = replies.stream().map(reply -> reply.json().get("message"))
                    .filter(message -> message.get("chat_id").asText().equals(chatId))
                    .map(message -> message.get("seq").asLong())
                    .collect(Collectors.toCollection(TreeSet::new));
            assertThat("chat " + chatId, seqs, contains(range(1, 8)));
            List<Long> stored = new ArrayList<>();
            api.history(Api.object().put("chat_id", chatId)).forEach(m -> stored.add(m.get("seq").asLong()));
            assertThat("stored", stored, contains(range(1, 8)));
        }
    }

    @Test
    void aBadOrRetriedSendNeitherFailsNorNumbersTheOthersOfItsBatch() throws Exception {
        String chatId = api.newChat(john, user("Barry"));
        AtomicInteger next = new AtomicInteger();
        List<Map.Entry<Integer, Api.Reply>> replies = Concurrently.run(48, () -> {
            int n = next.getAndIncrement();
            return Map.entry(n, switch (n % 3) {
                case 0 -> send(chatId, "good-" + n, "good");
                case 1 -> send(UUID.randomUUID().toString(), "lost-" + n, "to no chat");
                default -> send(chatId, "retried", "the same message, sent again and again");
            });
        });
        Set<String> retriedIds = new TreeSet<>();
        List<Long> seqs = new ArrayList<>();
        for (var numbered : replies) {
            Api.Reply reply = numbered.getValue();
            switch (numbered.getKey() % 3) {
                case 0 -> {
                    assertThat("good: " + reply.body(), reply.status(), is(200));
                    seqs.add(reply.json().get("message").get("seq").asLong());
                }
                case 1 -> Api.assertError(reply, 404, "chat.Send.InvalidChatID");
                default -> {
                    assertThat("retried: " + reply.body(), reply.status(), is(200));
                    JsonNode message = reply.json().get("message");
                    retriedIds.add(message.get("id").asText());
                    seqs.add(message.get("seq").asLong());
                }
            }
        }
        assertThat("every retry got the one message", retriedIds.size(), is(1));
        assertThat("16 good and 1 retried message: seqs 1..17, none burnt",
                seqs.stream().collect(Collectors.toCollection(TreeSet::new)), contains(range(1, 17)));
        assertThat("stored exactly those", api.history(Api.object().put("chat_id", chatId)).size(), is(17));
    }
}
