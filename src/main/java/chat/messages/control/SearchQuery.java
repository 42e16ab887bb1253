package chat.messages.control;

import chat.problems.Problem;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A Search query as words: the query is split at every character that is neither a letter nor a digit, and each
 * word, lowercased, must begin a word of the message (a whole word or a prefix). Only letters and digits reach the
 * database, so no query can be malformed there: PostgreSQL gets {@code w1:* & w2:*} for {@code to_tsquery}, H2 a
 * regular expression per word.
 */
public record SearchQuery(List<String> words) {

    public static final int MAX_LENGTH = 256;
    public static final int MAX_WORDS = 8;

    private static final Pattern NOT_A_WORD = Pattern.compile("[^\\p{L}\\p{N}]+");

    /**
     * @throws Problem 400 {@code chat.Search.MissingQuery} without a word, {@code chat.Search.InvalidQuery} for a
     *                 query longer than {@value #MAX_LENGTH} characters or of more than {@value #MAX_WORDS} words
     */
    public static SearchQuery of(String query) {
        if (query != null && query.length() > MAX_LENGTH) {
            throw Problem.badRequest("chat.Search.InvalidQuery", "query is longer than " + MAX_LENGTH + " characters");
        }
        List<String> words = query == null ? List.of() : Arrays.stream(NOT_A_WORD.split(query))
                .filter(word -> !word.isEmpty())
                .map(word -> word.toLowerCase(Locale.ROOT))
                .distinct()
                .toList();
        if (words.isEmpty()) {
            throw Problem.badRequest("chat.Search.MissingQuery", "query needs at least one word (letters or digits)");
        }
        if (words.size() > MAX_WORDS) {
            throw Problem.badRequest("chat.Search.InvalidQuery", "query has more than " + MAX_WORDS + " words");
        }
        return new SearchQuery(words);
    }

    /** For PostgreSQL's {@code to_tsquery}: every word as a prefix, all of them required. */
    public String tsquery() {
        return String.join(" & ", words.stream().map(word -> word + ":*").toList());
    }

    /** For H2's {@code REGEXP_LIKE} on the lowercased text: the word at the start of the text or after a non-word. */
    public static String wordStart(String word) {
        return "(^|[^\\p{L}\\p{N}])" + Pattern.quote(word);
    }
}
