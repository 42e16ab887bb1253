package chat.problems;

import java.util.Set;

/**
 * Names the API call a request path belongs to, the middle part of micro's error ids: {@code chat/Send} and
 * {@code chat/Chat/Send} are both the operation {@code Send}, so their errors are {@code chat.Send.*}.
 */
public final class Operation {

    static final Set<String> KNOWN = Set.of("New", "Send", "History", "Connect", "Session",
            // issue 14: conversations
            "Create", "Invite", "Leave", "Kick", "Delete", "List", "Read", "Typing");

    /** The calls of message life (issue 15), kept apart so that the two sets grow without touching each other. */
    static final Set<String> MESSAGE_LIFE = Set.of("Edit", "DeleteMessage", "React", "Changes", "Search");

    private Operation() {
    }

    /**
     * The error id prefix for a request path (leading and trailing slashes do not matter), e.g.
     * {@code chat.Send}; just {@code chat} for paths that are not an API call. Runs on every request, so it only
     * scans the path once.
     */
    public static String prefix(String path) {
        int start = 0;
        int end = path.length();
        while (start < end && path.charAt(start) == '/') {
            start++;
        }
        while (end > start && path.charAt(end - 1) == '/') {
            end--;
        }
        String trimmed = path.substring(start, end);
        if (!trimmed.startsWith("chat/")) {
            return "chat";
        }
        String rest = trimmed.substring("chat/".length());
        if (rest.startsWith("Chat/")) {
            rest = rest.substring("Chat/".length());
        }
        return KNOWN.contains(rest) || MESSAGE_LIFE.contains(rest) ? "chat." + rest : "chat";
    }

    /** The call a request path is ({@code Send} for {@code /chat/Send} and {@code /chat/Chat/Send}), or {@code other}. */
    public static String name(String path) {
        String prefix = prefix(path);
        return prefix.length() > "chat.".length() ? prefix.substring("chat.".length()) : "other";
    }
}
