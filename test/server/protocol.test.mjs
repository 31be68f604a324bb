// The reference server speaks docs/protocol.md: authentication, error bodies, paging, CORS, every route.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { allPages, api, openSocket, startServer, temporaryFolder } from './helpers.mjs';

describe('reference server: protocol basics', { timeout: 120_000 }, () => {
  let folder;
  let server;
  let base;

  before(async () => {
    folder = temporaryFolder();
    server = await startServer({ db: `${folder.path}/db.sqlite`, args: ['--expired-token', 'old-token', '--token', 'demo-token', '--token', 'second-token', '--offers', '2'] });
    base = server.baseUrl;
  });

  after(async () => {
    const exit = await server?.stop();
    folder?.remove();
    assert.deepEqual(exit, { code: 0, signal: null }, 'SIGTERM stops the server with exit code 0');
  });

  test('a missing, unknown or expired token is 401 unauthenticated; every listed token works', async () => {
    for (const token of [null, 'wrong-token', 'old-token']) {
      const { status, body, headers } = await api(base, 'GET', '/agent', { token });
      assert.equal(status, 401, `token ${token}`);
      assert.equal(body.error.code, 'unauthenticated');
      assert.match(body.error.message, /token/i);
      assert.match(headers.get('www-authenticate') ?? '', /^Bearer/);
    }
    assert.match((await api(base, 'GET', '/agent', { token: 'old-token' })).body.error.message, /expired/);
    assert.equal((await api(base, 'GET', '/agent', { token: 'demo-token' })).status, 200);
    assert.equal((await api(base, 'GET', '/agent', { token: 'second-token' })).status, 200);
  });

  test('session, snapshot and the agent', async () => {
    const session = await api(base, 'GET', '/session');
    assert.equal(session.status, 200);
    assert.equal(typeof session.body.agent.id, 'string');
    assert.equal(session.body.capabilities.conversations, true);
    assert.ok(Array.isArray(session.body.capabilities.channels));

    const snapshot = await api(base, 'GET', '/snapshot');
    assert.equal(snapshot.status, 200);
    assert.equal(snapshot.body.agent.id, session.body.agent.id);
    assert.ok(snapshot.body.conversations.length > 0 && snapshot.body.conversations.length <= 200);
    assert.ok(snapshot.body.conversations.every((conversation) => conversation.status !== 'resolved'));
    assert.deepEqual(Object.keys(snapshot.body.sequences).sort(), ['agent', 'conversations', 'customers', 'tickets']);
    const customerIds = new Set(snapshot.body.customers.map((customer) => customer.id));
    assert.ok(snapshot.body.conversations.every((conversation) => customerIds.has(conversation.customerId)));
  });

  test('errors carry the protocol codes and readable messages', async () => {
    const missing = await api(base, 'GET', '/conversations/no-such-conversation');
    assert.equal(missing.status, 404);
    assert.equal(missing.body.error.code, 'not-found');
    assert.match(missing.body.error.message, /no-such-conversation/);

    const zero = await api(base, 'GET', '/conversations?limit=0');
    assert.equal(zero.status, 400);
    assert.deepEqual([zero.body.error.code, zero.body.error.field], ['invalid', 'limit']);

    const noKey = await api(base, 'PUT', '/agent/presence', { body: { presence: 'busy' } });
    assert.equal(noKey.status, 400);
    assert.deepEqual([noKey.body.error.code, noKey.body.error.field], ['invalid', 'Idempotency-Key']);

    const badPresence = await api(base, 'PUT', '/agent/presence', { body: { presence: 'asleep' }, key: 'bad-presence' });
    assert.equal(badPresence.status, 400);
    assert.deepEqual([badPresence.body.error.code, badPresence.body.error.field], ['invalid', 'presence']);

    const badJson = await api(base, 'POST', '/tickets', { body: '{"subject": ', key: 'bad-json' });
    assert.equal(badJson.status, 400);
    assert.equal(badJson.body.error.field, 'body');

    const unknownRoute = await api(base, 'GET', '/nothing-here');
    assert.equal(unknownRoute.status, 404);
    assert.equal(unknownRoute.body.error.code, 'not-found');

    const wrongMethod = await api(base, 'DELETE', '/agent', { key: 'delete-agent' });
    assert.equal(wrongMethod.status, 405);
    assert.equal(wrongMethod.headers.get('allow'), 'GET');

    const unknownArticle = await api(base, 'POST', '/knowledge/articles/nope/rating', { body: { helpful: true }, key: 'rate-nope' });
    assert.equal(unknownArticle.status, 404);
  });

  test('a stale ticket baseVersion is 409 conflict and a refused transition is 400 invalid', async () => {
    const { body: conversations } = await api(base, 'GET', '/conversations?limit=1');
    const customerId = conversations.items[0].customerId;
    const created = await api(base, 'POST', '/tickets', { body: { customerId, subject: 'Protocol test ticket', description: '' }, key: 'ticket-1' });
    assert.equal(created.status, 200);
    assert.equal(created.body.status, 'new');
    assert.equal(created.body.version, 1);
    const updated = await api(base, 'PATCH', `/tickets/${created.body.id}`, { body: { baseVersion: 1, status: 'open' }, key: 'ticket-1-open' });
    assert.equal(updated.status, 200);
    assert.equal(updated.body.version, 2);
    const stale = await api(base, 'PATCH', `/tickets/${created.body.id}`, { body: { baseVersion: 1, priority: 'high' }, key: 'ticket-1-stale' });
    assert.equal(stale.status, 409);
    assert.equal(stale.body.error.code, 'conflict');
    const refused = await api(base, 'PATCH', `/tickets/${created.body.id}`, { body: { baseVersion: 2, status: 'closed' }, key: 'ticket-1-close' });
    assert.equal(refused.status, 400);
    assert.deepEqual([refused.body.error.code, refused.body.error.field], ['invalid', 'status']);
    const listed = await api(base, 'GET', `/customers/${encodeURIComponent(customerId)}/tickets`);
    assert.ok(listed.body.some((ticket) => ticket.id === created.body.id && ticket.version === 2));
  });

  test('conversation paging returns every conversation exactly once, pages of at most limit, last cursor null', async () => {
    const everything = await allPages(base, '/conversations?scope=all');
    const pages = [];
    let cursor = null;
    do {
      const { status, body } = await api(base, 'GET', `/conversations?scope=all&limit=7${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      assert.equal(status, 200);
      assert.ok(body.items.length <= 7);
      pages.push(body.items);
      cursor = body.nextCursor;
    } while (cursor !== null);
    const ids = pages.flat().map((conversation) => conversation.id);
    assert.equal(new Set(ids).size, ids.length, 'no conversation twice');
    assert.deepEqual(ids, everything.map((conversation) => conversation.id));
    const defaultPage = await api(base, 'GET', '/conversations');
    assert.ok(defaultPage.body.items.length <= 50);

    const filtered = await api(base, 'GET', '/conversations?channels=email,sms&statuses=open,queued&limit=200');
    assert.ok(filtered.body.items.every((conversation) => ['email', 'sms'].includes(conversation.channel) && ['open', 'queued'].includes(conversation.status)));
    const badChannel = await api(base, 'GET', '/conversations?channels=fax');
    assert.equal(badChannel.body.error.field, 'channels');
  });

  test('message paging goes from the newest backwards without repeats', async () => {
    const { body: list } = await api(base, 'GET', '/conversations?scope=all&limit=200');
    let best = null;
    for (const conversation of list.items) {
      const { body } = await api(base, 'GET', `/conversations/${encodeURIComponent(conversation.id)}/messages?limit=200`);
      if (!best || body.items.length > best.count) best = { id: conversation.id, count: body.items.length, items: body.items };
    }
    assert.ok(best.count >= 3, 'some conversation has three messages or more');
    const seen = [];
    let cursor = null;
    do {
      const { body } = await api(base, 'GET', `/conversations/${encodeURIComponent(best.id)}/messages?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      assert.ok(body.items.length <= 2);
      seen.unshift(...body.items);
      cursor = body.nextCursor;
    } while (cursor !== null);
    assert.deepEqual(seen.map((message) => message.id), best.items.map((message) => message.id));
  });

  test('every read route answers', async () => {
    const { body: agent } = await api(base, 'GET', '/agent');
    const { body: conversations } = await api(base, 'GET', '/conversations?limit=3');
    const conversation = conversations.items[0];
    const { body: customer } = await api(base, 'GET', `/customers/${conversation.customerId}`);
    const identity = customer.identities[0];
    for (const path of [
      '/queues',
      '/agents',
      `/conversations/${conversation.id}`,
      `/conversations/${conversation.id}/suggestions`,
      `/customers?kind=${identity.kind}&value=${encodeURIComponent(identity.value)}`,
      `/customers/${customer.id}/duplicates`,
      `/customers/${customer.id}/conversations`,
      '/knowledge/search?text=refund&limit=3',
      '/canned-replies',
      '/telephony',
    ]) {
      const { status, body } = await api(base, 'GET', path);
      assert.equal(status, 200, `${path}: ${JSON.stringify(body)}`);
    }
    assert.ok((await api(base, 'GET', '/agents')).body.some((item) => item.id === agent.id));
    const found = await api(base, 'GET', `/customers?kind=${identity.kind}&value=${encodeURIComponent(identity.value)}`);
    assert.ok(found.body.some((item) => item.id === customer.id));
    assert.deepEqual((await api(base, 'GET', '/customers?kind=email&value=nobody%40nowhere.invalid')).body, []);
    const search = await api(base, 'GET', '/knowledge/search?text=refund&limit=2');
    assert.ok(search.body.length <= 2);
    if (search.body[0]) {
      const article = await api(base, 'GET', `/knowledge/articles/${encodeURIComponent(search.body[0].article.id)}`);
      assert.equal(article.body.id, search.body[0].article.id);
      const rated = await api(base, 'POST', `/knowledge/articles/${encodeURIComponent(article.body.id)}/rating`, { body: { helpful: true }, key: 'rate-1' });
      assert.equal(rated.status, 204);
      assert.equal(rated.body, undefined);
    }
    assert.equal((await api(base, 'GET', '/telephony')).body, null);
  });

  test('writes answer the updated records', async () => {
    const presence = await api(base, 'PUT', '/agent/presence', { body: { presence: 'busy' }, key: 'presence-busy' });
    assert.equal(presence.body.presence, 'busy');
    const capacity = await api(base, 'PUT', '/agent/capacity/email', { body: { max: 7 }, key: 'capacity-7' });
    assert.equal(capacity.body.capacity.find((entry) => entry.channel === 'email').max, 7);
    const { body: queues } = await api(base, 'GET', '/queues');
    const { body: list } = await api(base, 'GET', '/conversations?scope=all&statuses=open&limit=1');
    const id = list.items[0].id;
    const assigned = await api(base, 'POST', `/conversations/${id}/assign`, { body: { kind: 'queue', queueId: queues[0].id }, key: 'assign-queue' });
    assert.equal(assigned.body.assigneeId, null);
    const resolved = await api(base, 'POST', `/conversations/${id}/status`, { body: { status: 'resolved' }, key: 'resolve' });
    assert.equal(resolved.body.status, 'resolved');
    const reopened = await api(base, 'POST', `/conversations/${id}/status`, { body: { status: 'open' }, key: 'reopen' });
    assert.equal(reopened.body.status, 'open');
    const read = await api(base, 'POST', `/conversations/${id}/read`, { body: {}, key: 'read' });
    assert.equal(read.body.unreadCount, 0);
    const note = await api(base, 'POST', `/conversations/${id}/messages`, { body: { text: 'An internal note', internal: true }, key: 'note-1' });
    assert.equal(note.body.direction, 'internal');
    assert.equal(note.body.clientKey, 'note-1');
    const { body: customer } = await api(base, 'GET', `/customers/${list.items[0].customerId}`);
    const tagged = await api(base, 'PATCH', `/customers/${customer.id}`, { body: { tags: [...customer.tags, 'server-test'] }, key: 'tag' });
    assert.ok(tagged.body.tags.includes('server-test'));
    const unknownOffer = await api(base, 'POST', '/offers/offer-none/decline', { body: {}, key: 'decline-none' });
    assert.equal(unknownOffer.status, 404);
    const noSource = await api(base, 'POST', `/customers/${customer.id}/merge`, { body: {}, key: 'merge-nothing' });
    assert.deepEqual([noSource.status, noSource.body.error.field], [400, 'sourceId']);
  });

  test('--offers keeps work offers open: accept assigns the conversation, decline withdraws, both are topped up', async () => {
    const { body: first } = await api(base, 'GET', '/snapshot');
    assert.equal(first.offers.length, 2);
    const [toAccept, toDecline] = first.offers;
    const accepted = await api(base, 'POST', `/offers/${toAccept.id}/accept`, { body: {}, key: 'accept-offer' });
    assert.equal(accepted.status, 200);
    assert.deepEqual([accepted.body.id, accepted.body.assigneeId], [toAccept.conversationId, first.agent.id]);
    const declined = await api(base, 'POST', `/offers/${toDecline.id}/decline`, { body: {}, key: 'decline-offer' });
    assert.deepEqual([declined.status, declined.body], [204, undefined]);
    const again = await api(base, 'POST', `/offers/${toAccept.id}/accept`, { body: {}, key: 'accept-offer-again' });
    assert.equal(again.status, 404);
    let offers = [];
    for (let attempt = 0; attempt < 50 && offers.length < 2; attempt += 1) {
      await new Promise((resolvePromise) => setTimeout(resolvePromise, 20));
      offers = (await api(base, 'GET', '/snapshot')).body.offers;
    }
    assert.equal(offers.length, 2);
    assert.ok(offers.every((offer) => offer.id !== toAccept.id && offer.id !== toDecline.id && offer.conversationId !== toAccept.conversationId));
  });

  test('CORS: the demo origins may call, with the protocol headers; other origins get no grant', async () => {
    const preflight = await fetch(`${base}/conversations/x/messages`, {
      method: 'OPTIONS',
      headers: { origin: 'http://localhost:5173', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type,idempotency-key' },
    });
    assert.equal(preflight.status, 204);
    assert.equal(preflight.headers.get('access-control-allow-origin'), 'http://localhost:5173');
    assert.match(preflight.headers.get('access-control-allow-headers') ?? '', /Idempotency-Key/);
    assert.match(preflight.headers.get('access-control-allow-methods') ?? '', /PATCH/);
    const simple = await api(base, 'GET', '/agent', { headers: { origin: 'http://127.0.0.1:4173' } });
    assert.equal(simple.headers.get('access-control-allow-origin'), 'http://127.0.0.1:4173');
    const foreign = await api(base, 'GET', '/agent', { headers: { origin: 'https://evil.example' } });
    assert.equal(foreign.headers.get('access-control-allow-origin'), null);
  });

  test('the event socket closes with 4401 for a bad token, and for a subscribe before auth', async () => {
    for (const first of [{ type: 'auth', token: 'wrong' }, { type: 'auth', token: 'old-token' }, { type: 'subscribe', since: {} }]) {
      const socket = await openSocket(server.eventsUrl);
      socket.send(first);
      const { code } = await socket.closed;
      assert.equal(code, 4401, JSON.stringify(first));
    }
  });
});
