import type { AuditEntry } from '../store/actions-access.js';

/**
 * The agent did something the host should keep an audit trail of: viewed a customer profile, revealed masked
 * data, created, changed or commented on a ticket, merged customers, recorded a call. `detail` says who (agent id
 * and name), what (`action`, the records in `target`, the `fields` touched) and when (`at`); never a PII value.
 */
export class CcAuditEvent extends Event {
  static readonly eventName = 'cc-audit';
  readonly detail: AuditEntry;

  constructor(detail: AuditEntry) {
    super(CcAuditEvent.eventName, { bubbles: true, composed: true });
    this.detail = detail;
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'cc-audit': CcAuditEvent;
  }
}
