import { catchError, concatMap, exhaustMap, filter, finalize, forkJoin, groupBy, map, merge, mergeMap, of, takeUntil, type Observable } from 'rxjs';
import type { Action } from './action.js';
import * as actions from './actions.js';
import * as ticketActions from './actions-tickets.js';
import { command, stopped, type Effect } from './effect.js';
import { toErrorInfo } from './errors.js';


/** Loads a customer's tickets when the pane asks; the reducer marks a list `loading` only when a request is due. */
const listEffect: Effect = (actions$, { connector, getState }) => {
  const inFlight = new Set<string>();
  return actions$.pipe(
    filter(ticketActions.ticketListRequested.match),
    map(({ payload }) => payload.customerId),
    filter((customerId) => getState().tickets.lists.get(customerId)?.status === 'loading' && !inFlight.has(customerId)),
    mergeMap((customerId) => {
      inFlight.add(customerId);
      return command((signal) => connector.listTickets(customerId, { signal })).pipe(
        map((tickets) => ticketActions.ticketListLoaded({ customerId, tickets })),
        catchError((error: unknown) => of(ticketActions.ticketListFailed({ customerId, error: toErrorInfo(error) }))),
        finalize(() => inFlight.delete(customerId)),
      );
    }),
  );
};

/** Loads the agents and groups a ticket can be assigned to. */
const directoryEffect: Effect = (actions$, { connector, getState }) =>
  actions$.pipe(
    filter(ticketActions.ticketDirectoryRequested.match),
    filter(() => getState().tickets.directory.status === 'loading'),
    exhaustMap(() =>
      forkJoin([command((signal) => connector.listAgents({ signal })), command((signal) => connector.listQueues({ signal }))]).pipe(
        map(([agents, queues]) => ticketActions.ticketDirectoryLoaded({ agents, queues })),
        catchError((error: unknown) => of(ticketActions.ticketDirectoryFailed({ error: toErrorInfo(error) }))),
      ),
    ),
  );

/** Creates tickets, each with its request key as the idempotency key so a repeated request creates one ticket. */
const createEffect: Effect = (actions$, { connector }) =>
  actions$.pipe(
    filter(ticketActions.ticketCreateSubmitted.match),
    mergeMap(({ payload: { conversationId, requestKey, draft } }) =>
      command((signal) => connector.createTicket(draft, { signal, idempotencyKey: requestKey })).pipe(
        map((ticket) => ticketActions.ticketCreated({ conversationId, requestKey, ticket })),
        catchError((error: unknown) => of(ticketActions.ticketCreateFailed({ conversationId, requestKey, error: toErrorInfo(error) }))),
      ),
    ),
  );

type WriteAction = ReturnType<typeof ticketActions.ticketUpdateSubmitted> | ReturnType<typeof ticketActions.ticketCommentSubmitted>;

/** Runs a ticket's field edits, status moves and comments one after another, in the order the agent made them. */
const writeEffect: Effect = (actions$, { connector }) =>
  actions$.pipe(
    filter((action): action is WriteAction => ticketActions.ticketUpdateSubmitted.match(action) || ticketActions.ticketCommentSubmitted.match(action)),
    groupBy((action) => action.payload.ticketId),
    mergeMap((perTicket) =>
      perTicket.pipe(
        concatMap((action): Observable<Action> => {
          if (ticketActions.ticketCommentSubmitted.match(action)) {
            const { ticketId, requestKey, comment } = action.payload;
            return command((signal) => connector.commentTicket(ticketId, comment, { signal, idempotencyKey: requestKey })).pipe(
              map((ticket) => ticketActions.ticketCommentAdded({ ticketId, requestKey, comment, ticket })),
              catchError((error: unknown) => of(ticketActions.ticketCommentFailed({ ticketId, requestKey, error: toErrorInfo(error) }))),
            );
          }
          const { ticketId, requestKey, kind, patch } = action.payload;
          return command((signal) => connector.updateTicket(ticketId, patch, { signal, idempotencyKey: requestKey })).pipe(
            map((ticket) => ticketActions.ticketUpdated({ ticketId, requestKey, kind, patch, ticket })),
            catchError((error: unknown) => of(ticketActions.ticketUpdateFailed({ ticketId, requestKey, kind, error: toErrorInfo(error) }))),
          );
        }),
      ),
    ),
  );

/** A save refused as stale means the desk holds an old ticket: fetch the current one, so the agent sees what changed. */
const conflictRefreshEffect: Effect = (actions$, { connector }) =>
  actions$.pipe(
    filter(ticketActions.ticketUpdateFailed.match),
    filter(({ payload }) => payload.error.code === 'conflict'),
    mergeMap(({ payload: { ticketId } }) =>
      command((signal) => connector.getTicket(ticketId, { signal })).pipe(
        map((ticket) => ticketActions.ticketLoaded({ ticket })),
        catchError((error: unknown) => of(ticketActions.ticketLoadFailed({ ticketId, error: toErrorInfo(error) }))),
      ),
    ),
  );

/** Every effect of the ticket pane; the only code that calls the connector's ticket commands. */
export const ticketsEffect: Effect = (actions$, dependencies) =>
  merge(
    listEffect(actions$, dependencies),
    directoryEffect(actions$, dependencies),
    createEffect(actions$, dependencies),
    writeEffect(actions$, dependencies),
    conflictRefreshEffect(actions$, dependencies),
  ).pipe(takeUntil(stopped(actions$)));
