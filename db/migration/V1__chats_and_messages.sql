-- Chats, their members, and their messages. Runs unchanged on PostgreSQL and on H2 (PostgreSQL mode).

-- members_key is the SHA-256 of the chat's normalised user set: unique, so New is idempotent under races.
-- last_seq is the seq of the chat's newest message; every send bumps it under the row lock.
CREATE TABLE chats (
    id          UUID                     NOT NULL,
    members_key VARCHAR(64)              NOT NULL,
    last_seq    BIGINT                   NOT NULL DEFAULT 0,
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT chats_pk PRIMARY KEY (id),
    CONSTRAINT chats_members_key_uq UNIQUE (members_key)
);

CREATE TABLE chat_members (
    chat_id UUID         NOT NULL,
    user_id VARCHAR(255) NOT NULL,
    CONSTRAINT chat_members_pk PRIMARY KEY (chat_id, user_id),
    CONSTRAINT chat_members_chat_fk FOREIGN KEY (chat_id) REFERENCES chats (id)
);

-- "the chats of a user", for membership checks and listing.
CREATE INDEX chat_members_user_ix ON chat_members (user_id);

-- (chat_id, seq) is unique and is the index every history page and replay reads by.
-- (chat_id, client_id) is unique: a retried send cannot store a second copy.
CREATE TABLE messages (
    id        UUID                     NOT NULL,
    chat_id   UUID                     NOT NULL,
    seq       BIGINT                   NOT NULL,
    client_id VARCHAR(255)             NOT NULL,
    user_id   VARCHAR(255)             NOT NULL,
    subject   VARCHAR(1024)            NOT NULL,
    text      VARCHAR                  NOT NULL,
    sent_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT messages_pk PRIMARY KEY (id),
    CONSTRAINT messages_chat_fk FOREIGN KEY (chat_id) REFERENCES chats (id),
    CONSTRAINT messages_chat_seq_uq UNIQUE (chat_id, seq),
    CONSTRAINT messages_chat_client_uq UNIQUE (chat_id, client_id)
);
