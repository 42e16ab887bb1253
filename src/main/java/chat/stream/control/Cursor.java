package chat.stream.control;

import chat.problems.Problem;

/**
 * Where a stream starts: after the seq a client has seen ({@code Last-Event-ID}, or {@code last_event_id} on a
 * first connect; the header wins), or after the chat's newest message when it gives none. A cursor that is not a
 * number, or is ahead of the chat, is refused: resuming silently from somewhere else would lose or repeat messages.
 */
public final class Cursor {

    private Cursor() {
    }

    /**
     * @param header  the {@code Last-Event-ID} header, may be null or empty
     * @param query   the {@code last_event_id} query parameter, may be null or empty
     * @param lastSeq the seq of the chat's newest message
     * @return the seq after which the stream starts
     * @throws Problem 400 {@code chat.Connect.InvalidLastEventID}
     */
    public static long after(String header, String query, long lastSeq) {
        String given = present(header) ? header.strip() : present(query) ? query.strip() : null;
        if (given == null) {
            return lastSeq;
        }
        long seq;
        try {
            seq = Long.parseLong(given);
        } catch (NumberFormatException e) {
            throw invalid("the last event id must be a message seq (a whole number), not '" + shorten(given) + "'");
        }
        if (seq < 0) {
            throw invalid("the last event id must not be negative");
        }
        if (seq > lastSeq) {
            throw invalid("the last event id " + seq + " is ahead of the chat, whose newest message is " + lastSeq);
        }
        return seq;
    }

    private static boolean present(String value) {
        return value != null && !value.isBlank();
    }

    private static String shorten(String value) {
        return value.length() > 40 ? value.substring(0, 40) + "…" : value;
    }

    private static Problem invalid(String detail) {
        return Problem.badRequest("chat.Connect.InvalidLastEventID", detail);
    }
}
