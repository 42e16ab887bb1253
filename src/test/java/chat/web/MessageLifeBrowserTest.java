package chat.web;

import chat.Api;
import chat.ServiceProcess;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;

import static chat.Api.user;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/**
 * Message life between two people in two headless Chromiums: Bob reacts to Alice's message and Alice sees the count
 * (and that it is not hers); Alice edits it and Bob sees the new text marked "edited"; Bob replies with a quote;
 * Alice deletes a message and Bob sees its tombstone; both search. Screenshots under {@code target/browser/}.
 * Skipped where Chromium is not installed (see {@link Browser.Installed}).
 */
@ExtendWith(Browser.Installed.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MessageLifeBrowserTest {

    private static final String THUMBS_UP = "\uD83D\uDC4D";

    private Browser.TwoUsers users;
    private ServiceProcess service;
    private Browser alice;
    private Browser bob;

    @BeforeAll
    void start() throws Exception {
        users = Browser.TwoUsers.start("alice-life", "bob-life");
        service = users.service();
        alice = users.first();
        bob = users.second();
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

    /** The text, "edited" mark, reactions and quote of the message with this seq, as a page shows them. */
    private static String shown(Browser browser, int seq) {
        return String.valueOf(browser.script("""
                const li = document.querySelector('#messages > li[data-seq="' + arguments[0] + '"]');
                if (!li) { return 'absent'; }
                const quote = li.querySelector('.quote');
                return (quote ? '> ' + quote.textContent + ' | ' : '')
                    + li.querySelector('.text').textContent
                    + (li.querySelector('.edited') ? ' (edited)' : '')
                    + (li.classList.contains('deleted') ? ' (deleted)' : '')
                    + Array.from(li.querySelectorAll('.reaction')).map(b =>
                        ' [' + b.textContent + (b.classList.contains('mine') ? ' mine' : '') + ']').join('');""",
                seq));
    }

    /** Clicks the button with this title on the message with this seq. */
    private static void click(Browser browser, int seq, String title) {
        Object clicked = browser.script("""
                const li = document.querySelector('#messages > li[data-seq="' + arguments[0] + '"]');
                const b = li && Array.from(li.querySelectorAll('button')).find(b => b.title === arguments[1]);
                if (b) { b.click(); }
                return !!b;""", seq, title);
        assertThat(title + " on message " + seq, clicked, is(true));
    }

    private JsonNode stored(String chatId, String reader, int index) {
        return service.api().history(Api.object().put("chat_id", chatId).put("user_id", reader)).get(index);
    }

    @Test
    void twoPeopleEditDeleteReactReplyAndSearch() throws Exception {
        String aliceId = user("Alice");
        String bobId = user("Bob");
        alice.signIn(page(), aliceId);
        String chatId = alice.startChat(bobId);
        bob.signIn(page(), bobId);
        bob.startChat(aliceId);

        alice.type("Lunch at noon?");
        bob.waitFor("Alice's message arrives", d -> shown(bob, 1).equals("Lunch at noon?"));
        click(bob, 1, "react with " + THUMBS_UP);
        bob.waitFor("his reaction shows as his", d -> shown(bob, 1).equals("Lunch at noon? [" + THUMBS_UP + " 1 mine]"));
        alice.waitFor("Bob's reaction reaches Alice, not as hers",
                d -> shown(alice, 1).equals("Lunch at noon? [" + THUMBS_UP + " 1]"));

        click(alice, 1, "edit your message");
        alice.script("document.getElementById('text').value = '';");
        alice.type("Lunch at one?");
        bob.waitFor("the edit reaches Bob", d -> shown(bob, 1).equals("Lunch at one? (edited) [" + THUMBS_UP + " 1 mine]"));
        alice.waitFor("and shows for Alice", d -> shown(alice, 1).startsWith("Lunch at one? (edited)"));

        click(bob, 1, "reply to this message");
        bob.type("Fine by me");
        alice.waitFor("Bob's reply arrives with its quote", d -> shown(alice, 4).equals(
                "> " + aliceId + ": Lunch at one? | Fine by me"));

        alice.type("Oops, wrong chat");
        bob.waitFor("the message arrives", d -> shown(bob, 5).equals("Oops, wrong chat"));
        click(alice, 5, "delete your message");
        bob.waitFor("Bob sees the tombstone", d -> shown(bob, 5).equals("message deleted (deleted)"));
        alice.waitFor("so does Alice", d -> shown(alice, 5).equals("message deleted (deleted)"));
        alice.screenshot("message-life");
        bob.screenshot("message-life");

        bob.script("const q = document.getElementById('search-query'); q.value = 'lunch';"
                + " q.form.requestSubmit();");
        bob.waitFor("search finds the edited message", d -> String.valueOf(bob.script(
                "return document.getElementById('results').textContent;")).contains("Lunch at one?"));
        bob.screenshot("message-life-search");

        JsonNode first = stored(chatId, bobId, 0);
        assertThat(first.get("text").asText(), is("Lunch at one?"));
        assertThat(first.get("reactions").get(0).get("mine").asBoolean(), is(true));
        assertThat(stored(chatId, bobId, 1).get("reply_to").asText(), is(first.get("id").asText()));
        assertThat(stored(chatId, bobId, 2).get("deleted").asBoolean(), is(true));
    }
}
