/**
 * The shipped network connector: REST for commands and one WebSocket for events, as docs/protocol.md describes.
 *
 * - Commands go through {@link RestClient}: `Authorization: Bearer` with the host's token (kept in memory only),
 *   an `Idempotency-Key` on every write, one token refresh on a 401, error bodies mapped to `ConnectorError`.
 * - Events come through {@link EventChannel}: auth, subscribe with the last sequence number per stream, pings
 *   answered, reconnects with exponential backoff and full jitter, resume without gaps or repeats.
 */
import { BehaviorSubject, Subject, type Observable } from 'rxjs';
import type {
  AssignTarget,
  CommandOptions,
  ConnectionState,
  Connector,
  ConnectorCapabilities,
  ConnectorEvent,
  ConversationQuery,
  CustomerPatch,
  KnowledgeQuery,
  MessageQuery,
  OutgoingMessage,
  Page,
  Session,
  Snapshot,
  TicketCommentDraft,
  TicketDraft,
  TicketPatch,
  CallRecordDraft,
} from '../connector.js';
import type {
  Agent,
  CannedReply,
  Channel,
  Conversation,
  ConversationStatus,
  Customer,
  Identity,
  KnowledgeArticle,
  KnowledgeHit,
  Message,
  Presence,
  Queue,
  TelephonyConfig,
  Ticket,
} from '../model.js';
import { CHANNELS } from '../model.js';
import { ConnectorError, aborted, unavailable } from '../errors.js';
import { browserTimers, EventChannel, type Timers } from './event-channel.js';
import { readCapabilities, type ServerMessage } from './protocol.js';
import { path, RestClient, type HttpMethod, type RestRequest, type TokenProvider } from './rest-client.js';

export interface HttpConnectorOptions {
  /** Where the protocol is served, e.g. `https://cc.example.com/api/v1`; the socket is `ws(s)://…/events` there. */
  readonly baseUrl: string;
  /**
   * The host's access token. Called with `forceRefresh: false` when the connector needs a token it does not
   * hold, and with `forceRefresh: true` once after the server refused one. The connector keeps the token in
   * memory only (never in localStorage, sessionStorage, IndexedDB or a cookie) and forgets it on `disconnect()`.
   */
  readonly getToken: TokenProvider;
  /** Default: the global `fetch`. */
  readonly fetch?: typeof fetch;
  /** Default: the global `WebSocket` (tests pass a fake). */
  readonly WebSocket?: typeof WebSocket;
  /**
   * What the backend is assumed to support until `GET /session` answers at `connect()` (over
   * {@link DEFAULT_HTTP_CAPABILITIES}); from then on the server's answer is what `capabilities` says.
   */
  readonly capabilities?: Partial<ConnectorCapabilities>;
  /** Reconnect backoff: the delay before attempt n is `random() × min(maxDelayMs, initialDelayMs × 2^n)`. */
  readonly reconnect?: { readonly initialDelayMs?: number; readonly maxDelayMs?: number };
  /** A socket silent for this long is closed and replaced; default 45 000 ms (the server pings every 15 s). */
  readonly heartbeatTimeoutMs?: number;
  /** The jitter source, in [0, 1); default `Math.random`. */
  readonly random?: () => number;
  /** The timer functions; default the browser's. For tests with a fake clock. */
  readonly timers?: Timers;
}

/** The capabilities assumed before `GET /session` answers: everything a full backend has, without telephony. */
export const DEFAULT_HTTP_CAPABILITIES: ConnectorCapabilities = Object.freeze({
  conversations: true,
  customers: true,
  customerMerge: true,
  tickets: true,
  knowledge: true,
  telephony: false,
  workOffers: true,
  cannedReplies: true,
  channels: Object.freeze([...CHANNELS]),
});

export const DEFAULT_RECONNECT_INITIAL_DELAY_MS = 500;
export const DEFAULT_RECONNECT_MAX_DELAY_MS = 30_000;
export const DEFAULT_HEARTBEAT_TIMEOUT_MS = 45_000;

interface SessionAnswer {
  readonly agent?: unknown;
  readonly capabilities?: unknown;
}

interface ConnectAttempt {
  readonly promise: Promise<Session>;
  readonly controller: AbortController;
  /** Callers that have not aborted; when the last one aborts, the attempt stops (callers without a signal never do). */
  waiting: number;
}

function nonNegative(value: number | undefined, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : fallback;
}

function positive(value: number | undefined, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : fallback;
}

function freezeCapabilities(capabilities: ConnectorCapabilities): ConnectorCapabilities {
  return Object.freeze({ ...capabilities, channels: Object.freeze([...capabilities.channels]) });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

export class HttpConnector implements Connector {
  readonly state$: Observable<ConnectionState>;
  readonly events$: Observable<ConnectorEvent>;
  /** Emits when the server answered `too-old`: events were lost, load a snapshot. */
  readonly resync$: Observable<void>;
  /** After a drop the socket subscribes again after the last event delivered: nothing is missed or repeated. */
  readonly resumesEvents = true;

  readonly #state = new BehaviorSubject<ConnectionState>('disconnected');
  readonly #events = new Subject<ConnectorEvent>();
  readonly #resync = new Subject<void>();
  readonly #rest: RestClient;
  readonly #channel: EventChannel;
  #capabilities: ConnectorCapabilities;
  #session: Session | null = null;
  #connecting: ConnectAttempt | null = null;
  /** Per stream: the seq to resume after (the last delivered, raised by the snapshots handed out). */
  readonly #since = new Map<string, number>();
  /** Per stream: the last seq delivered on events$ (or the subscription's base), to drop replays and see gaps. */
  readonly #delivered = new Map<string, number>();
  /** Set by `too-old` or a gap: the next snapshot is followed by a new subscribe message. */
  #resubscribeAfterSnapshot = false;
  /** False while another tab holds the agent's event socket (see `releaseEventSocket`). */
  #socketWanted = true;
  /** Bumped whenever the socket is (re)opened or released, so a retry scheduled for an earlier one stops. */
  #socketRun = 0;
  #socketRetryTimer: unknown = undefined;
  /**
   * The snapshot `connect()` fetched, while nothing happened after it: the desk asks for a snapshot right after
   * connecting, and gets this one instead of a second request.
   */
  #connectSnapshot: Snapshot | null = null;
  readonly #timers: Timers;
  readonly #random: () => number;
  readonly #reconnectDelays: { readonly initialDelayMs: number; readonly maxDelayMs: number };

  constructor(options: HttpConnectorOptions) {
    if (typeof options?.baseUrl !== 'string' || options.baseUrl.trim() === '') throw new TypeError('HttpConnector: baseUrl is required, e.g. "https://cc.example.com/api/v1".');
    if (typeof options.getToken !== 'function') throw new TypeError('HttpConnector: getToken({ forceRefresh }) is required; it returns a Promise of the access token.');
    const fetchImplementation = options.fetch ?? globalThis.fetch.bind(globalThis);
    this.#rest = new RestClient(options.baseUrl, options.getToken, fetchImplementation);
    this.#capabilities = freezeCapabilities({ ...DEFAULT_HTTP_CAPABILITIES, ...options.capabilities, channels: [...(options.capabilities?.channels ?? DEFAULT_HTTP_CAPABILITIES.channels)] });
    this.#timers = options.timers ?? browserTimers;
    this.#random = options.random ?? Math.random;
    this.#reconnectDelays = {
      initialDelayMs: nonNegative(options.reconnect?.initialDelayMs, DEFAULT_RECONNECT_INITIAL_DELAY_MS),
      maxDelayMs: nonNegative(options.reconnect?.maxDelayMs, DEFAULT_RECONNECT_MAX_DELAY_MS),
    };
    this.#channel = new EventChannel({
      url: `${this.#rest.baseUrl.replace(/^http/, 'ws')}/events`,
      WebSocket: options.WebSocket ?? globalThis.WebSocket,
      timers: this.#timers,
      random: this.#random,
      ...this.#reconnectDelays,
      heartbeatTimeoutMs: positive(options.heartbeatTimeoutMs, DEFAULT_HEARTBEAT_TIMEOUT_MS),
      token: () => this.#rest.token(),
      refreshToken: (refused) => this.#rest.refreshToken(refused),
      since: () => Object.fromEntries(this.#since),
      onMessage: (message) => this.#receive(message),
      onStatus: (status) => {
        if (status === 'reconnecting') this.#connectSnapshot = null;
        if (status === 'reconnecting' && this.state === 'connected') this.#state.next('reconnecting');
        if (status === 'connected' && this.state === 'reconnecting') {
          // The new socket subscribed with everything known (snapshots included): no extra subscribe is due.
          this.#resubscribeAfterSnapshot = false;
          this.#state.next('connected');
        }
      },
    });
    this.state$ = this.#state.asObservable();
    this.events$ = this.#events.asObservable();
    this.resync$ = this.#resync.asObservable();
  }

  /** The fallback until `GET /session` answers at `connect()`, then the server's capabilities. */
  get capabilities(): ConnectorCapabilities {
    return this.#capabilities;
  }

  get state(): ConnectionState {
    return this.#state.value;
  }

  /** The base URL every path is relative to (normalized, without a trailing slash). */
  get baseUrl(): string {
    return this.#rest.baseUrl;
  }

  // -------------------------------------------------------------------------------------------------------
  // Lifecycle

  /**
   * `GET /session` (agent and capabilities) and `GET /snapshot` (the sequence numbers to subscribe after),
   * then the socket: resolves once it is open and subscribed. A call while an attempt runs joins it; each
   * caller's signal rejects only its own call, and the attempt stops when every caller with a signal aborted.
   */
  connect(options: CommandOptions = {}): Promise<Session> {
    const { signal } = options;
    if (signal?.aborted) return Promise.reject(aborted());
    if (this.#session !== null && (this.state === 'connected' || this.state === 'reconnecting')) return Promise.resolve(this.#session);
    const attempt = this.#connecting ?? this.#startConnect();
    attempt.waiting += 1;
    // Without a signal the caller waits for the outcome, so the attempt is never stopped under it.
    if (signal === undefined) return attempt.promise;
    return new Promise<Session>((resolve, reject) => {
      const onAbort = (): void => {
        reject(aborted());
        attempt.waiting -= 1;
        if (attempt.waiting <= 0) attempt.controller.abort();
      };
      signal.addEventListener('abort', onAbort, { once: true });
      attempt.promise.then(
        (session) => {
          signal.removeEventListener('abort', onAbort);
          resolve(session);
        },
        (error: unknown) => {
          signal.removeEventListener('abort', onAbort);
          reject(error);
        },
      );
    });
  }

  #startConnect(): ConnectAttempt {
    const controller = new AbortController();
    this.#state.next('connecting');
    const run = async (): Promise<Session> => {
      const { signal } = controller;
      const [answer, snapshot] = await Promise.all([
        this.#rest.request<SessionAnswer>('GET', '/session', { signal }),
        this.#rest.request<Snapshot>('GET', '/snapshot', { signal }),
      ]);
      if (!isRecord(answer) || !isRecord(answer.agent) || typeof answer.agent.id !== 'string') {
        throw unavailable('The contact-center server answered GET /session without an agent; it does not speak the protocol this desk expects.');
      }
      if (this.#connecting !== attempt) throw closedWhileOpening();
      this.#capabilities = freezeCapabilities(readCapabilities(answer.capabilities, this.#capabilities));
      // Subscribe after the snapshot's sequences: whatever happens between now and the server reading the
      // subscribe message is replayed, so a write made right after connect() resolves is never missed.
      this.#since.clear();
      this.#delivered.clear();
      this.#resubscribeAfterSnapshot = false;
      for (const [stream, seq] of Object.entries(isRecord(snapshot) && isRecord(snapshot.sequences) ? snapshot.sequences : {})) {
        if (typeof seq === 'number' && Number.isInteger(seq) && seq >= 0) {
          this.#since.set(stream, seq);
          this.#delivered.set(stream, seq);
        }
      }
      // Without the socket (another tab holds it) nothing guarantees the events after this snapshot reach the
      // desk, so the desk's own snapshot request must go out.
      const socketOpened = this.#socketWanted;
      if (socketOpened) await this.#channel.open();
      if (this.#connecting !== attempt) throw closedWhileOpening();
      this.#connectSnapshot = socketOpened && isRecord(snapshot) ? snapshot : null;
      const session: Session = { agent: answer.agent as unknown as Agent };
      this.#session = session;
      this.#connecting = null;
      this.#state.next('connected');
      return session;
    };
    const promise = run().catch((error: unknown) => {
      if (this.#connecting === attempt) {
        this.#connecting = null;
        this.#channel.stop();
        if (this.state === 'connecting') this.#state.next('disconnected');
        if (controller.signal.aborted) throw aborted();
        throw error instanceof ConnectorError ? error : unavailable(`Connecting to the contact-center server failed: ${String(error)}`, error);
      }
      // disconnect() (or a newer attempt) ended this one.
      throw closedWhileOpening();
    });
    // Callers get the rejection through their own promise; this one must not be reported as unhandled.
    promise.catch(() => undefined);
    const attempt: ConnectAttempt = { promise, controller, waiting: 0 };
    this.#connecting = attempt;
    return attempt;
  }

  /** Closes the socket, cancels every timer and request in flight, forgets the token. */
  disconnect(): Promise<void> {
    const attempt = this.#connecting;
    this.#connecting = null;
    attempt?.controller.abort();
    this.#channel.stop();
    this.#stopSocketRetry();
    this.#connectSnapshot = null;
    this.#rest.reset();
    this.#session = null;
    this.#resubscribeAfterSnapshot = false;
    if (this.state !== 'disconnected') this.#state.next('disconnected');
    return Promise.resolve();
  }

  /**
   * `GET /snapshot`; its sequences become the base the next (re)subscribe resumes after. The first call right
   * after `connect()` answers with the snapshot `connect()` read, unless an event, a drop or a resync came since.
   */
  async snapshot(options?: CommandOptions): Promise<Snapshot> {
    const fromConnect = this.#connectSnapshot;
    this.#connectSnapshot = null;
    if (fromConnect !== null && this.state === 'connected' && !options?.signal?.aborted) return fromConnect;
    const snapshot = await this.#call<Snapshot>('GET', '/snapshot', options);
    if (isRecord(snapshot) && isRecord(snapshot.sequences)) {
      for (const [stream, seq] of Object.entries(snapshot.sequences)) {
        if (typeof seq === 'number' && Number.isInteger(seq) && seq > (this.#since.get(stream) ?? -1)) this.#since.set(stream, seq);
      }
    }
    if (this.#resubscribeAfterSnapshot && this.state === 'connected') {
      this.#resubscribeAfterSnapshot = false;
      this.#channel.resubscribe();
    }
    return snapshot;
  }

  // -------------------------------------------------------------------------------------------------------
  // Tabs (src/tabs/): one tab of the agent holds the event socket and passes the events on to the others.

  /**
   * Another tab of this agent holds the event socket: this connector closes its own, and `connect()` leaves it
   * closed. Commands go on over REST; `events$` stays quiet until {@link holdEventSocket}.
   */
  releaseEventSocket(): void {
    this.#socketWanted = false;
    this.#stopSocketRetry();
    this.#connectSnapshot = null;
    this.#channel.stop();
    if (this.state === 'reconnecting' && this.#session !== null) this.#state.next('connected');
  }

  /**
   * This tab now holds the agent's event socket: it opens (now, or when `connect()` gets that far) and subscribes
   * after `since` (what the tab applied while it followed) or what this connector knows, whichever is later. While
   * it cannot be opened the state is `reconnecting` and it is tried again with the reconnect backoff.
   */
  holdEventSocket(since: Readonly<Record<string, number>> = {}): void {
    for (const [stream, seq] of Object.entries(since)) {
      if (!Number.isInteger(seq) || seq < 0) continue;
      if (seq > (this.#since.get(stream) ?? -1)) this.#since.set(stream, seq);
      if (seq > (this.#delivered.get(stream) ?? -1)) this.#delivered.set(stream, seq);
    }
    if (this.#socketWanted) return;
    this.#socketWanted = true;
    if (this.#session !== null && this.#connecting === null) this.#openSocket(0);
  }

  #openSocket(failures: number): void {
    this.#stopSocketRetry();
    const run = this.#socketRun;
    this.#channel.open().then(
      () => {
        if (run === this.#socketRun && this.state === 'reconnecting') this.#state.next('connected');
      },
      () => {
        if (run !== this.#socketRun || !this.#socketWanted || this.#session === null) return;
        if (this.state === 'connected') this.#state.next('reconnecting');
        const { initialDelayMs, maxDelayMs } = this.#reconnectDelays;
        const delay = Math.max(0, Math.min(1, this.#random())) * Math.min(maxDelayMs, initialDelayMs * 2 ** Math.min(failures, 30));
        this.#socketRetryTimer = this.#timers.setTimeout(() => {
          this.#socketRetryTimer = undefined;
          if (run === this.#socketRun) this.#openSocket(failures + 1);
        }, delay);
      },
    );
  }

  #stopSocketRetry(): void {
    this.#socketRun += 1;
    if (this.#socketRetryTimer === undefined) return;
    this.#timers.clearTimeout(this.#socketRetryTimer);
    this.#socketRetryTimer = undefined;
  }

  #receive(message: Exclude<ServerMessage, { type: 'ping' }>): void {
    if (this.#session === null && this.#connecting === null) return;
    this.#connectSnapshot = null;
    if (message.type === 'too-old') {
      // The server no longer holds what we missed: only a snapshot can catch up, then subscribe again.
      this.#resubscribeAfterSnapshot = true;
      this.#resync.next();
      return;
    }
    const { event } = message;
    const last = this.#delivered.get(event.stream);
    if (last !== undefined && event.seq <= last) return; // a replay of something already delivered
    if (last !== undefined && event.seq > last + 1) this.#resubscribeAfterSnapshot = true; // the store sees the gap and loads a snapshot
    this.#delivered.set(event.stream, event.seq);
    if (event.seq > (this.#since.get(event.stream) ?? 0)) this.#since.set(event.stream, event.seq);
    this.#events.next(event);
  }

  /** Every command: refused while not connected (`reconnecting` is fine: REST does not need the socket). */
  #call<T>(method: HttpMethod, route: string, options: CommandOptions = {}, request: Omit<RestRequest, 'signal' | 'idempotencyKey'> = {}): Promise<T> {
    if (options.signal?.aborted) return Promise.reject(aborted());
    if (this.state !== 'connected' && this.state !== 'reconnecting') {
      return Promise.reject(unavailable('Not connected to the contact-center server; call connect() first.'));
    }
    return this.#rest.request<T>(method, route, {
      ...request,
      ...(options.signal === undefined ? {} : { signal: options.signal }),
      ...(options.idempotencyKey === undefined ? {} : { idempotencyKey: options.idempotencyKey }),
    });
  }

  // -------------------------------------------------------------------------------------------------------
  // Agent

  getAgent(options?: CommandOptions): Promise<Agent> {
    return this.#call('GET', '/agent', options);
  }

  setPresence(presence: Presence, options?: CommandOptions): Promise<Agent> {
    return this.#call('PUT', '/agent/presence', options, { body: { presence } });
  }

  setCapacity(channel: Channel, max: number, options?: CommandOptions): Promise<Agent> {
    return this.#call('PUT', path`/agent/capacity/${channel}`, options, { body: { max } });
  }

  listQueues(options?: CommandOptions): Promise<readonly Queue[]> {
    return this.#call('GET', '/queues', options);
  }

  listAgents(options?: CommandOptions): Promise<readonly Pick<Agent, 'id' | 'name' | 'presence'>[]> {
    return this.#call('GET', '/agents', options);
  }

  // -------------------------------------------------------------------------------------------------------
  // Conversations

  listConversations(query: ConversationQuery, options?: CommandOptions): Promise<Page<Conversation>> {
    return this.#call('GET', '/conversations', options, {
      query: {
        cursor: query.cursor,
        limit: query.limit,
        channels: query.channels,
        statuses: query.statuses,
        scope: query.scope,
        customerId: query.customerId,
        text: query.text,
      },
    });
  }

  getConversation(id: string, options?: CommandOptions): Promise<Conversation> {
    return this.#call('GET', path`/conversations/${id}`, options);
  }

  listMessages(conversationId: string, query: MessageQuery, options?: CommandOptions): Promise<Page<Message>> {
    return this.#call('GET', path`/conversations/${conversationId}/messages`, options, { query: { cursor: query.cursor, limit: query.limit } });
  }

  sendMessage(draft: OutgoingMessage, options?: CommandOptions): Promise<Message> {
    const body = {
      text: draft.text,
      ...(draft.internal === undefined ? {} : { internal: draft.internal }),
      ...(draft.attachments === undefined ? {} : { attachments: draft.attachments }),
      ...(draft.email === undefined ? {} : { email: draft.email }),
    };
    return this.#call('POST', path`/conversations/${draft.conversationId}/messages`, options, { body });
  }

  markRead(conversationId: string, options?: CommandOptions): Promise<Conversation> {
    return this.#call('POST', path`/conversations/${conversationId}/read`, options, { body: {} });
  }

  assignConversation(conversationId: string, target: AssignTarget, options?: CommandOptions): Promise<Conversation> {
    return this.#call('POST', path`/conversations/${conversationId}/assign`, options, { body: target });
  }

  setConversationStatus(conversationId: string, status: Extract<ConversationStatus, 'resolved' | 'open'>, options?: CommandOptions): Promise<Conversation> {
    return this.#call('POST', path`/conversations/${conversationId}/status`, options, { body: { status } });
  }

  acceptOffer(offerId: string, options?: CommandOptions): Promise<Conversation> {
    return this.#call('POST', path`/offers/${offerId}/accept`, options, { body: {} });
  }

  async declineOffer(offerId: string, options?: CommandOptions): Promise<void> {
    await this.#call<unknown>('POST', path`/offers/${offerId}/decline`, options, { body: {} });
  }

  // -------------------------------------------------------------------------------------------------------
  // Customers

  getCustomer(id: string, options?: CommandOptions): Promise<Customer> {
    return this.#call('GET', path`/customers/${id}`, options);
  }

  findCustomers(identity: Identity, options?: CommandOptions): Promise<readonly Customer[]> {
    return this.#call('GET', '/customers', options, { query: { kind: identity.kind, value: identity.value } });
  }

  updateCustomer(id: string, patch: CustomerPatch, options?: CommandOptions): Promise<Customer> {
    return this.#call('PATCH', path`/customers/${id}`, options, { body: patch });
  }

  listDuplicateCandidates(id: string, options?: CommandOptions): Promise<readonly Customer[]> {
    return this.#call('GET', path`/customers/${id}/duplicates`, options);
  }

  mergeCustomers(targetId: string, sourceId: string, options?: CommandOptions): Promise<Customer> {
    return this.#call('POST', path`/customers/${targetId}/merge`, options, { body: { sourceId } });
  }

  revealIdentity(customerId: string, identity: Identity, options?: CommandOptions): Promise<Identity> {
    return this.#call('POST', path`/customers/${customerId}/reveal`, options, { body: { kind: identity.kind, value: identity.value } });
  }

  listCustomerConversations(customerId: string, options?: CommandOptions): Promise<readonly Conversation[]> {
    return this.#call('GET', path`/customers/${customerId}/conversations`, options);
  }

  // -------------------------------------------------------------------------------------------------------
  // Tickets

  listTickets(customerId: string, options?: CommandOptions): Promise<readonly Ticket[]> {
    return this.#call('GET', path`/customers/${customerId}/tickets`, options);
  }

  getTicket(id: string, options?: CommandOptions): Promise<Ticket> {
    return this.#call('GET', path`/tickets/${id}`, options);
  }

  createTicket(draft: TicketDraft, options?: CommandOptions): Promise<Ticket> {
    return this.#call('POST', '/tickets', options, { body: draft });
  }

  updateTicket(id: string, patch: TicketPatch, options?: CommandOptions): Promise<Ticket> {
    return this.#call('PATCH', path`/tickets/${id}`, options, { body: patch });
  }

  commentTicket(id: string, comment: TicketCommentDraft, options?: CommandOptions): Promise<Ticket> {
    return this.#call('POST', path`/tickets/${id}/comments`, options, { body: comment });
  }

  // -------------------------------------------------------------------------------------------------------
  // Knowledge, canned replies, telephony

  searchKnowledge(query: KnowledgeQuery, options?: CommandOptions): Promise<readonly KnowledgeHit[]> {
    return this.#call('GET', '/knowledge/search', options, { query: { text: query.text, locale: query.locale, limit: query.limit } });
  }

  getArticle(id: string, options?: CommandOptions): Promise<KnowledgeArticle> {
    return this.#call('GET', path`/knowledge/articles/${id}`, options);
  }

  async rateArticle(articleId: string, helpful: boolean, options?: CommandOptions): Promise<void> {
    await this.#call<unknown>('POST', path`/knowledge/articles/${articleId}/rating`, options, { body: { helpful } });
  }

  suggestArticles(conversationId: string, options?: CommandOptions): Promise<readonly KnowledgeHit[]> {
    return this.#call('GET', path`/conversations/${conversationId}/suggestions`, options);
  }

  listCannedReplies(options?: CommandOptions): Promise<readonly CannedReply[]> {
    return this.#call('GET', '/canned-replies', options);
  }

  async getTelephonyConfig(options?: CommandOptions): Promise<TelephonyConfig | null> {
    return (await this.#call<TelephonyConfig | null | undefined>('GET', '/telephony', options)) ?? null;
  }

  saveCallRecord(record: CallRecordDraft, options?: CommandOptions): Promise<Message> {
    return this.#call('POST', '/call-records', options, { body: record });
  }
}

function closedWhileOpening(): ConnectorError {
  return unavailable('The connection to the contact-center server was closed while it was being opened.');
}
