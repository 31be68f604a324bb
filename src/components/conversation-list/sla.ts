import type { Channel, Conversation } from '../../connector/model.js';

/**
 * How long each channel gives an agent for the first response, by common contact-center policy. The backend
 * sets each conversation's due time; this only sizes the warning threshold when the conversation cannot tell
 * (see {@link firstResponseWindowMs}).
 */
export const FIRST_RESPONSE_POLICY_MS: Readonly<Record<Channel, number>> = {
  phone: 30_000,
  webchat: 2 * 60_000,
  wechat: 5 * 60_000,
  douyin: 3 * 60_000,
  sms: 15 * 60_000,
  email: 24 * 60 * 60_000,
};

/** A timer warns when less than this share of its window is left… */
export const SLA_WARNING_SHARE = 0.25;
/** …or less than this, whichever comes first. */
export const SLA_WARNING_FLOOR_MS = 30_000;

export type SlaLevel = 'ok' | 'warning' | 'breach';

export interface SlaReading {
  readonly level: SlaLevel;
  /** Time left until the first response is due; negative once it is overdue. */
  readonly remainingMs: number;
}

/**
 * The window the first response had: the channel's policy, or less when the backend set a tighter due time
 * (the time from the conversation's start to its due time). A conversation reopened long after it started keeps
 * the policy window, since its start says nothing about the new clock.
 */
export function firstResponseWindowMs(conversation: Conversation): number {
  const policy = FIRST_RESPONSE_POLICY_MS[conversation.channel];
  const due = conversation.firstResponseDueAt;
  if (due === null || due <= conversation.createdAt) return policy;
  return Math.min(policy, due - conversation.createdAt);
}

/** Where a conversation's first-response timer stands at `now`; null when nothing is due. */
export function readSla(conversation: Conversation, now: number): SlaReading | null {
  const due = conversation.firstResponseDueAt;
  if (due === null || conversation.status === 'resolved') return null;
  const remainingMs = due - now;
  if (remainingMs <= 0) return { level: 'breach', remainingMs };
  const warnBelow = Math.max(SLA_WARNING_SHARE * firstResponseWindowMs(conversation), SLA_WARNING_FLOOR_MS);
  return { level: remainingMs < warnBelow ? 'warning' : 'ok', remainingMs };
}
