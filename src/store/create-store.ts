import { BehaviorSubject, Observable, Subject, Subscription, catchError, defer, distinctUntilChanged, map, merge, of, shareReplay } from 'rxjs';
import type { Connector } from '../connector/connector.js';
import type { Action } from './action.js';
import * as actions from './actions.js';
import { toErrorInfo } from './errors.js';
import { accessChanged } from './actions-access.js';
import { deskEffects, type Effect, type EffectDependencies } from './effects.js';
import { guardReads } from './read-guard.js';
import { storageAccess, type StorageOption } from './effects-storage.js';
import { sharesEventSocket, tabTelephonyOption, tabsAccess, type TabsOption } from './effects-tabs.js';
import { telephonyOption, type TelephonyOption } from './effects-calls.js';
import type { Telephony } from '../telephony/telephony.js';
import type { Selector } from './select.js';
import { deskReducer, initialDeskState, type DeskState } from './state.js';

/** The store a workspace hands down to its parts through context. */
export interface DeskStore {
  /** The current state; emits synchronously on subscribe. */
  readonly state$: Observable<DeskState>;
  /** Every action, after the reducer has applied it. */
  readonly actions$: Observable<Action>;
  getState(): DeskState;
  dispatch(action: Action): void;
  /** A shared, memoized stream of one selector's result; the same selector returns the same stream. */
  select<Result>(selector: Selector<DeskState, Result>): Observable<Result>;
  /** Tears down every effect and subscription. */
  destroy(): void;
}

export interface CreateStoreOptions {
  readonly connector: Connector;
  readonly initialState?: DeskState;
  /** Effects to run instead of the desk's own; tests use it to run the reducers alone. */
  readonly effects?: readonly Effect[];
  readonly now?: () => number;
  /** The store disconnects the connector when it is destroyed: set it when the store is the connector's only user. */
  readonly ownsConnector?: boolean;
  /**
   * Browser storage (see `openDeskStorage`): the desk paints from its cache at start, keeps drafts, and sends
   * through a persistent outbox that retries until the backend confirms. A function is called with the agent's id
   * after the first connect, for storage named per agent. Without storage nothing survives a reload, and a send
   * that fails waits for the agent's retry.
   */
  readonly storage?: StorageOption;
  /** The store closes the storage when it is destroyed; always so for storage it opened through a function. */
  readonly ownsStorage?: boolean;
  /**
   * The other tabs of this agent (see `createTabCoordinator`). With a phone, the leader tab alone registers and
   * rings, and the others show its calls and act on them through it, whatever the connector and storage. With
   * storage and a connector that can share its event socket (the HttpConnector), the leader tab also alone holds
   * the socket and flushes the outbox, and passes the events on to the other tabs; their sends reach it through
   * the shared outbox. A function is called with the agent's id after the first connect; the store closes the
   * coordinator it made so. Ignored without a phone unless the socket can be shared.
   */
  readonly tabs?: TabsOption;
  /**
   * The phone (see `TelephonyOption`): a factory called once the desk has connected, resolving with a `Telephony`
   * or null for none. The store starts it, and stops it when destroyed. Without it the desk has no phone.
   */
  readonly telephony?: TelephonyOption | (() => Promise<Telephony | null>);
}

export function createDeskStore(options: CreateStoreOptions): DeskStore {
  const state$ = new BehaviorSubject<DeskState>(options.initialState ?? initialDeskState);
  const actions$ = new Subject<Action>();
  const selections = new WeakMap<Selector<DeskState, unknown>, Observable<unknown>>();
  const subscriptions = new Subscription();
  let destroyed = false;
  // Actions dispatched while another is being applied (by a subscriber, say) are queued, so every
  // subscriber sees states and actions in the same order.
  const queue: Action[] = [];
  let dispatching = false;
  const reads = guardReads(options.connector);

  const dispatch = (action: Action): void => {
    if (destroyed) return;
    queue.push(action);
    if (dispatching) return;
    dispatching = true;
    try {
      for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
        // Before any effect sees it (and asks again, under the new rights).
        if (accessChanged.match(next) && !next.payload.viewPii) reads.abortReads();
        const previous = state$.value;
        const state = deskReducer(previous, next);
        if (state !== previous) state$.next(state);
        actions$.next(next);
      }
    } finally {
      dispatching = false;
    }
  };

  const store: DeskStore = {
    state$: state$.asObservable(),
    actions$: actions$.asObservable(),
    getState: () => state$.value,
    dispatch,
    select<Result>(selector: Selector<DeskState, Result>): Observable<Result> {
      let selection = selections.get(selector) as Observable<Result> | undefined;
      if (!selection) {
        selection = state$.pipe(map(selector), distinctUntilChanged(), shareReplay({ refCount: true, bufferSize: 1 }));
        selections.set(selector, selection);
      }
      return selection;
    },
    destroy() {
      if (destroyed) return;
      dispatch(actions.workspaceStopped());
      if (options.ownsConnector) {
        // Nobody is left to tell of a failure here; the connector is being dropped either way.
        options.connector.disconnect().catch(() => undefined);
      }
      destroyed = true;
      subscriptions.unsubscribe();
      // After the effects' teardown, which writes what is pending (drafts); writes already begun still complete.
      if (dependencies.storage?.owned) dependencies.storage.storage$.subscribe((storage) => storage.close());
      // Closing gives up leadership: another tab of the agent takes the socket and the outbox over.
      if (dependencies.tabs?.owned) dependencies.tabs.coordinator$.subscribe((coordinator) => coordinator.close());
      actions$.complete();
      state$.complete();
    },
  };

  // Before the effects subscribe to actions$ (see tabsAccess). The phone is shared by the tabs whatever the backend
  // and storage (one registration, one ringing tab); the event socket and the outbox only with storage and a
  // connector that can share its socket.
  const telephony = telephonyOption(options.telephony);
  const sharedSocket = options.storage && sharesEventSocket(options.connector) ? options.connector : null;
  const tabs = options.tabs && (sharedSocket || telephony) ? tabsAccess(options.tabs, sharedSocket, actions$) : null;
  const dependencies: EffectDependencies = {
    connector: reads.connector,
    getState: () => state$.value,
    now: options.now ?? Date.now,
    storage: options.storage ? storageAccess(options.storage, options.ownsStorage ?? false, actions$) : null,
    tabs,
    // With tabs, one tab registers and rings for the agent (see createTabTelephony).
    telephony: tabTelephonyOption(telephony, tabs),
  };
  for (const effect of options.effects ?? deskEffects) {
    subscriptions.add(runEffect(effect, actions$, dependencies).subscribe(dispatch));
  }
  return store;
}

/**
 * Runs one effect and keeps it running: effects catch their own failures, but if one still errors, that
 * becomes a visible `[Store] effect failed` action and the effect starts again instead of going silent.
 */
function runEffect(effect: Effect, actions$: Observable<Action>, dependencies: EffectDependencies): Observable<Action> {
  const start = (): Observable<Action> =>
    defer(() => effect(actions$, dependencies)).pipe(
      catchError((error: unknown) => merge(of(actions.effectFailed({ effect: effect.name || 'effect', error: toErrorInfo(error) })), start())),
    );
  return start();
}
