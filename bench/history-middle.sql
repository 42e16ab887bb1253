-- pgbench: History with `before` in the middle of the chat (a page of 50 further back).
\set b random(:last * 2 / 5, :last * 3 / 5)
BEGIN;
SELECT id, members_key, last_seq, created_at FROM chats WHERE id = :chat;
SELECT id, chat_id, client_id, sent_at, seq, subject, text, user_id FROM messages
    WHERE chat_id = :chat AND seq > 0 AND seq < :b ORDER BY seq DESC LIMIT 50;
END;
