package chat.web;

import chat.Api;
import chat.ServiceProcess;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.Keys;

import java.net.URI;
import java.time.Duration;
import java.util.List;

import static chat.Api.user;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.is;

/**
 * Conversations (issue 14) between two people in two headless Chromiums: Alice makes a named group with Barry, and
 * Barry's list shows it by its name; her two messages show on his list as an unread badge "2", newest chat first;
 * when he opens it the badge goes and Alice sees read ticks on her messages; she sees him online and "… is typing"
 * while he types; she invites Carol and both see her join; Barry leaves and Alice sees it. Screenshots under
 * {@code target/browser/}. Skipped where Chromium is not installed (see {@link Browser.Installed}).
 */
@ExtendWith(Browser.Installed.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConversationsBrowserTest {

    private Browser.TwoUsers users;
    private ServiceProcess service;
    private Browser alice;
    private Browser barry;

    @BeforeAll
    void start() throws Exception {
        users = Browser.TwoUsers.start("alice-groups", "barry-groups");
        service = users.service();
        alice = users.first();
        barry = users.second();
    }

    @AfterAll
    void stop() {
        if (users != null) {
            users.close();
        }
    }

    private URI page() {
        return users.page();
    }

    /** The chat list as shown, in page order: "name" or "name [unread]" where the badge shows. */
    private static List<String> list(Browser browser) {
        return strings(browser.script("""
                return Array.from(document.querySelectorAll('#chat-list > li')).map(li => {
                    const badge = li.querySelector('.badge');
                    return li.querySelector('.name').textContent
                        + (badge && !badge.hidden ? ' [' + badge.textContent + ']' : '');
                });"""));
    }

    /** The user's own messages as shown, "text tick", with " (read)" where the message has the class read. */
    private static List<String> mine(Browser browser) {
        return strings(browser.script("""
                return Array.from(document.querySelectorAll('#messages > li.message.mine')).map(li => {
                    const tick = li.querySelector('.tick');
                    return li.querySelector('.text').textContent + ' ' + (tick ? tick.textContent : '(no tick)')
                        + (li.classList.contains('read') ? ' (read)' : '');
                });"""));
    }

    /** The small lines of the log saying who made the group, joined or left. */
    private static List<String> systemLines(Browser browser) {
        return strings(browser.script(
                "return Array.from(document.querySelectorAll('#messages > li.system')).map(li => li.textContent);"));
    }

    /** What the typing line says; empty while it is hidden. */
    private static String typing(Browser browser) {
        return String.valueOf(browser.script(
                "const t = document.getElementById('typing'); return t.hidden ? '' : t.textContent;"));
    }

    /** The presence dot: "true|false text", or "hidden". */
    private static String presence(Browser browser) {
        return String.valueOf(browser.script("""
                const p = document.getElementById('presence');
                return p.hidden ? 'hidden' : p.dataset.online + ' ' + p.textContent;"""));
    }

    private static List<String> strings(Object rows) {
        return ((List<?>) rows).stream().map(String::valueOf).toList();
    }

    /** Opens the chat of this id from the list, and waits for its stream. */
    private static void openFromList(Browser browser, String chatId) {
        Object clicked = browser.script("""
                const b = document.querySelector('#chat-list > li[data-chat-id="' + arguments[0] + '"] button');
                if (b) { b.click(); }
                return !!b;""", chatId);
        assertThat("the chat is on the list", clicked, is(true));
        browser.waitFor("chat opened", d -> browser.displayed("text"));
        browser.waitUntilLive();
    }

    private static void backToList(Browser browser) {
        browser.click("back");
        browser.waitFor("list shown", d -> browser.displayed("group-name"));
    }

    @Test
    void twoPeopleRunAGroupWithUnreadBadgesReadTicksTypingAndPresence() throws Exception {
        String aliceId = user("Alice");
        String barryId = user("Barry");
        String carolId = user("Carol");
        alice.signIn(page(), aliceId);
        String directId = alice.startChat(barryId);
        backToList(alice);

        alice.keys("group-name", "Lunch");
        alice.keys("group-members", barryId, Keys.ENTER);
        alice.waitFor("the group opened", d -> alice.displayed("text") && alice.text("chat-title").equals("Lunch"));
        alice.waitUntilLive();
        String groupId = alice.chatId();
        alice.waitFor("the group's first line", d -> systemLines(alice).equals(List.of(aliceId + " created the group")));
        assertThat("a group has its invite and leave controls", alice.displayed("invite-ids"), is(true));
        assertThat("Barry has never been online", presence(alice), is("false offline"));

        barry.signIn(page(), barryId);
        barry.waitFor("Barry's list: the group by its name, the newer chat first",
                d -> list(barry).equals(List.of("Lunch", aliceId)));
        service.api().send(directId, aliceId, "direct-1", "Are you there?");
        barry.waitFor("a message in the direct chat puts it first, with its badge",
                d -> list(barry).equals(List.of(aliceId + " [1]", "Lunch")));

        alice.type("Noon?");
        alice.type("At the usual place");
        alice.waitFor("both sent, not read yet", d -> mine(alice).equals(List.of("Noon? \u2713", "At the usual place \u2713")));
        barry.waitFor("Barry's list: two unread in the group, now the newest",
                d -> list(barry).equals(List.of("Lunch [2]", aliceId + " [1]")));
        barry.screenshot("groups-unread");

        openFromList(barry, groupId);
        barry.waitFor("Barry sees both messages", d -> barry.count("Noon?") == 1 && barry.count("At the usual place") == 1);
        alice.waitFor("Alice sees that Barry read them", d -> mine(alice).equals(
                List.of("Noon? \u2713\u2713 (read)", "At the usual place \u2713\u2713 (read)")));
        alice.waitFor("Alice sees Barry online", d -> presence(alice).equals("true " + barryId + " online"));
        barry.waitFor("Barry sees Alice online", d -> presence(barry).equals("true " + aliceId + " online"));
        alice.screenshot("groups-read");

        backToList(barry);
        barry.waitFor("the badge is gone once read", d -> list(barry).equals(List.of("Lunch", aliceId + " [1]")));
        openFromList(barry, groupId);

        barry.keys("text", "On my way");
        alice.waitFor("Alice sees Barry typing", d -> typing(alice).equals(barryId + " is typing\u2026"));
        assertThat("Barry does not see himself typing", typing(barry), is(""));
        alice.screenshot("groups-typing");
        barry.keys("text", Keys.chord(Keys.CONTROL, "a"), Keys.DELETE);
        // Typing false, not the lapse (6 s on the server and on the page), hides it this soon.
        alice.waitFor("Barry cleared the box: the typing line goes", Duration.ofSeconds(3),
                d -> typing(alice).isEmpty());
        barry.keys("text", "On my way");
        alice.waitFor("Barry types again", d -> typing(alice).equals(barryId + " is typing\u2026"));
        barry.keys("text", Keys.ENTER);
        alice.waitFor("his message arrives and the typing line goes",
                d -> alice.count("On my way") == 1 && typing(alice).isEmpty());

        alice.keys("invite-ids", carolId, Keys.ENTER);
        String joined = carolId + " joined (invited by " + aliceId + ")";
        alice.waitFor("Alice sees Carol join", d -> systemLines(alice).contains(joined));
        barry.waitFor("Barry sees Carol join", d -> systemLines(barry).contains(joined));
        JsonNode carols = service.api().postJson("/chat/List", Api.object().put("user_id", carolId)).json();
        assertThat("Carol is a member of the group", carols.get("chats").get(0).get("chat").get("name").asText(),
                is("Lunch"));
        barry.screenshot("groups-joined");

        barry.click("leave");
        barry.waitFor("Barry is back on his list, without the group",
                d -> barry.displayed("group-name") && list(barry).equals(List.of(aliceId + " [1]")));
        alice.waitFor("Alice sees Barry leave", d -> systemLines(alice).contains(barryId + " left"));
        alice.waitFor("nobody else online in the group now", d -> presence(alice).equals("false offline"));
        alice.screenshot("groups-left");

        assertThat("the log's lines, in order", systemLines(alice),
                contains(aliceId + " created the group", joined, barryId + " left"));
        assertThat("Alice's messages, read by Barry", mine(alice),
                contains("Noon? \u2713\u2713 (read)", "At the usual place \u2713\u2713 (read)"));
        assertThat("no error shown to Alice", alice.displayed("error"), is(false));
    }
}
