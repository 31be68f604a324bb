/** The agent declined a work offer; the backend offers the conversation elsewhere. */
export class CcOfferDeclinedEvent extends Event {
  static readonly eventName = 'cc-offer-declined';
  readonly detail: { readonly offerId: string; readonly conversationId: string | null };

  constructor(detail: { offerId: string; conversationId: string | null }) {
    super(CcOfferDeclinedEvent.eventName, { bubbles: true, composed: true });
    this.detail = detail;
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'cc-offer-declined': CcOfferDeclinedEvent;
  }
}
