package chat;

import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Finds the programs a test needs (chromium, node, ...) on the PATH. The JUnit configuration parameter
 * {@value PARAMETER} (or the system property of that name) replaces the PATH for the check, so a test can show what
 * happens on a machine without them.
 */
public final class SearchPath {

    public static final String PARAMETER = "chat.test.path";

    private SearchPath() {
    }

    /** The directories to search, as a test's execution condition sees them. */
    public static String of(ExtensionContext context) {
        return context.getConfigurationParameter(PARAMETER).orElseGet(SearchPath::fromEnvironment);
    }

    /** The directories to search, outside of a condition. */
    public static String fromEnvironment() {
        return Optional.ofNullable(System.getProperty(PARAMETER))
                .orElseGet(() -> System.getenv().getOrDefault("PATH", ""));
    }

    /** The first executable of one of these names in the directories of {@code path}. */
    public static Optional<Path> find(String path, String... names) {
        return Stream.of(path.split(File.pathSeparator))
                .filter(dir -> !dir.isEmpty())
                .flatMap(dir -> Stream.of(names).map(name -> Path.of(dir, name)))
                .filter(Files::isExecutable)
                .findFirst();
    }
}
