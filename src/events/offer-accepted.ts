/** The agent accepted a work offer; its conversation is theirs now and is opened. */
export class CcOfferAcceptedEvent extends Event {
  static readonly eventName = 'cc-offer-accepted';
  readonly detail: { readonly offerId: string; readonly conversationId: string };

  constructor(detail: { offerId: string; conversationId: string }) {
    super(CcOfferAcceptedEvent.eventName, { bubbles: true, composed: true });
    this.detail = detail;
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'cc-offer-accepted': CcOfferAcceptedEvent;
  }
}
