'use strict';
// Drives a service that has a public key configured (CHAT_URL) through the TypeScript client that openapi-generator's
// typescript-fetch makes from openapi/chat.yaml, compiled without edits into SDK_DIR, with the token given as that
// client takes it: Configuration({accessToken}). The tokens come from chat.sdk.TypeScriptClientWithTokensTest, which
// signs them with a key of its own: JOHN and JOHN_TOKEN, BARRY, ACME_TOKEN (John in the namespace acme).
const test = require('node:test');
const assert = require('node:assert/strict');
const sdk = require(process.env.SDK_DIR);

const {CHAT_URL: basePath, JOHN: john, JOHN_TOKEN: johnToken, BARRY: barry, ACME_TOKEN: acmeToken} = process.env;
const asJohn = new sdk.ChatApi(new sdk.Configuration({basePath, accessToken: johnToken}));
const anonymous = new sdk.ChatApi(new sdk.Configuration({basePath}));

async function microError(promise) {
    const error = await promise.then(() => assert.fail('expected an error answer'), e => e);
    assert.ok(error instanceof sdk.ResponseError, `a ResponseError, not ${error}`);
    const body = await error.response.json();
    assert.deepEqual(Object.keys(body), ['id', 'code', 'detail', 'status'], 'micro error fields');
    return {status: error.response.status, headers: error.response.headers, error: sdk.MicroErrorFromJSON(body)};
}

test('with a token the calls answer as its user', async () => {
    const {chatId} = await asJohn.newChat({newRequest: {userIds: [john, barry]}, microNamespace: 'micro'});
    const {message} = await asJohn.send({sendRequest: {chatId, clientId: 't-1', text: 'Hey Barry'}});
    const {messages} = await asJohn.chatHistory({historyRequest: {chatId}});
    assert.equal(message.userId, john, 'user_id left out: the token\'s user sends');
    assert.equal(message.seq, 1);
    assert.deepEqual(messages.map(m => m.text), ['Hey Barry']);
});

test('the session call says who the token is', async () => {
    const session = await new sdk.SessionApi(new sdk.Configuration({basePath, accessToken: johnToken})).getSession();
    assert.equal(session.userId, john);
    assert.equal(session.namespace, 'micro');
    assert.ok(session.expiresAt > Date.now() / 1000, `expires_at in the future: ${session.expiresAt}`);
});

test('without a token a call is a 401 micro error', async () => {
    const {status, headers, error} = await microError(anonymous.newChat({newRequest: {userIds: [john, barry]}}));
    assert.equal(status, 401);
    assert.equal(error.id, 'chat.Unauthorized');
    assert.equal(error.status, 'Unauthorized');
    assert.match(headers.get('WWW-Authenticate') || '', /^Bearer/);
});

test('the micro-namespace parameter must be the token\'s namespace', async () => {
    const acme = new sdk.ChatApi(new sdk.Configuration({basePath, accessToken: acmeToken}));
    const {chatId: inAcme} = await acme.newChat({newRequest: {userIds: [john, barry]}, microNamespace: 'acme'});
    const {chatId: inMicro} = await asJohn.newChat({newRequest: {userIds: [john, barry]}});
    assert.notEqual(inAcme, inMicro, 'the same users, another chat in another namespace');
    const mismatch = await microError(acme.newChat({newRequest: {userIds: [john, barry]}, microNamespace: 'micro'}));
    assert.equal(mismatch.status, 403);
    assert.equal(mismatch.error.id, 'chat.New.Forbidden');
});
