import type { CallQuality } from '../telephony/telephony.js';

/** A new sample of a call's media quality (MOS estimate, jitter, packet loss, round trip), every few seconds. */
export class CcCallQualityEvent extends Event {
  static readonly eventName = 'cc-call-quality';
  readonly detail: CallQuality;

  constructor(detail: CallQuality) {
    super(CcCallQualityEvent.eventName, { bubbles: true, composed: true });
    this.detail = detail;
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'cc-call-quality': CcCallQualityEvent;
  }
}
