package chat.platform;

import com.zaxxer.hikari.HikariDataSource;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Named;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

import javax.sql.DataSource;
import java.util.logging.Logger;

import static jakarta.interceptor.Interceptor.Priority.PLATFORM_BEFORE;

/**
 * Brings the schema up to date from {@code db/migration} before anything else touches the database: Hibernate
 * only validates the schema, it never creates or changes it. The same migrations serve PostgreSQL and H2. On
 * PostgreSQL a migration is not held to the service's statement timeout ({@link DatabaseSessions}).
 */
@ApplicationScoped
public class Migrations {

    private static final Logger LOG = Logger.getLogger(Migrations.class.getName());

    void migrate(@Observes @Priority(PLATFORM_BEFORE) @Initialized(ApplicationScoped.class) Object start,
                 @Named("chat") DataSource dataSource) {
        var flyway = Flyway.configure().locations("classpath:db/migration");
        HikariDataSource pool = DatabaseSessions.pool(dataSource);
        if (pool != null && DatabaseSessions.isPostgres(pool.getJdbcUrl())) {
            // connections of its own, without the pool's statement timeout: a migration may take as long as it
            // needs (an index on a large table), and the pool's connections keep the service's limits
            flyway.dataSource(pool.getJdbcUrl(), pool.getUsername(), pool.getPassword());
        } else {
            flyway.dataSource(dataSource);
        }
        var result = flyway.load().migrate();
        LOG.info(() -> "database schema at version " + version(result)
                + " (" + result.migrationsExecuted + " migrations applied now)");
    }

    /** The version the schema is at now: Flyway names a target only when it applied something. */
    static String version(MigrateResult result) {
        String version = result.targetSchemaVersion != null ? result.targetSchemaVersion : result.initialSchemaVersion;
        return version != null ? version : "none";
    }
}
