-- Conversations: named groups beside the direct chats of New, read markers, and what "my chats" reads by.
-- A chat made by New is 'direct': its members_key is its set of users, which never changes. A group made by Create
-- has members_key 'group:<id>' (unique by itself), a name, an owner, and members that come and go. client_id makes
-- Create retry-safe per owner (NULLs never collide, so a Create without one always makes a new chat).
-- deleted_at marks a deleted group: its members are gone and every call answers it 404, while its events (the
-- final chat_deleted among them) stay in the log, in order. Runs unchanged on PostgreSQL and on H2 (PostgreSQL mode).
ALTER TABLE chats ADD COLUMN kind VARCHAR(8) NOT NULL DEFAULT 'direct';
ALTER TABLE chats ADD COLUMN name VARCHAR(255) NOT NULL DEFAULT '';
ALTER TABLE chats ADD COLUMN description VARCHAR(1024) NOT NULL DEFAULT '';
ALTER TABLE chats ADD COLUMN owner VARCHAR(255);
ALTER TABLE chats ADD COLUMN private BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE chats ADD COLUMN client_id VARCHAR(255);
ALTER TABLE chats ADD COLUMN deleted_at TIMESTAMP WITH TIME ZONE;
-- owner first: an index led by namespace tempted the planner into scanning a whole namespace for List
ALTER TABLE chats ADD CONSTRAINT chats_owner_client_uq UNIQUE (owner, client_id, namespace);

-- The member's read marker: the seq up to which they have read. Durable state, moved only forward (an UPDATE
-- with "read_seq < ?", so racing Reads cannot move it back).
ALTER TABLE chat_members ADD COLUMN read_seq BIGINT NOT NULL DEFAULT 0;

-- "My chats" (List) reads a user's memberships with their markers from the index alone.
CREATE INDEX chat_members_user_read_ix ON chat_members (user_id, chat_id, read_seq);
DROP INDEX chat_members_user_ix;
