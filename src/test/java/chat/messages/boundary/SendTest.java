package chat.messages.boundary;

import chat.Api;
import chat.Concurrently;
import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.microprofile.testing.junit5.HelidonTest;
import jakarta.inject.Inject;
import jakarta.ws.rs.client.WebTarget;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.LongStream;

import static chat.Api.assertError;
import static chat.Api.user;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;

@HelidonTest
class SendTest {

    @Inject
    WebTarget target;

    Api api;
    String john;
    String chatId;

    @BeforeEach
    void chat() {
        api = new Api(target.getUri());
        john = user("John");
        chatId = api.newChat(john, user("Barry"));
    }

    @Test
    void answersTheStoredMessageWithEveryField() {
        long before = Instant.now().getEpochSecond();
        var reply = api.post("/chat/Send", "{\"chat_id\":\"" + chatId + "\",\"user_id\":\"" + john
                + "\",\"subject\":\"Hello\",\"text\":\"Hey Barry\"}");
        assertThat("status", reply.status(), is(200));
        assertThat("only message", reply.json().size(), is(1));
        JsonNode message = reply.json().get("message");
        List<String> fields = new ArrayList<>();
        message.fieldNames().forEachRemaining(fields::add);
        assertThat("fields", fields, containsInAnyOrder(
                "id", "client_id", "chat_id", "user_id", "subject", "text", "sent_at", "seq"));
        assertThat("id is a uuid", UUID.fromString(message.get("id").asText()).toString(), is(message.get("id").asText()));
        assertThat("client_id filled with a uuid", UUID.fromString(message.get("client_id").asText()) != null, is(true));
        assertThat("chat_id", message.get("chat_id").asText(), is(chatId));
        assertThat("user_id", message.get("user_id").asText(), is(john));
        assertThat("subject", message.get("subject").asText(), is("Hello"));
        assertThat("text", message.get("text").asText(), is("Hey Barry"));
        assertThat("sent_at is an integer", message.get("sent_at").isIntegralNumber(), is(true));
        assertThat("sent_at in unix seconds", message.get("sent_at").asLong(), greaterThanOrEqualTo(before));
        assertThat("sent_at not in the future", message.get("sent_at").asLong(),
                lessThanOrEqualTo(Instant.now().getEpochSecond()));
        assertThat("first seq", message.get("seq").asLong(), is(1L));
    }

    @Test
    void missingSubjectIsEmpty() {
        assertThat(api.send(chatId, john, null, "hi").get("subject").asText(), is(""));
    }

    @Test
    void seqCountsUpByOnePerChat() {
        String other = api.newChat(john, user("Carol"));
        assertThat(api.send(chatId, john, null, "a").get("seq").asLong(), is(1L));
        assertThat(api.send(other, john, null, "b").get("seq").asLong(), is(1L));
        assertThat(api.send(chatId, john, null, "c").get("seq").asLong(), is(2L));
        assertThat(api.send(chatId, john, null, "d").get("seq").asLong(), is(3L));
        assertThat(api.send(other, john, null, "e").get("seq").asLong(), is(2L));
    }

    @Test
    void aRepeatedClientIdStoresOnceAndAnswersTheFirstMessage() {
        JsonNode first = api.send(chatId, john, "c1", "Hey Barry");
        JsonNode again = api.send(chatId, john, "c1", "Hey Barry");
        JsonNode changed = api.send(chatId, john, "c1", "something else");
        assertThat("same answer", again, is(first));
        assertThat("still the first message", changed, is(first));
        assertThat("stored once", api.history(Api.object().put("chat_id", chatId)).size(), is(1));
        assertThat("the next message is number 2", api.send(chatId, john, "c2", "next").get("seq").asLong(), is(2L));
    }

    @Test
    void theSameClientIdFromAnotherUserOfTheChatIsAnotherMessage() {
        String barry = user("Barry");
        String chat = api.newChat(john, barry);
        JsonNode johns = api.send(chat, john, "b-1", "from John");
        JsonNode barrys = api.send(chat, barry, "b-1", "from Barry");
        assertThat("a message of its own", barrys.get("id").equals(johns.get("id")), is(false));
        assertThat("Barry's own user_id", barrys.get("user_id").asText(), is(barry));
        assertThat("Barry's own text", barrys.get("text").asText(), is("from Barry"));
        assertThat("the next seq", barrys.get("seq").asLong(), is(2L));
        assertThat("Barry's retry answers Barry's message", api.send(chat, barry, "b-1", "from Barry"), is(barrys));
        assertThat("John's retry answers John's message", api.send(chat, john, "b-1", "from John"), is(johns));
        assertThat("both stored, once each", api.history(Api.object().put("chat_id", chat)).size(), is(2));
    }

    @Test
    void theSameClientIdInAnotherChatIsAnotherMessage() {
        String other = api.newChat(john, user("Dave"));
        JsonNode here = api.send(chatId, john, "same", "x");
        JsonNode there = api.send(other, john, "same", "x");
        assertThat("different messages", here.get("id").equals(there.get("id")), is(false));
    }

    @Test
    void concurrentRetriesStoreOneMessage() throws Exception {
        List<JsonNode> answers = Concurrently.run(32, () -> api.send(chatId, john, "retried", "once"));
        assertThat("one answer for all", new HashSet<>(answers), hasSize(1));
        assertThat("one message", api.history(Api.object().put("chat_id", chatId)).size(), is(1));
    }

    @Test
    void concurrentSendsGetAGaplessSequence() throws Exception {
        List<Long> seqs = Concurrently.run(32, () ->
                api.send(chatId, john, UUID.randomUUID().toString(), "racing").get("seq").asLong());
        assertThat("1..32, each once", new HashSet<>(seqs),
                is(Set.copyOf(LongStream.rangeClosed(1, 32).boxed().toList())));
        List<Long> stored = new ArrayList<>();
        api.history(Api.object().put("chat_id", chatId)).forEach(m -> stored.add(m.get("seq").asLong()));
        assertThat("history in seq order", stored, contains(LongStream.rangeClosed(1, 32).boxed().toArray()));
    }

    @Test
    void manyMoreConcurrentSendsThanPooledConnectionsAllSucceed() throws Exception {
        List<String> chats = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            chats.add(api.newChat(john, user("Peer" + i)));
        }
        var next = new java.util.concurrent.atomic.AtomicInteger();
        List<Long> seqs = Concurrently.run(64, () -> {
            int n = next.getAndIncrement();
            return api.send(chats.get(n % 8), john, "p" + n, "busy").get("seq").asLong();
        });
        assertThat("64 sends, the test pool has 2 connections", seqs.size(), is(64));
        for (String chat : chats) {
            assertThat("8 in each chat", api.history(Api.object().put("chat_id", chat)).size(), is(8));
        }
    }

    @Test
    void aliasPathSends() {
        var reply = api.post("/chat/Chat/Send", "{\"chat_id\":\"" + chatId + "\",\"user_id\":\"" + john
                + "\",\"text\":\"via alias\"}");
        assertThat("status", reply.status(), is(200));
        assertThat("seq", reply.json().get("message").get("seq").asLong(), is(1L));
    }

    @Test
    void missingFieldsAre400InOrderChatUserText() {
        assertError(api.post("/chat/Send", "{}"), 400, "chat.Send.MissingChatID");
        assertError(api.post("/chat/Send", "{\"user_id\":\"John\",\"subject\":\"Hello\",\"text\":\"Hey Barry\"}"),
                400, "chat.Send.MissingChatID");
        assertError(api.post("/chat/Send", "{\"chat_id\":\"" + chatId + "\",\"text\":\"x\"}"),
                400, "chat.Send.MissingUserID");
        assertError(api.post("/chat/Send", "{\"chat_id\":\"" + chatId + "\",\"user_id\":\"John\"}"),
                400, "chat.Send.MissingText");
        assertError(api.post("/chat/Send", "{\"chat_id\":\"" + chatId + "\",\"user_id\":\"John\",\"text\":\"\"}"),
                400, "chat.Send.MissingText");
        assertError(api.post("/chat/Chat/Send", "{\"chat_id\":\"" + chatId + "\",\"user_id\":\"John\"}"),
                400, "chat.Send.MissingText");
        assertThat("nothing stored", api.history(Api.object().put("chat_id", chatId)).size(), is(0));
    }

    @Test
    void unknownChatsAre404() {
        assertError(api.post("/chat/Send", "{\"chat_id\":\"" + UUID.randomUUID() + "\",\"user_id\":\"John\",\"text\":\"x\"}"),
                404, "chat.Send.InvalidChatID");
        assertError(api.post("/chat/Send", "{\"chat_id\":\"not-a-chat\",\"user_id\":\"John\",\"text\":\"x\"}"),
                404, "chat.Send.InvalidChatID");
        assertError(api.post("/chat/Send", "{\"chat_id\":\"1-2-3-4-5\",\"user_id\":\"John\",\"text\":\"x\"}"),
                404, "chat.Send.InvalidChatID");
    }

    @Test
    void textLargerThan64KiBIs413AndTextOfExactly64KiBIsStored() {
        String limit = "é".repeat(32 * 1024);
        assertThat(api.send(chatId, john, null, limit).get("text").asText(), is(limit));
        var tooLarge = Api.object().put("chat_id", chatId).put("user_id", john).put("text", limit + "x");
        assertError(api.post("/chat/Send", Api.write(tooLarge)), 413, "chat.Send.TextTooLarge");
    }

    @Test
    void unicodeAndEmojiRoundTrip() {
        String text = "Grüße 👋🏽 — 你好 <b>&amp;</b> \"quoted\" \\ back\nnew line";
        var message = api.send(chatId, john, null, text);
        assertThat(message.get("text").asText(), is(text));
        assertThat(api.history(Api.object().put("chat_id", chatId)).get(0).get("text").asText(), is(text));
    }

    @Test
    void unstorableStringsAre400() {
        assertError(api.post("/chat/Send", "{\"chat_id\":\"" + chatId + "\",\"user_id\":\"John\",\"text\":\"a\\u0000b\"}"),
                400, "chat.Send.InvalidText");
        assertError(api.post("/chat/Send", "{\"chat_id\":\"" + chatId + "\",\"user_id\":\"John\",\"text\":\"\\ud800\"}"),
                400, "chat.Send.InvalidText");
        assertError(api.post("/chat/Send", "{\"chat_id\":\"" + chatId + "\",\"user_id\":\"" + "u".repeat(256)
                + "\",\"text\":\"x\"}"), 400, "chat.Send.InvalidUserID");
        assertError(api.post("/chat/Send", "{\"chat_id\":\"" + chatId + "\",\"user_id\":\"John\",\"client_id\":\""
                + "c".repeat(256) + "\",\"text\":\"x\"}"), 400, "chat.Send.InvalidClientID");
        assertError(api.post("/chat/Send", "{\"chat_id\":\"" + chatId + "\",\"user_id\":\"John\",\"subject\":\""
                + "s".repeat(1025) + "\",\"text\":\"x\"}"), 400, "chat.Send.InvalidSubject");
        assertThat("nothing stored", api.history(Api.object().put("chat_id", chatId)).size(), is(0));
    }

    @Test
    void idsWithControlCharactersAre400AndStoreNothing() {
        for (String call : new String[] {"Send", "Connect"}) {
            for (String forged : new String[] {"John\\r\\nINFO forged line", "John\\n", "John\\u0000", "tab\\tbed",
                    "\\u001b[31mred", "del\\u007f", "nel\\u0085"}) {
                assertError(api.post("/chat/" + call, "{\"chat_id\":\"" + chatId + "\",\"user_id\":\"" + forged
                        + "\",\"text\":\"x\"}"), 400, "chat." + call + ".InvalidUserID");
                assertError(api.post("/chat/" + call, "{\"chat_id\":\"" + chatId + "\",\"user_id\":\"" + john
                        + "\",\"client_id\":\"" + forged + "\",\"text\":\"x\"}"), 400, "chat." + call + ".InvalidClientID");
            }
        }
        assertThat("nothing stored", api.history(Api.object().put("chat_id", chatId)).size(), is(0));
    }

    @Test
    void textAndSubjectKeepTheirLineBreaksAndTabs() {
        var body = Api.object().put("chat_id", chatId).put("user_id", john).put("subject", "two\nlines")
                .put("text", "line one\r\nline two\n\tindented");
        var reply = api.post("/chat/Send", Api.write(body));
        assertThat("status " + reply.body(), reply.status(), is(200));
        assertThat(reply.json().get("message").get("subject").asText(), is("two\nlines"));
        assertThat(reply.json().get("message").get("text").asText(), is("line one\r\nline two\n\tindented"));
    }
}
