package chat.chats.boundary;

import chat.api.model.ChatInfo;
import chat.api.model.ChatResponse;
import chat.api.model.ListResponse;
import chat.api.model.ListedChat;
import chat.chats.control.ChatView;
import chat.messages.boundary.MessageModels;

/** The wire forms of conversations (issue 14), as the spec defines them. */
public final class GroupModels {

    private GroupModels() {
    }

    public static ChatResponse of(ChatView chat) {
        return new ChatResponse().chat(info(chat));
    }

    public static ChatInfo info(ChatView chat) {
        return new ChatInfo()
                .chatId(chat.id().toString())
                .kind(ChatInfo.KindEnum.fromValue(chat.kind()))
                .name(chat.name())
                .description(chat.description())
                .owner(chat.owner())
                .userIds(chat.userIds())
                ._private(chat.isPrivate())
                .createdAt(chat.createdAt().getEpochSecond());
    }

    public static ListResponse of(Groups.Listing listing) {
        return new ListResponse()
                .chats(listing.chats().stream().map(listed -> new ListedChat()
                        .chat(info(listed.chat()))
                        .lastMessage(listed.lastMessage() == null ? null : MessageModels.of(listed.lastMessage()))
                        .unread(listed.unread())
                        .lastReadSeq(listed.lastReadSeq())).toList())
                .nextBefore(listing.next() == null ? null : listing.next().toString());
    }
}
