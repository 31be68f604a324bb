/** `blind`: hand the call over at once. `attended`: hold it and call the target to consult first. */
export type CallTransferKind = 'blind' | 'attended';

export interface CallTransferDetail {
  readonly callId: string;
  /** The number or SIP address as the softphone will dial it. */
  readonly target: string;
  readonly kind: CallTransferKind;
}

/**
 * The agent is about to transfer a call. Cancelable: a host that calls `preventDefault()` stops the transfer
 * (to allow only internal numbers, say); the call stays as it was.
 */
export class CcCallTransferEvent extends Event {
  static readonly eventName = 'cc-call-transfer';
  readonly detail: CallTransferDetail;

  constructor(detail: CallTransferDetail) {
    super(CcCallTransferEvent.eventName, { bubbles: true, composed: true, cancelable: true });
    this.detail = detail;
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'cc-call-transfer': CcCallTransferEvent;
  }
}
