package chat.platform;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Named;
import org.flywaydb.core.Flyway;

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
        LOG.info(() -> "database schema at version " + result.targetSchemaVersion
                + " (" + result.migrationsExecuted + " migrations applied now)");
    }
}
