package chat.chats.control;

import chat.problems.Problem;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.TreeSet;

/**
 * The set of users of a chat, normalised: duplicates removed and sorted, so that the same users in any order make
 * the same set. Its {@link #key()} is what the database keeps unique.
 *
 * @param userIds the distinct user ids, sorted
 */
public record Members(List<String> userIds) {

    public static final int MAX_USERS = 1000;

    /**
     * Validates and normalises the user ids of a New request.
     *
     * @throws Problem 400 {@code chat.New.MissingUserIDs} when there are none, {@code chat.New.InvalidUserID} for a
     *                 blank, over-long or malformed id, {@code chat.New.TooManyUserIDs} past {@value MAX_USERS}
     */
    public static Members of(List<String> userIds) {
        return of(userIds, "chat.New");
    }

    /** The same for another call's user ids: its errors are {@code <call>.MissingUserIDs} and so on. */
    public static Members of(List<String> userIds, String call) {
        if (userIds == null || userIds.isEmpty()) {
            throw Problem.badRequest(call + ".MissingUserIDs", "one or more user ids are required");
        }
        var distinct = new TreeSet<String>();
        for (String userId : userIds) {
            if (userId == null || userId.isBlank()) {
                throw Problem.badRequest(call + ".InvalidUserID", "user ids must not be blank");
            }
            Texts.requireValid(userId, call + ".InvalidUserID", "user id", Texts.MAX_ID_LENGTH);
            distinct.add(userId);
        }
        if (distinct.size() > MAX_USERS) {
            throw Problem.badRequest(call + ".TooManyUserIDs", "a chat has at most " + MAX_USERS + " users");
        }
        return new Members(List.copyOf(distinct));
    }

    /**
     * SHA-256 (hex) of the ids, each prefixed by its length: unambiguous, unlike joining with a separator
     * ({@code ["a-b","c"]} and {@code ["a","b-c"]} must not collide).
     */
    public String key() {
        try {
            var digest = MessageDigest.getInstance("SHA-256");
            for (String userId : userIds) {
                byte[] bytes = userId.getBytes(StandardCharsets.UTF_8);
                digest.update((bytes.length + ":").getBytes(StandardCharsets.US_ASCII));
                digest.update(bytes);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
