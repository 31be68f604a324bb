import { filter, finalize, map, merge, mergeMap, of, switchMap, takeUntil, catchError, type Observable } from 'rxjs';
import type { Action } from './action.js';
import * as actions from './actions.js';
import * as conversationActions from './actions-conversation.js';
import { command, stopped, type Effect } from './effect.js';
import { toErrorInfo } from './errors.js';


/** Loads the canned replies when the composer first asks for them (and again after a failure). */
export const cannedRepliesEffect: Effect = (actions$, { connector, getState }) =>
  actions$.pipe(
    filter(conversationActions.cannedRepliesRequested.match),
    filter(() => getState().conversation.cannedReplies.status === 'loading'),
    switchMap(() =>
      command((signal) => connector.listCannedReplies({ signal })).pipe(
        map((replies) => conversationActions.cannedRepliesLoaded({ replies })),
        catchError((error: unknown) => of(conversationActions.cannedRepliesFailed({ error: toErrorInfo(error) }))),
      ),
    ),
    takeUntil(stopped(actions$)),
  );

/** Loads the agents and queues a conversation can be transferred to; a newer request replaces one in flight. */
export const transferTargetsEffect: Effect = (actions$, { connector }) =>
  actions$.pipe(
    filter(conversationActions.transferTargetsRequested.match),
    switchMap(() =>
      command((signal) => Promise.all([connector.listAgents({ signal }), connector.listQueues({ signal })])).pipe(
        map(([agents, queues]) => conversationActions.transferTargetsLoaded({ agents, queues })),
        catchError((error: unknown) => of(conversationActions.transferTargetsFailed({ error: toErrorInfo(error) }))),
      ),
    ),
    takeUntil(stopped(actions$)),
  );

/**
 * Transfers, resolves and reopens conversations: one operation at a time per conversation (the reducer ignores a
 * second one while the first is pending, and so does this effect). The updated conversation also arrives as a
 * `conversation.upserted` event, which is what the list and the header show.
 */
export const conversationOperationsEffect: Effect = (actions$, { connector }) => {
  const inFlight = new Set<string>();
  const run = (conversationId: string, operation: Observable<Action>): Observable<Action> => {
    inFlight.add(conversationId);
    return operation.pipe(finalize(() => inFlight.delete(conversationId)));
  };
  return merge(
    actions$.pipe(
      filter(conversationActions.transferRequested.match),
      filter(({ payload }) => !inFlight.has(payload.conversationId)),
      mergeMap(({ payload: { conversationId, target } }) =>
        run(
          conversationId,
          command((signal) => connector.assignConversation(conversationId, target, { signal, idempotencyKey: crypto.randomUUID() })).pipe(
            map((conversation) => conversationActions.conversationTransferred({ conversation })),
            catchError((error: unknown) => of(conversationActions.transferFailed({ conversationId, error: toErrorInfo(error) }))),
          ),
        ),
      ),
    ),
    actions$.pipe(
      filter(conversationActions.statusChangeRequested.match),
      filter(({ payload }) => !inFlight.has(payload.conversationId)),
      mergeMap(({ payload: { conversationId, status } }) =>
        run(
          conversationId,
          command((signal) => connector.setConversationStatus(conversationId, status, { signal, idempotencyKey: crypto.randomUUID() })).pipe(
            map((conversation) => conversationActions.conversationStatusChanged({ conversation })),
            catchError((error: unknown) => of(conversationActions.statusChangeFailed({ conversationId, error: toErrorInfo(error) }))),
          ),
        ),
      ),
    ),
  ).pipe(takeUntil(stopped(actions$)));
};

export const conversationEffects: readonly Effect[] = [cannedRepliesEffect, transferTargetsEffect, conversationOperationsEffect];
