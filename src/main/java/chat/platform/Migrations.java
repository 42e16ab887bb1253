package chat.platform;

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
 * only validates the schema, it never creates or changes it. The same migrations serve PostgreSQL and H2.
 */
@ApplicationScoped
public class Migrations {

    private static final Logger LOG = Logger.getLogger(Migrations.class.getName());

    void migrate(@Observes @Priority(PLATFORM_BEFORE) @Initialized(ApplicationScoped.class) Object start,
                 @Named("chat") DataSource dataSource) {
        var result = Flyway.configure()
                .dataSource(dataSource)
                .locations("classpath:db/migration")
                .load()
                .migrate();
        LOG.info(() -> "database schema at version " + version(result)
                + " (" + result.migrationsExecuted + " migrations applied now)");
    }

    /** The version the schema is at now: Flyway names a target only when it applied something. */
    static String version(MigrateResult result) {
        String version = result.targetSchemaVersion != null ? result.targetSchemaVersion : result.initialSchemaVersion;
        return version != null ? version : "none";
    }
}
