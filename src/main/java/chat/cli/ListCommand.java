package chat.cli;

import chat.cli.sdk.model.ListRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.util.concurrent.Callable;

/** {@code chat list}: List, your chats with unread counts (issue 14). */
@Command(name = "list", sortOptions = false,
        header = "List your chats, most recent activity first (List).",
        description = "List your chats, most recent activity first, each with its newest message, your read marker "
                + "and how many of the others' messages you have not read (List).",
        footer = {"", "Example:", "  chat list --user_id=John --limit=10"})
final class ListCommand implements Callable<Integer> {

    @ParentCommand
    ChatCommand chat;

    @Mixin
    HelpOption help;

    @Option(names = "--user_id", paramLabel = "<user_id>", description = "Whose chats (with a token: its user).")
    String userId;

    @Option(names = "--limit", paramLabel = "<limit>", description = "At most this many chats (default 50).")
    Integer limit;

    @Option(names = "--before", paramLabel = "<next_before>", description = "The next_before of the previous page.")
    String before;

    @Override
    public Integer call() throws ServiceError, Unreachable {
        return JsonAnswer.print(chat, api -> api.listChatsWithHttpInfo(new ListRequest().userId(userId).limit(limit)
                .before(before), null));
    }
}
