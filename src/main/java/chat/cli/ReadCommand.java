package chat.cli;

import chat.cli.sdk.model.ReadRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.util.concurrent.Callable;

/** {@code chat read}: Read, move your read marker forward (issue 14). */
@Command(name = "read", sortOptions = false,
        header = "Mark a chat read up to a seq (Read).",
        description = "Move your read marker of a chat forward to a seq (Read); it never moves back.",
        footer = {"", "Example:", "  chat read --chat_id=$CHAT_ID --user_id=Barry --seq=2"})
final class ReadCommand implements Callable<Integer> {

    @ParentCommand
    ChatCommand chat;

    @Mixin
    HelpOption help;

    @Option(names = "--chat_id", required = true, paramLabel = "<chat_id>", description = "The chat.")
    String chatId;

    @Option(names = "--user_id", paramLabel = "<user_id>", description = "Who read it (with a token: its user).")
    String userId;

    @Option(names = "--seq", required = true, paramLabel = "<seq>", description = "Read up to and including this seq.")
    long seq;

    @Override
    public Integer call() throws ServiceError, Unreachable {
        return JsonAnswer.print(chat, api -> api.readWithHttpInfo(new ReadRequest().chatId(chatId).userId(userId)
                .seq(seq), null));
    }
}
