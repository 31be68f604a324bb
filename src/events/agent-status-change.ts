import type { Presence } from '../connector/model.js';

/** The agent's presence changed (they switched it, or the backend did); `previous` is what it was before. */
export class CcAgentStatusChangeEvent extends Event {
  static readonly eventName = 'cc-agent-status-change';
  readonly detail: { readonly presence: Presence; readonly previous: Presence };

  constructor(detail: { presence: Presence; previous: Presence }) {
    super(CcAgentStatusChangeEvent.eventName, { bubbles: true, composed: true });
    this.detail = detail;
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'cc-agent-status-change': CcAgentStatusChangeEvent;
  }
}
