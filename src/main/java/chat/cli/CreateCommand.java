package chat.cli;

import chat.cli.sdk.model.CreateRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.util.List;
import java.util.concurrent.Callable;

/** {@code chat create}: Create, a named group with the caller as owner (issue 14). */
@Command(name = "create", sortOptions = false,
        header = "Create a named group chat with you as its owner (Create).",
        description = "Create a named group chat with you as its owner (Create). Every call makes a new chat; with "
                + "--client_id a repeat answers the chat made the first time.",
        footer = {"", "Example:", "  chat create --user_id=John --name=Lunch --user_ids=Barry,Carol"})
final class CreateCommand implements Callable<Integer> {

    @ParentCommand
    ChatCommand chat;

    @Mixin
    HelpOption help;

    @Option(names = "--user_id", paramLabel = "<user_id>", description = "Who creates it (with a token: its user).")
    String userId;

    @Option(names = "--name", required = true, paramLabel = "<name>", description = "The group's name.")
    String name;

    @Option(names = "--description", paramLabel = "<description>", description = "What the group is about.")
    String description;

    @Option(names = "--user_ids", split = ",", paramLabel = "<user_id>",
            description = "The other first members: comma separated, or the option repeated.")
    List<String> userIds;

    @Option(names = "--private", description = "Only the owner may invite.")
    boolean isPrivate;

    @Option(names = "--client_id", paramLabel = "<client_id>", description = "Your id for this group, to make a retry safe.")
    String clientId;

    @Override
    public Integer call() throws ServiceError, Unreachable {
        return JsonAnswer.print(chat, api -> api.createWithHttpInfo(new CreateRequest().userId(userId).name(name)
                .description(description).userIds(userIds)._private(isPrivate).clientId(clientId), null));
    }
}
