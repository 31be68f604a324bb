/**
 * Connectors that each break one rule of the contract, for testing that the conformance suite notices.
 * Each wraps a MemoryConnector and changes only what its name says.
 */
import { filter, map } from 'rxjs';
import type { CommandOptions, Connector, ConnectorEvent, Session } from '../../src/connector/connector.js';
import type { Conversation, Customer, Permission } from '../../src/connector/model.js';
import { ConnectorError, aborted } from '../../src/connector/errors.js';
import { MemoryConnector } from '../../src/connector/memory/memory-connector.js';
import type { MemoryConnectorOptions } from '../../src/connector/memory/memory-connector.js';

export function createMemoryConnector(options: MemoryConnectorOptions = {}): MemoryConnector {
  return new MemoryConnector({ latencyMs: 0, ...options });
}

/**
 * A MemoryConnector that offers the agent a few queued conversations as soon as it first connects, the way a
 * routing engine would, so the work-offer checks have offers to accept and decline. The suite itself knows
 * nothing of `simulateOffer`: it finds the offers through `snapshot().offers`.
 */
class OfferingMemoryConnector extends MemoryConnector {
  #offered = false;
  readonly #offerCount: number;

  constructor(options: MemoryConnectorOptions, offerCount: number) {
    super(options);
    this.#offerCount = offerCount;
  }

  override async connect(options?: CommandOptions): Promise<Session> {
    const session = await super.connect(options);
    if (!this.#offered) {
      this.#offered = true;
      const queued = await this.listConversations({ scope: 'all', statuses: ['queued'], limit: this.#offerCount });
      for (const conversation of queued.items) this.simulateOffer(conversation.id, 60_000);
    }
    return session;
  }
}

/** A MemoryConnector (no latency unless given) whose agent holds `offerCount` work offers once connected. */
export function createMemoryConnectorWithOffers(options: MemoryConnectorOptions = {}, offerCount = 2): MemoryConnector {
  return new OfferingMemoryConnector({ latencyMs: 0, ...options }, offerCount);
}

/** A connector that answers like `inner` except for the members in `overrides`. */
function withOverrides(inner: Connector, overrides: Partial<Connector>): Connector {
  // The target is an empty object so that no proxy invariant ties the answers to `inner`'s own properties.
  return new Proxy({} as Connector, {
    get(_target, property) {
      if (Object.hasOwn(overrides, property)) return overrides[property as keyof Connector];
      const value: unknown = Reflect.get(inner, property, inner);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(inner) : value;
    },
  });
}

function isNotFound(error: unknown): boolean {
  return error instanceof ConnectorError && error.code === 'not-found';
}

/** Numbers every event with twice its seq (2, 4, 6 …); snapshot() agrees, so only the gaps are wrong. */
export function skippingSequenceConnector(): Connector {
  const inner = createMemoryConnector();
  return withOverrides(inner, {
    events$: inner.events$.pipe(map((event): ConnectorEvent => ({ ...event, seq: event.seq * 2 }))),
    snapshot: async (options) => {
      const snapshot = await inner.snapshot(options);
      const sequences = Object.fromEntries(Object.entries(snapshot.sequences).map(([stream, seq]) => [stream, seq * 2]));
      return { ...snapshot, sequences };
    },
  });
}

/**
 * Replaces the last conversation of every page after the first with the last one of the page before, the way
 * an offset cursor misbehaves when the list shifts. Only unfiltered pages of fewer than 200 items, so the
 * filter checks (which compare against one large unfiltered page) stay unaffected.
 */
export function repeatingPageConnector(): Connector {
  const inner = createMemoryConnector();
  let lastOfPreviousPage: Conversation | undefined;
  return withOverrides(inner, {
    listConversations: async (query, options) => {
      const page = await inner.listConversations(query, options);
      const filtered = query.channels !== undefined || query.statuses !== undefined || query.customerId !== undefined || query.text !== undefined;
      if (filtered || (query.limit ?? 50) >= 200) return page;
      const repeated = query.cursor ? lastOfPreviousPage : undefined;
      lastOfPreviousPage = page.items.at(-1);
      if (repeated === undefined || page.items.length === 0) return page;
      return { ...page, items: [...page.items.slice(0, -1), repeated] };
    },
  });
}

/** Sends even when the signal was aborted before the call. */
export function abortIgnoringConnector(): Connector {
  const inner = createMemoryConnector();
  return withOverrides(inner, {
    sendMessage: (draft, options) => inner.sendMessage(draft, { idempotencyKey: options?.idempotencyKey }),
  });
}

/** Rejects a pre-aborted sendMessage as aborted, but only after writing the message. */
export function abortAfterWriteConnector(): Connector {
  const inner = createMemoryConnector();
  return withOverrides(inner, {
    sendMessage: async (draft, options) => {
      if (options?.signal?.aborted !== true) return inner.sendMessage(draft, options);
      await inner.sendMessage(draft);
      throw aborted();
    },
  });
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Read through a function: the signal may have been aborted since it was last looked at. */
function isAborted(signal: AbortSignal | undefined): boolean {
  return signal?.aborted === true;
}

/** How long the connectors below take to answer, waiting on a plain timer that ignores the signal. */
const DEAF_LATENCY_MS = 10;

/**
 * Honours a signal that is aborted before a command starts, but not one aborted while the command waits on the
 * backend: every command waits out its latency on a timer that never listens to the signal, then answers.
 */
export function midFlightAbortIgnoringConnector(): Connector {
  const inner = createMemoryConnector();
  const commands = new Set<PropertyKey>(CONNECTOR_METHODS.filter((method) => method !== 'connect' && method !== 'disconnect'));
  return new Proxy({} as Connector, {
    get(_target, property) {
      const value: unknown = Reflect.get(inner, property, inner);
      if (typeof value !== 'function') return value;
      const method = value as (...args: unknown[]) => unknown;
      if (!commands.has(property)) return method.bind(inner);
      return async (...args: unknown[]) => {
        // The options are the last argument of every command; commands with optional arguments may get fewer.
        const options = args.find((arg): arg is CommandOptions => typeof arg === 'object' && arg !== null && 'signal' in arg);
        if (options?.signal?.aborted === true) throw aborted();
        await sleep(DEAF_LATENCY_MS);
        return method.apply(inner, args.map((arg) => (arg === options ? { ...options, signal: undefined } : arg)));
      };
    },
  });
}

/**
 * Sends after a latency that ignores the signal, then rejects as aborted when the signal was aborted meanwhile:
 * the caller is told nothing was sent, but the message was written.
 */
export function midFlightAbortAfterWriteConnector(): Connector {
  const inner = createMemoryConnector();
  return withOverrides(inner, {
    sendMessage: async (draft, options) => {
      if (options?.signal?.aborted === true) throw aborted();
      await sleep(DEAF_LATENCY_MS);
      // Writes, then reports the abort, and forgets the key: the desk's retry then writes a second copy.
      const sent = await inner.sendMessage(draft, isAborted(options?.signal) ? {} : { idempotencyKey: options?.idempotencyKey });
      if (isAborted(options?.signal)) throw aborted();
      return sent;
    },
  });
}

/** Accepts offers but never says so on events$: the accepted offer's offer.revoked event is dropped. */
export function silentOfferAcceptConnector(): Connector {
  const inner = createMemoryConnectorWithOffers();
  return withOverrides(inner, {
    events$: inner.events$.pipe(filter((event) => !(event.type === 'offer.revoked' && event.reason === 'accepted'))),
  });
}

/** Merges customers, but getCustomer still answers for the merged source with its old profile, like a stale cache. */
export function staleMergeSourceConnector(): Connector {
  const inner = createMemoryConnectorWithOffers();
  const mergedSources = new Map<string, Customer>();
  return withOverrides(inner, {
    mergeCustomers: async (targetId, sourceId, options) => {
      const source = await inner.getCustomer(sourceId).catch(() => undefined);
      const merged = await inner.mergeCustomers(targetId, sourceId, options);
      if (source !== undefined) mergedSources.set(sourceId, source);
      return merged;
    },
    getCustomer: async (id, options) => mergedSources.get(id) ?? inner.getCustomer(id, options),
  });
}

/** Rejects an unknown customer id with a plain Error instead of a ConnectorError. */
export function plainErrorConnector(): Connector {
  const inner = createMemoryConnector();
  return withOverrides(inner, {
    getCustomer: async (id, options) => {
      try {
        return await inner.getCustomer(id, options);
      } catch (error) {
        if (isNotFound(error)) throw new Error(`No customer ${id}`);
        throw error;
      }
    },
  });
}

/** Answers getConversation for an unknown id with a made-up conversation, like a cache that invents defaults. */
export function phantomConversationConnector(): Connector {
  const inner = createMemoryConnector();
  return withOverrides(inner, {
    getConversation: async (id, options) => {
      try {
        return await inner.getConversation(id, options);
      } catch (error) {
        if (!isNotFound(error)) throw error;
        const phantom: Conversation = {
          id,
          channel: 'webchat',
          customerId: 'unknown',
          status: 'open',
          priority: 'normal',
          assigneeId: null,
          queueId: null,
          subject: null,
          createdAt: 0,
          lastMessageAt: 0,
          lastMessagePreview: '',
          unreadCount: 0,
          firstResponseDueAt: null,
          replyWindowEndsAt: null,
        };
        return phantom;
      }
    },
  });
}

/** Reveals whatever it is asked for: an identity the customer does not have comes back as if it were theirs. */
export function revealAnythingConnector(): Connector {
  const inner = createMemoryConnector();
  return withOverrides(inner, {
    revealIdentity: async (customerId, identity, options) => {
      try {
        return await inner.revealIdentity(customerId, identity, options);
      } catch (error) {
        if (isNotFound(error)) return identity;
        throw error;
      }
    },
  });
}

/** Leaves the permissions out of agent.updated events, so a desk that takes the agent from them grants everything. */
export function permissionDroppingConnector(): Connector {
  const inner = createMemoryConnector();
  return withOverrides(inner, {
    events$: inner.events$.pipe(
      map((event): ConnectorEvent => {
        if (event.type !== 'agent.updated') return event;
        const { permissions: _dropped, ...agent } = event.agent;
        return { ...event, agent };
      }),
    ),
  });
}

/** Signs in a role that sees PII masked (the demo seed's `agent`), but getCustomer answers with clear identities. */
export function unmaskedProfileConnector(): Connector {
  const inner = createMemoryConnector({ role: 'agent' });
  return withOverrides(inner, {
    getCustomer: async (id, options) => {
      const customer = await inner.getCustomer(id, options);
      const identities = await Promise.all(customer.identities.map((identity) => inner.revealIdentity(id, identity, options)));
      return { ...customer, identities };
    },
  });
}

/** Reports its agent with a permission the contract does not know (a typo of `view-pii`). */
export function unknownPermissionConnector(): Connector {
  const inner = createMemoryConnector();
  return withOverrides(inner, {
    connect: async (options) => {
      const session = await inner.connect(options);
      const permissions = [...(session.agent.permissions ?? []), 'view-pi'] as readonly Permission[];
      return { ...session, agent: { ...session.agent, permissions } };
    },
  });
}

/** Drops the idempotency key of sendMessage, so a retried send writes twice. */
export function idempotencyIgnoringConnector(): Connector {
  const inner = createMemoryConnector();
  return withOverrides(inner, {
    sendMessage: (draft, options) => inner.sendMessage(draft, { signal: options?.signal }),
  });
}

/**
 * Rejects with its own `ConnectorError` class, as a connector from another bundle would: not `instanceof` ours,
 * but the same name and codes. It is conformant.
 */
export function foreignErrorClassConnector(): Connector {
  class ForeignConnectorError extends Error {
    readonly code: string;
    constructor(code: string, message: string) {
      super(message);
      this.name = 'ConnectorError';
      this.code = code;
    }
  }
  const inner = createMemoryConnector();
  return new Proxy({} as Connector, {
    get(_target, property) {
      const value: unknown = Reflect.get(inner, property, inner);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        const result: unknown = (value as (...args: unknown[]) => unknown).apply(inner, args);
        if (!(result instanceof Promise)) return result;
        return result.catch((error: unknown) => {
          throw error instanceof ConnectorError ? new ForeignConnectorError(error.code, error.message) : error;
        });
      };
    },
  });
}

const CONNECTOR_METHODS = [
  'connect', 'disconnect', 'snapshot', 'getAgent', 'setPresence', 'setCapacity', 'listQueues', 'listAgents',
  'listConversations', 'getConversation', 'listMessages', 'sendMessage', 'markRead', 'assignConversation',
  'setConversationStatus', 'acceptOffer', 'declineOffer', 'getCustomer', 'findCustomers', 'updateCustomer',
  'listDuplicateCandidates', 'mergeCustomers', 'listCustomerConversations', 'listTickets', 'getTicket',
  'createTicket', 'updateTicket', 'commentTicket', 'searchKnowledge', 'getArticle', 'rateArticle', 'suggestArticles',
  'listCannedReplies', 'getTelephonyConfig',
] as const satisfies readonly (keyof Connector)[];

/** Every command returns a Promise that never settles, like a backend that accepts requests and never answers. */
export function neverSettlingConnector(): Connector {
  const inner = createMemoryConnector();
  const methods = new Set<PropertyKey>(CONNECTOR_METHODS);
  return new Proxy({} as Connector, {
    get(_target, property) {
      if (methods.has(property)) return () => new Promise<never>(() => undefined);
      // Properties only (capabilities, state, state$, events$); `then` stays undefined so it is not a thenable.
      const value: unknown = Reflect.get(inner, property, inner);
      return typeof value === 'function' ? undefined : value;
    },
  });
}
