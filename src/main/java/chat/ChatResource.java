package chat;

import chat.api.ChatApi;
import chat.api.model.HistoryRequest;
import chat.api.model.HistoryResponse;
import chat.api.model.NewRequest;
import chat.api.model.NewResponse;
import chat.api.model.SendRequest;
import chat.api.model.SendResponse;
import chat.chats.boundary.Chats;
import chat.messages.boundary.MessageModels;
import chat.messages.boundary.Messages;
import chat.messages.control.Page;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * The request/response calls of the spec, at {@code /chat/<Name>} and {@code /chat/Chat/<Name>}; sending on a
 * connection ({@code POST /chat/Connect}) is Send under Connect's error ids. HTTP only: each
 * method hands its request to a facade and shapes the answer. An absent body counts as an empty one, so it gets
 * the same "missing field" error.
 */
@ApplicationScoped
public class ChatResource implements ChatApi {

    private final Chats chats;
    private final Messages messages;

    @Inject
    public ChatResource(Chats chats, Messages messages) {
        this.chats = chats;
        this.messages = messages;
    }

    @Override
    public NewResponse newChat(NewRequest request) {
        NewRequest body = request == null ? new NewRequest() : request;
        return new NewResponse().chatId(chats.open(body.getUserIds()).toString());
    }

    @Override
    public NewResponse chatNew(NewRequest request) {
        return newChat(request);
    }

    @Override
    public SendResponse send(SendRequest request) {
        return send("chat.Send", request);
    }

    private SendResponse send(String call, SendRequest request) {
        SendRequest body = request == null ? new SendRequest() : request;
        var message = messages.send(call, body.getChatId(), body.getUserId(), body.getClientId(),
                body.getSubject(), body.getText());
        return new SendResponse().message(MessageModels.of(message));
    }

    @Override
    public SendResponse chatSend(SendRequest request) {
        return send(request);
    }

    @Override
    public SendResponse connectSend(SendRequest request) {
        return send("chat.Connect", request);
    }

    @Override
    public SendResponse chatConnectSend(SendRequest request) {
        return connectSend(request);
    }

    @Override
    public HistoryResponse history(HistoryRequest request) {
        HistoryRequest body = request == null ? new HistoryRequest() : request;
        var page = Page.of(body.getLimit(), body.getBefore(), body.getAfter());
        return new HistoryResponse().messages(messages.history("chat.History", body.getChatId(), page).stream()
                .map(MessageModels::of)
                .toList());
    }

    @Override
    public HistoryResponse chatHistory(HistoryRequest request) {
        return history(request);
    }
}
