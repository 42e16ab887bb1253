package chat.problems;

import java.util.List;
import java.util.Set;

/**
 * Names the API call a request path belongs to, the middle part of micro's error ids: {@code chat/Send} and
 * {@code chat/Chat/Send} are both the operation {@code Send}, so their errors are {@code chat.Send.*}.
 */
public final class Operation {

    static final Set<String> KNOWN = Set.of("New", "Send", "History", "Connect");

    private Operation() {
    }

    /**
     * The error id prefix for a request path (without leading slash), e.g. {@code chat.Send}; just
     * {@code chat} for paths that are not an API call.
     */
    public static String prefix(String path) {
        List<String> segments = List.of(path.replaceAll("^/+|/+$", "").split("/+"));
        if (segments.size() < 2 || !segments.get(0).equals("chat")) {
            return "chat";
        }
        String last = segments.get(segments.size() - 1);
        boolean alias = segments.size() == 3 && segments.get(1).equals("Chat");
        if (KNOWN.contains(last) && (segments.size() == 2 || alias)) {
            return "chat." + last;
        }
        return "chat";
    }
}
