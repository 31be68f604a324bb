/**
 * A fake of the HTTP + WebSocket protocol (docs/protocol.md) for HttpConnector tests, on top of a real
 * MemoryConnector so commands really work:
 *
 * - `backend.fetch` answers the REST routes: bearer tokens (401 for an unknown one), `Idempotency-Key` on
 *   writes (the same key and request return the first answer, also while it is still running; another
 *   request is a 409), errors as `{ error: { code, message, field? } }` with the protocol's statuses.
 * - `backend.WebSocket` is a WebSocket class whose server side speaks the event protocol: auth (4401 for a bad
 *   token), subscribe with `since` (replay of retained events, `too-old` when they are gone), live events, ping.
 * - Knobs for faults: `offline`, `intercept`, `retain`, `dropSockets()`, `expireToken()`, `latencyMs`.
 *
 * `FakeClock` is a manual clock for the connector's timers that counts what is pending.
 */
import type { Subscription } from 'rxjs';
import type { CommandOptions, ConnectorEvent } from '../../src/connector/connector.js';
import { ConnectorError, type ConnectorErrorCode } from '../../src/connector/errors.js';
import { MemoryConnector, type MemoryConnectorOptions } from '../../src/connector/memory/memory-connector.js';
import type { Timers } from '../../src/connector/http/event-channel.js';

// ---------------------------------------------------------------------------------------------------------
// A manual clock

interface ScheduledTimer {
  readonly id: number;
  readonly at: number;
  readonly callback: () => void;
}

/** Timers that run only when the test advances the clock; counts what is pending. */
export class FakeClock implements Timers {
  now = 0;
  #nextId = 1;
  readonly #timers = new Map<number, ScheduledTimer>();
  /** Every delay ever scheduled, in order (for backoff assertions). */
  readonly delays: number[] = [];

  setTimeout(callback: () => void, ms: number): unknown {
    const id = this.#nextId++;
    this.#timers.set(id, { id, at: this.now + Math.max(0, ms), callback });
    this.delays.push(ms);
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.#timers.delete(handle as number);
  }

  /** Timers scheduled and neither run nor cleared. */
  get pending(): number {
    return this.#timers.size;
  }

  /** The delays of the pending timers, soonest first. */
  get pendingDelays(): number[] {
    return [...this.#timers.values()].sort((a, b) => a.at - b.at).map((timer) => timer.at - this.now);
  }

  /** Moves time forward, running every timer that falls due (also ones scheduled on the way), in order. */
  advance(ms: number): void {
    const target = this.now + ms;
    for (;;) {
      let next: ScheduledTimer | undefined;
      for (const timer of this.#timers.values()) if (timer.at <= target && (next === undefined || timer.at < next.at || (timer.at === next.at && timer.id < next.id))) next = timer;
      if (next === undefined) break;
      this.#timers.delete(next.id);
      this.now = next.at;
      next.callback();
    }
    this.now = target;
  }
}

// ---------------------------------------------------------------------------------------------------------
// The backend

export interface RecordedRequest {
  readonly method: string;
  /** Relative to the base URL, without the query, e.g. `/conversations/c-1/messages`. */
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: Headers;
  readonly body: string | null;
}

export interface FakeHttpBackendOptions {
  /** The MemoryConnector to serve, or options for a new one (latency 0). */
  readonly memory?: MemoryConnector | MemoryConnectorOptions;
  readonly baseUrl?: string;
  /** Events retained per stream for replay; default 10 000. */
  readonly retain?: number;
  /** Delay of every REST answer, on real timers; default 0. */
  readonly latencyMs?: number;
}

interface Answer {
  readonly status: number;
  readonly body: unknown;
}

type Params = readonly string[];
type Handler = (params: Params, query: URLSearchParams, body: Record<string, unknown>, options: CommandOptions) => Promise<Answer>;

const STATUS_OF: Readonly<Record<ConnectorErrorCode, number>> = {
  invalid: 400,
  forbidden: 403,
  'not-found': 404,
  conflict: 409,
  unavailable: 503,
  aborted: 499,
};

const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

const ok = (body: unknown): Answer => ({ status: 200, body });
const noContent: Answer = { status: 204, body: undefined };
const errorAnswer = (status: number, code: string, message: string, field?: string): Answer => ({
  status,
  body: { error: { code, message, ...(field === undefined ? {} : { field }) } },
});

function list(query: URLSearchParams, name: string): string[] | undefined {
  const value = query.get(name);
  if (value === null) return undefined;
  return value === '' ? [] : value.split(',');
}

function numberParam(query: URLSearchParams, name: string): number | undefined {
  const value = query.get(name);
  return value === null ? undefined : Number(value);
}

function stringParam(query: URLSearchParams, name: string): string | undefined {
  return query.get(name) ?? undefined;
}

function later(ms: number, run: () => void): void {
  setTimeout(run, ms);
}

function abortError(): DOMException {
  return new DOMException('The operation was aborted.', 'AbortError');
}

export class FakeHttpBackend {
  readonly memory: MemoryConnector;
  readonly baseUrl: string;
  /** Events retained per stream; older ones are forgotten (a subscribe from before them is `too-old`). */
  retain: number;
  latencyMs: number;
  /** While true, fetch fails like a network error and sockets fail to open. */
  offline = false;
  /** While true, new sockets stay CONNECTING (a hanging handshake) until `openHeldSockets()`. */
  holdSockets = false;
  /** Runs before routing; a Response it returns is the answer (for 5xx, 429, odd bodies…). */
  intercept: ((request: RecordedRequest) => Response | undefined) | null = null;
  /** Every request that reached the backend, in order. */
  readonly requests: RecordedRequest[] = [];
  /** Every socket ever opened, in order. */
  readonly sockets: FakeServerSocket[] = [];
  /** The most sockets that were connecting or open at the same time. */
  maxOpenSockets = 0;
  /** Calls of `getToken`, in order. */
  readonly tokenCalls: { forceRefresh: boolean }[] = [];
  /** The token `getToken` hands out now. */
  currentToken = 'token-1';
  readonly validTokens = new Set<string>(['token-1']);
  readonly ready: Promise<void>;

  /** Retained events per stream, oldest first. */
  readonly #log = new Map<string, ConnectorEvent[]>();
  readonly #idempotency = new Map<string, { fingerprint: string; answer: Promise<Answer> }>();
  readonly #routes: { method: string; pattern: RegExp; handler: Handler }[] = [];
  readonly #subscription: Subscription;
  #tokenCounter = 1;

  /** Pass as `fetch` to the HttpConnector. */
  readonly fetch: typeof fetch = (input, init) => this.#fetch(input, init);
  /** Pass as `WebSocket` to the HttpConnector. */
  readonly WebSocket: typeof WebSocket;
  /** Pass as `getToken`: hands out `currentToken` and records the call. */
  readonly getToken = (request: { readonly forceRefresh: boolean }): Promise<string> => {
    this.tokenCalls.push({ forceRefresh: request.forceRefresh });
    return Promise.resolve(this.currentToken);
  };

  constructor(options: FakeHttpBackendOptions = {}) {
    this.memory = options.memory instanceof MemoryConnector ? options.memory : new MemoryConnector({ latencyMs: 0, ...options.memory });
    this.baseUrl = options.baseUrl ?? 'http://cc.test/api/v1';
    this.retain = options.retain ?? 10_000;
    this.latencyMs = options.latencyMs ?? 0;
    this.#subscription = this.memory.events$.subscribe((event) => this.#publish(event));
    this.ready = this.memory.connect().then(() => undefined);
    this.#defineRoutes();
    const backend = this;
    class BoundFakeWebSocket extends FakeWebSocket {
      constructor(url: string | URL) {
        super(url, backend);
      }
    }
    this.WebSocket = BoundFakeWebSocket as unknown as typeof WebSocket;
  }

  /** Sockets connecting or open now. */
  get openSockets(): FakeServerSocket[] {
    return this.sockets.filter((socket) => socket.readyState === 0 || socket.readyState === 1);
  }

  /** The socket opened last. */
  get lastSocket(): FakeServerSocket | undefined {
    return this.sockets.at(-1);
  }

  /** The retained events of a stream. */
  retained(stream: string): readonly ConnectorEvent[] {
    return this.#log.get(stream) ?? [];
  }

  /** Makes the current token invalid and hands out a new one from now on. */
  expireToken(): void {
    this.validTokens.delete(this.currentToken);
    this.#tokenCounter += 1;
    this.currentToken = `token-${this.#tokenCounter}`;
    this.validTokens.add(this.currentToken);
  }

  /** Closes every open socket from the server side (1006: as if the network dropped). */
  dropSockets(code = 1006): void {
    for (const socket of this.openSockets) socket.serverClose(code, 'dropped by the test');
  }

  /** Opens the sockets `holdSockets` kept connecting. */
  openHeldSockets(): void {
    this.holdSockets = false;
    for (const socket of this.sockets) if (socket.readyState === 0) (socket as FakeWebSocket).openNow();
  }

  /** Sends a ping on every authenticated socket. */
  ping(): void {
    for (const socket of this.openSockets) if (socket.authenticated) socket.serverSend({ type: 'ping' });
  }

  /** Writes of a request with this path and method, in order. */
  requestsTo(method: string, pathPattern: RegExp | string): RecordedRequest[] {
    return this.requests.filter((request) => request.method === method && (typeof pathPattern === 'string' ? request.path === pathPattern : pathPattern.test(request.path)));
  }

  async close(): Promise<void> {
    this.#subscription.unsubscribe();
    for (const socket of this.openSockets) socket.serverClose(1001, 'server going away');
    await this.memory.disconnect();
  }

  // -------------------------------------------------------------------------------------------------------
  // Events

  #publish(event: ConnectorEvent): void {
    const log = this.#log.get(event.stream) ?? [];
    log.push(event);
    while (log.length > this.retain) log.shift();
    this.#log.set(event.stream, log);
    for (const socket of this.openSockets) if (socket.subscribed) socket.serverSend({ type: 'event', event });
  }

  /** The server side of a subscribe message: replay after `since`, or `too-old`. */
  subscribe(socket: FakeServerSocket, since: Record<string, unknown>): void {
    socket.subscribed = true;
    const streams = Object.keys(since);
    if (streams.length === 0) return; // from now
    const tooOld: string[] = [];
    const replay: ConnectorEvent[] = [];
    // As the reference server does: a stream the client did not name starts from now.
    for (const stream of streams) {
      const given = since[stream];
      const after = typeof given === 'number' ? given : 0;
      const log = this.#log.get(stream) ?? [];
      const latest = log.at(-1)?.seq ?? 0;
      if (after >= latest) continue;
      const oldest = log[0]?.seq;
      if (oldest === undefined || oldest > after + 1) tooOld.push(stream);
      else replay.push(...log.filter((event) => event.seq > after));
    }
    if (tooOld.length > 0) socket.serverSend({ type: 'too-old', streams: tooOld });
    for (const event of replay) socket.serverSend({ type: 'event', event });
  }

  /** Called by the fake socket: whether a token is valid. */
  acceptsToken(token: unknown): boolean {
    return typeof token === 'string' && this.validTokens.has(token);
  }

  /** Called by the fake socket on construction. */
  register(socket: FakeServerSocket): void {
    this.sockets.push(socket);
    this.maxOpenSockets = Math.max(this.maxOpenSockets, this.openSockets.length);
  }

  // -------------------------------------------------------------------------------------------------------
  // REST

  async #fetch(input: RequestInfo | URL, init: RequestInit = {}): Promise<Response> {
    const signal = init.signal ?? undefined;
    if (signal?.aborted) throw abortError();
    if (this.offline) throw new TypeError('Failed to fetch');
    const url = new URL(input instanceof Request ? input.url : String(input));
    const base = new URL(this.baseUrl);
    if (url.origin !== base.origin || !url.pathname.startsWith(base.pathname)) throw new TypeError(`Failed to fetch ${url.href}`);
    const request: RecordedRequest = {
      method: (init.method ?? 'GET').toUpperCase(),
      path: url.pathname.slice(base.pathname.length) || '/',
      query: url.searchParams,
      headers: new Headers(init.headers),
      body: typeof init.body === 'string' ? init.body : null,
    };
    this.requests.push(request);
    const work = this.#answer(request).then((answer) => toResponse(answer));
    return new Promise<Response>((resolve, reject) => {
      const onAbort = (): void => reject(abortError());
      signal?.addEventListener('abort', onAbort, { once: true });
      const settle = (): void => {
        work.then(
          (response) => {
            signal?.removeEventListener('abort', onAbort);
            resolve(response);
          },
          (error: unknown) => {
            signal?.removeEventListener('abort', onAbort);
            reject(error);
          },
        );
      };
      // Like a network, the answer comes on a later task, never within the caller's microtasks.
      later(this.latencyMs, settle);
    });
  }

  async #answer(request: RecordedRequest): Promise<Response | Answer> {
    await this.ready;
    const intercepted = this.intercept?.(request);
    if (intercepted !== undefined) return intercepted;
    const authorization = request.headers.get('authorization') ?? '';
    const token = authorization.startsWith('Bearer ') ? authorization.slice('Bearer '.length) : null;
    if (!this.acceptsToken(token)) return errorAnswer(401, 'unauthenticated', 'The access token has expired or is not valid.');
    const route = this.#routes.find((candidate) => candidate.method === request.method && candidate.pattern.test(request.path));
    if (route === undefined) return errorAnswer(404, 'not-found', `There is no ${request.method} ${request.path}.`);
    const params = (route.pattern.exec(request.path) ?? []).slice(1).map((segment) => decodeURIComponent(segment));
    let body: Record<string, unknown> = {};
    if (request.body !== null && request.body !== '') {
      try {
        body = JSON.parse(request.body) as Record<string, unknown>;
      } catch {
        return errorAnswer(400, 'invalid', 'The body is not JSON.');
      }
    }
    if (!WRITES.has(request.method)) return this.#run(route.handler, params, request.query, body, {});
    const key = request.headers.get('idempotency-key');
    if (key === null || key === '') return errorAnswer(400, 'invalid', 'A write needs an Idempotency-Key header.', 'Idempotency-Key');
    const fingerprint = `${request.method} ${request.path} ${request.body ?? ''}`;
    const remembered = this.#idempotency.get(key);
    if (remembered !== undefined) {
      if (remembered.fingerprint !== fingerprint) return errorAnswer(409, 'conflict', `The idempotency key "${key}" was already used for a different request.`);
      return remembered.answer;
    }
    const answer = this.#run(route.handler, params, request.query, body, { idempotencyKey: key });
    this.#idempotency.set(key, { fingerprint, answer });
    // A failure of the server itself is not an answer to remember: the retry may succeed.
    void answer.then((result) => {
      if (result.status >= 500) this.#idempotency.delete(key);
    });
    return answer;
  }

  async #run(handler: Handler, params: Params, query: URLSearchParams, body: Record<string, unknown>, options: CommandOptions): Promise<Answer> {
    try {
      return await handler(params, query, body, options);
    } catch (error) {
      if (error instanceof ConnectorError) return errorAnswer(STATUS_OF[error.code], error.code, error.message, error.field ?? undefined);
      return errorAnswer(500, 'unavailable', `The fake backend failed: ${String(error)}`);
    }
  }

  #route(method: string, pattern: string, handler: Handler): void {
    const source = pattern.replace(/\{[a-zA-Z]+\}/g, '([^/]+)');
    this.#routes.push({ method, pattern: new RegExp(`^${source}$`), handler });
  }

  #defineRoutes(): void {
    const m = this.memory;
    const any = (value: unknown): never => value as never;
    this.#route('GET', '/session', async () => ok({ agent: await m.getAgent(), capabilities: m.capabilities }));
    this.#route('GET', '/snapshot', async () => ok(await m.snapshot()));
    this.#route('GET', '/agent', async () => ok(await m.getAgent()));
    this.#route('PUT', '/agent/presence', async (_p, _q, body, options) => ok(await m.setPresence(any(body.presence), options)));
    this.#route('PUT', '/agent/capacity/{channel}', async ([channel], _q, body, options) => ok(await m.setCapacity(any(channel), any(body.max), options)));
    this.#route('GET', '/queues', async () => ok(await m.listQueues()));
    this.#route('GET', '/agents', async () => ok(await m.listAgents()));
    this.#route('GET', '/conversations', async (_p, query) =>
      ok(
        await m.listConversations({
          cursor: stringParam(query, 'cursor'),
          limit: numberParam(query, 'limit'),
          channels: any(list(query, 'channels')),
          statuses: any(list(query, 'statuses')),
          scope: any(stringParam(query, 'scope')),
          customerId: stringParam(query, 'customerId'),
          text: stringParam(query, 'text'),
        }),
      ),
    );
    this.#route('GET', '/conversations/{id}', async ([id]) => ok(await m.getConversation(any(id))));
    this.#route('GET', '/conversations/{id}/messages', async ([id], query) => ok(await m.listMessages(any(id), { cursor: stringParam(query, 'cursor'), limit: numberParam(query, 'limit') })));
    this.#route('POST', '/conversations/{id}/messages', async ([id], _q, body, options) =>
      ok(await m.sendMessage({ conversationId: any(id), text: any(body.text), internal: any(body.internal), attachments: any(body.attachments), email: any(body.email) }, options)),
    );
    this.#route('POST', '/conversations/{id}/read', async ([id], _q, _b, options) => ok(await m.markRead(any(id), options)));
    this.#route('POST', '/conversations/{id}/assign', async ([id], _q, body, options) => ok(await m.assignConversation(any(id), any(body), options)));
    this.#route('POST', '/conversations/{id}/status', async ([id], _q, body, options) => ok(await m.setConversationStatus(any(id), any(body.status), options)));
    this.#route('GET', '/conversations/{id}/suggestions', async ([id]) => ok(await m.suggestArticles(any(id))));
    this.#route('POST', '/offers/{id}/accept', async ([id], _q, _b, options) => ok(await m.acceptOffer(any(id), options)));
    this.#route('POST', '/offers/{id}/decline', async ([id], _q, _b, options) => {
      await m.declineOffer(any(id), options);
      return noContent;
    });
    this.#route('GET', '/customers', async (_p, query) => ok(await m.findCustomers({ kind: any(stringParam(query, 'kind')), value: any(stringParam(query, 'value')) })));
    this.#route('GET', '/customers/{id}', async ([id]) => ok(await m.getCustomer(any(id))));
    this.#route('PATCH', '/customers/{id}', async ([id], _q, body, options) => ok(await m.updateCustomer(any(id), any(body), options)));
    this.#route('GET', '/customers/{id}/duplicates', async ([id]) => ok(await m.listDuplicateCandidates(any(id))));
    this.#route('POST', '/customers/{id}/merge', async ([id], _q, body, options) => ok(await m.mergeCustomers(any(id), any(body.sourceId), options)));
    this.#route('POST', '/customers/{id}/reveal', async ([id], _q, body, options) => ok(await m.revealIdentity(any(id), { kind: any(body.kind), value: any(body.value) }, options)));
    this.#route('GET', '/customers/{id}/conversations', async ([id]) => ok(await m.listCustomerConversations(any(id))));
    this.#route('GET', '/customers/{id}/tickets', async ([id]) => ok(await m.listTickets(any(id))));
    this.#route('GET', '/tickets/{id}', async ([id]) => ok(await m.getTicket(any(id))));
    this.#route('POST', '/tickets', async (_p, _q, body, options) => ok(await m.createTicket(any(body), options)));
    this.#route('PATCH', '/tickets/{id}', async ([id], _q, body, options) => ok(await m.updateTicket(any(id), any(body), options)));
    this.#route('POST', '/tickets/{id}/comments', async ([id], _q, body, options) => ok(await m.commentTicket(any(id), any(body), options)));
    this.#route('GET', '/knowledge/search', async (_p, query) =>
      ok(await m.searchKnowledge({ text: any(stringParam(query, 'text') ?? ''), locale: stringParam(query, 'locale'), limit: numberParam(query, 'limit') })),
    );
    this.#route('GET', '/knowledge/articles/{id}', async ([id]) => ok(await m.getArticle(any(id))));
    this.#route('POST', '/knowledge/articles/{id}/rating', async ([id], _q, body, options) => {
      await m.rateArticle(any(id), any(body.helpful), options);
      return noContent;
    });
    this.#route('GET', '/canned-replies', async () => ok(await m.listCannedReplies()));
    this.#route('GET', '/telephony', async () => ok(await m.getTelephonyConfig()));
    this.#route('POST', '/call-records', async (_p, _q, body, options) => ok(await m.saveCallRecord(any(body), options)));
  }
}

function toResponse(answer: Response | Answer): Response {
  if (answer instanceof Response) return answer;
  if (answer.status === 204 || answer.body === undefined) return new Response(null, { status: answer.status === 200 ? 204 : answer.status });
  return new Response(JSON.stringify(answer.body), { status: answer.status, headers: { 'Content-Type': 'application/json' } });
}

// ---------------------------------------------------------------------------------------------------------
// The socket

type ServerMessage = { type: 'ping' } | { type: 'event'; event: ConnectorEvent } | { type: 'too-old'; streams: string[] };

/** The server's view of a socket; also what tests inspect (what the client sent, how it was closed). */
export interface FakeServerSocket {
  readonly url: string;
  readonly readyState: number;
  /** The client's messages, parsed, in order. */
  readonly received: readonly Record<string, unknown>[];
  /** The messages the server sent, in order. */
  readonly delivered: readonly ServerMessage[];
  readonly authenticated: boolean;
  subscribed: boolean;
  /** How the socket was closed, once it was. */
  readonly closedWith: { code: number; reason: string; by: 'client' | 'server' } | null;
  serverSend(message: ServerMessage): void;
  serverClose(code: number, reason: string): void;
}

/** A browser-like WebSocket whose other end is a FakeHttpBackend. Events are delivered on later tasks. */
class FakeWebSocket extends EventTarget implements FakeServerSocket {
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static readonly CLOSING = 2;
  static readonly CLOSED = 3;
  readonly CONNECTING = 0;
  readonly OPEN = 1;
  readonly CLOSING = 2;
  readonly CLOSED = 3;

  readonly url: string;
  readyState = 0;
  readonly protocol = '';
  readonly extensions = '';
  binaryType: BinaryType = 'blob';
  readonly bufferedAmount = 0;
  onopen: ((event: Event) => void) | null = null;
  onmessage: ((event: MessageEvent) => void) | null = null;
  onclose: ((event: CloseEvent) => void) | null = null;
  onerror: ((event: Event) => void) | null = null;

  readonly received: Record<string, unknown>[] = [];
  readonly delivered: ServerMessage[] = [];
  authenticated = false;
  subscribed = false;
  closedWith: { code: number; reason: string; by: 'client' | 'server' } | null = null;
  readonly #backend: FakeHttpBackend;

  constructor(url: string | URL, backend: FakeHttpBackend) {
    super();
    this.url = String(url);
    this.#backend = backend;
    backend.register(this);
    const expected = `${backend.baseUrl.replace(/^http/, 'ws')}/events`;
    void backend.ready.then(() =>
      later(0, () => {
        if (this.readyState !== 0) return;
        if (backend.offline || this.url !== expected) {
          this.#fire('error', new Event('error'));
          this.#finishClose(1006, '', 'server');
          return;
        }
        if (!backend.holdSockets) this.openNow();
      }),
    );
  }

  /** Completes the handshake (the backend calls it for held sockets). */
  openNow(): void {
    if (this.readyState !== 0) return;
    this.readyState = 1;
    this.#fire('open', new Event('open'));
  }

  send(data: string): void {
    if (this.readyState === 0) throw new DOMException('Still in CONNECTING state.', 'InvalidStateError');
    if (this.readyState !== 1) return;
    let message: Record<string, unknown>;
    try {
      message = JSON.parse(data) as Record<string, unknown>;
    } catch {
      this.serverClose(4400, 'not JSON');
      return;
    }
    this.received.push(message);
    if (message.type === 'auth') {
      if (this.#backend.acceptsToken(message.token)) this.authenticated = true;
      else this.serverClose(4401, 'unauthenticated');
      return;
    }
    if (!this.authenticated) {
      this.serverClose(4401, 'authenticate first');
      return;
    }
    if (message.type === 'subscribe') this.#backend.subscribe(this, (message.since ?? {}) as Record<string, unknown>);
  }

  close(code = 1000, reason = ''): void {
    if (this.readyState === 2 || this.readyState === 3) return;
    this.readyState = 2;
    this.closedWith = { code, reason, by: 'client' };
    later(0, () => this.#finishClose(code, reason, 'client'));
  }

  serverSend(message: ServerMessage): void {
    if (this.readyState !== 1) return;
    this.delivered.push(message);
    const data = JSON.stringify(message);
    later(0, () => {
      if (this.readyState === 1) this.#fire('message', new MessageEvent('message', { data }));
    });
  }

  serverClose(code: number, reason: string): void {
    if (this.readyState === 2 || this.readyState === 3) return;
    this.readyState = 2;
    this.closedWith = { code, reason, by: 'server' };
    later(0, () => this.#finishClose(code, reason, 'server'));
  }

  #finishClose(code: number, reason: string, by: 'client' | 'server'): void {
    if (this.readyState === 3) return;
    this.readyState = 3;
    this.closedWith ??= { code, reason, by };
    this.#fire('close', new CloseEvent('close', { code, reason, wasClean: code === 1000 }));
  }

  #fire(type: 'open' | 'message' | 'close' | 'error', event: Event): void {
    const handler = this[`on${type}`] as ((event: Event) => void) | null;
    handler?.call(this, event);
    this.dispatchEvent(event);
  }
}
