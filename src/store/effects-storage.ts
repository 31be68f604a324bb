import { EMPTY, Observable, Subscription, catchError, concat, defer, filter, from, map, mergeMap, of, shareReplay, switchMap, take, takeUntil } from 'rxjs';
import type { Message } from '../connector/model.js';
import type { CacheWrite, CachedDesk, CachedThread } from '../storage/conversation-cache.js';
import { CACHE_LIMITS } from '../storage/conversation-cache.js';
import type { DeskStorage } from '../storage/desk-storage.js';
import { toStorageError } from '../storage/errors.js';
import type { DraftRecord, OutboxEntry } from '../storage/schema.js';
import type { Action } from './action.js';
import * as actions from './actions.js';
import { accessChanged } from './actions-access.js';
import { storageRecordsUnreadable } from './actions-local-data.js';
import { accessFingerprint, readCacheFingerprint, writeCacheFingerprint } from './access-fingerprint.js';
import { selectAgent } from './selectors.js';
import { stopped, type Effect, type StorageAccess } from './effect.js';
import type { ErrorInfo } from './errors.js';
import type { Thread } from './slices/threads.js';
import type { DeskState } from './state.js';

/**
 * The storage a store is given: one that is ready, or a function that opens one once the agent is known (the
 * namespace is usually the agent's id, which only `connect()` tells).
 */
export type StorageOption = DeskStorage | ((agentId: string) => DeskStorage);

/** Changes to the conversation cache are written at most this often. */
export const CACHE_WRITE_INTERVAL_MS = 2000;

/** How the effects reach a storage option; a function is called once, with the agent of the first connect. */
export function storageAccess(option: StorageOption, owned: boolean, actions$: Observable<Action>): StorageAccess {
  if (typeof option !== 'function') return { storage$: of(option), owned };
  const storage$ = actions$.pipe(
    filter(actions.connected.match),
    take(1),
    map(({ payload }) => option(payload.agent.id)),
    shareReplay({ bufferSize: 1, refCount: false }),
  );
  return { storage$, owned: true };
}

const asErrorInfo = (message: string): ErrorInfo => ({ code: 'unavailable', message });

/**
 * The warning a storage failure deserves: a full disk, an outdated page, or storage that does not work. Nothing
 * for a database closed because the store stopped.
 */
export function storageProblem(error: unknown, what: 'outbox' | 'drafts' | 'cache', clientKey?: string): Action | null {
  const problem = toStorageError(error);
  const info = asErrorInfo(problem.message);
  switch (problem.reason) {
    case 'quota':
      return actions.storageQuotaExceeded(clientKey === undefined ? { error: info, what } : { error: info, what, clientKey });
    case 'outdated':
      return actions.storageOutdated({ error: info });
    case 'closed':
      return null;
    case 'unsent':
    case 'failed':
      return actions.storageFailed({ error: info });
  }
}

/** Tells the agent when another tab holds the storage back, or when it cannot be opened at all. */
export const storageEventsEffect: Effect = (actions$, { storage }) => {
  if (!storage) return EMPTY;
  return storage.storage$.pipe(
    switchMap((desk) => desk.events$),
    mergeMap((event) => {
      if (event.type === 'blocked') {
        return of(actions.storageBlocked({ error: asErrorInfo('Another tab of the desk holds an older version of its storage open.') }));
      }
      if (event.type === 'failed') {
        const problem = storageProblem(event.error, 'cache');
        return problem ? of(problem) : EMPTY;
      }
      if (event.type === 'unreadable') return of(storageRecordsUnreadable({ error: asErrorInfo(event.message), count: event.count }));
      return EMPTY;
    }),
    takeUntil(stopped(actions$)),
  );
};

interface Stored {
  readonly cache: CachedDesk | null;
  readonly drafts: readonly DraftRecord[];
  readonly outbox: readonly OutboxEntry[];
  readonly problems: readonly Action[];
}

async function readStored(storage: DeskStorage): Promise<Stored> {
  const [cache, drafts, outbox] = await Promise.allSettled([storage.loadCache(), storage.loadDrafts(), storage.listOutbox()]);
  const problems: Action[] = [];
  for (const result of [cache, drafts, outbox]) {
    const problem = result.status === 'rejected' ? storageProblem(result.reason, 'cache') : null;
    // One broken database fails all three reads the same way: one warning says it.
    if (problem && !problems.some((held) => held.type === problem.type)) problems.push(problem);
  }
  return {
    cache: cache.status === 'fulfilled' ? cache.value : null,
    drafts: drafts.status === 'fulfilled' ? drafts.value : [],
    outbox: outbox.status === 'fulfilled' ? outbox.value : [],
    problems,
  };
}

/** An entry found at start: whatever was under way when the page went is now of unknown outcome. */
function asRestored(entry: OutboxEntry): OutboxEntry {
  if (entry.state === 'failed' || entry.state === 'unknown') return entry;
  if (entry.state === 'in-flight' || entry.attempts > 0) return { ...entry, state: 'unknown', nextAttemptAt: null };
  return entry;
}

/** Cached conversations that the first snapshot did not bring back, unless the agent is using them. */
function expiredConversations(restored: readonly string[], state: DeskState, snapshotIds: ReadonlySet<string>): string[] {
  const inUse = new Set<string>();
  state.outbox.entries.forEach((item) => inUse.add(item.conversationId));
  return restored.filter(
    (id) => !snapshotIds.has(id) && id !== state.ui.selectedConversationId && !state.ui.drafts.has(id) && !inUse.has(id),
  );
}

/**
 * At start, before the backend answers: what the desk cached, the agent's drafts and the unconfirmed sends. The
 * cache only paints; when the snapshot has already arrived it is left out, and the first snapshot after it
 * drops the cached conversations it no longer has.
 *
 * The cache is painted only under the access it was written with (see access-fingerprint.ts): a cache known to
 * hold no clear PII paints at once; one that may hold clear PII waits for the agent, paints if the agent may see
 * PII, and is deleted, unpainted, if not (the same agent with another role or token). Drafts and the outbox are
 * the agent's own words and are kept: what the agent typed is theirs under any role, and an unsent reply must
 * still be sent.
 */
export const restoreEffect: Effect = (actions$, { storage, getState }) => {
  if (!storage) return EMPTY;
  const agent$ = defer(() => {
    const known = selectAgent(getState());
    return known ? of(known) : actions$.pipe(filter(actions.connected.match), take(1), map(({ payload }) => payload.agent));
  });
  return actions$.pipe(
    filter(actions.workspaceStarted.match),
    take(1),
    switchMap(() => storage.storage$.pipe(take(1))),
    switchMap((desk) => from(readStored(desk)).pipe(map((stored) => ({ desk, stored })))),
    mergeMap(({ desk, stored: { cache, drafts, outbox, problems } }) => {
      const restored: Action[] = [...problems];
      if (drafts.length > 0) restored.push(actions.draftsRestored({ drafts: drafts.map(({ conversationId, text }) => ({ conversationId, text })) }));
      // Always said, even when empty: the outbox holds new sends back until it knows what came before them.
      restored.push(actions.outboxRestored({ entries: outbox.map(asRestored) }));
      const cached = cache !== null && cache.conversations.length > 0 ? cache : null;
      const paint = (): Observable<Action> => {
        if (cached === null || getState().connection.sync === 'live') return EMPTY;
        const restoredIds = cached.conversations.map((conversation) => conversation.id);
        const expiry = actions$.pipe(
          filter(actions.snapshotLoaded.match),
          take(1),
          map(({ payload }) => expiredConversations(restoredIds, getState(), new Set(payload.snapshot.conversations.map((c) => c.id)))),
          filter((conversationIds) => conversationIds.length > 0),
          map((conversationIds) => actions.cachedConversationsExpired({ conversationIds })),
        );
        return concat(of(actions.cacheRestored(cached)), expiry);
      };
      if (readCacheFingerprint(desk.name) === 'masked') return concat(paint(), from(restored));
      const checked = agent$.pipe(
        take(1),
        takeUntil(stopped(actions$)),
        mergeMap((agent) => (accessFingerprint(agent) === 'view-pii' ? paint() : forgetCache(desk))),
      );
      return concat(from(restored), checked);
    }),
    takeUntil(stopped(actions$)),
  );
};

/** Deletes a cache that may hold clear PII, for an agent who may not see it; then marks the cache as masked. */
function forgetCache(desk: DeskStorage): Observable<Action> {
  return from(desk.writeCache({ conversations: [], customers: [], threads: [], removed: [], replace: true })).pipe(
    mergeMap(() => {
      writeCacheFingerprint(desk.name, 'masked');
      return EMPTY;
    }),
    catchError((error: unknown) => {
      const problem = storageProblem(error, 'cache');
      return problem ? of(problem) : EMPTY;
    }),
  );
}

/**
 * Keeps each conversation's draft, written as it changes: a page can be torn down at any moment (a reload, a
 * crash, a closed laptop) and a write begun in `pagehide` does not reliably finish. One write is in flight at a
 * time; what changes meanwhile is written, newest text only, as soon as it settles. On send, when the page is
 * hidden and when the store stops, what is pending is written at once (IndexedDB applies transactions on the same
 * store in the order they were opened). A sent message's draft is dropped with the outbox write.
 */
export const draftsEffect: Effect = (actions$, { storage, getState }) => {
  if (!storage) return EMPTY;
  return new Observable<Action>((subscriber) => {
    let current: DeskStorage | null = null;
    // The text as it was when it changed: by the time a write is due (on stop, say) the state may be gone.
    const pending = new Map<string, string>();
    let inFlight = false;
    const write = (): void => {
      if (!current || pending.size === 0) return;
      const changes = [...pending].map(([conversationId, text]) => ({ conversationId, text }));
      pending.clear();
      inFlight = true;
      current
        .writeDrafts(changes)
        .catch((error: unknown) => {
          const problem = storageProblem(error, 'drafts');
          if (problem && !subscriber.closed) subscriber.next(problem);
        })
        .finally(() => {
          inFlight = false;
          if (!subscriber.closed) writeWhenIdle();
        });
    };
    const writeWhenIdle = (): void => {
      if (!inFlight) write();
    };
    const onVisibility = (): void => {
      if (document.visibilityState === 'hidden') write();
    };
    const subscription = new Subscription();
    // Drafts typed before the storage was known are written as soon as it is.
    subscription.add(
      storage.storage$.subscribe((desk) => {
        current = desk;
        write();
      }),
    );
    subscription.add(
      actions$.subscribe((action) => {
        if (actions.draftChanged.match(action) || actions.composerTextInserted.match(action)) {
          const { conversationId } = action.payload;
          pending.set(conversationId, getState().ui.drafts.get(conversationId) ?? '');
          writeWhenIdle();
        } else if (actions.messageSubmitted.match(action)) {
          // The outbox write removes this conversation's draft in its own transaction.
          pending.delete(action.payload.conversationId);
          write();
        }
      }),
    );
    window.addEventListener('pagehide', write);
    document.addEventListener('visibilitychange', onVisibility);
    return () => {
      window.removeEventListener('pagehide', write);
      document.removeEventListener('visibilitychange', onVisibility);
      write();
      subscription.unsubscribe();
    };
  });
};

/** The messages the backend has: what the outbox holds is restored from there, not from the cache. */
const confirmedMessages = (thread: Thread): readonly Message[] =>
  thread.messages.filter((message) => message.delivery !== 'sending' && message.delivery !== 'failed');

/** What to write: everything after a snapshot, otherwise what changed. O(changes) except after a snapshot. */
function cacheWrite(state: DeskState, changed: { replace: boolean; conversations: Set<string>; threads: Set<string>; customers: Set<string>; removed: Set<string> }): CacheWrite {
  const conversationIds = changed.replace
    ? state.conversations.entities
        .values()
        .sort((a, b) => b.lastMessageAt - a.lastMessageAt)
        .slice(0, CACHE_LIMITS.conversations)
        .map((conversation) => conversation.id)
    : [...changed.conversations];
  const conversations = conversationIds.flatMap((id) => state.conversations.entities.get(id) ?? []);
  const customerIds = new Set([...changed.customers, ...conversations.map((conversation) => conversation.customerId)]);
  const threadIds = changed.replace ? conversationIds : [...changed.threads];
  const threads: CachedThread[] = [];
  for (const conversationId of threadIds) {
    const thread = state.threads.byConversation.get(conversationId);
    // Only a page the backend gave: a thread reset by a snapshot (or still loading) keeps its cached page.
    if (thread?.status === 'loaded') threads.push({ conversationId, messages: confirmedMessages(thread).slice(-CACHE_LIMITS.messagesPerConversation) });
  }
  return {
    conversations,
    customers: [...customerIds].flatMap((id) => state.customers.entities.get(id) ?? []),
    threads,
    removed: [...changed.removed],
    replace: changed.replace,
  };
}

/**
 * Keeps the conversation cache: from the first snapshot on, the conversations, their customers and the last page
 * of each loaded thread, written at most every 2 s (and when the page is hidden).
 */
export const cacheEffect: Effect = (actions$, { storage, getState }) => {
  if (!storage) return EMPTY;
  return new Observable<Action>((subscriber) => {
    let current: DeskStorage | null = null;
    let live = false;
    const changed = { replace: false, conversations: new Set<string>(), threads: new Set<string>(), customers: new Set<string>(), removed: new Set<string>() };
    let timer: ReturnType<typeof setTimeout> | undefined;
    const dirty = (): boolean =>
      changed.replace || changed.conversations.size + changed.threads.size + changed.customers.size + changed.removed.size > 0;
    const flush = (): void => {
      clearTimeout(timer);
      timer = undefined;
      if (!current || !dirty()) return;
      const state = getState();
      const agent = selectAgent(state);
      // Said before the data it describes: this cache may hold clear PII from now on (see access-fingerprint.ts).
      if (agent && accessFingerprint(agent) === 'view-pii') writeCacheFingerprint(current.name, 'view-pii');
      const write = cacheWrite(state, changed);
      changed.replace = false;
      for (const set of [changed.conversations, changed.threads, changed.customers, changed.removed]) set.clear();
      current.writeCache(write).catch((error: unknown) => {
        const problem = storageProblem(error, 'cache');
        if (problem && !subscriber.closed) subscriber.next(problem);
      });
    };
    const schedule = (): void => {
      timer ??= setTimeout(flush, CACHE_WRITE_INTERVAL_MS);
    };
    const note = (action: Action): void => {
      if (accessChanged.match(action) && !action.payload.viewPii) {
        // The cache may hold clear PII this agent may no longer see: emptied now, before anything is written
        // under the new rights (the next snapshot rewrites it, masked).
        clearTimeout(timer);
        timer = undefined;
        // Nothing is written until the next snapshot: a late answer asked for under the old rights stays out.
        live = false;
        changed.replace = false;
        for (const set of [changed.conversations, changed.threads, changed.customers, changed.removed]) set.clear();
        if (current) subscription.add(forgetCache(current).subscribe((problem) => subscriber.next(problem)));
        return;
      }
      if (actions.snapshotLoaded.match(action)) {
        live = true;
        changed.replace = true;
      } else if (!live) {
        // Until the first snapshot the state holds what came from the cache: nothing new to write.
        return;
      } else if (actions.eventReceived.match(action)) {
        const { event } = action.payload;
        if (event.type === 'conversation.upserted') changed.conversations.add(event.conversation.id);
        else if (event.type === 'conversation.removed') changed.removed.add(event.conversationId);
        else if (event.type === 'message.added' || event.type === 'message.updated') changed.threads.add(event.message.conversationId);
        else if (event.type === 'customer.updated') changed.customers.add(event.customer.id);
        else return;
      } else if (actions.conversationsPageLoaded.match(action)) {
        for (const conversation of action.payload.conversations) changed.conversations.add(conversation.id);
      } else if (actions.messagesLoaded.match(action) || actions.messageSent.match(action)) {
        changed.threads.add(action.payload.conversationId);
      } else if (actions.customersLoaded.match(action)) {
        for (const customer of action.payload.customers) changed.customers.add(customer.id);
      } else if (actions.cachedConversationsExpired.match(action)) {
        for (const id of action.payload.conversationIds) changed.removed.add(id);
      } else {
        return;
      }
      schedule();
    };
    const onVisibility = (): void => {
      if (document.visibilityState === 'hidden') flush();
    };
    const subscription = new Subscription();
    subscription.add(
      storage.storage$.subscribe((desk) => {
        current = desk;
        if (dirty()) schedule();
      }),
    );
    subscription.add(actions$.subscribe(note));
    window.addEventListener('pagehide', flush);
    document.addEventListener('visibilitychange', onVisibility);
    return () => {
      // Not flushed here: the store is stopping and its state is already gone; the cache is only a head start.
      clearTimeout(timer);
      window.removeEventListener('pagehide', flush);
      document.removeEventListener('visibilitychange', onVisibility);
      subscription.unsubscribe();
    };
  });
};

export const storageEffects: readonly Effect[] = [storageEventsEffect, restoreEffect, draftsEffect, cacheEffect];
