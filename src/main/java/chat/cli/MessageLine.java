package chat.cli;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/**
 * One message as one terminal line, {@code HH:MM:SS user_id: text}, at the time it was sent in the local time zone.
 * Line breaks in the text are shown as a backslash and {@code n}, and other control characters as Java-style unicode
 * escapes, so that a message is always one line and cannot move the cursor or recolour the terminal of whoever reads
 * it.
 */
public final class MessageLine {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");

    private MessageLine() {
    }

    public static String format(JsonNode message, ZoneId zone) {
        String time = TIME.format(Instant.ofEpochSecond(message.path("sent_at").asLong()).atZone(zone));
        return time + " " + printable(message.path("user_id").asText()) + ": "
                + printable(message.path("text").asText());
    }

    static String printable(String text) {
        var out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                continue;
            }
            if (c == '\n' || c == '\r') {
                out.append("\\n");
            } else if (c == '\t') {
                out.append(c);
            } else if (Character.isISOControl(c)) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
