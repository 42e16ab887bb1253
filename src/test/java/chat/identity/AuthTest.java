package chat.identity;

import chat.Api;
import chat.SseClient;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.config.mp.MpConfigSources;
import io.helidon.microprofile.testing.AddConfig;
import io.helidon.microprofile.testing.AddConfigSource;
import io.helidon.microprofile.testing.junit5.HelidonTest;
import jakarta.inject.Inject;
import jakarta.ws.rs.client.WebTarget;
import org.eclipse.microprofile.config.spi.ConfigSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static chat.Api.assertError;
import static chat.Api.user;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;

/** The service with a key configured: who may do what, in which namespace, and how sessions and streams end. */
@HelidonTest
@AddConfig(key = "mp.jwt.verify.issuer", value = TestTokens.ISSUER)
@AddConfig(key = "mp.jwt.verify.audiences", value = TestTokens.AUDIENCE)
@AddConfig(key = "mp.jwt.verify.clock.skew", value = "0")
class AuthTest {

    static final TestTokens KEYS = TestTokens.rsa();
    static final TestTokens STRANGER = TestTokens.rsa();
    private static final Duration WAIT = Duration.ofSeconds(10);

    @AddConfigSource
    static ConfigSource key() {
        return MpConfigSources.create(Map.of("mp.jwt.verify.publickey", KEYS.publicKeyPem()));
    }

    @Inject
    WebTarget target;

    Api api;
    URI base;
    String john;
    String barry;
    String eve;

    @BeforeEach
    void users() {
        base = target.getUri();
        api = new Api(base);
        john = user("John");
        barry = user("Barry");
        eve = user("Eve");
    }

    private Api.Reply post(String path, Object body, String token, String... headers) {
        var request = HttpRequest.newBuilder(api.uri(path)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body instanceof String text ? text : Api.write(body)));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return api.send(request.build());
    }

    private String newChat(String token, String... users) {
        var body = Api.object();
        body.putArray("user_ids").addAll(List.of(users).stream().map(Api.JSON::valueToTree)
                .map(JsonNode.class::cast).toList());
        Api.Reply reply = post("/chat/New", body, token);
        assertThat("New: " + reply.body(), reply.status(), is(200));
        return reply.json().get("chat_id").asText();
    }

    private ObjectNode message(String chatId, String text) {
        return Api.object().put("chat_id", chatId).put("text", text);
    }

    private SseClient connect(String chatId, String token, String extra) throws Exception {
        Map<String, String> headers = new HashMap<>();
        if (token != null) {
            headers.put("Authorization", "Bearer " + token);
        }
        return SseClient.open(base, "/chat/Connect?chat_id=" + chatId + extra, headers);
    }

    private static void assertUnauthorized(Api.Reply reply, String token) {
        assertError(reply, 401, "chat.Unauthorized");
        assertThat("WWW-Authenticate", reply.header("WWW-Authenticate"), startsWith("Bearer"));
        if (token != null) {
            assertThat("the token is never echoed", reply.body(), not(containsString(token)));
        }
    }

    @Test
    void withoutATokenEveryCallIs401() throws Exception {
        String chatId = newChat(KEYS.token(john), john, barry);
        assertUnauthorized(post("/chat/New", "{\"user_ids\":[\"" + john + "\"]}", null), null);
        assertUnauthorized(post("/chat/Send", message(chatId, "hi").put("user_id", john), null), null);
        assertUnauthorized(post("/chat/Chat/History", Api.object().put("chat_id", chatId), null), null);
        assertUnauthorized(post("/chat/Connect", message(chatId, "hi").put("user_id", john), null), null);
        assertUnauthorized(api.get("/chat/Session"), null);
        try (SseClient stream = connect(chatId, null, "&user_id=" + john)) {
            assertThat("stream status", stream.status(), is(401));
            assertThat("id", Api.JSON.readTree(stream.errorBody()).get("id").asText(), is("chat.Unauthorized"));
            assertThat("WWW-Authenticate", stream.header("WWW-Authenticate"), startsWith("Bearer"));
        }
    }

    @Test
    void everyKindOfBadTokenIs401() {
        long now = Instant.now().getEpochSecond();
        Map<String, String> bad = new java.util.LinkedHashMap<>();
        bad.put("signed by another key", STRANGER.token(john));
        bad.put("alg none", TestTokens.unsigned(TestTokens.claims(john)));
        bad.put("HMAC with the public key", KEYS.hmacWithThePublicKey(TestTokens.claims(john)));
        bad.put("expired", KEYS.sign(TestTokens.claims(john).put("exp", now - 600)));
        bad.put("not yet valid", KEYS.sign(TestTokens.claims(john).put("nbf", now + 600)));
        bad.put("another issuer", KEYS.sign(TestTokens.claims(john).put("iss", "https://someone.else")));
        bad.put("another audience", KEYS.withAudience(john, "another-service"));
        bad.put("not a JWT", "not-a-token");
        bad.put("no expiry", KEYS.sign(TestTokens.claims(john).without("exp")));
        Map<String, String> details = new java.util.LinkedHashMap<>();
        bad.forEach((kind, token) -> {
            Api.Reply reply = post("/chat/New", "{\"user_ids\":[\"" + john + "\"]}", token);
            assertThat(kind + ": " + reply.body(), reply.status(), is(401));
            assertUnauthorized(reply, token);
            details.put(kind, reply.json().get("detail").asText());
        });
        assertThat("each kind is named", details.values().stream().distinct().count(), is((long) details.size()));
    }

    @Test
    void aTokenInTheQueryStringIsIgnored() throws Exception {
        String token = KEYS.token(john);
        String chatId = newChat(token, john, barry);
        try (SseClient stream = connect(chatId, null, "&user_id=" + john + "&access_token=" + token
                + "&token=" + token)) {
            assertThat("only headers and the cookie count", stream.status(), is(401));
        }
    }

    @Test
    void anEndUserActsOnlyAsTheTokensSubject() {
        String token = KEYS.token(john);
        String chatId = newChat(token, john, barry);

        Api.Reply implied = post("/chat/Send", message(chatId, "hi"), token);
        assertThat("user_id filled from the token: " + implied.body(), implied.status(), is(200));
        assertThat("sender", implied.json().get("message").get("user_id").asText(), is(john));

        Api.Reply same = post("/chat/Send", message(chatId, "again").put("user_id", john), token);
        assertThat("naming oneself", same.status(), is(200));

        assertError(post("/chat/Send", message(chatId, "as Barry").put("user_id", barry), token), 403,
                "chat.Send.Forbidden");
        assertError(post("/chat/Connect", message(chatId, "as Barry").put("user_id", barry), token), 403,
                "chat.Connect.Forbidden");
        assertError(post("/chat/New", "{\"user_ids\":[\"" + barry + "\",\"" + eve + "\"]}", token), 403,
                "chat.New.Forbidden");
    }

    @Test
    void onlyMembersSendReadAndFollow() throws Exception {
        String chatId = newChat(KEYS.token(john), john, barry);
        String outsider = KEYS.token(eve);

        assertError(post("/chat/Send", message(chatId, "let me in"), outsider), 403, "chat.Send.Forbidden");
        assertError(post("/chat/Chat/Connect", message(chatId, "let me in"), outsider), 403, "chat.Connect.Forbidden");
        assertError(post("/chat/History", Api.object().put("chat_id", chatId), outsider), 403,
                "chat.History.Forbidden");
        try (SseClient stream = connect(chatId, outsider, "")) {
            assertThat("stream", stream.status(), is(403));
            assertThat(Api.JSON.readTree(stream.errorBody()).get("id").asText(), is("chat.Connect.Forbidden"));
        }
        Api.Reply history = post("/chat/History", Api.object().put("chat_id", chatId), KEYS.token(barry));
        assertThat("a member reads", history.status(), is(200));
    }

    @Test
    void membersAndOutsidersSendingAtOnceEachGetTheirOwnAnswer() throws Exception {
        String chatId = newChat(KEYS.token(john), john, barry);
        List<String> tokens = List.of(KEYS.token(john), KEYS.token(barry), KEYS.token(eve));
        java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
        var replies = chat.Concurrently.run(30, () -> {
            int n = next.getAndIncrement();
            return Map.entry(n % 3, post("/chat/Send", message(chatId, "n" + n), tokens.get(n % 3)));
        });
        java.util.TreeSet<Long> seqs = new java.util.TreeSet<>();
        for (var reply : replies) {
            if (reply.getKey() == 2) {
                assertError(reply.getValue(), 403, "chat.Send.Forbidden");
            } else {
                assertThat("a member: " + reply.getValue().body(), reply.getValue().status(), is(200));
                seqs.add(reply.getValue().json().get("message").get("seq").asLong());
            }
        }
        assertThat("the members' 20 messages, no seq taken by the outsider", seqs,
                contains(java.util.stream.LongStream.rangeClosed(1, 20).boxed().toArray(Long[]::new)));
    }

    @Test
    void aBackendActsForMembersOnly() {
        String backend = KEYS.sign(TestTokens.backendClaims("app-server"));
        String chatId = newChat(backend, john, barry);

        Api.Reply forMember = post("/chat/Send", message(chatId, "on behalf").put("user_id", john), backend);
        assertThat("for a member: " + forMember.body(), forMember.status(), is(200));
        assertThat("sent as the named user", forMember.json().get("message").get("user_id").asText(), is(john));

        assertError(post("/chat/Send", message(chatId, "for an outsider").put("user_id", eve), backend), 403,
                "chat.Send.Forbidden");
        assertError(post("/chat/Send", message(chatId, "for nobody"), backend), 400, "chat.Send.MissingUserID");
        assertError(post("/chat/History", Api.object().put("chat_id", chatId), backend), 400,
                "chat.History.MissingUserID");
        Api.Reply read = post("/chat/History", Api.object().put("chat_id", chatId).put("user_id", barry), backend);
        assertThat("reads for a member", read.status(), is(200));
        assertThat("the message", read.json().get("messages").size(), is(1));
        assertError(post("/chat/History", Api.object().put("chat_id", chatId).put("user_id", eve), backend), 403,
                "chat.History.Forbidden");
    }

    @Test
    void namespacesKeepTheirChatsApart() throws Exception {
        String inMicro = KEYS.token(john);
        String inAcme = KEYS.sign(TestTokens.claims(john).put("namespace", "acme"));
        String micro = newChat(inMicro, john, barry);
        String acme = newChat(inAcme, john, barry);
        assertThat("the same users, two chats", acme, not(is(micro)));
        assertThat("still idempotent within a namespace", newChat(inAcme, barry, john), is(acme));

        assertError(post("/chat/Send", message(micro, "across"), inAcme), 404, "chat.Send.InvalidChatID");
        assertError(post("/chat/History", Api.object().put("chat_id", micro), inAcme), 404,
                "chat.History.InvalidChatID");
        assertError(post("/chat/Connect", message(micro, "across"), inAcme), 404, "chat.Connect.InvalidChatID");
        try (SseClient stream = connect(micro, inAcme, "")) {
            assertThat("stream", stream.status(), is(404));
            assertThat(Api.JSON.readTree(stream.errorBody()).get("id").asText(), is("chat.Connect.InvalidChatID"));
        }
        Api.Reply unknown = post("/chat/History", Api.object().put("chat_id", UUID.randomUUID().toString()), inAcme);
        assertError(unknown, 404, "chat.History.InvalidChatID");

        assertError(post("/chat/History", Api.object().put("chat_id", acme), inAcme, "micro-namespace", "micro"), 403,
                "chat.History.Forbidden");
        Api.Reply matching = post("/chat/History", Api.object().put("chat_id", acme), inAcme,
                "micro-namespace", "acme");
        assertThat("a matching header", matching.status(), is(200));
    }

    @Test
    void aSessionCookieCarriesTheTokenForEventSource() throws Exception {
        ObjectNode claims = TestTokens.claims(john);
        String token = KEYS.sign(claims);
        String chatId = newChat(token, john, barry);

        Api.Reply started = post("/chat/Session", "", token);
        assertThat("started: " + started.body(), started.status(), is(204));
        String cookie = started.header("Set-Cookie");
        assertThat("cookie", cookie, startsWith("chat_session=" + token + ";"));
        assertThat("HttpOnly", cookie, containsString("; HttpOnly"));
        assertThat("Path", cookie, containsString("; Path=/chat"));
        assertThat("SameSite", cookie, containsString("; SameSite=Strict"));
        assertThat("not Secure over plain http", cookie, not(containsString("Secure")));
        long maxAge = Long.parseLong(cookie.replaceAll(".*Max-Age=(\\d+).*", "$1"));
        assertThat("Max-Age is the token's remaining life", maxAge > 3500 && maxAge <= 3600, is(true));

        Api.Reply who = api.send(HttpRequest.newBuilder(api.uri("/chat/Session"))
                .header("Cookie", "chat_session=" + token).GET().build());
        assertThat("who: " + who.body(), who.status(), is(200));
        assertThat("user", who.json().get("user_id").asText(), is(john));
        assertThat("namespace", who.json().get("namespace").asText(), is("micro"));
        assertThat("expires", who.json().get("expires_at").asLong(), is(claims.get("exp").asLong()));
        assertThat("fields", who.json().size(), is(3));

        try (SseClient stream = SseClient.open(base, "/chat/Connect?chat_id=" + chatId,
                Map.of("Cookie", "chat_session=" + token))) {
            assertThat("a stream on the cookie", stream.status(), is(200));
            post("/chat/Send", message(chatId, "to John"), KEYS.token(barry));
            SseClient.Event event = stream.nextMessage(WAIT);
            assertThat("delivered", event, notNullValue());
        }

        Api.Reply cookieOnly = api.send(HttpRequest.newBuilder(api.uri("/chat/Session"))
                .header("Cookie", "chat_session=" + token).POST(HttpRequest.BodyPublishers.noBody()).build());
        assertError(cookieOnly, 401, "chat.Unauthorized");

        Api.Reply ended = api.send(HttpRequest.newBuilder(api.uri("/chat/Session"))
                .header("Cookie", "chat_session=expired-or-garbage").DELETE().build());
        assertThat("signing out needs no valid token", ended.status(), is(204));
        assertThat("cleared", ended.header("Set-Cookie"), startsWith("chat_session=; Max-Age=0;"));
    }

    @Test
    void aStreamEndsWhenItsTokenExpiresAndAFreshOneResumesExactly() throws Exception {
        String chatId = newChat(KEYS.token(john), john, barry);
        String shortLived = KEYS.sign(TestTokens.claims(john).put("exp", Instant.now().getEpochSecond() + 2));
        String cursor;
        try (SseClient stream = connect(chatId, shortLived, "")) {
            assertThat(stream.status(), is(200));
            cursor = stream.next(WAIT).id();
            Instant until = Instant.now().plusSeconds(8);
            while (!stream.ended() && Instant.now().isBefore(until)) {
                Thread.sleep(50);
            }
            assertThat("the server ended the stream at expiry", stream.ended(), is(true));
        }
        String barrys = KEYS.token(barry);
        long first = post("/chat/Send", message(chatId, "while away 1"), barrys).json().get("message").get("seq").asLong();
        long second = post("/chat/Send", message(chatId, "while away 2"), barrys).json().get("message").get("seq").asLong();
        try (SseClient again = SseClient.open(base, "/chat/Connect?chat_id=" + chatId,
                Map.of("Authorization", "Bearer " + KEYS.token(john), "Last-Event-ID", cursor))) {
            assertThat("resumed", again.status(), is(200));
            List<Long> seqs = again.messagesUntilQuiet(Duration.ofMillis(1500)).stream()
                    .map(event -> Long.parseLong(event.id())).toList();
            assertThat("nothing lost", seqs, contains(first, second));
        }
        assertUnauthorized(post("/chat/Send", message(chatId, "too late"), shortLived), shortLived);
    }
}
