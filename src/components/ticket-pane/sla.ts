import type { Ticket, TicketStatus } from '../../connector/model.js';

/** How a ticket stands against its due time: `warning` when little time is left, `breach` once it is past due. */
export type SlaState = 'ok' | 'warning' | 'breach';

export interface TicketSla {
  readonly state: SlaState;
  /** Negative once past due. */
  readonly remainingMs: number;
}

/** Under an hour left is always a warning. */
export const SLA_WARNING_MS = 60 * 60 * 1000;
/** So is under a quarter of the time the ticket was given (from creation to due). */
export const SLA_WARNING_SHARE = 0.25;

/** Solved and closed tickets no longer run against the clock. */
const RUNNING: ReadonlySet<TicketStatus> = new Set(['new', 'open', 'pending']);

/** The ticket's SLA at `now`, or null when it has no due time or no longer runs against it. */
export function ticketSla(ticket: Pick<Ticket, 'status' | 'dueAt' | 'createdAt'>, now: number): TicketSla | null {
  if (ticket.dueAt === null || !RUNNING.has(ticket.status)) return null;
  const remainingMs = ticket.dueAt - now;
  if (remainingMs <= 0) return { state: 'breach', remainingMs };
  const allowedMs = ticket.dueAt - ticket.createdAt;
  const short = remainingMs < SLA_WARNING_MS || (allowedMs > 0 && remainingMs < allowedMs * SLA_WARNING_SHARE);
  return { state: short ? 'warning' : 'ok', remainingMs };
}
