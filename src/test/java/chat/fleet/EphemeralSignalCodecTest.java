package chat.fleet;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.UUID;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.is;

/** Ephemeral signals (issue 14) carry their payload through the codec and are never coalesced. */
class EphemeralSignalCodecTest {

    private static final UUID CHAT = UUID.fromString("4ba0e171-9242-4515-8125-2d6e5b5d24c4");

    @Test
    void aPayloadSurvivesTheWireWithSpacesColonsAndUnicode() {
        Signal typing = Signal.ephemeral(CHAT, "{\"event\":\"typing\",\"user_id\":\"Zoë: x y\"}");
        String text = SignalCodec.encode("inst", List.of(typing, Signal.events(CHAT, 7)), 7_999);
        SignalCodec.Decoded decoded = SignalCodec.decode(text);
        assertThat(decoded.signals(), contains(typing, new Signal(Signal.EVENTS, CHAT, 7)));
    }

    @Test
    void ephemeralSignalsOfOneChatAreAllKept() {
        Signal first = Signal.ephemeral(CHAT, "{\"n\":1}");
        Signal second = Signal.ephemeral(CHAT, "{\"n\":2}");
        assertThat(SignalCodec.coalesce(List.of(first, second)), contains(first, second));
        assertThat("seq-numbered signals still coalesce", SignalCodec.coalesce(List.of(Signal.events(CHAT, 1),
                Signal.events(CHAT, 2))).size(), is(1));
    }
}
