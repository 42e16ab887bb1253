package chat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** What one class logs while a test runs: {@code try (var log = LogCapture.of(Some.class)) { … log.records() }}. */
public final class LogCapture extends Handler implements AutoCloseable {

    private final Logger logger;
    private final List<LogRecord> records = new CopyOnWriteArrayList<>();

    private LogCapture(Logger logger) {
        this.logger = logger;
        setLevel(Level.ALL);
        logger.addHandler(this);
    }

    public static LogCapture of(Class<?> logging) {
        return of(logging.getName());
    }

    /** What the logger of this name and those below it log; {@code ""} for every logger. */
    public static LogCapture of(String name) {
        return new LogCapture(Logger.getLogger(name));
    }

    /**
     * Each record as the log shows it: its formatted message, then the messages of its exception and causes (a
     * stack trace's class and method names are code, not data).
     */
    public List<String> texts() {
        var formatter = new java.util.logging.SimpleFormatter();
        return records.stream().map(record -> {
            var text = new StringBuilder(formatter.formatMessage(record));
            for (Throwable t = record.getThrown(); t != null; t = t.getCause() == t ? null : t.getCause()) {
                text.append('\n').append(t);
            }
            return text.toString();
        }).toList();
    }

    public List<LogRecord> records() {
        return List.copyOf(records);
    }

    /** The messages of the records at {@code level} or above. */
    public List<String> messages(Level level) {
        return records.stream().filter(record -> record.getLevel().intValue() >= level.intValue())
                .map(LogRecord::getMessage).toList();
    }

    @Override
    public void publish(LogRecord record) {
        records.add(record);
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        logger.removeHandler(this);
    }
}
