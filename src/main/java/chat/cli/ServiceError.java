package chat.cli;

/**
 * The service answered with an error (exit status 1). {@code body} is what it answered, micro's error JSON, printed
 * on stderr as it came.
 */
public final class ServiceError extends Exception {

    private final int status;
    private final byte[] body;

    public ServiceError(int status, byte[] body) {
        super("the service answered " + status);
        this.status = status;
        this.body = body;
    }

    public int status() {
        return status;
    }

    public byte[] body() {
        return body;
    }

    /**
     * Whether the same call may succeed later: the service is unavailable or overloaded (5xx, 408, 429). Other 4xx
     * answers say the request itself is refused and will be refused again.
     */
    public boolean retryable() {
        return status >= 500 || status == 408 || status == 429;
    }
}
