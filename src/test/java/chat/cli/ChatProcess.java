package chat.cli;

import chat.ServiceProcess;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The {@code chat} command as a user runs it: the launcher the build wrote ({@code target/chat}), a process of its
 * own, with the service's address in {@code CHAT_URL} and nothing else of the test's environment that the command
 * reads. Either run to the end ({@link #run}) or kept open to type into and read from ({@link #start}).
 */
final class ChatProcess implements AutoCloseable {

    /** What a finished command did. */
    record Result(int status, String out, String err) {
    }

    private final Process process;
    private final OutputStream stdin;
    private final Lines out;
    private final Lines err;

    private ChatProcess(Process process) {
        this.process = process;
        this.stdin = process.getOutputStream();
        this.out = new Lines(process.getInputStream());
        this.err = new Lines(process.getErrorStream());
    }

    static ProcessBuilder builder(URI service, Map<String, String> env, List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(ServiceProcess.launcher().toString());
        command.addAll(args);
        var builder = new ProcessBuilder(command);
        builder.environment().remove("CHAT_TOKEN");
        builder.environment().remove("MICRO_NAMESPACE");
        builder.environment().remove("JAVA_OPTS");
        if (service != null) {
            builder.environment().put("CHAT_URL", service.toString());
        } else {
            builder.environment().remove("CHAT_URL");
        }
        builder.environment().putAll(env);
        return builder;
    }

    /** Runs {@code chat args...} with {@code input} on stdin, to its end. */
    static Result run(URI service, Map<String, String> env, String input, String... args) {
        try (ChatProcess chat = new ChatProcess(builder(service, env, List.of(args)).start())) {
            chat.type(input);
            chat.endInput();
            int status = chat.waitFor(Duration.ofSeconds(60));
            return new Result(status, chat.out.all(), chat.err.all());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Result run(URI service, String... args) {
        return run(service, Map.of(), "", args);
    }

    /** Starts {@code chat args...} and leaves its stdin open. */
    static ChatProcess start(URI service, String... args) {
        try {
            return new ChatProcess(builder(service, Map.of(), List.of(args)).start());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void type(String text) {
        try {
            stdin.write(text.getBytes(StandardCharsets.UTF_8));
            stdin.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void endInput() {
        try {
            stdin.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    int waitFor(Duration limit) {
        try {
            if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("chat did not end within " + limit + "; stderr so far:\n" + err.soFar());
            }
            out.finished();
            err.finished();
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Waits until stdout's complete lines satisfy {@code wanted}, and answers them. */
    List<String> awaitOut(Predicate<List<String>> wanted, Duration limit) {
        return out.await(wanted, limit, () -> "stdout " + out.soFar() + "\nstderr:\n" + err.soFar());
    }

    List<String> awaitErr(Predicate<List<String>> wanted, Duration limit) {
        return err.await(wanted, limit, () -> "stderr:\n" + err.soFar());
    }

    String outSoFar() {
        return out.soFar();
    }

    String errSoFar() {
        return err.soFar();
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }

    /** One output stream, read as it comes by a thread of its own. */
    private static final class Lines {
        private final StringBuilder text = new StringBuilder();
        private final CompletableFuture<Void> done;

        Lines(InputStream stream) {
            done = CompletableFuture.runAsync(() -> {
                byte[] buffer = new byte[8192];
                var bytes = new ByteArrayOutputStream();
                try (stream) {
                    for (int n = stream.read(buffer); n >= 0; n = stream.read(buffer)) {
                        bytes.write(buffer, 0, n);
                        synchronized (this) {
                            text.setLength(0);
                            text.append(bytes.toString(StandardCharsets.UTF_8));
                            notifyAll();
                        }
                    }
                } catch (IOException ignored) {
                    // the process ended
                }
            }, runnable -> Thread.ofPlatform().daemon().start(runnable));
        }

        synchronized String soFar() {
            return text.toString();
        }

        void finished() {
            try {
                done.get(10, TimeUnit.SECONDS);
            } catch (TimeoutException | ExecutionException e) {
                throw new AssertionError("output did not end", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }

        String all() {
            return soFar();
        }

        synchronized List<String> await(Predicate<List<String>> wanted, Duration limit,
                                        Supplier<String> context) {
            long until = System.nanoTime() + limit.toNanos();
            while (true) {
                String complete = text.substring(0, text.lastIndexOf("\n") + 1);
                List<String> lines = complete.lines().toList();
                if (wanted.test(lines)) {
                    return lines;
                }
                long left = until - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("waited " + limit + " in vain; " + context.get());
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(this, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError(e);
                }
            }
        }
    }
}
