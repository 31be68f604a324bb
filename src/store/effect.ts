import { Observable, filter } from 'rxjs';
import type { Connector } from '../connector/connector.js';
import type { DeskStorage } from '../storage/desk-storage.js';
import type { Action } from './action.js';
import * as actions from './actions.js';
import type { DeskState } from './state.js';
import type { TelephonyOption } from './effects-calls.js';
import type { TabsAccess } from './effects-tabs.js';

/**
 * What every effect is given and how it runs a connector command. Kept apart from the list of effects
 * (`effects.ts`) so that effect modules can share it without importing each other in a cycle.
 */
export interface EffectDependencies {
  readonly connector: Connector;
  readonly getState: () => DeskState;
  readonly now: () => number;
  /** The browser storage, when the desk has one: the cache, drafts and the outbox. */
  readonly storage: StorageAccess | null;
  /** Where the phone comes from, when the desk has one (see `TelephonyOption`). */
  readonly telephony?: TelephonyOption | null;
  /** The other tabs of this agent, when one leader tab holds the event socket and flushes the outbox (see src/tabs/). */
  readonly tabs?: TabsAccess | null;
}

/** How effects reach the storage: it may only be known once the agent is (its namespace can be the agent's id). */
export interface StorageAccess {
  /** Emits the one storage once it is known (replayed to later subscribers), then completes. */
  readonly storage$: Observable<DeskStorage>;
  /** Whether the store closes it when it stops. */
  readonly owned: boolean;
}

/** Effects are the only code that calls the connector. Each one turns every failure into a `…Failed` action. */
export type Effect = (actions$: Observable<Action>, dependencies: EffectDependencies) => Observable<Action>;

/** Runs a connector command as an Observable: unsubscribing aborts it. */
export function command<T>(run: (signal: AbortSignal) => Promise<T>): Observable<T> {
  return new Observable<T>((subscriber) => {
    const controller = new AbortController();
    let settled = false;
    Promise.resolve()
      // Unsubscribed before it started (a newer request won, or the store stopped): nothing to ask the backend.
      .then(() => (controller.signal.aborted ? new Promise<T>(() => undefined) : run(controller.signal)))
      .then(
        (value) => {
          settled = true;
          subscriber.next(value);
          subscriber.complete();
        },
        (error: unknown) => {
          settled = true;
          subscriber.error(error);
        },
      );
    // Only a command still running is aborted; one that has answered is left alone.
    return () => {
      if (!settled) controller.abort();
    };
  });
}

/** Emits when the workspace stops; effects end with `takeUntil(stopped(actions$))`. */
export const stopped = (actions$: Observable<Action>) => actions$.pipe(filter(actions.workspaceStopped.match));
