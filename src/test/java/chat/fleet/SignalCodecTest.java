package chat.fleet;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SignalCodecTest {

    private final UUID one = UUID.randomUUID();
    private final UUID two = UUID.randomUUID();

    @Test
    void aBatchIsOneTextWithTheNewestSeqPerChat() {
        String text = SignalCodec.encode("i1", List.of(Signal.events(one, 3), Signal.events(two, 9),
                Signal.events(one, 5), Signal.events(one, 4)), PostgresSignals.MAX_PAYLOAD);
        assertThat(text, is("i1 e:" + one + ":5 e:" + two + ":9"));
        SignalCodec.Decoded decoded = SignalCodec.decode(text);
        assertThat(decoded.instance(), is("i1"));
        assertThat(decoded.many(), is(false));
        assertThat(decoded.signals(), is(List.of(Signal.events(one, 5), Signal.events(two, 9))));
    }

    @Test
    void aBatchTooLargeForANotifyBecomesTheManyChangedMarker() {
        List<Signal> signals = new ArrayList<>();
        for (int i = 0; i < 256; i++) {
            signals.add(Signal.events(UUID.randomUUID(), 1_000_000_000L + i));
        }
        String text = SignalCodec.encode("i1", signals, PostgresSignals.MAX_PAYLOAD);
        assertThat(text.getBytes(StandardCharsets.UTF_8).length, lessThan(8000));
        SignalCodec.Decoded decoded = SignalCodec.decode(text);
        assertThat(decoded.many(), is(true));
        assertThat(decoded.signals(), is(empty()));
        // 150 chats still fit: the marker is for batches that do not
        assertThat(SignalCodec.decode(SignalCodec.encode("i1", signals.subList(0, 150), PostgresSignals.MAX_PAYLOAD))
                .signals().size(), is(150));
    }

    @Test
    void kindsItDoesNotKnowAndUnreadableEntriesAreLeftOut() {
        SignalCodec.Decoded decoded = SignalCodec.decode("i2 typing:" + one + ":7 e:" + two + ":2 e:nonsense:1 e:x");
        assertThat(decoded.signals(), is(List.of(new Signal("typing", one, 7), Signal.events(two, 2))));
        assertThat(SignalCodec.decode("i2 ping").signals(), is(empty()));
    }

    @Test
    void aKindMustNotContainTheSeparators() {
        assertThrows(IllegalArgumentException.class, () -> new Signal("a:b", one, 1));
        assertThrows(IllegalArgumentException.class, () -> new Signal("", one, 1));
    }
}
