package chat.identity.control;

import chat.problems.Problem;

import java.util.regex.Pattern;

/**
 * Namespaces (micro's tenants) are short names of letters, digits, dots, dashes and underscores; {@code micro}
 * when a request names none.
 */
public final class Namespaces {

    public static final String DEFAULT = "micro";
    public static final int MAX_LENGTH = 64;
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1," + MAX_LENGTH + "}");

    private Namespaces() {
    }

    public static boolean valid(String namespace) {
        return namespace != null && NAME.matcher(namespace).matches();
    }

    /**
     * @throws Problem 400 {@code <call>.InvalidNamespace}
     */
    public static String require(String namespace, String call) {
        if (!valid(namespace)) {
            throw Problem.badRequest(call + ".InvalidNamespace", "the namespace must be 1 to " + MAX_LENGTH
                    + " letters, digits, '.', '-' or '_'");
        }
        return namespace;
    }
}
