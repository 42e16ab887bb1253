package chat.cli;

import chat.cli.sdk.model.ChatIdRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.util.concurrent.Callable;

/** {@code chat leave}: Leave, a group (issue 14). */
@Command(name = "leave", sortOptions = false,
        header = "Leave a group chat (Leave).",
        description = "Leave a group chat (Leave); its owner cannot, they delete it instead.",
        footer = {"", "Example:", "  chat leave --chat_id=$CHAT_ID --user_id=Barry"})
final class LeaveCommand implements Callable<Integer> {

    @ParentCommand
    ChatCommand chat;

    @Mixin
    HelpOption help;

    @Option(names = "--chat_id", required = true, paramLabel = "<chat_id>", description = "The group.")
    String chatId;

    @Option(names = "--user_id", paramLabel = "<user_id>", description = "Who leaves (with a token: its user).")
    String userId;

    @Override
    public Integer call() throws ServiceError, Unreachable {
        return JsonAnswer.print(chat, api -> api.leaveWithHttpInfo(new ChatIdRequest().chatId(chatId).userId(userId),
                null));
    }
}
