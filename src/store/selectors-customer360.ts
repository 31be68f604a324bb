import type { Channel, Conversation, Customer, Ticket, TicketStatus } from '../connector/model.js';
import type { ScreenPopDetail } from '../events/screen-pop.js';
import type { PersistentMap } from './persistent-map.js';
import type { ErrorInfo } from './errors.js';
import { createSelector, type Selector } from './select.js';
import { selectCapabilities, selectCustomerEntities, selectSelectedConversation, selectSelectedConversationId } from './selectors.js';
import type { CustomerDetail } from './slices/customer360.js';
import type { DeskState } from './state.js';

/** One line of the cross-channel history: a conversation, a call (a conversation on `phone`) or a ticket. */
export interface TimelineEntry {
  readonly kind: 'conversation' | 'call' | 'ticket';
  /** The conversation's or the ticket's id. */
  readonly id: string;
  /** The channel it came in on; a ticket's source channel, or null when it has none. */
  readonly channel: Channel | null;
  /** Its latest activity (last message, last ticket change), epoch milliseconds. */
  readonly at: number;
  /** Untrusted text: a subject, the last message, or the ticket subject. */
  readonly title: string;
  readonly status: string;
  /** The conversation that choosing the entry opens; null for a ticket linked to none. */
  readonly conversationId: string | null;
}

/** What the backend lets the panel do; all false until connected. */
export interface CustomerFeatures {
  readonly known: boolean;
  readonly customers: boolean;
  readonly merge: boolean;
  readonly tickets: boolean;
}

const CLOSED_TICKET_STATUSES: readonly TicketStatus[] = ['solved', 'closed'];

export const selectCustomer360Details = (state: DeskState) => state.customer360.details;
export const selectMergedInto = (state: DeskState) => state.customer360.mergedInto;

export const selectCustomerFeatures: Selector<DeskState, CustomerFeatures> = createSelector([selectCapabilities], (capabilities) => ({
  known: capabilities !== null,
  customers: capabilities?.customers ?? false,
  merge: (capabilities?.customers ?? false) && (capabilities?.customerMerge ?? false),
  tickets: capabilities?.tickets ?? false,
}));

/** Follows merges: a customer merged away is shown as the one it went into. */
export function resolveMergedCustomerId(mergedInto: PersistentMap<string>, customerId: string): string {
  let id = customerId;
  // Bounded, so a cycle in what a backend reported cannot hang the page.
  for (let hops = 0; hops < 16; hops++) {
    const next = mergedInto.get(id);
    if (next === undefined || next === id) break;
    id = next;
  }
  return id;
}

/**
 * The conversation selected: from the desk's list or, for one the list does not hold (an older one opened from a
 * history, say), from a held history or as fetched on its own.
 */
export const selectSelectedConversationAnywhere: Selector<DeskState, Conversation | null> = createSelector(
  [selectSelectedConversation, selectSelectedConversationId, selectCustomer360Details, (state: DeskState) => state.customer360.selectedElsewhere],
  (conversation, selectedId, details, elsewhere) => {
    if (conversation || selectedId === null) return conversation;
    if (elsewhere?.id === selectedId) return elsewhere;
    for (const [, detail] of details) {
      const held = detail.conversations.get(selectedId);
      if (held) return held;
    }
    return null;
  },
);

/** Why the selected conversation could not be fetched, when the desk held it nowhere. */
export const selectSelectedElsewhereError: Selector<DeskState, ErrorInfo | null> = createSelector(
  [selectSelectedConversationId, (state: DeskState) => state.customer360.selectedElsewhereError],
  (selectedId, failure) => (failure !== null && failure.conversationId === selectedId ? failure.error : null),
);

/** The customer the 360 panel shows: the selected conversation's, following merges. */
export const selectPanelCustomerId: Selector<DeskState, string | null> = createSelector(
  [selectSelectedConversationAnywhere, selectMergedInto],
  (conversation, mergedInto) => (conversation ? resolveMergedCustomerId(mergedInto, conversation.customerId) : null),
);

export const selectPanelCustomer: Selector<DeskState, Customer | null> = createSelector(
  [selectCustomerEntities, selectPanelCustomerId],
  (customers, id) => (id === null ? null : customers.get(id) ?? null),
);

export const selectPanelDetail: Selector<DeskState, CustomerDetail | null> = createSelector(
  [selectCustomer360Details, selectPanelCustomerId],
  (details, id) => (id === null ? null : details.get(id) ?? null),
);

function conversationEntry(conversation: Conversation): TimelineEntry {
  return {
    kind: conversation.channel === 'phone' ? 'call' : 'conversation',
    id: conversation.id,
    channel: conversation.channel,
    at: conversation.lastMessageAt,
    title: conversation.subject?.trim() || conversation.lastMessagePreview,
    status: conversation.status,
    conversationId: conversation.id,
  };
}

function ticketEntry(ticket: Ticket): TimelineEntry {
  return {
    kind: 'ticket',
    id: ticket.id,
    channel: ticket.sourceChannel,
    at: ticket.updatedAt,
    title: ticket.subject,
    status: ticket.status,
    conversationId: ticket.conversationIds[0] ?? null,
  };
}

/** Every conversation, call and ticket of a customer, newest first. */
export function buildTimeline(detail: CustomerDetail): TimelineEntry[] {
  const entries: TimelineEntry[] = [];
  detail.conversations.forEach((conversation) => entries.push(conversationEntry(conversation)));
  detail.tickets.forEach((ticket) => entries.push(ticketEntry(ticket)));
  return entries.sort((a, b) => b.at - a.at || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
}

export const selectPanelTimeline: Selector<DeskState, readonly TimelineEntry[]> = createSelector([selectPanelDetail], (detail) =>
  detail ? buildTimeline(detail) : [],
);

/** The customer's tickets that still need work, most recently changed first. */
export const selectPanelOpenTickets: Selector<DeskState, readonly Ticket[]> = createSelector([selectPanelDetail], (detail) =>
  detail
    ? detail.tickets
        .values()
        .filter((ticket) => !CLOSED_TICKET_STATUSES.includes(ticket.status))
        .sort((a, b) => b.updatedAt - a.updatedAt)
    : [],
);

/** Who a screen pop is about: the shown customer and the conversation (or call) that brought them up. */
export const selectScreenPopTarget: Selector<DeskState, ScreenPopDetail | null> = createSelector(
  [selectPanelCustomerId, selectSelectedConversationAnywhere],
  (customerId, conversation) =>
    customerId === null || conversation === null
      ? null
      : { customerId, conversationId: conversation.id, source: conversation.channel === 'phone' ? 'call' : 'conversation' },
);
