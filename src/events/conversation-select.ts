/**
 * The agent picked a conversation. Cancelable: a host that calls `preventDefault()` keeps the current one.
 */
export class CcConversationSelectEvent extends Event {
  static readonly eventName = 'cc-conversation-select';
  readonly detail: { readonly conversationId: string; readonly customerId: string | null };

  constructor(detail: { conversationId: string; customerId: string | null }) {
    super(CcConversationSelectEvent.eventName, { bubbles: true, composed: true, cancelable: true });
    this.detail = detail;
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'cc-conversation-select': CcConversationSelectEvent;
  }
}
