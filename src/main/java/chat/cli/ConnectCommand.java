package chat.cli;

import chat.cli.sdk.model.SendRequest;
import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZoneId;
import java.util.UUID;
import java.util.concurrent.Callable;

/**
 * {@code chat connect}: the terminal chat. The other users' messages are printed as they arrive (from
 * {@link LiveStream}, which resumes after drops); every line read from stdin is sent on the connection with a client
 * id of its own, and sent again with the same id until the service has it, so that a retry never stores it twice.
 * Lines are sent one after the other, in the order typed. At the end of the input it exits once every line is
 * answered: 0, or 1 when the service refused one (its error is on stderr).
 */
@Command(name = "connect", sortOptions = false,
        header = "Chat from the terminal: follow a chat live and send what you type (Connect).",
        description = "Chat from the terminal (Connect): the other users' messages are printed as they arrive, "
                + "one line each (HH:MM:SS user_id: text), and every line typed is sent. A dropped connection is "
                + "resumed where it stopped (Last-Event-ID), saying so on stderr; a line that cannot be sent yet is "
                + "retried with the same client_id, so it is stored once. The end of the input (Ctrl-D) exits once "
                + "every line is sent. Works in a pipe too.",
        footer = {"", "Example:",
                "  chat connect --chat_id=bed4f0f0-da12-46d2-90d2-17ae1714a214 --user_id=Barry",
                "  echo 'Hi John' | chat connect --chat_id=bed4f0f0-da12-46d2-90d2-17ae1714a214 \\",
                "      --user_id=Barry"})
final class ConnectCommand implements Callable<Integer> {

    private static final Duration FIRST_RETRY = Duration.ofMillis(250);
    private static final Duration LAST_RETRY = Duration.ofSeconds(3);

    @ParentCommand
    ChatCommand chat;

    @Mixin
    HelpOption help;

    @Option(names = "--chat_id", required = true, paramLabel = "<chat_id>", description = "The chat.")
    String chatId;

    @Option(names = "--user_id", required = true, paramLabel = "<user_id>", description = "Who you are in it.")
    String userId;

    @Option(names = "--json", description = "Print each message as the service's JSON, one object per line.")
    boolean json;

    @Option(names = "--echo", description = "Print your own messages too (sent from elsewhere, or typed here).")
    boolean echo;

    @Option(names = "--last_event_id", paramLabel = "<seq>",
            description = "Start after this seq: the messages after it are printed first, then the live ones.")
    Long lastEventId;

    @Override
    public Integer call() throws ServiceError, Unreachable, IOException {
        Io io = chat.io();
        Service service = chat.service();
        ZoneId zone = ZoneId.systemDefault();
        var stream = new LiveStream(service, chatId, userId, echo, lastEventId,
                event -> show(event, io.out(), zone), io.err());
        stream.open();
        if (interactive()) {
            io.err().println("chat: connected to " + chatId + " as " + userId
                    + "; type a line to send it, end the input (Ctrl-D) to leave");
        }
        Thread.ofPlatform().daemon().name("chat-stream").start(() -> stream.follow(refused -> {
            JsonAnswer.print(io.err(), refused.body());
            Cli.exit(Cli.SERVICE_ERROR);
        }));
        int status = Cli.OK;
        var lines = new BufferedReader(new InputStreamReader(io.in(), StandardCharsets.UTF_8));
        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
            if (!line.isEmpty() && !send(service, line, io.err())) {
                status = Cli.SERVICE_ERROR;
            }
        }
        stream.close();
        return status;
    }

    /**
     * Whether someone types at a terminal (stdin and stdout both one), who is then told how to send and leave; in a
     * pipe that line would only be noise. Before Java 22 a console exists only for a terminal; since, it always
     * exists and says whether it is one.
     */
    static boolean interactive() {
        Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
        } catch (ReflectiveOperationException beforeJava22) {
            return true;
        }
    }

    private void show(EventStream.Event event, PrintStream out, ZoneId zone) {
        if (!event.type().equals("message")) {
            return;
        }
        if (json) {
            out.println(event.data());
            return;
        }
        JsonNode message;
        try {
            message = Prepared.JSON.readTree(event.data());
        } catch (IOException e) {
            out.println(event.data());
            return;
        }
        out.println(MessageLine.format(message, zone));
    }

    /** Sends one line until the service has it; false when the service refused it for good. */
    private boolean send(Service service, String text, PrintStream err) {
        var request = new SendRequest().chatId(chatId).userId(userId).clientId(UUID.randomUUID().toString()).text(text);
        Duration wait = FIRST_RETRY;
        boolean retried = false;
        while (true) {
            String why;
            try {
                service.call(api -> api.connectSendWithHttpInfo(request, null));
                if (retried) {
                    err.println("chat: sent \"" + abbreviated(text) + "\"");
                }
                return true;
            } catch (ServiceError e) {
                if (!e.retryable()) {
                    JsonAnswer.print(err, e.body());
                    return false;
                }
                why = "the service answered " + e.status();
            } catch (Unreachable e) {
                why = e.getMessage();
            }
            if (!retried) {
                err.println("chat: could not send \"" + abbreviated(text) + "\" yet (" + why
                        + "); retrying with the same client_id");
                retried = true;
            }
            try {
                Thread.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
            wait = wait.multipliedBy(2).compareTo(LAST_RETRY) > 0 ? LAST_RETRY : wait.multipliedBy(2);
        }
    }

    private static String abbreviated(String text) {
        String line = MessageLine.printable(text);
        return line.length() <= 40 ? line : line.substring(0, 39) + "…";
    }
}
