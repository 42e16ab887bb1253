package chat.chats.control;

import chat.problems.Problem;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

/**
 * Where a page of List ends: the last listed chat's activity (microseconds, what both databases keep) and id, the
 * order List sorts by, so that a page boundary is exact even when chats share an instant. Written
 * {@code <micros>_<chat id>}: {@code before} of the next page is the {@code next_before} of this one.
 */
public record ListCursor(long micros, UUID chatId) {

    public static ListCursor of(Instant activity, UUID chatId) {
        return new ListCursor(ChronoUnit.MICROS.between(Instant.EPOCH, activity), chatId);
    }

    /** @throws Problem 400 {@code chat.List.InvalidBefore} for a text that no page answered */
    public static ListCursor parse(String text) {
        int cut = text.indexOf('_');
        try {
            return new ListCursor(Long.parseLong(text.substring(0, cut)), UUID.fromString(text.substring(cut + 1)));
        } catch (RuntimeException e) {
            throw Problem.badRequest("chat.List.InvalidBefore", "before must be the next_before of a page of List");
        }
    }

    public Instant activity() {
        return Instant.EPOCH.plus(micros, ChronoUnit.MICROS);
    }

    @Override
    public String toString() {
        return micros + "_" + chatId;
    }
}
