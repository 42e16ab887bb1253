package chat.messages.boundary;

import chat.Api;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.microprofile.testing.junit5.HelidonTest;
import jakarta.inject.Inject;
import jakarta.ws.rs.client.WebTarget;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static chat.Api.assertError;
import static chat.Api.user;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.is;

/**
 * Search: whole words and prefixes of the subject and text, case aside, over the acting user's chats only, newest
 * first, paged; on both databases (PostgreSQL's full-text search, H2's matcher).
 */
@HelidonTest
class SearchTest {

    @Inject
    WebTarget target;

    Api api;
    String john;
    String barry;
    String chatId;
    /** A word no other test's messages hold, so that tests share a database. */
    String word;

    @BeforeEach
    void chat() {
        api = new Api(target.getUri());
        john = user("John");
        barry = user("Barry");
        chatId = api.newChat(john, barry);
        word = "kiwi" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    }

    private String send(String chat, String user, String subject, String text) {
        var reply = api.post("/chat/Send", Api.write(Api.object().put("chat_id", chat).put("user_id", user)
                .put("subject", subject).put("text", text)));
        assertThat(reply.body(), reply.status(), is(200));
        return reply.json().get("message").get("id").asText();
    }

    private Api.Reply search(ObjectNode body) {
        return api.post("/chat/Search", Api.write(body));
    }

    private List<String> found(ObjectNode body) {
        Api.Reply reply = search(body);
        assertThat(reply.body(), reply.status(), is(200));
        List<String> texts = new ArrayList<>();
        for (JsonNode message : reply.json().get("messages")) {
            texts.add(message.get("text").asText());
        }
        return texts;
    }

    private ObjectNode query(String user, String query) {
        return Api.object().put("user_id", user).put("query", query);
    }

    @Test
    void findsWholeWordsAndPrefixesNewestFirst() {
        send(chatId, john, "", "a " + word + " pie");
        send(chatId, barry, "", "no fruit here");
        send(chatId, barry, word, "in the subject");
        send(chatId, john, "", "Two " + word.toUpperCase() + "S, please");
        assertThat(found(query(barry, word)), contains("Two " + word.toUpperCase() + "S, please", "in the subject",
                "a " + word + " pie"));
        assertThat("a prefix matches", found(query(john, word.substring(0, 8))).size() >= 3, is(true));
        assertThat("every word must match", found(query(john, word + " pie")), contains("a " + word + " pie"));
        assertThat("punctuation is no word", found(query(john, "(" + word + ") & pie!")),
                contains("a " + word + " pie"));
        assertThat("not the middle of a word", found(query(john, word.substring(2))), is(empty()));
    }

    @Test
    void searchesOnlyTheUsersChats() {
        String eve = user("Eve");
        String theirs = api.newChat(barry, eve);
        send(chatId, john, "", word + " for john");
        send(theirs, eve, "", word + " not for john");
        assertThat(found(query(john, word)), contains(word + " for john"));
        assertThat(found(query(barry, word)).size(), is(2));
        assertThat("one chat", found(query(barry, word).put("chat_id", theirs)), contains(word + " not for john"));
        assertError(search(query(john, word).put("chat_id", theirs)), 403, "chat.Search.Forbidden");
        var otherNamespace = api.send(java.net.http.HttpRequest.newBuilder(api.uri("/chat/Search"))
                .header("micro-namespace", "elsewhere")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(Api.write(query(john, word)))).build());
        assertThat(otherNamespace.body(), otherNamespace.json().get("messages").size(), is(0));
    }

    @Test
    void pagesWithBefore() {
        for (int i = 1; i <= 5; i++) {
            send(chatId, john, "", word + " number" + i);
        }
        Api.Reply first = search(query(john, word).put("limit", 2));
        JsonNode page = first.json().get("messages");
        assertThat(page.size(), is(2));
        assertThat(page.get(1).get("text").asText(), is(word + " number4"));
        assertThat(found(query(john, word).put("limit", 2).put("before", page.get(1).get("id").asText())),
                contains(word + " number3", word + " number2"));
    }

    @Test
    void findsTheCurrentTextOnly() {
        String edited = send(chatId, john, "", word + " before");
        String deleted = send(chatId, john, "", word + " gone");
        String fresh = "mango" + word.substring(4);
        assertThat(api.post("/chat/Edit", Api.write(Api.object().put("chat_id", chatId).put("user_id", john)
                .put("message_id", edited).put("text", fresh + " after"))).status(), is(200));
        assertThat(api.post("/chat/DeleteMessage", Api.write(Api.object().put("chat_id", chatId)
                .put("user_id", john).put("message_id", deleted))).status(), is(200));
        assertThat(found(query(john, word)), is(empty()));
        assertThat(found(query(john, fresh)), contains(fresh + " after"));
    }

    @Test
    void refusesBadInput() {
        assertError(search(Api.object().put("user_id", john)), 400, "chat.Search.MissingQuery");
        assertError(search(query(john, " ,.- ")), 400, "chat.Search.MissingQuery");
        assertError(search(query(john, "x".repeat(257))), 400, "chat.Search.InvalidQuery");
        assertError(search(query(john, "a b c d e f g h i")), 400, "chat.Search.InvalidQuery");
        assertError(search(Api.object().put("query", word)), 400, "chat.Search.MissingUserID");
        assertError(search(query(john, word).put("limit", -1)), 400, "chat.Search.InvalidLimit");
        assertError(search(query(john, word).put("before", "nope")), 400, "chat.Search.InvalidBefore");
        assertError(search(query(john, word).put("before", UUID.randomUUID().toString())), 400,
                "chat.Search.InvalidBefore");
        assertError(search(query(john, word).put("chat_id", UUID.randomUUID().toString())), 404,
                "chat.Search.InvalidChatID");
        assertError(search(query(john, word).put("limit", "1")), 400, "chat.Search.InvalidJSON");
    }
}
