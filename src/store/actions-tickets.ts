/**
 * Actions of the ticket pane (`cc-ticket-pane`): a customer's tickets, creating one from a conversation, editing
 * fields, moving it through the workflow and commenting. Intents come from `[Ticket Pane]`, results from
 * `[Connector]`. Every write carries a `requestKey`, sent as its idempotency key, so a repeated request cannot
 * write twice and the pane can tell its own results from anyone else's.
 */
import { defineAction, payload } from './action.js';
import type { ErrorInfo } from './errors.js';
import type { TicketCommentDraft, TicketDraft, TicketPatch } from '../connector/connector.js';
import type { Agent, Channel, Priority, Queue, Ticket, TicketType } from '../connector/model.js';

/** The ticket fields an agent edits in the pane's form (status moves separately, through the workflow). */
export type TicketEditableField = 'subject' | 'description' | 'type' | 'priority' | 'assigneeId' | 'groupId' | 'dueAt';
export const TICKET_EDITABLE_FIELDS: readonly TicketEditableField[] = ['subject', 'description', 'type', 'priority', 'assigneeId', 'groupId', 'dueAt'];
export type TicketFieldChanges = Partial<Pick<Ticket, TicketEditableField>>;

/** A ticket being written from a conversation, before it is created. */
export interface NewTicketForm {
  readonly customerId: string;
  readonly conversationId: string;
  readonly sourceChannel: Channel | null;
  readonly subject: string;
  readonly description: string;
  readonly type: TicketType;
  readonly priority: Priority;
  readonly assigneeId: string | null;
  readonly groupId: string | null;
  readonly dueAt: number | null;
}
export type NewTicketChanges = Partial<Pick<NewTicketForm, TicketEditableField>>;

export type TicketAgent = Pick<Agent, 'id' | 'name' | 'presence'>;
/** Which write a save is: a field edit and a status move of the same ticket are tracked apart. */
export type TicketUpdateKind = 'fields' | 'status';

// The customer's tickets
export const ticketListRequested = defineAction('[Ticket Pane] ticket list requested', payload<{ customerId: string }>());
export const ticketListLoaded = defineAction('[Connector] ticket list loaded', payload<{ customerId: string; tickets: readonly Ticket[] }>());
export const ticketListFailed = defineAction('[Connector] ticket list failed', payload<{ customerId: string; error: ErrorInfo }>());
/** Opens one ticket in the pane; `null` goes back to the list. */
export const ticketOpened = defineAction('[Ticket Pane] ticket opened', payload<{ ticketId: string | null }>());
export const ticketLoaded = defineAction('[Connector] ticket loaded', payload<{ ticket: Ticket }>());
export const ticketLoadFailed = defineAction('[Connector] ticket load failed', payload<{ ticketId: string; error: ErrorInfo }>());

// Agents and groups to assign to
export const ticketDirectoryRequested = defineAction('[Ticket Pane] directory requested');
export const ticketDirectoryLoaded = defineAction(
  '[Connector] ticket directory loaded',
  payload<{ agents: readonly TicketAgent[]; queues: readonly Queue[] }>(),
);
export const ticketDirectoryFailed = defineAction('[Connector] ticket directory failed', payload<{ error: ErrorInfo }>());

// Creating from a conversation
export const newTicketStarted = defineAction('[Ticket Pane] new ticket started', payload<{ form: NewTicketForm }>());
export const newTicketEdited = defineAction('[Ticket Pane] new ticket edited', payload<{ conversationId: string; changes: NewTicketChanges }>());
export const newTicketCancelled = defineAction('[Ticket Pane] new ticket cancelled', payload<{ conversationId: string }>());
export const ticketCreateSubmitted = defineAction(
  '[Ticket Pane] ticket create submitted',
  payload<{ conversationId: string; requestKey: string; draft: TicketDraft }>(),
);
export const ticketCreated = defineAction('[Connector] ticket created', payload<{ conversationId: string; requestKey: string; ticket: Ticket }>());
export const ticketCreateFailed = defineAction(
  '[Connector] ticket create failed',
  payload<{ conversationId: string; requestKey: string; error: ErrorInfo }>(),
);

// Editing an existing ticket
export const ticketFieldsEdited = defineAction('[Ticket Pane] ticket fields edited', payload<{ ticketId: string; changes: TicketFieldChanges }>());
/** Drops the agent's unsaved edits and shows the ticket as it is now (the conflict's "reload"). */
export const ticketEditDiscarded = defineAction('[Ticket Pane] ticket edit discarded', payload<{ ticketId: string }>());
/** Keeps the agent's unsaved edits on top of the ticket as it is now (the conflict's "keep editing"). */
export const ticketEditKept = defineAction('[Ticket Pane] ticket edit kept', payload<{ ticketId: string }>());
export const ticketUpdateSubmitted = defineAction(
  '[Ticket Pane] ticket update submitted',
  payload<{ ticketId: string; requestKey: string; kind: TicketUpdateKind; patch: TicketPatch }>(),
);
export const ticketUpdated = defineAction(
  '[Connector] ticket updated',
  payload<{ ticketId: string; requestKey: string; kind: TicketUpdateKind; patch: TicketPatch; ticket: Ticket }>(),
);
export const ticketUpdateFailed = defineAction(
  '[Connector] ticket update failed',
  payload<{ ticketId: string; requestKey: string; kind: TicketUpdateKind; error: ErrorInfo }>(),
);

// Comments
export const ticketCommentDraftChanged = defineAction(
  '[Ticket Pane] comment draft changed',
  payload<{ ticketId: string; body: string; internal: boolean }>(),
);
export const ticketCommentSubmitted = defineAction(
  '[Ticket Pane] comment submitted',
  payload<{ ticketId: string; requestKey: string; comment: TicketCommentDraft }>(),
);
export const ticketCommentAdded = defineAction(
  '[Connector] ticket comment added',
  payload<{ ticketId: string; requestKey: string; comment: TicketCommentDraft; ticket: Ticket }>(),
);
export const ticketCommentFailed = defineAction('[Connector] ticket comment failed', payload<{ ticketId: string; requestKey: string; error: ErrorInfo }>());
