package chat.problems;

import io.helidon.http.NotFoundException;
import io.helidon.microprofile.server.ServerCdiExtension;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;

/**
 * A path that neither JAX-RS nor Helidon's own routes (health, openapi, static files) serve is answered here, at
 * the end of Helidon's routing, in micro's format like every other error.
 */
@ApplicationScoped
public class UnknownPaths {

    void register(@Observes @Initialized(ApplicationScoped.class) Object start, ServerCdiExtension server) {
        Problem notFound = new Problem(HttpProblemMapper.idFor(404), 404, HttpProblemMapper.detailFor(404));
        server.serverRoutingBuilder().error(NotFoundException.class,
                (request, response, exception) -> MicroErrors.send(response, notFound));
    }
}
