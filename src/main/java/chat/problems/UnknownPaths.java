package chat.problems;

import chat.api.model.MicroError;
import chat.platform.JsonMapping;
import com.fasterxml.jackson.core.JsonProcessingException;
import io.helidon.http.HeaderValues;
import io.helidon.http.NotFoundException;
import io.helidon.http.Status;
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
        byte[] body = notFoundBody();
        server.serverRoutingBuilder().error(NotFoundException.class, (request, response, exception) -> {
            response.status(Status.NOT_FOUND_404);
            response.header(HeaderValues.CONTENT_TYPE_JSON);
            response.send(body);
        });
    }

    private static byte[] notFoundBody() {
        var error = new MicroError().id(HttpProblemMapper.idFor(404)).code(404)
                .detail(HttpProblemMapper.detailFor(404)).status(MicroErrors.statusText(404));
        try {
            return JsonMapping.create().writeValueAsBytes(error);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
