import type { Channel, Conversation, Presence } from '../../connector/model.js';
import { PersistentMap } from '../persistent-map.js';
import type { Action } from '../action.js';
import * as actions from '../actions.js';
import * as statusActions from '../actions-agent-status.js';
import type { ErrorInfo } from '../errors.js';
import type { AgentSlice } from './agent.js';
import type { AppliedEvent } from './applied-event.js';
import type { ConversationsSlice } from './conversations.js';

/** A presence or capacity change the agent asked for: waiting for the backend, or refused (with why). */
export interface StatusRequest<Value> {
  readonly status: 'pending' | 'failed';
  readonly value: Value;
  readonly error: ErrorInfo | null;
}

/** A message the agent sent that the backend has not confirmed yet. */
export interface PendingSend {
  readonly conversationId: string;
  readonly failed: boolean;
}

/**
 * The agent's personal numbers for one (local) day, counted from the events the store applies that day.
 * See docs/components/cc-agent-status.md for the definitions.
 */
export interface TodayMetrics {
  /** The local day (`YYYY-MM-DD`) these counts belong to; null before the first counted event. */
  readonly day: string | null;
  /** Conversations resolved while assigned to the agent, each counted once a day. */
  readonly resolved: PersistentMap<true>;
  /** Of those, how many have a known handle time (their start was seen, or they began today), and its sum. */
  readonly timedCount: number;
  readonly handleTimeTotalMs: number;
  /** Conversations whose first agent reply was seen today, and whether it came by the due time. */
  readonly firstResponses: PersistentMap<boolean>;
  readonly firstResponsesMet: number;
}

export interface AgentStatusSlice {
  readonly presence: StatusRequest<Presence> | null;
  readonly capacity: Readonly<Partial<Record<Channel, StatusRequest<number>>>>;
  /**
   * Sends in threads that are `sending` or `failed`, by client key. Kept here, updated by the send actions and
   * the stream's echo of each message, so counting them costs nothing per event however many threads are loaded.
   */
  readonly pendingSends: PersistentMap<PendingSend>;
  /** When each open conversation of the agent became theirs, as far as the store saw it (for the handle time). */
  readonly assignedAt: PersistentMap<number>;
  readonly metrics: TodayMetrics;
}

const emptyMetrics: TodayMetrics = {
  day: null,
  resolved: PersistentMap.empty(),
  timedCount: 0,
  handleTimeTotalMs: 0,
  firstResponses: PersistentMap.empty(),
  firstResponsesMet: 0,
};

export const initialAgentStatus: AgentStatusSlice = {
  presence: null,
  capacity: {},
  pendingSends: PersistentMap.empty(),
  assignedAt: PersistentMap.empty(),
  metrics: emptyMetrics,
};

/** What the metrics need to know besides the action: the state before it (the desk state fits). */
export interface AgentStatusContext {
  readonly agent: AgentSlice;
  readonly conversations: ConversationsSlice;
}

/** The local calendar day of a time, as `YYYY-MM-DD`. */
export function localDay(epochMs: number): string {
  const date = new Date(epochMs);
  return `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, '0')}-${String(date.getDate()).padStart(2, '0')}`;
}

/** The metrics for the day of `at`: a new day starts from zero. */
function metricsOf(slice: AgentStatusSlice, at: number): TodayMetrics {
  const day = localDay(at);
  return slice.metrics.day === day ? slice.metrics : { ...emptyMetrics, day };
}

function onConversationUpserted(slice: AgentStatusSlice, next: Conversation, at: number, context: AgentStatusContext): AgentStatusSlice {
  const agentId = context.agent.agent?.id ?? null;
  if (agentId === null) return slice;
  const previous = context.conversations.entities.get(next.id);
  const mine = next.assigneeId === agentId;
  let { assignedAt, metrics } = slice;
  const becameMine = previous?.assigneeId !== agentId || previous.status === 'resolved';
  if (mine && next.status !== 'resolved' && becameMine && !assignedAt.has(next.id)) {
    assignedAt = assignedAt.set(next.id, at);
  }
  // Only a change the store saw counts: an unknown conversation arriving resolved (a merge moves old ones) is history.
  if (mine && next.status === 'resolved' && previous !== undefined && previous.status !== 'resolved') {
    const today = metricsOf(slice, at);
    if (!today.resolved.has(next.id)) {
      // The handle started when the desk saw the conversation become the agent's; one that was theirs before the
      // desk saw it started at its creation if that was today, and otherwise has no handle time that can be told.
      const seen = assignedAt.get(next.id);
      const started = seen ?? (localDay(next.createdAt) === today.day ? next.createdAt : null);
      metrics = {
        ...today,
        resolved: today.resolved.set(next.id, true),
        timedCount: today.timedCount + (started === null ? 0 : 1),
        handleTimeTotalMs: today.handleTimeTotalMs + (started === null ? 0 : Math.max(0, at - started)),
      };
    }
  }
  if (next.status === 'resolved' || (previous?.assigneeId === agentId && !mine)) assignedAt = assignedAt.delete(next.id);
  return assignedAt === slice.assignedAt && metrics === slice.metrics ? slice : { ...slice, assignedAt, metrics };
}

function onMessage(slice: AgentStatusSlice, event: Extract<NonNullable<AppliedEvent>, { type: 'message.added' | 'message.updated' }>, context: AgentStatusContext): AgentStatusSlice {
  const { message } = event;
  let next = slice;
  // The stream's copy of a message the agent sent confirms it (it may come before the command's own answer).
  const key = message.clientKey;
  if (key !== null && message.delivery !== 'sending' && message.delivery !== 'failed' && slice.pendingSends.has(key)) {
    next = { ...next, pendingSends: next.pendingSends.delete(key) };
  }
  if (event.type !== 'message.added' || message.direction !== 'outbound') return next;
  const agentId = context.agent.agent?.id ?? null;
  const conversation = context.conversations.entities.get(message.conversationId);
  const due = conversation?.firstResponseDueAt ?? null;
  // Replying takes an unassigned conversation, so a reply there is the agent's first response too.
  if (agentId === null || !conversation || due === null || (conversation.assigneeId !== null && conversation.assigneeId !== agentId)) return next;
  const today = metricsOf(next, event.at);
  if (today.firstResponses.has(conversation.id)) return next;
  const met = message.sentAt <= due;
  const metrics: TodayMetrics = {
    ...today,
    firstResponses: today.firstResponses.set(conversation.id, met),
    firstResponsesMet: today.firstResponsesMet + (met ? 1 : 0),
  };
  return { ...next, metrics };
}

function withoutConversation(pending: PersistentMap<PendingSend>, conversationId: string): PersistentMap<PendingSend> {
  // Pending sends are few (unconfirmed messages only), so looking through them is cheap.
  let next = pending;
  pending.forEach((send, key) => {
    if (send.conversationId === conversationId) next = next.delete(key);
  });
  return next;
}

export function agentStatusReducer(slice: AgentStatusSlice, action: Action, event: AppliedEvent, context: AgentStatusContext): AgentStatusSlice {
  if (event) {
    if (event.type === 'conversation.upserted') return onConversationUpserted(slice, event.conversation, event.at, context);
    if (event.type === 'message.added' || event.type === 'message.updated') return onMessage(slice, event, context);
    if (event.type === 'conversation.removed') {
      const pendingSends = withoutConversation(slice.pendingSends, event.conversationId);
      const assignedAt = slice.assignedAt.delete(event.conversationId);
      return pendingSends === slice.pendingSends && assignedAt === slice.assignedAt ? slice : { ...slice, pendingSends, assignedAt };
    }
    return slice;
  }

  if (statusActions.presenceChangeRequested.match(action)) {
    return { ...slice, presence: { status: 'pending', value: action.payload.presence, error: null } };
  }
  if (statusActions.presenceChanged.match(action)) {
    // The effect answers only the latest request (a newer one cancels the older), so any answer settles it.
    return slice.presence === null ? slice : { ...slice, presence: null };
  }
  if (statusActions.presenceChangeFailed.match(action)) {
    if (action.payload.error.code === 'aborted') return slice;
    return { ...slice, presence: { status: 'failed', value: action.payload.presence, error: action.payload.error } };
  }
  if (statusActions.presenceErrorDismissed.match(action)) return slice.presence?.status === 'failed' ? { ...slice, presence: null } : slice;

  if (statusActions.capacityChangeRequested.match(action)) {
    const { channel, max } = action.payload;
    return { ...slice, capacity: { ...slice.capacity, [channel]: { status: 'pending', value: max, error: null } } };
  }
  if (statusActions.capacityChanged.match(action)) {
    const { channel } = action.payload;
    if (!slice.capacity[channel]) return slice;
    const capacity = { ...slice.capacity };
    delete capacity[channel];
    return { ...slice, capacity };
  }
  if (statusActions.capacityChangeFailed.match(action)) {
    const { channel, max, error } = action.payload;
    if (error.code === 'aborted') return slice;
    return { ...slice, capacity: { ...slice.capacity, [channel]: { status: 'failed', value: max, error } } };
  }

  if (actions.messageSubmitted.match(action)) {
    const { clientKey, conversationId } = action.payload;
    return { ...slice, pendingSends: slice.pendingSends.set(clientKey, { conversationId, failed: false }) };
  }
  if (actions.outboxRestored.match(action)) {
    // Sends kept across a reload are queued again: the banner counts them like any other.
    let pendingSends = slice.pendingSends;
    for (const entry of action.payload.entries) {
      pendingSends = pendingSends.set(entry.clientKey, { conversationId: entry.conversationId, failed: entry.state === 'failed' });
    }
    return pendingSends === slice.pendingSends ? slice : { ...slice, pendingSends };
  }
  if (actions.messageSent.match(action)) {
    const pendingSends = slice.pendingSends.delete(action.payload.clientKey);
    return pendingSends === slice.pendingSends ? slice : { ...slice, pendingSends };
  }
  if (actions.messageSendFailed.match(action)) {
    const pendingSends = slice.pendingSends.update(action.payload.clientKey, (send) => (send.failed ? send : { ...send, failed: true }));
    return pendingSends === slice.pendingSends ? slice : { ...slice, pendingSends };
  }
  if (actions.messageRetryRequested.match(action)) {
    const pendingSends = slice.pendingSends.update(action.payload.clientKey, (send) => (send.failed ? { ...send, failed: false } : send));
    return pendingSends === slice.pendingSends ? slice : { ...slice, pendingSends };
  }
  if (actions.workspaceStopped.match(action)) return initialAgentStatus;
  return slice;
}
