package chat.cli;

import chat.cli.sdk.model.NewRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.util.List;
import java.util.concurrent.Callable;

/** {@code chat new}: New, the chat of a set of users. */
@Command(name = "new", sortOptions = false,
        header = "Create the chat of a set of users (New).",
        description = "Create the chat of a set of users, or get the one they already have (New). The same users, "
                + "in any order, always get the same chat_id.",
        footer = {"", "Example:", "  chat new --user_ids=John,Barry"})
final class NewCommand implements Callable<Integer> {

    @ParentCommand
    ChatCommand chat;

    @Mixin
    HelpOption help;

    @Option(names = "--user_ids", required = true, split = ",", paramLabel = "<user_id>",
            description = "The users in the chat: comma separated, or the option repeated.")
    List<String> userIds;

    @Override
    public Integer call() throws ServiceError, Unreachable {
        return JsonAnswer.print(chat, api -> api.newChatWithHttpInfo(new NewRequest().userIds(userIds), null));
    }
}
