package chat.problems;

import chat.platform.RequestId;
import io.helidon.common.context.Context;
import io.helidon.common.context.Contexts;
import org.junit.jupiter.api.Test;

import jakarta.transaction.HeuristicMixedException;

import javax.transaction.xa.XAException;
import java.net.SocketException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

class UnexpectedProblemMapperTest {

    @Test
    void anUnreachableDatabaseIs503() {
        var poolTimeout = new RuntimeException("tx failed",
                new IllegalStateException(new SQLTransientConnectionException("pool timed out")));
        var response = new UnexpectedProblemMapper().toResponse(poolTimeout);
        assertThat(response.getStatus(), is(503));
        assertThat(((chat.api.model.MicroError) response.getEntity()).getId(), is("chat.Unavailable"));
        assertThat("the client may try again in a second", response.getHeaderString("Retry-After"), is("1"));
        assertThat(UnexpectedProblemMapper.databaseUnreachable(new SQLException("refused", "08001")), is(true));
    }

    /**
     * A commit whose connection dies under it: the transaction manager throws a heuristic outcome and keeps the
     * driver's connection failure as a suppressed exception, not as the cause (as Narayana did when the reliability
     * suite cut PostgreSQL under New). The outcome is unknown, New is idempotent: the client is told to retry.
     */
    @Test
    void aCommitThatLostItsConnectionIs503() {
        var lost = new XAException(XAException.XAER_RMFAIL);
        lost.initCause(new SQLException("An I/O error occurred while sending to the backend.", "08006",
                new SocketException("Connection reset")));
        var commit = new HeuristicMixedException();
        commit.addSuppressed(lost);
        var response = new UnexpectedProblemMapper().toResponse(new RuntimeException(commit));
        assertThat(response.getStatus(), is(503));
        assertThat(((chat.api.model.MicroError) response.getEntity()).getId(), is("chat.Unavailable"));
    }

    @Test
    void anythingElseIs500WithAReference() {
        var response = new UnexpectedProblemMapper().toResponse(new IllegalStateException("secret detail"));
        var body = (chat.api.model.MicroError) response.getEntity();
        assertThat(response.getStatus(), is(500));
        assertThat(body.getId(), is("chat.Internal"));
        assertThat("a bug is not worth retrying", response.getHeaderString("Retry-After"), nullValue());
        assertThat(body.getDetail(), startsWith("internal error, reference "));
        assertThat(UnexpectedProblemMapper.databaseUnreachable(new SQLException("syntax", "42601")), is(false));
    }

    @Test
    void theReferenceIsTheRequestsId() {
        Context request = Context.create();
        request.register(new RequestId("req-42"));
        var body = Contexts.runInContext(request, () -> (chat.api.model.MicroError) new UnexpectedProblemMapper()
                .toResponse(new IllegalStateException("a bug")).getEntity());
        assertThat(body.getDetail(), is("internal error, reference req-42"));
    }

    @Test
    void aStatementOrLockTimeoutIs503() {
        for (String state : new String[] {"57014", "55P03", "40P01", "25P03"}) {
            var response = new UnexpectedProblemMapper().toResponse(
                    new RuntimeException("tx failed", new SQLException("timed out", state)));
            assertThat("state " + state, response.getStatus(), is(503));
            assertThat("state " + state, response.getHeaderString("Retry-After"), is("1"));
            assertThat(((chat.api.model.MicroError) response.getEntity()).getId(), is("chat.Unavailable"));
        }
    }
}
