package chat.cli;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.lessThanOrEqualTo;

/**
 * A command's output with what the service makes up on every run replaced, so the rest can be compared byte for
 * byte: each UUID by {@code <id-N>} (numbered by first appearance, so that the same id twice stays the same) and each
 * {@code "sent_at": N} by {@code "sent_at": <time>}, once checked to be a Unix second of this run.
 */
final class Normalized {

    private static final Pattern UUID = Pattern.compile(
            "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    private static final Pattern SENT_AT = Pattern.compile("\"sent_at\": ?(\\d+)");

    private final Map<String, String> ids = new LinkedHashMap<>();
    private final long startedAt;

    Normalized(Instant startedAt) {
        this.startedAt = startedAt.getEpochSecond();
    }

    /** The placeholder an id got (or gets now). */
    String id(String uuid) {
        return ids.computeIfAbsent(uuid, u -> "<id-" + (ids.size() + 1) + ">");
    }

    String of(String output) {
        Matcher times = SENT_AT.matcher(output);
        StringBuilder timed = new StringBuilder();
        while (times.find()) {
            long sentAt = Long.parseLong(times.group(1));
            assertThat("sent_at is a Unix second of this run", sentAt,
                    allOf(greaterThanOrEqualTo(startedAt - 5), lessThanOrEqualTo(Instant.now().getEpochSecond() + 5)));
            times.appendReplacement(timed, Matcher.quoteReplacement(
                    times.group().substring(0, times.group().length() - times.group(1).length()) + "<time>"));
        }
        times.appendTail(timed);
        Matcher uuids = UUID.matcher(timed);
        StringBuilder out = new StringBuilder();
        while (uuids.find()) {
            uuids.appendReplacement(out, Matcher.quoteReplacement(id(uuids.group())));
        }
        uuids.appendTail(out);
        return out.toString();
    }
}
