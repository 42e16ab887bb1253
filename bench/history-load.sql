-- Fills one chat with :rows messages straight in SQL (psql variables chat and rows), as if sent one by one.
INSERT INTO messages (id, chat_id, seq, client_id, user_id, subject, text, sent_at)
SELECT gen_random_uuid(), :'chat', g, 'bulk-' || g,
       CASE WHEN g % 2 = 0 THEN 'hist-a' ELSE 'hist-b' END, '',
       'history message number ' || g, now() - make_interval(secs => :rows - g)
FROM generate_series(1, :rows) AS g;
UPDATE chats SET last_seq = :rows WHERE id = :'chat';
VACUUM ANALYZE messages;
