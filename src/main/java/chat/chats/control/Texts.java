package chat.chats.control;

import chat.problems.Problem;

/**
 * What every stored string must satisfy: PostgreSQL refuses NUL characters, and a lone UTF-16 surrogate (which
 * JSON's {@code \ud800} escapes can produce) has no UTF-8 form. Refusing them up front turns what would be a
 * database error into a clear 400.
 */
public final class Texts {

    public static final int MAX_ID_LENGTH = 255;

    private Texts() {
    }

    public static void requireValid(String value, String errorId, String what, int maxLength) {
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
}
