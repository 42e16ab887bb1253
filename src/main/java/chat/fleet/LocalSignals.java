package chat.fleet;

/**
 * No transport: a single instance, whose own commits reach its streams in process. The only choice on the embedded
 * H2 database, which one process holds at a time.
 */
final class LocalSignals implements Signals {

    @Override
    public String name() {
        return "local";
    }

    @Override
    public void start(Receiver receiver) {
    }

    @Override
    public boolean connected() {
        return true;
    }

    @Override
    public void close() {
    }
}
