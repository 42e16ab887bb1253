package chat.stream.control;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

class EventFramesTest {

    private static String text(byte[] frame) {
        return new String(frame, StandardCharsets.UTF_8);
    }

    @Test
    void writesIdThenEventThenDataThenTheBlankLine() {
        assertThat(text(EventFrames.event(7, "message", "{\"seq\":7}")),
                is("id: 7\nevent: message\ndata: {\"seq\":7}\n\n"));
    }

    @Test
    void opensWithACommentTheStartingIdAndTheRetryHint() {
        assertThat(text(EventFrames.opening(12, 3000)), is(": connected\nid: 12\nretry: 3000\n\n"));
    }

    @Test
    void splitsMultiLineDataAndStripsLineBreaksFromTheName() {
        assertThat(text(EventFrames.event(1, "mess\nage", "a\nb\r\nc")),
                is("id: 1\nevent: message\ndata: a\ndata: b\ndata: c\n\n"));
    }

    @Test
    void aStreamEndedForAShutdownClosesWithACommentAndTheRetryHint() {
        assertThat(text(EventFrames.reconnect(3000)), is(": reconnect\nretry: 3000\n\n"));
    }

    @Test
    void heartbeatIsACommentBlock() {
        assertThat(text(EventFrames.HEARTBEAT), is(": heartbeat\n\n"));
    }
}
