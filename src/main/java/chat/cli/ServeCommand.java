package chat.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/**
 * {@code chat serve}: listed here for its help only. {@code chat.Main} runs the service itself when it is given no
 * arguments or just {@code serve}, before any of the command line is loaded; so this runs only when something
 * else came with it, which the service does not take.
 */
@Command(name = "serve",
        header = "Run the service (the same as no command).",
        description = "Run the service (what `chat` without a command does). It is configured with environment "
                + "variables or -D system properties, such as SERVER_PORT or CHAT_DB_URL (see the README).",
        footer = {"", "Example:", "  SERVER_PORT=9090 chat serve"})
final class ServeCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    HelpOption help;

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(),
                "serve takes no options: configure the service with environment variables or -D properties");
    }
}
