import type { Conversation, Customer, Ticket } from '../../connector/model.js';
import { PersistentMap } from '../persistent-map.js';
import type { Action } from '../action.js';
import * as actions from '../actions.js';
import * as accessActions from '../actions-access.js';
import * as customer360 from '../actions-customer360.js';
import type { CustomerDetailPart, CustomerField } from '../actions-customer360.js';
import type { ErrorInfo, RequestStatus } from '../errors.js';
import type { AppliedEvent } from './applied-event.js';

/** One part's request: its status, and a generation that tells a current answer from a superseded one. */
export interface PartRequest {
  readonly status: RequestStatus;
  readonly error: ErrorInfo | null;
  /** Increases whenever the part must be loaded again; an answer carrying an older generation is dropped. */
  readonly generation: number;
}

/** Writes of one field: how many are queued, and how the last one ended. */
export interface SaveState {
  readonly status: 'idle' | 'saving' | 'saved' | 'failed';
  readonly pending: number;
  readonly error: ErrorInfo | null;
}

/** The last merge the agent asked for on this customer (as the target that stays). */
export interface MergeState {
  readonly status: 'idle' | 'merging' | 'merged' | 'failed';
  readonly sourceId: string | null;
  readonly requestId: string | null;
  readonly error: ErrorInfo | null;
}

/** What the 360 profile shows about one customer beyond the customer record itself. */
export interface CustomerDetail {
  readonly customerId: string;
  /** Every conversation of the customer on every channel (calls are conversations on `phone`). */
  readonly conversations: PersistentMap<Conversation>;
  readonly tickets: PersistentMap<Ticket>;
  /** Profiles that may be the same person. */
  readonly duplicates: readonly Customer[];
  readonly requests: Readonly<Record<CustomerDetailPart, PartRequest>>;
  readonly saves: Readonly<Record<CustomerField, SaveState>>;
  readonly merge: MergeState;
}

export interface Customer360Slice {
  /** Details by customer id, for the customers viewed most recently (at most {@link MAX_DETAILS}). */
  readonly details: PersistentMap<CustomerDetail>;
  /** The ids in `details`, least recently requested first. */
  readonly recent: readonly string[];
  /** Merged-away customer id → the id it was merged into, so anything still pointing at the old id follows. */
  readonly mergedInto: PersistentMap<string>;
  /** The selected conversation when the desk's list does not hold it, fetched to learn its customer. */
  readonly selectedElsewhere: Conversation | null;
  /** How many customer panels show this store; details load only while there is one. */
  readonly viewers: number;
  /** Why that conversation could not be fetched. */
  readonly selectedElsewhereError: { readonly conversationId: string; readonly error: ErrorInfo } | null;
}

export const initialCustomer360: Customer360Slice = {
  details: PersistentMap.empty(),
  recent: [],
  mergedInto: PersistentMap.empty(),
  selectedElsewhere: null,
  selectedElsewhereError: null,
  viewers: 0,
};

/** A long session views many customers; only this many details are kept, the least recently viewed go first. */
export const MAX_DETAILS = 20;

const idleRequest: PartRequest = { status: 'idle', error: null, generation: 0 };
const idleSave: SaveState = { status: 'idle', pending: 0, error: null };
const idleMerge: MergeState = { status: 'idle', sourceId: null, requestId: null, error: null };
const PARTS: readonly CustomerDetailPart[] = ['profile', 'conversations', 'tickets', 'duplicates'];

export function emptyCustomerDetail(customerId: string): CustomerDetail {
  return {
    customerId,
    conversations: PersistentMap.empty(),
    tickets: PersistentMap.empty(),
    duplicates: [],
    requests: { profile: idleRequest, conversations: idleRequest, tickets: idleRequest, duplicates: idleRequest },
    saves: { tags: idleSave, notes: idleSave },
    merge: idleMerge,
  };
}

function withDetails(slice: Customer360Slice, details: PersistentMap<CustomerDetail>): Customer360Slice {
  return details === slice.details ? slice : { ...slice, details };
}

/** Applies `change` to a held detail; does nothing for a customer whose detail is not held. */
function updateDetail(slice: Customer360Slice, customerId: string, change: (detail: CustomerDetail) => CustomerDetail): Customer360Slice {
  return withDetails(slice, slice.details.update(customerId, change));
}

/** Holds a detail for the customer (creating it if needed) as the most recently used, evicting the oldest beyond the bound. */
function touchDetail(slice: Customer360Slice, customerId: string): Customer360Slice {
  let details = slice.details.has(customerId) ? slice.details : slice.details.set(customerId, emptyCustomerDetail(customerId));
  if (slice.recent[slice.recent.length - 1] === customerId && details === slice.details) return slice;
  const recent = slice.recent.filter((id) => id !== customerId);
  recent.push(customerId);
  while (recent.length > MAX_DETAILS) {
    const evicted = recent.shift();
    if (evicted !== undefined) details = details.delete(evicted);
  }
  return { ...slice, details, recent };
}

function setRequest(detail: CustomerDetail, part: CustomerDetailPart, request: PartRequest): CustomerDetail {
  return { ...detail, requests: { ...detail.requests, [part]: request } };
}

/** Starts loading the parts that are not held or failed; parts loading or loaded stay as they are. */
function requestParts(detail: CustomerDetail, parts: readonly CustomerDetailPart[], from: readonly RequestStatus[]): CustomerDetail {
  let next = detail;
  for (const part of parts) {
    const request = next.requests[part];
    if (!from.includes(request.status)) continue;
    next = setRequest(next, part, { status: 'loading', error: null, generation: request.generation + 1 });
  }
  return next;
}

/** Marks every part held as stale (idle): a new request loads it again, and an answer in flight is dropped. */
function markStale(detail: CustomerDetail, parts: readonly CustomerDetailPart[]): CustomerDetail {
  let next = detail;
  for (const part of parts) {
    const request = next.requests[part];
    if (request.status === 'idle') continue;
    next = setRequest(next, part, { status: 'idle', error: null, generation: request.generation + 1 });
  }
  return next;
}

/** Accepts an answer only when it belongs to the part's current request. */
function loaded(
  slice: Customer360Slice,
  customerId: string,
  part: CustomerDetailPart,
  generation: number,
  apply: (detail: CustomerDetail) => CustomerDetail,
): Customer360Slice {
  const detail = slice.details.get(customerId);
  if (!detail || detail.requests[part].generation !== generation) return slice;
  return withDetails(slice, slice.details.set(customerId, setRequest(apply(detail), part, { status: 'loaded', error: null, generation })));
}

function saveStarted(detail: CustomerDetail, field: CustomerField): CustomerDetail {
  const save = detail.saves[field];
  return { ...detail, saves: { ...detail.saves, [field]: { status: 'saving', pending: save.pending + 1, error: null } } };
}

function saveEnded(detail: CustomerDetail, field: CustomerField, error: ErrorInfo | null): CustomerDetail {
  const pending = Math.max(0, detail.saves[field].pending - 1);
  const status: SaveState['status'] = error ? 'failed' : pending > 0 ? 'saving' : 'saved';
  return { ...detail, saves: { ...detail.saves, [field]: { status, pending, error } } };
}

/**
 * `sourceId` no longer exists: its detail goes, and the target's history, tickets and duplicates are stale
 * (the source's records now belong to it), so they load again when next asked for.
 */
function applyMerge(slice: Customer360Slice, targetId: string, sourceId: string): Customer360Slice {
  // The backend's event and the command's answer both report a merge; the second changes nothing.
  if (slice.mergedInto.get(sourceId) === targetId) return slice;
  const details = slice.details.delete(sourceId).update(targetId, (detail) => ({
    ...markStale(detail, ['conversations', 'tickets', 'duplicates']),
    duplicates: detail.duplicates.filter((candidate) => candidate.id !== sourceId),
  }));
  return {
    ...slice,
    details,
    recent: slice.recent.includes(sourceId) ? slice.recent.filter((id) => id !== sourceId) : slice.recent,
    mergedInto: slice.mergedInto.set(sourceId, targetId),
  };
}

/** How a detail holds one kind of record (conversations, tickets), so one routine can place either. */
interface RecordField<T> {
  get(detail: CustomerDetail): PersistentMap<T>;
  with(detail: CustomerDetail, records: PersistentMap<T>): CustomerDetail;
}
const conversationsField: RecordField<Conversation> = {
  get: (detail) => detail.conversations,
  with: (detail, conversations) => ({ ...detail, conversations }),
};
const ticketsField: RecordField<Ticket> = {
  get: (detail) => detail.tickets,
  with: (detail, tickets) => ({ ...detail, tickets }),
};

/**
 * Keeps one record in the detail of its customer and out of every other held detail (a conversation or ticket
 * can move to another customer, by a merge for one). `customerId` null removes it everywhere. The loop is over
 * the few held details, never over all records.
 */
function placeRecord<T extends { readonly id: string }>(
  slice: Customer360Slice,
  id: string,
  record: T | null,
  customerId: string | null,
  field: RecordField<T>,
): Customer360Slice {
  let details = slice.details;
  for (const heldId of slice.recent) {
    const detail = details.get(heldId);
    if (!detail) continue;
    const held = field.get(detail);
    const next = record !== null && heldId === customerId ? held.set(id, record) : held.delete(id);
    if (next !== held) details = details.set(heldId, field.with(detail, next));
  }
  return withDetails(slice, details);
}

function applyEvent(slice: Customer360Slice, event: NonNullable<AppliedEvent>): Customer360Slice {
  switch (event.type) {
    case 'conversation.upserted': {
      const held = slice.selectedElsewhere?.id === event.conversation.id ? { ...slice, selectedElsewhere: event.conversation } : slice;
      return placeRecord(held, event.conversation.id, event.conversation, event.conversation.customerId, conversationsField);
    }
    case 'conversation.removed':
      return placeRecord(slice, event.conversationId, null, null, conversationsField);
    case 'ticket.upserted':
      return placeRecord(slice, event.ticket.id, event.ticket, event.ticket.customerId, ticketsField);
    case 'customer.merged':
      return applyMerge(slice, event.targetId, event.sourceId);
    case 'customer.updated': {
      // A duplicate candidate shown elsewhere changed (its name, its identities): show the new record.
      let details = slice.details;
      const { customer } = event;
      for (const customerId of slice.recent) {
        const detail = details.get(customerId);
        if (!detail || !detail.duplicates.some((candidate) => candidate.id === customer.id)) continue;
        const duplicates = detail.duplicates.map((candidate) => (candidate.id === customer.id ? customer : candidate));
        details = details.set(customerId, { ...detail, duplicates });
      }
      return withDetails(slice, details);
    }
    default:
      return slice;
  }
}

export function customer360Reducer(slice: Customer360Slice, action: Action, event: AppliedEvent): Customer360Slice {
  if (event) return applyEvent(slice, event);
  if (customer360.customerDetailRequested.match(action)) {
    const { customerId, parts } = action.payload;
    const touched = touchDetail(slice, customerId);
    return updateDetail(touched, customerId, (detail) => requestParts(detail, parts, ['idle', 'failed']));
  }
  if (customer360.customerPanelAttached.match(action)) return { ...slice, viewers: slice.viewers + 1 };
  if (customer360.customerPanelDetached.match(action)) return slice.viewers === 0 ? slice : { ...slice, viewers: slice.viewers - 1 };
  if (customer360.selectedConversationLoaded.match(action)) {
    return { ...slice, selectedElsewhere: action.payload.conversation, selectedElsewhereError: null };
  }
  if (customer360.selectedConversationFailed.match(action)) {
    const { conversationId, error } = action.payload;
    return { ...slice, selectedElsewhereError: { conversationId, error } };
  }
  if (customer360.customerDetailRetryRequested.match(action)) {
    return updateDetail(slice, action.payload.customerId, (detail) => requestParts(detail, PARTS, ['failed']));
  }
  if (customer360.customerProfileLoaded.match(action)) {
    const { customerId, generation } = action.payload;
    return loaded(slice, customerId, 'profile', generation, (detail) => detail);
  }
  if (customer360.customerConversationsLoaded.match(action)) {
    const { customerId, generation, conversations } = action.payload;
    return loaded(slice, customerId, 'conversations', generation, (detail) => ({
      ...detail,
      conversations: PersistentMap.fromEntities(conversations),
    }));
  }
  if (customer360.customerTicketsLoaded.match(action)) {
    const { customerId, generation, tickets } = action.payload;
    return loaded(slice, customerId, 'tickets', generation, (detail) => ({ ...detail, tickets: PersistentMap.fromEntities(tickets) }));
  }
  if (customer360.customerDuplicatesLoaded.match(action)) {
    const { customerId, generation, duplicates } = action.payload;
    return loaded(slice, customerId, 'duplicates', generation, (detail) => ({ ...detail, duplicates }));
  }
  if (customer360.customerDetailFailed.match(action)) {
    const { customerId, part, generation, error } = action.payload;
    const detail = slice.details.get(customerId);
    if (!detail || detail.requests[part].generation !== generation) return slice;
    return withDetails(slice, slice.details.set(customerId, setRequest(detail, part, { status: 'failed', error, generation })));
  }
  if (customer360.customerTagAdded.match(action) || customer360.customerTagRemoved.match(action)) {
    const { customerId } = action.payload;
    return updateDetail(touchDetail(slice, customerId), customerId, (detail) => saveStarted(detail, 'tags'));
  }
  if (customer360.customerNotesSubmitted.match(action)) {
    const { customerId } = action.payload;
    return updateDetail(touchDetail(slice, customerId), customerId, (detail) => saveStarted(detail, 'notes'));
  }
  if (customer360.customerSaved.match(action)) {
    const { customerId, field } = action.payload;
    return updateDetail(slice, customerId, (detail) => saveEnded(detail, field, null));
  }
  if (customer360.customerSaveFailed.match(action)) {
    const { customerId, field, error } = action.payload;
    return updateDetail(slice, customerId, (detail) => saveEnded(detail, field, error));
  }
  if (customer360.customerMergeConfirmed.match(action)) {
    const { targetId, sourceId, requestId } = action.payload;
    return updateDetail(touchDetail(slice, targetId), targetId, (detail) => ({
      ...detail,
      merge: { status: 'merging', sourceId, requestId, error: null },
    }));
  }
  if (customer360.customersMerged.match(action)) {
    const { targetId, sourceId, requestId } = action.payload;
    return updateDetail(applyMerge(slice, targetId, sourceId), targetId, (detail) =>
      detail.merge.requestId === requestId ? { ...detail, merge: { ...detail.merge, status: 'merged', error: null } } : detail,
    );
  }
  if (customer360.customerMergeFailed.match(action)) {
    const { targetId, requestId, error } = action.payload;
    return updateDetail(slice, targetId, (detail) =>
      detail.merge.requestId === requestId ? { ...detail, merge: { ...detail.merge, status: 'failed', error } } : detail,
    );
  }
  if (actions.snapshotLoaded.match(action)) {
    // The desk may have missed events: everything held is stale and loads again when next asked for.
    let details = slice.details;
    for (const customerId of slice.recent) details = details.update(customerId, (detail) => markStale(detail, PARTS));
    return withDetails(slice, details);
  }
  if (accessActions.accessChanged.match(action) && !action.payload.viewPii) {
    // What was loaded may show PII: emptied, and stale (an answer in flight is dropped), so it loads again.
    let details = slice.details;
    slice.details.forEach((detail, customerId) => {
      details = details.set(customerId, markStale({ ...emptyCustomerDetail(customerId), requests: detail.requests }, PARTS));
    });
    return { ...slice, details, selectedElsewhere: null, selectedElsewhereError: null };
  }
  if (actions.workspaceStopped.match(action)) return initialCustomer360;
  return slice;
}
