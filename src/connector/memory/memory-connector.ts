/**
 * An in-browser backend: the whole Connector contract over seeded data held in memory, with simulated
 * latency, delivery receipts, work offers and live traffic. The demo and the tests run on it.
 *
 * Decisions worth knowing:
 * - Replying (not an internal note) to a queued or resolved conversation takes it: it becomes `open` and is
 *   assigned to the replying agent when it had no assignee. Internal notes never change the conversation.
 * - Event streams: `agent` (agent.updated, offer.*), `conversations` (conversation.*, message.*),
 *   `customers` (customer.*), `tickets` (ticket.*). Sequence numbers continue across reconnects.
 * - Scope `mine` is assigned to the signed-in agent; `queue` is unassigned and waiting in one of the agent's
 *   queues (or in none); `all` is everything.
 * - Conversations on channels the capabilities do not list are left out when the seed loads.
 */
import { BehaviorSubject, Subject } from 'rxjs';
import type { Observable } from 'rxjs';
import { CHANNELS, CONVERSATION_STATUSES, IDENTITY_KINDS, PRESENCES, PRIORITIES, TICKET_TRANSITIONS, TICKET_TYPES } from '../model.js';
import type {
  Agent,
  Attachment,
  CannedReply,
  Channel,
  ChannelCapacity,
  Conversation,
  ConversationStatus,
  Customer,
  EmailEnvelope,
  Identity,
  KnowledgeArticle,
  KnowledgeHit,
  Message,
  Permission,
  Presence,
  Priority,
  Queue,
  TelephonyConfig,
  Ticket,
  TicketComment,
  WorkOffer,
} from '../model.js';
import { PiiMasker, maskIdentity } from '../masking.js';
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
import { ConnectorError, aborted, conflict, forbidden, invalid, notFound, unavailable } from '../errors.js';
import { createDemoSeed } from './demo-seed.js';
import { CHANNEL_POLICIES, previewOf, validateSeed } from './seed.js';
import type { ResolvedSeed, Seed } from './seed.js';
import { TrafficSimulator } from './traffic-simulator.js';
import type { NewConversationDraft, TrafficOptions, TrafficTarget } from './traffic-simulator.js';

export interface MemoryConnectorOptions {
  /** A seed object, its JSON text, or an already validated seed; default: the demo seed. */
  readonly seed?: Seed | string | unknown;
  /** Simulated latency of every command in milliseconds; default 0. Aborting during it cancels the command. */
  readonly latencyMs?: number;
  /** The clock; default `Date.now`. Relative seed timestamps resolve against it at construction. */
  readonly now?: () => number;
  /** Live traffic while connected (see {@link TrafficOptions}); default off. */
  readonly traffic?: TrafficOptions | false;
  /** Overrides of the default capabilities (everything on, telephony only with a `telephony` config). */
  readonly capabilities?: Partial<ConnectorCapabilities>;
  /** Delay before a sent message is reported `delivered`; default 800 ms. */
  readonly deliveryDelayMs?: number;
  /** SIP settings that `getTelephonyConfig()` returns; default none (null). */
  readonly telephony?: TelephonyConfig | null;
  /**
   * The last sequence number of each stream, for a backend that restores this connector from storage (the
   * reference server): numbering continues from here instead of from 0. Default: every stream at 0.
   */
  readonly initialSequences?: Readonly<Record<string, number>>;
  /**
   * The role the signed-in agent works in this session: the id of one of the seed's `roles`. Default: the seed
   * agent's `role`; without one, the agent may do everything. A role without `view-pii` gets every read and every
   * event with PII masked (see src/connector/masking.ts), and commands its role lacks are `forbidden`.
   */
  readonly role?: string;
  /** Overrides the role: the permissions of this session (the reference server gives its engine all of them). */
  readonly permissions?: readonly Permission[];
}

/** The event streams of the MemoryConnector. */
export const MEMORY_STREAMS = ['agent', 'conversations', 'customers', 'tickets'] as const;
export type MemoryStream = (typeof MEMORY_STREAMS)[number];

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
type EventPayload = DistributiveOmit<ConnectorEvent, 'stream' | 'seq' | 'at'>;
type CapabilityName = Exclude<keyof ConnectorCapabilities, 'channels'>;
type AgentSummary = Pick<Agent, 'id' | 'name' | 'presence'>;

const DEFAULT_PAGE_SIZE = 50;
const MAX_PAGE_SIZE = 200;
const SNAPSHOT_SIZE = 200;
const DEFAULT_DELIVERY_DELAY_MS = 800;
const DEFAULT_OFFER_TTL_MS = 30_000;
const MAX_TEXT_LENGTH = 20_000;
const MAX_SUBJECT_LENGTH = 200;
const IDEMPOTENCY_MEMORY = 5_000;

const CAPABILITY_NAMES: Readonly<Record<CapabilityName, string>> = {
  conversations: 'conversations',
  customers: 'customer profiles',
  customerMerge: 'merging customer profiles',
  tickets: 'tickets',
  knowledge: 'the knowledge base',
  telephony: 'telephony',
  workOffers: 'work offers',
  cannedReplies: 'canned replies',
};

const CHANNEL_NAMES: Readonly<Record<Channel, string>> = {
  phone: 'Phone',
  webchat: 'Web chat',
  email: 'Email',
  sms: 'SMS',
  wechat: 'WeChat',
  douyin: 'Douyin',
};

function streamOf(type: ConnectorEvent['type']): MemoryStream {
  if (type === 'agent.updated' || type.startsWith('offer.')) return 'agent';
  if (type.startsWith('customer.')) return 'customers';
  if (type.startsWith('ticket.')) return 'tickets';
  return 'conversations';
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

/** JSON with sorted keys, so two equal requests give the same fingerprint whatever their key order. */
function stableStringify(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((item) => stableStringify(item ?? null)).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${stableStringify(item)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** FNV-1a, enough to tell queries apart inside a cursor. */
function hash(text: string): string {
  let value = 0x811c9dc5;
  for (let index = 0; index < text.length; index += 1) {
    value ^= text.charCodeAt(index);
    value = Math.imul(value, 0x01000193);
  }
  return (value >>> 0).toString(36);
}

function encodeCursor(payload: Record<string, string | number>): string {
  const bytes = new TextEncoder().encode(JSON.stringify(payload));
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function decodeCursor(cursor: unknown): Record<string, unknown> {
  const bad = (): ConnectorError => invalid('cursor', 'The page cursor is not one this connector issued; start again without a cursor.');
  if (typeof cursor !== 'string' || cursor === '') throw bad();
  try {
    const binary = atob(cursor.replace(/-/g, '+').replace(/_/g, '/'));
    const bytes = Uint8Array.from(binary, (char) => char.charCodeAt(0));
    const parsed: unknown = JSON.parse(new TextDecoder().decode(bytes));
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw bad();
    return parsed as Record<string, unknown>;
  } catch {
    throw bad();
  }
}

function readLimit(limit: unknown, max = MAX_PAGE_SIZE, fallback = DEFAULT_PAGE_SIZE): number {
  if (limit === undefined || limit === null) return fallback;
  if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1 || limit > max) {
    throw invalid('limit', `The page size (limit) must be a whole number from 1 to ${max}; got ${String(limit)}.`);
  }
  return limit;
}

/** Newest first; ties broken by id so paging is stable. */
function compareConversations(a: Conversation, b: Conversation): number {
  if (a.lastMessageAt !== b.lastMessageAt) return b.lastMessageAt - a.lastMessageAt;
  return a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}

const isoTime = (time: number): string => new Date(time).toISOString();

function isAgent(value: unknown): value is Agent {
  return typeof value === 'object' && value !== null && Array.isArray((value as Agent).capacity) && typeof (value as Agent).presence === 'string';
}

/** An agent (alone or in a snapshot) with the permissions given, for a caller other than the session. */
function withAgentPermissions(value: unknown, permissions: readonly Permission[]): unknown {
  if (isAgent(value)) return deepFreeze({ ...value, permissions });
  if (typeof value === 'object' && value !== null && isAgent((value as Snapshot).agent)) {
    return deepFreeze({ ...(value as Snapshot), agent: { ...(value as Snapshot).agent, permissions } });
  }
  return value;
}

// ---------------------------------------------------------------------------------------------------------
// Identities and names

function phoneDigits(value: string): string {
  return value.replace(/\D/g, '').replace(/^00/, '');
}

/** Phone numbers match when their digits agree, allowing one side to omit the country code. */
function phonesMatch(a: string, b: string): boolean {
  const left = phoneDigits(a);
  const right = phoneDigits(b);
  if (left === right) return left.length > 0;
  const [shorter, longer] = left.length < right.length ? [left, right] : [right, left];
  return shorter.length >= 8 && longer.endsWith(shorter);
}

/** The key under which an identity is indexed; phones by their last eight digits so a missing country code still finds them. */
function identityKey(identity: Identity): string {
  switch (identity.kind) {
    case 'email':
      return `email:${identity.value.trim().toLowerCase()}`;
    case 'phone':
      return `phone:${phoneDigits(identity.value).slice(-8)}`;
    default:
      return `${identity.kind}:${identity.value.trim()}`;
  }
}

function identitiesMatch(a: Identity, b: Identity): boolean {
  if (a.kind !== b.kind) return false;
  if (a.kind === 'phone') return phonesMatch(a.value, b.value);
  if (a.kind === 'email') return a.value.trim().toLowerCase() === b.value.trim().toLowerCase();
  return a.value.trim() === b.value.trim();
}

const CJK = /[\u3400-\u9fff\uf900-\ufaff]/;

function normalizeName(name: string): string {
  return name
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^\p{L}\p{N}\s]/gu, ' ')
    .split(/\s+/)
    .filter(Boolean)
    .sort()
    .join(' ');
}

function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost);
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/** "Jon Smith" ~ "John Smith", "王小明" ~ "王晓明": equal after normalising, or one or two edits apart for longer names. */
function namesLookAlike(a: string, b: string): boolean {
  const left = normalizeName(a);
  const right = normalizeName(b);
  if (!left || !right) return false;
  if (left === right) return true;
  const shortest = Math.min(left.length, right.length);
  if (Math.abs(left.length - right.length) > 2) return false;
  const allowed = CJK.test(left) ? (shortest >= 3 ? 1 : 0) : shortest >= 9 ? 2 : shortest >= 5 ? 1 : 0;
  return allowed > 0 && editDistance(left, right) <= allowed;
}

// ---------------------------------------------------------------------------------------------------------
// Knowledge search

const ENGLISH_STOPWORDS = new Set(
  ('a an and are as at be but by can could did do does dont for from get got has have hello hi how i if im in is it its just me my ' +
    'no not of on or our please should so still thank thanks that the there this to was we what when where which why will with would ' +
    'you your yes any about been am')
    .split(' '),
);
const CHINESE_STOPWORDS = new Set(['你好', '您好', '谢谢', '请问', '我的', '一下', '可以', '什么', '怎么', '这个', '那个', '我们', '你们', '是不', '不是', '了吗', '吗？']);

/** A light English stemmer, so "batteries" finds "battery" and "charged" finds "charging". */
function stem(word: string): string {
  let result = word;
  if (result.length > 4 && result.endsWith('ies')) result = `${result.slice(0, -3)}y`;
  else if (result.length > 3 && result.endsWith('s') && !result.endsWith('ss')) result = result.slice(0, -1);
  if (result.length > 5 && result.endsWith('ing')) result = result.slice(0, -3);
  else if (result.length > 4 && result.endsWith('ed')) result = result.slice(0, -2);
  if (result.length > 4 && result.endsWith('e')) result = result.slice(0, -1);
  return result;
}

interface SearchTerm {
  readonly term: string;
  /** Single CJK characters count for less than bigrams: they rescue recall but carry little meaning alone. */
  readonly weight: number;
}

/** Stemmed words for Latin text; bigrams plus single characters for runs of CJK text, which has no spaces. */
function tokenize(text: string): SearchTerm[] {
  const terms = new Map<string, number>();
  const add = (term: string, weight: number): void => {
    terms.set(term, Math.max(terms.get(term) ?? 0, weight));
  };
  const lower = text.toLowerCase();
  for (const word of lower.match(/[\p{L}\p{N}]+/gu) ?? []) {
    if (CJK.test(word)) continue;
    if (word.length >= 2 && !ENGLISH_STOPWORDS.has(word)) add(stem(word), 1);
  }
  for (const run of lower.match(/[\u3400-\u9fff\uf900-\ufaff]+/g) ?? []) {
    for (const char of run) add(char, run.length === 1 ? 1 : 0.3);
    for (let index = 0; index + 1 < run.length; index += 1) {
      const bigram = run.slice(index, index + 2);
      if (!CHINESE_STOPWORDS.has(bigram)) add(bigram, 1);
    }
  }
  return [...terms].map(([term, weight]) => ({ term, weight }));
}

interface IndexedArticle {
  readonly article: KnowledgeArticle;
  readonly title: string;
  readonly tags: string;
  readonly body: string;
  readonly titleWords: readonly string[];
  readonly tagWords: readonly string[];
  readonly bodyWords: readonly string[];
}

function indexArticle(article: KnowledgeArticle): IndexedArticle {
  const words = (text: string): string[] => (text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).map(stem);
  const tags = article.tags.join(' ').toLowerCase();
  return {
    article,
    title: article.title.toLowerCase(),
    tags,
    body: article.body.toLowerCase(),
    titleWords: words(article.title),
    tagWords: words(tags),
    bodyWords: words(article.body),
  };
}

/** Latin terms match a (stemmed) word they start ("refund" finds "refunds"); CJK terms match as substrings. */
function countMatches(term: string, text: string, words: readonly string[]): number {
  if (CJK.test(term)) {
    let count = 0;
    for (let at = text.indexOf(term); at !== -1 && count < 5; at = text.indexOf(term, at + term.length)) count += 1;
    return count;
  }
  let count = 0;
  for (const word of words) {
    if (word === term || (term.length >= 3 && word.startsWith(term))) count += 1;
    if (count >= 5) break;
  }
  return count;
}

function sameLanguage(a: string, b: string): boolean {
  return a.toLowerCase().split('-')[0] === b.toLowerCase().split('-')[0];
}

// ---------------------------------------------------------------------------------------------------------

/** A connection attempt and how many callers wait on it. */
interface ConnectAttempt {
  readonly promise: Promise<Session>;
  readonly controller: AbortController;
  /** Callers that joined the attempt and have not aborted. */
  waiting: number;
}

interface RememberedWrite {
  readonly fingerprint: string;
  readonly result: unknown;
}

/** Checks a call record from any caller (plain JavaScript, JSON) and reads it with readable errors. */
function readCallRecordDraft(value: unknown): CallRecordDraft {
  if (typeof value !== 'object' || value === null) throw invalid('record', 'A call record is required.');
  const record = value as Record<string, unknown>;
  const time = (field: string, nullable: boolean): number | null => {
    const raw = record[field];
    if (nullable && raw === null) return null;
    if (typeof raw !== 'number' || !Number.isFinite(raw)) throw invalid(field, `${field} must be a time (epoch milliseconds)${nullable ? ' or null' : ''}.`);
    return raw;
  };
  const optionalId = (field: string): string | null => {
    const raw = record[field];
    if (raw === undefined || raw === null) return null;
    if (typeof raw !== 'string' || raw === '') throw invalid(field, `${field} must be an id or null.`);
    return raw;
  };
  const direction = record['direction'];
  if (direction !== 'inbound' && direction !== 'outbound') throw invalid('direction', 'A call is "inbound" or "outbound".');
  const remoteNumber = record['remoteNumber'];
  if (typeof remoteNumber !== 'string' || remoteNumber.trim() === '') throw invalid('remoteNumber', 'A call record needs the other party\'s number.');
  const disposition = record['disposition'];
  if (disposition !== null && typeof disposition !== 'string') throw invalid('disposition', 'The disposition must be text or null.');
  const notes = record['notes'];
  if (typeof notes !== 'string') throw invalid('notes', 'The notes must be text (they may be empty).');
  if (notes.length > MAX_TEXT_LENGTH) throw invalid('notes', `The notes are ${notes.length} characters long; the limit is ${MAX_TEXT_LENGTH}.`);
  const displayName = record['remoteDisplayName'];
  const startedAt = time('startedAt', false) ?? 0;
  const endedAt = time('endedAt', false) ?? 0;
  const answeredAt = time('answeredAt', true);
  if (endedAt < startedAt || (answeredAt !== null && (answeredAt < startedAt || answeredAt > endedAt))) {
    throw invalid('endedAt', 'A call is answered after it starts and ends after it is answered.');
  }
  return {
    customerId: optionalId('customerId'),
    conversationId: optionalId('conversationId'),
    direction,
    remoteNumber: remoteNumber.trim(),
    remoteDisplayName: typeof displayName === 'string' ? displayName : null,
    startedAt,
    answeredAt,
    endedAt,
    disposition: disposition === null || disposition.trim() === '' ? null : disposition.trim(),
    notes,
  };
}

/** An in-memory {@link Connector} over a seed, with simulated latency, delivery and traffic. */
export class MemoryConnector implements Connector {
  readonly capabilities: ConnectorCapabilities;
  readonly state$: Observable<ConnectionState>;
  readonly events$: Observable<ConnectorEvent>;

  private readonly stateSubject = new BehaviorSubject<ConnectionState>('disconnected');
  private readonly eventSubject = new Subject<ConnectorEvent>();
  private readonly now: () => number;
  private readonly latencyMs: number;
  private readonly deliveryDelayMs: number;
  private readonly telephony: TelephonyConfig | null;

  private agent: Agent;
  private readonly agentMaxima = new Map<Channel, number>();
  private readonly agentLoad = new Map<Channel, number>();
  private readonly otherAgents = new Map<string, AgentSummary>();
  private readonly queues = new Map<string, Queue>();
  private readonly customers = new Map<string, Customer>();
  private readonly identityIndex = new Map<string, Set<string>>();
  /**
   * What this backend knows as PII, to mask it for roles without `view-pii`. A backend serving several roles
   * (the reference server) masks per caller with it.
   */
  readonly pii = new PiiMasker();
  private readonly roles = new Map<string, readonly Permission[]>();
  /** The session's permissions; null when the agent may do everything (no role). */
  private sessionPermissions: readonly Permission[] | null = null;
  /** While {@link runAs} runs a command: the caller's permissions instead of the session's. */
  private caller: { readonly permissions: readonly Permission[] | null } | null = null;
  private readonly conversations = new Map<string, Conversation>();
  private readonly conversationsByCustomer = new Map<string, Set<string>>();
  private readonly messages = new Map<string, Message[]>();
  private readonly messageById = new Map<string, Message>();
  private readonly tickets = new Map<string, Ticket>();
  private readonly articles = new Map<string, IndexedArticle>();
  private cannedReplies: readonly CannedReply[] = [];
  /** Helpful (true) or not (false), per article and agent. */
  private readonly articleVotes = new Map<string, Map<string, boolean>>();
  private readonly offers = new Map<string, WorkOffer>();
  private readonly offerTimers = new Map<string, ReturnType<typeof setTimeout>>();
  /** Messages still waiting for their delivery receipt; the timer is null while disconnected. */
  private readonly pendingDeliveries = new Map<string, ReturnType<typeof setTimeout> | null>();
  private readonly sequences = new Map<string, number>();
  private readonly remembered = new Map<string, RememberedWrite>();
  private readonly idCounters = new Map<string, number>();
  /** The connection attempt in progress, shared by every `connect()` call made while it runs. */
  private connecting: ConnectAttempt | null = null;
  private trafficOptions: TrafficOptions | null;
  private traffic: TrafficSimulator | null = null;

  constructor(options: MemoryConnectorOptions = {}) {
    this.now = options.now ?? (() => Date.now());
    this.latencyMs = Math.max(0, options.latencyMs ?? 0);
    this.deliveryDelayMs = Math.max(0, options.deliveryDelayMs ?? DEFAULT_DELIVERY_DELAY_MS);
    this.telephony = options.telephony ?? null;
    this.trafficOptions = options.traffic ? options.traffic : null;
    this.capabilities = deepFreeze({
      conversations: true,
      customers: true,
      customerMerge: true,
      tickets: true,
      knowledge: true,
      telephony: this.telephony !== null,
      workOffers: true,
      cannedReplies: true,
      ...options.capabilities,
      channels: [...(options.capabilities?.channels ?? CHANNELS)],
    });
    this.state$ = this.stateSubject.asObservable();
    this.events$ = this.eventSubject.asObservable();

    const seed = validateSeed(options.seed === undefined ? createDemoSeed() : options.seed, { now: this.now() });
    this.agent = this.load(seed, options);
    for (const [stream, seq] of Object.entries(options.initialSequences ?? {})) {
      if (Number.isInteger(seq) && seq > 0) this.sequences.set(stream, seq);
    }
  }

  get state(): ConnectionState {
    return this.stateSubject.value;
  }

  /** Whether simulated traffic is running now. */
  get trafficRunning(): boolean {
    return this.traffic?.running ?? false;
  }

  // -------------------------------------------------------------------------------------------------------
  // Connection

  /**
   * Opens the connection. A call made while an attempt is in flight joins that attempt; each caller's `signal`
   * rejects only that caller's call with `aborted`. The attempt itself is cancelled (and the state goes back to
   * `disconnected`) only once every caller that joined it has aborted.
   */
  connect(options: CommandOptions = {}): Promise<Session> {
    const signal = options.signal;
    if (signal?.aborted) return Promise.reject(aborted());
    if (this.state === 'connected') return Promise.resolve({ agent: this.agent });
    return this.joinConnectAttempt(this.connecting ?? this.startConnectAttempt(), signal);
  }

  private startConnectAttempt(): ConnectAttempt {
    const controller = new AbortController();
    this.stateSubject.next('connecting');
    // The handlers run later (never synchronously), and compare `attempt` to tell whether it is still the current one.
    const promise: Promise<Session> = this.delay(controller.signal).then(
      () => {
        if (this.connecting !== attempt || this.state !== 'connecting') {
          if (this.connecting === attempt) this.connecting = null;
          throw unavailable('The connection was closed while it was being opened.');
        }
        this.connecting = null;
        this.stateSubject.next('connected');
        this.resumeTimers();
        if (this.trafficOptions) this.runTraffic(this.trafficOptions);
        return { agent: this.agent };
      },
      (error: unknown) => {
        if (this.connecting === attempt) {
          this.connecting = null;
          if (this.state === 'connecting') this.stateSubject.next('disconnected');
        }
        throw error;
      },
    );
    const attempt: ConnectAttempt = { promise, controller, waiting: 0 };
    this.connecting = attempt;
    return attempt;
  }

  /** One caller's view of a shared attempt: its own signal rejects its own call without touching the others'. */
  private joinConnectAttempt(attempt: ConnectAttempt, signal: AbortSignal | undefined): Promise<Session> {
    attempt.waiting += 1;
    // A caller without a signal waits until the attempt settles, so the attempt is never cancelled under it.
    if (signal === undefined) return attempt.promise;
    return new Promise<Session>((resolve, reject) => {
      const onAbort = (): void => {
        reject(aborted());
        attempt.waiting -= 1;
        // Nobody wants this connection any more: stop opening it.
        if (attempt.waiting === 0) attempt.controller.abort();
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

  disconnect(): Promise<void> {
    // An attempt still in flight fails with `unavailable` when it completes; a later connect() starts afresh.
    this.connecting = null;
    this.traffic?.stop();
    this.traffic = null;
    for (const timer of this.offerTimers.values()) clearTimeout(timer);
    this.offerTimers.clear();
    for (const [messageId, timer] of this.pendingDeliveries) {
      if (timer !== null) clearTimeout(timer);
      this.pendingDeliveries.set(messageId, null);
    }
    if (this.state !== 'disconnected') this.stateSubject.next('disconnected');
    return Promise.resolve();
  }

  /** Starts (or reconfigures) simulated traffic; it runs while connected and stops on disconnect(). */
  startTraffic(options: TrafficOptions = {}): void {
    this.trafficOptions = options;
    if (this.state === 'connected') this.runTraffic(options);
  }

  /** Stops simulated traffic and keeps it off across reconnects. */
  stopTraffic(): void {
    this.trafficOptions = null;
    this.traffic?.stop();
    this.traffic = null;
  }

  async snapshot(options?: CommandOptions): Promise<Snapshot> {
    return this.run(options, null, () => {
      const workingSet = [...this.conversations.values()]
        .filter((conversation) => conversation.status !== 'resolved' && (this.isMine(conversation) || this.isInMyQueues(conversation)))
        .sort(compareConversations)
        .slice(0, SNAPSHOT_SIZE);
      const sequences: Record<string, number> = {};
      for (const stream of MEMORY_STREAMS) sequences[stream] = this.sequences.get(stream) ?? 0;
      const offers = this.capabilities.workOffers ? [...this.offers.values()] : [];
      const customerIds = new Set([...workingSet, ...offers].map((item) => item.customerId));
      const customers = [...customerIds].flatMap((id) => this.customers.get(id) ?? []);
      return deepFreeze({ agent: this.agent, conversations: workingSet, offers, customers, sequences });
    });
  }

  // -------------------------------------------------------------------------------------------------------
  // Agent

  getAgent(options?: CommandOptions): Promise<Agent> {
    return this.run(options, null, () => this.agent);
  }

  setPresence(presence: Presence, options?: CommandOptions): Promise<Agent> {
    return this.write(options, null, ['setPresence', presence], () => {
      if (!PRESENCES.includes(presence)) {
        throw invalid('presence', `Presence must be one of ${PRESENCES.join(', ')}; got ${JSON.stringify(presence)}.`);
      }
      if (presence !== this.agent.presence) this.updateAgent({ presence });
      return this.agent;
    });
  }

  setCapacity(channel: Channel, max: number, options?: CommandOptions): Promise<Agent> {
    return this.write(options, null, ['setCapacity', channel, max], () => {
      if (!this.capabilities.channels.includes(channel)) {
        throw invalid('channel', `This backend does not carry ${JSON.stringify(channel)} conversations.`);
      }
      if (!Number.isInteger(max) || max < 0 || max > 100) {
        throw invalid('max', `Capacity must be a whole number from 0 to 100; got ${String(max)}.`);
      }
      if (this.agentMaxima.get(channel) !== max) {
        this.agentMaxima.set(channel, max);
        this.updateAgent({});
      }
      return this.agent;
    });
  }

  listQueues(options?: CommandOptions): Promise<readonly Queue[]> {
    return this.run(options, null, () => Object.freeze([...this.queues.values()]));
  }

  listAgents(options?: CommandOptions): Promise<readonly AgentSummary[]> {
    return this.run(options, null, () =>
      deepFreeze([{ id: this.agent.id, name: this.agent.name, presence: this.agent.presence }, ...this.otherAgents.values()]),
    );
  }

  // -------------------------------------------------------------------------------------------------------
  // Conversations

  listConversations(query: ConversationQuery = {}, options?: CommandOptions): Promise<Page<Conversation>> {
    return this.run(options, 'conversations', () => {
      const limit = readLimit(query.limit);
      const channels = this.readFilter(query.channels, CHANNELS, 'channels');
      const statuses = this.readFilter(query.statuses, CONVERSATION_STATUSES, 'statuses');
      const scope = query.scope ?? 'all';
      if (scope !== 'all' && scope !== 'mine' && scope !== 'queue') {
        throw invalid('scope', `Scope must be mine, queue or all; got ${JSON.stringify(scope)}.`);
      }
      const text = (query.text ?? '').trim().toLowerCase();
      const fingerprint = hash(
        stableStringify({ channels: channels ? [...channels].sort() : null, statuses: statuses ? [...statuses].sort() : null, scope, customerId: query.customerId ?? null, text }),
      );

      const source =
        query.customerId === undefined
          ? this.conversations.values()
          : [...(this.conversationsByCustomer.get(query.customerId) ?? [])].flatMap((id) => this.conversations.get(id) ?? []);
      const matches: Conversation[] = [];
      for (const conversation of source) {
        if (channels && !channels.has(conversation.channel)) continue;
        if (statuses && !statuses.has(conversation.status)) continue;
        if (scope === 'mine' && !this.isMine(conversation)) continue;
        if (scope === 'queue' && !this.isInMyQueues(conversation)) continue;
        if (text && !this.conversationMatchesText(conversation, text)) continue;
        matches.push(conversation);
      }
      matches.sort(compareConversations);

      let start = 0;
      if (query.cursor !== undefined && query.cursor !== null) {
        const cursor = decodeCursor(query.cursor);
        const { q, t, id } = cursor;
        if (typeof t !== 'number' || typeof id !== 'string' || typeof q !== 'string') {
          throw invalid('cursor', 'The page cursor is not one this connector issued; start again without a cursor.');
        }
        if (q !== fingerprint) throw invalid('cursor', 'This page cursor belongs to a different query; start again without a cursor.');
        const boundary = { lastMessageAt: t, id } as Conversation;
        start = matches.findIndex((conversation) => compareConversations(conversation, boundary) > 0);
        if (start === -1) start = matches.length;
      }
      const items = matches.slice(start, start + limit);
      const last = items[items.length - 1];
      const nextCursor =
        last !== undefined && start + limit < matches.length ? encodeCursor({ q: fingerprint, t: last.lastMessageAt, id: last.id }) : null;
      return Object.freeze({ items: Object.freeze(items), nextCursor });
    });
  }

  getConversation(id: string, options?: CommandOptions): Promise<Conversation> {
    return this.run(options, 'conversations', () => this.requireConversation(id));
  }

  listMessages(conversationId: string, query: MessageQuery = {}, options?: CommandOptions): Promise<Page<Message>> {
    return this.run(options, 'conversations', () => {
      this.requireConversation(conversationId);
      const limit = readLimit(query.limit);
      const thread = this.messages.get(conversationId) ?? [];
      let end = thread.length;
      if (query.cursor !== undefined && query.cursor !== null) {
        const { c, before } = decodeCursor(query.cursor);
        const boundary = typeof before === 'string' ? this.messageById.get(before) : undefined;
        if (c !== conversationId || boundary === undefined) {
          throw invalid('cursor', 'The page cursor does not belong to this conversation; start again without a cursor.');
        }
        end = thread.indexOf(boundary);
      }
      const start = Math.max(0, end - limit);
      const items = thread.slice(start, end);
      const first = items[0];
      const nextCursor = start > 0 && first !== undefined ? encodeCursor({ c: conversationId, before: first.id }) : null;
      return Object.freeze({ items: Object.freeze(items), nextCursor });
    });
  }

  sendMessage(draft: OutgoingMessage, options?: CommandOptions): Promise<Message> {
    return this.write(options, 'conversations', ['sendMessage', draft], () => {
      if (typeof draft !== 'object' || draft === null) throw invalid('draft', 'A message draft is required.');
      const conversation = this.requireConversation(draft.conversationId);
      if (typeof draft.text !== 'string') throw invalid('text', 'The message text must be a string.');
      if (draft.text.length > MAX_TEXT_LENGTH) {
        throw invalid('text', `The message is ${draft.text.length} characters long; the limit is ${MAX_TEXT_LENGTH}.`);
      }
      const attachments = this.readAttachments(draft.attachments);
      if (draft.text.trim() === '' && attachments.length === 0) {
        throw invalid('text', 'Write a message or attach a file before sending.');
      }
      const internal = draft.internal === true;
      const now = this.now();
      if (!internal && conversation.replyWindowEndsAt !== null && now > conversation.replyWindowEndsAt) {
        const channel = CHANNEL_NAMES[conversation.channel];
        const windowMs = CHANNEL_POLICIES[conversation.channel].replyWindowMs;
        const rule = windowMs === null ? '' : ` ${channel} allows free replies only within ${Math.round(windowMs / 3_600_000)} hours of the customer's last message.`;
        throw invalid(
          'replyWindowEndsAt',
          `The ${channel} reply window closed at ${isoTime(conversation.replyWindowEndsAt)}.${rule} Add an internal note, or wait for the customer to write again.`,
        );
      }
      const message = deepFreeze<Message>({
        id: this.newId('msg', (id) => this.messageById.has(id)),
        conversationId: conversation.id,
        direction: internal ? 'internal' : 'outbound',
        authorName: this.agent.name,
        text: draft.text,
        sentAt: now,
        delivery: 'sent',
        attachments,
        email: !internal && conversation.channel === 'email' ? this.replyEnvelope(conversation, draft) : null,
        call: null,
        clientKey: options?.idempotencyKey ?? null,
      });
      this.addMessage(message);
      if (!internal) {
        const takesIt = conversation.status === 'queued' || conversation.status === 'resolved' || conversation.assigneeId === null;
        this.saveConversation({
          ...conversation,
          status: conversation.status === 'queued' || conversation.status === 'resolved' ? 'open' : conversation.status,
          assigneeId: takesIt ? (conversation.assigneeId ?? this.agent.id) : conversation.assigneeId,
          lastMessageAt: Math.max(conversation.lastMessageAt, now),
          lastMessagePreview: previewOf(message),
          unreadCount: 0,
          firstResponseDueAt: null,
        });
        this.revokeOffersFor(conversation.id, 'taken');
      }
      this.scheduleDelivery(message.id);
      return message;
    });
  }

  markRead(conversationId: string, options?: CommandOptions): Promise<Conversation> {
    return this.write(options, 'conversations', ['markRead', conversationId], () => {
      const conversation = this.requireConversation(conversationId);
      return conversation.unreadCount === 0 ? conversation : this.saveConversation({ ...conversation, unreadCount: 0 });
    });
  }

  assignConversation(conversationId: string, target: AssignTarget, options?: CommandOptions): Promise<Conversation> {
    return this.write(options, 'conversations', ['assignConversation', conversationId, target], () => {
      this.requirePermission('transfer-conversations', 'transfer conversations');
      const conversation = this.requireConversation(conversationId);
      if (target?.kind === 'agent') {
        const assignee = this.agentSummary(target.agentId);
        if (!assignee) throw notFound('Agent', target.agentId);
        if (conversation.assigneeId === assignee.id) return conversation;
        this.addSystemMessage(conversation.id, `Assigned to ${assignee.name} by ${this.agent.name}.`);
        const next = this.saveConversation({
          ...conversation,
          assigneeId: assignee.id,
          status: conversation.status === 'queued' ? 'open' : conversation.status,
        });
        this.revokeOffersFor(conversation.id, 'taken');
        return next;
      }
      if (target?.kind === 'queue') {
        const queue = this.queues.get(target.queueId);
        if (!queue) throw notFound('Queue', target.queueId);
        if (conversation.assigneeId === null && conversation.queueId === queue.id) return conversation;
        this.addSystemMessage(conversation.id, `Transferred to the ${queue.name} queue by ${this.agent.name}.`);
        return this.saveConversation({
          ...conversation,
          assigneeId: null,
          queueId: queue.id,
          status: conversation.status === 'resolved' ? 'resolved' : 'queued',
        });
      }
      throw invalid('target', 'Assign to an agent ({ kind: "agent", agentId }) or a queue ({ kind: "queue", queueId }).');
    });
  }

  setConversationStatus(
    conversationId: string,
    status: Extract<ConversationStatus, 'resolved' | 'open'>,
    options?: CommandOptions,
  ): Promise<Conversation> {
    return this.write(options, 'conversations', ['setConversationStatus', conversationId, status], () => {
      const conversation = this.requireConversation(conversationId);
      if (status !== 'resolved' && status !== 'open') {
        throw invalid('status', `A conversation can be set to "resolved" or "open"; got ${JSON.stringify(status)}.`);
      }
      if (conversation.status === status) return conversation;
      if (status === 'resolved') {
        this.addSystemMessage(conversation.id, `Resolved by ${this.agent.name}.`);
        const next = this.saveConversation({ ...conversation, status, unreadCount: 0, firstResponseDueAt: null });
        this.revokeOffersFor(conversation.id, 'taken');
        return next;
      }
      this.addSystemMessage(conversation.id, `Reopened by ${this.agent.name}.`);
      const next = this.saveConversation({ ...conversation, status, assigneeId: conversation.assigneeId ?? this.agent.id });
      this.revokeOffersFor(conversation.id, 'taken');
      return next;
    });
  }

  acceptOffer(offerId: string, options?: CommandOptions): Promise<Conversation> {
    return this.write(options, 'workOffers', ['acceptOffer', offerId], () => {
      const offer = this.offers.get(offerId);
      if (!offer) throw notFound('Work offer', offerId);
      if (this.now() >= offer.expiresAt) {
        this.revokeOffer(offer.id, 'expired');
        throw conflict(`The work offer expired at ${isoTime(offer.expiresAt)}; it can no longer be accepted.`);
      }
      const conversation = this.conversations.get(offer.conversationId);
      if (!conversation) {
        this.revokeOffer(offer.id, 'taken');
        throw notFound('Conversation', offer.conversationId);
      }
      if ((conversation.assigneeId !== null && conversation.assigneeId !== this.agent.id) || conversation.status === 'resolved') {
        this.revokeOffer(offer.id, 'taken');
        throw conflict('This conversation was already taken or closed; the offer is withdrawn.');
      }
      this.revokeOffer(offer.id, 'accepted');
      const next = this.saveConversation({
        ...conversation,
        assigneeId: this.agent.id,
        status: conversation.status === 'queued' ? 'open' : conversation.status,
      });
      this.revokeOffersFor(conversation.id, 'taken');
      return next;
    });
  }

  declineOffer(offerId: string, options?: CommandOptions): Promise<void> {
    return this.write(options, 'workOffers', ['declineOffer', offerId], () => {
      if (!this.offers.has(offerId)) throw notFound('Work offer', offerId);
      this.revokeOffer(offerId, 'declined');
    });
  }

  // -------------------------------------------------------------------------------------------------------
  // Customers

  getCustomer(id: string, options?: CommandOptions): Promise<Customer> {
    return this.run(options, 'customers', () => this.requireCustomer(id));
  }

  findCustomers(identity: Identity, options?: CommandOptions): Promise<readonly Customer[]> {
    return this.run(options, 'customers', () => {
      if (!IDENTITY_KINDS.includes(identity?.kind)) {
        throw invalid('kind', `An identity kind must be one of ${IDENTITY_KINDS.join(', ')}; got ${JSON.stringify(identity?.kind)}.`);
      }
      if (typeof identity.value !== 'string' || identity.value.trim() === '') {
        throw invalid('value', 'Enter the phone number, email address or account id to look for.');
      }
      return Object.freeze(this.customersWithIdentity(identity));
    });
  }

  updateCustomer(id: string, patch: CustomerPatch, options?: CommandOptions): Promise<Customer> {
    return this.write(options, 'customers', ['updateCustomer', id, patch], () => {
      this.requirePermission('edit-customer', 'change customer profiles');
      const customer = this.requireCustomer(id);
      let tags = customer.tags;
      if (patch.tags !== undefined) {
        if (!Array.isArray(patch.tags) || patch.tags.some((tag) => typeof tag !== 'string')) {
          throw invalid('tags', 'Tags must be a list of words.');
        }
        const cleaned = [...new Set(patch.tags.map((tag) => tag.trim()).filter(Boolean))];
        const tooLong = cleaned.find((tag) => tag.length > 50);
        if (tooLong !== undefined) throw invalid('tags', `The tag "${tooLong.slice(0, 20)}…" is longer than 50 characters.`);
        // Tags are masked for a role without view-pii: the tags it sent back unchanged keep their clear values.
        tags = this.may('view-pii') ? cleaned : cleaned.map((tag) => this.pii.restore(tag, customer.tags));
      }
      let notes = customer.notes;
      if (patch.notes !== undefined) {
        if (typeof patch.notes !== 'string') throw invalid('notes', 'Notes must be text.');
        if (patch.notes.length > MAX_TEXT_LENGTH) {
          throw invalid('notes', `The notes are ${patch.notes.length} characters long; the limit is ${MAX_TEXT_LENGTH}.`);
        }
        // An agent who sees masked notes edits masked notes: the values they did not touch stay clear.
        notes = this.may('view-pii') ? patch.notes : this.pii.restore(patch.notes, [customer.notes]);
      }
      if (tags === customer.tags && notes === customer.notes) return customer;
      const next = this.putCustomer({ ...customer, tags, notes });
      this.emit({ type: 'customer.updated', customer: next });
      return next;
    });
  }

  listDuplicateCandidates(id: string, options?: CommandOptions): Promise<readonly Customer[]> {
    return this.run(options, 'customers', () => {
      const customer = this.requireCustomer(id);
      const found = new Map<string, Customer>();
      for (const identity of customer.identities) {
        if (identity.kind !== 'phone' && identity.kind !== 'email') continue;
        for (const other of this.customersWithIdentity(identity)) {
          if (other.id !== customer.id) found.set(other.id, other);
        }
      }
      for (const other of this.customers.values()) {
        if (other.id !== customer.id && !found.has(other.id) && namesLookAlike(customer.name, other.name)) found.set(other.id, other);
      }
      return Object.freeze([...found.values()]);
    });
  }

  mergeCustomers(targetId: string, sourceId: string, options?: CommandOptions): Promise<Customer> {
    return this.write(options, 'customerMerge', ['mergeCustomers', targetId, sourceId], () => {
      this.requireCapability('customers');
      this.requirePermission('merge-customers', 'merge customer profiles');
      if (targetId === sourceId) throw invalid('sourceId', 'A customer cannot be merged into itself; pick a different profile.');
      const target = this.requireCustomer(targetId);
      const source = this.requireCustomer(sourceId);

      const identities = [...target.identities];
      for (const identity of source.identities) {
        if (!identities.some((held) => identitiesMatch(held, identity))) identities.push(identity);
      }
      const notes = [target.notes.trim(), source.notes.trim()].filter((note, index, all) => note && all.indexOf(note) === index).join('\n\n');
      this.removeCustomer(source);
      const merged = this.putCustomer({
        ...target,
        identities,
        tags: [...new Set([...target.tags, ...source.tags])],
        notes,
        vipLevel: Math.max(target.vipLevel, source.vipLevel),
        avatarUrl: target.avatarUrl ?? source.avatarUrl,
        locale: target.locale ?? source.locale,
        createdAt: Math.min(target.createdAt, source.createdAt),
      });

      for (const conversationId of [...(this.conversationsByCustomer.get(source.id) ?? [])]) {
        const conversation = this.conversations.get(conversationId);
        if (conversation) this.saveConversation({ ...conversation, customerId: merged.id });
      }
      const now = this.now();
      for (const ticket of [...this.tickets.values()]) {
        if (ticket.customerId !== source.id) continue;
        const moved = deepFreeze<Ticket>({ ...ticket, customerId: merged.id, updatedAt: now, version: ticket.version + 1 });
        this.tickets.set(moved.id, moved);
        this.emit({ type: 'ticket.upserted', ticket: moved });
      }
      for (const offer of [...this.offers.values()]) {
        if (offer.customerId === source.id) this.offers.set(offer.id, deepFreeze({ ...offer, customerId: merged.id }));
      }
      this.emit({ type: 'customer.merged', targetId: merged.id, sourceId: source.id });
      this.emit({ type: 'customer.updated', customer: merged });
      return merged;
    });
  }

  revealIdentity(customerId: string, identity: Identity, options?: CommandOptions): Promise<Identity> {
    return this.runUnmasked(options, 'customers', () => {
      if (!this.may('view-pii')) this.requirePermission('reveal-pii', 'reveal masked customer data');
      const customer = this.requireCustomer(customerId);
      const held = customer.identities.find(
        (candidate) => candidate.kind === identity?.kind && (candidate.value === identity.value || maskIdentity(candidate).value === identity.value),
      );
      if (!held) throw notFound('Identity', `${String(identity?.kind)} ${String(identity?.value)} of customer ${customerId}`);
      return deepFreeze({ kind: held.kind, value: held.value });
    });
  }

  listCustomerConversations(customerId: string, options?: CommandOptions): Promise<readonly Conversation[]> {
    return this.run(options, 'customers', () => {
      this.requireCustomer(customerId);
      const ids = this.conversationsByCustomer.get(customerId) ?? new Set<string>();
      return Object.freeze([...ids].flatMap((id) => this.conversations.get(id) ?? []).sort(compareConversations));
    });
  }

  // -------------------------------------------------------------------------------------------------------
  // Tickets

  listTickets(customerId: string, options?: CommandOptions): Promise<readonly Ticket[]> {
    return this.run(options, 'tickets', () => {
      this.requireCustomer(customerId);
      const list = [...this.tickets.values()].filter((ticket) => ticket.customerId === customerId);
      return Object.freeze(list.sort((a, b) => b.updatedAt - a.updatedAt || (a.id < b.id ? 1 : -1)));
    });
  }

  getTicket(id: string, options?: CommandOptions): Promise<Ticket> {
    return this.run(options, 'tickets', () => this.requireTicket(id));
  }

  createTicket(draft: TicketDraft, options?: CommandOptions): Promise<Ticket> {
    return this.write(options, 'tickets', ['createTicket', draft], () => {
      this.requirePermission('edit-tickets', 'create tickets');
      if (typeof draft !== 'object' || draft === null) throw invalid('draft', 'A ticket draft is required.');
      const customer = this.requireCustomer(draft.customerId);
      if (typeof draft.description !== 'string') throw invalid('description', 'The description must be text (it may be empty).');
      const conversationIds = [...new Set(draft.conversationIds ?? [])];
      for (const conversationId of conversationIds) this.requireConversation(conversationId);
      // A masked agent's ticket is prefilled from what they were shown: the masked values stand for the clear ones
      // of this customer and of the linked conversations, as in an edit.
      const sources = this.may('view-pii') ? [] : this.clearTextsOf(customer, conversationIds);
      const subject = this.readSubject(typeof draft.subject === 'string' && sources.length > 0 ? this.pii.restore(draft.subject, sources) : draft.subject);
      const description = sources.length > 0 ? this.pii.restore(draft.description, sources) : draft.description;
      if (description.length > MAX_TEXT_LENGTH) {
        throw invalid('description', `The description is ${description.length} characters long; the limit is ${MAX_TEXT_LENGTH}.`);
      }
      const sourceChannel = draft.sourceChannel ?? (conversationIds[0] ? (this.conversations.get(conversationIds[0])?.channel ?? null) : null);
      if (sourceChannel !== null && !CHANNELS.includes(sourceChannel)) {
        throw invalid('sourceChannel', `The source channel must be one of ${CHANNELS.join(', ')}; got ${JSON.stringify(sourceChannel)}.`);
      }
      const now = this.now();
      const ticket = deepFreeze<Ticket>({
        id: this.newTicketId(),
        customerId: customer.id,
        subject,
        description,
        type: this.readTicketType(draft.type ?? 'question'),
        priority: this.readPriority(draft.priority ?? 'normal'),
        status: 'new',
        assigneeId: this.readAssignee(draft.assigneeId ?? null),
        groupId: this.readGroup(draft.groupId ?? null),
        sourceChannel,
        conversationIds,
        dueAt: this.readDueAt(draft.dueAt ?? null),
        createdAt: now,
        updatedAt: now,
        version: 1,
        comments: [],
      });
      this.tickets.set(ticket.id, ticket);
      this.emit({ type: 'ticket.upserted', ticket });
      return ticket;
    });
  }

  updateTicket(id: string, patch: TicketPatch, options?: CommandOptions): Promise<Ticket> {
    return this.write(options, 'tickets', ['updateTicket', id, patch], () => {
      this.requirePermission('edit-tickets', 'change tickets');
      const ticket = this.requireTicket(id);
      if (typeof patch !== 'object' || patch === null || !Number.isInteger(patch.baseVersion)) {
        throw invalid('baseVersion', 'A ticket update needs the version it was based on (baseVersion, a whole number).');
      }
      if (patch.baseVersion !== ticket.version) {
        throw conflict(
          `Ticket ${ticket.id} was changed by someone else (it is at version ${ticket.version}, this edit was based on version ${patch.baseVersion}). Reload the ticket and apply your change again.`,
        );
      }
      const status = patch.status ?? ticket.status;
      if (status !== ticket.status && !(TICKET_TRANSITIONS[ticket.status] ?? []).includes(status)) {
        const allowed = TICKET_TRANSITIONS[ticket.status] ?? [];
        const hint = allowed.length > 0 ? ` From "${ticket.status}" it can go to ${allowed.map((next) => `"${next}"`).join(', ')}.` : ` A ${ticket.status} ticket cannot change.`;
        throw invalid('status', `A ticket cannot go from "${ticket.status}" to "${String(status)}".${hint}`);
      }
      const next: Ticket = {
        ...ticket,
        subject: patch.subject === undefined ? ticket.subject : this.readSubject(this.restoreMasked(patch.subject, ticket.subject)),
        description: patch.description === undefined ? ticket.description : this.readDescription(this.restoreMasked(patch.description, ticket.description)),
        type: patch.type === undefined ? ticket.type : this.readTicketType(patch.type),
        priority: patch.priority === undefined ? ticket.priority : this.readPriority(patch.priority),
        status,
        assigneeId: patch.assigneeId === undefined ? ticket.assigneeId : this.readAssignee(patch.assigneeId),
        groupId: patch.groupId === undefined ? ticket.groupId : this.readGroup(patch.groupId),
        dueAt: patch.dueAt === undefined ? ticket.dueAt : this.readDueAt(patch.dueAt),
      };
      const changed = (['subject', 'description', 'type', 'priority', 'status', 'assigneeId', 'groupId', 'dueAt'] as const).some(
        (key) => next[key] !== ticket[key],
      );
      if (!changed) return ticket;
      const saved = deepFreeze<Ticket>({ ...next, updatedAt: this.now(), version: ticket.version + 1 });
      this.tickets.set(saved.id, saved);
      this.emit({ type: 'ticket.upserted', ticket: saved });
      return saved;
    });
  }

  commentTicket(id: string, comment: TicketCommentDraft, options?: CommandOptions): Promise<Ticket> {
    return this.write(options, 'tickets', ['commentTicket', id, comment], () => {
      this.requirePermission('edit-tickets', 'comment on tickets');
      const ticket = this.requireTicket(id);
      if (typeof comment?.body !== 'string' || comment.body.trim() === '') throw invalid('body', 'Write a comment before saving it.');
      if (comment.body.length > MAX_TEXT_LENGTH) {
        throw invalid('body', `The comment is ${comment.body.length} characters long; the limit is ${MAX_TEXT_LENGTH}.`);
      }
      if (typeof comment.internal !== 'boolean') throw invalid('internal', 'Say whether the comment is internal (true) or public (false).');
      if (ticket.status === 'closed') throw invalid('status', `Ticket ${ticket.id} is closed; it cannot take new comments.`);
      const now = this.now();
      const added = deepFreeze<TicketComment>({
        id: this.newId(`${ticket.id}-c`, (candidate) => ticket.comments.some((existing) => existing.id === candidate)),
        authorName: this.agent.name,
        body: comment.body,
        internal: comment.internal,
        createdAt: now,
      });
      const saved = deepFreeze<Ticket>({ ...ticket, comments: [...ticket.comments, added], updatedAt: now, version: ticket.version + 1 });
      this.tickets.set(saved.id, saved);
      this.emit({ type: 'ticket.commented', ticketId: saved.id, comment: added });
      this.emit({ type: 'ticket.upserted', ticket: saved });
      return saved;
    });
  }

  // -------------------------------------------------------------------------------------------------------
  // Knowledge

  searchKnowledge(query: KnowledgeQuery, options?: CommandOptions): Promise<readonly KnowledgeHit[]> {
    return this.run(options, 'knowledge', () => {
      if (typeof query?.text !== 'string') throw invalid('text', 'Enter words to search for.');
      const limit = readLimit(query.limit, 50, 10);
      return Object.freeze(this.rankArticles(query.text, query.locale ?? null, limit));
    });
  }

  getArticle(id: string, options?: CommandOptions): Promise<KnowledgeArticle> {
    return this.run(options, 'knowledge', () => {
      const indexed = this.articles.get(id);
      if (!indexed) throw notFound('Article', id);
      return indexed.article;
    });
  }

  rateArticle(articleId: string, helpful: boolean, options?: CommandOptions): Promise<void> {
    return this.write(options, 'knowledge', ['rateArticle', articleId, helpful], () => {
      if (!this.articles.has(articleId)) throw notFound('Article', articleId);
      if (typeof helpful !== 'boolean') throw invalid('helpful', 'Say whether the article helped (true) or not (false).');
      let votes = this.articleVotes.get(articleId);
      if (!votes) {
        votes = new Map();
        this.articleVotes.set(articleId, votes);
      }
      votes.set(this.agent.id, helpful);
    });
  }

  suggestArticles(conversationId: string, options?: CommandOptions): Promise<readonly KnowledgeHit[]> {
    return this.run(options, 'knowledge', () => {
      const conversation = this.requireConversation(conversationId);
      // The customer's latest turn: their messages since the agent last replied (a customer often splits one question).
      const thread = this.messages.get(conversationId) ?? [];
      const turn: Message[] = [];
      for (let index = thread.length - 1; index >= 0 && turn.length < 5; index -= 1) {
        const message = thread[index];
        if (message?.direction === 'outbound' && turn.length > 0) break;
        if (message?.direction === 'inbound') turn.unshift(message);
      }
      if (turn.length === 0) return Object.freeze([]);
      const text = [conversation.subject ?? '', ...turn.map((message) => `${message.email?.subject ?? ''} ${message.call?.transcript ?? message.text}`)].join(' ');
      const customerLocale = this.customers.get(conversation.customerId)?.locale ?? null;
      const locale = CJK.test(text) ? 'zh-CN' : (customerLocale ?? 'en');
      return Object.freeze(this.rankArticles(text, locale, 5));
    });
  }

  // -------------------------------------------------------------------------------------------------------
  // Canned replies

  listCannedReplies(options?: CommandOptions): Promise<readonly CannedReply[]> {
    return this.run(options, 'cannedReplies', () => this.cannedReplies);
  }

  // -------------------------------------------------------------------------------------------------------
  // Telephony

  getTelephonyConfig(options?: CommandOptions): Promise<TelephonyConfig | null> {
    // SIP credentials only for a role that may use the phone.
    return this.run(options, null, () => (this.may('use-phone') ? this.telephony : null));
  }

  saveCallRecord(record: CallRecordDraft, options?: CommandOptions): Promise<Message> {
    return this.write(options, 'conversations', ['saveCallRecord', record], () => {
      this.requirePermission('record-calls', 'save call records');
      const draft = readCallRecordDraft(record);
      const customer = this.callCustomer(draft);
      const conversation = this.callConversation(draft, customer);
      const now = this.now();
      const durationSeconds = draft.answeredAt === null ? 0 : Math.max(0, Math.round((draft.endedAt - draft.answeredAt) / 1000));
      const inbound = draft.direction === 'inbound';
      const text = draft.notes.trim() || `${inbound ? 'Inbound' : 'Outbound'} call with ${draft.remoteNumber}.`;
      const message = deepFreeze<Message>({
        id: this.newId('msg', (id) => this.messageById.has(id)),
        conversationId: conversation.id,
        direction: draft.direction,
        authorName: inbound ? customer.name : this.agent.name,
        text,
        sentAt: Math.min(now, draft.endedAt),
        delivery: 'delivered',
        attachments: [],
        email: null,
        call: { durationSeconds, disposition: draft.disposition, recordingUrl: null, transcript: null, direction: draft.direction },
        clientKey: options?.idempotencyKey ?? null,
      });
      this.addMessage(message);
      this.saveConversation({
        ...conversation,
        lastMessageAt: Math.max(conversation.lastMessageAt, message.sentAt),
        lastMessagePreview: previewOf(message),
      });
      return message;
    });
  }

  /** The customer a call record belongs to: the one named, else the one with the number, else a new one. */
  private callCustomer(draft: CallRecordDraft): Customer {
    if (draft.customerId !== null) return this.requireCustomer(draft.customerId);
    const known = this.customersWithIdentity({ kind: 'phone', value: draft.remoteNumber })[0];
    if (known) return known;
    const customer = this.putCustomer({
      id: this.newId('customer', (id) => this.customers.has(id)),
      name: draft.remoteDisplayName?.trim() || draft.remoteNumber,
      avatarUrl: null,
      identities: [{ kind: 'phone', value: draft.remoteNumber }],
      vipLevel: 0,
      tags: [],
      notes: '',
      locale: null,
      createdAt: this.now(),
    });
    this.emit({ type: 'customer.updated', customer });
    return customer;
  }

  /** The phone conversation a call record goes to: the one named, else the customer's latest open one, else a new one. */
  private callConversation(draft: CallRecordDraft, customer: Customer): Conversation {
    if (draft.conversationId !== undefined && draft.conversationId !== null) {
      const named = this.requireConversation(draft.conversationId);
      if (named.channel !== 'phone' || named.customerId !== customer.id) {
        throw invalid('conversationId', `Conversation "${named.id}" is not a phone conversation of customer "${customer.id}".`);
      }
      return named;
    }
    let latest: Conversation | undefined;
    for (const id of this.conversationsByCustomer.get(customer.id) ?? []) {
      const candidate = this.conversations.get(id);
      if (!candidate || candidate.channel !== 'phone' || candidate.status === 'resolved') continue;
      if (!latest || compareConversations(candidate, latest) < 0) latest = candidate;
    }
    if (latest) return latest;
    const now = this.now();
    return this.saveConversation({
      id: this.newId('conv', (id) => this.conversations.has(id)),
      channel: 'phone',
      customerId: customer.id,
      status: 'resolved',
      priority: 'normal',
      assigneeId: this.agent.id,
      queueId: this.queueFor('phone'),
      subject: null,
      createdAt: Math.min(now, draft.startedAt),
      lastMessageAt: Math.min(now, draft.startedAt),
      lastMessagePreview: '',
      unreadCount: 0,
      firstResponseDueAt: null,
      replyWindowEndsAt: null,
    });
  }

  // -------------------------------------------------------------------------------------------------------
  // Backend-side simulation (used by the traffic simulator; also handy in tests and demos)

  /** How the agents rated an article through `rateArticle`: one vote per agent, the latest counting. */
  articleRatings(articleId: string): { readonly helpful: number; readonly notHelpful: number } {
    let helpful = 0;
    let notHelpful = 0;
    for (const vote of this.articleVotes.get(articleId)?.values() ?? []) {
      if (vote) helpful += 1;
      else notHelpful += 1;
    }
    return { helpful, notHelpful };
  }

  /** A customer writes on a conversation, as if it arrived from the channel. Reopens a resolved conversation. */
  simulateInboundMessage(conversationId: string, text: string, attachments: readonly Attachment[] = []): Message {
    this.requireConnected();
    const conversation = this.requireConversation(conversationId);
    const customer = this.customers.get(conversation.customerId);
    const now = this.now();
    const message = deepFreeze<Message>({
      id: this.newId('msg', (id) => this.messageById.has(id)),
      conversationId,
      direction: 'inbound',
      authorName: customer?.name ?? 'Customer',
      text,
      sentAt: now,
      delivery: 'delivered',
      attachments: [...attachments],
      email: null,
      call: null,
      clientKey: null,
    });
    this.addMessage(message);
    const windowMs = CHANNEL_POLICIES[conversation.channel].replyWindowMs;
    const reopened = conversation.status === 'resolved';
    this.saveConversation({
      ...conversation,
      status: reopened ? (conversation.assigneeId === null ? 'queued' : 'open') : conversation.status === 'pending' ? 'open' : conversation.status,
      lastMessageAt: Math.max(conversation.lastMessageAt, now),
      lastMessagePreview: previewOf(message),
      unreadCount: conversation.unreadCount + 1,
      replyWindowEndsAt: windowMs === null ? conversation.replyWindowEndsAt : now + windowMs,
      firstResponseDueAt: reopened ? now + CHANNEL_POLICIES[conversation.channel].firstResponseMs : conversation.firstResponseDueAt,
    });
    return message;
  }

  /** A customer starts a new conversation; it waits, unassigned, in a queue that suits its channel. */
  simulateNewConversation(draft: NewConversationDraft & { readonly queueId?: string | null }): Conversation {
    this.requireConnected();
    const customer = this.requireCustomer(draft.customerId);
    if (!this.capabilities.channels.includes(draft.channel)) {
      throw invalid('channel', `This backend does not carry ${JSON.stringify(draft.channel)} conversations.`);
    }
    const now = this.now();
    const policy = CHANNEL_POLICIES[draft.channel];
    const conversation = this.saveConversation({
      id: this.newId('conv', (id) => this.conversations.has(id)),
      channel: draft.channel,
      customerId: customer.id,
      status: 'queued',
      priority: draft.priority,
      assigneeId: null,
      queueId: draft.queueId === undefined ? this.queueFor(draft.channel) : draft.queueId,
      subject: draft.subject,
      createdAt: now,
      lastMessageAt: now,
      lastMessagePreview: '',
      unreadCount: 0,
      firstResponseDueAt: now + policy.firstResponseMs,
      replyWindowEndsAt: policy.replyWindowMs === null ? null : now + policy.replyWindowMs,
    });
    this.simulateInboundMessage(conversation.id, draft.text);
    return this.requireConversation(conversation.id);
  }

  /** Offers a conversation to the signed-in agent until it expires (default 30 s). */
  simulateOffer(conversationId: string, ttlMs = DEFAULT_OFFER_TTL_MS): WorkOffer {
    this.requireConnected();
    this.requireCapability('workOffers');
    const conversation = this.requireConversation(conversationId);
    const now = this.now();
    const offer = deepFreeze<WorkOffer>({
      id: this.newId('offer', (id) => this.offers.has(id)),
      conversationId: conversation.id,
      channel: conversation.channel,
      customerId: conversation.customerId,
      offeredAt: now,
      expiresAt: now + ttlMs,
    });
    this.offers.set(offer.id, offer);
    this.emit({ type: 'offer.created', offer });
    this.scheduleOfferExpiry(offer);
    return offer;
  }

  // -------------------------------------------------------------------------------------------------------
  // Command plumbing

  /** Runs a read: abort and connection checks, simulated latency, then the work. */
  private async run<T>(options: CommandOptions | undefined, capability: CapabilityName | null, execute: () => T): Promise<T> {
    return this.present(await this.runUnmasked(options, capability, execute));
  }

  /** Runs a command without masking its answer: for answers that are not records (a revealed identity). */
  private async runUnmasked<T>(options: CommandOptions | undefined, capability: CapabilityName | null, execute: () => T): Promise<T> {
    const signal = options?.signal;
    if (signal?.aborted) throw aborted();
    if (capability) this.requireCapability(capability);
    this.requireConnected();
    await this.delay(signal);
    this.requireConnected();
    return execute();
  }

  /** Runs a write; the same idempotency key returns the first result, and with a different request is a conflict. */
  private write<T>(options: CommandOptions | undefined, capability: CapabilityName | null, request: readonly unknown[], execute: () => T): Promise<T> {
    const key = options?.idempotencyKey;
    if (key === undefined) return this.run(options, capability, execute);
    return this.run(options, capability, () => {
      const fingerprint = stableStringify(request);
      const previous = this.remembered.get(key);
      if (previous) {
        if (previous.fingerprint !== fingerprint) {
          throw conflict(`The idempotency key "${key}" was already used for a different request; use a new key for a new request.`);
        }
        return previous.result as T;
      }
      const result = execute();
      this.remembered.set(key, { fingerprint, result });
      if (this.remembered.size > IDEMPOTENCY_MEMORY) {
        const oldest = this.remembered.keys().next();
        if (!oldest.done) this.remembered.delete(oldest.value);
      }
      return result;
    });
  }

  private delay(signal: AbortSignal | undefined): Promise<void> {
    if (this.latencyMs === 0) return signal?.aborted ? Promise.reject(aborted()) : Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const onAbort = (): void => {
        clearTimeout(timer);
        reject(aborted());
      };
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        if (signal?.aborted) reject(aborted());
        else resolve();
      }, this.latencyMs);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** Runs commands for a caller whose permissions differ from the session's (a backend serving several roles, like
   * the reference server): they are enforced, and the answers masked, for `permissions` (null: every permission).
   * Events still go out as the session sees them. Commands run this way must not overlap. */
  async runAs<T>(permissions: readonly Permission[] | null, work: (connector: this) => Promise<T>): Promise<T> {
    if (this.caller !== null) throw new Error('MemoryConnector.runAs calls must not overlap.');
    this.caller = { permissions };
    try {
      return await work(this);
    } finally {
      this.caller = null;
    }
  }

  /** An event as an agent with `permissions` may see it: PII masked without `view-pii`, and the agent's own permissions. */
  presentEvent(event: ConnectorEvent, permissions: readonly Permission[] | null): ConnectorEvent {
    if (permissions === null) return event;
    const masked = permissions.includes('view-pii') ? event : this.pii.event(event);
    return masked.type === 'agent.updated' ? { ...masked, agent: { ...masked.agent, permissions } } : masked;
  }

  /** Whether the command running now (or the session) may see PII in clear; a server audits what it may not. */
  mayViewPii(): boolean {
    return this.may('view-pii');
  }

  /**
   * A supervisor gives the signed-in agent another of the seed's roles during the session: from now on reads,
   * events and commands follow its permissions, and `agent.updated` tells the desk, which drops what the agent may
   * no longer see and loads it again.
   */
  changeRole(role: string): void {
    const permissions = this.roles.get(role);
    if (!permissions) throw invalid('role', `The role ${JSON.stringify(role)} is not one of the seed's roles (${[...this.roles.keys()].join(', ') || 'none'}).`);
    this.sessionPermissions = permissions;
    this.agent = deepFreeze({ ...this.agent, permissions });
    this.updateAgent({});
  }

  /** The permissions of one of the seed's roles; undefined for a role the seed does not define. */
  permissionsOfRole(role: string): readonly Permission[] | undefined {
    return this.roles.get(role);
  }

  /** The permissions in force for the command running now; null when everything is allowed. */
  private grants(): readonly Permission[] | null {
    return this.caller === null ? this.sessionPermissions : this.caller.permissions;
  }

  private may(permission: Permission): boolean {
    const grants = this.grants();
    return grants === null || grants.includes(permission);
  }

  private requirePermission(permission: Permission, what: string): void {
    if (!this.may(permission)) throw forbidden(`Your role may not ${what} (it lacks the "${permission}" permission).`);
  }

  /** The clear texts a masked agent may have seen masked about a customer: identities, notes, the conversations' texts. */
  private clearTextsOf(customer: Customer, conversationIds: readonly string[]): string[] {
    const texts = [...customer.identities.map((identity) => identity.value), customer.notes];
    for (const conversationId of conversationIds) {
      const conversation = this.conversations.get(conversationId);
      if (conversation?.subject) texts.push(conversation.subject);
      for (const message of this.messages.get(conversationId) ?? []) texts.push(message.text);
    }
    return texts;
  }

  /** A clear text an agent edited while seeing it masked: the masked values they left stand for the clear ones. */
  private restoreMasked(edited: string, clear: string): string {
    return typeof edited !== 'string' || this.may('view-pii') ? edited : this.pii.restore(edited, [clear]);
  }

  /** A command's answer as the caller may see it: masked without `view-pii`, with the caller's own permissions. */
  private present<T>(value: T): T {
    const grants = this.grants();
    if (grants === null) return value;
    let result: unknown = grants.includes('view-pii') ? value : deepFreeze(this.pii.any(value));
    if (this.caller !== null) result = withAgentPermissions(result, grants);
    return result as T;
  }

  private requireConnected(): void {
    if (this.state !== 'connected') throw unavailable('The connector is not connected; call connect() first.');
  }

  private requireCapability(capability: CapabilityName): void {
    if (!this.capabilities[capability]) throw unavailable(`This backend does not support ${CAPABILITY_NAMES[capability]}.`);
  }

  private emit(payload: EventPayload): void {
    const stream = streamOf(payload.type);
    const seq = (this.sequences.get(stream) ?? 0) + 1;
    this.sequences.set(stream, seq);
    const event = { ...payload, stream, seq, at: this.now() } as ConnectorEvent;
    // Events go to the session, whoever's command caused them.
    const masked = this.sessionPermissions !== null && !this.sessionPermissions.includes('view-pii');
    this.eventSubject.next(deepFreeze(masked ? this.pii.event(event) : event));
  }

  private newId(prefix: string, taken: (id: string) => boolean): string {
    let counter = this.idCounters.get(prefix) ?? 0;
    let id: string;
    do {
      counter += 1;
      id = `${prefix}-${counter}`;
    } while (taken(id));
    this.idCounters.set(prefix, counter);
    return id;
  }

  private newTicketId(): string {
    if (!this.idCounters.has('T')) {
      let highest = 1000;
      for (const id of this.tickets.keys()) {
        const match = /^T-(\d+)$/.exec(id);
        if (match) highest = Math.max(highest, Number(match[1]));
      }
      this.idCounters.set('T', highest);
    }
    return this.newId('T', (id) => this.tickets.has(id));
  }

  // -------------------------------------------------------------------------------------------------------
  // State

  private load(seed: ResolvedSeed, options: MemoryConnectorOptions): Agent {
    for (const role of seed.roles) this.roles.set(role.id, Object.freeze([...role.permissions]));
    const role = options.role ?? seed.agent.role;
    if (role !== undefined && !this.roles.has(role)) {
      throw invalid('role', `The role ${JSON.stringify(role)} is not one of the seed's roles (${[...this.roles.keys()].join(', ') || 'none'}).`);
    }
    this.sessionPermissions = options.permissions ? Object.freeze([...options.permissions]) : role === undefined ? null : (this.roles.get(role) ?? null);
    for (const queue of seed.queues) this.queues.set(queue.id, deepFreeze({ ...queue }));
    for (const other of seed.agents) this.otherAgents.set(other.id, deepFreeze({ id: other.id, name: other.name, presence: other.presence }));
    const carried = new Set(this.capabilities.channels);
    for (const channel of this.capabilities.channels) this.agentMaxima.set(channel, 0);
    for (const { channel, max } of seed.agent.capacity) if (carried.has(channel)) this.agentMaxima.set(channel, max);
    for (const customer of seed.customers) this.putCustomer(customer);
    this.agent = deepFreeze({
      id: seed.agent.id,
      name: seed.agent.name,
      presence: seed.agent.presence,
      capacity: [],
      queues: [...seed.agent.queues],
      ...(this.sessionPermissions === null ? {} : { permissions: this.sessionPermissions }),
    });
    for (const conversation of seed.conversations) {
      if (!carried.has(conversation.channel)) continue;
      // validateSeed built these objects afresh, so they can be frozen in place.
      const frozen = deepFreeze(conversation);
      this.conversations.set(frozen.id, frozen);
      this.indexConversation(frozen);
      this.countLoad(frozen, 1);
    }
    for (const message of seed.messages) {
      if (!this.conversations.has(message.conversationId)) continue;
      this.addMessage(deepFreeze(message));
    }
    for (const ticket of seed.tickets) this.tickets.set(ticket.id, deepFreeze(ticket));
    for (const article of seed.articles) this.articles.set(article.id, indexArticle(deepFreeze(article)));
    this.cannedReplies = deepFreeze([...seed.cannedReplies]);
    return this.buildAgent({});
  }

  private buildAgent(change: Partial<Pick<Agent, 'presence'>>): Agent {
    const capacity: ChannelCapacity[] = [...this.agentMaxima].map(([channel, max]) => ({ channel, max, load: this.agentLoad.get(channel) ?? 0 }));
    return deepFreeze({ ...this.agent, ...change, capacity, queues: [...this.agent.queues] });
  }

  private updateAgent(change: Partial<Pick<Agent, 'presence'>>): void {
    this.agent = this.buildAgent(change);
    this.emit({ type: 'agent.updated', agent: this.agent });
  }

  private agentSummary(id: string): AgentSummary | undefined {
    if (id === this.agent.id) return { id: this.agent.id, name: this.agent.name, presence: this.agent.presence };
    return this.otherAgents.get(id);
  }

  private isMine(conversation: Conversation): boolean {
    return conversation.assigneeId === this.agent.id;
  }

  private isInMyQueues(conversation: Conversation): boolean {
    return conversation.assigneeId === null && (conversation.queueId === null || this.agent.queues.includes(conversation.queueId));
  }

  private conversationMatchesText(conversation: Conversation, text: string): boolean {
    // A role without view-pii searches what it is shown: matching the clear text would tell it, hit by hit, what a
    // masked number or address is.
    const seen = this.may('view-pii') ? (value: string) => value : (value: string) => this.pii.text(value);
    const name = this.customers.get(conversation.customerId)?.name ?? '';
    return (
      seen(name).toLowerCase().includes(text) ||
      seen(conversation.subject ?? '').toLowerCase().includes(text) ||
      seen(conversation.lastMessagePreview).toLowerCase().includes(text)
    );
  }

  /** Whether a conversation takes up one of the signed-in agent's slots on its channel. */
  private countsAsLoad(conversation: Conversation): boolean {
    return conversation.assigneeId === this.agent.id && conversation.status !== 'resolved';
  }

  private countLoad(conversation: Conversation, delta: 1 | -1): void {
    if (!this.countsAsLoad(conversation)) return;
    this.agentLoad.set(conversation.channel, (this.agentLoad.get(conversation.channel) ?? 0) + delta);
  }

  private indexConversation(conversation: Conversation): void {
    const ids = this.conversationsByCustomer.get(conversation.customerId);
    if (ids) ids.add(conversation.id);
    else this.conversationsByCustomer.set(conversation.customerId, new Set([conversation.id]));
  }

  /** Stores a conversation, keeps the indexes and the agent's load right, and emits it. */
  private saveConversation(next: Conversation): Conversation {
    const frozen = deepFreeze({ ...next });
    const previous = this.conversations.get(frozen.id);
    const loadBefore = previous && this.countsAsLoad(previous) ? previous.channel : null;
    const loadAfter = this.countsAsLoad(frozen) ? frozen.channel : null;
    const loadChanged = loadBefore !== loadAfter;
    if (loadChanged) {
      if (previous && loadBefore !== null) this.countLoad(previous, -1);
      if (loadAfter !== null) this.countLoad(frozen, 1);
    }
    if (previous && previous.customerId !== frozen.customerId) this.conversationsByCustomer.get(previous.customerId)?.delete(previous.id);
    this.conversations.set(frozen.id, frozen);
    this.indexConversation(frozen);
    this.emit({ type: 'conversation.upserted', conversation: frozen });
    if (loadChanged) this.updateAgent({});
    return frozen;
  }

  private addMessage(message: Message): void {
    let thread = this.messages.get(message.conversationId);
    if (!thread) {
      thread = [];
      this.messages.set(message.conversationId, thread);
    }
    const last = thread[thread.length - 1];
    if (!last || last.sentAt <= message.sentAt) {
      thread.push(message);
    } else {
      let low = 0;
      let high = thread.length;
      while (low < high) {
        const middle = (low + high) >>> 1;
        if ((thread[middle]?.sentAt ?? 0) <= message.sentAt) low = middle + 1;
        else high = middle;
      }
      thread.splice(low, 0, message);
    }
    this.messageById.set(message.id, message);
    if (this.state === 'connected') this.emit({ type: 'message.added', message });
  }

  private addSystemMessage(conversationId: string, text: string): void {
    this.addMessage(
      deepFreeze<Message>({
        id: this.newId('msg', (id) => this.messageById.has(id)),
        conversationId,
        direction: 'system',
        authorName: 'System',
        text,
        sentAt: this.now(),
        delivery: 'delivered',
        attachments: [],
        email: null,
        call: null,
        clientKey: null,
      }),
    );
  }

  private scheduleDelivery(messageId: string): void {
    const timer = setTimeout(() => {
      this.pendingDeliveries.delete(messageId);
      const message = this.messageById.get(messageId);
      if (!message || message.delivery !== 'sent') return;
      const delivered = deepFreeze<Message>({ ...message, delivery: 'delivered' });
      const thread = this.messages.get(message.conversationId);
      const index = thread?.indexOf(message) ?? -1;
      if (thread && index >= 0) thread[index] = delivered;
      this.messageById.set(messageId, delivered);
      this.emit({ type: 'message.updated', message: delivered });
    }, this.deliveryDelayMs);
    this.pendingDeliveries.set(messageId, timer);
  }

  private scheduleOfferExpiry(offer: WorkOffer): void {
    const existing = this.offerTimers.get(offer.id);
    if (existing !== undefined) clearTimeout(existing);
    const timer = setTimeout(() => {
      this.offerTimers.delete(offer.id);
      if (this.offers.has(offer.id)) this.revokeOffer(offer.id, 'expired');
    }, Math.max(0, offer.expiresAt - this.now()));
    this.offerTimers.set(offer.id, timer);
  }

  /** After a reconnect: deliver what was waiting, and expire or re-arm offers. */
  private resumeTimers(): void {
    for (const [messageId, timer] of this.pendingDeliveries) if (timer === null) this.scheduleDelivery(messageId);
    for (const offer of [...this.offers.values()]) {
      if (this.now() >= offer.expiresAt) this.revokeOffer(offer.id, 'expired');
      else this.scheduleOfferExpiry(offer);
    }
  }

  private revokeOffer(offerId: string, reason: 'expired' | 'taken' | 'declined' | 'accepted'): void {
    if (!this.offers.delete(offerId)) return;
    const timer = this.offerTimers.get(offerId);
    if (timer !== undefined) clearTimeout(timer);
    this.offerTimers.delete(offerId);
    this.emit({ type: 'offer.revoked', offerId, reason });
  }

  private revokeOffersFor(conversationId: string, reason: 'taken'): void {
    for (const offer of [...this.offers.values()]) if (offer.conversationId === conversationId) this.revokeOffer(offer.id, reason);
  }

  private putCustomer(customer: Customer): Customer {
    const frozen = deepFreeze({ ...customer });
    this.pii.learn(frozen.identities);
    const previous = this.customers.get(frozen.id);
    if (previous) this.unindexIdentities(previous);
    this.customers.set(frozen.id, frozen);
    for (const identity of frozen.identities) {
      const key = identityKey(identity);
      const ids = this.identityIndex.get(key);
      if (ids) ids.add(frozen.id);
      else this.identityIndex.set(key, new Set([frozen.id]));
    }
    return frozen;
  }

  private removeCustomer(customer: Customer): void {
    this.unindexIdentities(customer);
    this.customers.delete(customer.id);
  }

  private unindexIdentities(customer: Customer): void {
    for (const identity of customer.identities) this.identityIndex.get(identityKey(identity))?.delete(customer.id);
  }

  private customersWithIdentity(identity: Identity): Customer[] {
    const ids = this.identityIndex.get(identityKey(identity)) ?? new Set<string>();
    return [...ids]
      .flatMap((id) => this.customers.get(id) ?? [])
      .filter((customer) => customer.identities.some((held) => identitiesMatch(held, identity)));
  }

  private requireConversation(id: string): Conversation {
    const conversation = this.conversations.get(id);
    if (!conversation) throw notFound('Conversation', String(id));
    return conversation;
  }

  private requireCustomer(id: string): Customer {
    const customer = this.customers.get(id);
    if (!customer) throw notFound('Customer', String(id));
    return customer;
  }

  private requireTicket(id: string): Ticket {
    const ticket = this.tickets.get(id);
    if (!ticket) throw notFound('Ticket', String(id));
    return ticket;
  }

  private queueFor(channel: Channel): string | null {
    const preferred: Readonly<Record<Channel, readonly string[]>> = {
      phone: ['q-general'],
      webchat: ['q-general'],
      email: ['q-orders', 'q-general'],
      sms: ['q-orders', 'q-general'],
      wechat: ['q-social', 'q-general'],
      douyin: ['q-social', 'q-general'],
    };
    const candidates = preferred[channel].filter((id) => this.queues.has(id));
    return candidates[0] ?? this.agent.queues[0] ?? null;
  }

  private replyEnvelope(conversation: Conversation, draft: OutgoingMessage): EmailEnvelope {
    const thread = this.messages.get(conversation.id) ?? [];
    let lastInbound: EmailEnvelope | null = null;
    for (let index = thread.length - 1; index >= 0 && !lastInbound; index -= 1) {
      const message = thread[index];
      if (message?.direction === 'inbound' && message.email) lastInbound = message.email;
    }
    const customerEmail = this.customers.get(conversation.customerId)?.identities.find((identity) => identity.kind === 'email')?.value;
    const baseSubject = conversation.subject ?? lastInbound?.subject ?? '';
    const subject = draft.email?.subject ?? (baseSubject && !/^re:/i.test(baseSubject) ? `Re: ${baseSubject}` : baseSubject);
    // A desk that sees masked addresses replies to masked addresses: they stand for the clear ones this thread holds.
    const known = [
      ...(this.customers.get(conversation.customerId)?.identities.filter((identity) => identity.kind === 'email').map((identity) => identity.value) ?? []),
      ...thread.flatMap((message) => (message.email ? [message.email.from, ...message.email.to, ...message.email.cc] : [])),
    ];
    const unmask = (addresses: readonly string[] | undefined): readonly string[] | undefined =>
      addresses === undefined || !Array.isArray(addresses) || this.may('view-pii')
        ? addresses
        : addresses.map((address) => (typeof address === 'string' ? this.pii.restore(address, known) : address));
    const to = unmask(draft.email?.to) ?? [lastInbound?.from ?? customerEmail].filter((address): address is string => Boolean(address));
    const cc = unmask(draft.email?.cc) ?? [];
    if (!Array.isArray(to) || to.length === 0 || to.some((address) => typeof address !== 'string' || !address.includes('@'))) {
      throw invalid('email.to', 'An email reply needs at least one recipient address.');
    }
    if (!Array.isArray(cc) || cc.some((address) => typeof address !== 'string' || !address.includes('@'))) {
      throw invalid('email.cc', 'Every copy (cc) recipient must be an email address.');
    }
    const from = lastInbound?.to[0] ?? this.agent.name;
    return { subject, from, to: [...to], cc: [...cc], html: null };
  }

  private readAttachments(value: readonly Attachment[] | undefined): Attachment[] {
    if (value === undefined) return [];
    if (!Array.isArray(value)) throw invalid('attachments', 'Attachments must be a list.');
    return value.map((attachment: Attachment, index) => {
      const ok =
        typeof attachment === 'object' && attachment !== null &&
        typeof attachment.id === 'string' && typeof attachment.name === 'string' && attachment.name.trim() !== '' &&
        typeof attachment.mimeType === 'string' && typeof attachment.url === 'string' &&
        typeof attachment.size === 'number' && attachment.size >= 0;
      if (!ok) throw invalid('attachments', `Attachment ${index + 1} needs an id, a name, a MIME type, a size and a URL.`);
      return { id: attachment.id, name: attachment.name, mimeType: attachment.mimeType, size: attachment.size, url: attachment.url };
    });
  }

  private readFilter<T extends string>(values: readonly T[] | undefined, allowed: readonly T[], field: string): Set<T> | null {
    if (values === undefined) return null;
    if (!Array.isArray(values)) throw invalid(field, `${field} must be a list.`);
    for (const value of values) {
      if (!allowed.includes(value)) throw invalid(field, `Unknown value ${JSON.stringify(value)} in ${field}; expected any of ${allowed.join(', ')}.`);
    }
    return new Set(values);
  }

  private readSubject(value: unknown): string {
    if (typeof value !== 'string' || value.trim() === '') throw invalid('subject', 'A ticket needs a subject.');
    const subject = value.trim();
    if (subject.length > MAX_SUBJECT_LENGTH) {
      throw invalid('subject', `The subject is ${subject.length} characters long; the limit is ${MAX_SUBJECT_LENGTH}.`);
    }
    return subject;
  }

  private readDescription(value: unknown): string {
    if (typeof value !== 'string') throw invalid('description', 'The description must be text (it may be empty).');
    if (value.length > MAX_TEXT_LENGTH) throw invalid('description', `The description is ${value.length} characters long; the limit is ${MAX_TEXT_LENGTH}.`);
    return value;
  }

  private readTicketType(value: unknown): Ticket['type'] {
    if (!TICKET_TYPES.includes(value as Ticket['type'])) {
      throw invalid('type', `The ticket type must be one of ${TICKET_TYPES.join(', ')}; got ${JSON.stringify(value)}.`);
    }
    return value as Ticket['type'];
  }

  private readPriority(value: unknown): Priority {
    if (!PRIORITIES.includes(value as Priority)) {
      throw invalid('priority', `The priority must be one of ${PRIORITIES.join(', ')}; got ${JSON.stringify(value)}.`);
    }
    return value as Priority;
  }

  private readAssignee(value: string | null): string | null {
    if (value === null) return null;
    if (!this.agentSummary(value)) throw notFound('Agent', String(value));
    return value;
  }

  private readGroup(value: string | null): string | null {
    if (value === null) return null;
    if (!this.queues.has(value)) throw notFound('Queue', String(value));
    return value;
  }

  private readDueAt(value: number | null): number | null {
    if (value === null) return null;
    if (typeof value !== 'number' || !Number.isFinite(value)) throw invalid('dueAt', 'The due time must be a time (epoch milliseconds) or null.');
    return value;
  }

  private rankArticles(text: string, locale: string | null, limit: number): KnowledgeHit[] {
    const terms = tokenize(text);
    if (terms.length === 0) return [];
    const total = this.articles.size;
    const perArticle = [...this.articles.values()].map((indexed) => ({
      indexed,
      counts: terms.map(({ term }) => ({
        title: countMatches(term, indexed.title, indexed.titleWords),
        tags: countMatches(term, indexed.tags, indexed.tagWords),
        body: countMatches(term, indexed.body, indexed.bodyWords),
      })),
    }));
    // Rare terms weigh more than common ones (the BM25 inverse document frequency: near zero for a term in every article).
    const idf = terms.map((_, termIndex) => {
      const documents = perArticle.filter(({ counts }) => {
        const count = counts[termIndex];
        return count !== undefined && count.title + count.tags + count.body > 0;
      }).length;
      return Math.log(1 + (total - documents + 0.5) / (documents + 0.5));
    });
    const totalWeight = terms.reduce((sum, { weight }) => sum + weight, 0);
    const hits: { hit: KnowledgeHit; local: boolean }[] = [];
    for (const { indexed, counts } of perArticle) {
      let score = 0;
      let matchedWeight = 0;
      counts.forEach((count, termIndex) => {
        const raw = 3 * Math.min(count.title, 2) + 2 * Math.min(count.tags, 2) + 0.5 * Math.min(count.body, 5);
        const weight = terms[termIndex]?.weight ?? 0;
        if (raw > 0) matchedWeight += weight;
        score += raw * weight * (idf[termIndex] ?? 0);
      });
      if (score <= 0.01) continue;
      // Articles that match more of the query rank above ones that repeat a single word.
      const coverage = matchedWeight / totalWeight;
      const final = Math.round(score * (0.5 + coverage) * 1000) / 1000;
      hits.push({ hit: { article: indexed.article, score: final }, local: locale !== null && sameLanguage(indexed.article.locale, locale) });
    }
    hits.sort((a, b) => Number(b.local) - Number(a.local) || b.hit.score - a.hit.score || (a.hit.article.id < b.hit.article.id ? -1 : 1));
    return hits.slice(0, limit).map(({ hit }) => deepFreeze(hit));
  }

  private runTraffic(options: TrafficOptions): void {
    this.traffic?.stop();
    this.traffic = new TrafficSimulator(this.trafficTarget(), options);
    this.traffic.start();
  }

  private trafficTarget(): TrafficTarget {
    return {
      channels: this.capabilities.channels,
      offersEnabled: this.capabilities.workOffers,
      customerIds: () => [...this.customers.keys()],
      customerLocale: (customerId) => this.customers.get(customerId)?.locale ?? null,
      activeConversationIds: () => [...this.conversations.values()].filter((conversation) => conversation.status !== 'resolved').map((conversation) => conversation.id),
      offerableConversationIds: () => {
        const offered = new Set([...this.offers.values()].map((offer) => offer.conversationId));
        return [...this.conversations.values()]
          .filter((conversation) => conversation.status === 'queued' && conversation.assigneeId === null && !offered.has(conversation.id))
          .map((conversation) => conversation.id);
      },
      conversationCustomerId: (conversationId) => this.conversations.get(conversationId)?.customerId ?? null,
      createConversation: (draft) => this.simulateNewConversation(draft).id,
      addInboundMessage: (conversationId, text) => {
        this.simulateInboundMessage(conversationId, text);
      },
      createOffer: (conversationId, ttlMs) => {
        this.simulateOffer(conversationId, ttlMs);
      },
    };
  }
}
