package chat.sdk;

import chat.sdk.api.ChatApi;
import chat.sdk.api.StreamApi;
import chat.sdk.client.ApiClient;
import chat.sdk.client.ApiException;
import chat.sdk.model.HistoryRequest;
import chat.sdk.model.Message;
import chat.sdk.model.MicroError;
import chat.sdk.model.NewRequest;
import chat.sdk.model.SendRequest;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.helidon.microprofile.testing.junit5.HelidonTest;
import jakarta.inject.Inject;
import jakarta.ws.rs.client.WebTarget;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static chat.Api.user;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Drives the running service through the Java client that openapi-generator makes from {@code openapi/chat.yaml}
 * at build time (see the {@code java-sdk} execution in pom.xml), used as an app would use it and never edited. The
 * client reads answers strictly (a field the spec does not declare fails the call), so the spec and the service
 * cannot drift apart without this test failing.
 */
@HelidonTest
class GeneratedClientTest {

    @Inject
    WebTarget target;

    ChatApi chat;
    StreamApi stream;
    ObjectMapper json;
    String john;
    String barry;

    @BeforeEach
    void client() {
        json = ApiClient.createDefaultObjectMapper()
                .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true)
                .configure(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES, true);
        var client = new ApiClient();
        client.updateBaseUri(target.getUri().toString().replaceAll("/+$", ""));
        client.setObjectMapper(json);
        chat = new ChatApi(client);
        stream = new StreamApi(client);
        john = user("John");
        barry = user("Barry");
    }

    private String newChat() throws ApiException {
        return chat.newChat(new NewRequest().userIds(List.of(john, barry)), null).getChatId();
    }

    private SendRequest message(String chatId, String clientId, String text) {
        return new SendRequest().chatId(chatId).userId(john).clientId(clientId).text(text);
    }

    private static List<Long> seqs(List<Message> messages) {
        return messages.stream().map(Message::getSeq).toList();
    }

    @Test
    void newAnswersTheSameChatForTheSameUsersOnBothPathForms() throws ApiException {
        String chatId = chat.newChat(new NewRequest().userIds(List.of(john, barry)), null).getChatId();
        String again = chat.chatNew(new NewRequest().userIds(List.of(barry, john, barry)), null).getChatId();

        assertThat("chat id is a UUID", UUID.fromString(chatId).toString(), is(chatId));
        assertThat("same users, other order and path form", again, is(chatId));
    }

    @Test
    void sendAnswersTheStoredMessageWithEveryDeclaredField() throws ApiException {
        String chatId = newChat();
        long before = Instant.now().getEpochSecond();

        Message message = chat.send(message(chatId, "c-1", "Hey Barry 👋").subject("Hello"), null).getMessage();

        assertThat("id", UUID.fromString(message.getId()), notNullValue());
        assertThat("client_id", message.getClientId(), is("c-1"));
        assertThat("chat_id", message.getChatId(), is(chatId));
        assertThat("user_id", message.getUserId(), is(john));
        assertThat("subject", message.getSubject(), is("Hello"));
        assertThat("text, emoji included", message.getText(), is("Hey Barry 👋"));
        assertThat("sent_at in Unix seconds", message.getSentAt(),
                allOf(greaterThanOrEqualTo(before - 1), lessThanOrEqualTo(Instant.now().getEpochSecond() + 1)));
        assertThat("seq of the first message", message.getSeq(), is(1L));
    }

    @Test
    void sendRetriedWithTheSameClientIdStoresOneMessage() throws ApiException {
        String chatId = newChat();

        Message first = chat.send(message(chatId, "retry-1", "Hi"), null).getMessage();
        Message retry = chat.chatSend(message(chatId, "retry-1", "Hi"), null).getMessage();

        assertThat("the retry answers the stored message", retry.getId(), is(first.getId()));
        assertThat("same seq", retry.getSeq(), is(first.getSeq()));
        assertThat("stored once", seqs(chat.history(new HistoryRequest().chatId(chatId), null).getMessages()),
                contains(1L));
    }

    @Test
    void sendOnAConnectionStoresLikeSendOnBothPathForms() throws ApiException {
        String chatId = newChat();

        Message first = chat.connectSend(message(chatId, "conn-1", "over Connect"), null).getMessage();
        Message retry = chat.chatConnectSend(message(chatId, "conn-1", "over Connect"), null).getMessage();

        assertThat("seq", first.getSeq(), is(1L));
        assertThat("the retry answers the stored message", retry.getId(), is(first.getId()));
        assertThat("stored once", seqs(chat.history(new HistoryRequest().chatId(chatId), null).getMessages()),
                contains(1L));
    }

    @Test
    void historyPagesBackWithBeforeAndCatchesUpWithAfter() throws ApiException {
        String chatId = newChat();
        for (int i = 1; i <= 5; i++) {
            chat.send(message(chatId, "c" + i, "message " + i), null);
        }

        var newest = chat.history(new HistoryRequest().chatId(chatId).limit(2), null).getMessages();
        var older = chat.chatHistory(new HistoryRequest().chatId(chatId).limit(2).before(4L), null).getMessages();
        var oldest = chat.history(new HistoryRequest().chatId(chatId).limit(2).before(2L), null).getMessages();
        var caughtUp = chat.chatHistory(new HistoryRequest().chatId(chatId).after(3L), null).getMessages();

        assertThat("newest page", seqs(newest), contains(4L, 5L));
        assertThat("page before 4", seqs(older), contains(2L, 3L));
        assertThat("page before 2", seqs(oldest), contains(1L));
        assertThat("texts follow seq", oldest.get(0).getText(), is("message 1"));
        assertThat("after 3", seqs(caughtUp), contains(4L, 5L));
    }

    @Test
    void sentAtAndSeqAreInt64InTheClient() throws NoSuchMethodException {
        assertThat("sent_at outlives 2038", returnType(Message.class, "getSentAt"), is("java.lang.Long"));
        assertThat("seq", returnType(Message.class, "getSeq"), is("java.lang.Long"));
        assertThat("before", returnType(HistoryRequest.class, "getBefore"), is("java.lang.Long"));
        assertThat("after", returnType(HistoryRequest.class, "getAfter"), is("java.lang.Long"));
    }

    private static String returnType(Class<?> model, String getter) throws NoSuchMethodException {
        return model.getMethod(getter).getReturnType().getName();
    }

    @Test
    void errorIsReadAsMicroErrorFromTheExceptionBody() throws Exception {
        String chatId = newChat();

        ApiException failure = assertThrows(ApiException.class,
                () -> chat.send(new SendRequest().chatId(chatId).userId(john).text(null), null));
        MicroError error = json.readValue(failure.getResponseBody(), MicroError.class);

        assertThat("HTTP status", failure.getCode(), is(400));
        assertThat("id", error.getId(), is("chat.Send.MissingText"));
        assertThat("code", error.getCode(), is(400));
        assertThat("detail", error.getDetail(), is("text is required"));
        assertThat("status", error.getStatus(), is("Bad Request"));
    }

    @Test
    void unknownChatIsReadAsNotFoundMicroError() throws Exception {
        String unknown = UUID.randomUUID().toString();

        ApiException failure = assertThrows(ApiException.class,
                () -> chat.chatHistory(new HistoryRequest().chatId(unknown), null));
        MicroError error = json.readValue(failure.getResponseBody(), MicroError.class);

        assertThat("HTTP status", failure.getCode(), is(404));
        assertThat("id", error.getId(), is("chat.History.InvalidChatID"));
        assertThat("code", error.getCode(), is(404));
        assertThat("status", error.getStatus(), is("Not Found"));
    }

    @Test
    void connectRefusalIsReadAsMicroErrorWithQueryParameters() throws Exception {
        String unknown = UUID.randomUUID().toString();

        ApiException failure = assertThrows(ApiException.class,
                () -> stream.connect(unknown, john, true, 0L, null, null, null, null));
        MicroError error = json.readValue(failure.getResponseBody(), MicroError.class);

        assertThat("HTTP status", failure.getCode(), is(404));
        assertThat("id", error.getId(), is("chat.Connect.InvalidChatID"));
    }

    @Test
    void connectRefusalIsReadAsMicroErrorWithHeaderParameters() throws Exception {
        String chatId = newChat();

        ApiException failure = assertThrows(ApiException.class,
                () -> stream.chatConnect(null, null, null, null, "not-a-seq", chatId, john, null));
        MicroError error = json.readValue(failure.getResponseBody(), MicroError.class);

        assertThat("HTTP status", failure.getCode(), is(400));
        assertThat("id: the chat-id and user-id headers arrived, the cursor was refused", error.getId(),
                is("chat.Connect.InvalidLastEventID"));
    }
}
