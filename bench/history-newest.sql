-- pgbench: the statements the service runs for History without cursors (the newest page of 50).
BEGIN;
SELECT id, members_key, last_seq, created_at FROM chats WHERE id = :chat;
SELECT id, chat_id, client_id, sent_at, seq, subject, text, user_id FROM messages
    WHERE chat_id = :chat AND seq > 0 AND seq < 9223372036854775807 ORDER BY seq DESC LIMIT 50;
END;
