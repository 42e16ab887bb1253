package chat.cli;

import chat.cli.sdk.model.SendRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.util.concurrent.Callable;

/** {@code chat send}: Send, one message. */
@Command(name = "send", sortOptions = false,
        header = "Send a message to a chat (Send).",
        description = "Send a message to a chat (Send) and print the stored message. With --client_id a retry is "
                + "safe: the message is stored once and every repeat answers it.",
        footer = {"", "Example:",
                "  chat send --chat_id=bed4f0f0-da12-46d2-90d2-17ae1714a214 --user_id=John \\",
                "      --subject=Hello --text='Hey Barry'"})
final class SendCommand implements Callable<Integer> {

    @ParentCommand
    ChatCommand chat;

    @Mixin
    HelpOption help;

    @Option(names = "--chat_id", required = true, paramLabel = "<chat_id>", description = "The chat.")
    String chatId;

    @Option(names = "--user_id", required = true, paramLabel = "<user_id>", description = "Who sends it.")
    String userId;

    @Option(names = "--subject", paramLabel = "<subject>", description = "The message's subject.")
    String subject;

    @Option(names = "--text", required = true, paramLabel = "<text>", description = "The message's text.")
    String text;

    @Option(names = "--client_id", paramLabel = "<client_id>",
            description = "Your id for this message, to make a retry safe (the service makes one when missing).")
    String clientId;

    @Override
    public Integer call() throws ServiceError, Unreachable {
        var request = new SendRequest().chatId(chatId).userId(userId).subject(subject).text(text).clientId(clientId);
        return JsonAnswer.print(chat, api -> api.sendWithHttpInfo(request, null));
    }
}
