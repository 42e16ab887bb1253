package chat.cli;

/** No answer came from the service (exit status 3): refused, unknown host, timed out, or cut off. */
public final class Unreachable extends Exception {

    public Unreachable(String reason) {
        super(reason);
    }
}
