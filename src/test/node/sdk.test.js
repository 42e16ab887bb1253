'use strict';
// Drives the running service (CHAT_URL) through the TypeScript client that openapi-generator's typescript-fetch
// makes from openapi/chat.yaml, compiled without edits into SDK_DIR. Run by chat.sdk.TypeScriptClientTest with
// node's own test runner.
const test = require('node:test');
const assert = require('node:assert/strict');
const {randomUUID} = require('node:crypto');
const sdk = require(process.env.SDK_DIR);

const config = new sdk.Configuration({basePath: process.env.CHAT_URL});
const chat = new sdk.ChatApi(config);
const stream = new sdk.StreamApi(config);
const user = name => `${name}-${randomUUID()}`;

async function newChat() {
    const john = user('John');
    const {chatId} = await chat.newChat({newRequest: {userIds: [john, user('Barry')]}});
    return {john, chatId};
}

async function microError(promise) {
    const error = await promise.then(() => assert.fail('expected an error answer'), e => e);
    assert.ok(error instanceof sdk.ResponseError, `a ResponseError, not ${error}`);
    const body = await error.response.json();
    assert.deepEqual(Object.keys(body), ['id', 'code', 'detail', 'status'], 'micro error fields');
    return {status: error.response.status, error: sdk.MicroErrorFromJSON(body)};
}

test('New answers the same chat for the same users on both path forms', async () => {
    const john = user('John');
    const barry = user('Barry');
    const {chatId} = await chat.newChat({newRequest: {userIds: [john, barry]}});
    const again = await chat.chatNew({newRequest: {userIds: [barry, john, barry]}});
    assert.match(chatId, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    assert.equal(again.chatId, chatId);
});

test('Send answers exactly the fields the spec declares', async () => {
    const {john, chatId} = await newChat();
    const response = await chat.sendRaw({sendRequest: {chatId, userId: john, clientId: 'c-1', subject: 'Hello',
        text: 'Hey Barry 👋'}});
    const raw = (await response.raw.json()).message;
    const message = sdk.MessageFromJSON(raw);
    assert.ok(sdk.instanceOfMessage(message), 'every required field present');
    // the optional fields of message life (reply_to, edited_at, …) are absent from a plain message: compare the
    // fields the SDK writes back with a value, which are exactly the declared ones the answer holds
    const declared = Object.entries(sdk.MessageToJSON(message)).filter(([, v]) => v !== undefined).map(([k]) => k);
    assert.deepEqual(declared.sort(), Object.keys(raw).sort(), 'no undeclared field');
    assert.equal(message.clientId, 'c-1');
    assert.equal(message.userId, john);
    assert.equal(message.text, 'Hey Barry 👋');
    assert.equal(message.seq, 1);
    assert.ok(Number.isInteger(message.sentAt) && Math.abs(message.sentAt - Date.now() / 1000) < 60,
        `sent_at in Unix seconds: ${message.sentAt}`);
});

test('Send retried with the same client_id stores one message', async () => {
    const {john, chatId} = await newChat();
    const first = await chat.send({sendRequest: {chatId, userId: john, clientId: 'retry-1', text: 'Hi'}});
    const retry = await chat.chatSend({sendRequest: {chatId, userId: john, clientId: 'retry-1', text: 'Hi'}});
    const {messages} = await chat.history({historyRequest: {chatId}});
    assert.equal(retry.message.id, first.message.id);
    assert.deepEqual(messages.map(m => m.seq), [1]);
});

test('History pages back with before and catches up with after', async () => {
    const {john, chatId} = await newChat();
    for (let i = 1; i <= 5; i++) {
        await chat.send({sendRequest: {chatId, userId: john, clientId: `c${i}`, text: `message ${i}`}});
    }
    const seqs = async (call, request) => (await call({historyRequest: request})).messages.map(m => m.seq);
    assert.deepEqual(await seqs(r => chat.history(r), {chatId, limit: 2}), [4, 5]);
    assert.deepEqual(await seqs(r => chat.chatHistory(r), {chatId, limit: 2, before: 4}), [2, 3]);
    assert.deepEqual(await seqs(r => chat.history(r), {chatId, limit: 2, before: 2}), [1]);
    assert.deepEqual(await seqs(r => chat.history(r), {chatId, after: 3}), [4, 5]);
});

test('an error is read as micro error JSON', async () => {
    const {john, chatId} = await newChat();
    const {status, error} = await microError(chat.send({sendRequest: {chatId, userId: john}}));
    assert.equal(status, 400);
    assert.deepEqual(error, {id: 'chat.Send.MissingText', code: 400, detail: 'text is required',
        status: 'Bad Request'});
});

test('a Connect refusal is read as micro error JSON', async () => {
    const {status, error} = await microError(stream.connect({chatId: randomUUID(), userId: 'John'}));
    assert.equal(status, 404);
    assert.equal(error.id, 'chat.Connect.InvalidChatID');
});
