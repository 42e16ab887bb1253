package chat.messages.control;

import chat.chats.control.Texts;
import chat.problems.Problem;

/**
 * A reaction's emoji as a client gives it. Not checked against Unicode's list of emoji (which grows every year,
 * and whose sequences with skin tones and joiners are long): one short, storable token without spaces or control
 * characters, which is what every emoji is.
 */
public final class Emoji {

    /** Characters (UTF-16 units): enough for the longest emoji sequences (a family with skin tones is 11). */
    public static final int MAX_LENGTH = 32;

    private Emoji() {
    }

    /**
     * @throws Problem 400 {@code <call>.MissingEmoji}, {@code <call>.InvalidEmoji}
     */
    public static String require(String emoji, String call) {
        if (emoji == null || emoji.isEmpty()) {
            throw Problem.badRequest(call + ".MissingEmoji", "emoji is required");
        }
        Texts.requireValid(emoji, call + ".InvalidEmoji", "emoji", MAX_LENGTH);
        if (emoji.codePoints().anyMatch(Character::isWhitespace) || emoji.codePoints().anyMatch(Character::isSpaceChar)) {
            throw Problem.badRequest(call + ".InvalidEmoji", "emoji contains a space");
        }
        return emoji;
    }
}
