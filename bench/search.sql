-- Search's statement as the service sends it for one word (PostgreSQL's full-text search, a prefix query),
-- with pgbench variables user and the word's topic number; with the settings the service gives its statement:
-- no parallel workers, a plan for each query's own words (never the cached generic one), and the prefetch of
-- heap pages (chat.search.io-concurrency, 64 by default).
SET max_parallel_workers_per_gather = 0;
SET plan_cache_mode = force_custom_plan;
SET effective_io_concurrency = 64;
\set k random(0, 9999)
\set prefix random(0, 1)
SELECT m.id, m.chat_id, m.seq, m.client_id, m.user_id, m.subject, m.text, m.sent_at, m.edited_at, m.deleted,
       m.reply_to
FROM messages m
WHERE m.chat_id IN (SELECT cm.chat_id FROM chat_members cm JOIN chats c ON c.id = cm.chat_id
                    AND c.namespace = 'micro' WHERE cm.user_id = :user)
  AND m.kind = 'message' AND NOT m.deleted
  AND to_tsvector('simple', m.subject || ' ' || m.text)
      @@ to_tsquery('simple', CASE WHEN :prefix = 1 THEN substr('topic' || lpad(:k::text, 4, '0'), 1, 8)
                                   ELSE 'topic' || lpad(:k::text, 4, '0') END || ':*')
ORDER BY m.sent_at DESC, m.id DESC LIMIT 20;
