import type { ErrorInfo } from '../store/errors.js';

/** Something failed that the agent was shown; hosts may log or report it. */
export class CcErrorEvent extends Event {
  static readonly eventName = 'cc-error';
  readonly detail: { readonly source: string; readonly error: ErrorInfo };

  constructor(detail: { source: string; error: ErrorInfo }) {
    super(CcErrorEvent.eventName, { bubbles: true, composed: true });
    this.detail = detail;
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'cc-error': CcErrorEvent;
  }
}
