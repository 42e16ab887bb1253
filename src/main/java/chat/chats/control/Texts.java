package chat.chats.control;

import chat.problems.Problem;

/**
 * What every stored string must satisfy: PostgreSQL refuses NUL characters, and a lone UTF-16 surrogate (which
 * JSON's {@code \ud800} escapes can produce) has no UTF-8 form. Refusing them up front turns what would be a
 * database error into a clear 400. Ids (user ids, client ids) must in addition be free of control characters:
 * they end up in log lines, headers and other people's screens, where a CR or LF would start a forged line.
 */
public final class Texts {

    public static final int MAX_ID_LENGTH = 255;

    private Texts() {
    }

    /**
     * An id or any other value that names something: at most {@code maxLength} characters, storable, and without
     * control characters.
     *
     * @throws Problem 400 {@code errorId}
     */
    public static void requireValid(String value, String errorId, String what, int maxLength) {
        requireValidText(value, errorId, what, maxLength);
        if (hasControlCharacter(value)) {
            throw Problem.badRequest(errorId, what + " contains a control character (such as CR, LF or TAB)");
        }
    }

    /**
     * Free text, a message's text or subject: at most {@code maxLength} characters and storable; line breaks and
     * tabs are the writer's to use.
     *
     * @throws Problem 400 {@code errorId}
     */
    public static void requireValidText(String value, String errorId, String what, int maxLength) {
        if (value.length() > maxLength) {
            throw Problem.badRequest(errorId, what + " is longer than " + maxLength + " characters");
        }
        if (!storable(value)) {
            throw Problem.badRequest(errorId, what + " contains a NUL character or invalid unicode");
        }
    }

    /** True unless the string has a NUL character or an unpaired surrogate. */
    public static boolean storable(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == 0) {
                return false;
            }
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= value.length() || !Character.isLowSurrogate(value.charAt(i + 1))) {
                    return false;
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    /**
     * True if the string has a C0 control (U+0000 to U+001F: CR, LF, TAB, ESC, ...), DEL, a C1 control (U+0080 to
     * U+009F, NEL among them), or a Unicode line or paragraph separator (U+2028, U+2029), which some viewers also
     * break lines at.
     */
    public static boolean hasControlCharacter(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.getType(c) == Character.CONTROL || c == '\u2028' || c == '\u2029') {
                return true;
            }
        }
        return false;
    }
}
