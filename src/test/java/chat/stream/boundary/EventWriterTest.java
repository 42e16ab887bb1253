package chat.stream.boundary;

import org.glassfish.jersey.media.sse.OutboundEvent;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

class EventWriterTest {

    @Test
    void writesIdThenEventThenData() {
        var event = new OutboundEvent.Builder().id("7").name("message").data("{\"seq\":7}").build();
        assertThat(EventWriter.frame(event), is("id: 7\nevent: message\ndata: {\"seq\":7}\n"));
    }

    @Test
    void writesALoneRetryHintWithAComment() {
        var event = new OutboundEvent.Builder().reconnectDelay(3000).comment("connected").build();
        assertThat(EventWriter.frame(event), is(": connected\nretry: 3000\n"));
    }

    @Test
    void splitsMultiLineDataAndStripsLineBreaksFromFields() {
        var event = new OutboundEvent.Builder().id("1\n2").data("a\nb\r\nc").build();
        assertThat(EventWriter.frame(event), is("id: 12\ndata: a\ndata: b\ndata: c\n"));
    }
}
