package chat.sdk;

import chat.identity.TestTokens;
import chat.sdk.api.ChatApi;
import chat.sdk.api.SessionApi;
import chat.sdk.client.ApiClient;
import chat.sdk.client.ApiException;
import chat.sdk.model.HistoryRequest;
import chat.sdk.model.Message;
import chat.sdk.model.MicroError;
import chat.sdk.model.NewRequest;
import chat.sdk.model.SendRequest;
import chat.sdk.model.Session;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.config.mp.MpConfigSources;
import io.helidon.microprofile.testing.AddConfigSource;
import io.helidon.microprofile.testing.junit5.HelidonTest;
import jakarta.inject.Inject;
import jakarta.ws.rs.client.WebTarget;
import org.eclipse.microprofile.config.spi.ConfigSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static chat.Api.user;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The generated Java client against a service with a public key configured, the token given the way an app gives
 * it to this client: the native library's request interceptor adds {@code Authorization: Bearer <token>} to every
 * call. With a token the calls answer as that user; without one each is a 401 micro error; the
 * {@code micro-namespace} parameter every method takes must be the token's namespace.
 */
@HelidonTest
class GeneratedClientWithTokensTest {

    static final TestTokens KEYS = TestTokens.rsa();

    @AddConfigSource
    static ConfigSource key() {
        return MpConfigSources.create(Map.of("mp.jwt.verify.publickey", KEYS.publicKeyPem()));
    }

    @Inject
    WebTarget target;

    ObjectMapper json;
    String john;
    String barry;

    @BeforeEach
    void users() {
        json = ApiClient.createDefaultObjectMapper()
                .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true)
                .configure(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES, true);
        john = user("John");
        barry = user("Barry");
    }

    /** A client of the service that sends this token with every call (none when null). */
    private ApiClient client(String token) {
        var client = new ApiClient();
        client.updateBaseUri(target.getUri().toString().replaceAll("/+$", ""));
        client.setObjectMapper(json);
        if (token != null) {
            client.setRequestInterceptor(request -> request.header("Authorization", "Bearer " + token));
        }
        return client;
    }

    private MicroError error(ApiException failure) throws Exception {
        return json.readValue(failure.getResponseBody(), MicroError.class);
    }

    @Test
    void withATokenTheCallsActAsItsUser() throws Exception {
        ChatApi chat = new ChatApi(client(KEYS.token(john)));

        String chatId = chat.newChat(new NewRequest().userIds(List.of(john, barry)), "micro").getChatId();
        Message sent = chat.send(new SendRequest().chatId(chatId).clientId("t-1").text("Hey Barry"), null)
                .getMessage();
        var history = chat.history(new HistoryRequest().chatId(chatId), null).getMessages();

        assertThat("user_id left out: the token's user sends", sent.getUserId(), is(john));
        assertThat("seq", sent.getSeq(), is(1L));
        assertThat("read back", history.stream().map(Message::getText).toList(), contains("Hey Barry"));
    }

    @Test
    void theSessionCallsAnswerWhoTheTokenIs() throws Exception {
        ObjectNode claims = TestTokens.claims(john);
        SessionApi sessions = new SessionApi(client(KEYS.sign(claims)));

        Session session = sessions.getSession(null);
        var started = sessions.createSessionWithHttpInfo(null);

        assertThat("user", session.getUserId(), is(john));
        assertThat("namespace", session.getNamespace(), is("micro"));
        assertThat("expires_at", session.getExpiresAt(), is(claims.get("exp").asLong()));
        assertThat("a session is started", started.getStatusCode(), is(204));
        assertThat("its cookie", started.getHeaders().get("set-cookie").get(0), startsWith("chat_session="));
    }

    @Test
    void withoutATokenACallIsA401MicroError() throws Exception {
        ChatApi chat = new ChatApi(client(null));

        ApiException failure = assertThrows(ApiException.class,
                () -> chat.newChat(new NewRequest().userIds(List.of(john, barry)), null));
        MicroError error = error(failure);

        assertThat("HTTP status", failure.getCode(), is(401));
        assertThat("id", error.getId(), is("chat.Unauthorized"));
        assertThat("code", error.getCode(), is(401));
        assertThat("status", error.getStatus(), is("Unauthorized"));
        assertThat("WWW-Authenticate", failure.getResponseHeaders().firstValue("WWW-Authenticate").orElse(""),
                startsWith("Bearer"));
    }

    @Test
    void theNamespaceParameterMustBeTheTokensNamespace() throws Exception {
        ChatApi acme = new ChatApi(client(KEYS.sign(TestTokens.claims(john).put("namespace", "acme"))));
        ChatApi micro = new ChatApi(client(KEYS.token(john)));
        NewRequest users = new NewRequest().userIds(List.of(john, barry));

        String inAcme = acme.newChat(users, "acme").getChatId();
        String inMicro = micro.newChat(users, null).getChatId();
        ApiException mismatch = assertThrows(ApiException.class, () -> acme.newChat(users, "micro"));
        ApiException elsewhere = assertThrows(ApiException.class,
                () -> micro.history(new HistoryRequest().chatId(inAcme), null));

        assertThat("the same users, another chat in another namespace", inAcme, not(is(inMicro)));
        assertThat("a header other than the token's namespace", mismatch.getCode(), is(403));
        assertThat("id", error(mismatch).getId(), is("chat.New.Forbidden"));
        assertThat("another namespace's chat is not found", elsewhere.getCode(), is(404));
        assertThat("id", error(elsewhere).getId(), is("chat.History.InvalidChatID"));
    }

    @Test
    void aBackendTokenSendsForAMember() throws Exception {
        ChatApi chat = new ChatApi(client(KEYS.sign(TestTokens.backendClaims("app-server"))));
        String chatId = chat.newChat(new NewRequest().userIds(List.of(john, barry)), null).getChatId();

        Message sent = chat.send(new SendRequest().chatId(chatId).userId(barry).text("on behalf"), "micro")
                .getMessage();
        ApiException outsider = assertThrows(ApiException.class,
                () -> chat.send(new SendRequest().chatId(chatId).userId(user("Eve")).text("let me in"), null));

        assertThat("sent as the named member", sent.getUserId(), is(barry));
        assertThat("sent_at", Math.abs(sent.getSentAt() - Instant.now().getEpochSecond()) < 60, is(true));
        assertThat("for a non-member", outsider.getCode(), is(403));
        assertThat("id", error(outsider).getId(), is("chat.Send.Forbidden"));
    }
}
