package chat.problems;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** Domain problems: their own id, status and detail. */
@Provider
@ApplicationScoped
public class ProblemMapper implements ExceptionMapper<Problem> {

    @Override
    public Response toResponse(Problem problem) {
        return MicroErrors.response(problem);
    }
}
