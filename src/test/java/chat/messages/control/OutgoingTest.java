package chat.messages.control;

import chat.problems.Problem;
import org.junit.jupiter.api.Test;

import java.util.UUID;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

class OutgoingTest {

    private static String failure(String chatId, String userId, String clientId, String subject, String text) {
        return assertThrows(Problem.class,
                () -> Outgoing.of("chat.Send", chatId, userId, clientId, subject, text, 8)).id();
    }

    @Test
    void fillsClientIdAndSubject() {
        Outgoing outgoing = Outgoing.of("chat.Send", "c", "u", null, null, "t", 8);
        assertThat(UUID.fromString(outgoing.clientId()).toString(), is(outgoing.clientId()));
        assertThat(outgoing.subject(), is(""));
        assertThat(Outgoing.of("chat.Send", "c", "u", "", "s", "t", 8).clientId().length(), is(36));
        assertThat(Outgoing.of("chat.Send", "c", "u", "mine", "s", "t", 8).clientId(), is("mine"));
    }

    @Test
    void checksRequiredFieldsInOrder() {
        assertThat(failure(null, null, null, null, null), is("chat.Send.MissingChatID"));
        assertThat(failure("c", null, null, null, null), is("chat.Send.MissingUserID"));
        assertThat(failure("c", " ", null, null, "t"), is("chat.Send.MissingUserID"));
        assertThat(failure("c", "u", null, null, null), is("chat.Send.MissingText"));
        assertThat(failure("c", "u", null, null, ""), is("chat.Send.MissingText"));
    }

    @Test
    void limitsTextInUtf8Bytes() {
        assertThat(Outgoing.of("chat.Send", "c", "u", null, null, "éééé", 8).text(), is("éééé"));
        assertThat(failure("c", "u", null, null, "ééééx"), is("chat.Send.TextTooLarge"));
        assertThat(assertThrows(Problem.class,
                () -> Outgoing.of("chat.Connect", "c", "u", null, null, "123456789", 8)).code(), is(413));
    }

    @Test
    void idsWithControlCharactersAreInvalidWhileTextAndSubjectKeepLineBreaks() {
        assertThat(failure("c", "John\r\nforged", null, null, "t"), is("chat.Send.InvalidUserID"));
        assertThat(failure("c", "u", "c\n1", null, "t"), is("chat.Send.InvalidClientID"));
        assertThat(failure("c", "u", "c\u007f", null, "t"), is("chat.Send.InvalidClientID"));
        Outgoing multiline = Outgoing.of("chat.Send", "c", "u", null, "two\nlines", "a\r\nb\tc", 8);
        assertThat(multiline.subject(), is("two\nlines"));
        assertThat(multiline.text(), is("a\r\nb\tc"));
    }
}
