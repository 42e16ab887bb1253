package chat.chats.control;

import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

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
}
