import type { Ticket } from '../connector/model.js';

/** The backend saved a ticket the agent created or changed (fields, status or a comment) in the ticket pane. */
export class CcTicketSavedEvent extends Event {
  static readonly eventName = 'cc-ticket-saved';
  readonly detail: { readonly ticket: Ticket; readonly created: boolean };

  constructor(detail: { ticket: Ticket; created: boolean }) {
    super(CcTicketSavedEvent.eventName, { bubbles: true, composed: true });
    this.detail = detail;
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'cc-ticket-saved': CcTicketSavedEvent;
  }
}
