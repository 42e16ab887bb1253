package chat.cli;

import java.util.Optional;

/**
 * Reads a {@code text/event-stream} line by line as the HTML standard's event stream interpretation does, so that
 * the command line resumes exactly where a browser's {@code EventSource} would. An {@code id:} line counts in every
 * block, also one without {@code data:} (such as a stream's opening block, {@code : connected}, {@code id: 7},
 * {@code retry: 3000}): when the block ends, its id becomes the last event id, which a reconnect sends as
 * {@code Last-Event-ID}. A block cut off by the end of a connection is discarded, its id too.
 */
public final class EventStream {

    /** A dispatched event: its type ({@code message} when the block named none) and its data lines joined. */
    public record Event(String type, String data, String lastEventId) {
    }

    private final StringBuilder data = new StringBuilder();
    private String type = "";
    private String idBuffer;
    private String lastEventId;
    private long retryMillis;
    private boolean firstLine = true;

    /**
     * A stream that starts after {@code lastEventId} (null: from the service's present) and reconnects after
     * {@code retryMillis} until the stream says otherwise.
     */
    public EventStream(String lastEventId, long retryMillis) {
        this.lastEventId = lastEventId;
        this.idBuffer = lastEventId;
        this.retryMillis = retryMillis;
    }

    /** Starts reading a new connection's lines: what the previous one left unfinished is dropped. */
    public void newConnection() {
        data.setLength(0);
        type = "";
        idBuffer = lastEventId;
        firstLine = true;
    }

    /** Takes one line (without its line break) and answers the event it completes, if it completes one. */
    public Optional<Event> line(String line) {
        if (firstLine) {
            firstLine = false;
            if (line.startsWith("\uFEFF")) {
                line = line.substring(1);
            }
        }
        if (line.isEmpty()) {
            return dispatch();
        }
        if (line.startsWith(":")) {
            return Optional.empty();
        }
        int colon = line.indexOf(':');
        String field = colon < 0 ? line : line.substring(0, colon);
        String value = colon < 0 ? "" : line.substring(colon + 1);
        if (value.startsWith(" ")) {
            value = value.substring(1);
        }
        switch (field) {
            case "event" -> type = value;
            case "data" -> data.append(value).append('\n');
            case "id" -> {
                if (value.indexOf('\0') < 0) {
                    idBuffer = value;
                }
            }
            case "retry" -> {
                if (!value.isEmpty() && value.length() < 10 && value.chars().allMatch(c -> c >= '0' && c <= '9')) {
                    retryMillis = Long.parseLong(value);
                }
            }
            default -> {
                // unknown fields are ignored, as the standard says
            }
        }
        return Optional.empty();
    }

    private Optional<Event> dispatch() {
        lastEventId = idBuffer;
        if (data.isEmpty()) {
            type = "";
            return Optional.empty();
        }
        data.setLength(data.length() - 1);
        var event = new Event(type.isEmpty() ? "message" : type, data.toString(), lastEventId);
        data.setLength(0);
        type = "";
        return Optional.of(event);
    }

    /** The id to resume after, when the stream has given one (an empty id means none). */
    public Optional<String> lastEventId() {
        return lastEventId == null || lastEventId.isEmpty() ? Optional.empty() : Optional.of(lastEventId);
    }

    /** How long to wait before reconnecting: the stream's last {@code retry:}, else the initial value. */
    public long retryMillis() {
        return retryMillis;
    }
}
