package chat.messages.control;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How long after sending a message its sender may still edit it ({@code chat.edit-window}): {@code unlimited}
 * (the default), a number with a unit ({@code 90s}, {@code 15m}, {@code 2h}, {@code 7d}) or an ISO-8601 duration
 * ({@code PT15M}).
 */
public record EditWindow(Duration length) {

    private static final Pattern SHORT = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");

    public static final EditWindow UNLIMITED = new EditWindow(null);

    /** @throws IllegalArgumentException for a value of none of the forms above, or a negative one */
    public static EditWindow parse(String value) {
        String text = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
        if (text.isEmpty() || text.equals("unlimited")) {
            return UNLIMITED;
        }
        Matcher shortForm = SHORT.matcher(text);
        if (shortForm.matches()) {
            long amount = Long.parseLong(shortForm.group(1));
            return new EditWindow(switch (shortForm.group(2)) {
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                default -> Duration.ofDays(amount);
            });
        }
        try {
            Duration iso = Duration.parse(value.trim());
            if (iso.isNegative()) {
                throw new IllegalArgumentException("chat.edit-window must not be negative: " + value);
            }
            return new EditWindow(iso);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("chat.edit-window is 'unlimited', a number with a unit (90s, 15m, 2h,"
                    + " 7d) or an ISO-8601 duration (PT15M): " + value, e);
        }
    }

    /** Whether a message sent at {@code sentAt} may still be edited at {@code now}. */
    public boolean open(Instant sentAt, Instant now) {
        return length == null || !now.isAfter(sentAt.plus(length));
    }
}
