package chat.cli;

import java.io.InputStream;
import java.io.PrintStream;

/** Where a command reads and writes: the process's standard streams, with UTF-8 text whatever the locale says. */
public record Io(InputStream in, PrintStream out, PrintStream err) {
}
