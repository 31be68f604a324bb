import type { Queue, Ticket, TicketStatus } from '../../connector/model.js';
import { PersistentMap } from '../persistent-map.js';
import type { Action } from '../action.js';
import * as actions from '../actions.js';
import * as accessActions from '../actions-access.js';
import * as ticketActions from '../actions-tickets.js';
import {
  TICKET_EDITABLE_FIELDS,
  type NewTicketForm,
  type TicketAgent,
  type TicketFieldChanges,
  type TicketUpdateKind,
} from '../actions-tickets.js';
import type { ErrorInfo, RequestStatus } from '../errors.js';
import type { AppliedEvent } from './applied-event.js';

/** The tickets of one customer: which ones, and how loading them went. */
export interface CustomerTicketList {
  readonly status: RequestStatus;
  readonly ticketIds: readonly string[];
  readonly error: ErrorInfo | null;
}

/** The agent's unsaved edits of one ticket: only the fields they changed, and the version they started from. */
export interface TicketEdit {
  readonly baseVersion: number;
  readonly changes: TicketFieldChanges;
}

export interface TicketCommentForm {
  readonly body: string;
  readonly internal: boolean;
}

export type TicketSaveKind = 'create' | TicketUpdateKind | 'comment';

/** The last write of one kind to one ticket (or, for `create`, from one conversation). */
export interface TicketSave {
  readonly kind: TicketSaveKind;
  readonly requestKey: string;
  readonly status: 'saving' | 'saved' | 'failed';
  /** The ticket written; for a create, known once it is saved. */
  readonly ticketId: string | null;
  readonly error: ErrorInfo | null;
}

/** A status move the desk saw, for the ticket's history (the ticket record itself keeps none). */
export interface TicketStatusChange {
  readonly from: TicketStatus;
  readonly to: TicketStatus;
  readonly at: number;
  readonly version: number;
}

/** Who a ticket can be assigned to. */
export interface TicketDirectory {
  readonly status: RequestStatus;
  readonly agents: readonly TicketAgent[];
  readonly queues: readonly Queue[];
  readonly error: ErrorInfo | null;
}

export interface TicketsSlice {
  readonly entities: PersistentMap<Ticket>;
  /** By customer id. */
  readonly lists: PersistentMap<CustomerTicketList>;
  /** By ticket id. */
  readonly statusChanges: PersistentMap<readonly TicketStatusChange[]>;
  /** Unsaved field edits, by ticket id. */
  readonly edits: PersistentMap<TicketEdit>;
  /** Unsent comments, by ticket id. */
  readonly comments: PersistentMap<TicketCommentForm>;
  /** Tickets being written, by the conversation they come from. */
  readonly newTickets: PersistentMap<NewTicketForm>;
  /** By {@link ticketSaveKey}. */
  readonly saves: PersistentMap<TicketSave>;
  /** The ticket the pane shows; null shows the list. */
  readonly openTicketId: string | null;
  readonly directory: TicketDirectory;
}

export const initialTickets: TicketsSlice = {
  entities: PersistentMap.empty(),
  lists: PersistentMap.empty(),
  statusChanges: PersistentMap.empty(),
  edits: PersistentMap.empty(),
  comments: PersistentMap.empty(),
  newTickets: PersistentMap.empty(),
  saves: PersistentMap.empty(),
  openTicketId: null,
  directory: { status: 'idle', agents: [], queues: [], error: null },
};

/** Where a save is kept: a create by its conversation id, every other write by its ticket id. */
export function ticketSaveKey(kind: TicketSaveKind, id: string): string {
  return `${kind}:${id}`;
}

const emptyList: CustomerTicketList = { status: 'idle', ticketIds: [], error: null };

/** Takes a ticket into the slice unless an equal or newer version is held; keeps lists and status history in step. */
function putTicket(slice: TicketsSlice, ticket: Ticket): TicketsSlice {
  const held = slice.entities.get(ticket.id);
  if (held === ticket || (held && held.version > ticket.version)) return slice;
  let lists = slice.lists;
  if (held && held.customerId !== ticket.customerId) {
    lists = lists.update(held.customerId, (list) => ({ ...list, ticketIds: list.ticketIds.filter((id) => id !== ticket.id) }));
  }
  lists = lists.update(ticket.customerId, (list) => (list.ticketIds.includes(ticket.id) ? list : { ...list, ticketIds: [ticket.id, ...list.ticketIds] }));
  let statusChanges = slice.statusChanges;
  if (held && held.status !== ticket.status) {
    const change: TicketStatusChange = { from: held.status, to: ticket.status, at: ticket.updatedAt, version: ticket.version };
    statusChanges = statusChanges.set(ticket.id, [...(statusChanges.get(ticket.id) ?? []), change]);
  }
  return { ...slice, entities: slice.entities.set(ticket.id, ticket), lists, statusChanges };
}

/** The changes that still differ from `ticket`: a change that matches it has nothing left to save. */
function pendingChanges(changes: TicketFieldChanges, ticket: Ticket): TicketFieldChanges {
  const pending: Record<string, unknown> = {};
  for (const field of TICKET_EDITABLE_FIELDS) {
    if (field in changes && changes[field] !== ticket[field]) pending[field] = changes[field];
  }
  return pending as TicketFieldChanges;
}

function withEdit(slice: TicketsSlice, ticketId: string, edit: TicketEdit | null): TicketsSlice {
  const edits = edit === null || Object.keys(edit.changes).length === 0 ? slice.edits.delete(ticketId) : slice.edits.set(ticketId, edit);
  return edits === slice.edits ? slice : { ...slice, edits };
}

/**
 * After the agent's own status move or comment produced `ticket`: an edit that was current just before it moves
 * onto the new version, so the agent's own write is not mistaken for someone else's change.
 */
function followOwnWrite(slice: TicketsSlice, ticket: Ticket): TicketsSlice {
  const edit = slice.edits.get(ticket.id);
  if (!edit || edit.baseVersion !== ticket.version - 1) return slice;
  return withEdit(slice, ticket.id, { baseVersion: ticket.version, changes: edit.changes });
}

function setSave(slice: TicketsSlice, key: string, save: TicketSave): TicketsSlice {
  return { ...slice, saves: slice.saves.set(key, save) };
}

/** Forgets a failed save, once what it failed on has been dealt with. */
function clearFailedSave(slice: TicketsSlice, key: string): TicketsSlice {
  return slice.saves.get(key)?.status === 'failed' ? { ...slice, saves: slice.saves.delete(key) } : slice;
}

function applyEvent(slice: TicketsSlice, event: NonNullable<AppliedEvent>): TicketsSlice {
  if (event.type === 'ticket.upserted') {
    const { ticket } = event;
    // A ticket of a customer nobody looked at is loaded when someone does; holding it now would only cost memory.
    if (!slice.entities.has(ticket.id) && !slice.lists.has(ticket.customerId)) return slice;
    return putTicket(slice, ticket);
  }
  if (event.type === 'ticket.commented') {
    const held = slice.entities.get(event.ticketId);
    if (!held || held.comments.some((comment) => comment.id === event.comment.id)) return slice;
    // The version stays: the upsert that follows (or a reload) brings the new one.
    return { ...slice, entities: slice.entities.set(held.id, { ...held, comments: [...held.comments, event.comment] }) };
  }
  if (event.type === 'customer.merged') {
    // The source's tickets move to the target, each with its own upsert.
    const lists = slice.lists.delete(event.sourceId);
    return lists === slice.lists ? slice : { ...slice, lists };
  }
  return slice;
}

export function ticketsReducer(slice: TicketsSlice, action: Action, event: AppliedEvent): TicketsSlice {
  if (event) return applyEvent(slice, event);

  if (ticketActions.ticketListRequested.match(action)) {
    const { customerId } = action.payload;
    const list = slice.lists.get(customerId) ?? emptyList;
    if (list.status === 'loading') return slice;
    return { ...slice, lists: slice.lists.set(customerId, { ...list, status: 'loading', error: null }) };
  }
  if (ticketActions.ticketListLoaded.match(action)) {
    const { customerId, tickets } = action.payload;
    let next: TicketsSlice = {
      ...slice,
      lists: slice.lists.set(customerId, { status: 'loaded', ticketIds: tickets.map((ticket) => ticket.id), error: null }),
    };
    for (const ticket of tickets) next = putTicket(next, ticket);
    // A newer version held from the stream may already belong to another customer (after a merge, say).
    const list = next.lists.get(customerId) ?? emptyList;
    const ticketIds = list.ticketIds.filter((id) => next.entities.get(id)?.customerId === customerId);
    return ticketIds.length === list.ticketIds.length ? next : { ...next, lists: next.lists.set(customerId, { ...list, ticketIds }) };
  }
  if (ticketActions.ticketListFailed.match(action)) {
    const { customerId, error } = action.payload;
    const list = slice.lists.get(customerId) ?? emptyList;
    return { ...slice, lists: slice.lists.set(customerId, { ...list, status: 'failed', error }) };
  }
  if (ticketActions.ticketOpened.match(action)) {
    const { ticketId } = action.payload;
    return ticketId === slice.openTicketId ? slice : { ...slice, openTicketId: ticketId };
  }
  if (ticketActions.ticketLoaded.match(action)) return putTicket(slice, action.payload.ticket);

  if (ticketActions.ticketDirectoryRequested.match(action)) {
    if (slice.directory.status === 'loading') return slice;
    return { ...slice, directory: { ...slice.directory, status: 'loading', error: null } };
  }
  if (ticketActions.ticketDirectoryLoaded.match(action)) {
    const { agents, queues } = action.payload;
    return { ...slice, directory: { status: 'loaded', agents, queues, error: null } };
  }
  if (ticketActions.ticketDirectoryFailed.match(action)) {
    return { ...slice, directory: { ...slice.directory, status: 'failed', error: action.payload.error } };
  }

  if (ticketActions.newTicketStarted.match(action)) {
    const { form } = action.payload;
    // A ticket already being written from this conversation keeps what the agent typed.
    if (slice.newTickets.has(form.conversationId)) return slice;
    return clearFailedSave({ ...slice, newTickets: slice.newTickets.set(form.conversationId, form) }, ticketSaveKey('create', form.conversationId));
  }
  if (ticketActions.newTicketEdited.match(action)) {
    const { conversationId, changes } = action.payload;
    const newTickets = slice.newTickets.update(conversationId, (form) => ({ ...form, ...changes }));
    return newTickets === slice.newTickets ? slice : { ...slice, newTickets };
  }
  if (ticketActions.newTicketCancelled.match(action)) {
    const { conversationId } = action.payload;
    return clearFailedSave({ ...slice, newTickets: slice.newTickets.delete(conversationId) }, ticketSaveKey('create', conversationId));
  }
  if (ticketActions.ticketCreateSubmitted.match(action)) {
    const { conversationId, requestKey } = action.payload;
    return setSave(slice, ticketSaveKey('create', conversationId), { kind: 'create', requestKey, status: 'saving', ticketId: null, error: null });
  }
  if (ticketActions.ticketCreated.match(action)) {
    const { conversationId, requestKey, ticket } = action.payload;
    const next = putTicket(slice, ticket);
    const saved: TicketSave = { kind: 'create', requestKey, status: 'saved', ticketId: ticket.id, error: null };
    return setSave({ ...next, newTickets: next.newTickets.delete(conversationId), openTicketId: ticket.id }, ticketSaveKey('create', conversationId), saved);
  }
  if (ticketActions.ticketCreateFailed.match(action)) {
    const { conversationId, requestKey, error } = action.payload;
    return setSave(slice, ticketSaveKey('create', conversationId), { kind: 'create', requestKey, status: 'failed', ticketId: null, error });
  }

  if (ticketActions.ticketFieldsEdited.match(action)) {
    const { ticketId, changes } = action.payload;
    const ticket = slice.entities.get(ticketId);
    if (!ticket) return slice;
    const current = slice.edits.get(ticketId) ?? { baseVersion: ticket.version, changes: {} };
    const merged: TicketFieldChanges = { ...current.changes, ...changes };
    // Typing a field back to what the ticket says is not an edit, as long as the edit is based on what is shown.
    const kept = current.baseVersion === ticket.version ? pendingChanges(merged, ticket) : merged;
    return withEdit(slice, ticketId, { baseVersion: current.baseVersion, changes: kept });
  }
  if (ticketActions.ticketEditDiscarded.match(action)) {
    const { ticketId } = action.payload;
    return clearFailedSave(withEdit(slice, ticketId, null), ticketSaveKey('fields', ticketId));
  }
  if (ticketActions.ticketEditKept.match(action)) {
    const { ticketId } = action.payload;
    const ticket = slice.entities.get(ticketId);
    const edit = slice.edits.get(ticketId);
    if (!ticket || !edit) return slice;
    return clearFailedSave(withEdit(slice, ticketId, { baseVersion: ticket.version, changes: pendingChanges(edit.changes, ticket) }), ticketSaveKey('fields', ticketId));
  }
  if (ticketActions.ticketUpdateSubmitted.match(action)) {
    const { ticketId, requestKey, kind } = action.payload;
    return setSave(slice, ticketSaveKey(kind, ticketId), { kind, requestKey, status: 'saving', ticketId, error: null });
  }
  if (ticketActions.ticketUpdated.match(action)) {
    const { ticketId, requestKey, kind, patch, ticket } = action.payload;
    let next = setSave(putTicket(slice, ticket), ticketSaveKey(kind, ticketId), { kind, requestKey, status: 'saved', ticketId, error: null });
    if (kind === 'status') return followOwnWrite(next, ticket);
    const edit = next.edits.get(ticketId);
    if (edit) {
      // What was saved is no longer an edit; anything typed while it was saving stays, on top of the saved version.
      const remaining: Record<string, unknown> = {};
      for (const field of TICKET_EDITABLE_FIELDS) {
        if (field in edit.changes && edit.changes[field] !== patch[field]) remaining[field] = edit.changes[field];
      }
      next = withEdit(next, ticketId, { baseVersion: ticket.version, changes: remaining as TicketFieldChanges });
    }
    return next;
  }
  if (ticketActions.ticketUpdateFailed.match(action)) {
    const { ticketId, requestKey, kind, error } = action.payload;
    return setSave(slice, ticketSaveKey(kind, ticketId), { kind, requestKey, status: 'failed', ticketId, error });
  }

  if (ticketActions.ticketCommentDraftChanged.match(action)) {
    const { ticketId, body, internal } = action.payload;
    const comments = body === '' && !internal ? slice.comments.delete(ticketId) : slice.comments.set(ticketId, { body, internal });
    return comments === slice.comments ? slice : { ...slice, comments };
  }
  if (ticketActions.ticketCommentSubmitted.match(action)) {
    const { ticketId, requestKey } = action.payload;
    return setSave(slice, ticketSaveKey('comment', ticketId), { kind: 'comment', requestKey, status: 'saving', ticketId, error: null });
  }
  if (ticketActions.ticketCommentAdded.match(action)) {
    const { ticketId, requestKey, comment, ticket } = action.payload;
    let next = setSave(putTicket(slice, ticket), ticketSaveKey('comment', ticketId), { kind: 'comment', requestKey, status: 'saved', ticketId, error: null });
    // The box empties unless the agent already started the next comment.
    if (next.comments.get(ticketId)?.body === comment.body) next = { ...next, comments: next.comments.delete(ticketId) };
    return followOwnWrite(next, ticket);
  }
  if (ticketActions.ticketCommentFailed.match(action)) {
    const { ticketId, requestKey, error } = action.payload;
    return setSave(slice, ticketSaveKey('comment', ticketId), { kind: 'comment', requestKey, status: 'failed', ticketId, error });
  }

  if (actions.snapshotLoaded.match(action)) {
    // The stream had a gap: loaded lists may have missed tickets, so each loads again when it is next shown.
    let lists = slice.lists;
    slice.lists.forEach((list, customerId) => {
      if (list.status === 'loaded') lists = lists.set(customerId, { ...list, status: 'idle' });
    });
    return lists === slice.lists ? slice : { ...slice, lists };
  }
  if (accessActions.accessChanged.match(action) && !action.payload.viewPii) {
    // Tickets held may show PII: they go (the pane asks for its list again); what the agent is writing stays.
    return { ...slice, entities: PersistentMap.empty(), lists: PersistentMap.empty(), statusChanges: PersistentMap.empty(), openTicketId: null };
  }
  if (actions.workspaceStopped.match(action)) return initialTickets;
  return slice;
}
