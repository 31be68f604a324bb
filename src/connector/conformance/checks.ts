/**
 * The connector conformance checks. Each one is generic: it discovers its data through the contract
 * (the session's agent, listConversations, the customer of a conversation, …) and never assumes the ids of a
 * particular backend. Writes use unique text, tags and keys, so the suite can run against a shared backend
 * again and again.
 */
import type {
  Agent,
  Channel,
  Conversation,
  ConversationStatus,
  Customer,
  Identity,
  KnowledgeArticle,
  KnowledgeHit,
  Message,
  Permission,
  Presence,
  Ticket,
  TicketStatus,
  WorkOffer,
} from '../model.js';
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
  ConnectionState,
  Connector,
  ConnectorCapabilities,
  ConnectorEvent,
  ConversationQuery,
  Page,
  Session,
  Snapshot,
} from '../connector.js';
import {
  ensure,
  expectConnectorError,
  expectArray,
  expectBoolean,
  expectDeepEqual,
  expectEqual,
  expectNullableNumber,
  expectNullableString,
  expectNumber,
  expectOneOf,
  expectRecord,
  expectRejection,
  expectString,
  describeError,
  fail,
  show,
  skip,
} from './assert.js';

/** The capability flags (every capability except the channel list). */
export type ConnectorCapabilityFlag = {
  [K in keyof ConnectorCapabilities]: ConnectorCapabilities[K] extends boolean ? K : never;
}[keyof ConnectorCapabilities];

export const CAPABILITY_FLAGS: readonly ConnectorCapabilityFlag[] = [
  'conversations',
  'customers',
  'customerMerge',
  'tickets',
  'knowledge',
  'telephony',
  'workOffers',
  'cannedReplies',
];

export interface WaitForEventOptions {
  /** Fail with a message naming the missing event after this long. Defaults to half the check timeout. */
  readonly withinMs?: number;
}

/** What a check gets: a fresh connector from the factory, already connected, with its events recorded. */
export interface ConformanceContext {
  readonly connector: Connector;
  readonly session: Session;
  /** Every event `events$` delivered since just before `connect()`, in arrival order. */
  readonly events: readonly ConnectorEvent[];
  /** Resolves with the first recorded event, past or future, that matches; fails naming `description`. */
  waitForEvent(description: string, match: (event: ConnectorEvent) => boolean, options?: WaitForEventOptions): Promise<ConnectorEvent>;
  /** Another connector from the factory, not connected; it is disconnected after the check. */
  createConnector(): Promise<Connector>;
  /** Aborted when the check times out. */
  readonly signal: AbortSignal;
  /** A value no earlier run used, for text, tags and idempotency keys. */
  unique(label: string): string;
}

export interface ConformanceCheck {
  readonly group: string;
  readonly name: string;
  /** Reported as skipped when the connector's capability is not `true`. */
  readonly requires?: ConnectorCapabilityFlag;
  run(ctx: ConformanceContext): Promise<void>;
}

export function conformanceCheckId(check: Pick<ConformanceCheck, 'group' | 'name'>): string {
  return `${check.group} › ${check.name}`;
}

// ---------------------------------------------------------------------------------------------------------
// Shape validation: a connector written in plain JavaScript or speaking JSON can return anything.

function expectId(value: unknown, what: string): asserts value is string {
  expectString(value, what, { nonEmpty: true });
}

function expectStringArray(value: unknown, what: string): asserts value is readonly string[] {
  expectArray(value, what);
  value.forEach((item, index) => expectString(item, `${what}[${index}]`));
}

export function expectAgent(value: unknown, what: string): asserts value is Agent {
  expectRecord(value, what);
  expectId(value.id, `${what}.id`);
  expectString(value.name, `${what}.name`);
  expectOneOf(value.presence, PRESENCES, `${what}.presence`);
  expectArray(value.capacity, `${what}.capacity`);
  value.capacity.forEach((entry, index) => {
    const where = `${what}.capacity[${index}]`;
    expectRecord(entry, where);
    expectOneOf(entry.channel, CHANNELS, `${where}.channel`);
    expectNumber(entry.max, `${where}.max`);
    expectNumber(entry.load, `${where}.load`);
  });
  expectStringArray(value.queues, `${what}.queues`);
}

export function expectConversation(value: unknown, what: string): asserts value is Conversation {
  expectRecord(value, what);
  expectId(value.id, `${what}.id`);
  expectOneOf(value.channel, CHANNELS, `${what}.channel`);
  expectId(value.customerId, `${what}.customerId`);
  expectOneOf(value.status, CONVERSATION_STATUSES, `${what}.status`);
  expectOneOf(value.priority, PRIORITIES, `${what}.priority`);
  expectNullableString(value.assigneeId, `${what}.assigneeId`);
  expectNullableString(value.queueId, `${what}.queueId`);
  expectNullableString(value.subject, `${what}.subject`);
  expectNumber(value.createdAt, `${what}.createdAt`);
  expectNumber(value.lastMessageAt, `${what}.lastMessageAt`);
  expectString(value.lastMessagePreview, `${what}.lastMessagePreview`);
  expectNumber(value.unreadCount, `${what}.unreadCount`);
  ensure(Number.isInteger(value.unreadCount) && value.unreadCount >= 0, `${what}.unreadCount: expected a whole number ≥ 0, received ${show(value.unreadCount)}`);
  expectNullableNumber(value.firstResponseDueAt, `${what}.firstResponseDueAt`);
  expectNullableNumber(value.replyWindowEndsAt, `${what}.replyWindowEndsAt`);
}

export function expectMessage(value: unknown, what: string): asserts value is Message {
  expectRecord(value, what);
  expectId(value.id, `${what}.id`);
  expectId(value.conversationId, `${what}.conversationId`);
  expectOneOf(value.direction, ['inbound', 'outbound', 'internal', 'system'], `${what}.direction`);
  expectString(value.authorName, `${what}.authorName`);
  expectString(value.text, `${what}.text`);
  expectNumber(value.sentAt, `${what}.sentAt`);
  expectOneOf(value.delivery, ['sending', 'sent', 'delivered', 'read', 'failed'], `${what}.delivery`);
  expectArray(value.attachments, `${what}.attachments`);
  if (value.email !== null) expectRecord(value.email, `${what}.email`);
  if (value.call !== null) expectRecord(value.call, `${what}.call`);
  expectNullableString(value.clientKey, `${what}.clientKey`);
}

export function expectCustomer(value: unknown, what: string): asserts value is Customer {
  expectRecord(value, what);
  expectId(value.id, `${what}.id`);
  expectString(value.name, `${what}.name`);
  expectNullableString(value.avatarUrl, `${what}.avatarUrl`);
  expectArray(value.identities, `${what}.identities`);
  value.identities.forEach((identity, index) => {
    const where = `${what}.identities[${index}]`;
    expectRecord(identity, where);
    expectOneOf(identity.kind, IDENTITY_KINDS, `${where}.kind`);
    expectString(identity.value, `${where}.value`, { nonEmpty: true });
  });
  expectNumber(value.vipLevel, `${what}.vipLevel`);
  expectStringArray(value.tags, `${what}.tags`);
  expectString(value.notes, `${what}.notes`);
  expectNullableString(value.locale, `${what}.locale`);
  expectNumber(value.createdAt, `${what}.createdAt`);
}

export function expectTicket(value: unknown, what: string): asserts value is Ticket {
  expectRecord(value, what);
  expectId(value.id, `${what}.id`);
  expectId(value.customerId, `${what}.customerId`);
  expectString(value.subject, `${what}.subject`);
  expectString(value.description, `${what}.description`);
  expectOneOf(value.type, TICKET_TYPES, `${what}.type`);
  expectOneOf(value.priority, PRIORITIES, `${what}.priority`);
  expectOneOf(value.status, TICKET_STATUSES, `${what}.status`);
  expectNullableString(value.assigneeId, `${what}.assigneeId`);
  expectNullableString(value.groupId, `${what}.groupId`);
  if (value.sourceChannel !== null) expectOneOf(value.sourceChannel, CHANNELS, `${what}.sourceChannel`);
  expectStringArray(value.conversationIds, `${what}.conversationIds`);
  expectNullableNumber(value.dueAt, `${what}.dueAt`);
  expectNumber(value.createdAt, `${what}.createdAt`);
  expectNumber(value.updatedAt, `${what}.updatedAt`);
  expectNumber(value.version, `${what}.version`);
  expectArray(value.comments, `${what}.comments`);
  value.comments.forEach((comment, index) => {
    const where = `${what}.comments[${index}]`;
    expectRecord(comment, where);
    expectId(comment.id, `${where}.id`);
    expectString(comment.authorName, `${where}.authorName`);
    expectString(comment.body, `${where}.body`);
    expectBoolean(comment.internal, `${where}.internal`);
    expectNumber(comment.createdAt, `${where}.createdAt`);
  });
}

export function expectArticle(value: unknown, what: string): asserts value is KnowledgeArticle {
  expectRecord(value, what);
  expectId(value.id, `${what}.id`);
  expectString(value.locale, `${what}.locale`);
  expectString(value.title, `${what}.title`, { nonEmpty: true });
  expectString(value.body, `${what}.body`);
  expectStringArray(value.tags, `${what}.tags`);
  expectNumber(value.updatedAt, `${what}.updatedAt`);
}

function expectHits(value: unknown, what: string): asserts value is readonly KnowledgeHit[] {
  expectArray(value, what);
  value.forEach((hit, index) => {
    expectRecord(hit, `${what}[${index}]`);
    expectArticle(hit.article, `${what}[${index}].article`);
    expectNumber(hit.score, `${what}[${index}].score`);
  });
}

function expectPage(value: unknown, what: string): asserts value is Page<unknown> {
  expectRecord(value, what);
  expectArray(value.items, `${what}.items`);
  expectNullableString(value.nextCursor, `${what}.nextCursor`);
  ensure(value.nextCursor !== '', `${what}.nextCursor is ""; the last page must say null, any other page a non-empty cursor`);
}

// ---------------------------------------------------------------------------------------------------------
// Discovery: find test data through the contract.

const SEED_HINT = 'the conformance suite finds its test data through the connector, so seed the backend with a few of them (see docs/connector-guide.md)';
/** Stops a connector whose cursor never ends from looping for ever. */
const MAX_PAGES = 500;

function requireCapability(ctx: ConformanceContext, flag: ConnectorCapabilityFlag, purpose: string): void {
  if (ctx.connector.capabilities[flag] !== true) skip(`needs capabilities.${flag} ${purpose}`);
}

async function listSomeConversations(ctx: ConformanceContext): Promise<readonly Conversation[]> {
  const call = 'listConversations({"scope":"all","limit":50})';
  const page: unknown = await ctx.connector.listConversations({ scope: 'all', limit: 50 });
  expectPage(page, call);
  page.items.forEach((item, index) => expectConversation(item, `${call}.items[${index}]`));
  if (page.items.length === 0) fail(`${call} returned no conversations; ${SEED_HINT}`);
  return page.items as readonly Conversation[];
}

/** Collects every page of a query, failing on repeats, oversized pages and cursors that never end. */
async function collectConversationPages(ctx: ConformanceContext, query: ConversationQuery): Promise<{ items: Conversation[]; pages: number }> {
  const pageOf = new Map<string, number>();
  const items: Conversation[] = [];
  let cursor: string | null = null;
  for (let pageNumber = 1; pageNumber <= MAX_PAGES; pageNumber += 1) {
    const call = `listConversations(${show(cursor === null ? query : { ...query, cursor })})`;
    const page: unknown = await ctx.connector.listConversations(cursor === null ? query : { ...query, cursor });
    expectPage(page, call);
    page.items.forEach((item, index) => {
      expectConversation(item, `${call}.items[${index}]`);
      const earlierPage = pageOf.get(item.id);
      if (earlierPage === pageNumber) fail(`conversation "${item.id}" appears twice on one page (${call})`);
      if (earlierPage !== undefined) {
        fail(`conversation "${item.id}" was returned on two pages (page ${earlierPage} and page ${pageNumber}, cursor ${show(cursor)}); a cursor must continue after the last item already returned`);
      }
      pageOf.set(item.id, pageNumber);
      items.push(item);
    });
    if (query.limit !== undefined && page.items.length > query.limit) {
      fail(`${call} returned ${page.items.length} conversations, more than the limit ${query.limit}`);
    }
    if (page.nextCursor === null) return { items, pages: pageNumber };
    if (page.nextCursor === cursor) fail(`${call} returned the cursor it was given as nextCursor, so paging would never end`);
    cursor = page.nextCursor;
  }
  return fail(`listConversations(${show(query)}) still returned a nextCursor after ${MAX_PAGES} pages; the last page must say nextCursor null`);
}

async function collectMessagePages(ctx: ConformanceContext, conversationId: string, limit: number): Promise<{ pages: Message[][] }> {
  const seenOnPage = new Map<string, number>();
  const pages: Message[][] = [];
  let cursor: string | null = null;
  for (let pageNumber = 1; pageNumber <= MAX_PAGES; pageNumber += 1) {
    const query = cursor === null ? { limit } : { limit, cursor };
    const call = `listMessages("${conversationId}", ${show(query)})`;
    const page: unknown = await ctx.connector.listMessages(conversationId, query);
    expectPage(page, call);
    page.items.forEach((item, index) => {
      expectMessage(item, `${call}.items[${index}]`);
      expectEqual(item.conversationId, conversationId, `${call}.items[${index}].conversationId`);
      const earlierPage = seenOnPage.get(item.id);
      if (earlierPage !== undefined) {
        fail(`message "${item.id}" was returned on two pages (page ${earlierPage} and page ${pageNumber}, cursor ${show(cursor)}); the cursor must point before the oldest message already returned`);
      }
      seenOnPage.set(item.id, pageNumber);
    });
    if (page.items.length > limit) fail(`${call} returned ${page.items.length} messages, more than the limit ${limit}`);
    pages.push([...(page.items as readonly Message[])]);
    if (page.nextCursor === null) return { pages };
    if (page.nextCursor === cursor) fail(`${call} returned the cursor it was given as nextCursor, so paging would never end`);
    cursor = page.nextCursor;
  }
  return fail(`listMessages("${conversationId}") still returned a nextCursor after ${MAX_PAGES} pages`);
}

/** A conversation an agent can reply on: not resolved, inside its reply window, preferably assigned to them. */
function pickWritableConversation(conversations: readonly Conversation[], agentId: string): Conversation {
  const now = Date.now();
  const score = (conversation: Conversation): number =>
    (conversation.replyWindowEndsAt === null || conversation.replyWindowEndsAt > now + 60_000 ? 16 : 0) +
    (conversation.status !== 'resolved' ? 8 : 0) +
    (conversation.status === 'open' ? 4 : 0) +
    (conversation.assigneeId === agentId ? 2 : 0) +
    (conversation.channel !== 'phone' && conversation.channel !== 'email' ? 1 : 0);
  const [first, ...rest] = conversations;
  if (first === undefined) return fail(`no conversation to write to; ${SEED_HINT}`);
  return rest.reduce((best, candidate) => (score(candidate) > score(best) ? candidate : best), first);
}

async function discoverWritableConversation(ctx: ConformanceContext): Promise<Conversation> {
  return pickWritableConversation(await listSomeConversations(ctx), ctx.session.agent.id);
}

async function discoverCustomer(ctx: ConformanceContext, needsIdentity: boolean): Promise<{ customer: Customer; conversation: Conversation }> {
  requireCapability(ctx, 'conversations', 'to discover a customer through a conversation');
  const tried = new Set<string>();
  for (const conversation of await listSomeConversations(ctx)) {
    if (tried.has(conversation.customerId)) continue;
    if (tried.size >= 10) break;
    tried.add(conversation.customerId);
    const call = `getCustomer("${conversation.customerId}")`;
    const customer: unknown = await ctx.connector.getCustomer(conversation.customerId);
    expectCustomer(customer, call);
    expectEqual(customer.id, conversation.customerId, `${call}.id (the customerId of conversation "${conversation.id}")`);
    if (!needsIdentity || customer.identities.length > 0) return { customer, conversation };
  }
  return fail(`none of the customers of the first ${tried.size} conversations has an identity; ${SEED_HINT}`);
}

const FALLBACK_SEARCH_TERMS = ['password', 'refund', 'order', 'account', 'delivery', 'invoice', 'return', '退款'];

async function discoverArticle(ctx: ConformanceContext): Promise<KnowledgeArticle> {
  const terms: string[] = [];
  let suggestedFor = 0;
  if (ctx.connector.capabilities.conversations === true) {
    const conversations = (await listSomeConversations(ctx)).slice(0, 10);
    for (const conversation of conversations) {
      const call = `suggestArticles("${conversation.id}")`;
      const hits: unknown = await ctx.connector.suggestArticles(conversation.id);
      expectHits(hits, call);
      suggestedFor += 1;
      if (hits[0] !== undefined) return hits[0].article;
      terms.push(...`${conversation.subject ?? ''} ${conversation.lastMessagePreview}`.split(/[^\p{L}\p{N}]+/u).filter((word) => word.length >= 4));
    }
  }
  const tried = [...new Set([...terms, ...FALLBACK_SEARCH_TERMS])].slice(0, 20);
  for (const text of tried) {
    const call = `searchKnowledge({"text":${show(text)}})`;
    const hits: unknown = await ctx.connector.searchKnowledge({ text, limit: 5 });
    expectHits(hits, call);
    if (hits[0] !== undefined) return hits[0].article;
  }
  return fail(
    `found no knowledge article: suggestArticles returned nothing for ${suggestedFor} conversations and searchKnowledge returned nothing for ${show(tried.join(' | '))}; ${SEED_HINT}`,
  );
}

async function createTestTicket(ctx: ConformanceContext, label: string): Promise<{ ticket: Ticket; customer: Customer; conversation: Conversation }> {
  const { customer, conversation } = await discoverCustomer(ctx, false);
  const subject = `Conformance ${ctx.unique(label)}`;
  const draft = {
    customerId: customer.id,
    subject,
    description: 'Created by the cc-workspace connector conformance suite.',
    type: 'question' as const,
    priority: 'normal' as const,
    sourceChannel: conversation.channel,
    conversationIds: [conversation.id],
  };
  const call = `createTicket(${show(draft)})`;
  const ticket: unknown = await ctx.connector.createTicket(draft);
  expectTicket(ticket, call);
  expectEqual(ticket.subject, subject, `${call}.subject`);
  expectEqual(ticket.customerId, customer.id, `${call}.customerId`);
  return { ticket, customer, conversation };
}

function abortedSignal(): AbortSignal {
  const controller = new AbortController();
  controller.abort();
  return controller.signal;
}

/** How long a command may take to settle once its signal is aborted before a check calls it hung. */
const ABORT_SETTLE_MS = 2_000;

/**
 * When a mid-flight abort arrives: one microtask after the call (the command may be anywhere in its first
 * steps), or on the next task (`setTimeout(0)`), by which time a command still pending is waiting on something.
 */
type AbortMoment = 'microtask' | 'task';

const ABORT_MOMENTS: readonly AbortMoment[] = ['microtask', 'task'];

function describeAbortMoment(moment: AbortMoment): string {
  return moment === 'microtask' ? 'aborted one microtask after the call' : 'aborted on the next task (setTimeout 0) after the call';
}

type CommandOutcome<T> =
  | { readonly kind: 'resolved'; readonly value: T }
  | { readonly kind: 'rejected'; readonly error: unknown }
  | { readonly kind: 'pending' };

interface InFlightAbort<T> {
  /** How the command settled after the abort (`pending`: not within {@link ABORT_SETTLE_MS}). */
  readonly outcome: CommandOutcome<T>;
  /**
   * Whether the command had not settled when its signal was aborted. Certain for an abort on the next task; after
   * a microtask the command may already have answered without its reaction having run yet.
   */
  readonly pendingAtAbort: boolean;
  /** Milliseconds from the abort until the command settled. */
  readonly settledAfterMs: number;
}

/** Starts a command with a fresh signal, aborts the signal while the command runs, and reports how it settled. */
async function abortInFlight<T>(what: string, start: (signal: AbortSignal) => Promise<T>, moment: AbortMoment): Promise<InFlightAbort<T>> {
  const controller = new AbortController();
  let settlement: { readonly outcome: CommandOutcome<T>; readonly at: number } | null = null;
  // Read through a function: the callbacks below set `settlement` behind the type checker's back.
  const current = (): typeof settlement => settlement;
  let command: Promise<T>;
  try {
    command = start(controller.signal);
  } catch (error) {
    return fail(`${what} threw synchronously (${describeError(error)}); commands must return a Promise that rejects`);
  }
  const settled = Promise.resolve(command).then(
    (value) => {
      settlement = { outcome: { kind: 'resolved', value }, at: Date.now() };
    },
    (error: unknown) => {
      settlement = { outcome: { kind: 'rejected', error }, at: Date.now() };
    },
  );
  if (moment === 'microtask') await Promise.resolve();
  else await new Promise((resolve) => setTimeout(resolve, 0));
  const pendingAtAbort = current() === null;
  controller.abort();
  const abortedAt = Date.now();
  let timer: ReturnType<typeof setTimeout> | undefined;
  await Promise.race([settled, new Promise<void>((resolve) => (timer = setTimeout(resolve, ABORT_SETTLE_MS)))]);
  clearTimeout(timer);
  const final = current();
  if (final === null) return { outcome: { kind: 'pending' }, pendingAtAbort, settledAfterMs: ABORT_SETTLE_MS };
  return { outcome: final.outcome, pendingAtAbort, settledAfterMs: Math.max(0, final.at - abortedAt) };
}

/**
 * Judges a read whose signal was aborted in flight: it rejects with `aborted`, or it had already answered and
 * resolves with a valid value. A read still pending at the abort can always be stopped, so it must reject.
 */
function judgeAbortedRead<T>(what: string, moment: AbortMoment, result: InFlightAbort<T>, validate: (value: unknown, what: string) => void): void {
  const label = `${what} ${describeAbortMoment(moment)}`;
  const { outcome } = result;
  if (outcome.kind === 'pending') {
    fail(`${label}: it neither rejected nor resolved within ${ABORT_SETTLE_MS} ms of the abort; an aborted command must settle, rejecting with a ConnectorError whose code is "aborted"`);
  }
  if (outcome.kind === 'rejected') {
    const error = expectConnectorError(outcome.error, label);
    if (error.code !== 'aborted') fail(`${label}: it rejected with code "${error.code}" (${show(error.message)}); an aborted command rejects with code "aborted"`);
    return;
  }
  if (moment === 'task' && result.pendingAtAbort) {
    fail(
      `${label}: the abort arrived while the command was still in flight, but the connector ignored it and resolved ${result.settledAfterMs} ms later; ` +
        'a command aborted in flight must reject with a ConnectorError whose code is "aborted" (listen for the signal\'s "abort" event while waiting on the backend, not only check signal.aborted when the command starts)',
    );
  }
  validate(outcome.value, what);
}

function expectOffer(value: unknown, what: string): asserts value is WorkOffer {
  expectRecord(value, what);
  expectId(value.id, `${what}.id`);
  expectId(value.conversationId, `${what}.conversationId`);
  expectOneOf(value.channel, CHANNELS, `${what}.channel`);
  expectId(value.customerId, `${what}.customerId`);
  expectNumber(value.offeredAt, `${what}.offeredAt`);
  expectNumber(value.expiresAt, `${what}.expiresAt`);
}

/** The offers `snapshot()` holds for the agent, checked for shape. */
async function snapshotOffers(ctx: ConformanceContext): Promise<readonly WorkOffer[]> {
  const snapshot: unknown = await ctx.connector.snapshot();
  expectRecord(snapshot, 'snapshot()');
  expectArray(snapshot.offers, 'snapshot().offers');
  snapshot.offers.forEach((offer, index) => expectOffer(offer, `snapshot().offers[${index}]`));
  return snapshot.offers as readonly WorkOffer[];
}

/** The offer with the most time left, so it does not expire during the check; skips when there is none. */
async function discoverOffer(ctx: ConformanceContext, purpose: string): Promise<WorkOffer> {
  const offers = await snapshotOffers(ctx);
  const offer = offers.reduce<WorkOffer | undefined>((best, candidate) => (best === undefined || candidate.expiresAt > best.expiresAt ? candidate : best), undefined);
  if (offer === undefined) {
    skip(`snapshot().offers is empty, so there is no work offer to ${purpose}; have the backend offer the agent a conversation before the suite connects (see docs/connector-guide.md)`);
  }
  return offer;
}

/**
 * Two profiles the backend calls duplicates: the customer of a conversation (the source, so the merge has history
 * to move) and its first duplicate candidate (the target). Skips when no customer has a candidate.
 */
async function discoverDuplicatePair(ctx: ConformanceContext): Promise<{ target: Customer; source: Customer }> {
  requireCapability(ctx, 'conversations', 'to discover customers through their conversations');
  requireCapability(ctx, 'customers', 'to read the customers it merges');
  const tried = new Set<string>();
  for (const conversation of await listSomeConversations(ctx)) {
    if (tried.has(conversation.customerId)) continue;
    if (tried.size >= 20) break;
    tried.add(conversation.customerId);
    const call = `listDuplicateCandidates("${conversation.customerId}")`;
    const candidates: unknown = await ctx.connector.listDuplicateCandidates(conversation.customerId);
    expectArray(candidates, call);
    candidates.forEach((entry, index) => expectCustomer(entry, `${call}[${index}]`));
    const target = (candidates as readonly Customer[]).find((entry) => entry.id !== conversation.customerId);
    if (target === undefined) continue;
    const source: unknown = await ctx.connector.getCustomer(conversation.customerId);
    expectCustomer(source, `getCustomer("${conversation.customerId}")`);
    return { target, source };
  }
  return skip(
    `listDuplicateCandidates returned no candidate for the customers of ${tried.size} conversations, so there is no pair of duplicates to merge; ` +
      'seed two profiles that share a phone number or an email address (see docs/connector-guide.md)',
  );
}

/** Whether two identities name the same address: emails ignoring case, phones by their digits (a country code may be missing). */
function sameIdentity(a: Identity, b: Identity): boolean {
  if (a.kind !== b.kind) return false;
  if (a.kind === 'phone') {
    const left = a.value.replace(/\D/g, '');
    const right = b.value.replace(/\D/g, '');
    if (left === right) return left.length > 0;
    const [shorter, longer] = left.length < right.length ? [left, right] : [right, left];
    return shorter.length >= 7 && longer.endsWith(shorter);
  }
  return a.value.trim().toLowerCase() === b.value.trim().toLowerCase();
}

function isMessageAdded(messageId: string): (event: ConnectorEvent) => boolean {
  return (event) => event.type === 'message.added' && event.message.id === messageId;
}

/**
 * Sends a message and waits for its message.added event. Events of one conversation are ordered, so once the
 * barrier's event has arrived, every event an earlier write on that conversation caused has arrived too.
 */
async function sendBarrier(ctx: ConformanceContext, conversationId: string): Promise<Message> {
  const barrier = await ctx.connector.sendMessage({ conversationId, text: `Conformance barrier ${ctx.unique('barrier')}` });
  expectMessage(barrier, `sendMessage(barrier on "${conversationId}")`);
  await ctx.waitForEvent(`a message.added event for the barrier message "${barrier.id}"`, isMessageAdded(barrier.id));
  return barrier;
}

/** Polls `condition` (e.g. a state$ emission that may be delivered asynchronously). */
async function eventually(ctx: ConformanceContext, condition: () => boolean, withinMs: number): Promise<boolean> {
  const deadline = Date.now() + withinMs;
  while (!condition()) {
    if (Date.now() >= deadline || ctx.signal.aborted) return false;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return true;
}

function otherPresence(current: Presence): Presence {
  return current === 'break' ? 'busy' : 'break';
}

function distinct<T>(values: readonly T[]): T[] {
  return [...new Set(values)];
}

/** Whether the session's agent has `permission`: a backend that reports no permissions restricts nothing. */
function sessionMay(ctx: ConformanceContext, permission: Permission): boolean {
  const permissions = ctx.session.agent.permissions;
  return !Array.isArray(permissions) || permissions.includes(permission);
}

// ---------------------------------------------------------------------------------------------------------
// Lifecycle

const lifecycle: readonly ConformanceCheck[] = [
  {
    group: 'lifecycle',
    name: 'connect emits connecting then connected',
    async run(ctx) {
      const connector = await ctx.createConnector();
      expectEqual(connector.state, 'disconnected', 'state of a new connector before connect()');
      const states: ConnectionState[] = [];
      const subscription = connector.state$.subscribe((state) => states.push(state));
      try {
        const session: unknown = await connector.connect();
        expectRecord(session, 'connect() resolved with');
        expectAgent(session.agent, 'connect() session.agent');
        expectEqual(connector.state, 'connected', 'state after connect() resolved');
        await eventually(ctx, () => states.at(-1) === 'connected', 1000);
        expectEqual(states[0], 'disconnected', `first state$ emission (state$ must emit the current state on subscribe; it emitted ${show(states)})`);
        const connecting = states.indexOf('connecting');
        const connected = states.lastIndexOf('connected');
        ensure(connecting !== -1 && connected > connecting, `state$ emitted ${show(states)}; expected "connecting" and then "connected"`);
        expectEqual(states.at(-1), 'connected', `last state$ emission (all emissions: ${show(states)})`);
      } finally {
        subscription.unsubscribe();
      }
      const late: ConnectionState[] = [];
      connector.state$.subscribe((state) => late.push(state)).unsubscribe();
      expectEqual(late[0], 'connected', 'first state$ emission for a subscriber after connect() (state$ must emit the current state on subscribe)');
    },
  },
  {
    group: 'lifecycle',
    name: 'disconnect makes commands reject with unavailable',
    async run(ctx) {
      const { connector } = ctx;
      const conversation = connector.capabilities.conversations === true ? (await listSomeConversations(ctx))[0] : undefined;
      const states: ConnectionState[] = [];
      const subscription = connector.state$.subscribe((state) => states.push(state));
      try {
        await connector.disconnect();
        expectEqual(connector.state, 'disconnected', 'state after disconnect() resolved');
        await eventually(ctx, () => states.at(-1) === 'disconnected', 1000);
        expectEqual(states.at(-1), 'disconnected', `last state$ emission after disconnect() (all: ${show(states)})`);
      } finally {
        subscription.unsubscribe();
      }
      await expectRejection('getAgent() after disconnect()', () => connector.getAgent(), { code: 'unavailable' });
      await expectRejection('snapshot() after disconnect()', () => connector.snapshot(), { code: 'unavailable' });
      if (conversation !== undefined) {
        await expectRejection('listConversations({}) after disconnect()', () => connector.listConversations({}), { code: 'unavailable' });
        await expectRejection(`sendMessage to "${conversation.id}" after disconnect()`, () => connector.sendMessage({ conversationId: conversation.id, text: `Conformance ${ctx.unique('after-disconnect')}` }), { code: 'unavailable' });
      }
    },
  },
  {
    group: 'lifecycle',
    name: 'capabilities are boolean flags and known channels, constant across connect',
    async run(ctx) {
      const connector = await ctx.createConnector();
      const before: unknown = connector.capabilities;
      expectRecord(before, 'capabilities');
      for (const flag of CAPABILITY_FLAGS) expectBoolean(before[flag], `capabilities.${flag}`);
      expectArray(before.channels, 'capabilities.channels');
      before.channels.forEach((channel, index) => expectOneOf(channel, CHANNELS, `capabilities.channels[${index}]`));
      ensure(distinct(before.channels).length === before.channels.length, `capabilities.channels lists a channel twice: ${show(before.channels)}`);
      if (before.conversations === true) ensure(before.channels.length > 0, 'capabilities.conversations is true but capabilities.channels is empty');
      const snapshotBefore = JSON.parse(JSON.stringify(before)) as unknown;
      await connector.connect();
      expectDeepEqual(connector.capabilities, snapshotBefore, 'capabilities after connect() (they must stay constant for the connector\'s lifetime)');
    },
  },
  {
    group: 'lifecycle',
    name: 'getTelephonyConfig agrees with capabilities.telephony',
    async run(ctx) {
      const config: unknown = await ctx.connector.getTelephonyConfig();
      if (ctx.connector.capabilities.telephony !== true) {
        expectEqual(config, null, 'getTelephonyConfig() of a connector whose capabilities.telephony is false');
        return;
      }
      if (!sessionMay(ctx, 'use-phone')) {
        expectEqual(config, null, 'getTelephonyConfig() for an agent whose permissions lack "use-phone" (no SIP credentials for a role that may not use the phone)');
        return;
      }
      expectRecord(config, 'getTelephonyConfig()');
      expectString(config.webSocketUrl, 'getTelephonyConfig().webSocketUrl', { nonEmpty: true });
      expectString(config.sipUri, 'getTelephonyConfig().sipUri', { nonEmpty: true });
      expectArray(config.iceServers, 'getTelephonyConfig().iceServers');
    },
  },
];

// ---------------------------------------------------------------------------------------------------------
// Agent

const agent: readonly ConformanceCheck[] = [
  {
    group: 'agent',
    name: 'getAgent returns the session agent',
    async run(ctx) {
      const fetched: unknown = await ctx.connector.getAgent();
      expectAgent(fetched, 'getAgent()');
      expectEqual(fetched.id, ctx.session.agent.id, 'getAgent().id (the agent of the session connect() returned)');
    },
  },
  {
    group: 'agent',
    name: 'setPresence round-trips and emits agent.updated',
    async run(ctx) {
      const agentId = ctx.session.agent.id;
      const before = await ctx.connector.getAgent();
      const target = otherPresence(before.presence);
      const updated: unknown = await ctx.connector.setPresence(target);
      expectAgent(updated, `setPresence("${target}")`);
      expectEqual(updated.presence, target, `setPresence("${target}").presence`);
      expectEqual(updated.id, agentId, `setPresence("${target}").id`);
      expectEqual((await ctx.connector.getAgent()).presence, target, `getAgent().presence after setPresence("${target}")`);
      await ctx.waitForEvent(
        `an agent.updated event for agent "${agentId}" with presence "${target}"`,
        (event) => event.type === 'agent.updated' && event.agent.id === agentId && event.agent.presence === target,
      );
    },
  },
  {
    group: 'agent',
    name: 'setCapacity round-trips',
    async run(ctx) {
      const before = await ctx.connector.getAgent();
      const channel: Channel | undefined = before.capacity[0]?.channel ?? ctx.connector.capabilities.channels[0];
      if (channel === undefined) skip('the agent has no channel capacity and capabilities.channels is empty');
      const previous = before.capacity.find((entry) => entry.channel === channel)?.max;
      const max = (previous ?? 1) + 1;
      const updated: unknown = await ctx.connector.setCapacity(channel, max);
      expectAgent(updated, `setCapacity("${channel}", ${max})`);
      expectEqual(updated.capacity.find((entry) => entry.channel === channel)?.max, max, `setCapacity("${channel}", ${max}): capacity max of "${channel}"`);
      const fetched = await ctx.connector.getAgent();
      expectEqual(fetched.capacity.find((entry) => entry.channel === channel)?.max, max, `getAgent() after setCapacity("${channel}", ${max}): capacity max of "${channel}"`);
      if (previous !== undefined) await ctx.connector.setCapacity(channel, previous).catch(() => undefined);
    },
  },
  {
    group: 'agent',
    name: 'listQueues and listAgents return well-formed lists',
    async run(ctx) {
      const queues: unknown = await ctx.connector.listQueues();
      expectArray(queues, 'listQueues()');
      queues.forEach((queue, index) => {
        expectRecord(queue, `listQueues()[${index}]`);
        expectId(queue.id, `listQueues()[${index}].id`);
        expectString(queue.name, `listQueues()[${index}].name`);
      });
      const agents: unknown = await ctx.connector.listAgents();
      expectArray(agents, 'listAgents()');
      agents.forEach((entry, index) => {
        expectRecord(entry, `listAgents()[${index}]`);
        expectId(entry.id, `listAgents()[${index}].id`);
        expectString(entry.name, `listAgents()[${index}].name`);
        expectOneOf(entry.presence, PRESENCES, `listAgents()[${index}].presence`);
      });
    },
  },
];

// ---------------------------------------------------------------------------------------------------------
// Conversations

const conversations: readonly ConformanceCheck[] = [
  {
    group: 'conversations',
    name: 'paging returns every conversation once',
    requires: 'conversations',
    async run(ctx) {
      const startedAt = Date.now();
      const everything = (await collectConversationPages(ctx, { scope: 'all', limit: 200 })).items;
      if (everything.length < 2) skip(`paging needs at least 2 conversations; listConversations({ scope: "all" }) returned ${everything.length}`);
      const limit = Math.min(200, Math.max(1, Math.ceil(everything.length / 4)));
      const paged = await collectConversationPages(ctx, { scope: 'all', limit });
      ensure(paged.pages >= 2, `listConversations({ scope: "all", limit: ${limit} }) returned nextCursor null on page 1 although ${everything.length} conversations exist`);
      const pagedIds = new Set(paged.items.map((conversation) => conversation.id));
      const missing = everything.filter((conversation) => !pagedIds.has(conversation.id) && conversation.createdAt < startedAt);
      ensure(missing.length === 0, () => `paging with limit ${limit} never returned ${missing.length} conversation(s) that one large page holds: ${show(missing.slice(0, 5).map((conversation) => conversation.id))}`);
    },
  },
  {
    group: 'conversations',
    name: 'a query without a limit returns at most 50',
    requires: 'conversations',
    async run(ctx) {
      const page: unknown = await ctx.connector.listConversations({ scope: 'all' });
      expectPage(page, 'listConversations({"scope":"all"})');
      ensure(page.items.length <= 50, `listConversations({ scope: "all" }) returned ${page.items.length} conversations; without a limit a page holds at most 50`);
      ensure(page.items.length > 0, `listConversations({ scope: "all" }) returned no conversations; ${SEED_HINT}`);
    },
  },
  {
    group: 'conversations',
    name: 'every conversation is on a channel listed in capabilities.channels',
    requires: 'conversations',
    async run(ctx) {
      const channels = ctx.connector.capabilities.channels;
      for (const conversation of await listSomeConversations(ctx)) {
        ensure(channels.includes(conversation.channel), `conversation "${conversation.id}" is on channel "${conversation.channel}", which capabilities.channels ${show(channels)} does not list`);
      }
    },
  },
  {
    group: 'conversations',
    name: 'the channel filter returns only and all matching conversations',
    requires: 'conversations',
    async run(ctx) {
      const everything = (await collectConversationPages(ctx, { scope: 'all', limit: 200 })).items;
      const present = distinct(everything.map((conversation) => conversation.channel));
      for (const selection of [present.slice(0, 1), present.slice(1, 3)].filter((channels) => channels.length > 0)) {
        const query: ConversationQuery = { scope: 'all', limit: 200, channels: selection };
        const filtered = (await collectConversationPages(ctx, query)).items;
        for (const conversation of filtered) {
          ensure(selection.includes(conversation.channel), `listConversations(${show(query)}) returned conversation "${conversation.id}" on channel "${conversation.channel}"`);
        }
        const returned = new Set(filtered.map((conversation) => conversation.id));
        const missing = everything.filter((conversation) => selection.includes(conversation.channel) && !returned.has(conversation.id));
        ensure(missing.length === 0, () => `listConversations(${show(query)}) left out ${show(missing.slice(0, 5).map((conversation) => conversation.id))}, which are on those channels`);
      }
    },
  },
  {
    group: 'conversations',
    name: 'the status filter returns only and all matching conversations',
    requires: 'conversations',
    async run(ctx) {
      const everything = (await collectConversationPages(ctx, { scope: 'all', limit: 200 })).items;
      const present: ConversationStatus[] = distinct(everything.map((conversation) => conversation.status));
      for (const selection of [present.slice(0, 1), present.slice(1, 3)].filter((statuses) => statuses.length > 0)) {
        const query: ConversationQuery = { scope: 'all', limit: 200, statuses: selection };
        const filtered = (await collectConversationPages(ctx, query)).items;
        for (const conversation of filtered) {
          ensure(selection.includes(conversation.status), `listConversations(${show(query)}) returned conversation "${conversation.id}" whose status is "${conversation.status}"`);
        }
        const returned = new Set(filtered.map((conversation) => conversation.id));
        const missing = everything.filter((conversation) => selection.includes(conversation.status) && !returned.has(conversation.id));
        ensure(missing.length === 0, () => `listConversations(${show(query)}) left out ${show(missing.slice(0, 5).map((conversation) => conversation.id))}, which have those statuses`);
      }
    },
  },
  {
    group: 'conversations',
    name: 'the customerId and text filters find a conversation',
    requires: 'conversations',
    async run(ctx) {
      const [sample] = await listSomeConversations(ctx);
      if (sample === undefined) return;
      const byCustomer: ConversationQuery = { scope: 'all', limit: 200, customerId: sample.customerId };
      const ofCustomer = (await collectConversationPages(ctx, byCustomer)).items;
      ensure(ofCustomer.some((conversation) => conversation.id === sample.id), `listConversations(${show(byCustomer)}) did not return conversation "${sample.id}" of that customer`);
      for (const conversation of ofCustomer) {
        expectEqual(conversation.customerId, sample.customerId, `listConversations(${show(byCustomer)}): customerId of conversation "${conversation.id}"`);
      }
      const source = sample.subject ?? sample.lastMessagePreview;
      const fragment = source.trim().slice(0, 24).trim();
      if (fragment === '') return;
      // Upper case proves the match ignores case; skip it where upper-casing changes the text's length (e.g. "ß").
      const text = fragment.toUpperCase().length === fragment.length ? fragment.toUpperCase() : fragment;
      const byText: ConversationQuery = { scope: 'all', limit: 200, text };
      const found = (await collectConversationPages(ctx, byText)).items;
      ensure(found.some((conversation) => conversation.id === sample.id), `listConversations(${show(byText)}) did not return conversation "${sample.id}", whose ${sample.subject === null ? 'last message preview' : 'subject'} contains that text (matching ignores case)`);
    },
  },
  {
    group: 'conversations',
    name: 'scope "mine" returns only conversations assigned to the agent',
    requires: 'conversations',
    async run(ctx) {
      const query: ConversationQuery = { scope: 'mine', limit: 200 };
      for (const conversation of (await collectConversationPages(ctx, query)).items) {
        expectEqual(conversation.assigneeId, ctx.session.agent.id, `listConversations(${show(query)}): assigneeId of conversation "${conversation.id}"`);
      }
    },
  },
  {
    group: 'conversations',
    name: 'limit 0 is rejected as invalid',
    requires: 'conversations',
    async run(ctx) {
      await expectRejection('listConversations({ limit: 0 })', () => ctx.connector.listConversations({ limit: 0 }), { code: 'invalid' });
    },
  },
  {
    group: 'conversations',
    name: 'getConversation returns the listed conversation',
    requires: 'conversations',
    async run(ctx) {
      const [listed] = await listSomeConversations(ctx);
      if (listed === undefined) return;
      const call = `getConversation("${listed.id}")`;
      const fetched: unknown = await ctx.connector.getConversation(listed.id);
      expectConversation(fetched, call);
      expectEqual(fetched.id, listed.id, `${call}.id`);
      expectEqual(fetched.channel, listed.channel, `${call}.channel`);
      expectEqual(fetched.customerId, listed.customerId, `${call}.customerId`);
      expectEqual(fetched.createdAt, listed.createdAt, `${call}.createdAt`);
    },
  },
  {
    group: 'conversations',
    name: 'getConversation of an unknown id rejects with not-found naming the id',
    requires: 'conversations',
    async run(ctx) {
      const missing = ctx.unique('missing-conversation');
      await expectRejection(`getConversation("${missing}")`, () => ctx.connector.getConversation(missing), { code: 'not-found', mentions: missing });
    },
  },
  {
    group: 'conversations',
    name: 'markRead sets unreadCount to 0',
    requires: 'conversations',
    async run(ctx) {
      const listed = await listSomeConversations(ctx);
      const target = listed.find((conversation) => conversation.unreadCount > 0) ?? pickWritableConversation(listed, ctx.session.agent.id);
      const call = `markRead("${target.id}")`;
      const result: unknown = await ctx.connector.markRead(target.id);
      expectConversation(result, call);
      expectEqual(result.id, target.id, `${call}.id`);
      expectEqual(result.unreadCount, 0, `${call}.unreadCount (it was ${target.unreadCount})`);
      expectEqual((await ctx.connector.getConversation(target.id)).unreadCount, 0, `getConversation("${target.id}").unreadCount after markRead`);
    },
  },
  {
    group: 'conversations',
    name: 'assign to a queue',
    requires: 'conversations',
    async run(ctx) {
      const queues = await ctx.connector.listQueues();
      const target = await discoverWritableConversation(ctx);
      const queue = queues.find((candidate) => candidate.id !== target.queueId) ?? queues[0];
      if (queue === undefined) skip('listQueues() returned no queues to assign to');
      const call = `assignConversation("${target.id}", { kind: "queue", queueId: "${queue.id}" })`;
      const result: unknown = await ctx.connector.assignConversation(target.id, { kind: 'queue', queueId: queue.id });
      expectConversation(result, call);
      expectEqual(result.queueId, queue.id, `${call}.queueId`);
      expectEqual(result.assigneeId, null, `${call}.assigneeId (a conversation waiting in a queue has no assignee)`);
      expectEqual((await ctx.connector.getConversation(target.id)).queueId, queue.id, `getConversation("${target.id}").queueId after the assignment`);
      if (target.assigneeId !== null) {
        await ctx.connector.assignConversation(target.id, { kind: 'agent', agentId: target.assigneeId }).catch(() => undefined);
      }
    },
  },
  {
    group: 'conversations',
    name: 'assign to an agent',
    requires: 'conversations',
    async run(ctx) {
      const agentId = ctx.session.agent.id;
      const listed = await listSomeConversations(ctx);
      const target = listed.find((conversation) => conversation.assigneeId !== agentId && conversation.status !== 'resolved') ?? pickWritableConversation(listed, agentId);
      const call = `assignConversation("${target.id}", { kind: "agent", agentId: "${agentId}" })`;
      const result: unknown = await ctx.connector.assignConversation(target.id, { kind: 'agent', agentId });
      expectConversation(result, call);
      expectEqual(result.assigneeId, agentId, `${call}.assigneeId`);
      expectEqual((await ctx.connector.getConversation(target.id)).assigneeId, agentId, `getConversation("${target.id}").assigneeId after the assignment`);
    },
  },
  {
    group: 'conversations',
    name: 'resolve then reopen',
    requires: 'conversations',
    async run(ctx) {
      const target = await discoverWritableConversation(ctx);
      for (const status of ['resolved', 'open'] as const) {
        const call = `setConversationStatus("${target.id}", "${status}")`;
        const result: unknown = await ctx.connector.setConversationStatus(target.id, status);
        expectConversation(result, call);
        expectEqual(result.status, status, `${call}.status`);
        expectEqual((await ctx.connector.getConversation(target.id)).status, status, `getConversation("${target.id}").status after ${call}`);
      }
    },
  },
];

// ---------------------------------------------------------------------------------------------------------
// Messages

const messages: readonly ConformanceCheck[] = [
  {
    group: 'messages',
    name: 'listMessages pages from newest to oldest without repeats',
    requires: 'conversations',
    async run(ctx) {
      let chosen: { id: string; messages: Message[] } | undefined;
      for (const conversation of (await listSomeConversations(ctx)).slice(0, 15)) {
        const all = (await collectMessagePages(ctx, conversation.id, 200)).pages.flat();
        if (all.length >= 2) {
          chosen = { id: conversation.id, messages: all };
          break;
        }
      }
      if (chosen === undefined) fail(`none of the first 15 conversations has 2 or more messages; ${SEED_HINT}`);
      const limit = Math.max(1, Math.ceil(chosen.messages.length / 3));
      const { pages } = await collectMessagePages(ctx, chosen.id, limit);
      const returned = new Set(pages.flat().map((message) => message.id));
      const missing = chosen.messages.filter((message) => !returned.has(message.id));
      ensure(missing.length === 0, () => `paging listMessages("${chosen.id}") with limit ${limit} never returned ${show(missing.slice(0, 5).map((message) => message.id))}`);
      pages.forEach((page, index) => {
        const older = pages[index + 1];
        if (older === undefined || page.length === 0 || older.length === 0) return;
        const oldestHere = Math.min(...page.map((message) => message.sentAt));
        const newestThere = Math.max(...older.map((message) => message.sentAt));
        ensure(newestThere <= oldestHere, `listMessages("${chosen.id}", { limit: ${limit} }): page ${index + 2} holds a message sent at ${newestThere}, newer than the oldest on page ${index + 1} (${oldestHere}); pages must go from the newest backwards`);
      });
    },
  },
  {
    group: 'messages',
    name: 'sendMessage returns the message and emits message.added',
    requires: 'conversations',
    async run(ctx) {
      const target = await discoverWritableConversation(ctx);
      const text = `Conformance message ${ctx.unique('send')}`;
      const call = `sendMessage({ conversationId: "${target.id}", text: ${show(text)} })`;
      const sent: unknown = await ctx.connector.sendMessage({ conversationId: target.id, text });
      expectMessage(sent, call);
      expectEqual(sent.conversationId, target.id, `${call}.conversationId`);
      expectEqual(sent.text, text, `${call}.text`);
      expectEqual(sent.direction, 'outbound', `${call}.direction`);
      const event = await ctx.waitForEvent(`a message.added event for the sent message "${sent.id}"`, isMessageAdded(sent.id));
      if (event.type === 'message.added') expectEqual(event.message.text, text, `text of the message.added event for "${sent.id}"`);
      const newest = await ctx.connector.listMessages(target.id, { limit: 50 });
      ensure(newest.items.some((message) => message.id === sent.id), `listMessages("${target.id}", { limit: 50 }) does not hold the sent message "${sent.id}" on its newest page`);
    },
  },
  {
    group: 'messages',
    name: 'an internal note is sent with direction internal',
    requires: 'conversations',
    async run(ctx) {
      const target = await discoverWritableConversation(ctx);
      const text = `Conformance note ${ctx.unique('note')}`;
      const call = `sendMessage({ conversationId: "${target.id}", text: ${show(text)}, internal: true })`;
      const sent: unknown = await ctx.connector.sendMessage({ conversationId: target.id, text, internal: true });
      expectMessage(sent, call);
      expectEqual(sent.direction, 'internal', `${call}.direction`);
      expectEqual(sent.text, text, `${call}.text`);
    },
  },
];

// ---------------------------------------------------------------------------------------------------------
// Work offers

const workOffers: readonly ConformanceCheck[] = [
  {
    group: 'work offers',
    name: 'acceptOffer assigns the conversation to the agent and revokes the offer',
    requires: 'workOffers',
    async run(ctx) {
      const agentId = ctx.session.agent.id;
      const offer = await discoverOffer(ctx, 'accept');
      const call = `acceptOffer("${offer.id}")`;
      const accepted: unknown = await ctx.connector.acceptOffer(offer.id);
      expectConversation(accepted, call);
      expectEqual(accepted.id, offer.conversationId, `${call}.id (the conversation of the offer)`);
      expectEqual(accepted.assigneeId, agentId, `${call}.assigneeId (accepting an offer assigns its conversation to the agent)`);
      const revoked = await ctx.waitForEvent(`an offer.revoked event for the accepted offer "${offer.id}"`, (event) => event.type === 'offer.revoked' && event.offerId === offer.id);
      if (revoked.type === 'offer.revoked') expectEqual(revoked.reason, 'accepted', `reason of the offer.revoked event for the accepted offer "${offer.id}"`);
      await ctx.waitForEvent(
        `a conversation.upserted event for conversation "${offer.conversationId}" assigned to agent "${agentId}" (the accepted offer's conversation)`,
        (event) => event.type === 'conversation.upserted' && event.conversation.id === offer.conversationId && event.conversation.assigneeId === agentId,
      );
      if (ctx.connector.capabilities.conversations === true) {
        expectEqual((await ctx.connector.getConversation(offer.conversationId)).assigneeId, agentId, `getConversation("${offer.conversationId}").assigneeId after ${call}`);
      }
      ensure(!(await snapshotOffers(ctx)).some((entry) => entry.id === offer.id), `snapshot().offers still lists offer "${offer.id}" after ${call} resolved`);
      await expectRejection(`${call} again, after it was accepted`, () => ctx.connector.acceptOffer(offer.id), { code: ['not-found', 'conflict'] });
    },
  },
  {
    group: 'work offers',
    name: 'declineOffer revokes the offer',
    requires: 'workOffers',
    async run(ctx) {
      const offer = await discoverOffer(ctx, 'decline');
      const call = `declineOffer("${offer.id}")`;
      await ctx.connector.declineOffer(offer.id);
      const revoked = await ctx.waitForEvent(`an offer.revoked event for the declined offer "${offer.id}"`, (event) => event.type === 'offer.revoked' && event.offerId === offer.id);
      if (revoked.type === 'offer.revoked') expectEqual(revoked.reason, 'declined', `reason of the offer.revoked event for the declined offer "${offer.id}"`);
      ensure(!(await snapshotOffers(ctx)).some((entry) => entry.id === offer.id), `snapshot().offers still lists offer "${offer.id}" after ${call} resolved`);
      await expectRejection(`acceptOffer("${offer.id}") after ${call}`, () => ctx.connector.acceptOffer(offer.id), { code: ['not-found', 'conflict'] });
    },
  },
  {
    group: 'work offers',
    name: 'an unknown offer cannot be accepted or declined (not-found)',
    requires: 'workOffers',
    async run(ctx) {
      const missing = ctx.unique('missing-offer');
      await expectRejection(`acceptOffer("${missing}")`, () => ctx.connector.acceptOffer(missing), { code: 'not-found', mentions: missing });
      await expectRejection(`declineOffer("${missing}")`, () => ctx.connector.declineOffer(missing), { code: 'not-found', mentions: missing });
    },
  },
];

// ---------------------------------------------------------------------------------------------------------
// Customers

const customers: readonly ConformanceCheck[] = [
  {
    group: 'customers',
    name: 'getCustomer returns the customer of a conversation',
    requires: 'customers',
    async run(ctx) {
      // discoverCustomer fetches the customer of a conversation and checks its shape and id.
      await discoverCustomer(ctx, false);
    },
  },
  {
    group: 'customers',
    name: 'findCustomers by identity finds the customer',
    requires: 'customers',
    async run(ctx) {
      const { customer } = await discoverCustomer(ctx, true);
      for (const identity of customer.identities) {
        const call = `findCustomers(${show(identity)})`;
        const found: unknown = await ctx.connector.findCustomers(identity);
        expectArray(found, call);
        found.forEach((entry, index) => expectCustomer(entry, `${call}[${index}]`));
        ensure((found as readonly Customer[]).some((entry) => entry.id === customer.id), `${call} did not return customer "${customer.id}", who has that identity`);
      }
      const unknown = { kind: 'email' as const, value: `${ctx.unique('nobody')}@example.invalid` };
      const none: unknown = await ctx.connector.findCustomers(unknown);
      expectDeepEqual(none, [], `findCustomers(${show(unknown)}) for an identity nobody has`);
    },
  },
  {
    group: 'customers',
    name: 'updateCustomer tags and notes round-trip',
    requires: 'customers',
    async run(ctx) {
      const { customer } = await discoverCustomer(ctx, false);
      const tags = [...customer.tags, ctx.unique('conformance-tag')];
      const notes = `Conformance note ${ctx.unique('notes')}`;
      const call = `updateCustomer("${customer.id}", { tags, notes })`;
      try {
        const updated: unknown = await ctx.connector.updateCustomer(customer.id, { tags, notes });
        expectCustomer(updated, call);
        expectDeepEqual(updated.tags, tags, `${call}.tags`);
        expectEqual(updated.notes, notes, `${call}.notes`);
        const fetched = await ctx.connector.getCustomer(customer.id);
        expectDeepEqual(fetched.tags, tags, `getCustomer("${customer.id}").tags after the update`);
        expectEqual(fetched.notes, notes, `getCustomer("${customer.id}").notes after the update`);
      } finally {
        await ctx.connector.updateCustomer(customer.id, { tags: customer.tags, notes: customer.notes }).catch(() => undefined);
      }
    },
  },
  {
    group: 'customers',
    name: 'listCustomerConversations includes the conversation',
    requires: 'customers',
    async run(ctx) {
      const { customer, conversation } = await discoverCustomer(ctx, false);
      const call = `listCustomerConversations("${customer.id}")`;
      const list: unknown = await ctx.connector.listCustomerConversations(customer.id);
      expectArray(list, call);
      list.forEach((entry, index) => {
        expectConversation(entry, `${call}[${index}]`);
        expectEqual(entry.customerId, customer.id, `${call}[${index}].customerId`);
      });
      ensure((list as readonly Conversation[]).some((entry) => entry.id === conversation.id), `${call} did not include conversation "${conversation.id}", whose customerId is "${customer.id}"`);
    },
  },
  {
    group: 'customers',
    name: 'listDuplicateCandidates returns other customers',
    requires: 'customerMerge',
    async run(ctx) {
      const { customer } = await discoverCustomer(ctx, false);
      const call = `listDuplicateCandidates("${customer.id}")`;
      const candidates: unknown = await ctx.connector.listDuplicateCandidates(customer.id);
      expectArray(candidates, call);
      candidates.forEach((entry, index) => {
        expectCustomer(entry, `${call}[${index}]`);
        ensure(entry.id !== customer.id, `${call} lists the customer as a duplicate of itself`);
      });
    },
  },
  {
    group: 'customers',
    name: 'mergeCustomers moves the identities and conversations of a duplicate to the target',
    requires: 'customerMerge',
    async run(ctx) {
      const { connector } = ctx;
      const { target, source } = await discoverDuplicatePair(ctx);
      const before: unknown = await connector.listCustomerConversations(source.id);
      expectArray(before, `listCustomerConversations("${source.id}")`);
      before.forEach((entry, index) => expectConversation(entry, `listCustomerConversations("${source.id}")[${index}]`));
      const call = `mergeCustomers("${target.id}", "${source.id}")`;
      const merged: unknown = await connector.mergeCustomers(target.id, source.id);
      expectCustomer(merged, call);
      expectEqual(merged.id, target.id, `${call}.id (a merge resolves with the target)`);
      for (const identity of source.identities) {
        ensure(merged.identities.some((held) => sameIdentity(held, identity)), `${call}.identities ${show(merged.identities)} do not include ${show(identity)} of the source; the source's identities move to the target`);
        const found = await connector.findCustomers(identity);
        ensure(found.some((customer) => customer.id === target.id), `findCustomers(${show(identity)}) after ${call} does not return the target "${target.id}", which now holds that identity`);
        ensure(!found.some((customer) => customer.id === source.id), `findCustomers(${show(identity)}) after ${call} still returns the merged source "${source.id}"`);
      }
      await expectRejection(`getCustomer("${source.id}") after ${call}`, () => connector.getCustomer(source.id), { code: 'not-found', mentions: source.id });
      await ctx.waitForEvent(
        `a customer.merged event with targetId "${target.id}" and sourceId "${source.id}"`,
        (event) => event.type === 'customer.merged' && event.targetId === target.id && event.sourceId === source.id,
      );
      const listCall = `listCustomerConversations("${target.id}") after ${call}`;
      const after: unknown = await connector.listCustomerConversations(target.id);
      expectArray(after, listCall);
      after.forEach((entry, index) => {
        expectConversation(entry, `${listCall}[${index}]`);
        expectEqual(entry.customerId, target.id, `${listCall}[${index}].customerId`);
      });
      const moved = new Set((after as readonly Conversation[]).map((entry) => entry.id));
      const missing = (before as readonly Conversation[]).filter((entry) => !moved.has(entry.id));
      ensure(missing.length === 0, () => `${listCall} does not include ${show(missing.slice(0, 5).map((entry) => entry.id))}, the conversations of the merged source "${source.id}"; its history moves to the target`);
    },
  },
  {
    group: 'customers',
    name: 'merging a customer into itself is invalid',
    requires: 'customerMerge',
    async run(ctx) {
      const { customer } = await discoverCustomer(ctx, false);
      await expectRejection(`mergeCustomers("${customer.id}", "${customer.id}")`, () => ctx.connector.mergeCustomers(customer.id, customer.id), { code: 'invalid' });
      const after: unknown = await ctx.connector.getCustomer(customer.id);
      expectCustomer(after, `getCustomer("${customer.id}") after the refused merge into itself`);
      expectEqual(after.id, customer.id, `getCustomer("${customer.id}").id after the refused merge into itself`);
    },
  },
];

// ---------------------------------------------------------------------------------------------------------
// Access: permissions and revealing masked identities

/** `agent.permissions` when present: an array of known permissions, each once. Absent means every permission. */
function expectPermissions(agentValue: unknown, what: string): readonly Permission[] | undefined {
  expectRecord(agentValue, what);
  const permissions = agentValue.permissions;
  if (permissions === undefined) return undefined;
  const where = `${what}.permissions`;
  expectArray(permissions, `${where} (leave it out to grant every permission)`);
  permissions.forEach((permission, index) => expectOneOf(permission, PERMISSIONS, `${where}[${index}]`));
  ensure(distinct(permissions).length === permissions.length, `${where} lists a permission twice: ${show(permissions)}`);
  return permissions as readonly Permission[];
}

/** A customer's identity the backend may mask (any kind but an anonymous web chat key), else any identity. */
function revealableIdentity(customer: Customer): Identity {
  const identity = customer.identities.find((candidate) => candidate.kind !== 'webchat') ?? customer.identities[0];
  return identity ?? fail(`customer "${customer.id}" has no identity to reveal`);
}

/** An identity some other customer of the first conversations has and `customer` does not; undefined when there is none. */
async function foreignIdentity(ctx: ConformanceContext, customer: Customer): Promise<Identity | undefined> {
  const tried = new Set<string>([customer.id]);
  for (const conversation of await listSomeConversations(ctx)) {
    if (tried.has(conversation.customerId) || tried.size > 10) continue;
    tried.add(conversation.customerId);
    const other = await ctx.connector.getCustomer(conversation.customerId);
    const identity = other.identities.find((candidate) => !customer.identities.some((own) => own.kind === candidate.kind && own.value === candidate.value));
    if (identity !== undefined) return identity;
  }
  return undefined;
}

function revealOf(ctx: ConformanceContext): NonNullable<Connector['revealIdentity']> {
  const reveal = ctx.connector.revealIdentity;
  if (typeof reveal !== 'function') skip('revealIdentity is not implemented (it is optional: a backend that never masks need not implement it)');
  return reveal.bind(ctx.connector);
}

const access: readonly ConformanceCheck[] = [
  {
    group: 'access',
    name: 'agent.permissions, when present, lists only known permissions, the same everywhere the agent is reported',
    async run(ctx) {
      const { connector } = ctx;
      const reported = expectPermissions(ctx.session.agent, 'connect() session.agent');
      const same = (agentValue: unknown, what: string): void => {
        const permissions = expectPermissions(agentValue, what);
        // The desk takes the agent from each of these: one without permissions would grant every permission.
        expectDeepEqual(
          permissions === undefined ? undefined : [...permissions].sort(),
          reported === undefined ? undefined : [...reported].sort(),
          `${what}.permissions (the session's agent reported ${show(reported)}; absent means every permission)`,
        );
      };
      same(await connector.getAgent(), 'getAgent()');
      same((await connector.snapshot()).agent, 'snapshot().agent');
      const before = await connector.getAgent();
      const target = otherPresence(before.presence);
      await connector.setPresence(target);
      const event = await ctx.waitForEvent(
        `an agent.updated event with presence "${target}"`,
        (candidate) => candidate.type === 'agent.updated' && candidate.agent.id === before.id && candidate.agent.presence === target,
      );
      if (event.type === 'agent.updated') same(event.agent, `the agent.updated event's agent after setPresence("${target}")`);
    },
  },
  {
    group: 'access',
    name: 'revealIdentity returns the clear value of an identity the customer has',
    requires: 'customers',
    async run(ctx) {
      const reveal = revealOf(ctx);
      const { customer } = await discoverCustomer(ctx, true);
      const identity = revealableIdentity(customer);
      const call = `revealIdentity("${customer.id}", ${show(identity)})`;
      const seesClear = sessionMay(ctx, 'view-pii');
      if (!seesClear && !sessionMay(ctx, 'reveal-pii')) {
        await expectRejection(`${call} for an agent whose permissions lack "reveal-pii" and "view-pii"`, () => reveal(customer.id, identity), { code: 'forbidden' });
        return;
      }
      const clear: unknown = await reveal(customer.id, identity);
      expectRecord(clear, call);
      expectEqual(clear.kind, identity.kind, `${call}.kind`);
      expectString(clear.value, `${call}.value`, { nonEmpty: true });
      const value = clear.value;
      if (seesClear) {
        expectEqual(value, identity.value, `${call}.value (this agent sees identities in clear, so the clear value is the one delivered)`);
        return;
      }
      // A masked session: what it was given was masked (but an anonymous web chat key), the clear value is the one the
      // backend holds (a search by it finds the customer), and none of this agent's reads carries it.
      if (identity.kind !== 'webchat') {
        ensure(value !== identity.value, `${call} returned the value getCustomer("${customer.id}") had already given, so it came in clear; an agent whose permissions lack "view-pii" must receive ${identity.kind} identities masked`);
      }
      const found = await ctx.connector.findCustomers({ kind: identity.kind, value });
      ensure(found.some((entry) => entry.id === customer.id), `findCustomers with the value ${call} revealed does not find customer "${customer.id}"; reveal must return the clear value the backend holds`);
      if (value === identity.value) return;
      const reads: [string, Customer][] = [[`getCustomer("${customer.id}")`, await ctx.connector.getCustomer(customer.id)], ...found.map((entry, index): [string, Customer] => [`findCustomers(…)[${index}]`, entry])];
      for (const [what, read] of reads) {
        const leaked = read.identities.find((held) => held.value.includes(value));
        ensure(leaked === undefined, `${what} holds ${show(leaked)} in clear for an agent whose permissions lack "view-pii"; mask it at the source`);
        ensure(!read.notes.includes(value), `${what}.notes hold the clear ${identity.kind} for an agent whose permissions lack "view-pii"; mask it at the source`);
      }
    },
  },
  {
    group: 'access',
    name: 'revealIdentity rejects an identity the customer does not have (not-found)',
    requires: 'customers',
    async run(ctx) {
      const reveal = revealOf(ctx);
      const { customer } = await discoverCustomer(ctx, true);
      // An agent who may not reveal may be refused before the backend looks.
      const codes: readonly ('not-found' | 'forbidden')[] = sessionMay(ctx, 'view-pii') || sessionMay(ctx, 'reveal-pii') ? ['not-found'] : ['not-found', 'forbidden'];
      const nobody: Identity = { kind: 'email', value: `${ctx.unique('nobody')}@example.invalid` };
      await expectRejection(`revealIdentity("${customer.id}", ${show(nobody)}) of an identity nobody has`, () => reveal(customer.id, nobody), { code: codes });
      const other = await foreignIdentity(ctx, customer);
      if (other !== undefined) {
        await expectRejection(`revealIdentity("${customer.id}", ${show(other)}) of another customer's identity`, () => reveal(customer.id, other), { code: codes });
      }
      const missing = ctx.unique('missing-customer');
      await expectRejection(`revealIdentity("${missing}", …) of an unknown customer`, () => reveal(missing, revealableIdentity(customer)), { code: codes });
    },
  },
];

// ---------------------------------------------------------------------------------------------------------
// Tickets

const tickets: readonly ConformanceCheck[] = [
  {
    group: 'tickets',
    name: 'create, get and list a ticket',
    requires: 'tickets',
    async run(ctx) {
      const { ticket, customer, conversation } = await createTestTicket(ctx, 'ticket');
      expectEqual(ticket.status, 'new', 'status of a created ticket');
      expectEqual(ticket.type, 'question', 'type of the created ticket');
      expectEqual(ticket.priority, 'normal', 'priority of the created ticket');
      ensure(ticket.conversationIds.includes(conversation.id), `the created ticket's conversationIds ${show(ticket.conversationIds)} do not include "${conversation.id}" from the draft`);
      const fetched: unknown = await ctx.connector.getTicket(ticket.id);
      expectTicket(fetched, `getTicket("${ticket.id}")`);
      expectEqual(fetched.subject, ticket.subject, `getTicket("${ticket.id}").subject`);
      expectEqual(fetched.version, ticket.version, `getTicket("${ticket.id}").version`);
      const listed: unknown = await ctx.connector.listTickets(customer.id);
      expectArray(listed, `listTickets("${customer.id}")`);
      listed.forEach((entry, index) => expectTicket(entry, `listTickets("${customer.id}")[${index}]`));
      ensure((listed as readonly Ticket[]).some((entry) => entry.id === ticket.id), `listTickets("${customer.id}") does not include the ticket "${ticket.id}" just created for that customer`);
    },
  },
  {
    group: 'tickets',
    name: 'status follows the workflow new → open → pending → solved → closed',
    requires: 'tickets',
    async run(ctx) {
      let { ticket } = (await createTestTicket(ctx, 'workflow'));
      for (const status of ['open', 'pending', 'solved', 'closed'] as const satisfies readonly TicketStatus[]) {
        const call = `updateTicket("${ticket.id}", { baseVersion: ${ticket.version}, status: "${status}" }) from "${ticket.status}"`;
        const updated: unknown = await ctx.connector.updateTicket(ticket.id, { baseVersion: ticket.version, status });
        expectTicket(updated, call);
        expectEqual(updated.status, status, `${call}.status`);
        ensure(updated.version > ticket.version, `${call}.version is ${updated.version}; every change must increase the version (it was ${ticket.version})`);
        ticket = updated;
      }
    },
  },
  {
    group: 'tickets',
    name: 'a transition the workflow refuses is invalid',
    requires: 'tickets',
    async run(ctx) {
      const { ticket } = await createTestTicket(ctx, 'invalid-transition');
      await expectRejection(`updateTicket("${ticket.id}", { status: "closed" }) from "new"`, () => ctx.connector.updateTicket(ticket.id, { baseVersion: ticket.version, status: 'closed' }), { code: 'invalid' });
      const after = await ctx.connector.getTicket(ticket.id);
      expectEqual(after.status, 'new', `getTicket("${ticket.id}").status after the refused transition`);
    },
  },
  {
    group: 'tickets',
    name: 'a stale baseVersion is a conflict',
    requires: 'tickets',
    async run(ctx) {
      const { ticket } = await createTestTicket(ctx, 'conflict');
      const updated = await ctx.connector.updateTicket(ticket.id, { baseVersion: ticket.version, priority: 'high' });
      ensure(updated.version !== ticket.version, `updateTicket("${ticket.id}") kept version ${ticket.version} after a change`);
      const staleSubject = `Stale edit ${ctx.unique('stale')}`;
      await expectRejection(`updateTicket("${ticket.id}", { baseVersion: ${ticket.version} (stale, current is ${updated.version}) })`, () => ctx.connector.updateTicket(ticket.id, { baseVersion: ticket.version, subject: staleSubject }), { code: 'conflict' });
      expectEqual((await ctx.connector.getTicket(ticket.id)).subject, ticket.subject, `getTicket("${ticket.id}").subject after the refused stale edit`);
    },
  },
  {
    group: 'tickets',
    name: 'comments are added, public and internal',
    requires: 'tickets',
    async run(ctx) {
      const { ticket } = await createTestTicket(ctx, 'comment');
      for (const internal of [false, true]) {
        const body = `Conformance ${internal ? 'internal' : 'public'} comment ${ctx.unique('comment')}`;
        const call = `commentTicket("${ticket.id}", { body, internal: ${internal} })`;
        const commented: unknown = await ctx.connector.commentTicket(ticket.id, { body, internal });
        expectTicket(commented, call);
        const comment = commented.comments.find((entry) => entry.body === body);
        ensure(comment !== undefined, `${call}: the returned ticket's comments do not include the new comment`);
        expectEqual(comment.internal, internal, `${call}: the comment's internal flag`);
        const fetched = await ctx.connector.getTicket(ticket.id);
        ensure(fetched.comments.some((entry) => entry.body === body), `getTicket("${ticket.id}").comments do not include the comment just added`);
      }
    },
  },
];

// ---------------------------------------------------------------------------------------------------------
// Knowledge

const knowledge: readonly ConformanceCheck[] = [
  {
    group: 'knowledge',
    name: 'search returns hits with articles and honours the limit',
    requires: 'knowledge',
    async run(ctx) {
      const article = await discoverArticle(ctx);
      const call = `searchKnowledge({ text: ${show(article.title)} })`;
      const hits: unknown = await ctx.connector.searchKnowledge({ text: article.title });
      expectHits(hits, call);
      ensure(hits.some((hit) => hit.article.id === article.id), `${call} did not return article "${article.id}", whose title it is`);
      const limited: unknown = await ctx.connector.searchKnowledge({ text: article.title, limit: 1 });
      expectHits(limited, `searchKnowledge({ text: ${show(article.title)}, limit: 1 })`);
      ensure(limited.length <= 1, `searchKnowledge({ text: ${show(article.title)}, limit: 1 }) returned ${limited.length} hits`);
    },
  },
  {
    group: 'knowledge',
    name: 'getArticle returns the article',
    requires: 'knowledge',
    async run(ctx) {
      const article = await discoverArticle(ctx);
      const call = `getArticle("${article.id}")`;
      const fetched: unknown = await ctx.connector.getArticle(article.id);
      expectArticle(fetched, call);
      expectEqual(fetched.id, article.id, `${call}.id`);
      expectEqual(fetched.title, article.title, `${call}.title`);
      expectEqual(fetched.body, article.body, `${call}.body`);
    },
  },
  {
    group: 'knowledge',
    name: 'rateArticle takes a vote, and a changed one; an unknown article is not-found',
    requires: 'knowledge',
    async run(ctx) {
      const article = await discoverArticle(ctx);
      await ctx.connector.rateArticle(article.id, true, { idempotencyKey: ctx.unique('rate-article') });
      // The agent changes their mind: the later vote replaces the earlier one rather than being refused.
      await ctx.connector.rateArticle(article.id, false, { idempotencyKey: ctx.unique('rate-article') });
      const missing = ctx.unique('missing-article');
      await expectRejection(`rateArticle("${missing}", true)`, () => ctx.connector.rateArticle(missing, true), { code: 'not-found', mentions: missing });
    },
  },
  {
    group: 'knowledge',
    name: 'suggestArticles suggests articles for conversations',
    requires: 'knowledge',
    async run(ctx) {
      requireCapability(ctx, 'conversations', 'to suggest articles for a conversation');
      const sample = (await listSomeConversations(ctx)).slice(0, 10);
      let suggested = 0;
      for (const conversation of sample) {
        const hits: unknown = await ctx.connector.suggestArticles(conversation.id);
        expectHits(hits, `suggestArticles("${conversation.id}")`);
        suggested += hits.length;
      }
      ensure(suggested > 0, `suggestArticles returned no article for any of ${sample.length} conversations (${show(sample.map((conversation) => conversation.id))})`);
    },
  },
];

// ---------------------------------------------------------------------------------------------------------
// Canned replies

const cannedReplies: readonly ConformanceCheck[] = [
  {
    group: 'canned replies',
    name: 'listCannedReplies returns well-formed replies with unique ids and shortcuts',
    requires: 'cannedReplies',
    async run(ctx) {
      const call = 'listCannedReplies()';
      const replies: unknown = await ctx.connector.listCannedReplies();
      expectArray(replies, call);
      const firstIndexOf = new Map<string, number>();
      replies.forEach((reply, index) => {
        const what = `${call}[${index}]`;
        expectRecord(reply, what);
        expectId(reply.id, `${what}.id`);
        expectString(reply.shortcut, `${what}.shortcut`, { nonEmpty: true });
        ensure(!/\s/u.test(reply.shortcut), `${what}.shortcut ${show(reply.shortcut)} contains a space; the agent types it after "/", so it must be one word`);
        expectString(reply.title, `${what}.title`, { nonEmpty: true });
        expectString(reply.text, `${what}.text`, { nonEmpty: true });
        expectString(reply.locale, `${what}.locale`, { nonEmpty: true });
        const earlier = firstIndexOf.get(reply.id);
        if (earlier !== undefined) fail(`${what}.id ${show(reply.id)} is also the id of ${call}[${earlier}]; ids must be unique`);
        firstIndexOf.set(reply.id, index);
      });
    },
  },
];

// ---------------------------------------------------------------------------------------------------------
// Events and sequence numbers

/** Checks every recorded event's envelope and that each stream counts up by exactly 1. */
function verifySequences(events: readonly ConnectorEvent[]): Map<string, number> {
  const last = new Map<string, number>();
  events.forEach((event, index) => {
    const where = `event #${index + 1} (${show((event as { type?: unknown }).type)})`;
    expectString(event.stream, `${where}.stream`, { nonEmpty: true });
    expectNumber(event.seq, `${where}.seq`);
    expectNumber(event.at, `${where}.at`);
    ensure(Number.isInteger(event.seq) && event.seq > 0, `${where}: seq ${event.seq} on stream "${event.stream}" must be a whole number above 0`);
    const previous = last.get(event.stream);
    if (previous !== undefined && event.seq !== previous + 1) {
      if (event.seq <= previous) fail(`stream "${event.stream}": seq ${event.seq} arrived after seq ${previous} (a duplicate or out of order; each event must carry the next number)`);
      fail(`stream "${event.stream}": seq jumped from ${previous} to ${event.seq} (expected ${previous + 1}); a client would see a gap and resync`);
    }
    last.set(event.stream, event.seq);
  });
  return last;
}

function lastSeqPerStream(events: readonly ConnectorEvent[]): Map<string, number> {
  const last = new Map<string, number>();
  for (const event of events) {
    if (typeof event.stream === 'string' && typeof event.seq === 'number') last.set(event.stream, Math.max(event.seq, last.get(event.stream) ?? 0));
  }
  return last;
}

const events: readonly ConformanceCheck[] = [
  {
    group: 'events',
    name: 'every stream counts up by exactly 1 across a burst of writes',
    async run(ctx) {
      const { connector } = ctx;
      const agentId = ctx.session.agent.id;
      const presence = otherPresence(ctx.session.agent.presence);
      const writes: Promise<unknown>[] = [connector.setPresence(presence), connector.setPresence(otherPresence(presence))];
      const sends: Promise<Message>[] = [];
      if (connector.capabilities.conversations === true) {
        const target = await discoverWritableConversation(ctx);
        for (let index = 0; index < 3; index += 1) {
          sends.push(connector.sendMessage({ conversationId: target.id, text: `Conformance burst ${ctx.unique('burst')}` }));
        }
        writes.push(connector.markRead(target.id));
        if (connector.capabilities.customers === true) {
          writes.push(connector.getCustomer(target.customerId).then((customer) => connector.updateCustomer(customer.id, { tags: customer.tags })));
        }
      }
      // One Promise.all, so a failing write cannot leave another rejection unhandled.
      const [sent] = await Promise.all([Promise.all(sends), Promise.all(writes)]);
      await ctx.waitForEvent(`an agent.updated event for agent "${agentId}"`, (event) => event.type === 'agent.updated' && event.agent.id === agentId);
      for (const message of sent) await ctx.waitForEvent(`a message.added event for the burst message "${message.id}"`, isMessageAdded(message.id));
      verifySequences(ctx.events);
    },
  },
  {
    group: 'events',
    name: 'snapshot().sequences agrees with the last seq seen per stream',
    async run(ctx) {
      const { connector } = ctx;
      const agentId = ctx.session.agent.id;
      const presence = otherPresence(ctx.session.agent.presence);
      await connector.setPresence(presence);
      await ctx.waitForEvent(`an agent.updated event with presence "${presence}"`, (event) => event.type === 'agent.updated' && event.agent.id === agentId && event.agent.presence === presence);
      if (connector.capabilities.conversations === true) await sendBarrier(ctx, (await discoverWritableConversation(ctx)).id);
      // Gaps are the other check's concern; this one only compares the last numbers.
      const seenBefore = lastSeqPerStream(ctx.events);
      const snapshot: unknown = await connector.snapshot();
      expectRecord(snapshot, 'snapshot()');
      expectAgent(snapshot.agent, 'snapshot().agent');
      expectEqual(snapshot.agent.id, agentId, 'snapshot().agent.id');
      expectArray(snapshot.conversations, 'snapshot().conversations');
      snapshot.conversations.forEach((conversation, index) => expectConversation(conversation, `snapshot().conversations[${index}]`));
      expectArray(snapshot.offers, 'snapshot().offers');
      expectArray(snapshot.customers, 'snapshot().customers');
      snapshot.customers.forEach((customer, index) => expectCustomer(customer, `snapshot().customers[${index}]`));
      expectRecord(snapshot.sequences, 'snapshot().sequences');
      const sequences = (snapshot as unknown as Snapshot).sequences;
      for (const [stream, lastSeen] of seenBefore) {
        const claimed = sequences[stream];
        if (claimed === undefined) fail(`snapshot().sequences has no entry for stream "${stream}", although events up to seq ${lastSeen} arrived on it`);
        expectNumber(claimed, `snapshot().sequences["${stream}"]`);
        if (claimed < lastSeen) fail(`snapshot().sequences["${stream}"] is ${claimed}, but an event with seq ${lastSeen} already arrived on that stream`);
        if (claimed > lastSeen) {
          // Another event may be on its way; the snapshot must not claim numbers that never arrive.
          await ctx.waitForEvent(
            `an event on stream "${stream}" with seq ${claimed} (snapshot().sequences["${stream}"] is ${claimed}, the last event seen there had seq ${lastSeen})`,
            (event) => event.stream === stream && event.seq >= claimed,
          );
        }
      }
    },
  },
];

// ---------------------------------------------------------------------------------------------------------
// Errors

const errors: readonly ConformanceCheck[] = [
  {
    group: 'errors',
    name: 'unknown ids reject with not-found naming the id',
    async run(ctx) {
      const { connector } = ctx;
      const capabilities = connector.capabilities;
      const missing = ctx.unique('missing');
      const attempts: [string, () => Promise<unknown>][] = [];
      if (capabilities.conversations === true) {
        attempts.push(
          [`listMessages("${missing}")`, () => connector.listMessages(missing, {})],
          [`sendMessage({ conversationId: "${missing}" })`, () => connector.sendMessage({ conversationId: missing, text: 'Conformance' })],
          [`markRead("${missing}")`, () => connector.markRead(missing)],
          [`setConversationStatus("${missing}", "resolved")`, () => connector.setConversationStatus(missing, 'resolved')],
          [`assignConversation("${missing}", the agent)`, () => connector.assignConversation(missing, { kind: 'agent', agentId: ctx.session.agent.id })],
        );
      }
      if (capabilities.customers === true) {
        attempts.push(
          [`getCustomer("${missing}")`, () => connector.getCustomer(missing)],
          [`updateCustomer("${missing}")`, () => connector.updateCustomer(missing, { notes: 'Conformance' })],
        );
      }
      if (capabilities.tickets === true) {
        attempts.push(
          [`getTicket("${missing}")`, () => connector.getTicket(missing)],
          [`updateTicket("${missing}")`, () => connector.updateTicket(missing, { baseVersion: 1, subject: 'Conformance' })],
          [`commentTicket("${missing}")`, () => connector.commentTicket(missing, { body: 'Conformance', internal: true })],
        );
      }
      if (capabilities.knowledge === true) {
        attempts.push([`getArticle("${missing}")`, () => connector.getArticle(missing)]);
        if (capabilities.conversations === true) attempts.push([`suggestArticles("${missing}")`, () => connector.suggestArticles(missing)]);
      }
      if (capabilities.workOffers === true) {
        attempts.push(
          [`acceptOffer("${missing}")`, () => connector.acceptOffer(missing)],
          [`declineOffer("${missing}")`, () => connector.declineOffer(missing)],
        );
      }
      for (const [what, command] of attempts) await expectRejection(what, command, { code: 'not-found', mentions: missing });
    },
  },
  {
    group: 'errors',
    name: 'assigning to an unknown agent or queue is refused',
    requires: 'conversations',
    async run(ctx) {
      const target = await discoverWritableConversation(ctx);
      const missing = ctx.unique('missing-target');
      for (const assignTarget of [{ kind: 'agent', agentId: missing }, { kind: 'queue', queueId: missing }] as const) {
        const what = `assignConversation("${target.id}", ${show(assignTarget)})`;
        // An unknown target may be reported as missing or as an invalid field.
        await expectRejection(what, () => ctx.connector.assignConversation(target.id, assignTarget), { code: ['not-found', 'invalid'] });
      }
    },
  },
  {
    group: 'errors',
    name: 'malformed input rejects with invalid',
    async run(ctx) {
      const { connector } = ctx;
      // Hosts written in JavaScript, or requests arriving as JSON, can carry values outside the types.
      await expectRejection('setPresence("lunch")', () => connector.setPresence('lunch' as Presence), { code: 'invalid' });
      const channel = connector.capabilities.channels[0] ?? 'webchat';
      await expectRejection(`setCapacity("${channel}", -1)`, () => connector.setCapacity(channel, -1), { code: 'invalid' });
      if (connector.capabilities.tickets === true) {
        const { ticket } = await createTestTicket(ctx, 'malformed');
        await expectRejection(`updateTicket("${ticket.id}", { status: "archived" })`, () => connector.updateTicket(ticket.id, { baseVersion: ticket.version, status: 'archived' as TicketStatus }), { code: 'invalid' });
      }
    },
  },
];

// ---------------------------------------------------------------------------------------------------------
// Abort

const abort: readonly ConformanceCheck[] = [
  {
    group: 'abort',
    name: 'a pre-aborted sendMessage rejects with aborted and writes nothing',
    requires: 'conversations',
    async run(ctx) {
      const target = await discoverWritableConversation(ctx);
      const text = `Conformance aborted ${ctx.unique('aborted')}`;
      await expectRejection(`sendMessage({ conversationId: "${target.id}" }, { signal: an aborted signal })`, () => ctx.connector.sendMessage({ conversationId: target.id, text }, { signal: abortedSignal() }), { code: 'aborted' });
      await sendBarrier(ctx, target.id);
      const leaked = ctx.events.find((event) => event.type === 'message.added' && event.message.text === text);
      ensure(leaked === undefined, `sendMessage rejected as aborted but the message was written anyway: a message.added event carried it`);
      const newest = await ctx.connector.listMessages(target.id, { limit: 50 });
      ensure(!newest.items.some((message) => message.text === text), `sendMessage rejected as aborted but the message was written anyway: listMessages("${target.id}") holds it`);
    },
  },
  {
    group: 'abort',
    name: 'a pre-aborted read rejects with aborted',
    async run(ctx) {
      const signal = abortedSignal();
      await expectRejection('getAgent({ signal: an aborted signal })', () => ctx.connector.getAgent({ signal }), { code: 'aborted' });
      if (ctx.connector.capabilities.conversations === true) {
        const [conversation] = await listSomeConversations(ctx);
        await expectRejection('listConversations({}, { signal: an aborted signal })', () => ctx.connector.listConversations({}, { signal }), { code: 'aborted' });
        if (conversation !== undefined) {
          await expectRejection(`getConversation("${conversation.id}", { signal: an aborted signal })`, () => ctx.connector.getConversation(conversation.id, { signal }), { code: 'aborted' });
        }
      }
    },
  },
  {
    group: 'abort',
    name: 'a pre-aborted createTicket writes nothing',
    requires: 'tickets',
    async run(ctx) {
      const { customer } = await discoverCustomer(ctx, false);
      const subject = `Conformance aborted ticket ${ctx.unique('aborted-ticket')}`;
      await expectRejection('createTicket(…, { signal: an aborted signal })', () => ctx.connector.createTicket({ customerId: customer.id, subject, description: 'Must not be created.' }, { signal: abortedSignal() }), { code: 'aborted' });
      const listed = await ctx.connector.listTickets(customer.id);
      ensure(!listed.some((ticket) => ticket.subject === subject), `createTicket rejected as aborted but listTickets("${customer.id}") holds the ticket`);
    },
  },
  {
    group: 'abort',
    name: 'a pre-aborted connect rejects with aborted and stays disconnected',
    async run(ctx) {
      const connector = await ctx.createConnector();
      await expectRejection('connect({ signal: an aborted signal })', () => connector.connect({ signal: abortedSignal() }), { code: 'aborted' });
      ensure(connector.state !== 'connected', 'connect() rejected as aborted but the connector reports state "connected"');
    },
  },
  {
    group: 'abort',
    name: 'a read aborted while in flight rejects with aborted',
    async run(ctx) {
      const { connector } = ctx;
      const agentId = ctx.session.agent.id;
      const reads: { what: string; start: (signal: AbortSignal) => Promise<unknown>; validate: (value: unknown, what: string) => void }[] = [
        {
          what: 'getAgent({ signal })',
          start: (signal) => connector.getAgent({ signal }),
          validate: (value, what) => {
            expectAgent(value, what);
            expectEqual(value.id, agentId, `${what}.id`);
          },
        },
      ];
      if (connector.capabilities.conversations === true) {
        const [conversation] = await listSomeConversations(ctx);
        reads.push({
          what: 'listConversations({"scope":"all","limit":50}, { signal })',
          start: (signal) => connector.listConversations({ scope: 'all', limit: 50 }, { signal }),
          validate: (value, what) => {
            expectPage(value, what);
            value.items.forEach((item, index) => expectConversation(item, `${what}.items[${index}]`));
          },
        });
        if (conversation !== undefined) {
          reads.push({
            what: `getConversation("${conversation.id}", { signal })`,
            start: (signal) => connector.getConversation(conversation.id, { signal }),
            validate: (value, what) => {
              expectConversation(value, what);
              expectEqual(value.id, conversation.id, `${what}.id`);
            },
          });
        }
      }
      for (const moment of ABORT_MOMENTS) {
        for (const read of reads) judgeAbortedRead(read.what, moment, await abortInFlight(read.what, read.start, moment), read.validate);
      }
    },
  },
  {
    group: 'abort',
    name: 'a sendMessage aborted while in flight writes at most once, and a retry with its key completes it',
    requires: 'conversations',
    async run(ctx) {
      const { connector } = ctx;
      const target = await discoverWritableConversation(ctx);
      for (const moment of ABORT_MOMENTS) {
        const draft = { conversationId: target.id, text: `Conformance aborted in flight ${ctx.unique('in-flight')}` };
        const idempotencyKey = ctx.unique('key');
        const what = `sendMessage({ conversationId: "${target.id}", text: ${show(draft.text)} }, { idempotencyKey: "${idempotencyKey}", signal }) ${describeAbortMoment(moment)}`;
        const { outcome } = await abortInFlight(what, (signal) => connector.sendMessage(draft, { idempotencyKey, signal }), moment);
        if (outcome.kind === 'pending') {
          fail(`${what}: it neither rejected nor resolved within ${ABORT_SETTLE_MS} ms of the abort; an aborted command must settle, rejecting with "aborted" or, when the write was already committed, resolving`);
        }
        if (outcome.kind === 'rejected') {
          const error = expectConnectorError(outcome.error, what);
          if (error.code !== 'aborted') fail(`${what}: it rejected with code "${error.code}" (${show(error.message)}); an aborted command rejects with code "aborted"`);
        } else {
          expectMessage(outcome.value, `${what}, which resolved,`);
          expectEqual(outcome.value.text, draft.text, `${what}: text of the message it resolved with`);
        }
        await sendBarrier(ctx, target.id);
        const added = ctx.events.filter((event) => event.type === 'message.added' && event.message.text === draft.text).length;
        const listed = (await connector.listMessages(target.id, { limit: 50 })).items.filter((message) => message.text === draft.text).length;
        if (outcome.kind === 'resolved') {
          expectEqual(added, 1, `${what} resolved: number of message.added events carrying its text`);
          expectEqual(listed, 1, `${what} resolved: copies of its message in listMessages("${target.id}")`);
          continue;
        }
        // Over a network the client cannot know whether a request it gave up on was committed: an aborted write may
        // have been stored once, never twice, and the retry below with the same key must then return that one.
        ensure(added <= 1 && listed <= 1, `${what} rejected as aborted, and the message was written more than once (${added} message.added event(s), ${listed} cop(ies) in listMessages("${target.id}"))`);
        // The desk retries a failed reply with the same key: the aborted attempt must not have used it up.
        let retried: unknown;
        try {
          retried = await connector.sendMessage(draft, { idempotencyKey });
        } catch (error) {
          fail(`after ${what} rejected as aborted, retrying the same draft with the same idempotencyKey (as the desk does) failed with ${describeError(error)}; an aborted attempt must not use up its key`);
        }
        expectMessage(retried, `the retry of ${what}`);
        expectEqual(retried.text, draft.text, `the retry of ${what}: text of the message`);
        await sendBarrier(ctx, target.id);
        const afterRetry = (await connector.listMessages(target.id, { limit: 50 })).items.filter((message) => message.text === draft.text).length;
        expectEqual(afterRetry, 1, `copies in listMessages("${target.id}") after ${what} rejected as aborted and was retried with the same idempotencyKey`);
      }
    },
  },
];

// ---------------------------------------------------------------------------------------------------------
// Idempotency

const idempotency: readonly ConformanceCheck[] = [
  {
    group: 'idempotency',
    name: 'the same key twice returns the same message and one message.added',
    requires: 'conversations',
    async run(ctx) {
      const target = await discoverWritableConversation(ctx);
      const idempotencyKey = ctx.unique('key');
      const draft = { conversationId: target.id, text: `Conformance idempotent ${ctx.unique('idempotent')}` };
      const first = await ctx.connector.sendMessage(draft, { idempotencyKey });
      expectMessage(first, 'sendMessage(draft, { idempotencyKey })');
      expectEqual(first.clientKey, idempotencyKey, 'clientKey of a message sent with an idempotencyKey');
      const second = await ctx.connector.sendMessage(draft, { idempotencyKey });
      expectEqual(second.id, first.id, `id of the message returned for the second send with idempotencyKey "${idempotencyKey}" (the first returned "${first.id}")`);
      await sendBarrier(ctx, target.id);
      const added = ctx.events.filter((event) => event.type === 'message.added' && event.message.text === draft.text);
      expectEqual(added.length, 1, `number of message.added events for one message sent twice with idempotencyKey "${idempotencyKey}"`);
      const newest = await ctx.connector.listMessages(target.id, { limit: 50 });
      expectEqual(newest.items.filter((message) => message.text === draft.text).length, 1, `copies of the message in listMessages("${target.id}") after sending it twice with one idempotencyKey`);
    },
  },
  {
    group: 'idempotency',
    name: 'concurrent sends with the same key write once',
    requires: 'conversations',
    async run(ctx) {
      const target = await discoverWritableConversation(ctx);
      const idempotencyKey = ctx.unique('key');
      const draft = { conversationId: target.id, text: `Conformance concurrent ${ctx.unique('concurrent')}` };
      const [first, second] = await Promise.all([ctx.connector.sendMessage(draft, { idempotencyKey }), ctx.connector.sendMessage(draft, { idempotencyKey })]);
      expectEqual(second.id, first.id, `id of the message returned for two concurrent sends with idempotencyKey "${idempotencyKey}" (the first returned "${first.id}")`);
      await sendBarrier(ctx, target.id);
      const added = ctx.events.filter((event) => event.type === 'message.added' && event.message.text === draft.text);
      expectEqual(added.length, 1, `number of message.added events for two concurrent sends with one idempotencyKey`);
    },
  },
  {
    group: 'idempotency',
    name: 'the same key with a different body is a conflict',
    requires: 'conversations',
    async run(ctx) {
      const target = await discoverWritableConversation(ctx);
      const idempotencyKey = ctx.unique('key');
      await ctx.connector.sendMessage({ conversationId: target.id, text: `Conformance first ${ctx.unique('first')}` }, { idempotencyKey });
      const otherText = `Conformance different ${ctx.unique('different')}`;
      await expectRejection(`sendMessage with idempotencyKey "${idempotencyKey}" reused for a different text`, () => ctx.connector.sendMessage({ conversationId: target.id, text: otherText }, { idempotencyKey }), { code: 'conflict' });
      const newest = await ctx.connector.listMessages(target.id, { limit: 50 });
      ensure(!newest.items.some((message) => message.text === otherText), `the conflicting send was refused, but listMessages("${target.id}") holds its message`);
    },
  },
  {
    group: 'idempotency',
    name: 'the same key twice creates one ticket',
    requires: 'tickets',
    async run(ctx) {
      const { customer } = await discoverCustomer(ctx, false);
      const idempotencyKey = ctx.unique('key');
      const draft = { customerId: customer.id, subject: `Conformance idempotent ticket ${ctx.unique('ticket')}`, description: 'Created once.' };
      const first = await ctx.connector.createTicket(draft, { idempotencyKey });
      const second = await ctx.connector.createTicket(draft, { idempotencyKey });
      expectEqual(second.id, first.id, `id of the ticket returned for the second createTicket with idempotencyKey "${idempotencyKey}" (the first returned "${first.id}")`);
      const listed = await ctx.connector.listTickets(customer.id);
      expectEqual(listed.filter((ticket) => ticket.subject === draft.subject).length, 1, `tickets in listTickets("${customer.id}") after creating one twice with the same idempotencyKey`);
    },
  },
];

// ---------------------------------------------------------------------------------------------------------
// Call records (the softphone's after-call work)

const callRecords: readonly ConformanceCheck[] = [
  {
    group: 'call records',
    name: 'saveCallRecord adds a call message to the customer\'s phone history, once per key',
    requires: 'conversations',
    async run(ctx) {
      const { customer } = await discoverCustomer(ctx, false);
      const endedAt = Date.now();
      const notes = `Conformance call notes ${ctx.unique('call')}`;
      const idempotencyKey = ctx.unique('key');
      const draft = {
        customerId: customer.id,
        direction: 'inbound' as const,
        remoteNumber: customer.identities.find((identity) => identity.kind === 'phone')?.value ?? '+15550100',
        startedAt: endedAt - 130_000,
        answeredAt: endedAt - 125_000,
        endedAt,
        disposition: 'resolved',
        notes,
      };
      const call = `saveCallRecord({ customerId: "${customer.id}", … })`;
      const saved: unknown = await ctx.connector.saveCallRecord(draft, { idempotencyKey });
      expectMessage(saved, call);
      ensure(saved.call !== null, `${call}.call: expected the call record, received null`);
      expectEqual(saved.call.durationSeconds, 125, `${call}.call.durationSeconds (answered 125 s before it ended)`);
      expectEqual(saved.call.disposition, 'resolved', `${call}.call.disposition`);
      expectEqual(saved.call.direction, 'inbound', `${call}.call.direction`);
      expectEqual(saved.text, notes, `${call}.text (the notes)`);
      expectEqual(saved.clientKey, idempotencyKey, `${call}.clientKey`);
      await ctx.waitForEvent(`a message.added event for the call record "${saved.id}"`, isMessageAdded(saved.id));
      const conversation = await ctx.connector.getConversation(saved.conversationId);
      expectEqual(conversation.channel, 'phone', `channel of conversation "${saved.conversationId}" that holds the call record`);
      expectEqual(conversation.customerId, customer.id, `customerId of conversation "${saved.conversationId}" that holds the call record`);
      const history = await ctx.connector.listCustomerConversations(customer.id);
      ensure(history.some((entry) => entry.id === saved.conversationId), `listCustomerConversations("${customer.id}") does not hold "${saved.conversationId}", the conversation of the call record`);
      const again = await ctx.connector.saveCallRecord(draft, { idempotencyKey });
      expectEqual(again.id, saved.id, `id of the call record saved again with idempotencyKey "${idempotencyKey}"`);
      const listed = (await ctx.connector.listMessages(saved.conversationId, { limit: 50 })).items.filter((message) => message.text === notes);
      expectEqual(listed.length, 1, `copies of the call record in listMessages("${saved.conversationId}") after saving it twice with one key`);
    },
  },
  {
    group: 'call records',
    name: 'saveCallRecord refuses a record without a number (invalid)',
    requires: 'conversations',
    async run(ctx) {
      const now = Date.now();
      await expectRejection(
        'saveCallRecord with an empty remoteNumber',
        () => ctx.connector.saveCallRecord({ customerId: null, direction: 'outbound', remoteNumber: '', startedAt: now - 1000, answeredAt: null, endedAt: now, disposition: null, notes: '' }),
        { code: 'invalid' },
      );
    },
  },
];

/** Every conformance check, in the order they run. */
export const CONFORMANCE_CHECKS: readonly ConformanceCheck[] = [
  ...lifecycle,
  ...agent,
  ...conversations,
  ...messages,
  ...workOffers,
  ...customers,
  ...access,
  ...tickets,
  ...knowledge,
  ...cannedReplies,
  ...events,
  ...errors,
  ...abort,
  ...idempotency,
  ...callRecords,
];
