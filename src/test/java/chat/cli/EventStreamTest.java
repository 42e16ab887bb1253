package chat.cli;

import chat.cli.EventStream.Event;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.is;

class EventStreamTest {

    private final EventStream stream = new EventStream(null, 3000);

    private List<Event> feed(String text) {
        List<Event> events = new ArrayList<>();
        for (String line : text.split("\n", -1)) {
            stream.line(line).ifPresent(events::add);
        }
        return events;
    }

    @Test
    void openingBlockWithIdAndNoDataSetsTheLastEventIdAndDispatchesNothing() {
        var events = feed(": connected\nid: 7\nretry: 5000\n\n");

        assertThat("events", events, is(empty()));
        assertThat("last event id", stream.lastEventId(), is(Optional.of("7")));
        assertThat("retry", stream.retryMillis(), is(5000L));
    }

    @Test
    void messageEventCarriesItsTypeDataAndId() {
        var events = feed("id: 3\nevent: message\ndata: {\"seq\":3}\n\n");

        assertThat(events, contains(new Event("message", "{\"seq\":3}", "3")));
        assertThat(stream.lastEventId(), is(Optional.of("3")));
    }

    @Test
    void eventWithoutTypeIsAMessageAndDataLinesAreJoined() {
        var events = feed("data: one\ndata:two\ndata\n\n");

        assertThat(events, contains(new Event("message", "one\ntwo\n", null)));
    }

    @Test
    void blockCutOffByTheEndOfAConnectionIsDroppedWithItsId() {
        feed("id: 3\ndata: three\n\nid: 4\ndata: four");
        stream.newConnection();
        var events = feed("id: 5\ndata: five\n\n");

        assertThat("the cut block is not dispatched", events, contains(new Event("message", "five", "5")));
        assertThat(stream.lastEventId(), is(Optional.of("5")));
    }

    @Test
    void idIsTakenOnlyWhenItsBlockEnds() {
        feed("id: 3\ndata: three\n\nid: 4\ndata: four");

        assertThat(stream.lastEventId(), is(Optional.of("3")));
    }

    @Test
    void laterEventsWithoutIdKeepTheLastOne() {
        var events = feed("id: 3\ndata: a\n\ndata: b\n\n: heartbeat\n\n");

        assertThat(events, contains(new Event("message", "a", "3"), new Event("message", "b", "3")));
        assertThat(stream.lastEventId(), is(Optional.of("3")));
    }

    @Test
    void startingPointIsTheGivenIdUntilTheStreamSaysOtherwise() {
        var resumed = new EventStream("12", 3000);

        assertThat(resumed.lastEventId(), is(Optional.of("12")));
        resumed.line(": heartbeat");
        resumed.line("");
        assertThat(resumed.lastEventId(), is(Optional.of("12")));
    }

    @Test
    void emptyIdClearsTheLastEventId() {
        feed("id: 3\n\nid\n\n");

        assertThat(stream.lastEventId(), is(Optional.empty()));
    }

    @Test
    void idWithNulAndRetryThatIsNoNumberAreIgnored() {
        feed("id: 3\nretry: 1000\n\nid: 4\u0000\nretry: soon\n\n");

        assertThat(stream.lastEventId(), is(Optional.of("3")));
        assertThat(stream.retryMillis(), is(1000L));
    }

    @Test
    void byteOrderMarkAndUnknownFieldsAreIgnored() {
        var events = feed("\uFEFFid: 1\nfoo: bar\ndata: x\n\n");

        assertThat(events, contains(new Event("message", "x", "1")));
    }

    @Test
    void onlyTheFirstSpaceAfterTheColonIsDropped() {
        var events = feed("data:  two spaces\n\n");

        assertThat(events, contains(new Event("message", " two spaces", null)));
    }
}
