import type { Message } from '../connector/model.js';

/** The backend accepted a message the agent sent. */
export class CcMessageSentEvent extends Event {
  static readonly eventName = 'cc-message-sent';
  readonly detail: { readonly conversationId: string; readonly message: Message };

  constructor(detail: { conversationId: string; message: Message }) {
    super(CcMessageSentEvent.eventName, { bubbles: true, composed: true });
    this.detail = detail;
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'cc-message-sent': CcMessageSentEvent;
  }
}
