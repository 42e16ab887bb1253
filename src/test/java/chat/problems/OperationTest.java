package chat.problems;

import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

class OperationTest {

    @Test
    void namesBothPathForms() {
        assertThat(Operation.prefix("chat/Send"), is("chat.Send"));
        assertThat(Operation.prefix("/chat/Chat/History"), is("chat.History"));
        assertThat(Operation.prefix("/chat/Connect/"), is("chat.Connect"));
    }

    @Test
    void otherPathsAreJustChat() {
        assertThat(Operation.prefix("/chat/Nope"), is("chat"));
        assertThat(Operation.prefix("/chat/Other/Send"), is("chat"));
        assertThat(Operation.prefix("/health"), is("chat"));
        assertThat(Operation.prefix(""), is("chat"));
    }

    @Test
    void namesTheCallForMetricsAndOtherForEverythingElse() {
        assertThat(Operation.name("/chat/Chat/Send"), is("Send"));
        assertThat(Operation.name("/chat/Connect"), is("Connect"));
        assertThat(Operation.name("/metrics"), is("other"));
        assertThat(Operation.name("/chat/Nope"), is("other"));
    }
}
