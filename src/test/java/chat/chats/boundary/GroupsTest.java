package chat.chats.boundary;

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
import java.util.Map;
import java.util.stream.StreamSupport;

import static chat.Api.assertError;
import static chat.Api.user;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

/**
 * Conversations (issue 14) over HTTP: each call's rules and errors, List's order, unread counts and paging, read
 * markers moving only forward, and the stream side: membership events in the sequence (replayed on resume), the
 * streams of a member who left ending, read/typing/presence as events without an id.
 */
@HelidonTest
class GroupsTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @Inject
    WebTarget target;

    Api api;
    URI base;
    String owner;
    String barry;
    String carol;

    @BeforeEach
    void users() {
        base = target.getUri();
        api = new Api(base);
        owner = user("John");
        barry = user("Barry");
        carol = user("Carol");
    }

    private Api.Reply call(String name, ObjectNode body) {
        return api.post("/chat/" + name, Api.write(body));
    }

    private JsonNode ok(String name, ObjectNode body) {
        Api.Reply reply = call(name, body);
        assertThat(name + ": " + reply.body(), reply.status(), is(200));
        return reply.json();
    }

    private static ObjectNode body(String userId) {
        return Api.object().put("user_id", userId);
    }

    private static ObjectNode users(ObjectNode body, String field, String... ids) {
        var array = body.putArray(field);
        for (String id : ids) {
            array.add(id);
        }
        return body;
    }

    private String group(String name, boolean isPrivate, String... members) {
        ObjectNode create = users(body(owner).put("name", name).put("private", isPrivate), "user_ids", members);
        return ok("Create", create).get("chat").get("chat_id").asText();
    }

    private ObjectNode on(String chatId, String userId) {
        return body(userId).put("chat_id", chatId);
    }

    private static List<String> texts(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText).toList();
    }

    private SseClient connect(String chatId, String userId, String lastEventId) throws Exception {
        Map<String, String> headers = lastEventId == null ? Map.of() : Map.of("Last-Event-ID", lastEventId);
        SseClient client = SseClient.open(base, "/chat/Connect?chat_id=" + chatId + "&user_id=" + userId, headers);
        assertThat("stream status: " + client.errorBody(), client.status(), is(200));
        return client;
    }

    /** The next event of this name, skipping others; null if none came in time. */
    private static SseClient.Event next(SseClient stream, String name) throws InterruptedException {
        return next(stream, name, WAIT);
    }

    private static SseClient.Event next(SseClient stream, String name, Duration wait) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        while (System.nanoTime() < deadline) {
            SseClient.Event event = stream.nextMessage(Duration.ofNanos(deadline - System.nanoTime()));
            if (event != null && name.equals(event.event())) {
                return event;
            }
        }
        return null;
    }

    private static JsonNode data(SseClient.Event event) throws Exception {
        assertThat("an event came", event, notNullValue());
        return Api.JSON.readTree(event.data());
    }

    @Test
    void createMakesANamedGroupWithTheCallerAsOwnerAndEachCreateANewOne() {
        JsonNode chat = ok("Create", users(body(owner).put("name", "Lunch").put("description", "where to eat"),
                "user_ids", barry)).get("chat");
        assertThat(chat.get("kind").asText(), is("group"));
        assertThat(chat.get("name").asText(), is("Lunch"));
        assertThat(chat.get("description").asText(), is("where to eat"));
        assertThat(chat.get("owner").asText(), is(owner));
        assertThat(chat.get("private").asBoolean(), is(false));
        assertThat(texts(chat.get("user_ids")), containsInAnyOrder(owner, barry));
        assertThat(chat.get("created_at").asLong() > 0, is(true));
        String again = ok("Create", users(body(owner).put("name", "Lunch"), "user_ids", barry))
                .get("chat").get("chat_id").asText();
        assertThat("unlike New, every Create makes a chat", again.equals(chat.get("chat_id").asText()), is(false));
        assertThat("the same fields as the spec", chat.size(), is(8));
    }

    @Test
    void aRepeatedClientIdAnswersTheFirstGroup() {
        ObjectNode create = users(body(owner).put("name", "Retry").put("client_id", "c-1"), "user_ids", barry);
        String first = ok("Create", create).get("chat").get("chat_id").asText();
        assertThat(ok("Create", create).get("chat").get("chat_id").asText(), is(first));
        assertThat("another user's client_id is their own", ok("Create", users(body(barry).put("name", "Retry")
                .put("client_id", "c-1"), "user_ids", owner)).get("chat").get("chat_id").asText().equals(first),
                is(false));
    }

    @Test
    void createRefusesWhatItCannotStore() {
        assertError(call("Create", body(owner)), 400, "chat.Create.MissingName");
        assertError(call("Create", Api.object().put("name", "x")), 400, "chat.Create.MissingUserID");
        assertError(call("Create", body(owner).put("name", "x".repeat(256))), 400, "chat.Create.InvalidName");
        assertError(call("Create", users(body(owner).put("name", "x"), "user_ids", "")), 400,
                "chat.Create.InvalidUserID");
        assertError(api.post("/chat/Chat/Create", "{\"name\":1}"), 400, "chat.Create.InvalidJSON");
    }

    @Test
    void aChatMadeByNewKeepsItsMembers() {
        String direct = api.newChat(owner, barry);
        for (String name : List.of("Invite", "Kick")) {
            assertError(call(name, users(on(direct, owner), "user_ids", carol)), 400, "chat." + name + ".DirectChat");
        }
        assertError(call("Leave", on(direct, owner)), 400, "chat.Leave.DirectChat");
        assertError(call("Delete", on(direct, owner)), 400, "chat.Delete.DirectChat");
        JsonNode listed = ok("List", body(owner)).get("chats").get(0).get("chat");
        assertThat(listed.get("kind").asText(), is("direct"));
        assertThat(listed.get("name").asText(), is(""));
        assertThat(listed.get("owner").asText(), is(""));
    }

    @Test
    void membersInviteToAPublicGroupAndOnlyTheOwnerToAPrivateOne() {
        String open = group("Open", false, barry);
        JsonNode chat = ok("Invite", users(on(open, barry), "user_ids", carol)).get("chat");
        assertThat(texts(chat.get("user_ids")), containsInAnyOrder(owner, barry, carol));
        String closed = group("Closed", true, barry);
        assertError(call("Invite", users(on(closed, barry), "user_ids", carol)), 403, "chat.Invite.Forbidden");
        assertError(call("Invite", users(on(closed, carol), "user_ids", carol)), 403, "chat.Invite.Forbidden");
        ok("Invite", users(on(closed, owner), "user_ids", carol));
        assertError(call("Invite", on(closed, owner)), 400, "chat.Invite.MissingUserIDs");
        assertError(call("Invite", users(body(owner), "user_ids", carol)), 400, "chat.Invite.MissingChatID");
        assertError(call("Invite", users(on("no-such-chat", owner), "user_ids", carol)), 404,
                "chat.Invite.InvalidChatID");
    }

    @Test
    void leaveKickAndDeleteFollowTheirRules() {
        String chat = group("Rules", false, barry, carol);
        assertError(call("Leave", on(chat, owner)), 400, "chat.Leave.Owner");
        assertError(call("Kick", users(on(chat, barry), "user_ids", carol)), 403, "chat.Kick.Forbidden");
        assertError(call("Kick", users(on(chat, owner), "user_ids", owner)), 400, "chat.Kick.Owner");
        assertError(call("Delete", on(chat, barry)), 403, "chat.Delete.Forbidden");
        assertThat(texts(ok("Leave", on(chat, barry)).get("chat").get("user_ids")), containsInAnyOrder(owner, carol));
        assertError(call("Leave", on(chat, barry)), 403, "chat.Leave.Forbidden");
        assertThat(texts(ok("Kick", users(on(chat, owner), "user_ids", carol, barry)).get("chat").get("user_ids")),
                contains(owner));
        assertThat(ok("Delete", on(chat, owner)).get("chat").get("name").asText(), is("Rules"));
        assertError(call("Delete", on(chat, owner)), 404, "chat.Delete.InvalidChatID");
        assertError(api.post("/chat/History", Api.write(on(chat, owner))), 404, "chat.History.InvalidChatID");
        assertError(api.post("/chat/Send", Api.write(on(chat, owner).put("text", "anyone?"))), 404,
                "chat.Send.InvalidChatID");
        assertThat("a deleted chat is not listed", ok("List", body(owner)).get("chats").size(), is(0));
    }

    @Test
    void listShowsTheCallersChatsMostRecentActivityFirstWithUnreadCountsAndPages() throws Exception {
        List<String> chats = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            chats.add(group("G" + i, false, barry));
            Thread.sleep(2);
        }
        api.send(chats.get(1), barry, null, "one");
        api.send(chats.get(1), barry, null, "two");
        api.send(chats.get(1), owner, null, "mine");
        api.send(chats.get(3), barry, null, "three");
        JsonNode first = ok("List", body(owner).put("limit", 3));
        List<String> order = StreamSupport.stream(first.get("chats").spliterator(), false)
                .map(c -> c.get("chat").get("chat_id").asText()).toList();
        assertThat(order, contains(chats.get(3), chats.get(1), chats.get(4)));
        JsonNode busy = first.get("chats").get(1);
        assertThat("others' messages after the marker", busy.get("unread").asInt(), is(2));
        assertThat(busy.get("last_read_seq").asLong(), is(0L));
        assertThat(busy.get("last_message").get("text").asText(), is("mine"));
        assertThat("no message yet", first.get("chats").get(2).get("last_message").isNull(), is(true));
        JsonNode second = ok("List", body(owner).put("limit", 3).put("before", first.get("next_before").asText()));
        assertThat(StreamSupport.stream(second.get("chats").spliterator(), false)
                .map(c -> c.get("chat").get("chat_id").asText()).toList(), contains(chats.get(2), chats.get(0)));
        assertThat("the last page", second.get("next_before").isNull(), is(true));
        ok("Read", on(chats.get(1), owner).put("seq", 3));
        assertThat(ok("List", body(owner).put("limit", 3)).get("chats").get(1).get("unread").asInt(), is(0));
        assertThat(ok("List", body(barry).put("limit", 3)).get("chats").get(1).get("unread").asInt(), is(1));
        assertError(call("List", body(owner).put("before", "nonsense")), 400, "chat.List.InvalidBefore");
        assertError(call("List", body(owner).put("limit", -1)), 400, "chat.List.InvalidLimit");
        assertError(call("List", Api.object()), 400, "chat.List.MissingUserID");
    }

    @Test
    void unreadCountsHoldAcrossManyChatsAndMessages() {
        List<String> chats = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            String chat = group("Many" + i, false, barry);
            chats.add(chat);
            for (int m = 0; m < i % 7; m++) {
                api.send(chat, barry, null, "m" + m);
            }
        }
        JsonNode listed = ok("List", body(owner).put("limit", 100)).get("chats");
        assertThat(listed.size(), is(30));
        for (JsonNode entry : listed) {
            int i = chats.indexOf(entry.get("chat").get("chat_id").asText());
            assertThat("unread of chat " + i, entry.get("unread").asInt(), is(i % 7));
        }
    }

    @Test
    void readMovesTheMarkerOnlyForwardEvenUnderRacingCalls() throws Exception {
        String chat = group("Markers", false, barry);
        for (int i = 0; i < 20; i++) {
            api.send(chat, barry, null, "m" + i);
        }
        var seqs = new java.util.concurrent.atomic.AtomicInteger(21);
        Concurrently.run(21, () -> call("Read", on(chat, owner).put("seq", seqs.getAndDecrement())).status());
        JsonNode marker = ok("Read", on(chat, owner).put("seq", 5));
        assertThat("an older seq leaves the marker where it is", marker.get("seq").asLong(), is(21L));
        assertThat(marker.get("user_id").asText(), is(owner));
        assertError(call("Read", on(chat, owner).put("seq", 22)), 400, "chat.Read.InvalidSeq");
        assertError(call("Read", on(chat, owner)), 400, "chat.Read.MissingSeq");
        assertError(call("Read", on(chat, carol).put("seq", 1)), 403, "chat.Read.Forbidden");
    }

    @Test
    void membershipChangesAreEventsOfTheSequenceReplayedOnResume() throws Exception {
        String chat = group("Events", false, barry);
        api.send(chat, barry, null, "hello");
        ok("Invite", users(on(chat, barry), "user_ids", carol));
        ok("Kick", users(on(chat, owner), "user_ids", carol));
        try (SseClient resumed = connect(chat, owner, "1")) {
            List<SseClient.Event> got = resumed.messagesUntilQuiet(Duration.ofMillis(1500)).stream()
                    .filter(e -> e.id() != null).toList();
            assertThat(got.stream().map(SseClient.Event::event).toList(), contains("message", "joined", "kicked"));
            assertThat(got.stream().map(SseClient.Event::id).toList(), contains("2", "3", "4"));
            JsonNode joined = Api.JSON.readTree(got.get(1).data());
            assertThat(joined.get("member").asText(), is(carol));
            assertThat(joined.get("user_id").asText(), is(barry));
        }
        assertThat("History shows messages only", api.history(Api.object().put("chat_id", chat)).size(), is(1));
    }

    @Test
    void aLeavingMembersStreamsEndAndADeletedChatsStreamsGetAFinalEvent() throws Exception {
        String chat = group("Ends", false, barry, carol);
        try (SseClient barrys = connect(chat, barry, null); SseClient owners = connect(chat, owner, null)) {
            ok("Leave", on(chat, barry));
            JsonNode left = data(next(barrys, "left"));
            assertThat(left.get("member").asText(), is(barry));
            assertThat("the stream ends after it", barrys.nextMessage(WAIT), nullValue());
            assertThat(barrys.ended(), is(true));
            assertThat(data(next(owners, "left")).get("member").asText(), is(barry));
            ok("Delete", on(chat, owner));
            assertThat(next(owners, "chat_deleted"), notNullValue());
            assertThat(owners.nextMessage(WAIT), nullValue());
            assertThat(owners.ended(), is(true));
        }
    }

    @Test
    void readAndTypingReachOtherMembersWithoutAnIdAndTypingLapses() throws Exception {
        String chat = group("Moments", false, barry);
        api.send(chat, barry, null, "hi");
        try (SseClient barrys = connect(chat, barry, null)) {
            ok("Read", on(chat, owner).put("seq", 1));
            SseClient.Event read = next(barrys, "read");
            assertThat("not part of the sequence", read.id(), nullValue());
            assertThat(data(read).get("seq").asLong(), is(1L));
            assertThat(data(read).get("user_id").asText(), is(owner));
            JsonNode typing = ok("Typing", on(chat, owner).put("typing", true));
            assertThat(typing.get("typing").asBoolean(), is(true));
            ok("Typing", on(chat, owner).put("typing", true));
            SseClient.Event started = next(barrys, "typing");
            assertThat(started.id(), nullValue());
            assertThat(data(started).get("typing").asBoolean(), is(true));
            long before = System.nanoTime();
            JsonNode lapsed = data(next(barrys, "typing"));
            assertThat("the second start within a second was not passed on; then it lapses",
                    lapsed.get("typing").asBoolean(), is(false));
            assertThat("after the lapse (1 s in tests)", System.nanoTime() - before > 500_000_000L, is(true));
        }
        try (SseClient again = connect(chat, barry, null)) {
            SseClient.Event marker = next(again, "read");
            assertThat("a connecting stream first gets the members' markers", data(marker).get("seq").asLong(),
                    is(1L));
        }
        assertError(call("Typing", on(chat, owner)), 400, "chat.Typing.MissingTyping");
        assertError(call("Typing", on(chat, carol).put("typing", true)), 403, "chat.Typing.Forbidden");
    }

    @Test
    void aUserIsOnlineWhileAnyOfTheirStreamsIsOpen() throws Exception {
        String chat = group("Presence", false, barry);
        try (SseClient owners = connect(chat, owner, null)) {
            SseClient first = connect(chat, barry, null);
            SseClient second = connect(chat, barry, null);
            JsonNode online = data(next(owners, "presence"));
            assertThat(online.get("user_id").asText(), is(barry));
            assertThat(online.get("online").asBoolean(), is(true));
            first.close();
            assertThat("one stream is still open", next(owners, "presence", Duration.ofMillis(1000)), nullValue());
            second.close();
            JsonNode offline = data(next(owners, "presence"));
            assertThat(offline.get("online").asBoolean(), is(false));
            assertThat(offline.get("last_seen").asLong() > 0, is(true));
        }
    }
}
