-- A chat set for Search, straight in SQL (psql variables chats, per_chat and user): chats * per_chat messages,
-- the user a member of every chat. Each text names one topic of 10,000 (topic0000 .. topic9999, none a prefix of
-- another) and one tag of 1,000, so a whole-word query matches chats * per_chat / 10,000 messages and a prefix of
-- one digit less ten times as many.
INSERT INTO chats (id, members_key, last_seq, created_at)
SELECT md5('search-chat-' || c)::uuid, md5('search-chat-' || c), :per_chat, now()
FROM generate_series(1, :chats) AS c;
INSERT INTO chat_members (chat_id, user_id)
SELECT md5('search-chat-' || c)::uuid, :'user' FROM generate_series(1, :chats) AS c;
INSERT INTO messages (id, chat_id, seq, client_id, user_id, subject, text, sent_at)
SELECT gen_random_uuid(), md5('search-chat-' || (1 + (g - 1) / :per_chat))::uuid, 1 + (g - 1) % :per_chat,
       'bulk-' || g, :'user', '',
       'message ' || g || ' about topic' || lpad(((g::bigint * 7919) % 10000)::text, 4, '0') || ' with tag'
           || lpad(((g::bigint * 104729) % 1000)::text, 3, '0'),
       now() - make_interval(secs => :chats * :per_chat - g)
FROM generate_series(1, :chats * :per_chat) AS g;
VACUUM ANALYZE messages;
ANALYZE chats;
ANALYZE chat_members;
