package chat;

import chat.api.ChatApi;
import chat.api.model.ChangesRequest;
import chat.api.model.ChangesResponse;
import chat.api.model.DeleteMessageRequest;
import chat.api.model.EditRequest;
import chat.api.model.MessageChangeResponse;
import chat.api.model.ReactRequest;
import chat.api.model.SearchRequest;
import chat.api.model.SearchResponse;
import chat.api.model.HistoryRequest;
import chat.api.model.HistoryResponse;
import chat.api.model.NewRequest;
import chat.api.model.NewResponse;
import chat.api.model.SendRequest;
import chat.api.model.SendResponse;
import chat.api.model.ChatIdRequest;
import chat.api.model.ChatResponse;
import chat.api.model.CreateRequest;
import chat.api.model.DeleteRequest;
import chat.api.model.DeleteResponse;
import chat.api.model.ListRequest;
import chat.api.model.ListResponse;
import chat.api.model.MembersRequest;
import chat.api.model.ReadRequest;
import chat.api.model.ReadResponse;
import chat.api.model.TypingRequest;
import chat.api.model.TypingResponse;
import chat.chats.boundary.Chats;
import chat.chats.boundary.GroupModels;
import chat.chats.boundary.Groups;
import chat.identity.boundary.Identity;
import chat.messages.boundary.MessageLife;
import chat.messages.boundary.MessageModels;
import chat.messages.boundary.MessageSearch;
import chat.messages.boundary.Messages;
import chat.messages.control.Page;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * The request/response calls of the spec, at {@code /chat/<Name>} and {@code /chat/Chat/<Name>}; sending on a
 * connection ({@code POST /chat/Connect}) is Send under Connect's error ids. HTTP only: each method hands the
 * request's caller (made by the identity filter; the {@code micro-namespace} parameter is read there) and its body
 * to a facade and shapes the answer. An absent body counts as an empty one, so it gets the same "missing field"
 * error.
 */
@ApplicationScoped
public class ChatResource implements ChatApi {

    private final Chats chats;
    private final Messages messages;
    private final Groups groups;

    @Inject
    public ChatResource(Chats chats, Messages messages, Groups groups) {
        this.chats = chats;
        this.messages = messages;
        this.groups = groups;
    }

    @Override
    public NewResponse newChat(NewRequest request, String microNamespace) {
        NewRequest body = request == null ? new NewRequest() : request;
        return new NewResponse().chatId(chats.open(Identity.caller(), body.getUserIds()).toString());
    }

    @Override
    public NewResponse chatNew(NewRequest request, String microNamespace) {
        return newChat(request, microNamespace);
    }

    @Override
    public SendResponse send(SendRequest request, String microNamespace) {
        return send("chat.Send", request);
    }

    private SendResponse send(String call, SendRequest request) {
        SendRequest body = request == null ? new SendRequest() : request;
        var message = messages.send(Identity.caller(), call, body.getChatId(), body.getUserId(), body.getClientId(),
                body.getSubject(), body.getText(), body.getReplyTo());
        return new SendResponse().message(MessageModels.of(message));
    }

    @Override
    public SendResponse chatSend(SendRequest request, String microNamespace) {
        return send(request, microNamespace);
    }

    @Override
    public SendResponse connectSend(SendRequest request, String microNamespace) {
        return send("chat.Connect", request);
    }

    @Override
    public SendResponse chatConnectSend(SendRequest request, String microNamespace) {
        return connectSend(request, microNamespace);
    }

    @Override
    public HistoryResponse history(HistoryRequest request, String microNamespace) {
        HistoryRequest body = request == null ? new HistoryRequest() : request;
        var page = Page.of(body.getLimit(), body.getBefore(), body.getAfter());
        return new HistoryResponse().messages(messageLife.history(Identity.caller(), "chat.History",
                body.getChatId(), body.getUserId(), page));
    }

    @Override
    public HistoryResponse chatHistory(HistoryRequest request, String microNamespace) {
        return history(request, microNamespace);
    }

    // issue 14: conversations (Create, Invite, Leave, Kick, Delete, List, Read, Typing), each delegating to Groups

    @Override
    public ChatResponse create(CreateRequest request, String microNamespace) {
        CreateRequest body = request == null ? new CreateRequest() : request;
        return GroupModels.of(groups.create(Identity.caller(), body.getUserId(), body.getName(), body.getDescription(),
                body.getUserIds(), body.getPrivate(), body.getClientId()));
    }

    @Override
    public ChatResponse chatCreate(CreateRequest request, String microNamespace) {
        return create(request, microNamespace);
    }

    @Override
    public ChatResponse invite(MembersRequest request, String microNamespace) {
        MembersRequest body = request == null ? new MembersRequest() : request;
        return GroupModels.of(groups.invite(Identity.caller(), body.getChatId(), body.getUserId(), body.getUserIds()));
    }

    @Override
    public ChatResponse chatInvite(MembersRequest request, String microNamespace) {
        return invite(request, microNamespace);
    }

    @Override
    public ChatResponse leave(ChatIdRequest request, String microNamespace) {
        ChatIdRequest body = request == null ? new ChatIdRequest() : request;
        return GroupModels.of(groups.leave(Identity.caller(), body.getChatId(), body.getUserId()));
    }

    @Override
    public ChatResponse chatLeave(ChatIdRequest request, String microNamespace) {
        return leave(request, microNamespace);
    }

    @Override
    public ChatResponse kick(MembersRequest request, String microNamespace) {
        MembersRequest body = request == null ? new MembersRequest() : request;
        return GroupModels.of(groups.kick(Identity.caller(), body.getChatId(), body.getUserId(), body.getUserIds()));
    }

    @Override
    public ChatResponse chatKick(MembersRequest request, String microNamespace) {
        return kick(request, microNamespace);
    }

    @Override
    public DeleteResponse deleteChat(DeleteRequest request, String microNamespace) {
        DeleteRequest body = request == null ? new DeleteRequest() : request;
        if (body.getMessageId() != null && !body.getMessageId().isEmpty()) {
            // issue 15's Delete of a message: the same call name as a group's deletion, told apart by message_id
            return new DeleteResponse().message(messageLife.delete(Identity.caller(), "chat.Delete",
                    body.getChatId(), body.getUserId(), body.getMessageId()));
        }
        return new DeleteResponse().chat(GroupModels.of(groups.delete(Identity.caller(), body.getChatId(),
                body.getUserId())).getChat());
    }

    @Override
    public DeleteResponse chatDelete(DeleteRequest request, String microNamespace) {
        return deleteChat(request, microNamespace);
    }

    @Override
    public ListResponse listChats(ListRequest request, String microNamespace) {
        ListRequest body = request == null ? new ListRequest() : request;
        return GroupModels.of(groups.list(Identity.caller(), body.getUserId(), body.getLimit(), body.getBefore()));
    }

    @Override
    public ListResponse chatList(ListRequest request, String microNamespace) {
        return listChats(request, microNamespace);
    }

    @Override
    public ReadResponse read(ReadRequest request, String microNamespace) {
        ReadRequest body = request == null ? new ReadRequest() : request;
        var caller = Identity.caller();
        long seq = groups.read(caller, body.getChatId(), body.getUserId(), body.getSeq());
        return new ReadResponse().chatId(body.getChatId()).userId(caller.actingUser(body.getUserId(), "chat.Read"))
                .seq(seq);
    }

    @Override
    public ReadResponse chatRead(ReadRequest request, String microNamespace) {
        return read(request, microNamespace);
    }

    @Override
    public TypingResponse typing(TypingRequest request, String microNamespace) {
        TypingRequest body = request == null ? new TypingRequest() : request;
        var caller = Identity.caller();
        boolean typing = groups.typing(caller, body.getChatId(), body.getUserId(), body.getTyping());
        return new TypingResponse().chatId(body.getChatId())
                .userId(caller.actingUser(body.getUserId(), "chat.Typing")).typing(typing);
    }

    @Override
    public TypingResponse chatTyping(TypingRequest request, String microNamespace) {
        return typing(request, microNamespace);
    }

    // issue 15: message life (Edit, DeleteMessage, React, Changes, Search), delegating to chat.messages.boundary

    @Inject
    MessageLife messageLife;

    @Inject
    MessageSearch messageSearch;

    @Override
    public MessageChangeResponse edit(EditRequest request, String microNamespace) {
        EditRequest body = request == null ? new EditRequest() : request;
        return new MessageChangeResponse().message(messageLife.edit(Identity.caller(), "chat.Edit", body.getChatId(),
                body.getUserId(), body.getMessageId(), body.getText(), body.getSubject()));
    }

    @Override
    public MessageChangeResponse chatEdit(EditRequest request, String microNamespace) {
        return edit(request, microNamespace);
    }

    @Override
    public MessageChangeResponse deleteMessage(DeleteMessageRequest request, String microNamespace) {
        DeleteMessageRequest body = request == null ? new DeleteMessageRequest() : request;
        return new MessageChangeResponse().message(messageLife.delete(Identity.caller(), "chat.DeleteMessage",
                body.getChatId(), body.getUserId(), body.getMessageId()));
    }

    @Override
    public MessageChangeResponse chatDeleteMessage(DeleteMessageRequest request, String microNamespace) {
        return deleteMessage(request, microNamespace);
    }

    @Override
    public MessageChangeResponse react(ReactRequest request, String microNamespace) {
        ReactRequest body = request == null ? new ReactRequest() : request;
        return new MessageChangeResponse().message(messageLife.react(Identity.caller(), "chat.React",
                body.getChatId(), body.getUserId(), body.getMessageId(), body.getEmoji(), body.getOn()));
    }

    @Override
    public MessageChangeResponse chatReact(ReactRequest request, String microNamespace) {
        return react(request, microNamespace);
    }

    @Override
    public ChangesResponse changes(ChangesRequest request, String microNamespace) {
        ChangesRequest body = request == null ? new ChangesRequest() : request;
        return new ChangesResponse().events(messageLife.changes(Identity.caller(), "chat.Changes", body.getChatId(),
                        body.getUserId(), body.getAfter(), body.getLimit()).stream()
                .map(MessageModels::event)
                .toList());
    }

    @Override
    public ChangesResponse chatChanges(ChangesRequest request, String microNamespace) {
        return changes(request, microNamespace);
    }

    @Override
    public SearchResponse search(SearchRequest request, String microNamespace) {
        SearchRequest body = request == null ? new SearchRequest() : request;
        return new SearchResponse().messages(messageSearch.search(Identity.caller(), body.getUserId(),
                body.getQuery(), body.getChatId(), body.getLimit(), body.getBefore()));
    }

    @Override
    public SearchResponse chatSearch(SearchRequest request, String microNamespace) {
        return search(request, microNamespace);
    }
}
