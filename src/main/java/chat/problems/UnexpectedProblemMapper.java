package chat.problems;

import chat.platform.RequestId;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import org.hibernate.exception.JDBCConnectionException;

import java.net.ConnectException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTimeoutException;
import java.sql.SQLTransientConnectionException;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Everything else. A database that cannot be reached, or that did not answer in time (a statement or lock timeout),
 * is 503 {@code chat.Unavailable}: the client may retry. Anything else is 500 {@code chat.Internal} with a reference
 * that is also in the log, next to the stack trace the client never sees: the request's id ({@code X-Request-Id},
 * which the access log shows too), so that a client's report leads to its request.
 */
@Provider
@ApplicationScoped
public class UnexpectedProblemMapper implements ExceptionMapper<Throwable> {

    private static final Logger LOG = Logger.getLogger(UnexpectedProblemMapper.class.getName());

    @Override
    public Response toResponse(Throwable exception) {
        return MicroErrors.response(problem(exception));
    }

    /**
     * What the client is told of an unexpected failure: 503 {@code chat.Unavailable} with {@code Retry-After: 1} while
     * the database cannot be reached or does not answer in time, else 500 {@code chat.Internal} with a reference to the logged stack trace.
     */
    public static Problem problem(Throwable exception) {
        if (databaseUnreachable(exception)) {
            LOG.warning(() -> "database unreachable: " + exception);
            return new Problem("chat.Unavailable", 503, "the database is unavailable, try again").retryAfter(1);
        }
        if (databaseTimedOut(exception)) {
            LOG.warning(() -> "database did not answer in time: " + exception);
            return new Problem("chat.Unavailable", 503, "the database did not answer in time, try again")
                    .retryAfter(1);
        }
        String reference = RequestId.current().orElseGet(() -> UUID.randomUUID().toString());
        LOG.log(Level.SEVERE, "unexpected error, reference " + reference, exception);
        return new Problem("chat.Internal", 500, "internal error, reference " + reference);
    }

    /**
     * True when the exception says the database could not be reached (SQL state class 08, pool timeout), in its
     * causes or in what they suppressed: a commit that lost its connection surfaces as the transaction manager's
     * heuristic outcome, with the driver's failure kept as a suppressed exception.
     */
    public static boolean databaseUnreachable(Throwable exception) {
        Deque<Throwable> todo = new ArrayDeque<>(List.of(exception));
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        while (!todo.isEmpty()) {
            Throwable t = todo.pop();
            if (!seen.add(t)) {
                continue;
            }
            if (t instanceof SQLTransientConnectionException
                    || t instanceof SQLNonTransientConnectionException
                    || t instanceof ConnectException
                    || t instanceof JDBCConnectionException) {
                return true;
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith("08")) {
                return true;
            }
            if (t.getCause() != null) {
                todo.push(t.getCause());
            }
            todo.addAll(List.of(t.getSuppressed()));
        }
        return false;
    }

    /**
     * True when the cause chain says a statement ran out of time: the statement or lock timeout, a deadlock or
     * serialization failure, or a session that PostgreSQL ended for idling in its transaction. The database's
     * state, not the request's: the client may retry.
     */
    public static boolean databaseTimedOut(Throwable exception) {
        for (Throwable t = exception; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLTimeoutException) {
                return true;
            }
            String state = t instanceof SQLException sql ? sql.getSQLState() : null;
            if (state != null && (state.equals("57014") || state.equals("55P03") || state.startsWith("40")
                    || state.equals("25P03") || state.equals("HYT00"))) {
                return true;
            }
        }
        return false;
    }
}
