-- A retried send is recognised per (chat, user, client_id), no longer per (chat, client_id): two users of a chat
-- who both number their messages ("b-1", "c2", ...) must not see each other's messages answered to their sends.
-- Every row that was unique per (chat, client_id) is unique per (chat, user, client_id) too, so existing data
-- satisfies the new constraint as it is. Runs unchanged on PostgreSQL and on H2 (PostgreSQL mode).
ALTER TABLE messages DROP CONSTRAINT messages_chat_client_uq;
ALTER TABLE messages ADD CONSTRAINT messages_chat_user_client_uq UNIQUE (chat_id, user_id, client_id);
