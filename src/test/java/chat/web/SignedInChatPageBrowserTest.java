package chat.web;

import chat.Api;
import chat.ServiceProcess;
import chat.identity.TestTokens;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static chat.Api.user;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.is;

/**
 * The chat page of a service started with a public key (authentication on), in two headless Chromiums: each person
 * signs in by pasting a token (signed in the test by a key pair made here), and from then on the page works on the
 * session cookie alone (fetch and EventSource of the service's own origin carry it). A stream the server ends when
 * its token expires, and a call answered 401, bring the sign-in box back, and after signing in again the page goes
 * on where it was: nothing sent meanwhile is missed, nothing typed is lost. A page of another origin that is listed
 * in {@code chat.cors.allowed-origins} uses the cookie ({@code EventSource(url, {withCredentials: true})},
 * {@code fetch(..., {credentials: 'include'})}); a page of an unlisted origin on the same site, whose requests the
 * browser sends with the cookie, is refused. Screenshots under {@code target/browser/}.
 */
@ExtendWith(Browser.Installed.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SignedInChatPageBrowserTest {

    private static final TestTokens KEYS = TestTokens.rsa();

    private ServiceProcess service;
    /** Serves src/test/resources/web/session-origin.html from an origin the service lists. */
    private HttpServer allowedOrigin;
    /** The same page from an origin it does not list (another port of the same host, so the same site). */
    private HttpServer foreignOrigin;
    private int port;
    private Api api;
    private String backend;
    private Browser alice;
    private Browser bob;

    @BeforeAll
    void start() throws Exception {
        Browser.Binaries binaries = Browser.binaries();
        Path evidence = Browser.evidence();
        Path serviceData = Files.createTempDirectory(evidence, "signed-in-service-");
        Path publicKey = serviceData.resolve("public.pem");
        Files.writeString(publicKey, KEYS.publicKeyPem());
        allowedOrigin = Browser.servePage("/web/session-origin.html");
        foreignOrigin = Browser.servePage("/web/session-origin.html");
        port = ServiceProcess.freePort();
        service = ServiceProcess.start(serviceData, port,
                Map.of("MP_JWT_VERIFY_PUBLICKEY_LOCATION", publicKey.toAbsolutePath().toString()),
                "-Dchat.cors.allowed-origins=" + origin(allowedOrigin));
        api = service.api();
        backend = KEYS.sign(TestTokens.backendClaims("page-test"));
        alice = Browser.open(binaries, "alice", evidence, 1100, 800);
        bob = Browser.open(binaries, "bob", evidence, 412, 860);
    }

    /** Its origin as the browser names it: localhost, like the service's, so the session cookie goes with it. */
    private static String origin(HttpServer server) {
        return "http://localhost:" + server.getAddress().getPort();
    }

    @AfterAll
    void stop() {
        Browser.closeAll(new HttpServer[] {allowedOrigin, foreignOrigin}, alice, bob, service);
    }

    private URI page() {
        return URI.create("http://localhost:" + port + "/");
    }

    private Api.Reply post(String path, ObjectNode body, String token) {
        return api.send(HttpRequest.newBuilder(api.uri(path)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.ofString(Api.write(body))).build());
    }

    /** A chat of these users, made by the backend; returns its id. */
    private String newChat(String... users) {
        ObjectNode body = Api.object();
        body.putArray("user_ids").addAll(List.of(users).stream().map(Api.JSON::valueToTree)
                .map(JsonNode.class::cast).toList());
        Api.Reply reply = post("/chat/New", body, backend);
        assertThat("New: " + reply.body(), reply.status(), is(200));
        return reply.json().get("chat_id").asText();
    }

    private void send(String chatId, String userId, String text) {
        Api.Reply reply = post("/chat/Send", Api.object().put("chat_id", chatId).put("user_id", userId)
                .put("text", text), backend);
        assertThat("Send: " + reply.body(), reply.status(), is(200));
    }

    /** The chat as the server has it, read by the backend for a member: "seq user: text", oldest first. */
    private List<String> stored(String chatId, String member) {
        Api.Reply reply = post("/chat/History", Api.object().put("chat_id", chatId).put("user_id", member)
                .put("limit", 1000), backend);
        assertThat("History: " + reply.body(), reply.status(), is(200));
        List<String> rows = new ArrayList<>();
        for (JsonNode message : reply.json().get("messages")) {
            rows.add(message.get("seq").asText() + " " + message.get("user_id").asText() + ": "
                    + message.get("text").asText());
        }
        return rows;
    }

    /** The chat as a page shows it, in the same form (the page marks the user's own messages as "me"). */
    private static List<String> shown(Browser browser, String me, String other) {
        return browser.messages().stream()
                .map(m -> (m.pending() ? "(sending)" : m.seq()) + " " + (m.userId().equals("me") ? me : other)
                        + ": " + m.text())
                .toList();
    }

    private void waitUntilShowsExactly(Browser browser, String chatId, String me, String other) {
        browser.waitFor("the page shows exactly the stored messages " + stored(chatId, me), Duration.ofSeconds(30),
                d -> shown(browser, me, other).equals(stored(chatId, me)));
    }

    /** A token that expires in {@code seconds}. */
    private static String expiringIn(String user, long seconds) {
        return KEYS.sign(TestTokens.claims(user).put("exp", Instant.now().getEpochSecond() + seconds));
    }

    @Test
    @Order(1)
    void twoUsersSignInWithTokensAndChatOnTheirSessions() throws Exception {
        String aliceId = user("Alice");
        String bobId = user("Bob");

        alice.signInWithToken(page(), KEYS.token(aliceId));
        assertThat("the page knows who she is", alice.text("who"), is(aliceId));
        String chatId = alice.startChat(bobId);
        bob.signInWithToken(page(), KEYS.token(bobId));
        assertThat("the page knows who he is", bob.text("who"), is(bobId));
        assertThat("the same chat for both", bob.startChat(aliceId), is(chatId));

        alice.type("Hello Bob, signed in");
        bob.waitFor("Alice's message arrives on his stream", d -> bob.count("Hello Bob, signed in") == 1);
        bob.type("Hi Alice!");
        alice.waitFor("Bob's answer arrives on her stream", d -> alice.count("Hi Alice!") == 1);
        waitUntilShowsExactly(alice, chatId, aliceId, bobId);
        waitUntilShowsExactly(bob, chatId, bobId, aliceId);
        alice.screenshot("signed-in-conversation");
        bob.screenshot("signed-in-conversation");

        assertThat("stored as the signed-in users", stored(chatId, aliceId),
                contains("1 " + aliceId + ": Hello Bob, signed in", "2 " + bobId + ": Hi Alice!"));
        assertThat("the user-id box stays hidden", alice.displayed("user-id"), is(false));
    }

    private URI sessionPage(HttpServer server, String chatId, String text, boolean forge) {
        return URI.create(origin(server) + "/session-origin.html?api=http://localhost:" + port + "&chat_id=" + chatId
                + "&text=" + URLEncoder.encode(text, StandardCharsets.UTF_8) + (forge ? "&forge=1" : ""));
    }

    @Test
    @Order(2)
    void aPageOfAnAllowedOriginUsesTheSessionCookie() throws Exception {
        String aliceId = user("Alice");
        String chatId = newChat(aliceId, user("Eve"));
        alice.signInWithToken(page(), KEYS.token(aliceId));

        alice.open(sessionPage(allowedOrigin, chatId, "from an allowed origin", false));
        alice.waitFor("the credentialed send answered", d -> alice.text("sent").startsWith("sent "));
        alice.waitFor("the credentialed stream delivered it",
                d -> alice.text("events").equals(aliceId + ": from an allowed origin"));
        alice.waitFor("both session probes answered", d -> !alice.text("anonymous").equals("asking")
                && !alice.text("who").equals("asking"));
        alice.screenshot("session-other-origin-allowed");

        assertThat("without credentials the cookie is not sent", alice.text("anonymous"), is("401"));
        assertThat("with credentials it is", alice.text("who"), is("200 " + aliceId));
        assertThat("POST with JSON and the cookie, after its preflight", alice.text("sent"),
                is("sent 200 seq 1 as " + aliceId));
        assertThat("EventSource withCredentials", alice.text("stream"), is("open"));
        assertThat("stored", stored(chatId, aliceId), contains("1 " + aliceId + ": from an allowed origin"));
    }

    @Test
    @Order(3)
    void aPageOfAForeignOriginIsRefusedThoughTheBrowserSendsTheCookie() throws Exception {
        String aliceId = user("Alice");
        String chatId = newChat(aliceId, user("Eve"));
        send(chatId, aliceId, "already there");
        alice.signInWithToken(page(), KEYS.token(aliceId));

        alice.open(sessionPage(foreignOrigin, chatId, "from a foreign origin", true));
        alice.waitFor("the send refused", d -> alice.text("sent").startsWith("blocked"));
        alice.waitFor("the stream refused", d -> alice.text("stream").equals("blocked"));
        alice.waitFor("the session probe refused", d -> alice.text("who").startsWith("blocked"));
        alice.waitFor("the forged post went out", d -> alice.text("forged").equals("posted"));
        alice.screenshot("session-other-origin-refused");

        assertThat("no event reached the page", alice.text("events"), is(""));
        assertThat("neither the send nor the forged post was stored", stored(chatId, aliceId),
                contains("1 " + aliceId + ": already there"));
    }

    @Test
    @Order(4)
    void aStreamEndedAtTokenExpiryAsksToSignInAgainAndResumesWithNothingMissed() throws Exception {
        String aliceId = user("Alice");
        String bobId = user("Bob");
        alice.signInWithToken(page(), KEYS.token(aliceId));
        String chatId = alice.startChat(bobId);
        alice.type("before the expiry");
        bob.signInWithToken(page(), expiringIn(bobId, 8));
        bob.startChat(aliceId);
        bob.waitFor("the first message shown", d -> bob.count("before the expiry") == 1);

        bob.waitFor("asked to sign in again once the token expired", Duration.ofSeconds(30),
                d -> bob.displayed("token"));
        assertThat("the chat is hidden behind the sign-in box", bob.displayed("text"), is(false));
        assertThat("the phone-sized page does not scroll sideways", bob.script(
                "return document.documentElement.scrollWidth <= window.innerWidth;"), is(true));
        bob.screenshot("session-expired");
        alice.type("while Bob was away 1");
        alice.type("while Bob was away 2");
        alice.waitFor("both sent", d -> stored(chatId, aliceId).size() == 3);

        bob.pasteToken(KEYS.token(bobId));
        bob.waitUntilLive();
        waitUntilShowsExactly(bob, chatId, bobId, aliceId);
        bob.screenshot("session-resumed");

        assertThat("Bob's page: every message once, in seq order", shown(bob, bobId, aliceId),
                contains("1 " + aliceId + ": before the expiry", "2 " + aliceId + ": while Bob was away 1",
                        "3 " + aliceId + ": while Bob was away 2"));
        bob.type("back again");
        alice.waitFor("Bob's stream and sends work again", d -> alice.count("back again") == 1);
    }

    @Test
    @Order(5)
    void aCallAnswered401AsksToSignInAgainAndThenSendsWhatWasTyped() throws Exception {
        String aliceId = user("Alice");
        String bobId = user("Bob");
        alice.signInWithToken(page(), KEYS.token(aliceId));
        String chatId = alice.startChat(bobId);

        // The session ends behind the page's back (as when its cookie expires); the open stream goes on.
        alice.script("return fetch('/chat/Session', {method: 'DELETE'}).then(r => r.status);");
        alice.type("typed after the session ended");
        alice.waitFor("asked to sign in again", d -> alice.displayed("token"));
        assertThat("nothing stored yet", stored(chatId, aliceId), is(List.of()));
        alice.screenshot("session-401");

        alice.pasteToken(KEYS.token(aliceId));
        waitUntilShowsExactly(alice, chatId, aliceId, bobId);

        assertThat("sent once, after signing in again", stored(chatId, aliceId),
                contains("1 " + aliceId + ": typed after the session ended"));
        assertThat("shown once", alice.count("typed after the session ended"), is(1L));
    }
}
