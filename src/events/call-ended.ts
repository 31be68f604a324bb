import type { CallDirection, CallEndReason } from '../telephony/telephony.js';

export interface CallEndedDetail {
  readonly callId: string;
  readonly direction: CallDirection;
  /** The other party's number; an inbound caller's is masked (`+86 138 **** 5678`) for a role without `view-pii`. */
  readonly remoteNumber: string;
  readonly customerId: string | null;
  readonly reason: CallEndReason;
  /** Talk time in whole seconds: 0 for a call nobody answered. */
  readonly durationSeconds: number;
  readonly endedAt: number;
}

/** A call ended (hung up on either side, declined, unanswered, transferred or lost), with its talk time and why. */
export class CcCallEndedEvent extends Event {
  static readonly eventName = 'cc-call-ended';
  readonly detail: CallEndedDetail;

  constructor(detail: CallEndedDetail) {
    super(CcCallEndedEvent.eventName, { bubbles: true, composed: true });
    this.detail = detail;
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'cc-call-ended': CcCallEndedEvent;
  }
}
