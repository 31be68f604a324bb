/**
 * Actions of least privilege: revealing a masked identity, and the audit trail the desk reports to its host.
 */
import type { Identity } from '../connector/model.js';
import { defineAction, payload } from './action.js';
import type { ErrorInfo } from './errors.js';

/** The agent asked to see one masked identity of a customer in clear. `identity` is the masked one shown. */
export const identityRevealRequested = defineAction(
  '[Customer Panel] identity reveal requested',
  payload<{ customerId: string; identity: Identity }>(),
);
export const identityRevealed = defineAction(
  '[Connector] identity revealed',
  payload<{ customerId: string; masked: Identity; identity: Identity }>(),
);
export const identityRevealFailed = defineAction(
  '[Connector] identity reveal failed',
  payload<{ customerId: string; masked: Identity; error: ErrorInfo }>(),
);
/** The agent left the customer: revealed values are forgotten. */
export const revealsCleared = defineAction('[Store] reveals cleared');
/**
 * The signed-in agent's right to see PII changed during the session (`agent.updated`, or a new session of the same
 * desk). When it was lost, what the desk holds from the backend goes at once (it may hold clear values), and in
 * either case everything is loaded again under the new rights. The agent's own unsent words (drafts, the outbox,
 * open forms) are kept.
 */
export const accessChanged = defineAction('[Store] access changed', payload<{ viewPii: boolean }>());

/** What an audit entry records. */
export type AuditAction =
  | 'profile-viewed'
  | 'pii-revealed'
  | 'ticket-created'
  | 'ticket-updated'
  | 'ticket-commented'
  | 'customer-merged'
  | 'call-recorded';

/** One audited action of the signed-in agent: who did what to which records, and when. Never holds a PII value. */
export interface AuditEntry {
  readonly action: AuditAction;
  /** Who: the signed-in agent. */
  readonly agent: { readonly id: string; readonly name: string };
  /** When, epoch milliseconds. */
  readonly at: number;
  /** Which records. */
  readonly target: {
    readonly customerId: string | null;
    readonly conversationId?: string;
    readonly ticketId?: string;
    /** For a merge: the profile merged away. */
    readonly sourceId?: string;
    /** For a call record: the message that holds it. */
    readonly messageId?: string;
  };
  /** What was touched: the identity kind revealed, the ticket fields changed, the kind of comment. */
  readonly fields: readonly string[];
}

export const auditRecorded = defineAction('[Audit] recorded', payload<{ entry: AuditEntry }>());
