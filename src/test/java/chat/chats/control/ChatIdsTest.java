package chat.chats.control;

import chat.problems.Problem;
import org.junit.jupiter.api.Test;

import java.util.UUID;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ChatIdsTest {

    @Test
    void parsesCanonicalUuidsOnly() {
        UUID id = UUID.randomUUID();
        assertThat(ChatIds.parse(id.toString()).orElseThrow(), is(id));
        assertThat(ChatIds.parse(id.toString().toUpperCase()).orElseThrow(), is(id));
        assertThat(ChatIds.parse("1-2-3-4-5").isPresent(), is(false));
        assertThat(ChatIds.parse("nope").isPresent(), is(false));
        assertThat(ChatIds.parse(null).isPresent(), is(false));
    }

    @Test
    void requireNamesTheCall() {
        assertThat(assertThrows(Problem.class, () -> ChatIds.require("", "chat.History")).id(),
                is("chat.History.MissingChatID"));
        assertThat(ChatIds.require("x", "chat.Send"), is("x"));
    }
}
