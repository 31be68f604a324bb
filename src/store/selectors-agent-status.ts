import type { ChannelCapacity, Presence } from '../connector/model.js';
import { createSelector } from './select.js';
import { selectAgent, selectConnectionStatus } from './selectors.js';
import type { StatusRequest } from './slices/agent-status.js';
import type { DeskState } from './state.js';

export const selectPresence = (state: DeskState): Presence | null => state.agent.agent?.presence ?? null;
export const selectPresenceRequest = (state: DeskState): StatusRequest<Presence> | null => state.agentStatus.presence;
export const selectCapacityRequests = (state: DeskState) => state.agentStatus.capacity;

const emptyCapacity: readonly ChannelCapacity[] = [];
export const selectCapacity = createSelector([selectAgent], (agent) => agent?.capacity ?? emptyCapacity);

/** Messages in threads that are `sending` or `failed`: what would be lost if the tab closed now. */
export const selectQueuedSendCount = (state: DeskState): number => state.agentStatus.pendingSends.size;

export type ConnectionBannerState = 'online' | 'reconnecting' | 'offline';

/** The connection as the agent is told about it: online, reconnecting (or catching up), offline; and the queued sends. */
export const selectConnectionBanner = createSelector([selectConnectionStatus, selectQueuedSendCount], (status, queued) => {
  const state: ConnectionBannerState =
    status.state === 'disconnected'
      ? 'offline'
      : status.state === 'connected' && status.sync !== 'syncing'
        ? 'online'
        : 'reconnecting';
  return { state, queued, error: status.error };
});

export interface TodayMetricsView {
  /** The local day (`YYYY-MM-DD`) the numbers are for; null before anything was counted. */
  readonly day: string | null;
  readonly handled: number;
  /** Mean time from taking a conversation to resolving it, over those whose start is known; null with none. */
  readonly averageHandleMs: number | null;
  readonly firstResponses: number;
  /** Share (0–1) of first responses sent by their due time; null with no first response yet. */
  readonly firstResponseSlaMet: number | null;
}

export const selectTodayMetrics = createSelector([(state: DeskState) => state.agentStatus.metrics], (metrics): TodayMetricsView => {
  const handled = metrics.resolved.size;
  const firstResponses = metrics.firstResponses.size;
  return {
    day: metrics.day,
    handled,
    averageHandleMs: metrics.timedCount === 0 ? null : metrics.handleTimeTotalMs / metrics.timedCount,
    firstResponses,
    firstResponseSlaMet: firstResponses === 0 ? null : metrics.firstResponsesMet / firstResponses,
  };
});
