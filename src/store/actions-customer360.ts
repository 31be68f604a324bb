/**
 * Actions of the customer 360 profile (`cc-customer-panel`): loading a customer's detail (history, tickets,
 * duplicates), editing tags and notes, and merging duplicate profiles.
 */
import { defineAction, payload } from './action.js';
import type { ErrorInfo } from './errors.js';
import type { Conversation, Customer, Ticket } from '../connector/model.js';

/** The parts of a customer's detail that load separately, each with its own request status. */
export type CustomerDetailPart = 'profile' | 'conversations' | 'tickets' | 'duplicates';
/** The customer fields the panel edits. */
export type CustomerField = 'tags' | 'notes';

/**
 * A customer panel was attached to the store, or detached from it. Customer details load only while at least one
 * is attached, so a desk without the panel pays nothing for it.
 */
export const customerPanelAttached = defineAction('[Customer Panel] attached');
export const customerPanelDetached = defineAction('[Customer Panel] detached');

/**
 * The store wants these parts of a customer's detail: ones never loaded (or failed, or made stale by a snapshot
 * or a merge) start loading; ones already held stay as they are, kept live by events.
 */
export const customerDetailRequested = defineAction(
  '[Store] customer detail requested',
  payload<{ customerId: string; parts: readonly CustomerDetailPart[] }>(),
);
/**
 * A selected conversation that the desk's list does not hold (an old one, opened from a history or by the host),
 * fetched to learn whose it is.
 */
export const selectedConversationLoaded = defineAction('[Connector] selected conversation loaded', payload<{ conversation: Conversation }>());
export const selectedConversationFailed = defineAction(
  '[Connector] selected conversation failed',
  payload<{ conversationId: string; error: ErrorInfo }>(),
);
/** The agent asked to load again what failed. */
export const customerDetailRetryRequested = defineAction('[Customer Panel] detail retry requested', payload<{ customerId: string }>());

export const customerProfileLoaded = defineAction(
  '[Connector] customer profile loaded',
  payload<{ customerId: string; generation: number; customer: Customer }>(),
);
export const customerConversationsLoaded = defineAction(
  '[Connector] customer conversations loaded',
  payload<{ customerId: string; generation: number; conversations: readonly Conversation[] }>(),
);
export const customerTicketsLoaded = defineAction(
  '[Connector] customer tickets loaded',
  payload<{ customerId: string; generation: number; tickets: readonly Ticket[] }>(),
);
export const customerDuplicatesLoaded = defineAction(
  '[Connector] customer duplicates loaded',
  payload<{ customerId: string; generation: number; duplicates: readonly Customer[] }>(),
);
export const customerDetailFailed = defineAction(
  '[Connector] customer detail failed',
  payload<{ customerId: string; part: CustomerDetailPart; generation: number; error: ErrorInfo }>(),
);

// Editing. `requestId` is the write's idempotency key.
export const customerTagAdded = defineAction('[Customer Panel] tag added', payload<{ customerId: string; tag: string; requestId: string }>());
export const customerTagRemoved = defineAction('[Customer Panel] tag removed', payload<{ customerId: string; tag: string; requestId: string }>());
export const customerNotesSubmitted = defineAction(
  '[Customer Panel] notes submitted',
  payload<{ customerId: string; notes: string; requestId: string }>(),
);
export const customerSaved = defineAction(
  '[Connector] customer saved',
  payload<{ customerId: string; field: CustomerField; requestId: string; customer: Customer }>(),
);
export const customerSaveFailed = defineAction(
  '[Connector] customer save failed',
  payload<{ customerId: string; field: CustomerField; requestId: string; error: ErrorInfo }>(),
);

// Merging: `sourceId` is merged into `targetId`, which stays.
export const customerMergeConfirmed = defineAction(
  '[Customer Panel] merge confirmed',
  payload<{ targetId: string; sourceId: string; requestId: string }>(),
);
export const customersMerged = defineAction(
  '[Connector] customers merged',
  payload<{ targetId: string; sourceId: string; requestId: string; customer: Customer }>(),
);
export const customerMergeFailed = defineAction(
  '[Connector] customer merge failed',
  payload<{ targetId: string; sourceId: string; requestId: string; error: ErrorInfo }>(),
);
