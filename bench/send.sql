-- pgbench: the statements the service runs for one Send, in one transaction (see Messages.send): lock the
-- chat's row, look for an earlier message of this sender with this client_id, insert the message with the next
-- seq, bump the chat's sequence. Chat n of 100 has the id md5('pgbench-chat-' || n), created by bench/run.
\set n random(1, 100)
\set r random(1, 1000000000000)
BEGIN;
SELECT last_seq FROM chats WHERE id = md5('pgbench-chat-' || :n)::uuid FOR UPDATE \gset
SELECT id FROM messages WHERE chat_id = md5('pgbench-chat-' || :n)::uuid AND user_id = 'pgbench'
    AND client_id = 'pgb-' || :client_id || '-' || :r;
\set seq :last_seq + 1
INSERT INTO messages (id, chat_id, seq, client_id, user_id, subject, text, sent_at)
    VALUES (gen_random_uuid(), md5('pgbench-chat-' || :n)::uuid, :seq, 'pgb-' || :client_id || '-' || :r,
            'pgbench', '', 'bench message', now());
UPDATE chats SET last_seq = :seq WHERE id = md5('pgbench-chat-' || :n)::uuid;
END;
