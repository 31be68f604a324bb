import { catchError, filter, groupBy, map, mergeMap, of, switchMap, takeUntil } from 'rxjs';
import * as actions from './actions.js';
import * as statusActions from './actions-agent-status.js';
import { command, type Effect } from './effect.js';
import { toErrorInfo } from './errors.js';

/**
 * Changes the agent's presence. A newer request cancels one still on its way (the agent changed their mind),
 * so only the latest answer lands; a refusal leaves the presence as it was and says why.
 */
export const presenceEffect: Effect = (actions$, { connector, getState }) =>
  actions$.pipe(
    filter(statusActions.presenceChangeRequested.match),
    switchMap(({ payload: { presence } }) => {
      const previous = getState().agent.agent?.presence ?? null;
      return command((signal) => connector.setPresence(presence, { signal })).pipe(
        map((agent) => statusActions.presenceChanged({ agent, previous })),
        catchError((error: unknown) => of(statusActions.presenceChangeFailed({ presence, error: toErrorInfo(error) }))),
      );
    }),
    takeUntil(actions$.pipe(filter(actions.workspaceStopped.match))),
  );

/** Sets the agent's capacity per channel; per channel, the latest request wins. */
export const capacityEffect: Effect = (actions$, { connector }) =>
  actions$.pipe(
    filter(statusActions.capacityChangeRequested.match),
    groupBy(({ payload }) => payload.channel),
    mergeMap((perChannel) =>
      perChannel.pipe(
        switchMap(({ payload: { channel, max } }) =>
          command((signal) => connector.setCapacity(channel, max, { signal })).pipe(
            map((agent) => statusActions.capacityChanged({ channel, agent })),
            catchError((error: unknown) => of(statusActions.capacityChangeFailed({ channel, max, error: toErrorInfo(error) }))),
          ),
        ),
      ),
    ),
    takeUntil(actions$.pipe(filter(actions.workspaceStopped.match))),
  );

export const agentStatusEffects: readonly Effect[] = [presenceEffect, capacityEffect];
