// Idempotency keys (docs/protocol.md, "Idempotency"): the same key and request answer the first answer and
// write once, also when the requests overlap; the same key with another request is 409 conflict.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { api, openSocket, sleep, startServer, temporaryFolder } from './helpers.mjs';

describe('reference server: idempotency', { timeout: 120_000 }, () => {
  let folder;
  let server;
  let base;
  let socket;
  let conversationId;
  let customerId;

  before(async () => {
    folder = temporaryFolder();
    server = await startServer({ db: `${folder.path}/db.sqlite` });
    base = server.baseUrl;
    const { body } = await api(base, 'GET', '/conversations?scope=mine&channels=webchat&statuses=open&limit=1');
    conversationId = body.items[0].id;
    customerId = body.items[0].customerId;
    socket = await openSocket(server.eventsUrl);
    socket.send({ type: 'auth', token: 'demo-token' });
    socket.send({ type: 'subscribe', since: (await api(base, 'GET', '/snapshot')).body.sequences });
  });

  after(async () => {
    socket?.close();
    await server?.stop();
    folder?.remove();
  });

  const messagesOf = async (id) => (await api(base, 'GET', `/conversations/${encodeURIComponent(id)}/messages?limit=200`)).body.items;
  const addedWithText = (text) => socket.events().filter((event) => event.type === 'message.added' && event.message.text === text);

  test('the same key and body answer the first answer again and store one message', async () => {
    const text = `Idempotent reply ${Date.now()}`;
    const first = await api(base, 'POST', `/conversations/${conversationId}/messages`, { body: { text }, key: 'send-once' });
    assert.equal(first.status, 200);
    assert.equal(first.body.clientKey, 'send-once');
    // Key order and spacing do not make another request.
    const again = await api(base, 'POST', `/conversations/${conversationId}/messages`, { body: `{ "text" : ${JSON.stringify(text)} }`, key: 'send-once' });
    assert.equal(again.status, 200);
    assert.deepEqual(again.body, first.body);
    await sleep(300);
    assert.equal((await messagesOf(conversationId)).filter((message) => message.text === text).length, 1);
    assert.equal(addedWithText(text).length, 1, 'one message.added');
  });

  test('overlapping requests with one key write once and all get the same answer', async () => {
    const text = `Concurrent reply ${Date.now()}`;
    const answers = await Promise.all(
      Array.from({ length: 10 }, () => api(base, 'POST', `/conversations/${conversationId}/messages`, { body: { text }, key: 'send-concurrently' })),
    );
    assert.ok(answers.every((answer) => answer.status === 200));
    assert.equal(new Set(answers.map((answer) => answer.body.id)).size, 1);
    await sleep(300);
    assert.equal((await messagesOf(conversationId)).filter((message) => message.text === text).length, 1);
    assert.equal(addedWithText(text).length, 1);
  });

  test('the same key with another body, path or method is 409 conflict and writes nothing', async () => {
    const text = `Conflict probe ${Date.now()}`;
    const first = await api(base, 'POST', `/conversations/${conversationId}/messages`, { body: { text }, key: 'reused-key' });
    assert.equal(first.status, 200);
    const otherBody = await api(base, 'POST', `/conversations/${conversationId}/messages`, { body: { text: `${text} (edited)` }, key: 'reused-key' });
    assert.equal(otherBody.status, 409);
    assert.equal(otherBody.body.error.code, 'conflict');
    assert.match(otherBody.body.error.message, /reused-key/);
    const otherPath = await api(base, 'POST', '/tickets', { body: { customerId, subject: 'Should not exist', description: '' }, key: 'reused-key' });
    assert.equal(otherPath.status, 409);
    const otherMethod = await api(base, 'PUT', '/agent/presence', { body: { presence: 'break' }, key: 'reused-key' });
    assert.equal(otherMethod.status, 409);
    assert.notEqual((await api(base, 'GET', '/agent')).body.presence, 'break');
    const messages = await messagesOf(conversationId);
    assert.equal(messages.filter((message) => message.text.startsWith(text)).length, 1);
    const tickets = (await api(base, 'GET', `/customers/${customerId}/tickets`)).body;
    assert.ok(!tickets.some((ticket) => ticket.subject === 'Should not exist'));
    // The first answer is still the answer for the first request.
    const retry = await api(base, 'POST', `/conversations/${conversationId}/messages`, { body: { text }, key: 'reused-key' });
    assert.deepEqual(retry.body, first.body);
  });

  test('the same key creates one ticket', async () => {
    const subject = `Ticket once ${Date.now()}`;
    const answers = [];
    for (let attempt = 0; attempt < 3; attempt += 1) {
      answers.push(await api(base, 'POST', '/tickets', { body: { customerId, subject, description: 'x' }, key: 'ticket-once' }));
    }
    assert.equal(new Set(answers.map((answer) => answer.body.id)).size, 1);
    const tickets = (await api(base, 'GET', `/customers/${customerId}/tickets`)).body;
    assert.equal(tickets.filter((ticket) => ticket.subject === subject).length, 1);
  });

  test('a refusal is the first answer too; a 204 answer repeats as 204', async () => {
    const refused = await api(base, 'POST', '/conversations/missing-conversation/messages', { body: { text: 'x' }, key: 'refused-once' });
    assert.equal(refused.status, 404);
    const again = await api(base, 'POST', '/conversations/missing-conversation/messages', { body: { text: 'x' }, key: 'refused-once' });
    assert.deepEqual([again.status, again.body], [refused.status, refused.body]);

    const { body: hits } = await api(base, 'GET', '/knowledge/search?text=refund&limit=1');
    const path = `/knowledge/articles/${encodeURIComponent(hits[0].article.id)}/rating`;
    const rated = await api(base, 'POST', path, { body: { helpful: false }, key: 'vote-once' });
    const ratedAgain = await api(base, 'POST', path, { body: { helpful: false }, key: 'vote-once' });
    assert.deepEqual([rated.status, ratedAgain.status, ratedAgain.body], [204, 204, undefined]);
  });

  test('a write without a key, or with an empty one, is refused and writes nothing', async () => {
    const text = `Keyless ${Date.now()}`;
    const none = await api(base, 'POST', `/conversations/${conversationId}/messages`, { body: { text } });
    assert.deepEqual([none.status, none.body.error.code, none.body.error.field], [400, 'invalid', 'Idempotency-Key']);
    const empty = await api(base, 'POST', `/conversations/${conversationId}/messages`, { body: { text }, key: '' });
    assert.equal(empty.status, 400);
    assert.equal((await messagesOf(conversationId)).filter((message) => message.text === text).length, 0);
  });
});
