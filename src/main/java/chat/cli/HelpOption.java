package chat.cli;

import picocli.CommandLine.Option;

/** {@code -h}/{@code --help} on every command (a mixin: picocli's help command has its own, so it is not inherited). */
final class HelpOption {

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;
}
