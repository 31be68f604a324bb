import type { Conversation, Ticket, TicketStatus } from '../connector/model.js';
import { createSelector, selectorFamily, type Selector } from './select.js';
import { selectConversationEntities } from './selectors.js';
import type { PersistentMap } from './persistent-map.js';
import { ticketSaveKey, type CustomerTicketList, type TicketsSlice } from './slices/tickets.js';
import type { ErrorInfo, RequestStatus } from './errors.js';
import type { DeskState } from './state.js';

export const selectTickets = (state: DeskState): TicketsSlice => state.tickets;
export const selectTicketEntities = (state: DeskState) => state.tickets.entities;
export const selectOpenTicketId = (state: DeskState) => state.tickets.openTicketId;
/** Whether the backend has tickets; null until it has said (before connecting). */
export const selectTicketsEnabled = (state: DeskState): boolean | null => state.connection.capabilities?.tickets ?? null;

export interface CustomerTickets {
  readonly status: RequestStatus;
  readonly error: ErrorInfo | null;
  /** Active tickets first, soonest due first; then solved and closed ones, latest first. */
  readonly tickets: readonly Ticket[];
}

const ACTIVE: ReadonlySet<TicketStatus> = new Set(['new', 'open', 'pending']);

export function compareTickets(a: Ticket, b: Ticket): number {
  const activeA = ACTIVE.has(a.status);
  const activeB = ACTIVE.has(b.status);
  if (activeA !== activeB) return activeA ? -1 : 1;
  if (activeA && a.dueAt !== b.dueAt) {
    if (a.dueAt === null) return 1;
    if (b.dueAt === null) return -1;
    return a.dueAt - b.dueAt;
  }
  return b.updatedAt - a.updatedAt || (a.id < b.id ? -1 : 1);
}

function listView(entities: PersistentMap<Ticket>, list: CustomerTicketList | undefined): CustomerTickets {
  if (!list) return { status: 'idle', error: null, tickets: [] };
  const tickets = list.ticketIds.flatMap((id) => entities.get(id) ?? []).sort(compareTickets);
  return { status: list.status, error: list.error, tickets };
}

/** One customer's tickets as the pane lists them. */
export function customerTickets(slice: TicketsSlice, customerId: string): CustomerTickets {
  return listView(slice.entities, slice.lists.get(customerId));
}

export const selectCustomerTickets = selectorFamily<DeskState, string, CustomerTickets>((customerId) =>
  createSelector([selectTicketEntities, (state: DeskState) => state.tickets.lists.get(customerId)], listView),
);

/** Whether a write of this ticket is on its way; its own echo must not read as someone else's change meanwhile. */
export function ticketWriteInFlight(slice: TicketsSlice, ticketId: string): boolean {
  return (['fields', 'status', 'comment'] as const).some((kind) => slice.saves.get(ticketSaveKey(kind, ticketId))?.status === 'saving');
}

/**
 * Whether someone else changed the ticket while the agent was editing it: the ticket moved past the version the
 * edit started from, or the backend refused the edit's save as stale.
 */
export function ticketConflict(slice: TicketsSlice, ticketId: string): boolean {
  const edit = slice.edits.get(ticketId);
  const ticket = slice.entities.get(ticketId);
  if (!edit || !ticket || ticketWriteInFlight(slice, ticketId)) return false;
  const save = slice.saves.get(ticketSaveKey('fields', ticketId));
  return ticket.version !== edit.baseVersion || (save?.status === 'failed' && save.error?.code === 'conflict');
}

/** Keeps the previous array when every element is the same, so a memoized consumer sees no change. */
function sameElements<T>(): (next: readonly T[]) => readonly T[] {
  let previous: readonly T[] = [];
  return (next) => {
    if (next.length === previous.length && next.every((item, index) => item === previous[index])) return previous;
    previous = next;
    return next;
  };
}

const linkedStable = sameElements<Conversation | string>();
/**
 * The open ticket's linked conversations: the conversation where the desk holds it, else its id. It changes
 * only when one of those changes, not with every other conversation's event.
 */
export const selectOpenTicketLinks: Selector<DeskState, readonly (Conversation | string)[]> = (state) => {
  const ticket = state.tickets.openTicketId === null ? undefined : state.tickets.entities.get(state.tickets.openTicketId);
  const conversations = selectConversationEntities(state);
  return linkedStable((ticket?.conversationIds ?? []).map((id) => conversations.get(id) ?? id));
};
