package chat.platform;

import chat.LogCapture;

import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.LogRecord;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;

/** Readiness tells anyone only UP or DOWN with a generic reason; the log gets the detail, once per change. */
class DatabaseReadinessTest {

    /** What HikariCP and the PostgreSQL driver say when the server is gone: host, port, pool statistics. */
    private static final SQLException UNREACHABLE = new SQLTransientConnectionException(
            "HikariPool-1 - Connection is not available, request timed out after 1001ms (total=0, active=0, idle=0,"
                    + " waiting=0)",
            "08001", new SQLException("Connection to 10.20.30.40:54321 refused. Check that the hostname and port are"
            + " correct and that the postmaster is accepting TCP/IP connections.", "08001"));

    SQLException failure;
    boolean valid = true;
    DatabaseReadiness readiness;
    LogCapture log;

    @BeforeEach
    void readiness() {
        readiness = new DatabaseReadiness((DataSource) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {DataSource.class}, (proxy, method, args) -> {
                    if (!method.getName().equals("getConnection")) {
                        throw new UnsupportedOperationException(method.getName());
                    }
                    if (failure != null) {
                        throw failure;
                    }
                    return connection();
                }));
        log = LogCapture.of(DatabaseReadiness.class);
    }

    @AfterEach
    void stopCapturing() {
        log.close();
    }

    private Connection connection() {
        return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Connection.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "isValid" -> valid;
                    case "close" -> null;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    private static Map<String, Object> data(HealthCheckResponse response) {
        return response.getData().orElse(Map.of());
    }

    @Test
    void downAnswersAGenericReasonAndNoHostPortOrPoolFigures() {
        failure = UNREACHABLE;

        HealthCheckResponse response = readiness.call();

        assertThat("status", response.getStatus(), is(HealthCheckResponse.Status.DOWN));
        assertThat("name", response.getName(), is("database"));
        assertThat("only the generic reason", data(response), is(Map.of("error", "the database cannot be reached")));
    }

    @Test
    void anInvalidConnectionIsDownWithTheSameReason() {
        valid = false;

        HealthCheckResponse response = readiness.call();

        assertThat("status", response.getStatus(), is(HealthCheckResponse.Status.DOWN));
        assertThat(data(response), is(Map.of("error", "the database cannot be reached")));
    }

    @Test
    void upHasNoData() {
        HealthCheckResponse response = readiness.call();

        assertThat("status", response.getStatus(), is(HealthCheckResponse.Status.UP));
        assertThat("nothing else", data(response), is(Map.of()));
        assertThat("nothing logged while up", log.records(), hasSize(0));
    }

    @Test
    void theDetailIsLoggedOncePerChangeNotOnEveryProbe() {
        failure = UNREACHABLE;
        for (int i = 0; i < 5; i++) {
            readiness.call();
        }
        assertThat("one warning for five failed probes", log.records(), hasSize(1));
        LogRecord down = log.records().get(0);
        assertThat("a warning", down.getLevel(), is(Level.WARNING));
        assertThat("the pool's message is in the log", down.getMessage(), containsString("total=0, active=0"));
        assertThat("and the driver's, as the cause", down.getThrown().getCause().getMessage(),
                containsString("10.20.30.40:54321"));

        failure = null;
        readiness.call();
        readiness.call();
        assertThat("one line when it is back", log.records(), hasSize(2));
        assertThat("back up", log.records().get(1).getLevel(), is(Level.INFO));
        assertThat(log.records().get(1).getMessage(), containsString("UP"));

        failure = UNREACHABLE;
        readiness.call();
        readiness.call();
        assertThat("and one again when it goes away again", log.records(), hasSize(3));
        assertThat(log.records().get(2).getLevel(), is(Level.WARNING));
    }
}
