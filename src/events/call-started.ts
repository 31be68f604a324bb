import type { CallDirection } from '../telephony/telephony.js';

export interface CallStartedDetail {
  readonly callId: string;
  readonly direction: CallDirection;
  /** The other party's number; an inbound caller's is masked (`+86 138 **** 5678`) for a role without `view-pii`. */
  readonly remoteNumber: string;
  /** The matched customer of an inbound call, when one was found. */
  readonly customerId: string | null;
  /** When the call was answered, epoch milliseconds. */
  readonly startedAt: number;
}

/** A call was answered (inbound by the agent, outbound by the other party): the two sides are talking. */
export class CcCallStartedEvent extends Event {
  static readonly eventName = 'cc-call-started';
  readonly detail: CallStartedDetail;

  constructor(detail: CallStartedDetail) {
    super(CcCallStartedEvent.eventName, { bubbles: true, composed: true });
    this.detail = detail;
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'cc-call-started': CcCallStartedEvent;
  }
}
