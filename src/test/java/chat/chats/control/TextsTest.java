package chat.chats.control;

import chat.problems.Problem;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

class TextsTest {

    @Test
    void acceptsUnicodeAndEmoji() {
        assertThat(Texts.storable("Grüße 👋🏽 你好"), is(true));
        assertThat(Texts.storable(""), is(true));
    }

    @Test
    void rejectsNulAndLoneSurrogates() {
        assertThat(Texts.storable("a\u0000b"), is(false));
        assertThat(Texts.storable("\ud83d"), is(false));
        assertThat(Texts.storable("\ude00x"), is(false));
        assertThat(Texts.storable("x\ud83dx"), is(false));
    }

    @Test
    void findsC0ControlsDelAndC1Controls() {
        for (String value : new String[] {"a\rb", "a\nb", "a\r\nb", "tab\there", "\u0001", "esc\u001b[31m",
                "\u001f", "del\u007f", "nel\u0085", "\u0080", "\u009f", "line\u2028sep", "para\u2029sep"}) {
            assertThat("control character in " + value.chars().mapToObj(Integer::toHexString).toList(),
                    Texts.hasControlCharacter(value), is(true));
        }
    }

    @Test
    void printableTextHasNoControlCharacter() {
        for (String value : new String[] {"", "John", "b-1", "Grüße 👋🏽 你好", " spaced ", "~", "\u00a0nbsp",
                "\u00ff", "a/b:c@d"}) {
            assertThat(value, Texts.hasControlCharacter(value), is(false));
        }
    }

    @Test
    void idsRefuseControlCharactersWithTheirOwnErrorId() {
        Problem crlf = assertThrows(Problem.class,
                () -> Texts.requireValid("John\r\nINFO forged", "chat.Send.InvalidUserID", "user_id", 255));
        assertThat(crlf.id(), is("chat.Send.InvalidUserID"));
        assertThat(crlf.code(), is(400));
        assertThat(crlf.detail(), is("user_id contains a control character (such as CR, LF or TAB)"));
        assertThat(assertThrows(Problem.class,
                () -> Texts.requireValid("c\u0085", "chat.Send.InvalidClientID", "client_id", 255)).id(),
                is("chat.Send.InvalidClientID"));
    }

    @Test
    void freeTextKeepsLineBreaksAndTabs() {
        Texts.requireValidText("line one\r\nline two\n\tindented", "chat.Send.InvalidText", "text", 100);
        Problem nul = assertThrows(Problem.class,
                () -> Texts.requireValidText("a\u0000b", "chat.Send.InvalidText", "text", 100));
        assertThat("NUL still refused", nul.id(), is("chat.Send.InvalidText"));
    }
}
