package chat.messages.boundary;

import chat.Api;
import chat.Concurrently;
import chat.SseClient;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.microprofile.testing.junit5.HelidonTest;
import jakarta.inject.Inject;
import jakarta.ws.rs.client.WebTarget;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

import static chat.Api.assertError;
import static chat.Api.user;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;

/**
 * Message life: edits, deletions, reactions and replies, each rule and error, the current state in History, and the
 * change events in the chat's one sequence (streams, replay by Last-Event-ID, Changes).
 */
@HelidonTest
class MessageLifeTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @Inject
    WebTarget target;

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

    private ObjectNode body(String user, String messageId) {
        return Api.object().put("chat_id", chatId).put("user_id", user).put("message_id", messageId);
    }

    private Api.Reply call(String name, ObjectNode body) {
        return api.post("/chat/" + name, Api.write(body));
    }

    private JsonNode ok(String name, ObjectNode body) {
        Api.Reply reply = call(name, body);
        assertThat(name + " status: " + reply.body(), reply.status(), is(200));
        return reply.json().get("message");
    }

    private JsonNode edit(String user, String messageId, String text) {
        return ok("Edit", body(user, messageId).put("text", text));
    }

    private JsonNode react(String user, String messageId, String emoji, boolean on) {
        return ok("React", body(user, messageId).put("emoji", emoji).put("on", on));
    }

    private String send(String user, String text) {
        return api.send(chatId, user, null, text).get("id").asText();
    }

    private JsonNode historyOf(String reader) {
        ObjectNode request = Api.object().put("chat_id", chatId);
        if (reader != null) {
            request.put("user_id", reader);
        }
        return api.history(request);
    }

    private long nextSeq() {
        return api.send(chatId, john, null, "probe").get("seq").asLong();
    }

    @Test
    void aPlainMessageKeepsTheSeedsShape() {
        var reply = api.post("/chat/Send", Api.write(Api.object().put("chat_id", chatId).put("user_id", john)
                .put("text", "plain")));
        assertThat(reply.body(), reply.json().get("message").size(), is(8));
        assertThat(historyOf(john).get(0).size(), is(8));
    }

    @Test
    void anEditShowsTheNewTextAndEditedAtAndKeepsIdAndSeq() {
        String id = api.send(chatId, john, "j-1", "helo").get("id").asText();
        JsonNode edited = ok("Edit", body(john, id).put("text", "hello").put("subject", "Greeting"));
        assertThat(edited.get("id").asText(), is(id));
        assertThat(edited.get("seq").asLong(), is(1L));
        assertThat(edited.get("text").asText(), is("hello"));
        assertThat(edited.get("subject").asText(), is("Greeting"));
        assertThat("edited_at is set", edited.get("edited_at").isNumber(), is(true));
        JsonNode inHistory = historyOf(barry).get(0);
        assertThat(inHistory.get("text").asText(), is("hello"));
        assertThat(inHistory.get("edited_at").asLong(), is(edited.get("edited_at").asLong()));
        assertThat("the edit took seq 2", nextSeq(), is(3L));
        JsonNode again = edit(john, id, "hello again");
        assertThat("a missing subject keeps the current one", again.get("subject").asText(), is("Greeting"));
    }

    @Test
    void anEditThatChangesNothingTakesNoSeq() {
        String id = send(john, "same");
        JsonNode unchanged = edit(john, id, "same");
        assertThat("not edited", unchanged.get("edited_at"), is(nullValue()));
        assertThat(nextSeq(), is(2L));
    }

    @Test
    void onlyTheSenderEditsOrDeletes() {
        String id = send(john, "mine");
        assertError(call("Edit", body(barry, id).put("text", "yours")), 403, "chat.Edit.Forbidden");
        assertError(call("DeleteMessage", body(barry, id)), 403, "chat.DeleteMessage.Forbidden");
        assertThat("nothing changed", historyOf(john).get(0).get("text").asText(), is("mine"));
        assertThat("no seq was taken", nextSeq(), is(2L));
    }

    @Test
    void editRefusesBadInput() {
        String id = send(john, "text");
        assertError(call("Edit", body(john, id)), 400, "chat.Edit.MissingText");
        assertError(call("Edit", body(john, null).put("text", "x")), 400, "chat.Edit.MissingMessageID");
        assertError(call("Edit", body(john, "not-an-id").put("text", "x")), 404, "chat.Edit.InvalidMessageID");
        assertError(call("Edit", body(john, java.util.UUID.randomUUID().toString()).put("text", "x")), 404,
                "chat.Edit.InvalidMessageID");
        assertError(call("Edit", body(null, id).put("text", "x")), 400, "chat.Edit.MissingUserID");
        assertError(call("Edit", body(john, id).put("text", "x").put("chat_id", "")), 400, "chat.Edit.MissingChatID");
        assertError(call("Edit", body(john, id).put("text", "x").put("chat_id", java.util.UUID.randomUUID().toString())),
                404, "chat.Edit.InvalidChatID");
        assertError(call("Edit", body(john, id).put("text", "x\u0000")), 400, "chat.Edit.InvalidText");
        assertError(call("Edit", body(john, id).put("text", "x").put("subject", "s".repeat(1025))), 400,
                "chat.Edit.InvalidSubject");
        assertError(call("Edit", body(john, id).put("text", "x".repeat(65537))), 413, "chat.Edit.TextTooLarge");
        String other = api.newChat(john, user("Eve"));
        String elsewhere = api.send(other, john, null, "elsewhere").get("id").asText();
        assertError(call("Edit", body(john, elsewhere).put("text", "x")), 404, "chat.Edit.InvalidMessageID");
        assertThat("nothing changed", historyOf(john).get(0).get("text").asText(), is("text"));
        assertThat("no seq was taken", nextSeq(), is(2L));
    }

    @Test
    void aDeletedMessageIsATombstoneInHistory() {
        String kept = send(john, "kept");
        String gone = api.post("/chat/Send", Api.write(Api.object().put("chat_id", chatId).put("user_id", john)
                .put("subject", "secret").put("text", "oops"))).json().get("message").get("id").asText();
        react(barry, gone, "👍", true);
        JsonNode tombstone = ok("DeleteMessage", body(john, gone));
        assertThat(tombstone.get("deleted").asBoolean(), is(true));
        assertThat(tombstone.get("text").asText(), is(""));
        assertThat(tombstone.get("subject").asText(), is(""));
        assertThat("its reactions went with it", tombstone.get("reactions"), is(nullValue()));
        JsonNode history = historyOf(barry);
        assertThat(history.size(), is(2));
        assertThat(history.get(0).get("id").asText(), is(kept));
        assertThat(history.get(0).get("deleted"), is(nullValue()));
        assertThat(history.get(1).get("deleted").asBoolean(), is(true));
        assertThat(history.get(1).get("text").asText(), is(""));
        assertThat(history.get(1).get("seq").asLong(), is(2L));
        assertThat("deleting again changes nothing", ok("DeleteMessage", body(john, gone)).get("deleted").asBoolean(),
                is(true));
        assertThat("and takes no seq (react 3, delete 4)", nextSeq(), is(5L));
        assertError(call("Edit", body(john, gone).put("text", "back")), 400, "chat.Edit.MessageDeleted");
        assertError(call("React", body(barry, gone).put("emoji", "👍").put("on", true)), 400,
                "chat.React.MessageDeleted");
    }

    @Test
    void deleteWithAMessageIdDeletesThatMessageAndLeavesTheChat() {
        String kept = send(john, "kept");
        String gone = send(john, "gone");
        assertError(call("Delete", body(barry, gone)), 403, "chat.Delete.Forbidden");
        Api.Reply deleted = call("Delete", body(john, gone));
        assertThat("Delete status: " + deleted.body(), deleted.status(), is(200));
        assertThat("the answer is the message, not a chat", deleted.json().get("chat"), is(nullValue()));
        assertThat(deleted.json().get("message").get("id").asText(), is(gone));
        assertThat(deleted.json().get("message").get("deleted").asBoolean(), is(true));
        Api.Reply again = api.post("/chat/Chat/Delete", Api.write(body(john, kept)));
        assertThat("Chat/Delete status: " + again.body(), again.status(), is(200));
        assertThat(again.json().get("message").get("deleted").asBoolean(), is(true));
        JsonNode history = historyOf(john);
        assertThat("the chat stays, with both tombstones", history.size(), is(2));
        assertThat(history.get(0).get("deleted").asBoolean(), is(true));
        assertThat(history.get(1).get("deleted").asBoolean(), is(true));
        assertError(call("Delete", body(john, UUID.randomUUID().toString())), 404, "chat.Delete.InvalidMessageID");
    }

    @Test
    void aUserHasEachEmojiOncePerMessageAndSeesWhichAreTheirs() {
        String id = send(john, "react to me");
        react(barry, id, "👍", true);
        JsonNode twice = react(barry, id, "👍", true);
        assertThat("once per user", twice.get("reactions").get(0).get("count").asInt(), is(1));
        react(john, id, "👍", true);
        react(john, id, "🎉", true);
        JsonNode forBarry = historyOf(barry).get(0).get("reactions");
        assertThat(forBarry.toString(), is("[{\"emoji\":\"👍\",\"count\":2,\"mine\":true},"
                + "{\"emoji\":\"🎉\",\"count\":1,\"mine\":false}]"));
        JsonNode forNobody = historyOf(null).get(0).get("reactions");
        assertThat(forNobody.get(0).get("mine").asBoolean(), is(false));
        JsonNode off = react(barry, id, "👍", false);
        assertThat(off.get("reactions").get(0).get("count").asInt(), is(1));
        assertThat(off.get("reactions").get(0).get("mine").asBoolean(), is(false));
        react(barry, id, "👍", false);
        assertThat("ons 2, 3, 4 and one off 5; the repeated on and off took none", nextSeq(), is(6L));
        react(john, id, "👍", false);
        react(john, id, "🎉", false);
        assertThat("no reactions left: the field is absent", historyOf(john).get(0).get("reactions"),
                is(nullValue()));
    }

    @Test
    void reactRefusesBadInputAndTooManyEmoji() {
        String id = send(john, "emoji");
        assertError(call("React", body(barry, id).put("on", true)), 400, "chat.React.MissingEmoji");
        assertError(call("React", body(barry, id).put("emoji", "👍")), 400, "chat.React.MissingOn");
        assertError(call("React", body(barry, id).put("emoji", "a b").put("on", true)), 400, "chat.React.InvalidEmoji");
        assertError(call("React", body(barry, id).put("emoji", "x".repeat(33)).put("on", true)), 400,
                "chat.React.InvalidEmoji");
        assertError(call("React", body(barry, id).put("emoji", "\n").put("on", true)), 400, "chat.React.InvalidEmoji");
        assertError(call("React", body(barry, id).put("emoji", "👍").put("on", "yes")), 400, "chat.React.InvalidJSON");
        for (int i = 0; i < 50; i++) {
            react(barry, id, "e" + i, true);
        }
        assertError(call("React", body(john, id).put("emoji", "e50").put("on", true)), 400,
                "chat.React.TooManyEmoji");
        JsonNode existing = react(john, id, "e0", true);
        assertThat("an emoji already there may still be given", existing.get("reactions").get(0).get("count").asInt(),
                is(2));
        assertThat(existing.get("reactions").size(), is(50));
    }

    @Test
    void aReplyCarriesTheMessageItRepliesTo() {
        String first = send(john, "question");
        var reply = api.post("/chat/Send", Api.write(Api.object().put("chat_id", chatId).put("user_id", barry)
                .put("text", "answer").put("reply_to", first)));
        assertThat(reply.body(), reply.status(), is(200));
        assertThat(reply.json().get("message").get("reply_to").asText(), is(first));
        assertThat(historyOf(john).get(1).get("reply_to").asText(), is(first));
        assertThat("a plain message has none", historyOf(john).get(0).get("reply_to"), is(nullValue()));
    }

    @Test
    void aReplyToAMessageOfAnotherChatIsRefused() {
        String other = api.newChat(john, user("Eve"));
        String elsewhere = api.send(other, john, null, "elsewhere").get("id").asText();
        String event = react(john, send(john, "here"), "👍", true).get("id").asText();
        for (String replyTo : List.of(elsewhere, "not-a-message", java.util.UUID.randomUUID().toString())) {
            assertError(api.post("/chat/Send", Api.write(Api.object().put("chat_id", chatId).put("user_id", barry)
                    .put("text", "answer").put("reply_to", replyTo))), 400, "chat.Send.InvalidReplyTo");
        }
        assertThat("seq 1 message, 2 reaction; the refused replies took none", nextSeq(), is(3L));
        assertThat(event.isEmpty(), is(false));
    }

    @Test
    void anOfflineClientResumingReceivesExactlyTheChangesToAnOldMessage() throws Exception {
        String old = send(john, "old");
        String other = send(john, "other");
        api.send(chatId, barry, null, "seen");
        edit(john, old, "old, edited");
        ok("DeleteMessage", body(john, other));
        react(john, old, "❤️", true);
        try (SseClient resumed = SseClient.open(base, "/chat/Connect?chat_id=" + chatId + "&user_id=" + barry,
                Map.of("Last-Event-ID", "3"))) {
            List<SseClient.Event> got = resumed.messagesUntilQuiet(Duration.ofMillis(1500));
            assertThat(got.stream().map(SseClient.Event::id).toList(), contains("4", "5", "6"));
            assertThat(got.stream().map(SseClient.Event::event).toList(), contains("edited", "deleted", "reaction"));
            JsonNode edited = Api.JSON.readTree(got.get(0).data());
            assertThat(edited.get("message_id").asText(), is(old));
            assertThat(edited.get("text").asText(), is("old, edited"));
            assertThat(edited.get("user_id").asText(), is(john));
            assertThat(Api.JSON.readTree(got.get(1).data()).get("message_id").asText(), is(other));
            JsonNode reaction = Api.JSON.readTree(got.get(2).data());
            assertThat(reaction.get("emoji").asText(), is("❤️"));
            assertThat(reaction.get("on").asBoolean(), is(true));
            assertThat(reaction.get("count").asInt(), is(1));
        }
        JsonNode changes = call("Changes", Api.object().put("chat_id", chatId).put("after", 3)).json().get("events");
        assertThat(changes.size(), is(3));
        assertThat(changes.get(0).get("seq").asLong(), is(4L));
        assertThat(changes.get(0).get("kind").asText(), is("edited"));
        assertThat(changes.get(0).get("data").get("text").asText(), is("old, edited"));
        assertThat(changes.get(2).get("data").get("emoji").asText(), is("❤️"));
        JsonNode all = call("Changes", Api.object().put("chat_id", chatId).put("limit", 2)).json().get("events");
        assertThat("from the first event, messages as they are now", all.get(0).get("kind").asText(), is("message"));
        assertThat(all.get(0).get("data").get("text").asText(), is("old, edited"));
        assertThat(all.size(), is(2));
    }

    @Test
    void aLiveStreamReceivesEachChangeAsItHappens() throws Exception {
        String id = send(john, "live");
        try (SseClient barrys = SseClient.open(base, "/chat/Connect?chat_id=" + chatId + "&user_id=" + barry,
                Map.of())) {
            edit(john, id, "live, edited");
            SseClient.Event event = barrys.nextMessage(WAIT);
            assertThat(event.event(), is("edited"));
            assertThat(event.id(), is("2"));
        }
    }

    @Test
    void changesRefusesBadInput() {
        assertError(call("Changes", Api.object()), 400, "chat.Changes.MissingChatID");
        assertError(call("Changes", Api.object().put("chat_id", chatId).put("after", -1)), 400,
                "chat.Changes.InvalidAfter");
        assertError(call("Changes", Api.object().put("chat_id", chatId).put("limit", -1)), 400,
                "chat.Changes.InvalidLimit");
        assertError(call("Changes", Api.object().put("chat_id", java.util.UUID.randomUUID().toString())), 404,
                "chat.Changes.InvalidChatID");
    }

    @Test
    void racingTogglesEndConsistent() throws Exception {
        String id = send(john, "race");
        List<String> users = List.of(john, barry);
        AtomicInteger calls = new AtomicInteger();
        Concurrently.run(8, () -> {
            for (int i = 0; i < 15; i++) {
                String user = users.get(ThreadLocalRandom.current().nextInt(users.size()));
                react(user, id, "👍", ThreadLocalRandom.current().nextBoolean());
                calls.incrementAndGet();
            }
            return null;
        });
        JsonNode reactions = historyOf(john).get(0).get("reactions");
        int count = reactions == null ? 0 : reactions.get(0).get("count").asInt();
        JsonNode events = call("Changes", Api.object().put("chat_id", chatId).put("after", 1).put("limit", 1000))
                .json().get("events");
        List<Integer> counts = new ArrayList<>();
        int previous = 0;
        for (JsonNode event : events) {
            int now = event.get("data").get("count").asInt();
            assertThat("each event changes the count by one, as its on says: " + events,
                    now - previous, is(event.get("data").get("on").asBoolean() ? 1 : -1));
            previous = now;
            counts.add(now);
        }
        assertThat("the last event's count is the count History shows", previous, is(count));
        assertThat("no more than two users", count <= 2, is(true));
        assertThat("events and seqs agree", nextSeq(), is(2L + counts.size()));
    }
}
