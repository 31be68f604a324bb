/**
 * The JSON seed format the MemoryConnector loads, and its validator.
 *
 * A seed is plain JSON so a host can keep its own demo or test data in a file. Most fields are optional and
 * get sensible defaults, and timestamps may be relative to load time (`"-15m"`), so data stays fresh.
 * `validateSeed` checks everything (types, enums, references, duplicate ids) and reports the first problem
 * with its exact path, then returns a {@link ResolvedSeed}: the same data with every default filled in and
 * every timestamp turned into epoch milliseconds. See docs/seed-format.md.
 */
import {
  CHANNELS,
  CONVERSATION_STATUSES,
  IDENTITY_KINDS,
  PERMISSIONS,
  PRESENCES,
  PRIORITIES,
  TICKET_STATUSES,
  TICKET_TYPES,
} from '../model.js';
import type {
  Agent,
  Attachment,
  CallRecord,
  CannedReply,
  Channel,
  Conversation,
  ConversationStatus,
  Customer,
  DeliveryState,
  EmailEnvelope,
  Identity,
  IdentityKind,
  KnowledgeArticle,
  Message,
  MessageDirection,
  Permission,
  Presence,
  Priority,
  Queue,
  Ticket,
  TicketComment,
  TicketStatus,
  TicketType,
} from '../model.js';

/** A timestamp in a seed: an ISO-8601 string, a relative offset such as `"-15m"` or `"now"`, or epoch milliseconds. */
export type SeedTime = string | number;

export interface SeedCapacity {
  readonly channel: Channel;
  readonly max: number;
}

export interface SeedAgent {
  readonly id: string;
  readonly name: string;
  readonly presence?: Presence;
  readonly capacity?: readonly SeedCapacity[];
  readonly queues?: readonly string[];
  /** The id of one of the seed's `roles`; without it the agent may do everything. */
  readonly role?: string;
}

export interface SeedOtherAgent {
  readonly id: string;
  readonly name: string;
  readonly presence?: Presence;
  /** The id of one of the seed's `roles`. */
  readonly role?: string;
}

/** A role: a named set of permissions that agents are given (see `Permission`). */
export interface SeedRole {
  readonly id: string;
  readonly name?: string;
  readonly permissions: readonly Permission[];
}

export interface SeedQueue {
  readonly id: string;
  readonly name: string;
}

export interface SeedIdentity {
  readonly kind: IdentityKind;
  readonly value: string;
}

export interface SeedCustomer {
  readonly id: string;
  readonly name: string;
  readonly avatarUrl?: string | null;
  readonly identities?: readonly SeedIdentity[];
  readonly vipLevel?: number;
  readonly tags?: readonly string[];
  readonly notes?: string;
  readonly locale?: string | null;
  readonly createdAt?: SeedTime;
}

export interface SeedConversation {
  readonly id: string;
  readonly channel: Channel;
  readonly customerId: string;
  readonly status?: ConversationStatus;
  readonly priority?: Priority;
  readonly assigneeId?: string | null;
  readonly queueId?: string | null;
  readonly subject?: string | null;
  readonly createdAt?: SeedTime;
  readonly lastMessageAt?: SeedTime;
  readonly lastMessagePreview?: string;
  readonly unreadCount?: number;
  readonly firstResponseDueAt?: SeedTime | null;
  readonly replyWindowEndsAt?: SeedTime | null;
}

export interface SeedAttachment {
  readonly id?: string;
  readonly name: string;
  readonly mimeType?: string;
  readonly size?: number;
  readonly url: string;
}

export interface SeedEmail {
  readonly subject: string;
  readonly from: string;
  readonly to?: readonly string[];
  readonly cc?: readonly string[];
  readonly html?: string | null;
}

export interface SeedCall {
  readonly durationSeconds: number;
  readonly disposition?: string | null;
  readonly recordingUrl?: string | null;
  readonly transcript?: string | null;
  readonly direction?: 'inbound' | 'outbound';
}

export interface SeedMessage {
  readonly id?: string;
  readonly conversationId: string;
  readonly direction: MessageDirection;
  readonly authorName?: string;
  readonly text?: string;
  readonly sentAt: SeedTime;
  readonly delivery?: DeliveryState;
  readonly attachments?: readonly SeedAttachment[];
  readonly email?: SeedEmail | null;
  readonly call?: SeedCall | null;
  readonly clientKey?: string | null;
}

export interface SeedTicketComment {
  readonly id?: string;
  readonly authorName: string;
  readonly body: string;
  readonly internal?: boolean;
  readonly createdAt: SeedTime;
}

export interface SeedTicket {
  readonly id: string;
  readonly customerId: string;
  readonly subject: string;
  readonly description?: string;
  readonly type?: TicketType;
  readonly priority?: Priority;
  readonly status?: TicketStatus;
  readonly assigneeId?: string | null;
  readonly groupId?: string | null;
  readonly sourceChannel?: Channel | null;
  readonly conversationIds?: readonly string[];
  readonly dueAt?: SeedTime | null;
  readonly createdAt?: SeedTime;
  readonly updatedAt?: SeedTime;
  readonly version?: number;
  readonly comments?: readonly SeedTicketComment[];
}

export interface SeedArticle {
  readonly id: string;
  readonly locale: string;
  readonly title: string;
  readonly body: string;
  readonly tags?: readonly string[];
  readonly updatedAt?: SeedTime;
}

/** A canned reply for the composer's `/` shortcut; `text` may contain `{customer.name}` and `{agent.name}`. */
export interface SeedCannedReply {
  readonly id: string;
  readonly shortcut: string;
  readonly title: string;
  readonly text: string;
  readonly locale: string;
}

/** The seed as a host writes it (JSON). Only `version` is required; every list defaults to empty. */
export interface Seed {
  readonly version: 1;
  /** The signed-in agent; defaults to `{ "id": "agent", "name": "Agent" }`. */
  readonly agent?: SeedAgent;
  /** Other agents, for transfers. */
  readonly agents?: readonly SeedOtherAgent[];
  /** Roles and their permissions; agents name theirs with `role`. */
  readonly roles?: readonly SeedRole[];
  readonly queues?: readonly SeedQueue[];
  readonly customers?: readonly SeedCustomer[];
  readonly conversations?: readonly SeedConversation[];
  readonly messages?: readonly SeedMessage[];
  readonly tickets?: readonly SeedTicket[];
  readonly articles?: readonly SeedArticle[];
  readonly cannedReplies?: readonly SeedCannedReply[];
}

export interface ResolvedSeedAgent {
  readonly id: string;
  readonly name: string;
  readonly presence: Presence;
  readonly capacity: readonly SeedCapacity[];
  readonly queues: readonly string[];
  readonly role?: string;
}

export interface ResolvedSeedRole {
  readonly id: string;
  readonly name: string;
  readonly permissions: readonly Permission[];
}

/** A validated seed: every default filled in and every timestamp resolved to epoch milliseconds. It is itself a valid seed. */
export interface ResolvedSeed extends Seed {
  readonly version: 1;
  readonly agent: ResolvedSeedAgent;
  readonly agents: readonly (Pick<Agent, 'id' | 'name' | 'presence'> & { readonly role?: string })[];
  readonly roles: readonly ResolvedSeedRole[];
  readonly queues: readonly Queue[];
  readonly customers: readonly Customer[];
  readonly conversations: readonly Conversation[];
  readonly messages: readonly Message[];
  readonly tickets: readonly Ticket[];
  readonly articles: readonly KnowledgeArticle[];
  readonly cannedReplies: readonly CannedReply[];
}

/** Thrown by {@link validateSeed}; `path` names the bad field, e.g. `customers[3].identities[0].kind`. */
export class SeedError extends Error {
  /** Where the problem is, e.g. `conversations[2].customerId`; empty when the whole input is at fault. */
  readonly path: string;
  /** For JSON text that does not parse: the character offset of the problem. */
  readonly position: number | null;

  constructor(path: string, message: string, position: number | null = null) {
    super(message);
    this.name = 'SeedError';
    this.path = path;
    this.position = position;
  }
}

export interface ValidateSeedOptions {
  /** The load time that relative timestamps are resolved against; defaults to `Date.now()`. */
  readonly now?: number;
}

/** How fast each channel expects a first response, and how long a free reply stays possible after the customer's last message. */
export interface ChannelPolicy {
  readonly firstResponseMs: number;
  /** null when the channel has no reply window. */
  readonly replyWindowMs: number | null;
}

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/** Channel service levels the MemoryConnector applies (first-response targets and platform reply windows). */
export const CHANNEL_POLICIES: Readonly<Record<Channel, ChannelPolicy>> = {
  phone: { firstResponseMs: 30 * SECOND, replyWindowMs: null },
  webchat: { firstResponseMs: 2 * MINUTE, replyWindowMs: null },
  wechat: { firstResponseMs: 5 * MINUTE, replyWindowMs: 48 * HOUR },
  douyin: { firstResponseMs: 3 * MINUTE, replyWindowMs: 48 * HOUR },
  sms: { firstResponseMs: 15 * MINUTE, replyWindowMs: null },
  email: { firstResponseMs: 24 * HOUR, replyWindowMs: null },
};

const PREVIEW_LENGTH = 140;

/** The list preview of a message: its text, or what stands in for it (email subject, attachment name). */
export function previewOf(message: Pick<Message, 'text' | 'email' | 'attachments' | 'call'>): string {
  const text = message.text.replace(/\s+/g, ' ').trim();
  const fallback = message.email?.subject ?? message.attachments[0]?.name ?? '';
  const preview = text || fallback;
  return preview.length > PREVIEW_LENGTH ? `${preview.slice(0, PREVIEW_LENGTH - 1)}…` : preview;
}

// ---------------------------------------------------------------------------------------------------------
// Reading values with readable errors

type JsonObject = Record<string, unknown>;

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (typeof value === 'string') {
    const shown = value.length > 60 ? `${value.slice(0, 57)}...` : value;
    return JSON.stringify(shown);
  }
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return 'an array';
  return 'an object';
}

function fail(path: string, expected: string, found: unknown): never {
  throw new SeedError(path, `Seed is invalid at ${path || 'the top level'}: expected ${expected} but found ${describe(found)}`);
}

function failWith(path: string, detail: string): never {
  throw new SeedError(path, `Seed is invalid at ${path || 'the top level'}: ${detail}`);
}

const join = (path: string, key: string): string => (path ? `${path}.${key}` : key);

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function asObject(value: unknown, path: string, what = 'an object'): JsonObject {
  if (!isObject(value)) fail(path, what, value);
  return value;
}

function checkFields(object: JsonObject, allowed: readonly string[], path: string): void {
  for (const key of Object.keys(object)) {
    if (!allowed.includes(key)) {
      failWith(join(path, key), `this field is unknown; expected only the fields ${allowed.join(', ')}`);
    }
  }
}

function requiredString(object: JsonObject, key: string, path: string): string {
  const value = object[key];
  if (typeof value !== 'string' || value.trim() === '') fail(join(path, key), 'a non-empty string', value);
  return value;
}

function optionalString(object: JsonObject, key: string, path: string, fallback: string): string {
  const value = object[key];
  if (value === undefined) return fallback;
  if (typeof value !== 'string') fail(join(path, key), 'a string', value);
  return value;
}

function nullableString(object: JsonObject, key: string, path: string): string | null {
  const value = object[key];
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') fail(join(path, key), 'a string or null', value);
  return value;
}

function optionalBoolean(object: JsonObject, key: string, path: string, fallback: boolean): boolean {
  const value = object[key];
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') fail(join(path, key), 'true or false', value);
  return value;
}

function optionalInteger(object: JsonObject, key: string, path: string, fallback: number, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const value = object[key];
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `an integer of at least ${min}` : `an integer from ${min} to ${max}`;
    fail(join(path, key), range, value);
  }
  return value;
}

function oneOf<T extends string>(value: unknown, values: readonly T[], path: string): T {
  if (typeof value !== 'string' || !(values as readonly string[]).includes(value)) {
    fail(path, `one of ${values.join(', ')}`, value);
  }
  return value as T;
}

function optionalEnum<T extends string>(object: JsonObject, key: string, path: string, values: readonly T[], fallback: T): T {
  const value = object[key];
  return value === undefined ? fallback : oneOf(value, values, join(path, key));
}

function optionalArray(object: JsonObject, key: string, path: string): readonly unknown[] {
  const value = object[key];
  if (value === undefined) return [];
  if (!Array.isArray(value)) fail(join(path, key), 'an array', value);
  return value;
}

function stringList(object: JsonObject, key: string, path: string): string[] {
  return optionalArray(object, key, path).map((item, index) => {
    if (typeof item !== 'string' || item.trim() === '') fail(`${join(path, key)}[${index}]`, 'a non-empty string', item);
    return item;
  });
}

const ISO_8601 = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;
const RELATIVE = /^([+-])(\d+(?:\.\d+)?)(ms|s|m|h|d|w)$/;
const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: SECOND, m: MINUTE, h: HOUR, d: 24 * HOUR, w: 7 * 24 * HOUR };
const TIME_EXPECTED =
  'a timestamp (an ISO-8601 string such as "2024-05-01T09:30:00Z", a relative offset such as "-15m", "+30s", "-2h" or "-3d", "now", or epoch milliseconds)';

/** Resolves a seed timestamp against `now`; returns null when the value is not a timestamp. */
export function parseSeedTime(value: unknown, now: number): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value !== 'string') return null;
  const text = value.trim();
  if (text === 'now') return now;
  const relative = RELATIVE.exec(text);
  if (relative) {
    const [, sign, amount, unit] = relative;
    const ms = Number(amount) * (UNIT_MS[unit ?? ''] ?? 0);
    return Math.round(sign === '-' ? now - ms : now + ms);
  }
  if (!ISO_8601.test(text)) return null;
  const parsed = Date.parse(text);
  return Number.isNaN(parsed) ? null : parsed;
}

function readTime(value: unknown, path: string, now: number): number {
  const time = parseSeedTime(value, now);
  if (time === null) fail(path, TIME_EXPECTED, value);
  return time;
}

function optionalTime(object: JsonObject, key: string, path: string, now: number): number | undefined {
  const value = object[key];
  return value === undefined ? undefined : readTime(value, join(path, key), now);
}

/** `undefined` when absent (so a default can apply), `null` when explicitly null. */
function nullableTime(object: JsonObject, key: string, path: string, now: number): number | null | undefined {
  const value = object[key];
  if (value === undefined) return undefined;
  if (value === null) return null;
  return readTime(value, join(path, key), now);
}

/** Remembers the ids of one collection so duplicates and dangling references read well. */
class IdRegistry {
  private readonly firstUse = new Map<string, string>();

  constructor(private readonly what: string) {}

  add(id: string, path: string): void {
    const earlier = this.firstUse.get(id);
    if (earlier !== undefined) {
      failWith(path, `the ${this.what} id ${JSON.stringify(id)} is already used by ${earlier}; ids must be unique`);
    }
    this.firstUse.set(id, path);
  }

  has(id: string): boolean {
    return this.firstUse.has(id);
  }

  require(id: string, path: string, collection: string): void {
    if (!this.firstUse.has(id)) fail(path, `the id of a ${this.what} in ${collection}`, id);
  }
}

// ---------------------------------------------------------------------------------------------------------
// JSON text

/** Finds where JSON text stops being valid, for a readable parse error (JSON.parse messages vary by engine). */
function locateJsonError(text: string): { position: number; problem: string } {
  let index = 0;
  const at = (): string | undefined => text[index];
  const skipSpace = (): void => {
    while (index < text.length && ' \t\n\r'.includes(text[index] ?? '')) index += 1;
  };
  class Stop extends Error {
    constructor(readonly problem: string) {
      super(problem);
    }
  }
  const found = (): string => (index >= text.length ? 'the end of the text' : JSON.stringify(at()));
  const expect = (what: string): never => {
    throw new Stop(`expected ${what} but found ${found()}`);
  };
  const parseString = (): void => {
    index += 1;
    while (index < text.length) {
      const char = at();
      if (char === '"') {
        index += 1;
        return;
      }
      if (char === '\\') {
        const escape = text[index + 1] ?? '';
        if (escape === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(index + 2, index + 6))) {
            index += 2;
            expect('four hex digits after \\u');
          }
          index += 6;
        } else if ('"\\/bfnrt'.includes(escape) && escape !== '') {
          index += 2;
        } else {
          index += 1;
          expect('a valid escape such as \\n or \\"');
        }
      } else if ((char ?? '').charCodeAt(0) < 0x20) {
        expect('a closing quote (strings cannot span lines)');
      } else {
        index += 1;
      }
    }
    expect('a closing quote');
  };
  const parseValue = (): void => {
    skipSpace();
    const char = at();
    if (char === '{') {
      index += 1;
      skipSpace();
      if (at() === '}') {
        index += 1;
        return;
      }
      for (;;) {
        skipSpace();
        if (at() !== '"') expect('a property name in double quotes');
        parseString();
        skipSpace();
        if (at() !== ':') expect('a colon after the property name');
        index += 1;
        parseValue();
        skipSpace();
        if (at() === ',') {
          index += 1;
          continue;
        }
        if (at() === '}') {
          index += 1;
          return;
        }
        expect('a comma or a closing brace');
      }
    }
    if (char === '[') {
      index += 1;
      skipSpace();
      if (at() === ']') {
        index += 1;
        return;
      }
      for (;;) {
        parseValue();
        skipSpace();
        if (at() === ',') {
          index += 1;
          continue;
        }
        if (at() === ']') {
          index += 1;
          return;
        }
        expect('a comma or a closing bracket');
      }
    }
    if (char === '"') return parseString();
    const literal = /^(?:true|false|null|-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?)/.exec(text.slice(index, index + 400));
    if (literal) {
      index += literal[0].length;
      return;
    }
    expect('a value (an object, array, string, number, true, false or null)');
  };
  try {
    parseValue();
    skipSpace();
    if (index < text.length) expect('the end of the text');
    return { position: index, problem: 'the text is not valid JSON' };
  } catch (error) {
    if (error instanceof Stop) return { position: index, problem: error.problem };
    throw error;
  }
}

function parseSeedJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    const { position, problem } = locateJsonError(text);
    const before = text.slice(0, position);
    const line = before.split('\n').length;
    const column = position - before.lastIndexOf('\n');
    throw new SeedError('', `Seed is not valid JSON at line ${line}, column ${column} (position ${position}): ${problem}`, position);
  }
}

// ---------------------------------------------------------------------------------------------------------
// Records

const SEED_FIELDS = ['version', 'agent', 'agents', 'roles', 'queues', 'customers', 'conversations', 'messages', 'tickets', 'articles', 'cannedReplies'];
const AGENT_FIELDS = ['id', 'name', 'presence', 'capacity', 'queues', 'role'];
const OTHER_AGENT_FIELDS = ['id', 'name', 'presence', 'role'];
const ROLE_FIELDS = ['id', 'name', 'permissions'];
const QUEUE_FIELDS = ['id', 'name'];
const CUSTOMER_FIELDS = ['id', 'name', 'avatarUrl', 'identities', 'vipLevel', 'tags', 'notes', 'locale', 'createdAt'];
const CONVERSATION_FIELDS = [
  'id', 'channel', 'customerId', 'status', 'priority', 'assigneeId', 'queueId', 'subject', 'createdAt',
  'lastMessageAt', 'lastMessagePreview', 'unreadCount', 'firstResponseDueAt', 'replyWindowEndsAt',
];
const MESSAGE_FIELDS = ['id', 'conversationId', 'direction', 'authorName', 'text', 'sentAt', 'delivery', 'attachments', 'email', 'call', 'clientKey'];
const TICKET_FIELDS = [
  'id', 'customerId', 'subject', 'description', 'type', 'priority', 'status', 'assigneeId', 'groupId',
  'sourceChannel', 'conversationIds', 'dueAt', 'createdAt', 'updatedAt', 'version', 'comments',
];
const ARTICLE_FIELDS = ['id', 'locale', 'title', 'body', 'tags', 'updatedAt'];
const CANNED_REPLY_FIELDS = ['id', 'shortcut', 'title', 'text', 'locale'];
const MESSAGE_DIRECTIONS: readonly MessageDirection[] = ['inbound', 'outbound', 'internal', 'system'];
const DELIVERY_STATES: readonly DeliveryState[] = ['sending', 'sent', 'delivered', 'read', 'failed'];

/** Default per-channel capacity of the signed-in agent. */
export const DEFAULT_CAPACITY: Readonly<Record<Channel, number>> = { phone: 1, webchat: 3, email: 5, sms: 3, wechat: 3, douyin: 3 };

const MIME_BY_EXTENSION: Readonly<Record<string, string>> = {
  png: 'image/png', jpg: 'image/jpeg', jpeg: 'image/jpeg', gif: 'image/gif', webp: 'image/webp', svg: 'image/svg+xml',
  pdf: 'application/pdf', txt: 'text/plain', csv: 'text/csv', mp3: 'audio/mpeg', wav: 'audio/wav', mp4: 'video/mp4',
  zip: 'application/zip', doc: 'application/msword', docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
};

function guessMimeType(name: string): string {
  const extension = name.split('.').pop()?.toLowerCase() ?? '';
  return MIME_BY_EXTENSION[extension] ?? 'application/octet-stream';
}

function readRoleReference(object: JsonObject, path: string, roleIds: IdRegistry): { role?: string } {
  if (object['role'] === undefined) return {};
  const role = requiredString(object, 'role', path);
  roleIds.require(role, join(path, 'role'), 'roles');
  return { role };
}

function readRole(value: unknown, path: string): ResolvedSeedRole {
  const object = asObject(value, path);
  checkFields(object, ROLE_FIELDS, path);
  const id = requiredString(object, 'id', path);
  const permissionsPath = join(path, 'permissions');
  if (!Array.isArray(object['permissions'])) fail(permissionsPath, 'an array of permissions (it may be empty)', object['permissions']);
  const permissions = optionalArray(object, 'permissions', path).map((item, index) => oneOf(item, PERMISSIONS, `${permissionsPath}[${index}]`));
  return { id, name: object['name'] === undefined ? id : requiredString(object, 'name', path), permissions: [...new Set(permissions)] };
}

function readAgent(value: unknown, queueIds: IdRegistry, roleIds: IdRegistry): ResolvedSeedAgent {
  if (value === undefined) return { id: 'agent', name: 'Agent', presence: 'available', capacity: defaultCapacity(), queues: [] };
  const path = 'agent';
  const object = asObject(value, path);
  checkFields(object, AGENT_FIELDS, path);
  const seen = new Set<Channel>();
  const capacityPath = join(path, 'capacity');
  const capacity = object['capacity'] === undefined
    ? defaultCapacity()
    : optionalArray(object, 'capacity', path).map((item, index): SeedCapacity => {
        const itemPath = `${capacityPath}[${index}]`;
        const entry = asObject(item, itemPath);
        checkFields(entry, ['channel', 'max'], itemPath);
        const channel = oneOf(entry['channel'], CHANNELS, join(itemPath, 'channel'));
        if (seen.has(channel)) fail(join(itemPath, 'channel'), 'each channel once', channel);
        seen.add(channel);
        const max = entry['max'];
        if (typeof max !== 'number' || !Number.isInteger(max) || max < 0 || max > 100) {
          fail(join(itemPath, 'max'), 'an integer from 0 to 100', max);
        }
        return { channel, max };
      });
  const queues = stringList(object, 'queues', path);
  queues.forEach((queueId, index) => queueIds.require(queueId, `${join(path, 'queues')}[${index}]`, 'queues'));
  return {
    id: requiredString(object, 'id', path),
    name: requiredString(object, 'name', path),
    presence: optionalEnum(object, 'presence', path, PRESENCES, 'available'),
    capacity,
    queues,
    ...readRoleReference(object, path, roleIds),
  };
}

function defaultCapacity(): SeedCapacity[] {
  return CHANNELS.map((channel) => ({ channel, max: DEFAULT_CAPACITY[channel] }));
}

function readCustomer(value: unknown, path: string, now: number): Customer {
  const object = asObject(value, path);
  checkFields(object, CUSTOMER_FIELDS, path);
  const identitiesPath = join(path, 'identities');
  const identities = optionalArray(object, 'identities', path).map((item, index): Identity => {
    const itemPath = `${identitiesPath}[${index}]`;
    const identity = asObject(item, itemPath);
    checkFields(identity, ['kind', 'value'], itemPath);
    return { kind: oneOf(identity['kind'], IDENTITY_KINDS, join(itemPath, 'kind')), value: requiredString(identity, 'value', itemPath) };
  });
  return {
    id: requiredString(object, 'id', path),
    name: requiredString(object, 'name', path),
    avatarUrl: nullableString(object, 'avatarUrl', path),
    identities,
    vipLevel: optionalInteger(object, 'vipLevel', path, 0, 0, 10),
    tags: stringList(object, 'tags', path),
    notes: optionalString(object, 'notes', path, ''),
    locale: nullableString(object, 'locale', path),
    createdAt: optionalTime(object, 'createdAt', path, now) ?? now,
  };
}

function readAttachment(value: unknown, path: string, fallbackId: string): Attachment {
  const object = asObject(value, path);
  checkFields(object, ['id', 'name', 'mimeType', 'size', 'url'], path);
  const name = requiredString(object, 'name', path);
  return {
    id: object['id'] === undefined ? fallbackId : requiredString(object, 'id', path),
    name,
    mimeType: object['mimeType'] === undefined ? guessMimeType(name) : requiredString(object, 'mimeType', path),
    size: optionalInteger(object, 'size', path, 0, 0),
    url: requiredString(object, 'url', path),
  };
}

function readEmail(value: unknown, path: string): EmailEnvelope | null {
  if (value === undefined || value === null) return null;
  const object = asObject(value, path, 'an object or null');
  checkFields(object, ['subject', 'from', 'to', 'cc', 'html'], path);
  return {
    subject: optionalString(object, 'subject', path, ''),
    from: requiredString(object, 'from', path),
    to: stringList(object, 'to', path),
    cc: stringList(object, 'cc', path),
    html: nullableString(object, 'html', path),
  };
}

function readCall(value: unknown, path: string, direction: MessageDirection): CallRecord | null {
  if (value === undefined || value === null) return null;
  const object = asObject(value, path, 'an object or null');
  checkFields(object, ['durationSeconds', 'disposition', 'recordingUrl', 'transcript', 'direction'], path);
  const duration = object['durationSeconds'];
  if (typeof duration !== 'number' || !Number.isFinite(duration) || duration < 0) {
    fail(join(path, 'durationSeconds'), 'a number of seconds, 0 or more', duration);
  }
  return {
    durationSeconds: duration,
    disposition: nullableString(object, 'disposition', path),
    recordingUrl: nullableString(object, 'recordingUrl', path),
    transcript: nullableString(object, 'transcript', path),
    direction: optionalEnum(object, 'direction', path, ['inbound', 'outbound'] as const, direction === 'outbound' ? 'outbound' : 'inbound'),
  };
}

interface RawConversation {
  readonly object: JsonObject;
  readonly path: string;
  readonly id: string;
  readonly channel: Channel;
  readonly customerId: string;
}

function readTicketComment(value: unknown, path: string, fallbackId: string, now: number): TicketComment {
  const object = asObject(value, path);
  checkFields(object, ['id', 'authorName', 'body', 'internal', 'createdAt'], path);
  return {
    id: object['id'] === undefined ? fallbackId : requiredString(object, 'id', path),
    authorName: requiredString(object, 'authorName', path),
    body: requiredString(object, 'body', path),
    internal: optionalBoolean(object, 'internal', path, false),
    createdAt: readTime(object['createdAt'], join(path, 'createdAt'), now),
  };
}

function readArticle(value: unknown, path: string, now: number): KnowledgeArticle {
  const object = asObject(value, path);
  checkFields(object, ARTICLE_FIELDS, path);
  return {
    id: requiredString(object, 'id', path),
    locale: requiredString(object, 'locale', path),
    title: requiredString(object, 'title', path),
    body: requiredString(object, 'body', path),
    tags: stringList(object, 'tags', path),
    updatedAt: optionalTime(object, 'updatedAt', path, now) ?? now,
  };
}

function readCannedReply(value: unknown, path: string): CannedReply {
  const object = asObject(value, path);
  checkFields(object, CANNED_REPLY_FIELDS, path);
  const shortcut = requiredString(object, 'shortcut', path);
  // The agent types it after "/", and a space ends what they type.
  if (/\s/u.test(shortcut)) fail(join(path, 'shortcut'), 'one word without spaces', shortcut);
  return {
    id: requiredString(object, 'id', path),
    shortcut,
    title: requiredString(object, 'title', path),
    text: requiredString(object, 'text', path),
    locale: requiredString(object, 'locale', path),
  };
}

/**
 * Validates a seed (an object, or JSON text) and resolves it: defaults filled in, relative timestamps turned
 * into epoch milliseconds against `options.now`. Throws {@link SeedError} naming the first bad field.
 */
export function validateSeed(input: unknown, options: ValidateSeedOptions = {}): ResolvedSeed {
  const now = options.now ?? Date.now();
  const root = asObject(typeof input === 'string' ? parseSeedJson(input) : input, '', 'a seed object');
  checkFields(root, SEED_FIELDS, '');
  if (root['version'] !== 1) fail('version', 'the format version 1', root['version']);

  const queueIds = new IdRegistry('queue');
  const queues = optionalArray(root, 'queues', '').map((item, index): Queue => {
    const path = `queues[${index}]`;
    const object = asObject(item, path);
    checkFields(object, QUEUE_FIELDS, path);
    const queue = { id: requiredString(object, 'id', path), name: requiredString(object, 'name', path) };
    queueIds.add(queue.id, join(path, 'id'));
    return queue;
  });

  const roleIds = new IdRegistry('role');
  const roles = optionalArray(root, 'roles', '').map((item, index) => {
    const path = `roles[${index}]`;
    const role = readRole(item, path);
    roleIds.add(role.id, join(path, 'id'));
    return role;
  });

  const agentIds = new IdRegistry('agent');
  const agent = readAgent(root['agent'], queueIds, roleIds);
  agentIds.add(agent.id, 'agent.id');
  const agents = optionalArray(root, 'agents', '').map((item, index) => {
    const path = `agents[${index}]`;
    const object = asObject(item, path);
    checkFields(object, OTHER_AGENT_FIELDS, path);
    const other = {
      id: requiredString(object, 'id', path),
      name: requiredString(object, 'name', path),
      presence: optionalEnum(object, 'presence', path, PRESENCES, 'available'),
      ...readRoleReference(object, path, roleIds),
    };
    agentIds.add(other.id, join(path, 'id'));
    return other;
  });
  // The signed-in agent belongs to every queue unless the seed says otherwise.
  const resolvedAgent = root['agent'] !== undefined && isObject(root['agent']) && root['agent']['queues'] !== undefined
    ? agent
    : { ...agent, queues: queues.map((queue) => queue.id) };

  const customerIds = new IdRegistry('customer');
  const customers = optionalArray(root, 'customers', '').map((item, index) => {
    const path = `customers[${index}]`;
    const customer = readCustomer(item, path, now);
    customerIds.add(customer.id, join(path, 'id'));
    return customer;
  });
  const customerNames = new Map(customers.map((customer) => [customer.id, customer.name]));

  const conversationIds = new IdRegistry('conversation');
  const rawConversations = optionalArray(root, 'conversations', '').map((item, index): RawConversation => {
    const path = `conversations[${index}]`;
    const object = asObject(item, path);
    checkFields(object, CONVERSATION_FIELDS, path);
    const id = requiredString(object, 'id', path);
    conversationIds.add(id, join(path, 'id'));
    const channel = oneOf(object['channel'], CHANNELS, join(path, 'channel'));
    const customerId = requiredString(object, 'customerId', path);
    customerIds.require(customerId, join(path, 'customerId'), 'customers');
    return { object, path, id, channel, customerId };
  });
  const conversationsById = new Map(rawConversations.map((raw) => [raw.id, raw]));

  const messageIds = new IdRegistry('message');
  const messagesByConversation = new Map<string, Message[]>();
  const messages = optionalArray(root, 'messages', '').map((item, index): Message => {
    const path = `messages[${index}]`;
    const object = asObject(item, path);
    checkFields(object, MESSAGE_FIELDS, path);
    const conversationId = requiredString(object, 'conversationId', path);
    const conversation = conversationsById.get(conversationId);
    if (!conversation) fail(join(path, 'conversationId'), 'the id of a conversation in conversations', conversationId);
    const id = object['id'] === undefined ? `${conversationId}-m${index + 1}` : requiredString(object, 'id', path);
    messageIds.add(id, join(path, 'id'));
    const direction = oneOf(object['direction'], MESSAGE_DIRECTIONS, join(path, 'direction'));
    const defaultAuthor =
      direction === 'inbound' ? (customerNames.get(conversation.customerId) ?? 'Customer') : direction === 'system' ? 'System' : resolvedAgent.name;
    const attachmentsPath = join(path, 'attachments');
    const message: Message = {
      id,
      conversationId,
      direction,
      authorName: object['authorName'] === undefined ? defaultAuthor : requiredString(object, 'authorName', path),
      text: optionalString(object, 'text', path, ''),
      sentAt: readTime(object['sentAt'], join(path, 'sentAt'), now),
      delivery: optionalEnum(object, 'delivery', path, DELIVERY_STATES, 'delivered'),
      attachments: optionalArray(object, 'attachments', path).map((attachment, attachmentIndex) =>
        readAttachment(attachment, `${attachmentsPath}[${attachmentIndex}]`, `${id}-a${attachmentIndex + 1}`),
      ),
      email: readEmail(object['email'], join(path, 'email')),
      call: readCall(object['call'], join(path, 'call'), direction),
      clientKey: nullableString(object, 'clientKey', path),
    };
    const list = messagesByConversation.get(conversationId);
    if (list) list.push(message);
    else messagesByConversation.set(conversationId, [message]);
    return message;
  });

  const conversations = rawConversations.map((raw) =>
    resolveConversation(raw, messagesByConversation.get(raw.id) ?? [], now, agentIds, queueIds),
  );

  const ticketIds = new IdRegistry('ticket');
  const channelOf = new Map(rawConversations.map((raw) => [raw.id, raw.channel]));
  const tickets = optionalArray(root, 'tickets', '').map((item, index): Ticket => {
    const path = `tickets[${index}]`;
    const object = asObject(item, path);
    checkFields(object, TICKET_FIELDS, path);
    const id = requiredString(object, 'id', path);
    ticketIds.add(id, join(path, 'id'));
    const customerId = requiredString(object, 'customerId', path);
    customerIds.require(customerId, join(path, 'customerId'), 'customers');
    const linked = stringList(object, 'conversationIds', path);
    linked.forEach((conversationId, linkIndex) =>
      conversationIds.require(conversationId, `${join(path, 'conversationIds')}[${linkIndex}]`, 'conversations'),
    );
    const assigneeId = nullableString(object, 'assigneeId', path);
    if (assigneeId !== null) agentIds.require(assigneeId, join(path, 'assigneeId'), 'agent or agents');
    const groupId = nullableString(object, 'groupId', path);
    if (groupId !== null) queueIds.require(groupId, join(path, 'groupId'), 'queues');
    const createdAt = optionalTime(object, 'createdAt', path, now) ?? now;
    const commentIds = new IdRegistry('comment');
    const commentsPath = join(path, 'comments');
    const comments = optionalArray(object, 'comments', path).map((comment, commentIndex) => {
      const commentPath = `${commentsPath}[${commentIndex}]`;
      const resolved = readTicketComment(comment, commentPath, `${id}-c${commentIndex + 1}`, now);
      commentIds.add(resolved.id, join(commentPath, 'id'));
      return resolved;
    });
    const sourceChannel = object['sourceChannel'];
    const firstLinkedChannel = linked[0] === undefined ? null : (channelOf.get(linked[0]) ?? null);
    return {
      id,
      customerId,
      subject: requiredString(object, 'subject', path),
      description: optionalString(object, 'description', path, ''),
      type: optionalEnum(object, 'type', path, TICKET_TYPES, 'question'),
      priority: optionalEnum(object, 'priority', path, PRIORITIES, 'normal'),
      status: optionalEnum(object, 'status', path, TICKET_STATUSES, 'new'),
      assigneeId,
      groupId,
      sourceChannel:
        sourceChannel === undefined ? firstLinkedChannel : sourceChannel === null ? null : oneOf(sourceChannel, CHANNELS, join(path, 'sourceChannel')),
      conversationIds: linked,
      dueAt: nullableTime(object, 'dueAt', path, now) ?? null,
      createdAt,
      updatedAt: optionalTime(object, 'updatedAt', path, now) ?? Math.max(createdAt, ...comments.map((comment) => comment.createdAt)),
      version: optionalInteger(object, 'version', path, 1, 1),
      comments,
    };
  });

  const articleIds = new IdRegistry('article');
  const articles = optionalArray(root, 'articles', '').map((item, index) => {
    const path = `articles[${index}]`;
    const article = readArticle(item, path, now);
    articleIds.add(article.id, join(path, 'id'));
    return article;
  });

  const cannedReplyIds = new IdRegistry('canned reply');
  const cannedReplies = optionalArray(root, 'cannedReplies', '').map((item, index) => {
    const path = `cannedReplies[${index}]`;
    const reply = readCannedReply(item, path);
    cannedReplyIds.add(reply.id, join(path, 'id'));
    return reply;
  });

  return { version: 1, agent: resolvedAgent, agents, roles, queues, customers, conversations, messages, tickets, articles, cannedReplies };
}

function resolveConversation(
  raw: RawConversation,
  messages: readonly Message[],
  now: number,
  agentIds: IdRegistry,
  queueIds: IdRegistry,
): Conversation {
  const { object, path, channel } = raw;
  const assigneeId = nullableString(object, 'assigneeId', path);
  if (assigneeId !== null) agentIds.require(assigneeId, join(path, 'assigneeId'), 'agent or agents');
  const queueId = nullableString(object, 'queueId', path);
  if (queueId !== null) queueIds.require(queueId, join(path, 'queueId'), 'queues');
  const status = optionalEnum(object, 'status', path, CONVERSATION_STATUSES, assigneeId === null ? 'queued' : 'open');

  let earliest = Number.POSITIVE_INFINITY;
  let latest: Message | null = null;
  let latestVisible: Message | null = null;
  let firstInbound: Message | null = null;
  let lastInbound: Message | null = null;
  let lastReplyAt = Number.NEGATIVE_INFINITY;
  for (const message of messages) {
    earliest = Math.min(earliest, message.sentAt);
    if (!latest || message.sentAt >= latest.sentAt) latest = message;
    if ((message.direction === 'inbound' || message.direction === 'outbound') && (!latestVisible || message.sentAt >= latestVisible.sentAt)) {
      latestVisible = message;
    }
    if (message.direction === 'inbound') {
      if (!firstInbound || message.sentAt < firstInbound.sentAt) firstInbound = message;
      if (!lastInbound || message.sentAt >= lastInbound.sentAt) lastInbound = message;
    }
    // A connected call is a response too, even though the record is filed as the customer's inbound call.
    const answeredCall = message.call !== null && message.call.durationSeconds > 0;
    if (message.direction === 'outbound' || answeredCall) lastReplyAt = Math.max(lastReplyAt, message.sentAt);
  }
  const createdAt = optionalTime(object, 'createdAt', path, now) ?? (messages.length > 0 ? earliest : now);
  const lastMessageAt = optionalTime(object, 'lastMessageAt', path, now) ?? latestVisible?.sentAt ?? latest?.sentAt ?? createdAt;
  const previewSource = latestVisible ?? latest;
  const answered = lastReplyAt > Number.NEGATIVE_INFINITY;
  const unreadDefault =
    status === 'resolved'
      ? 0
      : messages.filter((message) => message.direction === 'inbound' && message.call === null && message.sentAt > lastReplyAt).length;
  const policy = CHANNEL_POLICIES[channel];
  const firstResponseDefault =
    status !== 'resolved' && !answered ? (firstInbound?.sentAt ?? createdAt) + policy.firstResponseMs : null;
  const replyWindowDefault = policy.replyWindowMs === null ? null : (lastInbound?.sentAt ?? createdAt) + policy.replyWindowMs;
  const subjectDefault = messages.find((message) => message.email !== null)?.email?.subject ?? null;
  const subject = object['subject'] === undefined ? subjectDefault : nullableString(object, 'subject', path);
  const firstResponseDueAt = nullableTime(object, 'firstResponseDueAt', path, now);
  const replyWindowEndsAt = nullableTime(object, 'replyWindowEndsAt', path, now);
  return {
    id: raw.id,
    channel,
    customerId: raw.customerId,
    status,
    priority: optionalEnum(object, 'priority', path, PRIORITIES, 'normal'),
    assigneeId,
    queueId,
    subject,
    createdAt,
    lastMessageAt,
    lastMessagePreview: optionalString(object, 'lastMessagePreview', path, previewSource ? previewOf(previewSource) : (subject ?? '')),
    unreadCount: optionalInteger(object, 'unreadCount', path, unreadDefault, 0),
    firstResponseDueAt: firstResponseDueAt === undefined ? firstResponseDefault : firstResponseDueAt,
    replyWindowEndsAt: replyWindowEndsAt === undefined ? replyWindowDefault : replyWindowEndsAt,
  };
}
