package chat.cli;

import chat.cli.sdk.model.HistoryRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.util.concurrent.Callable;

/** {@code chat history}: History, a page of a chat's messages. */
@Command(name = "history", sortOptions = false,
        header = "Print a chat's messages, oldest first (History).",
        description = "Print a chat's messages, oldest first (History): without --before or --after the newest "
                + "--limit (default 50, at most 1000).",
        footer = {"", "Example:", "  chat history --chat_id=bed4f0f0-da12-46d2-90d2-17ae1714a214 --limit=10"})
final class HistoryCommand implements Callable<Integer> {

    @ParentCommand
    ChatCommand chat;

    @Mixin
    HelpOption help;

    @Option(names = "--chat_id", required = true, paramLabel = "<chat_id>", description = "The chat.")
    String chatId;

    @Option(names = "--limit", paramLabel = "<limit>", description = "At most this many messages.")
    Integer limit;

    @Option(names = "--before", paramLabel = "<seq>", description = "Only messages with a smaller seq (page back).")
    Long before;

    @Option(names = "--after", paramLabel = "<seq>", description = "Only messages with a greater seq (catch up).")
    Long after;

    @Override
    public Integer call() throws ServiceError, Unreachable {
        var request = new HistoryRequest().chatId(chatId).limit(limit).before(before).after(after);
        return JsonAnswer.print(chat, api -> api.historyWithHttpInfo(request, null));
    }
}
