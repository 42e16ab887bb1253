package chat.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.time.ZoneId;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

class MessageLineTest {

    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

    private static JsonNode message(String userId, String text, long sentAt) {
        return new ObjectMapper().createObjectNode().put("id", "x").put("user_id", userId).put("subject", "")
                .put("text", text).put("sent_at", sentAt).put("seq", 1);
    }

    @Test
    void timeInTheLocalZoneThenUserThenText() {
        // 2026-11-24 12:34:56 UTC, 13:34:56 in Berlin
        assertThat(MessageLine.format(message("John", "Hey Barry", 1795523696L), BERLIN),
                is("13:34:56 John: Hey Barry"));
    }

    @Test
    void lineBreaksAreShownSoAMessageIsOneLine() {
        assertThat(MessageLine.format(message("John", "one\ntwo\r\nthree\rfour", 1795523696L), BERLIN),
                is("13:34:56 John: one\\ntwo\\nthree\\nfour"));
    }

    @Test
    void controlCharactersCannotReachTheTerminal() {
        assertThat(MessageLine.format(message("Mal\u001b[2J", "\u001b[31mred\u0007", 1795523696L), BERLIN),
                is("13:34:56 Mal\\u001b[2J: \\u001b[31mred\\u0007"));
    }

    @Test
    void tabsAndUnicodeStay() {
        assertThat(MessageLine.format(message("Jörg", "a\tb 😀", 1795523696L), BERLIN), is("13:34:56 Jörg: a\tb 😀"));
    }
}
