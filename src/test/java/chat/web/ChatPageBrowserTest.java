package chat.web;

import chat.Api;
import chat.ServiceProcess;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static chat.Api.user;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.is;

/**
 * Two people, each in a headless Chromium of their own, use the chat page of a running service: what one types
 * appears for the other and once for the sender, text stays text, older messages load on demand, and after the
 * service is stopped under the open streams and started again, every message sent meanwhile (also one typed
 * while it was down) shows exactly once, in seq order, on both pages. A page of another origin can follow and
 * send once its origin is listed in {@code chat.cors.allowed-origins}, and is kept from both when it is not.
 * Screenshots of the pages are saved under
 * {@code target/browser/}. Skipped where Chromium is not installed, except in CI (see {@link Browser.Installed}):
 * its tests count as skipped and {@link chat.SkipReport} prints why on the console.
 */
@ExtendWith(Browser.Installed.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ChatPageBrowserTest {

    private ServiceProcess service;
    /** Serves a page of another origin (src/test/resources/web/other-origin.html) that uses the API. */
    private HttpServer otherOrigin;
    private Path serviceData;
    private int port;
    private Browser alice;
    private Browser bob;
    private Path evidence;

    @BeforeAll
    void start() throws Exception {
        Browser.Binaries binaries = Browser.binaries();
        evidence = Browser.evidence();
        serviceData = Files.createTempDirectory(evidence, "service-");
        port = ServiceProcess.freePort();
        otherOrigin = Browser.servePage("/web/other-origin.html");
        startService();
        alice = Browser.open(binaries, "alice", evidence, 1100, 800);
        bob = Browser.open(binaries, "bob", evidence, 412, 860);
    }

    @AfterAll
    void stop() {
        Browser.closeAll(new HttpServer[] {otherOrigin}, alice, bob, service);
    }

    private void startService() throws Exception {
        service = ServiceProcess.start(serviceData, port, Map.of(),
                "-Dchat.cors.allowed-origins=http://127.0.0.1:" + otherOrigin.getAddress().getPort());
    }

    private URI page() {
        return URI.create("http://localhost:" + port + "/");
    }

    /** Both sign in as new users and open their chat; returns its id, checked to be the same for both. */
    private String bothInOneChat(String aliceId, String bobId) {
        alice.signIn(page(), aliceId);
        String chatId = alice.startChat(bobId);
        bob.signIn(page(), bobId);
        assertThat("the same chat for both", bob.startChat(aliceId), is(chatId));
        return chatId;
    }

    /** The chat as the server has it: "seq text" per message, oldest first. */
    private List<String> stored(String chatId) {
        List<String> rows = new ArrayList<>();
        for (JsonNode message : service.api().history(Api.object().put("chat_id", chatId).put("limit", 1000))) {
            rows.add(message.get("seq").asText() + " " + message.get("text").asText());
        }
        return rows;
    }

    /** The chat as a page shows it, in the same form; an element still sending has no seq. */
    private static List<String> shown(Browser browser) {
        return browser.messages().stream()
                .map(m -> (m.pending() ? "(sending)" : m.seq()) + " " + m.text())
                .toList();
    }

    private void waitUntilShowsExactly(Browser browser, String chatId, Duration timeout) {
        browser.waitFor("the page shows exactly the stored messages " + stored(chatId), timeout,
                d -> shown(browser).equals(stored(chatId)));
    }

    @Test
    @Order(1)
    void messageTypedInOneBrowserAppearsInTheOtherAndOnceForTheSender() throws Exception {
        String chatId = bothInOneChat(user("Alice"), user("Bob"));

        alice.type("Hello Bob, ça va?");
        bob.waitFor("Alice's message arrives", d -> bob.count("Hello Bob, ça va?") == 1);
        bob.type("Hi Alice!");
        alice.waitFor("Bob's answer arrives", d -> alice.count("Hi Alice!") == 1);
        waitUntilShowsExactly(alice, chatId, Duration.ofSeconds(10));
        waitUntilShowsExactly(bob, chatId, Duration.ofSeconds(10));
        alice.screenshot("conversation");
        bob.screenshot("conversation");

        assertThat("stored", stored(chatId), contains("1 Hello Bob, ça va?", "2 Hi Alice!"));
        assertThat("the sender sees hers once", alice.count("Hello Bob, ça va?"), is(1L));
        assertThat("the sender's page", shown(alice), is(stored(chatId)));
        assertThat("the receiver's page", shown(bob), is(stored(chatId)));
    }

    @Test
    @Order(2)
    void textIsShownAsTextWithEmojiAndLongLinesWrapped() throws Exception {
        String chatId = bothInOneChat(user("Alice"), user("Bob"));
        String markup = "<b>bold?</b> <img src=x onerror=\"document.title='pwned'\"> 👋🏽 naïve 中文";
        String longWord = "x".repeat(3000);

        alice.type(longWord);
        alice.paste(markup);
        bob.waitFor("both messages arrive", d -> bob.count(markup) == 1 && bob.count(longWord) == 1);
        bob.screenshot("text");

        assertThat("text shown as written", shown(bob), is(stored(chatId)));
        assertThat("no <b> element made from the text", bob.elementsIn("b"), is(0));
        assertThat("no <img> element made from the text", bob.elementsIn("img"), is(0));
        assertThat("no script ran", bob.script("return document.title;"), is("chat"));
        assertThat("the long message wraps inside its bubble", bob.script(
                "const t = [...document.querySelectorAll('#messages .text')].pop();"
                        + " return t.scrollWidth <= t.clientWidth;"), is(true));
        assertThat("the phone-sized page does not scroll sideways", bob.script(
                "return document.documentElement.scrollWidth <= window.innerWidth;"), is(true));
    }

    @Test
    @Order(3)
    void olderMessagesLoadOnDemand() throws Exception {
        String aliceId = user("Alice");
        String carolId = user("Carol");
        Api api = service.api();
        String chatId = api.newChat(aliceId, carolId);
        for (int i = 1; i <= 60; i++) {
            api.send(chatId, i % 2 == 0 ? aliceId : carolId, "c" + i, "message " + i);
        }

        alice.signIn(page(), aliceId);
        alice.startChat(carolId);
        alice.waitFor("the newest page shown", d -> alice.messages().size() == 50);
        assertThat("'load older' offered", alice.olderShown(), is(true));
        assertThat("the newest 50", shown(alice), is(stored(chatId).subList(10, 60)));

        alice.loadOlder();
        alice.waitFor("older messages shown", d -> alice.messages().size() == 60);
        alice.screenshot("older");

        assertThat("all, in seq order", shown(alice),
                is(IntStream.rangeClosed(1, 60).mapToObj(i -> i + " message " + i).toList()));
        assertThat("nothing older to load", alice.olderShown(), is(false));
    }

    private URI otherOriginPage(String host, String chatId, String userId) {
        return URI.create("http://" + host + ":" + otherOrigin.getAddress().getPort() + "/other-origin.html?api="
                + "http://localhost:" + port + "&chat_id=" + chatId + "&user_id=" + userId);
    }

    @Test
    @Order(4)
    void pageOfAnAllowedOriginFollowsAndSends() throws Exception {
        String userId = user("Dana");
        String chatId = service.api().newChat(userId, user("Eve"));

        alice.open(otherOriginPage("127.0.0.1", chatId, userId));
        alice.waitFor("the cross-origin send answered", d -> alice.text("sent").startsWith("sent "));
        alice.waitFor("the cross-origin stream delivered it", d -> alice.text("events").equals("from another origin"));
        alice.screenshot("other-origin-allowed");

        assertThat("POST with JSON, after its preflight", alice.text("sent"), is("sent 200 seq 1"));
        assertThat("EventSource", alice.text("stream"), is("open"));
    }

    @Test
    @Order(5)
    void pageOfAnotherOriginIsKeptFromTheAnswers() throws Exception {
        String userId = user("Dana");
        String chatId = service.api().newChat(userId, user("Eve"));

        // The same page, but its origin is http://localhost:<port>, which the list does not have.
        alice.open(otherOriginPage("localhost", chatId, userId));
        alice.waitFor("the send refused by the browser", d -> alice.text("sent").startsWith("blocked"));
        alice.waitFor("the stream refused by the browser", d -> alice.text("stream").equals("blocked"));
        alice.screenshot("other-origin-refused");

        assertThat("the refused preflight kept the POST from being sent", stored(chatId), is(List.of()));
        assertThat("no event reached the page", alice.text("events"), is(""));
    }

    @Test
    @Order(6)
    void messagesSentWhileTheServiceRestartsAppearOnceInOrder() throws Exception {
        String aliceId = user("Alice");
        String bobId = user("Bob");
        String chatId = bothInOneChat(aliceId, bobId);
        alice.type("before the restart");
        bob.waitFor("first message arrives", d -> bob.count("before the restart") == 1);

        service.stop();
        alice.waitFor("the page shows the stream is down", d -> !"live".equals(alice.state()));
        bob.waitFor("the page shows the stream is down", d -> !"live".equals(bob.state()));
        bob.type("typed while the service was down");
        alice.screenshot("service-down");
        bob.screenshot("service-down");
        startService();
        Api api = service.api();
        for (int i = 1; i <= 3; i++) {
            api.send(chatId, i % 2 == 0 ? aliceId : bobId, "missed-" + i, "missed " + i);
        }

        alice.waitUntilLive();
        bob.waitUntilLive();
        waitUntilShowsExactly(alice, chatId, Duration.ofSeconds(30));
        waitUntilShowsExactly(bob, chatId, Duration.ofSeconds(30));
        alice.screenshot("after-restart");
        bob.screenshot("after-restart");

        List<String> stored = stored(chatId);
        assertThat("each message stored once, the retried send included", stored.stream()
                .filter(row -> row.endsWith(" typed while the service was down")).count(), is(1L));
        assertThat("the messages sent while the streams were down are stored",
                stored.stream().filter(row -> row.contains(" missed ")).count(), is(3L));
        assertThat("Alice's page: every message once, in seq order", shown(alice), is(stored));
        assertThat("Bob's page: every message once, in seq order", shown(bob), is(stored));
    }
}
