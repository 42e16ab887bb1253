-- pgbench: History with `after` (catching up: the 50 oldest messages after a cursor).
\set a random(0, :last - 50)
BEGIN;
SELECT id, members_key, last_seq, created_at FROM chats WHERE id = :chat;
SELECT id, chat_id, client_id, sent_at, seq, subject, text, user_id FROM messages
    WHERE chat_id = :chat AND seq > :a AND seq < 9223372036854775807 ORDER BY seq ASC LIMIT 50;
END;
