/** The agent merged a duplicate profile (`sourceId`) into the customer shown (`targetId`); the source no longer exists. */
export class CcCustomerMergedEvent extends Event {
  static readonly eventName = 'cc-customer-merged';
  readonly detail: { readonly targetId: string; readonly sourceId: string };

  constructor(detail: { targetId: string; sourceId: string }) {
    super(CcCustomerMergedEvent.eventName, { bubbles: true, composed: true });
    this.detail = detail;
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'cc-customer-merged': CcCustomerMergedEvent;
  }
}
