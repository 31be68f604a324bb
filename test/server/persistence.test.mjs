// The server keeps its data on disk: after kill -9 and a restart on the same database every acknowledged write
// is there, sequence numbers continue, the event log still answers `subscribe since`, and a retried write
// returns its first answer without writing again.
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { api, openSocket, sleep, startServer, temporaryFolder } from './helpers.mjs';

const settle = () => sleep(1_200);

async function subscribed(server, since) {
  const socket = await openSocket(server.eventsUrl);
  socket.send({ type: 'auth', token: 'demo-token' });
  socket.send({ type: 'subscribe', since });
  return socket;
}

async function thread(base, conversationId) {
  const { status, body } = await api(base, 'GET', `/conversations/${encodeURIComponent(conversationId)}/messages?limit=200`);
  assert.equal(status, 200);
  assert.equal(body.nextCursor, null, 'the thread fits one page');
  return body.items;
}

describe('reference server: persistence', { timeout: 180_000 }, () => {
  const folders = [];
  const servers = [];
  const folder = () => {
    const created = temporaryFolder();
    folders.push(created);
    return created;
  };
  const start = async (options) => {
    const server = await startServer(options);
    servers.push(server);
    return server;
  };

  after(async () => {
    for (const server of servers) await server.stop().catch(() => undefined);
    for (const created of folders) created.remove();
  });

  test('kill -9, restart: every write is there, numbering continues, a retry returns the first answer', async () => {
    const db = `${folder().path}/db.sqlite`;
    const first = await start({ db });
    let base = first.baseUrl;
    const { body: list } = await api(base, 'GET', '/conversations?scope=all&channels=webchat,email&statuses=open,queued&limit=4');
    const conversationIds = list.items.map((conversation) => conversation.id);
    assert.equal(conversationIds.length, 4);

    const sends = [];
    for (let index = 0; index < 40; index += 1) {
      const conversationId = conversationIds[index % conversationIds.length];
      const body = { text: `Persistent message ${index}`, internal: index % 3 === 0 };
      const key = `persist-${index}`;
      const answer = await api(base, 'POST', `/conversations/${conversationId}/messages`, { body, key });
      assert.equal(answer.status, 200, JSON.stringify(answer.body));
      sends.push({ conversationId, body, key, answer: answer.body });
    }
    // The engine takes attachment values the seed format refuses (empty id, type and URL; a fractional size): the
    // database must still load them after the restart.
    const odd = await api(base, 'POST', `/conversations/${conversationIds[1]}/messages`, {
      body: { text: 'Odd attachment', internal: true, attachments: [{ id: '', name: 'notes.txt', mimeType: '', size: 1.5, url: '' }] },
      key: 'persist-odd-attachment',
    });
    assert.equal(odd.status, 200, JSON.stringify(odd.body));
    const customerId = list.items[0].customerId;
    const ticket = (await api(base, 'POST', '/tickets', { body: { customerId, subject: 'Survives a crash', description: 'd' }, key: 'persist-ticket' })).body;
    const commented = await api(base, 'POST', `/tickets/${ticket.id}/comments`, { body: { body: 'A comment', internal: false }, key: 'persist-comment' });
    assert.equal(commented.status, 200);
    const tagged = await api(base, 'PATCH', `/customers/${customerId}`, { body: { tags: ['kept-after-crash'], notes: 'Noted before the crash' }, key: 'persist-tags' });
    assert.equal(tagged.status, 200);
    assert.equal((await api(base, 'PUT', '/agent/presence', { body: { presence: 'break' }, key: 'persist-presence' })).status, 200);
    await settle();
    const before = {
      threads: Object.fromEntries(await Promise.all(conversationIds.map(async (id) => [id, await thread(base, id)]))),
      snapshot: (await api(base, 'GET', '/snapshot')).body,
      conversations: Object.fromEntries(await Promise.all(conversationIds.map(async (id) => [id, (await api(base, 'GET', `/conversations/${id}`)).body]))),
    };

    const killed = await first.kill();
    assert.equal(killed.signal, 'SIGKILL');

    const second = await start({ db });
    base = second.baseUrl;
    // Every message, in order, with its text and key.
    for (const id of conversationIds) {
      const after = await thread(base, id);
      assert.deepEqual(
        after.map((message) => [message.id, message.text, message.direction, message.clientKey]),
        before.threads[id].map((message) => [message.id, message.text, message.direction, message.clientKey]),
      );
      assert.deepEqual((await api(base, 'GET', `/conversations/${id}`)).body, before.conversations[id]);
    }
    for (const send of sends) {
      const stored = (await thread(base, send.conversationId)).filter((message) => message.clientKey === send.key);
      assert.equal(stored.length, 1, `${send.key} stored once`);
    }
    const oddAfter = (await thread(base, conversationIds[1])).find((message) => message.id === odd.body.id);
    assert.deepEqual(oddAfter?.attachments.map((attachment) => attachment.name), ['notes.txt']);
    const ticketAfter = (await api(base, 'GET', `/tickets/${ticket.id}`)).body;
    assert.deepEqual([ticketAfter.subject, ticketAfter.version, ticketAfter.comments.length], ['Survives a crash', 2, 1]);
    const customer = (await api(base, 'GET', `/customers/${customerId}`)).body;
    assert.deepEqual([customer.tags, customer.notes], [['kept-after-crash'], 'Noted before the crash']);
    assert.equal((await api(base, 'GET', '/agent')).body.presence, 'break');

    // Numbering continues: the log still replays from before the crash, and without a gap into new events.
    const { body: restarted } = await api(base, 'GET', '/snapshot');
    for (const [stream, seq] of Object.entries(before.snapshot.sequences)) assert.ok(restarted.sequences[stream] >= seq, stream);
    const socket = await subscribed(second, before.snapshot.sequences);
    const retry = sends[7];
    const again = await api(base, 'POST', `/conversations/${retry.conversationId}/messages`, { body: retry.body, key: retry.key });
    assert.deepEqual([again.status, again.body], [200, retry.answer], 'a retry after the restart returns the first answer');
    const conflicting = await api(base, 'POST', `/conversations/${retry.conversationId}/messages`, { body: { text: 'other' }, key: retry.key });
    assert.equal(conflicting.status, 409);
    assert.deepEqual((await api(base, 'GET', '/snapshot')).body.sequences, restarted.sequences, 'the retry wrote nothing');
    assert.equal((await thread(base, retry.conversationId)).filter((message) => message.clientKey === retry.key).length, 1);

    const fresh = await api(base, 'POST', `/conversations/${conversationIds[0]}/messages`, { body: { text: 'After the restart', internal: true }, key: 'after-restart' });
    assert.equal(fresh.status, 200);
    assert.ok(!sends.some((send) => send.answer.id === fresh.body.id), 'a new message gets a new id');
    const expected = restarted.sequences.conversations - before.snapshot.sequences.conversations + 1;
    const events = (await socket.waitForEvents(expected)).filter((event) => event.stream === 'conversations');
    assert.deepEqual(
      events.map((event) => event.seq),
      Array.from({ length: events.length }, (_, index) => before.snapshot.sequences.conversations + 1 + index),
    );
    const last = events.find((event) => event.type === 'message.added' && event.message.id === fresh.body.id);
    assert.equal(last?.seq, restarted.sequences.conversations + 1);
    socket.close();
    assert.deepEqual(await second.stop(), { code: 0, signal: null });
  });

  test('kill -9 in the middle of a burst: every acknowledged send survives, retries with the same keys store each once, in order', async () => {
    const db = `${folder().path}/db.sqlite`;
    const first = await start({ db });
    const { body: list } = await api(first.baseUrl, 'GET', '/conversations?scope=all&channels=webchat,email,sms,phone&limit=4');
    const lanes = list.items.map((conversation) => conversation.id);
    const perLane = 40;
    const acknowledged = new Map();
    let stop = false;
    const runLane = async (base, conversationId, lane, collect) => {
      for (let index = 0; index < perLane && !stop; index += 1) {
        const key = `burst-${lane}-${index}`;
        try {
          const answer = await api(base, 'POST', `/conversations/${conversationId}/messages`, { body: { text: `burst ${lane} ${index}`, internal: true }, key });
          if (answer.status === 200) collect?.set(key, answer.body.id);
          else assert.fail(`${key}: ${answer.status} ${JSON.stringify(answer.body)}`);
        } catch (error) {
          if (error.code === 'ERR_ASSERTION') throw error;
          return; // The server died under this request: its outcome is unknown.
        }
      }
    };
    const burst = Promise.all(lanes.map((conversationId, lane) => runLane(first.baseUrl, conversationId, lane, acknowledged)));
    while (acknowledged.size < 50) await sleep(5);
    await first.kill();
    stop = true;
    await burst;
    assert.ok(acknowledged.size >= 50);

    const second = await start({ db });
    for (const [lane, conversationId] of lanes.entries()) {
      const stored = await thread(second.baseUrl, conversationId);
      for (const [key, id] of acknowledged) {
        if (!key.startsWith(`burst-${lane}-`)) continue;
        assert.equal(stored.filter((message) => message.id === id).length, 1, `${key} (${id}) survived`);
      }
    }
    // The outbox retries everything with the same keys: acknowledged sends answer their first answer.
    stop = false;
    const retried = new Map();
    await Promise.all(lanes.map((conversationId, lane) => runLane(second.baseUrl, conversationId, lane, retried)));
    for (const [key, id] of acknowledged) assert.equal(retried.get(key), id, `${key} answered its first answer`);
    for (const [lane, conversationId] of lanes.entries()) {
      const texts = (await thread(second.baseUrl, conversationId)).map((message) => message.text).filter((text) => text.startsWith(`burst ${lane} `));
      assert.deepEqual(texts, Array.from({ length: perLane }, (_, index) => `burst ${lane} ${index}`), `lane ${lane}: each once, in order`);
    }
    assert.deepEqual(await second.stop(), { code: 0, signal: null });
  });

  test('simulated traffic is stored; offers open at a crash are withdrawn (offer.revoked, expired) after the restart', async () => {
    const db = `${folder().path}/db.sqlite`;
    const first = await start({ db, args: ['--traffic', '1200'] });
    const { body: start0 } = await api(first.baseUrl, 'GET', '/snapshot');
    const socket = await subscribed(first, start0.sequences);
    await socket.next((message) => message.type === 'event' && message.event.type === 'offer.created', 20_000);
    await socket.next((message) => message.type === 'event' && message.event.type === 'conversation.upserted', 20_000);
    await first.kill();
    const seen = socket.events();
    const open = new Set();
    for (const event of seen) {
      if (event.type === 'offer.created') open.add(event.offer.id);
      if (event.type === 'offer.revoked') open.delete(event.offerId);
    }
    assert.ok(open.size > 0, 'an offer was open at the crash');
    const applied = {};
    for (const event of seen) applied[event.stream] = event.seq;

    const second = await start({ db });
    const { body: snapshot } = await api(second.baseUrl, 'GET', '/snapshot');
    assert.deepEqual(snapshot.offers, [], 'no offer survives a restart');
    const resumed = await subscribed(second, { ...start0.sequences, ...applied });
    await sleep(500);
    const revoked = resumed.events().filter((event) => event.type === 'offer.revoked');
    for (const offerId of open) {
      assert.ok(revoked.some((event) => event.offerId === offerId && event.reason === 'expired'), `${offerId} withdrawn`);
    }
    // Conversations the simulator created are stored.
    for (const event of seen.filter((item) => item.type === 'conversation.upserted')) {
      const stored = await api(second.baseUrl, 'GET', `/conversations/${encodeURIComponent(event.conversation.id)}`);
      assert.equal(stored.status, 200);
    }
    resumed.close();
    assert.deepEqual(await second.stop(), { code: 0, signal: null });
  });

  test('a graceful stop and restart keeps everything too; a second server on the same database is refused', async () => {
    const db = `${folder().path}/db.sqlite`;
    const first = await start({ db });
    const { body: list } = await api(first.baseUrl, 'GET', '/conversations?scope=all&limit=1');
    const id = list.items[0].id;
    const sent = await api(first.baseUrl, 'POST', `/conversations/${id}/messages`, { body: { text: 'Before SIGTERM', internal: true }, key: 'graceful' });
    assert.equal(sent.status, 200);

    const intruder = await startServer({ db, readyTimeoutMs: 30_000 }).then(
      () => assert.fail('a second server started on a locked database'),
      (error) => error,
    );
    assert.match(intruder.message, /in use by process/);

    const { body: snapshot } = await api(first.baseUrl, 'GET', '/snapshot');
    assert.deepEqual(await first.stop(), { code: 0, signal: null });
    const second = await start({ db });
    const stored = await thread(second.baseUrl, id);
    assert.equal(stored.filter((message) => message.id === sent.body.id).length, 1);
    const { body: restarted } = await api(second.baseUrl, 'GET', '/snapshot');
    for (const [stream, seq] of Object.entries(snapshot.sequences)) assert.ok(restarted.sequences[stream] >= seq);
    assert.deepEqual(await second.stop(), { code: 0, signal: null });
  });
});
