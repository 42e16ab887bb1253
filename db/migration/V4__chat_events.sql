-- One sequence of chat events. A chat's seq numbers every change a client must not miss, not only its messages:
-- an edit, a deletion, a reaction, a member joining or leaving each take the chat's next seq like a message does,
-- so Connect's replay by Last-Event-ID and "the changes after seq N" stay one range over (chat_id, seq), and the
-- fan-out, its gap fill and the signals between instances need nothing new. The log is this table: a row of kind
-- 'message' is a message (every row made before this migration); any other kind is a change event, whose
-- relates_to names the message it changes (if any) and whose data is the event's JSON as streams receive it. The
-- current state stays beside the log, on the message row itself, so History remains one indexed page.
-- Runs unchanged on PostgreSQL and on H2 (PostgreSQL mode).
ALTER TABLE messages ADD COLUMN kind VARCHAR(16) NOT NULL DEFAULT 'message';
ALTER TABLE messages ADD COLUMN relates_to UUID;
ALTER TABLE messages ADD COLUMN data VARCHAR;
