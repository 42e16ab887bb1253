package chat.platform;

import io.helidon.common.context.Contexts;

import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * The id of one request, returned as {@code X-Request-Id}, written in its access log line and given as the reference
 * of a 500's body (and its logged stack trace). A client's own {@code X-Request-Id} is kept when it is sane: 1 to 128
 * letters, digits and {@code - _ . : = / +} (a UUID, a trace id), so that it can go into a header and a log line as
 * it is; anything else gets a new one.
 */
public record RequestId(String value) {

    private static final Pattern SANE = Pattern.compile("[A-Za-z0-9._:=/+-]{1,128}");

    /** The client's id if sane, else a new random one. */
    public static RequestId of(String given) {
        if (given != null && SANE.matcher(given).matches()) {
            return new RequestId(given);
        }
        // a random UUID's layout; ids need to be unique, not unguessable, so no secure random per request
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long high = (random.nextLong() & ~0xF000L) | 0x4000L;
        long low = (random.nextLong() & ~(0xC000L << 48)) | (0x8000L << 48);
        return new RequestId(new UUID(high, low).toString());
    }

    /** The id of the request this thread serves, if it serves one. */
    public static Optional<String> current() {
        return Contexts.context().flatMap(context -> context.get(RequestId.class)).map(RequestId::value);
    }
}
