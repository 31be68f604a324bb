import { EMPTY, Observable, ReplaySubject, Subscription, filter, firstValueFrom, map, of, switchMap, take, takeUntil } from 'rxjs';
import type { ConnectionState, Connector, ConnectorEvent } from '../connector/connector.js';
import type { Agent } from '../connector/model.js';
import type { TabCoordinator } from '../tabs/tabs.js';
import { createTabTelephony } from '../telephony/tab-telephony.js';
import { TelephonyError, type Telephony } from '../telephony/telephony.js';
import type { TelephonyOption } from './effects-calls.js';
import type { Action } from './action.js';
import * as actions from './actions.js';
import * as calls from './actions-calls.js';
import { stopped, type Effect, type EffectDependencies } from './effect.js';
import type { DeskState } from './state.js';

/**
 * The tab coordinator a store is given: one that is ready, or a function that makes one once the agent is known
 * (its name should be per agent and backend, like the storage's namespace).
 */
export type TabsOption = TabCoordinator | ((agentId: string, agent: Agent) => TabCoordinator);

/**
 * A connector whose event socket one tab can hold for all the tabs of the agent (the HttpConnector). A connector
 * without these methods (the MemoryConnector: a backend per tab) is never shared.
 */
export interface SharedSocketConnector extends Connector {
  /** Another tab holds the socket: close this one's, and keep it closed on `connect()`; commands still work. */
  releaseEventSocket(): void;
  /** This tab holds the socket now: open it, subscribing after `since` (what the tab applied) at the latest. */
  holdEventSocket(since: Readonly<Record<string, number>>): void;
}

export function sharesEventSocket(connector: Connector): connector is SharedSocketConnector {
  const candidate = connector as Partial<SharedSocketConnector>;
  return typeof candidate.releaseEventSocket === 'function' && typeof candidate.holdEventSocket === 'function';
}

/** How the effects reach the tabs of this agent (see `CreateStoreOptions.tabs`). */
export interface TabsAccess {
  /** Emits the coordinator once the agent is known (replayed to later subscribers), then completes. */
  readonly coordinator$: Observable<TabCoordinator>;
  /**
   * The connector whose event socket and outbox the leader tab holds for all; null when every tab keeps its own
   * (a connector that is a backend per tab, or a desk without storage): the coordinator then serves the phone alone.
   */
  readonly connector: SharedSocketConnector | null;
  /** Whether the store closes the coordinator when it stops. */
  readonly owned: boolean;
}

/** The tabs access when the leader tab holds the event socket and the outbox flush for all; null otherwise. */
export function sharedSocketTabs(tabs: TabsAccess | null | undefined): (TabsAccess & { readonly connector: SharedSocketConnector }) | null {
  return tabs?.connector ? (tabs as TabsAccess & { readonly connector: SharedSocketConnector }) : null;
}

/** Topics on the coordinator: what the leader's socket brought, its word that events were lost, its socket's state. */
export const TAB_TOPICS = {
  events: 'desk.events',
  resync: 'desk.resync',
  connectionState: 'desk.connection-state',
  outboxChanged: 'desk.outbox-changed',
  outboxOutcome: 'desk.outbox-outcome',
  wrapUpClosed: 'phone.wrap-up-closed',
} as const;

/** A tab's word that the agent saved or discarded a call's wrap-up there. */
interface WrapUpClosed {
  readonly callId: string;
  readonly saved: boolean;
}

/**
 * How the effects reach a tabs option; a function is called once, with the agent of the first connect. Call it
 * before the effects subscribe to `actions$`.
 */
export function tabsAccess(option: TabsOption, connector: SharedSocketConnector | null, actions$: Observable<Action>): TabsAccess {
  if (typeof option !== 'function') return { coordinator$: of(option), connector, owned: false };
  // Made before any effect hears of the connect (this is the first subscriber), so they all find it there.
  const coordinator$ = new ReplaySubject<TabCoordinator>(1);
  actions$
    .pipe(
      filter(actions.connected.match),
      take(1),
      // The agent too: tabs whose roles see different data must not share a leader (see tabCoordinatorName).
      map(({ payload }) => option(payload.agent.id, payload.agent)),
    )
    .subscribe(coordinator$);
  return { coordinator$: coordinator$.asObservable(), connector, owned: true };
}

/** Emits whether this tab leads, once the coordinator is known; always true without tabs (this tab is alone). */
export function leading$(dependencies: EffectDependencies): Observable<boolean> {
  const tabs = dependencies.tabs;
  return tabs ? tabs.coordinator$.pipe(switchMap((coordinator) => coordinator.isLeader$)) : of(true);
}

/**
 * The backend events this tab applies: the connector's own, or, with tabs, those of the leader's socket (the
 * connector's own in the leader, what the leader passes on in the others).
 */
export function deskEvents$({ connector, tabs: access }: EffectDependencies): Observable<ConnectorEvent> {
  const tabs = sharedSocketTabs(access);
  if (!tabs) return connector.events$;
  return tabs.coordinator$.pipe(
    switchMap((coordinator) =>
      coordinator.isLeader$.pipe(
        switchMap((leads) => (leads ? connector.events$ : coordinator.messages<ConnectorEvent>(TAB_TOPICS.events).pipe(map((message) => message.body)))),
      ),
    ),
  );
}

/** The connector's word that events were lost (`Connector.resync$`); with tabs, the leader's. */
export function deskResync$({ connector, tabs: access }: EffectDependencies): Observable<void> {
  const own = connector.resync$ ?? EMPTY;
  const tabs = sharedSocketTabs(access);
  if (!tabs) return own;
  return tabs.coordinator$.pipe(
    switchMap((coordinator) =>
      coordinator.isLeader$.pipe(switchMap((leads) => (leads ? own : coordinator.messages<null>(TAB_TOPICS.resync).pipe(map(() => undefined))))),
    ),
  );
}

/** The last applied sequence number of every stream: where a tab that takes the socket over resumes. */
function appliedSequences(state: DeskState): Record<string, number> {
  const since: Record<string, number> = {};
  state.connection.sequences.forEach((seq, stream) => {
    since[stream] = seq;
  });
  return since;
}

/**
 * One event socket for all the tabs of the agent. The leader tab holds it (resuming after what this tab applied,
 * when it takes over from another) and passes on to the other tabs what it brings: the events, the word that
 * events were lost, and its state, which the others show as their connection state. The others close theirs.
 */
export const tabsEffect: Effect = (actions$, dependencies) => {
  const { getState } = dependencies;
  const tabs = sharedSocketTabs(dependencies.tabs);
  if (!tabs) return EMPTY;
  const { connector } = tabs;
  return actions$.pipe(
    filter(actions.connected.match),
    take(1),
    switchMap(() => tabs.coordinator$),
    switchMap((coordinator) =>
      coordinator.isLeader$.pipe(
        switchMap(
          (leads) =>
            new Observable<Action>((subscriber) => {
              const subscription = new Subscription();
              if (leads) {
                connector.holdEventSocket(appliedSequences(getState()));
                subscription.add(connector.events$.subscribe((event) => coordinator.post(TAB_TOPICS.events, event)));
                if (connector.resync$) subscription.add(connector.resync$.subscribe(() => coordinator.post(TAB_TOPICS.resync, null)));
                subscription.add(connector.state$.subscribe((state) => coordinator.post(TAB_TOPICS.connectionState, state)));
                subscription.add(coordinator.handle<null, ConnectionState>(TAB_TOPICS.connectionState, () => connector.state));
                // A state shown while following gives way to this tab's own.
                if (getState().connection.state !== connector.state) subscriber.next(actions.connectionStateChanged({ state: connector.state }));
                return subscription;
              }
              connector.releaseEventSocket();
              // While REST works here, the desk is as connected as the leader's socket is.
              const show = (leaderState: ConnectionState): void => {
                const state = connector.state === 'connected' && leaderState !== 'disconnected' && leaderState !== 'connecting' ? leaderState : connector.state;
                if (!subscriber.closed && getState().connection.state !== state) subscriber.next(actions.connectionStateChanged({ state }));
              };
              subscription.add(coordinator.messages<ConnectionState>(TAB_TOPICS.connectionState).subscribe((message) => show(message.body)));
              coordinator.request<null, ConnectionState>(TAB_TOPICS.connectionState, null).then(show, () => undefined);
              return subscription;
            }),
        ),
      ),
    ),
    takeUntil(stopped(actions$)),
  );
};

/**
 * The desk's phone shared by the tabs of the agent (see `createTabTelephony`): the leader tab alone registers and
 * rings, the others show its calls and act on them through it. Without tabs the option is left as it is.
 */
export function tabTelephonyOption(option: TelephonyOption | null, tabs: TabsAccess | null | undefined): TelephonyOption | null {
  if (!option || !tabs) return option;
  return {
    ...option,
    create: async () => {
      // The option decides whether this desk has a phone at all; the one it makes first serves the first leadership.
      let unused: Telephony | null = await option.create();
      if (!unused) return null;
      const coordinator = await firstValueFrom(tabs.coordinator$);
      return createTabTelephony(coordinator, async () => {
        const phone = unused ?? (await option.create());
        unused = null;
        if (!phone) throw new TelephonyError('not-started', 'This desk has no phone.');
        return phone;
      });
    },
    ringsHere$: tabs.coordinator$.pipe(switchMap((coordinator) => coordinator.isLeader$)),
  };
}

/**
 * Every tab opens the wrap-up of a call that ended (they all show the leader's calls); the agent fills it in in one.
 * Once saved or discarded there, the other tabs close theirs, so no stale form is saved again elsewhere.
 */
export const wrapUpTabsEffect: Effect = (actions$, { tabs }) => {
  if (!tabs) return EMPTY;
  return tabs.coordinator$.pipe(
    switchMap(
      (coordinator) =>
        new Observable<Action>((subscriber) => {
          const subscription = actions$.subscribe((action) => {
            const closed: WrapUpClosed | null = calls.callRecordSaved.match(action)
              ? { callId: action.payload.callId, saved: true }
              : calls.wrapUpDiscarded.match(action)
                ? { callId: action.payload.callId, saved: false }
                : null;
            if (closed) coordinator.post(TAB_TOPICS.wrapUpClosed, closed);
          });
          subscription.add(
            coordinator.messages<WrapUpClosed>(TAB_TOPICS.wrapUpClosed).subscribe(({ body }) => subscriber.next(calls.wrapUpClosedElsewhere(body))),
          );
          return subscription;
        }),
    ),
    takeUntil(stopped(actions$)),
  );
};
