package chat.platform;

import chat.problems.Operation;
import chat.problems.Problem;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.ext.Provider;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads every API body as JSON, whatever plain content type the client sent: {@code curl -d} sends
 * {@code application/x-www-form-urlencoded}, and micro's gateway took such bodies as JSON too. Bodies larger
 * than {@code chat.max-body-bytes} are refused with 413 before they are read, by their length when it is
 * declared and by counting when it is not (chunked uploads).
 */
@Provider
@PreMatching
@ApplicationScoped
public class JsonBodies implements ContainerRequestFilter {

    private final long maxBodyBytes;

    @Inject
    public JsonBodies(@ConfigProperty(name = "chat.max-body-bytes", defaultValue = "1048576") long maxBodyBytes) {
        this.maxBodyBytes = maxBodyBytes;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        if (!HttpMethod.POST.equals(request.getMethod())) {
            return;
        }
        String call = Operation.prefix(request.getUriInfo().getPath());
        if (readAsJson(request.getMediaType())) {
            request.getHeaders().putSingle(HttpHeaders.CONTENT_TYPE, MediaType.APPLICATION_JSON);
        }
        if (request.getLength() > maxBodyBytes) {
            throw tooLarge(call);
        }
        request.setEntityStream(new Bounded(request.getEntityStream(), maxBodyBytes, call));
    }

    static boolean readAsJson(MediaType type) {
        return type == null
                || type.isCompatible(MediaType.APPLICATION_FORM_URLENCODED_TYPE)
                || type.isCompatible(MediaType.TEXT_PLAIN_TYPE);
    }

    private Problem tooLarge(String call) {
        return Problem.tooLarge(call + ".RequestTooLarge",
                "the request body is larger than " + maxBodyBytes + " bytes");
    }

    /** Counts what is read and fails with 413 past the limit. */
    private final class Bounded extends FilterInputStream {
        private final long limit;
        private final String call;
        private long count;

        Bounded(InputStream in, long limit, String call) {
            super(in);
            this.limit = limit;
            this.call = call;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                counted(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n > 0) {
                counted(n);
            }
            return n;
        }

        private void counted(int n) {
            count += n;
            if (count > limit) {
                throw tooLarge(call);
            }
        }
    }
}
