/**
 * Least privilege in the store: revealing a masked identity (the only place that calls `revealIdentity`),
 * forgetting revealed values when the agent leaves the customer, noticing when the agent's right to see PII
 * changes, and the audit trail derived from what happened.
 */
import { EMPTY, Observable, catchError, distinctUntilChanged, filter, map, mergeMap, of, skip, takeUntil } from 'rxjs';
import { ConnectorError } from '../connector/errors.js';
import type { Ticket } from '../connector/model.js';
import type { Action } from './action.js';
import * as access from './actions-access.js';
import type { AuditAction, AuditEntry } from './actions-access.js';
import * as customer360 from './actions-customer360.js';
import * as tickets from './actions-tickets.js';
import { command, stopped, type Effect } from './effect.js';
import { toErrorInfo } from './errors.js';
import { accessFingerprint } from './access-fingerprint.js';
import { selectAgent } from './selectors.js';
import { selectPanelCustomer, selectPanelCustomerId } from './selectors-customer360.js';

/** The softphone's action for a saved call record (`src/store/actions-calls.ts`), matched by its type. */
export const CALL_RECORD_SAVED = '[Softphone] call record saved';

/** Asks the backend for a masked identity's clear value. */
export const revealEffect: Effect = (actions$, { connector }) =>
  actions$.pipe(
    filter(access.identityRevealRequested.match),
    mergeMap(({ payload: { customerId, identity } }) => {
      const reveal = connector.revealIdentity?.bind(connector);
      if (!reveal) {
        const error = toErrorInfo(new ConnectorError('unavailable', 'This backend cannot reveal masked values.'));
        return of(access.identityRevealFailed({ customerId, masked: identity, error }));
      }
      return command((signal) => reveal(customerId, identity, { signal })).pipe(
        map((clear) => access.identityRevealed({ customerId, masked: identity, identity: clear })),
        catchError((error: unknown) => of(access.identityRevealFailed({ customerId, masked: identity, error: toErrorInfo(error) }))),
      );
    }),
    takeUntil(stopped(actions$)),
  );

/** Revealed values last while the agent stays with the customer: moving to another one clears them. */
export const forgetRevealsEffect: Effect = (actions$, { getState }) =>
  actions$.pipe(
    filter(() => {
      const state = getState();
      return state.access.customerId !== null && selectPanelCustomerId(state) !== state.access.customerId;
    }),
    map(() => access.revealsCleared()),
    takeUntil(stopped(actions$)),
  );

/**
 * Says when the agent's right to see PII changes after it was first known (a role changed by a supervisor, told
 * by `agent.updated` or a new session): the reducers drop what may show PII, and the desk loads everything again.
 */
export const accessChangeEffect: Effect = (actions$, { getState }) =>
  actions$.pipe(
    map(() => {
      const agent = selectAgent(getState());
      return agent === null ? null : accessFingerprint(agent);
    }),
    filter((fingerprint) => fingerprint !== null),
    distinctUntilChanged(),
    skip(1),
    map((fingerprint) => access.accessChanged({ viewPii: fingerprint === 'view-pii' })),
    takeUntil(stopped(actions$)),
  );

function ticketFields(ticket: Ticket): string[] {
  const fields = ['subject', 'type', 'priority', 'status'];
  if (ticket.description !== '') fields.push('description');
  if (ticket.assigneeId !== null) fields.push('assigneeId');
  if (ticket.groupId !== null) fields.push('groupId');
  if (ticket.dueAt !== null) fields.push('dueAt');
  if (ticket.conversationIds.length > 0) fields.push('conversationIds');
  return fields;
}

interface CallRecordSaved extends Action {
  readonly payload: { readonly customerId: string | null; readonly message: { readonly id: string; readonly conversationId: string } };
}

function isCallRecordSaved(action: Action): action is CallRecordSaved {
  return action.type === CALL_RECORD_SAVED && typeof (action as Partial<CallRecordSaved>).payload?.message?.id === 'string';
}

/**
 * Derives the audit trail from the store's actions: a profile the panel shows, a reveal, a ticket created, changed or
 * commented on, a merge, a call recorded; each with the agent, the time and the records touched (never a PII value).
 */
export const auditEffect: Effect = (actions$, { getState, now }) => {
  let panels = 0;
  let viewed: string | null = null;
  return actions$.pipe(
    mergeMap((action): Observable<Action> => {
      const agent = getState().agent.agent;
      const entry = (auditAction: AuditAction, target: AuditEntry['target'], fields: readonly string[]): Observable<Action> =>
        agent === null
          ? EMPTY
          : of(access.auditRecorded({ entry: { action: auditAction, agent: { id: agent.id, name: agent.name }, at: now(), target, fields } }));
      if (customer360.customerPanelAttached.match(action)) panels += 1;
      if (customer360.customerPanelDetached.match(action)) panels = Math.max(0, panels - 1);
      if (access.identityRevealed.match(action)) {
        return entry('pii-revealed', { customerId: action.payload.customerId }, [action.payload.identity.kind]);
      }
      if (tickets.ticketCreated.match(action)) {
        const { ticket, conversationId } = action.payload;
        return entry('ticket-created', { customerId: ticket.customerId, ticketId: ticket.id, conversationId }, ticketFields(ticket));
      }
      if (tickets.ticketUpdated.match(action)) {
        const { ticket, patch } = action.payload;
        const fields = Object.keys(patch).filter((key) => key !== 'baseVersion');
        return entry('ticket-updated', { customerId: ticket.customerId, ticketId: ticket.id }, fields);
      }
      if (tickets.ticketCommentAdded.match(action)) {
        const { ticket, comment } = action.payload;
        return entry('ticket-commented', { customerId: ticket.customerId, ticketId: ticket.id }, [comment.internal ? 'internal-comment' : 'public-comment']);
      }
      if (customer360.customersMerged.match(action)) {
        const { targetId, sourceId } = action.payload;
        return entry('customer-merged', { customerId: targetId, sourceId }, ['identities', 'tags', 'notes', 'history']);
      }
      if (isCallRecordSaved(action)) {
        const { customerId, message } = action.payload;
        return entry('call-recorded', { customerId, conversationId: message.conversationId, messageId: message.id }, ['call']);
      }
      // A profile is viewed when a panel shows it: once per customer the agent comes to.
      const state = getState();
      const shownId = panels > 0 && selectPanelCustomer(state) !== null ? selectPanelCustomerId(state) : null;
      if (shownId === viewed) return EMPTY;
      viewed = shownId;
      return shownId === null ? EMPTY : entry('profile-viewed', { customerId: shownId }, ['profile']);
    }),
    takeUntil(stopped(actions$)),
  );
};

/** The audit trail as an Observable, for hosts without a DOM to listen on (the workspace fires `cc-audit` too). */
export function auditEntries(store: { readonly actions$: Observable<Action> }): Observable<AuditEntry> {
  return store.actions$.pipe(
    filter(access.auditRecorded.match),
    map((action) => action.payload.entry),
  );
}
