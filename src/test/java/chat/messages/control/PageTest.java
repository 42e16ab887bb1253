package chat.messages.control;

import chat.problems.Problem;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

class PageTest {

    @Test
    void defaultsToTheNewest50() {
        assertThat(Page.of(null, null, null), is(new Page(0, Long.MAX_VALUE, 50, false)));
        assertThat(Page.of(0, 0L, null), is(new Page(0, Long.MAX_VALUE, 50, false)));
    }

    @Test
    void capsTheLimitAt1000() {
        assertThat(Page.of(5000, null, null).limit(), is(1000));
        assertThat(Page.of(1000, null, null).limit(), is(1000));
        assertThat(Page.of(1, null, null).limit(), is(1));
    }

    @Test
    void beforePagesBackNewestFirst() {
        assertThat(Page.of(10, 40L, null), is(new Page(0, 40, 10, false)));
    }

    @Test
    void anAfterCursorReadsOldestFirst() {
        assertThat(Page.of(10, null, 7L), is(new Page(7, Long.MAX_VALUE, 10, true)));
        assertThat(Page.of(null, null, 0L).oldestFirst(), is(true));
    }

    @Test
    void rejectsNegativeValues() {
        assertThat(assertThrows(Problem.class, () -> Page.of(-1, null, null)).id(), is("chat.History.InvalidLimit"));
        assertThat(assertThrows(Problem.class, () -> Page.of(null, -1L, null)).id(), is("chat.History.InvalidBefore"));
        assertThat(assertThrows(Problem.class, () -> Page.of(null, null, -1L)).id(), is("chat.History.InvalidAfter"));
    }
}
