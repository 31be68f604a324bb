import { catchError, filter, finalize, map, merge, mergeMap, of, takeUntil } from 'rxjs';
import * as actions from './actions.js';
import * as offerActions from './actions-offers.js';
import { command, type Effect } from './effect.js';
import { toErrorInfo } from './errors.js';

/**
 * Accepts or declines work offers. An accepted offer's conversation is selected right away, so the agent lands
 * in it. One command per offer at a time: the reducer marks a request `pending` only when none is, and a request
 * already in flight is not sent twice.
 */
export const offersEffect: Effect = (actions$, { connector, getState }) => {
  const inFlight = new Set<string>();
  const pendingRequest = (offerId: string, kind: 'accept' | 'decline'): boolean => {
    const request = getState().offers.requests.get(offerId);
    return request?.status === 'pending' && request.kind === kind && !inFlight.has(offerId);
  };
  const accepts = actions$.pipe(
    filter(offerActions.offerAcceptRequested.match),
    filter(({ payload: { offerId } }) => pendingRequest(offerId, 'accept')),
    mergeMap(({ payload: { offerId } }) => {
      inFlight.add(offerId);
      return command((signal) => connector.acceptOffer(offerId, { signal, idempotencyKey: `offer-accept:${offerId}` })).pipe(
        mergeMap((conversation) =>
          of(offerActions.offerAccepted({ offerId, conversation }), actions.conversationSelected({ conversationId: conversation.id })),
        ),
        catchError((error: unknown) => of(offerActions.offerAcceptFailed({ offerId, error: toErrorInfo(error) }))),
        finalize(() => inFlight.delete(offerId)),
      );
    }),
  );
  const declines = actions$.pipe(
    filter(offerActions.offerDeclineRequested.match),
    filter(({ payload: { offerId } }) => pendingRequest(offerId, 'decline')),
    mergeMap(({ payload: { offerId } }) => {
      inFlight.add(offerId);
      const conversationId = getState().offers.entities.get(offerId)?.conversationId ?? null;
      return command((signal) => connector.declineOffer(offerId, { signal, idempotencyKey: `offer-decline:${offerId}` })).pipe(
        map(() => offerActions.offerDeclined({ offerId, conversationId })),
        catchError((error: unknown) => of(offerActions.offerDeclineFailed({ offerId, error: toErrorInfo(error) }))),
        finalize(() => inFlight.delete(offerId)),
      );
    }),
  );
  return merge(accepts, declines).pipe(takeUntil(actions$.pipe(filter(actions.workspaceStopped.match))));
};
