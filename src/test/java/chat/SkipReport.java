package chat;

import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.TestSource;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Says on the console why a test did not run: disabled by a condition (no Chromium, no node) or stopped by an
 * assumption (a check that needs PostgreSQL, in the embedded pass). Surefire keeps what tests print in report files
 * ({@code redirectTestOutputToFile}) and shows only counts; what the test JVM writes to its own standard error
 * (file descriptor 2, not {@code System.err}, which surefire captures) reaches Maven's console as it is. Each reason
 * is printed once per test class.
 */
public class SkipReport implements TestExecutionListener {

    private final PrintStream console;
    private final Set<String> printed = ConcurrentHashMap.newKeySet();

    /** Found by the JUnit launcher (META-INF/services): prints to the process's standard error. */
    public SkipReport() {
        this(new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8));
    }

    public SkipReport(PrintStream console) {
        this.console = console;
    }

    @Override
    public void executionSkipped(TestIdentifier test, String reason) {
        report(test, reason);
    }

    @Override
    public void executionFinished(TestIdentifier test, TestExecutionResult result) {
        if (result.getStatus() == TestExecutionResult.Status.ABORTED) {
            report(test, result.getThrowable().map(Throwable::getMessage).orElse("aborted"));
        }
    }

    private void report(TestIdentifier test, String reason) {
        String where = test.getSource().map(SkipReport::className).orElse(test.getDisplayName());
        if (printed.add(where + "\n" + reason)) {
            console.println("[SKIPPED] " + where + ": " + reason);
        }
    }

    private static String className(TestSource source) {
        if (source instanceof ClassSource type) {
            return type.getClassName();
        }
        if (source instanceof MethodSource method) {
            return method.getClassName();
        }
        return source.toString();
    }
}
