package chat.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

import java.net.URI;
import java.util.concurrent.Callable;

/**
 * {@code chat}: the top command. It holds what every command shares (where the service is, the token, the
 * namespace: options that may come before or after the command's name) and lists the commands. A new command is
 * one class beside the others, added to {@code subcommands} here.
 */
@Command(name = "chat",
        subcommands = {
                ServeCommand.class,
                NewCommand.class,
                SendCommand.class,
                HistoryCommand.class,
                ConnectCommand.class,
                // issue 14: conversations
                ListCommand.class,
                CreateCommand.class,
                InviteCommand.class,
                LeaveCommand.class,
                ReadCommand.class,
                CommandLine.HelpCommand.class,
        },
        synopsisSubcommandLabel = "COMMAND",
        description = "The chat service and its command line. Without a command (or with serve) it runs the "
                + "service; with a command it is a client of a running service and prints the service's JSON "
                + "answers.",
        footer = {
                "",
                "Global options may come before or after the command: --url (env CHAT_URL,",
                "default http://localhost:8080), --token (env CHAT_TOKEN, sent as",
                "Authorization: Bearer), --namespace (env MICRO_NAMESPACE, sent as",
                "micro-namespace).",
                "",
                "Exit status: 0 done; 1 the service answered an error (micro's error JSON on",
                "stderr); 2 a usage error (the command's help on stderr); 3 the service could",
                "not be reached.",
                "",
                "Examples:",
                "  chat new --user_ids=John,Barry",
                "  chat help send",
        })
public final class ChatCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    HelpOption help;

    @Option(names = "--url", scope = ScopeType.INHERIT, paramLabel = "<url>", order = 100,
            defaultValue = "${env:CHAT_URL:-http://localhost:8080}", converter = ServiceUrl.class,
            description = "http://localhost:8080 unless given (or env CHAT_URL): where the service is.")
    URI url;

    @Option(names = "--token", scope = ScopeType.INHERIT, paramLabel = "<token>", order = 101,
            defaultValue = "${env:CHAT_TOKEN}",
            description = "Sent as `Authorization: Bearer <token>` (env CHAT_TOKEN).")
    String token;

    @Option(names = "--namespace", scope = ScopeType.INHERIT, paramLabel = "<namespace>", order = 102,
            defaultValue = "${env:MICRO_NAMESPACE}",
            description = "Sent as the `micro-namespace` header (env MICRO_NAMESPACE).")
    String namespace;

    private final Io io;

    public ChatCommand(Io io) {
        this.io = io;
    }

    Io io() {
        return io;
    }

    /** The service these options point at. */
    Service service() {
        return new Service(url, token, namespace);
    }

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "Missing command");
    }
}
