package chat.stream.control;

import chat.problems.Problem;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

class CursorTest {

    @Test
    void withoutACursorTheStreamStartsAfterTheNewestMessage() {
        assertThat(Cursor.after(null, null, 7), is(7L));
        assertThat(Cursor.after("", " ", 7), is(7L));
    }

    @Test
    void theHeaderWinsOverTheQuery() {
        assertThat(Cursor.after("3", "5", 7), is(3L));
        assertThat(Cursor.after(null, "5", 7), is(5L));
        assertThat(Cursor.after(" 4 ", null, 7), is(4L));
        assertThat(Cursor.after("0", null, 7), is(0L));
        assertThat(Cursor.after("7", null, 7), is(7L));
    }

    @Test
    void refusesWhatIsNotASeqOfTheChat() {
        for (String bad : new String[] {"abc", "-1", "8", "1.5", "99999999999999999999"}) {
            Problem problem = assertThrows(Problem.class, () -> Cursor.after(bad, null, 7), bad);
            assertThat(problem.id(), is("chat.Connect.InvalidLastEventID"));
            assertThat(problem.code(), is(400));
        }
    }
}
