-- Message life: edits, deletions, reactions and replies. The log (V4) says what changed and when; the current
-- state stays on the message row, so that History remains one indexed page: the latest text and subject (an
-- edit overwrites them), when it was last edited, whether it is deleted (a tombstone: text and subject emptied,
-- the row and its seq kept so that replies and cursors stay meaningful) and the message it replies to.
-- Reactions have a table of their own, one row per (message, emoji, user): the primary key is what makes "a user
-- has each emoji once per message" hold under racing calls, and counts are computed when a page is read.
-- The full-text index for Search is PostgreSQL's own and depends on the configured language, so it is made at
-- start-up (chat.messages.boundary.MessageSearch), not here. Runs unchanged on PostgreSQL and on H2.
ALTER TABLE messages ADD COLUMN edited_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE messages ADD COLUMN deleted BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE messages ADD COLUMN reply_to UUID;

CREATE TABLE reactions (
    chat_id    UUID                     NOT NULL,
    message_id UUID                     NOT NULL,
    user_id    VARCHAR(255)             NOT NULL,
    emoji      VARCHAR(64)              NOT NULL,
    reacted_at TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT reactions_pk PRIMARY KEY (message_id, emoji, user_id),
    CONSTRAINT reactions_message_fk FOREIGN KEY (message_id) REFERENCES messages (id)
);
