/** What brought the customer up: the agent opened a conversation, or a call (a phone conversation) came in or was opened. */
export type ScreenPopSource = 'conversation' | 'call';

export interface ScreenPopDetail {
  readonly customerId: string;
  readonly conversationId: string;
  readonly source: ScreenPopSource;
}

/**
 * The desk brought up a customer's profile because a conversation or call of theirs was opened (a screen pop).
 * Fired once per newly shown customer, not again while the agent stays with the same customer.
 */
export class CcScreenPopEvent extends Event {
  static readonly eventName = 'cc-screen-pop';
  readonly detail: ScreenPopDetail;

  constructor(detail: ScreenPopDetail) {
    super(CcScreenPopEvent.eventName, { bubbles: true, composed: true });
    this.detail = detail;
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'cc-screen-pop': CcScreenPopEvent;
  }
}
