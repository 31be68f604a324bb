import { expect } from '@esm-bundle/chai';
import type { ConnectionState, ConnectorEvent } from '../connector.js';
import { ConnectorError } from '../errors.js';
import { MemoryConnector } from '../memory/memory-connector.js';
import { HttpConnector, type HttpConnectorOptions } from './http-connector.js';
import { FakeClock, FakeHttpBackend, type FakeHttpBackendOptions, type FakeServerSocket } from '../../../test/fakes/fake-http-backend.js';

const HEARTBEAT_MS = 45_000;

interface Rig {
  readonly backend: FakeHttpBackend;
  readonly clock: FakeClock;
  readonly connector: HttpConnector;
  readonly events: ConnectorEvent[];
  readonly states: ConnectionState[];
  readonly resyncs: number[];
}

const cleanups: (() => Promise<void> | void)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function rig(options: { backend?: FakeHttpBackendOptions; connector?: Partial<HttpConnectorOptions>; random?: number } = {}): Rig {
  const backend = new FakeHttpBackend(options.backend);
  const clock = new FakeClock();
  const connector = new HttpConnector({
    baseUrl: backend.baseUrl,
    getToken: backend.getToken,
    fetch: backend.fetch,
    WebSocket: backend.WebSocket,
    timers: clock,
    random: () => options.random ?? 0.5,
    ...options.connector,
  });
  const events: ConnectorEvent[] = [];
  const states: ConnectionState[] = [];
  const resyncs: number[] = [];
  const subscriptions = [
    connector.events$.subscribe((event) => events.push(event)),
    connector.state$.subscribe((state) => states.push(state)),
    connector.resync$.subscribe(() => resyncs.push(events.length)),
  ];
  cleanups.push(async () => {
    for (const subscription of subscriptions) subscription.unsubscribe();
    await connector.disconnect();
    await backend.close();
  });
  return { backend, clock, connector, events, states, resyncs };
}

/** Waits (on real timers: the fake backend answers on later tasks) until `condition` holds. */
async function until(condition: () => boolean, what: string, withinMs = 2000): Promise<void> {
  const deadline = Date.now() + withinMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
}

/** Lets every pending delivery of the fake backend happen. */
async function settle(): Promise<void> {
  for (let index = 0; index < 5; index += 1) await new Promise((resolve) => setTimeout(resolve, 0));
}

async function rejection(promise: Promise<unknown>): Promise<ConnectorError> {
  try {
    await promise;
  } catch (error) {
    expect(error, String(error)).to.be.instanceOf(ConnectorError);
    return error as ConnectorError;
  }
  throw new Error('expected a rejection, but it resolved');
}

function lastSeqs(events: readonly ConnectorEvent[]): Record<string, number> {
  const last: Record<string, number> = {};
  for (const event of events) last[event.stream] = event.seq;
  return last;
}

/** Every stream counts up by exactly 1 from its first event: no gaps, no repeats. */
function expectContiguous(events: readonly ConnectorEvent[], base: Readonly<Record<string, number>>): void {
  const last = new Map(Object.entries(base));
  for (const event of events) {
    const previous = last.get(event.stream);
    if (previous !== undefined) expect(event.seq, `stream ${event.stream} after ${previous}`).to.equal(previous + 1);
    last.set(event.stream, event.seq);
  }
}

async function openConversationId(memory: MemoryConnector): Promise<string> {
  const page = await memory.listConversations({ scope: 'mine', statuses: ['open'], limit: 20 });
  const conversation = page.items.find((item) => item.channel === 'webchat' || item.channel === 'sms') ?? page.items[0];
  if (conversation === undefined) throw new Error('the demo seed has no open conversation');
  return conversation.id;
}

function subscribeMessages(socket: FakeServerSocket | undefined): Record<string, unknown>[] {
  return (socket?.received ?? []).filter((message) => message.type === 'subscribe');
}

describe('HttpConnector', () => {
  describe('connect and disconnect', () => {
    it('reads the session and snapshot, opens one socket, authenticates and subscribes after the snapshot', async () => {
      const { backend, connector, states } = rig();
      const session = await connector.connect();
      expect(session.agent.id).to.equal((await backend.memory.getAgent()).id);
      expect(connector.state).to.equal('connected');
      expect(states).to.deep.equal(['disconnected', 'connecting', 'connected']);
      expect(backend.requests.map((request) => `${request.method} ${request.path}`)).to.have.members(['GET /session', 'GET /snapshot']);
      expect(backend.sockets).to.have.length(1);
      const socket = backend.lastSocket;
      expect(socket?.url).to.equal('ws://cc.test/api/v1/events');
      await until(() => (socket?.received.length ?? 0) >= 2, 'auth and subscribe');
      expect(socket?.received[0]).to.deep.equal({ type: 'auth', token: 'token-1' });
      const snapshot = await backend.memory.snapshot();
      expect(socket?.received[1]).to.deep.equal({ type: 'subscribe', since: snapshot.sequences });
      // The token travels in the first message, never in the URL.
      expect(socket?.url).not.to.include('token');
    });

    it('takes its capabilities from GET /session, and uses the fallback until then', async () => {
      const memory = new MemoryConnector({ latencyMs: 0, capabilities: { tickets: false, customerMerge: false, channels: ['webchat', 'email'] } });
      const { connector } = rig({ backend: { memory }, connector: { capabilities: { knowledge: false } } });
      expect(connector.capabilities.tickets).to.equal(true);
      expect(connector.capabilities.knowledge).to.equal(false);
      expect(connector.capabilities.channels).to.have.length(6);
      await connector.connect();
      expect(connector.capabilities).to.deep.equal({ ...memory.capabilities });
      expect(Object.isFrozen(connector.capabilities)).to.equal(true);
    });

    it('resolves the same session for a second connect() and joins one in flight', async () => {
      const { backend, connector } = rig();
      const [first, second] = await Promise.all([connector.connect(), connector.connect()]);
      expect(second).to.equal(first);
      expect(await connector.connect()).to.equal(first);
      expect(backend.requestsTo('GET', '/session')).to.have.length(1);
      expect(backend.sockets).to.have.length(1);
    });

    it('rejects commands with unavailable before connect() and after disconnect(), without a request', async () => {
      const { backend, connector } = rig();
      expect((await rejection(connector.getAgent())).code).to.equal('unavailable');
      await connector.connect();
      await connector.disconnect();
      const count = backend.requests.length;
      const error = await rejection(connector.sendMessage({ conversationId: 'c-1', text: 'hi' }));
      expect(error.code).to.equal('unavailable');
      expect(error.message).to.match(/not connected/i);
      expect((await rejection(connector.snapshot())).code).to.equal('unavailable');
      expect(backend.requests).to.have.length(count);
    });

    it('a pre-aborted connect rejects with aborted and does nothing', async () => {
      const { backend, connector, states } = rig();
      const controller = new AbortController();
      controller.abort();
      expect((await rejection(connector.connect({ signal: controller.signal }))).code).to.equal('aborted');
      expect(connector.state).to.equal('disconnected');
      expect(states).to.deep.equal(['disconnected']);
      expect(backend.requests).to.have.length(0);
    });

    it('a connect aborted in flight rejects with aborted, ends disconnected and leaves no socket or timer', async () => {
      const { backend, clock, connector } = rig({ backend: { latencyMs: 20 } });
      const controller = new AbortController();
      const connecting = connector.connect({ signal: controller.signal });
      await new Promise((resolve) => setTimeout(resolve, 5));
      controller.abort();
      expect((await rejection(connecting)).code).to.equal('aborted');
      await settle();
      expect(connector.state).to.equal('disconnected');
      expect(backend.openSockets).to.have.length(0);
      expect(clock.pending).to.equal(0);
    });

    it('disconnect() during connect() rejects it with unavailable and leaves nothing running', async () => {
      const { backend, clock, connector } = rig({ backend: { latencyMs: 20 } });
      const connecting = connector.connect();
      await until(() => backend.requests.length === 2, 'the session and snapshot requests');
      await connector.disconnect();
      const error = await rejection(connecting);
      expect(error.code).to.equal('unavailable');
      await new Promise((resolve) => setTimeout(resolve, 40));
      expect(connector.state).to.equal('disconnected');
      expect(backend.sockets).to.have.length(0);
      expect(clock.pending).to.equal(0);
    });

    it('disconnect() while the socket opens rejects connect() and closes the socket', async () => {
      const { backend, clock, connector } = rig();
      backend.holdSockets = true;
      const connecting = connector.connect();
      await until(() => backend.sockets.length === 1, 'the socket');
      expect(backend.lastSocket?.readyState).to.equal(0);
      await connector.disconnect();
      expect((await rejection(connecting)).code).to.equal('unavailable');
      expect(backend.lastSocket?.closedWith).to.deep.include({ code: 1000, by: 'client' });
      await settle();
      expect(connector.state).to.equal('disconnected');
      expect(backend.openSockets).to.have.length(0);
      expect(clock.pending).to.equal(0);
    });

    it('gives up a first socket whose handshake hangs after heartbeatTimeoutMs: connect() rejects', async () => {
      const { backend, clock, connector } = rig({ connector: { heartbeatTimeoutMs: HEARTBEAT_MS } });
      backend.holdSockets = true;
      const connecting = connector.connect();
      await until(() => backend.sockets.length === 1, 'the socket');
      clock.advance(HEARTBEAT_MS);
      const error = await rejection(connecting);
      expect(error.code).to.equal('unavailable');
      expect(error.message).to.match(/could not be opened/);
      expect(connector.state).to.equal('disconnected');
      expect(backend.openSockets).to.have.length(0);
      expect(clock.pending).to.equal(0);
    });

    it('rejects connect() with unavailable when the event socket cannot be opened, and stays disconnected', async () => {
      const { backend, clock, connector } = rig();
      await backend.ready;
      // REST works, the socket endpoint does not.
      const RefusingWebSocket = class extends (backend.WebSocket as unknown as new (url: string) => WebSocket) {
        constructor(url: string) {
          super(`${url}-nowhere`);
        }
      };
      const refused = new HttpConnector({ baseUrl: backend.baseUrl, getToken: backend.getToken, fetch: backend.fetch, WebSocket: RefusingWebSocket as unknown as typeof WebSocket, timers: clock });
      const error = await rejection(refused.connect());
      expect(error.code).to.equal('unavailable');
      expect(error.message).to.match(/event stream/);
      expect(refused.state).to.equal('disconnected');
      expect(clock.pending).to.equal(0);
      expect(connector.state).to.equal('disconnected');
    });

    it('disconnect() closes the socket normally, forgets the token and leaves no timer in any state', async () => {
      const { backend, clock, connector } = rig();
      await connector.connect();
      expect(clock.pending).to.equal(1); // the heartbeat watchdog
      const socket = backend.lastSocket;
      await connector.disconnect();
      expect(clock.pending).to.equal(0);
      expect(socket?.closedWith).to.deep.include({ code: 1000, by: 'client' });
      expect(connector.state).to.equal('disconnected');

      // Reconnecting (a backoff timer pending), then disconnect().
      await connector.connect();
      expect(backend.tokenCalls.filter((call) => !call.forceRefresh)).to.have.length(2); // asked again: it was forgotten
      backend.offline = true;
      backend.dropSockets();
      await until(() => connector.state === 'reconnecting', 'reconnecting');
      expect(clock.pending).to.equal(1);
      await connector.disconnect();
      expect(clock.pending).to.equal(0);
      clock.advance(60_000);
      await settle();
      expect(backend.sockets).to.have.length(2);
      expect(connector.state).to.equal('disconnected');
    });
  });

  describe('commands', () => {
    it('maps routes, bodies and queries to the protocol and returns what the server answered', async () => {
      const { backend, connector } = rig();
      await connector.connect();
      const conversationId = await openConversationId(backend.memory);
      const page = await connector.listConversations({ scope: 'mine', channels: ['webchat', 'sms'], statuses: ['open'], limit: 5, text: 'a b' });
      const request = backend.requestsTo('GET', '/conversations')[0];
      expect(Object.fromEntries(request?.query ?? [])).to.deep.equal({ scope: 'mine', channels: 'webchat,sms', statuses: 'open', limit: '5', text: 'a b' });
      expect(page.items.length).to.be.at.most(5);
      const message = await connector.sendMessage({ conversationId, text: 'Hello over HTTP', internal: true });
      expect(message).to.deep.include({ conversationId, text: 'Hello over HTTP', direction: 'internal' });
      const send = backend.requestsTo('POST', `/conversations/${conversationId}/messages`)[0];
      expect(JSON.parse(send?.body ?? '')).to.deep.equal({ text: 'Hello over HTTP', internal: true });
      expect(send?.headers.get('content-type')).to.equal('application/json');
      await connector.declineOffer('missing-offer').catch(() => undefined);
      expect(await connector.getTelephonyConfig()).to.equal(null);
      expect(await connector.rateArticle((await backend.memory.searchKnowledge({ text: 'refund', limit: 1 }))[0]?.article.id ?? 'x', true)).to.equal(undefined);
    });

    it('URL-encodes path segments', async () => {
      const { backend, connector } = rig();
      await connector.connect();
      const error = await rejection(connector.getConversation('a/b?c#d'));
      expect(error.code).to.equal('not-found');
      expect(error.message).to.include('a/b?c#d');
      expect(backend.requests.at(-1)?.path).to.equal('/conversations/a%2Fb%3Fc%23d');
    });

    it('sends an Idempotency-Key with every write (the caller\'s, else a fresh UUID per call) and none with reads', async () => {
      const { backend, connector } = rig();
      const { agent } = await connector.connect();
      const conversationId = await openConversationId(backend.memory);
      const conversation = await connector.getConversation(conversationId);
      const customer = await connector.getCustomer(conversation.customerId);
      const before = backend.requests.length;
      await connector.setPresence('busy');
      await connector.setCapacity('webchat', agent.capacity.find((entry) => entry.channel === 'webchat')?.max ?? 3);
      await connector.sendMessage({ conversationId, text: 'one' });
      await connector.sendMessage({ conversationId, text: 'two' });
      await connector.markRead(conversationId);
      await connector.updateCustomer(customer.id, { tags: customer.tags });
      const ticket = await connector.createTicket({ customerId: customer.id, subject: 'Key test', description: 'x' });
      await connector.updateTicket(ticket.id, { baseVersion: ticket.version, priority: 'high' });
      await connector.commentTicket(ticket.id, { body: 'note', internal: true });
      await connector.setConversationStatus(conversationId, 'open');
      const writes = backend.requests.slice(before);
      expect(writes).to.have.length(10);
      const keys = writes.map((request) => request.headers.get('idempotency-key'));
      for (const key of keys) expect(key).to.match(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(new Set(keys).size).to.equal(keys.length);

      const sent = await connector.sendMessage({ conversationId, text: 'keyed' }, { idempotencyKey: 'client-key-1' });
      expect(backend.requests.at(-1)?.headers.get('idempotency-key')).to.equal('client-key-1');
      expect(sent.clientKey).to.equal('client-key-1');
      const again = await connector.sendMessage({ conversationId, text: 'keyed' }, { idempotencyKey: 'client-key-1' });
      expect(again.id).to.equal(sent.id);

      const readsBefore = backend.requests.length;
      await connector.getAgent();
      await connector.listMessages(conversationId, { limit: 5 });
      for (const request of backend.requests.slice(readsBefore)) expect(request.headers.has('idempotency-key')).to.equal(false);
    });

    it('maps error bodies to ConnectorError with the backend\'s message and field', async () => {
      const { backend, connector } = rig();
      await connector.connect();
      const conversationId = await openConversationId(backend.memory);

      const invalid = await rejection(connector.listConversations({ limit: 0 }));
      expect(invalid.code).to.equal('invalid');
      expect(invalid.field).to.equal('limit');
      expect(invalid.message).to.match(/limit/);

      const notFound = await rejection(connector.getCustomer('nobody-42'));
      expect(notFound.code).to.equal('not-found');
      expect(notFound.message).to.include('nobody-42');

      await connector.sendMessage({ conversationId, text: 'first' }, { idempotencyKey: 'reused' });
      const conflict = await rejection(connector.sendMessage({ conversationId, text: 'second' }, { idempotencyKey: 'reused' }));
      expect(conflict.code).to.equal('conflict');
      expect(conflict.message).to.include('reused');

      const answer = (status: number, body: unknown, headers: Record<string, string> = { 'Content-Type': 'application/json' }): void => {
        backend.intercept = () => new Response(typeof body === 'string' ? body : JSON.stringify(body), { status, headers });
      };
      answer(403, { error: { code: 'forbidden', message: 'Supervisors only.' } });
      expect(await rejection(connector.getAgent())).to.deep.include({ code: 'forbidden', message: 'Supervisors only.' });
      answer(400, { error: { code: 'invalid', message: 'Presence is unknown.', field: 'presence' } });
      expect(await rejection(connector.setPresence('busy'))).to.deep.include({ code: 'invalid', field: 'presence', message: 'Presence is unknown.' });
      answer(409, { error: { code: 'conflict', message: 'Ticket changed.' } });
      expect(await rejection(connector.getAgent())).to.deep.include({ code: 'conflict', message: 'Ticket changed.' });
      answer(429, { error: { code: 'unavailable', message: 'Slow down.' } });
      const busy = await rejection(connector.getAgent());
      expect(busy.code).to.equal('unavailable');
      expect(busy.message).to.include('Slow down.').and.to.match(/busy/);
      answer(503, { error: { code: 'unavailable', message: 'Database is restarting.' } });
      const failed = await rejection(connector.getAgent());
      expect(failed.code).to.equal('unavailable');
      expect(failed.message).to.include('Database is restarting.');
      answer(502, '<html>Bad gateway</html>', { 'Content-Type': 'text/html' });
      const gateway = await rejection(connector.getAgent());
      expect(gateway.code).to.equal('unavailable');
      expect(gateway.message).to.match(/HTTP 502/);
      answer(200, 'not json', { 'Content-Type': 'text/plain' });
      expect((await rejection(connector.getAgent())).code).to.equal('unavailable');
      answer(404, '');
      const bare = await rejection(connector.getTicket('t-x'));
      expect(bare.code).to.equal('not-found');
      expect(bare.message).to.include('/tickets/t-x');
      backend.intercept = null;

      backend.offline = true;
      const offline = await rejection(connector.getAgent());
      expect(offline.code).to.equal('unavailable');
      expect(offline.message).to.match(/^The contact-center server could not be reached: /);
    });

    it('refreshes the token once on a 401 and repeats the request with the same idempotency key', async () => {
      const { backend, connector } = rig();
      await connector.connect();
      const conversationId = await openConversationId(backend.memory);
      backend.expireToken();
      const before = backend.requests.length;
      const message = await connector.sendMessage({ conversationId, text: 'after expiry' }, { idempotencyKey: 'k-401' });
      expect(message.clientKey).to.equal('k-401');
      const attempts = backend.requests.slice(before);
      expect(attempts.map((request) => request.headers.get('authorization'))).to.deep.equal(['Bearer token-1', 'Bearer token-2']);
      expect(attempts.map((request) => request.headers.get('idempotency-key'))).to.deep.equal(['k-401', 'k-401']);
      expect(backend.tokenCalls).to.deep.equal([{ forceRefresh: false }, { forceRefresh: true }]);
      // The new token is kept for the next calls.
      await connector.getAgent();
      expect(backend.requests.at(-1)?.headers.get('authorization')).to.equal('Bearer token-2');
      expect(backend.tokenCalls).to.have.length(2);
    });

    it('shares one refresh between concurrent 401s', async () => {
      const { backend, connector } = rig();
      await connector.connect();
      backend.expireToken();
      await Promise.all([connector.getAgent(), connector.listQueues(), connector.listAgents()]);
      expect(backend.tokenCalls.filter((call) => call.forceRefresh)).to.have.length(1);
    });

    it('reports a second 401 as forbidden, without asking for a third token', async () => {
      const { backend, connector } = rig();
      await connector.connect();
      backend.intercept = () => new Response(JSON.stringify({ error: { code: 'unauthenticated', message: 'Account locked.' } }), { status: 401 });
      const error = await rejection(connector.getAgent());
      expect(error.code).to.equal('forbidden');
      expect(error.message).to.include('Account locked.');
      expect(backend.tokenCalls.filter((call) => call.forceRefresh)).to.have.length(1);
    });

    it('a failing getToken rejects the command with a readable unavailable error', async () => {
      const backend = new FakeHttpBackend();
      cleanups.push(() => backend.close());
      const connector = new HttpConnector({ baseUrl: backend.baseUrl, getToken: () => Promise.reject(new Error('SSO is down')), fetch: backend.fetch, WebSocket: backend.WebSocket });
      const error = await rejection(connector.connect());
      expect(error.code).to.equal('unavailable');
      expect(error.message).to.include('SSO is down');
      expect(connector.state).to.equal('disconnected');
    });

    it('keeps the token in memory only', async () => {
      const { backend, connector } = rig();
      const storedBefore = JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }) + document.cookie;
      await connector.connect();
      await connector.getAgent();
      backend.expireToken();
      await connector.getAgent();
      const storedAfter = JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }) + document.cookie;
      expect(storedAfter).to.equal(storedBefore);
      expect(storedAfter).not.to.include('token-1');
      expect(storedAfter).not.to.include('token-2');
    });

    describe('abort', () => {
      it('a pre-aborted command rejects with aborted and sends nothing', async () => {
        const { backend, connector } = rig();
        await connector.connect();
        const controller = new AbortController();
        controller.abort();
        const before = backend.requests.length;
        expect((await rejection(connector.getAgent({ signal: controller.signal }))).code).to.equal('aborted');
        expect((await rejection(connector.sendMessage({ conversationId: 'c-1', text: 'x' }, { signal: controller.signal }))).code).to.equal('aborted');
        expect(backend.requests).to.have.length(before);
      });

      it('a read aborted in flight rejects with aborted at once', async () => {
        const { backend, connector } = rig();
        await connector.connect();
        backend.latencyMs = 1000;
        const controller = new AbortController();
        const reading = connector.listQueues({ signal: controller.signal });
        await until(() => backend.requestsTo('GET', '/queues').length === 1, 'the request');
        const abortedAt = Date.now();
        controller.abort();
        expect((await rejection(reading)).code).to.equal('aborted');
        expect(Date.now() - abortedAt).to.be.below(500);
      });

      it('passes the signal to fetch', async () => {
        const { backend } = rig();
        const signals: (AbortSignal | null | undefined)[] = [];
        const spying = new HttpConnector({
          baseUrl: backend.baseUrl,
          getToken: backend.getToken,
          WebSocket: backend.WebSocket,
          fetch: (input, init) => {
            signals.push(init?.signal);
            return backend.fetch(input, init);
          },
        });
        cleanups.push(() => spying.disconnect());
        await spying.connect();
        const controller = new AbortController();
        backend.latencyMs = 1000;
        const reading = spying.getAgent({ signal: controller.signal });
        await until(() => signals.length === 3, 'the fetch');
        expect(signals[2]?.aborted).to.equal(false);
        controller.abort();
        expect(signals[2]?.aborted).to.equal(true);
        expect((await rejection(reading)).code).to.equal('aborted');
      });

      it('a write aborted before it is sent (here: while its token is refreshed after a 401) rejects with aborted and writes nothing', async () => {
        const { backend } = rig();
        const gate: { release?: (token: string) => void } = {};
        // Read through a function: TypeScript would narrow `gate.release` to undefined after the delete below.
        const releaseToken = (token: string): void => gate.release?.(token);
        const slow = new HttpConnector({
          baseUrl: backend.baseUrl,
          getToken: () => new Promise<string>((resolve) => (gate.release = resolve)),
          fetch: backend.fetch,
          WebSocket: backend.WebSocket,
        });
        cleanups.push(() => slow.disconnect());
        const connecting = slow.connect();
        await until(() => gate.release !== undefined, 'getToken');
        releaseToken('token-1');
        await connecting;
        const conversationId = await openConversationId(backend.memory);
        backend.expireToken();
        delete gate.release;
        const controller = new AbortController();
        const sending = slow.sendMessage({ conversationId, text: 'never' }, { signal: controller.signal });
        await until(() => gate.release !== undefined, 'the refresh'); // refused with 401, waiting for a new token
        controller.abort();
        expect((await rejection(sending)).code).to.equal('aborted');
        releaseToken('token-2');
        await settle();
        const written = (await backend.memory.listMessages(conversationId, { limit: 20 })).items.filter((message) => message.text === 'never');
        expect(written).to.have.length(0);
        expect(backend.requestsTo('POST', /messages$/)).to.have.length(1);
      });

      it('a write aborted after it was sent reports the server\'s answer (it may be committed)', async () => {
        const { backend, connector } = rig();
        await connector.connect();
        const conversationId = await openConversationId(backend.memory);
        backend.latencyMs = 30;
        const controller = new AbortController();
        const sending = connector.sendMessage({ conversationId, text: 'committed' }, { signal: controller.signal, idempotencyKey: 'k-abort' });
        await until(() => backend.requestsTo('POST', /messages$/).length === 1, 'the request');
        controller.abort();
        const message = await sending;
        expect(message.text).to.equal('committed');
        expect(message.clientKey).to.equal('k-abort');
      });
    });
  });

  describe('events', () => {
    it('delivers server events on events$, hot, with their stream and seq', async () => {
      const { backend, connector, events } = rig();
      await connector.connect();
      const conversationId = await openConversationId(backend.memory);
      const message = await connector.sendMessage({ conversationId, text: 'echo me' });
      await until(() => events.some((event) => event.type === 'message.added' && event.message.id === message.id), 'message.added');
      const late: ConnectorEvent[] = [];
      const subscription = connector.events$.subscribe((event) => late.push(event));
      await connector.setPresence('break');
      await until(() => late.some((event) => event.type === 'agent.updated'), 'agent.updated');
      subscription.unsubscribe();
      expect(late.every((event) => event.type !== 'message.added' || event.message.id !== message.id)).to.equal(true);
      const snapshot = await backend.memory.snapshot();
      expect(lastSeqs(events)).to.deep.include({ agent: snapshot.sequences.agent });
    });

    it('answers pings with pong', async () => {
      const { backend, connector } = rig();
      await connector.connect();
      await until(() => backend.lastSocket?.authenticated === true, 'auth');
      backend.ping();
      await until(() => backend.lastSocket?.received.some((message) => message.type === 'pong') === true, 'pong');
    });

    it('reconnects after a drop with exponential backoff and full jitter, then resumes', async () => {
      const randoms = [0.5, 0.25, 1, 0, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5];
      const { backend, clock, connector, states } = rig({ connector: { random: () => randoms.shift() ?? 0.5, reconnect: { initialDelayMs: 500, maxDelayMs: 4000 } } });
      await connector.connect();
      backend.offline = true;
      backend.dropSockets();
      await until(() => connector.state === 'reconnecting', 'reconnecting');
      const delays: number[] = [];
      for (let attempt = 0; attempt < 7; attempt += 1) {
        expect(clock.pending, `attempt ${attempt}`).to.equal(1);
        const [delay] = clock.pendingDelays;
        delays.push(delay ?? -1);
        clock.advance(delay ?? 0);
        await until(() => backend.sockets.length === attempt + 2, `socket ${attempt + 2}`);
        await until(() => backend.lastSocket?.readyState === 3 && clock.pending === 1, `attempt ${attempt} to fail`);
      }
      // random() × min(max, initial × 2^n): 0.5×500, 0.25×1000, 1×2000, 0×4000, then capped at 4000.
      expect(delays).to.deep.equal([250, 250, 2000, 0, 2000, 2000, 2000]);
      expect(connector.state).to.equal('reconnecting');
      backend.offline = false;
      clock.advance(clock.pendingDelays[0] ?? 0);
      await until(() => connector.state === 'connected', 'connected again');
      expect(states.slice(-3)).to.deep.equal(['connected', 'reconnecting', 'connected']);
      expect(backend.maxOpenSockets).to.equal(1);
      // Heard from the server: the next drop starts from the initial delay again.
      backend.ping();
      await until(() => backend.lastSocket?.received.some((message) => message.type === 'pong') === true, 'pong');
      backend.dropSockets();
      await until(() => connector.state === 'reconnecting', 'reconnecting again');
      expect(clock.pendingDelays).to.deep.equal([250]);
    });

    it('resumes with since after a drop: events written while away are replayed, none twice, none missing', async () => {
      const { backend, clock, connector, events } = rig();
      await connector.connect();
      const base = (await backend.memory.snapshot()).sequences;
      const conversationId = await openConversationId(backend.memory);
      const texts: string[] = [];
      const send = async (text: string): Promise<void> => {
        texts.push(text);
        await backend.memory.sendMessage({ conversationId, text });
      };
      await send('before 1');
      await send('before 2');
      await until(() => events.length >= 2, 'live events');
      for (let round = 0; round < 5; round += 1) {
        backend.offline = true;
        backend.dropSockets();
        await until(() => connector.state === 'reconnecting', `round ${round}: reconnecting`);
        await send(`away ${round}.1`);
        await backend.memory.setPresence(round % 2 === 0 ? 'busy' : 'available');
        await send(`away ${round}.2`);
        const delivered = lastSeqs(events);
        backend.offline = false;
        clock.advance(clock.pendingDelays[0] ?? 0);
        await until(() => connector.state === 'connected', `round ${round}: connected`);
        const subscribe = subscribeMessages(backend.lastSocket).at(-1);
        expect(subscribe?.since, `round ${round}: since`).to.deep.equal({ ...base, ...delivered });
        await send(`live ${round}`);
        await until(() => texts.every((text) => events.some((event) => event.type === 'message.added' && event.message.text === text)), `round ${round}: every message`);
      }
      await settle();
      expectContiguous(events, base);
      for (const text of texts) expect(events.filter((event) => event.type === 'message.added' && event.message.text === text), text).to.have.length(1);
      expect(backend.maxOpenSockets).to.equal(1);
    });

    it('drops an event it already delivered when a server replays it', async () => {
      const { backend, connector, events } = rig();
      await connector.connect();
      await connector.setPresence('busy');
      await until(() => events.length === 1, 'agent.updated');
      const socket = backend.lastSocket;
      const event = events[0];
      if (socket === undefined || event === undefined) throw new Error('no socket or event');
      socket.serverSend({ type: 'event', event });
      await connector.setPresence('available');
      await until(() => events.length === 2, 'the next event');
      await settle();
      expect(events.map((item) => item.seq)).to.deep.equal([event.seq, event.seq + 1]);
    });

    it('answers too-old with resync$, then subscribes again after the next snapshot', async () => {
      const { backend, clock, connector, events, resyncs } = rig({ backend: { retain: 2 } });
      await connector.connect();
      await connector.setPresence('busy');
      await until(() => events.length === 1, 'first event');
      backend.offline = true;
      backend.dropSockets();
      await until(() => connector.state === 'reconnecting', 'reconnecting');
      for (const presence of ['break', 'busy', 'break', 'available'] as const) await backend.memory.setPresence(presence);
      backend.offline = false;
      clock.advance(clock.pendingDelays[0] ?? 0);
      await until(() => resyncs.length === 1, 'resync$');
      expect(backend.lastSocket?.delivered[0]).to.deep.equal({ type: 'too-old', streams: ['agent'] });
      expect(connector.state).to.equal('connected');
      expect(events).to.have.length(1); // nothing replayed on the stream that is too old
      const snapshot = await connector.snapshot();
      await until(() => subscribeMessages(backend.lastSocket).length === 2, 'the second subscribe');
      expect(subscribeMessages(backend.lastSocket)[1]?.since).to.deep.equal(snapshot.sequences);
      // Live events flow on, numbered after the snapshot.
      await connector.setPresence('busy');
      await until(() => events.length === 2, 'a live event');
      expect(events[1]?.seq).to.equal((snapshot.sequences.agent ?? 0) + 1);
    });

    it('remembers the sequences of a snapshot it handed out as the base of the next resubscribe', async () => {
      const { backend, clock, connector, events } = rig();
      await connector.connect();
      // Events the connector never delivered (say the store resynced): the snapshot covers them.
      await backend.memory.setPresence('busy');
      await until(() => events.length === 1, 'the event');
      backend.offline = true;
      backend.dropSockets();
      await until(() => connector.state === 'reconnecting', 'reconnecting');
      backend.offline = false;
      await backend.memory.setPresence('break');
      await backend.memory.setPresence('busy');
      const snapshot = await connector.snapshot();
      clock.advance(clock.pendingDelays[0] ?? 0);
      await until(() => connector.state === 'connected', 'connected');
      expect(subscribeMessages(backend.lastSocket)[0]?.since).to.deep.equal(snapshot.sequences);
      await settle();
      expect(events).to.have.length(1); // nothing the snapshot covers is replayed
    });

    it('gives up on a socket silent for heartbeatTimeoutMs, closes it and reconnects', async () => {
      const { backend, clock, connector, states } = rig({ connector: { heartbeatTimeoutMs: HEARTBEAT_MS } });
      await connector.connect();
      const first = backend.lastSocket;
      await until(() => first?.authenticated === true, 'auth');
      clock.advance(HEARTBEAT_MS - 1000);
      backend.ping(); // anything from the server counts as a heartbeat
      await until(() => first?.received.some((message) => message.type === 'pong') === true, 'pong');
      clock.advance(HEARTBEAT_MS - 1000);
      expect(connector.state).to.equal('connected');
      clock.advance(1000);
      expect(connector.state).to.equal('reconnecting');
      expect(first?.closedWith).to.deep.include({ code: 4000, by: 'client' });
      clock.advance(clock.pendingDelays[0] ?? 0);
      await until(() => connector.state === 'connected', 'connected again');
      expect(backend.sockets).to.have.length(2);
      expect(backend.maxOpenSockets).to.equal(1);
      expect(states.slice(-3)).to.deep.equal(['connected', 'reconnecting', 'connected']);
    });

    it('replaces a reconnect socket whose handshake hangs, and never holds two sockets', async () => {
      const { backend, clock, connector } = rig({ connector: { heartbeatTimeoutMs: HEARTBEAT_MS } });
      await connector.connect();
      backend.holdSockets = true;
      backend.dropSockets();
      await until(() => connector.state === 'reconnecting', 'reconnecting');
      clock.advance(clock.pendingDelays[0] ?? 0);
      await until(() => backend.sockets.length === 2, 'the second socket');
      clock.advance(HEARTBEAT_MS);
      expect(backend.sockets[1]?.closedWith).to.deep.include({ by: 'client' });
      expect(connector.state).to.equal('reconnecting');
      backend.holdSockets = false;
      clock.advance(clock.pendingDelays[0] ?? 0);
      await until(() => connector.state === 'connected', 'connected');
      expect(backend.sockets).to.have.length(3);
      expect(backend.maxOpenSockets).to.equal(1);
    });

    it('refreshes the token and reconnects when the server closes the socket with 4401', async () => {
      const { backend, clock, connector } = rig();
      await connector.connect();
      backend.expireToken();
      backend.dropSockets();
      await until(() => connector.state === 'reconnecting', 'reconnecting');
      clock.advance(clock.pendingDelays[0] ?? 0);
      // The old token is refused on the new socket…
      await until(() => backend.lastSocket?.closedWith?.code === 4401 && backend.sockets.length === 2, 'the 4401');
      await until(() => clock.pending === 1 && connector.state === 'reconnecting', 'the next attempt');
      clock.advance(clock.pendingDelays[0] ?? 0);
      // …so the next one asks for a fresh token first.
      await until(() => backend.sockets.length === 3 && connector.state === 'connected', 'connected with the new token');
      await until(() => (backend.lastSocket?.received.length ?? 0) >= 2, 'auth');
      expect(backend.lastSocket?.received[0]).to.deep.equal({ type: 'auth', token: 'token-2' });
      expect(backend.tokenCalls).to.deep.equal([{ forceRefresh: false }, { forceRefresh: true }]);
      expect(backend.maxOpenSockets).to.equal(1);
    });

    it('keeps REST commands working while it reconnects', async () => {
      const { backend, connector } = rig();
      await connector.connect();
      backend.dropSockets();
      await until(() => connector.state === 'reconnecting', 'reconnecting');
      expect((await connector.getAgent()).id).to.be.a('string');
    });
  });
});
