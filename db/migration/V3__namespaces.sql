-- Every chat lives in exactly one namespace (micro's tenant): the same set of users in two namespaces has two
-- chats, so the members key is unique per namespace. Chats made before namespaces existed belong to "micro",
-- the namespace a request names when it names none.
ALTER TABLE chats ADD COLUMN namespace VARCHAR(64) NOT NULL DEFAULT 'micro';
ALTER TABLE chats DROP CONSTRAINT chats_members_key_uq;
ALTER TABLE chats ADD CONSTRAINT chats_namespace_members_key_uq UNIQUE (namespace, members_key);
