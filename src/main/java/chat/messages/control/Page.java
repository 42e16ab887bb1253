package chat.messages.control;

import chat.problems.Problem;

/**
 * Which messages a History call reads: those with {@code after < seq < before}, at most {@code limit}. With an
 * {@code after} cursor the oldest of them (catching up), otherwise the newest (the latest page, or paging back
 * with {@code before}). Zero or missing means "no bound", as in micro's proto3 defaults; {@code "after":0} asks
 * for the oldest messages of the chat.
 */
public record Page(long after, long before, int limit, boolean oldestFirst) {

    public static final int DEFAULT_LIMIT = 50;
    public static final int MAX_LIMIT = 1000;

    /** Up to {@code limit} messages after {@code after} and before {@code before}, oldest first. */
    public static Page between(long after, long before, int limit) {
        return new Page(after, before, Math.min(limit, MAX_LIMIT), true);
    }

    /**
     * @throws Problem 400 {@code chat.History.InvalidLimit}, {@code InvalidBefore} or {@code InvalidAfter} for
     *                 negative values
     */
    public static Page of(Integer limit, Long before, Long after) {
        int size = limit == null ? 0 : limit;
        long upper = before == null ? 0 : before;
        long lower = after == null ? 0 : after;
        if (size < 0) {
            throw Problem.badRequest("chat.History.InvalidLimit", "limit must not be negative");
        }
        if (upper < 0) {
            throw Problem.badRequest("chat.History.InvalidBefore", "before must not be negative");
        }
        if (lower < 0) {
            throw Problem.badRequest("chat.History.InvalidAfter", "after must not be negative");
        }
        return new Page(lower,
                upper == 0 ? Long.MAX_VALUE : upper,
                size == 0 ? DEFAULT_LIMIT : Math.min(size, MAX_LIMIT),
                after != null);
    }
}
