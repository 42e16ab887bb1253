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
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Reads every API body as JSON, whatever plain content type the client sent: {@code curl -d} sends
 * {@code application/x-www-form-urlencoded}, and micro's gateway took such bodies as JSON too. Bodies larger
 * than {@code chat.max-body-bytes} are refused with 413 before they are read, by their length when it is
 * declared and by counting when it is not (chunked uploads).
 *
 * <p>A body whose framing cannot be trusted is refused with 400 before it is read: a {@code Content-Type} that
 * does not parse, a {@code Content-Length} that is not one number of bytes (given twice, it is how requests are
 * smuggled past proxies; negative, the server would wait for the body forever). A chunked body whose chunks
 * do not parse is refused when it is read (Helidon fails with a bare runtime exception there, which would
 * otherwise be a 500).
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
        List<String> lengths = request.getHeaders().get(HttpHeaders.CONTENT_LENGTH);
        if (lengths != null && (lengths.size() != 1 || !lengths.get(0).strip().matches("[0-9]{1,18}"))) {
            throw Problem.badRequest(call + ".InvalidHeader", "Content-Length must be given once, as a number of bytes");
        }
        MediaType type;
        try {
            type = request.getMediaType();
        } catch (RuntimeException unparsable) {
            throw Problem.badRequest(call + ".InvalidHeader", "the Content-Type header is not a media type");
        }
        if (readAsJson(type)) {
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

    private interface Read {
        int run() throws IOException;
    }

    /**
     * Counts what is read and fails with 413 past the limit; a body that cannot be read as it is framed (a
     * broken chunk) fails with 400.
     */
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
            int b = framed(super::read);
            if (b >= 0) {
                counted(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = framed(() -> super.read(buffer, offset, length));
            if (n > 0) {
                counted(n);
            }
            return n;
        }

        /** Closing reads what is left of the body, so a broken chunk may show only here. */
        @Override
        public void close() throws IOException {
            framed(() -> {
                super.close();
                return 0;
            });
        }

        /** A read of the body as Helidon frames it; what it fails with, other than I/O, is the client's framing. */
        private int framed(Read read) throws IOException {
            try {
                return read.run();
            } catch (Problem | UncheckedIOException e) {
                throw e;
            } catch (RuntimeException broken) {
                throw Problem.badRequest(call + ".InvalidBody",
                        "the request body cannot be read: its chunked encoding is broken");
            }
        }

        private void counted(int n) {
            count += n;
            if (count > limit) {
                throw tooLarge(call);
            }
        }
    }
}
