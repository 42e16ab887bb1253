package chat.cli;

import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The command line client: {@code chat <command> [options]} against a running service. It loads picocli, Jackson and
 * the generated client, nothing of the server: no CDI, no Helidon, no MicroProfile config, so a command answers in a
 * fraction of a second. Every outcome maps to one exit status (see {@link ChatCommand}'s help).
 */
public final class Cli {

    public static final int OK = 0;
    public static final int SERVICE_ERROR = 1;
    public static final int USAGE = 2;
    public static final int UNREACHABLE = 3;

    private static HttpClient client;
    private static boolean exiting;

    private Cli() {
    }

    public static void main(String... args) {
        // Jackson, the models and the HTTP client load on other threads while picocli reads the arguments.
        Thread.ofPlatform().daemon().name("chat-json").start(Prepared::warm);
        Thread.ofPlatform().daemon().name("chat-http").start(Prepared.Http::open);
        var io = new Io(new FileInputStream(FileDescriptor.in),
                new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8),
                new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8));
        exit(run(io, args));
    }

    /**
     * Ends the process with this status, also from a thread other than the command's (the stream of connect). The
     * HTTP client is shut down first: the JVM's exit waits up to a third of a second for a thread blocked in native
     * code, such as the client's selector, and that would double a command's time.
     */
    static void exit(int status) {
        HttpClient http;
        synchronized (Cli.class) {
            exiting = true;
            http = client;
        }
        if (http != null) {
            http.shutdownNow();
            try {
                http.awaitTermination(Duration.ofMillis(200));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        System.out.flush();
        System.exit(status);
    }

    /** The HTTP client the command made (see {@link #exit}); one made while exiting is shut down at once. */
    static HttpClient opened(HttpClient http) {
        synchronized (Cli.class) {
            if (!exiting) {
                client = http;
                return http;
            }
        }
        http.shutdownNow();
        return http;
    }

    /** Runs one command line and answers its exit status. */
    public static int run(Io io, String... args) {
        var commandLine = new CommandLine(new ChatCommand(io));
        commandLine.setOut(new PrintWriter(io.out(), true, StandardCharsets.UTF_8));
        commandLine.setErr(new PrintWriter(io.err(), true, StandardCharsets.UTF_8));
        commandLine.setParameterExceptionHandler(Cli::usageError);
        commandLine.setExecutionExceptionHandler((e, command, parsed) -> failure(e, io));
        return commandLine.execute(args);
    }

    private static int usageError(ParameterException e, String[] args) {
        CommandLine command = e.getCommandLine();
        PrintWriter err = command.getErr();
        err.println("chat: " + e.getMessage());
        err.println();
        command.usage(err);
        err.flush();
        return USAGE;
    }

    private static int failure(Exception e, Io io) {
        if (e instanceof ServiceError error) {
            JsonAnswer.print(io.err(), error.body().length > 0 ? error.body()
                    : ("chat: the service answered " + error.status() + " without a body")
                            .getBytes(StandardCharsets.UTF_8));
            return SERVICE_ERROR;
        }
        if (e instanceof Unreachable unreachable) {
            io.err().println("chat: " + unreachable.getMessage());
            return UNREACHABLE;
        }
        io.err().println("chat: " + (e.getMessage() != null ? e.getMessage() : e.toString()));
        return SERVICE_ERROR;
    }
}
