import { EMPTY, Observable, catchError, concatMap, defer, distinctUntilChanged, filter, finalize, map, merge, mergeMap, of, switchMap, takeUntil } from 'rxjs';
import type { CustomerPatch } from '../connector/connector.js';
import type { Customer } from '../connector/model.js';
import type { Action } from './action.js';
import * as actions from './actions.js';
import * as customer360 from './actions-customer360.js';
import type { CustomerDetailPart } from './actions-customer360.js';
import { command, stopped, type Effect, type EffectDependencies } from './effect.js';
import { toErrorInfo } from './errors.js';
import { selectCustomerFeatures, selectPanelCustomerId, selectSelectedConversationAnywhere } from './selectors-customer360.js';

const PARTS: readonly CustomerDetailPart[] = ['profile', 'conversations', 'tickets', 'duplicates'];


/** Loads one part of a customer's detail; the answer carries the generation it was asked for. */
function loadPart(part: CustomerDetailPart, customerId: string, generation: number, { connector }: EffectDependencies): Observable<Action> {
  const request: Observable<Action> = (() => {
    switch (part) {
      case 'profile':
        return command((signal) => connector.getCustomer(customerId, { signal })).pipe(
          map((customer) => customer360.customerProfileLoaded({ customerId, generation, customer })),
        );
      case 'conversations':
        return command((signal) => connector.listCustomerConversations(customerId, { signal })).pipe(
          map((conversations) => customer360.customerConversationsLoaded({ customerId, generation, conversations })),
        );
      case 'tickets':
        return command((signal) => connector.listTickets(customerId, { signal })).pipe(
          map((tickets) => customer360.customerTicketsLoaded({ customerId, generation, tickets })),
        );
      case 'duplicates':
        return command((signal) => connector.listDuplicateCandidates(customerId, { signal })).pipe(
          map((duplicates) => customer360.customerDuplicatesLoaded({ customerId, generation, duplicates })),
        );
    }
  })();
  return request.pipe(catchError((error: unknown) => of(customer360.customerDetailFailed({ customerId, part, generation, error: toErrorInfo(error) }))));
}

type EditAction =
  | ReturnType<typeof customer360.customerTagAdded>
  | ReturnType<typeof customer360.customerTagRemoved>
  | ReturnType<typeof customer360.customerNotesSubmitted>;

const isEdit = (action: Action): action is EditAction =>
  customer360.customerTagAdded.match(action) || customer360.customerTagRemoved.match(action) || customer360.customerNotesSubmitted.match(action);

/** The patch for one edit, from the customer as it is now, so edits queued behind each other all count. */
function patchFor(action: EditAction, customer: Customer): CustomerPatch {
  if (customer360.customerNotesSubmitted.match(action)) return { notes: action.payload.notes };
  const { tag } = action.payload;
  if (customer360.customerTagAdded.match(action)) return { tags: customer.tags.includes(tag) ? customer.tags : [...customer.tags, tag] };
  return { tags: customer.tags.filter((held) => held !== tag) };
}

/**
 * The 360 profile's effects, while a customer panel is attached (so a desk without one makes no requests for it):
 * - fetch a selected conversation that the desk holds nowhere, to learn its customer;
 * - when the panel's customer changes (a conversation or call selected, a merge), after a snapshot and after a
 *   merge, ask for that customer's detail; each part that the reducer marked `loading` is then loaded once;
 * - save tag and notes edits one after another, each patch computed when its turn comes;
 * - merge duplicate profiles.
 */
export const customer360Effect: Effect = (actions$, dependencies) => {
  const { connector, getState } = dependencies;
  const inFlight = new Set<string>();

  const partsFor = (customerId: string): CustomerDetailPart[] => {
    const parts: CustomerDetailPart[] = ['conversations', 'duplicates'];
    if (!getState().customers.entities.has(customerId)) parts.push('profile');
    if (selectCustomerFeatures(getState()).tickets) parts.push('tickets');
    return parts;
  };

  const watched = (): boolean => getState().customer360.viewers > 0 && selectCustomerFeatures(getState()).customers;

  const panelCustomerChanged$ = actions$.pipe(
    map(() => selectPanelCustomerId(getState())),
    distinctUntilChanged(),
  );
  const panelCustomerStale$ = actions$.pipe(
    filter(
      (action) =>
        customer360.customerPanelAttached.match(action) ||
        actions.snapshotLoaded.match(action) ||
        customer360.customersMerged.match(action) ||
        (actions.eventReceived.match(action) && action.payload.event.type === 'customer.merged'),
    ),
    map(() => selectPanelCustomerId(getState())),
  );
  const requests$ = merge(panelCustomerChanged$, panelCustomerStale$).pipe(
    filter((customerId): customerId is string => customerId !== null && watched()),
    map((customerId) => customer360.customerDetailRequested({ customerId, parts: partsFor(customerId) })),
  );

  // A selected conversation the desk holds nowhere is fetched, or the panel could not tell whose it is.
  const selectedElsewhere$ = actions$.pipe(
    filter(
      (action) =>
        actions.conversationSelected.match(action) ||
        customer360.customerPanelAttached.match(action) ||
        // After a snapshot (the desk's rows were dropped when the agent lost the right to see PII, say).
        actions.snapshotLoaded.match(action),
    ),
    map(() => getState().ui.selectedConversationId),
    filter((conversationId): conversationId is string => conversationId !== null && watched() && selectSelectedConversationAnywhere(getState()) === null),
    switchMap((conversationId) =>
      command((signal) => connector.getConversation(conversationId, { signal })).pipe(
        map((conversation) => customer360.selectedConversationLoaded({ conversation })),
        catchError((error: unknown) => of(customer360.selectedConversationFailed({ conversationId, error: toErrorInfo(error) }))),
      ),
    ),
  );

  const loads$ = actions$.pipe(
    filter((action) => customer360.customerDetailRequested.match(action) || customer360.customerDetailRetryRequested.match(action)),
    mergeMap((action) => {
      const { customerId } = (action as ReturnType<typeof customer360.customerDetailRetryRequested>).payload;
      const detail = getState().customer360.details.get(customerId);
      if (!detail) return EMPTY;
      const runs: Observable<Action>[] = [];
      for (const part of PARTS) {
        const request = detail.requests[part];
        const key = `${customerId}\n${part}\n${request.generation}`;
        if (request.status !== 'loading' || inFlight.has(key)) continue;
        inFlight.add(key);
        runs.push(loadPart(part, customerId, request.generation, dependencies).pipe(finalize(() => inFlight.delete(key))));
      }
      return merge(...runs);
    }),
  );

  const saves$ = actions$.pipe(
    filter(isEdit),
    concatMap((action) => {
      const { customerId, requestId } = action.payload;
      const field = customer360.customerNotesSubmitted.match(action) ? 'notes' : 'tags';
      return defer(() => {
        const held = getState().customers.entities.get(customerId);
        // Without the current tags a tag edit would overwrite them, so an unknown customer is read first.
        return held ? of(held) : command((signal) => connector.getCustomer(customerId, { signal }));
      }).pipe(
        concatMap((customer) =>
          command((signal) => connector.updateCustomer(customerId, patchFor(action, customer), { signal, idempotencyKey: requestId })),
        ),
        map((customer) => customer360.customerSaved({ customerId, field, requestId, customer })),
        catchError((error: unknown) => of(customer360.customerSaveFailed({ customerId, field, requestId, error: toErrorInfo(error) }))),
      );
    }),
  );

  const merges$ = actions$.pipe(
    filter(customer360.customerMergeConfirmed.match),
    mergeMap(({ payload }) =>
      command((signal) => connector.mergeCustomers(payload.targetId, payload.sourceId, { signal, idempotencyKey: payload.requestId })).pipe(
        map((customer) => customer360.customersMerged({ ...payload, customer })),
        catchError((error: unknown) => of(customer360.customerMergeFailed({ ...payload, error: toErrorInfo(error) }))),
      ),
    ),
  );

  return merge(requests$, selectedElsewhere$, loads$, saves$, merges$).pipe(takeUntil(stopped(actions$)));
};
