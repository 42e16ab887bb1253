package chat.platform;

import com.zaxxer.hikari.HikariConfig;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

class DatabaseSessionsTest {

    private final DatabaseSessions sessions = new DatabaseSessions(5000, 10000, 10000, 15000, 5000);

    @Test
    void postgresSessionsGetTheServersLimitsAndTheDriversTimeouts() {
        var pool = new HikariConfig();
        pool.setJdbcUrl("jdbc:postgresql://127.0.0.1:5432/chat");
        sessions.configure(pool);
        var properties = pool.getDataSourceProperties();
        assertThat(properties.getProperty("options"), is("-c lock_timeout=5000 -c statement_timeout=10000"
                + " -c idle_in_transaction_session_timeout=10000"));
        assertThat("seconds", properties.getProperty("socketTimeout"), is("15"));
        assertThat("seconds", properties.getProperty("connectTimeout"), is("5"));
        assertThat(properties.getProperty("tcpKeepAlive"), is("true"));
        assertThat("idle connections are checked", pool.getKeepaliveTime(), is(DatabaseSessions.KEEPALIVE_MILLIS));
    }

    @Test
    void theEmbeddedDatabaseIsLeftAsItIs() {
        var pool = new HikariConfig();
        pool.setJdbcUrl("jdbc:h2:file:./data/chat");
        sessions.configure(pool);
        assertThat(pool.getDataSourceProperties().isEmpty(), is(true));
        assertThat(pool.getKeepaliveTime(), is(0L));
    }

    @Test
    void aTimeoutUnderASecondIsStillOneForTheDriverWhichCountsSeconds() {
        var pool = new HikariConfig();
        pool.setJdbcUrl("jdbc:postgresql://db/chat");
        new DatabaseSessions(1000, 2000, 2000, 300, 1).configure(pool);
        assertThat(pool.getDataSourceProperties().getProperty("socketTimeout"), is("1"));
        assertThat(pool.getDataSourceProperties().getProperty("connectTimeout"), is("1"));
    }
}
