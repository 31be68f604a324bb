import type { OutboxState } from '../../storage/schema.js';
import { PersistentMap } from '../persistent-map.js';
import type { Action } from '../action.js';
import * as actions from '../actions.js';
import type { ErrorInfo } from '../errors.js';
import type { AppliedEvent } from './applied-event.js';

/** Where one send stands, as the outbox effect reports it. */
export interface OutboxItem {
  readonly conversationId: string;
  readonly state: OutboxState;
  readonly attempts: number;
  /** When the next attempt is due while it waits for the backend; null otherwise. */
  readonly nextAttemptAt: number | null;
  readonly lastError: ErrorInfo | null;
}

/** Sends the backend has not confirmed yet, by client key (the idempotency key). */
export interface OutboxSlice {
  readonly entries: PersistentMap<OutboxItem>;
}

export const initialOutbox: OutboxSlice = { entries: PersistentMap.empty() };

const withEntries = (slice: OutboxSlice, entries: PersistentMap<OutboxItem>): OutboxSlice => (entries === slice.entries ? slice : { entries });

export function outboxReducer(slice: OutboxSlice, action: Action, event: AppliedEvent): OutboxSlice {
  if (event) {
    if (event.type !== 'message.added' && event.type !== 'message.updated') return slice;
    // The stream's copy confirms a send (it may come before the command's own answer, or instead of it).
    const { clientKey, delivery } = event.message;
    if (clientKey === null || delivery === 'sending' || delivery === 'failed') return slice;
    return withEntries(slice, slice.entries.delete(clientKey));
  }
  if (actions.messageSubmitted.match(action)) {
    const { clientKey, conversationId } = action.payload;
    return withEntries(slice, slice.entries.set(clientKey, { conversationId, state: 'pending', attempts: 0, nextAttemptAt: null, lastError: null }));
  }
  if (actions.outboxRestored.match(action)) {
    let entries = slice.entries;
    for (const { clientKey, conversationId, state, attempts, nextAttemptAt, lastError } of action.payload.entries) {
      entries = entries.set(clientKey, { conversationId, state, attempts, nextAttemptAt, lastError });
    }
    return withEntries(slice, entries);
  }
  if (actions.messageSendAttempted.match(action)) {
    const { clientKey, attempts } = action.payload;
    return withEntries(slice, slice.entries.update(clientKey, (item) => ({ ...item, state: 'in-flight', attempts, nextAttemptAt: null })));
  }
  if (actions.messageSendDeferred.match(action)) {
    const { clientKey, attempts, nextAttemptAt, error } = action.payload;
    return withEntries(slice, slice.entries.update(clientKey, (item) => ({ ...item, state: 'pending', attempts, nextAttemptAt, lastError: error })));
  }
  if (actions.messageSendFailed.match(action)) {
    const { clientKey, error } = action.payload;
    return withEntries(slice, slice.entries.update(clientKey, (item) => ({ ...item, state: 'failed', nextAttemptAt: null, lastError: error })));
  }
  if (actions.messageRetryRequested.match(action)) {
    return withEntries(
      slice,
      slice.entries.update(action.payload.clientKey, (item) => (item.state === 'failed' ? { ...item, state: 'pending', lastError: null } : item)),
    );
  }
  if (actions.messageSent.match(action)) return withEntries(slice, slice.entries.delete(action.payload.clientKey));
  if (actions.workspaceStopped.match(action)) return initialOutbox;
  return slice;
}

export const selectOutbox = (state: { readonly outbox: OutboxSlice }): PersistentMap<OutboxItem> => state.outbox.entries;
