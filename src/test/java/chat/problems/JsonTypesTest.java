package chat.problems;

import chat.Api;
import io.helidon.microprofile.testing.junit5.HelidonTest;
import jakarta.inject.Inject;
import jakarta.ws.rs.client.WebTarget;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

import static chat.Api.assertError;
import static chat.Api.user;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/**
 * A value of the wrong JSON type is refused, never converted: 400 {@code chat.<Call>.InvalidJSON} whose detail
 * names the field and what it must be, on every call, and nothing is stored. {@code null} still means "absent"
 * and unknown fields are still ignored.
 */
@HelidonTest
class JsonTypesTest {

    private static final String SEND = "\"chat_id\":\"$CHAT\",\"user_id\":\"$USER\"";

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

    private String body(String template) {
        return template.replace("$CHAT", chatId).replace("$USER", john);
    }

    /** The calls that send: Send, and POST on Connect. */
    static Stream<Arguments> sendCases() {
        List<Arguments> cases = new ArrayList<>();
        for (String call : List.of("Send", "Connect")) {
            cases.add(Arguments.of(call, "{" + SEND + ",\"text\":42}", "text must be a string"));
            cases.add(Arguments.of(call, "{" + SEND + ",\"text\":true}", "text must be a string"));
            cases.add(Arguments.of(call, "{" + SEND + ",\"text\":1.5}", "text must be a string"));
            cases.add(Arguments.of(call, "{" + SEND + ",\"text\":[\"hi\"]}", "text must be a string"));
            cases.add(Arguments.of(call, "{\"chat_id\":\"$CHAT\",\"user_id\":123,\"text\":\"hi\"}",
                    "user_id must be a string"));
            cases.add(Arguments.of(call, "{\"chat_id\":7,\"user_id\":\"$USER\",\"text\":\"hi\"}",
                    "chat_id must be a string"));
            cases.add(Arguments.of(call, "{" + SEND + ",\"client_id\":5,\"text\":\"hi\"}", "client_id must be a string"));
            cases.add(Arguments.of(call, "{" + SEND + ",\"subject\":false,\"text\":\"hi\"}", "subject must be a string"));
            cases.add(Arguments.of(call, "{" + SEND + ",\"text\":\"first\",\"text\":\"second\"}",
                    "text is given more than once"));
            cases.add(Arguments.of(call, "{\"user_id\":\"$USER\",\"chat_id\":\"$CHAT\",\"text\":\"hi\","
                    + "\"user_id\":\"someone else\"}", "user_id is given more than once"));
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("sendCases")
    void sendingAValueOfTheWrongTypeIsInvalidJsonAndStoresNothing(String call, String template, String detail) {
        var reply = api.post("/chat/" + call, body(template));
        assertError(reply, 400, "chat." + call + ".InvalidJSON");
        assertThat("detail names the field", reply.json().get("detail").asText(),
                is("the request body is not valid: " + detail));
        assertThat("nothing stored", api.history(Api.object().put("chat_id", chatId)).size(), is(0));
    }

    static Stream<Arguments> newCases() {
        return Stream.of(
                Arguments.of("{\"user_ids\":[1,2]}", "user_ids[0] must be a string"),
                Arguments.of("{\"user_ids\":[\"$USER\",true]}", "user_ids[1] must be a string"),
                Arguments.of("{\"user_ids\":[\"$USER\",2.5]}", "user_ids[1] must be a string"),
                Arguments.of("{\"user_ids\":\"$USER\"}", "user_ids must be an array"),
                Arguments.of("{\"user_ids\":[\"$USER\"],\"user_ids\":[\"someone else\"]}",
                        "user_ids is given more than once"));
    }

    @ParameterizedTest(name = "New: {0}")
    @MethodSource("newCases")
    void newWithAValueOfTheWrongTypeIsInvalidJson(String template, String detail) {
        var reply = api.post("/chat/New", body(template));
        assertError(reply, 400, "chat.New.InvalidJSON");
        assertThat("detail names the field", reply.json().get("detail").asText(),
                is("the request body is not valid: " + detail));
    }

    static Stream<Arguments> historyCases() {
        return Stream.of(
                Arguments.of("{\"chat_id\":\"$CHAT\",\"limit\":\"1\"}", "limit must be an integer"),
                Arguments.of("{\"chat_id\":\"$CHAT\",\"limit\":1.5}", "limit must be an integer"),
                Arguments.of("{\"chat_id\":\"$CHAT\",\"limit\":1.0}", "limit must be an integer"),
                Arguments.of("{\"chat_id\":\"$CHAT\",\"limit\":1e1}", "limit must be an integer"),
                Arguments.of("{\"chat_id\":\"$CHAT\",\"limit\":true}", "limit must be an integer"),
                Arguments.of("{\"chat_id\":\"$CHAT\",\"limit\":\"\"}", "limit must be an integer"),
                Arguments.of("{\"chat_id\":\"$CHAT\",\"limit\":3000000000}", "limit is out of range"),
                Arguments.of("{\"chat_id\":\"$CHAT\",\"before\":\"2\"}", "before must be an integer"),
                Arguments.of("{\"chat_id\":\"$CHAT\",\"before\":2.5}", "before must be an integer"),
                Arguments.of("{\"chat_id\":\"$CHAT\",\"after\":\"1\"}", "after must be an integer"),
                Arguments.of("{\"chat_id\":\"$CHAT\",\"after\":false}", "after must be an integer"),
                Arguments.of("{\"chat_id\":5}", "chat_id must be a string"),
                Arguments.of("{\"chat_id\":\"$CHAT\",\"limit\":1,\"limit\":2}", "limit is given more than once"));
    }

    @ParameterizedTest(name = "History: {0}")
    @MethodSource("historyCases")
    void historyWithAValueOfTheWrongTypeIsInvalidJson(String template, String detail) {
        api.send(chatId, john, null, "one");
        var reply = api.post("/chat/History", body(template));
        assertError(reply, 400, "chat.History.InvalidJSON");
        assertThat("detail names the field", reply.json().get("detail").asText(),
                is("the request body is not valid: " + detail));
    }

    @Test
    void theAliasPathsRefuseWrongTypesAlike() {
        var send = api.post("/chat/Chat/Send", body("{" + SEND + ",\"text\":42}"));
        assertError(send, 400, "chat.Send.InvalidJSON");
        assertThat(send.json().get("detail").asText(), is("the request body is not valid: text must be a string"));
        var history = api.post("/chat/Chat/History", body("{\"chat_id\":\"$CHAT\",\"limit\":\"1\"}"));
        assertError(history, 400, "chat.History.InvalidJSON");
        assertThat(history.json().get("detail").asText(),
                is("the request body is not valid: limit must be an integer"));
    }

    @Test
    void aKeyRepeatedInsideAnIgnoredFieldIsRefusedToo() {
        var reply = api.post("/chat/New", body("{\"user_ids\":[\"$USER\"],\"meta\":{\"a\":1,\"a\":2}}"));
        assertError(reply, 400, "chat.New.InvalidJSON");
        assertThat(reply.json().get("detail").asText(), is("the request body is not valid: meta.a is given more than once"));
    }

    @Test
    void aRepeatedKeyIsNamedPrintablyAndShortened() {
        var broken = api.post("/chat/New", body("{\"user_ids\":[\"$USER\"],\"\\ud800\\r\\n\":1,\"\\ud800\\r\\n\":2}"));
        assertError(broken, 400, "chat.New.InvalidJSON");
        assertThat(broken.json().get("detail").asText(),
                is("the request body is not valid: \ufffd\ufffd\ufffd is given more than once"));
        String key = "k".repeat(5000);
        var longKey = api.post("/chat/History", body("{\"chat_id\":\"$CHAT\",\"" + key + "\":1,\"" + key + "\":2}"));
        assertError(longKey, 400, "chat.History.InvalidJSON");
        assertThat(longKey.json().get("detail").asText(),
                is("the request body is not valid: " + "k".repeat(100) + "… is given more than once"));
    }

    @Test
    void nullForOptionalFieldsStillMeansAbsent() {
        for (String call : List.of("Send", "Connect")) {
            var reply = api.post("/chat/" + call,
                    body("{" + SEND + ",\"text\":\"hi\",\"subject\":null,\"client_id\":null}"));
            assertThat(call + " status: " + reply.body(), reply.status(), is(200));
            var message = reply.json().get("message");
            assertThat("subject empty", message.get("subject").asText(), is(""));
            assertThat("client_id made by the server", UUID.fromString(message.get("client_id").asText()).toString(),
                    is(message.get("client_id").asText()));
        }
        var history = api.post("/chat/History",
                body("{\"chat_id\":\"$CHAT\",\"limit\":null,\"before\":null,\"after\":null}"));
        assertThat("History status: " + history.body(), history.status(), is(200));
        assertThat("both messages", history.json().get("messages").size(), is(2));
        assertError(api.post("/chat/Send", body("{" + SEND + ",\"text\":null}")), 400, "chat.Send.MissingText");
        assertError(api.post("/chat/Connect", body("{\"chat_id\":\"$CHAT\",\"user_id\":null,\"text\":\"x\"}")),
                400, "chat.Connect.MissingUserID");
        assertError(api.post("/chat/New", "{\"user_ids\":null}"), 400, "chat.New.MissingUserIDs");
        assertError(api.post("/chat/History", "{\"chat_id\":null}"), 400, "chat.History.MissingChatID");
    }

    @Test
    void unknownFieldsOfAnyTypeAreStillIgnored() {
        String extra = ",\"priority\":5,\"ratio\":0.5,\"urgent\":true,\"tags\":[1,\"a\"],\"meta\":{\"k\":null}";
        var send = api.post("/chat/Send", body("{" + SEND + ",\"text\":\"hi\"" + extra + "}"));
        assertThat("Send: " + send.body(), send.status(), is(200));
        var connect = api.post("/chat/Connect", body("{" + SEND + ",\"text\":\"hi\"" + extra + "}"));
        assertThat("Connect: " + connect.body(), connect.status(), is(200));
        var history = api.post("/chat/History", body("{\"chat_id\":\"$CHAT\",\"limit\":1" + extra + "}"));
        assertThat("History: " + history.body(), history.status(), is(200));
        assertThat("the newest", history.json().get("messages").get(0).get("seq").asLong(), is(2L));
        var created = api.post("/chat/New", body("{\"user_ids\":[\"$USER\"]" + extra + "}"));
        assertThat("New: " + created.body(), created.status(), is(200));
        String newChatId = created.json().get("chat_id").asText();
        assertThat("a chat id", UUID.fromString(newChatId).toString(), is(newChatId));
    }
}
