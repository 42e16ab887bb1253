package chat.cli;

import chat.cli.sdk.model.MembersRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.util.List;
import java.util.concurrent.Callable;

/** {@code chat invite}: Invite, users into a group (issue 14). */
@Command(name = "invite", sortOptions = false,
        header = "Add users to a group chat (Invite).",
        description = "Add users to a group chat (Invite): any member of a public group may, only the owner of a "
                + "private one.",
        footer = {"", "Example:", "  chat invite --chat_id=$CHAT_ID --user_id=John --user_ids=Dave"})
final class InviteCommand implements Callable<Integer> {

    @ParentCommand
    ChatCommand chat;

    @Mixin
    HelpOption help;

    @Option(names = "--chat_id", required = true, paramLabel = "<chat_id>", description = "The group.")
    String chatId;

    @Option(names = "--user_id", paramLabel = "<user_id>", description = "Who invites (with a token: its user).")
    String userId;

    @Option(names = "--user_ids", required = true, split = ",", paramLabel = "<user_id>",
            description = "The users to add: comma separated, or the option repeated.")
    List<String> userIds;

    @Override
    public Integer call() throws ServiceError, Unreachable {
        return JsonAnswer.print(chat, api -> api.inviteWithHttpInfo(new MembersRequest().chatId(chatId).userId(userId)
                .userIds(userIds), null));
    }
}
