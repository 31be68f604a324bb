import {
  EMPTY,
  Observable,
  Subscription,
  catchError,
  exhaustMap,
  filter,
  finalize,
  map,
  merge,
  mergeMap,
  of,
  switchMap,
  takeUntil,
  timer,
} from 'rxjs';
import type { ConnectorEvent } from '../connector/connector.js';
import type { Action } from './action.js';
import * as actions from './actions.js';
import { toErrorInfo } from './errors.js';
import { command, stopped, type Effect } from './effect.js';
import { agentStatusEffects } from './effects-agent-status.js';
import { conversationEffects } from './effects-conversation.js';
import { customer360Effect } from './effects-customer360.js';
import { knowledgeEffects } from './effects-knowledge.js';
import { offersEffect } from './effects-offers.js';
import { outboxEffect } from './effects-outbox.js';
import { storageEffects } from './effects-storage.js';
import { ticketsEffect } from './effects-tickets.js';
import { deskEvents$, deskResync$, tabsEffect, wrapUpTabsEffect } from './effects-tabs.js';
import { callsEffects } from './effects-calls.js';
import { accessChanged } from './actions-access.js';
import { accessChangeEffect, auditEffect, forgetRevealsEffect, revealEffect } from './effects-audit.js';

export { command, type Effect, type EffectDependencies, type StorageAccess } from './effect.js';

/** Pauses between connect attempts while the backend cannot be reached (1 s doubling to 30 s, the upper half drawn at random). */
export function connectRetryDelay(failures: number, random: () => number = Math.random): number {
  const ceiling = Math.min(30_000, 1000 * 2 ** Math.max(0, failures - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/**
 * Connects when the workspace starts and mirrors the connector's connection state. A connect that fails because
 * the backend cannot be reached (`unavailable`: a desk opened while offline, or while the server restarts) is
 * tried again with backoff until it succeeds; any other refusal is final.
 */
export const connectEffect: Effect = (actions$, { connector, tabs }) => {
  const attempt = (failures: number): Observable<Action> =>
    command((signal) => {
      // With tabs the event socket is the leader tab's: it opens once this tab is known to lead (tabsEffect).
      tabs?.connector?.releaseEventSocket();
      return connector.connect({ signal });
    }).pipe(
      map((session): Action => actions.connected({ agent: session.agent, capabilities: connector.capabilities, resumesEvents: connector.resumesEvents === true })),
      catchError((error: unknown) => {
        const info = toErrorInfo(error);
        const failed = of<Action>(actions.connectFailed({ error: info }));
        if (info.code !== 'unavailable') return failed;
        return merge(failed, timer(connectRetryDelay(failures + 1)).pipe(mergeMap(() => attempt(failures + 1))));
      }),
    );
  return actions$.pipe(
    filter(actions.workspaceStarted.match),
    exhaustMap(() =>
      merge(connector.state$.pipe(map((state) => actions.connectionStateChanged({ state }))), attempt(0)).pipe(takeUntil(stopped(actions$))),
    ),
  );
};

/** Delays between snapshot attempts after a failure; the last one repeats. */
const SNAPSHOT_RETRY_MS = [1000, 3000, 10000, 30000];

/**
 * Loads a snapshot after connecting, after a gap in a stream and after a reconnect, and retries with
 * backoff while it fails. A newer trigger cancels the request in flight.
 */
export const snapshotEffect: Effect = (actions$, { connector, getState }) => {
  let failures = 0;
  const needsSnapshot = (action: Action): boolean =>
    actions.connected.match(action) ||
    (actions.eventReceived.match(action) && getState().connection.gap !== null && getState().connection.sync === 'syncing') ||
    (actions.connectionStateChanged.match(action) && action.payload.state === 'connected' && getState().connection.sync === 'syncing') ||
    actions.eventStreamResumed.match(action) ||
    actions.resyncRequested.match(action) ||
    accessChanged.match(action);
  const retries = actions$.pipe(
    filter(actions.snapshotFailed.match),
    mergeMap(() => timer(SNAPSHOT_RETRY_MS[Math.min(failures - 1, SNAPSHOT_RETRY_MS.length - 1)] ?? 1000)),
    filter(() => getState().connection.state === 'connected' && getState().connection.sync !== 'live'),
  );
  return merge(actions$.pipe(filter(needsSnapshot)), retries).pipe(
    switchMap(() =>
      command((signal) => connector.snapshot({ signal })).pipe(
        map((snapshot) => {
          failures = 0;
          return actions.snapshotLoaded({ snapshot });
        }),
        catchError((error: unknown) => {
          failures += 1;
          return of(actions.snapshotFailed({ error: toErrorInfo(error) }));
        }),
      ),
    ),
    takeUntil(stopped(actions$)),
  );
};

/** Pauses before subscribing again to a failed event stream; the last one repeats. */
const EVENT_STREAM_RETRY_MS = [1000, 2000, 5000, 10000, 30000];

/** Events that arrive while no snapshot is applied are held at most up to this count, then a fresh snapshot covers them. */
const MAX_HELD_EVENTS = 50000;

/**
 * Forwards backend events. While the store is not live (before the first snapshot, or while it resyncs
 * after a gap) events are held and replayed after the snapshot; the reducer drops what the snapshot covers.
 */
export const eventsEffect: Effect = (actions$, dependencies) => {
  const { getState } = dependencies;
  // The connector's events, or with tabs the leader tab's socket's.
  const events$ = deskEvents$(dependencies);
  return actions$.pipe(
    filter(actions.connected.match),
    switchMap(
      () =>
        new Observable<Action>((subscriber) => {
          let held: ConnectorEvent[] = [];
          let failures = 0;
          let retryTimer: ReturnType<typeof setTimeout> | undefined;
          const subscription = new Subscription(() => clearTimeout(retryTimer));
          const forward = (event: ConnectorEvent): void => {
            failures = 0;
            if (getState().connection.sync === 'live') subscriber.next(actions.eventReceived({ event }));
            else if (held.length < MAX_HELD_EVENTS) held.push(event);
          };
          // A failed stream is subscribed again after a growing pause; a snapshot then covers what it missed.
          const fail = (error: unknown): void => {
            subscriber.next(actions.eventStreamFailed({ error: toErrorInfo(error) }));
            const delay = EVENT_STREAM_RETRY_MS[Math.min(failures, EVENT_STREAM_RETRY_MS.length - 1)] ?? 1000;
            failures += 1;
            retryTimer = setTimeout(() => {
              subscriber.next(actions.eventStreamResumed());
              subscription.add(events$.subscribe({ next: forward, error: fail }));
            }, delay);
          };
          subscription.add(
            actions$.pipe(filter(actions.snapshotLoaded.match)).subscribe(() => {
              const replay = held;
              held = [];
              for (const event of replay) subscriber.next(actions.eventReceived({ event }));
            }),
          );
          subscription.add(events$.subscribe({ next: forward, error: fail }));
          return subscription;
        }),
    ),
    takeUntil(stopped(actions$)),
  );
};

/** Passes on a connector's own word that events were lost (see `Connector.resync$`). */
export const resyncEffect: Effect = (actions$, dependencies) =>
  actions$.pipe(
    filter(actions.connected.match),
    switchMap(() => deskResync$(dependencies).pipe(map(() => actions.resyncRequested()))),
    takeUntil(stopped(actions$)),
  );

/**
 * Loads a thread when it is opened or scrolled back, and marks an opened conversation read. A snapshot resets
 * every thread (they may have missed events), so the open one is loaded again right away.
 */
export const threadEffect: Effect = (actions$, { connector, getState }) => {
  const inFlight = new Set<string>();
  return merge(
    actions$.pipe(
      filter(actions.snapshotLoaded.match),
      map(() => getState().ui.selectedConversationId),
      filter((conversationId): conversationId is string => conversationId !== null),
      map((conversationId) => actions.threadReloadRequested({ conversationId })),
    ),
    actions$.pipe(
      filter(
        (action) =>
          actions.conversationSelected.match(action) ||
          actions.olderMessagesRequested.match(action) ||
          actions.threadReloadRequested.match(action),
      ),
      map((action) => (action as ReturnType<typeof actions.olderMessagesRequested>).payload.conversationId),
      // The reducer marks a thread `loading` only when a request is due; anything else is already in hand,
      // and a thread whose request is in flight (opened twice quickly, say) is not asked for again.
      filter((conversationId) => getState().threads.byConversation.get(conversationId)?.status === 'loading' && !inFlight.has(conversationId)),
      mergeMap((conversationId) => {
        inFlight.add(conversationId);
        const cursor = getState().threads.byConversation.get(conversationId)?.nextCursor ?? null;
        return command((signal) => connector.listMessages(conversationId, { cursor, limit: 50 }, { signal })).pipe(
          map((page) => actions.messagesLoaded({ conversationId, messages: page.items, nextCursor: page.nextCursor })),
          catchError((error: unknown) => of(actions.messagesFailed({ conversationId, error: toErrorInfo(error) }))),
          finalize(() => inFlight.delete(conversationId)),
        );
      }),
    ),
    actions$.pipe(
      filter(actions.conversationSelected.match),
      // Not switchMap: opening another conversation must not cancel marking the previous one read.
      mergeMap(({ payload: { conversationId } }) =>
        command((signal) => connector.markRead(conversationId, { signal })).pipe(
          mergeMap(() => EMPTY),
          catchError((error: unknown) => of(actions.markReadFailed({ conversationId, error: toErrorInfo(error) }))),
        ),
      ),
    ),
  ).pipe(takeUntil(stopped(actions$)));
};

/** Pages through the conversation list when the list asks for more. */
export const pagingEffect: Effect = (actions$, { connector, getState }) =>
  actions$.pipe(
    filter(actions.moreConversationsRequested.match),
    filter(() => getState().conversations.pageStatus === 'loading'),
    exhaustMap(() => {
      const cursor = getState().conversations.nextCursor;
      return command((signal) => connector.listConversations({ cursor, limit: 100, scope: 'all' }, { signal })).pipe(
        map((page) => actions.conversationsPageLoaded({ conversations: page.items, nextCursor: page.nextCursor })),
        catchError((error: unknown) => of(actions.conversationsPageFailed({ error: toErrorInfo(error) }))),
      );
    }),
    takeUntil(stopped(actions$)),
  );

/** Loads the customers that conversations refer to and the store does not hold yet, once each. */
export const customersEffect: Effect = (actions$, { connector, getState }) => {
  const requested = new Set<string>();
  // The conversations as they were before the action at hand. An update that keeps a conversation's customer
  // needs no check (that customer was checked when the conversation arrived); this spares the common event a
  // lookup among all customers, which at 10,000 of them is a cache miss or several.
  let before = getState().conversations.entities;
  const customerIdsOf = (action: Action): string[] => {
    if (actions.snapshotLoaded.match(action)) return action.payload.snapshot.conversations.map((c) => c.customerId);
    if (actions.conversationsPageLoaded.match(action)) return action.payload.conversations.map((c) => c.customerId);
    if (actions.eventReceived.match(action)) {
      const { event } = action.payload;
      if (event.type === 'conversation.upserted') {
        const { id, customerId } = event.conversation;
        return before.get(id)?.customerId === customerId ? [] : [customerId];
      }
      if (event.type === 'offer.created') return [event.offer.customerId];
    }
    return [];
  };
  // Claimed as soon as they are seen (not when the request starts, which may wait for a free slot), so an id that
  // comes again while queued is not loaded twice; and the common action (nothing missing) makes no inner stream.
  const missingCustomerIds = (action: Action): string[] => {
    // The customers were dropped with the right to see PII: each is loaded again when next referred to.
    if (accessChanged.match(action) && !action.payload.viewPii) requested.clear();
    const missing: string[] = [];
    for (const customerId of customerIdsOf(action)) {
      if (requested.has(customerId) || getState().customers.entities.has(customerId)) continue;
      requested.add(customerId);
      missing.push(customerId);
    }
    before = getState().conversations.entities;
    return missing;
  };
  return actions$.pipe(
    map(missingCustomerIds),
    filter((missing) => missing.length > 0),
    mergeMap((missing) => missing),
    mergeMap((customerId) => {
      return command((signal) => connector.getCustomer(customerId, { signal })).pipe(
        map((customer) => actions.customersLoaded({ customers: [customer] })),
        catchError((error: unknown) => {
          // Forget the attempt, so the next reference to this customer tries again.
          requested.delete(customerId);
          return of(actions.customerLoadFailed({ customerId, error: toErrorInfo(error) }));
        }),
      );
    }, 4),
    takeUntil(stopped(actions$)),
  );
};

export const deskEffects: readonly Effect[] = [
  connectEffect,
  snapshotEffect,
  eventsEffect,
  resyncEffect,
  threadEffect,
  tabsEffect,
  wrapUpTabsEffect,
  // Every send goes through the outbox, with storage or without.
  outboxEffect,
  ...storageEffects,
  pagingEffect,
  customersEffect,
  ...agentStatusEffects,
  offersEffect,
  ...conversationEffects,
  customer360Effect,
  ...knowledgeEffects,
  ticketsEffect,
  revealEffect,
  forgetRevealsEffect,
  accessChangeEffect,
  auditEffect,
  ...callsEffects,
];
