package chat.chats.boundary;

import chat.Api;
import chat.Concurrently;
import io.helidon.microprofile.testing.junit5.HelidonTest;
import jakarta.inject.Inject;
import jakarta.ws.rs.client.WebTarget;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;

import static chat.Api.assertError;
import static chat.Api.user;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

@HelidonTest
class NewTest {

    @Inject
    WebTarget target;

    Api api;

    @BeforeEach
    void client() {
        api = new Api(target.getUri());
    }

    @Test
    void answersOnlyAChatIdThatIsAUuid() {
        var reply = api.post("/chat/New", "{\"user_ids\":[\"" + user("John") + "\"]}");
        assertThat("status", reply.status(), is(200));
        assertThat("fields", reply.json().size(), is(1));
        String chatId = reply.json().get("chat_id").asText();
        assertThat("canonical uuid", UUID.fromString(chatId).toString(), is(chatId));
    }

    @Test
    void sameUsersInAnyOrderWithDuplicatesGetTheSameChat() {
        String john = user("John");
        String barry = user("Barry");
        String first = api.newChat(john, barry);
        assertThat("reversed", api.newChat(barry, john), is(first));
        assertThat("duplicated", api.newChat(barry, john, john), is(first));
    }

    @Test
    void aliasPathAnswersTheSameChat() {
        String john = user("John");
        String chatId = api.newChat(john);
        var reply = api.post("/chat/Chat/New", "{\"user_ids\":[\"" + john + "\"]}");
        assertThat("status", reply.status(), is(200));
        assertThat("same chat", reply.json().get("chat_id").asText(), is(chatId));
    }

    @Test
    void differentSetsGetDifferentChats() {
        String prefix = user("p");
        String ab = api.newChat(prefix + "a-b", prefix + "c");
        String bc = api.newChat(prefix + "a", prefix + "b-c");
        String subset = api.newChat(prefix + "a");
        assertThat("separators do not make sets collide", ab, is(not(bc)));
        assertThat("a subset is another chat", subset, is(not(bc)));
    }

    @Test
    void concurrentCallsForTheSameUsersMakeOneChat() throws Exception {
        String john = user("John");
        String barry = user("Barry");
        List<String> chatIds = Concurrently.run(32, () -> api.newChat(barry, john));
        assertThat("one chat for 32 racing calls", new HashSet<>(chatIds), hasSize(1));
        assertThat("and the same afterwards", api.newChat(john, barry), is(chatIds.get(0)));
    }

    @Test
    void missingUserIdsAre400() {
        assertError(api.post("/chat/New", "{}"), 400, "chat.New.MissingUserIDs");
        assertError(api.post("/chat/New", "{\"user_ids\":[]}"), 400, "chat.New.MissingUserIDs");
        assertError(api.post("/chat/New", "{\"user_ids\":null}"), 400, "chat.New.MissingUserIDs");
        assertError(api.post("/chat/New", ""), 400, "chat.New.MissingUserIDs");
        assertError(api.post("/chat/Chat/New", "{}"), 400, "chat.New.MissingUserIDs");
    }

    @Test
    void blankOrUnstorableUserIdsAre400() {
        assertError(api.post("/chat/New", "{\"user_ids\":[\"John\",\" \"]}"), 400, "chat.New.InvalidUserID");
        assertError(api.post("/chat/New", "{\"user_ids\":[\"John\",\"\"]}"), 400, "chat.New.InvalidUserID");
        assertError(api.post("/chat/New", "{\"user_ids\":[\"John\",null]}"), 400, "chat.New.InvalidUserID");
        assertError(api.post("/chat/New", "{\"user_ids\":[\"a\\u0000b\"]}"), 400, "chat.New.InvalidUserID");
        assertError(api.post("/chat/New", "{\"user_ids\":[\"" + "x".repeat(256) + "\"]}"), 400,
                "chat.New.InvalidUserID");
    }

    @Test
    void tooManyUsersAre400() {
        var body = Api.object();
        var ids = body.putArray("user_ids");
        IntStream.rangeClosed(0, 1000).forEach(i -> ids.add("u" + i));
        assertError(api.post("/chat/New", Api.write(body)), 400, "chat.New.TooManyUserIDs");
    }

    @Test
    void theSeedsOneUserExampleWorks() {
        var reply = api.post("/chat/New", "{\"user_ids\":[\"JohnBarry\"]}");
        assertThat("status", reply.status(), is(200));
        assertThat("idempotent", api.newChat("JohnBarry"), is(reply.json().get("chat_id").asText()));
    }

    @Test
    void userIdsWithControlCharactersAre400() {
        String john = user("John");
        for (String forged : new String[] {"Barry\\r\\nINFO forged line", "Barry\\n", "tab\\tbed", "\\u001b[31mred",
                "del\\u007f", "nel\\u0085"}) {
            var reply = api.post("/chat/New", "{\"user_ids\":[\"" + john + "\",\"" + forged + "\"]}");
            assertError(reply, 400, "chat.New.InvalidUserID");
            assertThat(forged, reply.json().get("detail").asText(),
                    is("user id contains a control character (such as CR, LF or TAB)"));
        }
    }
}
