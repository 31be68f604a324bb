import type { AssignTarget } from '../connector/connector.js';

/**
 * The agent is about to transfer a conversation to another agent or a queue. Cancelable: a host that calls
 * `preventDefault()` stops the transfer (to ask for a reason first, say).
 */
export class CcConversationTransferEvent extends Event {
  static readonly eventName = 'cc-conversation-transfer';
  readonly detail: { readonly conversationId: string; readonly target: AssignTarget };

  constructor(detail: { conversationId: string; target: AssignTarget }) {
    super(CcConversationTransferEvent.eventName, { bubbles: true, composed: true, cancelable: true });
    this.detail = detail;
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'cc-conversation-transfer': CcConversationTransferEvent;
  }
}
