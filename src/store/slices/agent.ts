import type { Agent } from '../../connector/model.js';
import type { Action } from '../action.js';
import * as actions from '../actions.js';
import * as statusActions from '../actions-agent-status.js';
import type { AppliedEvent } from './applied-event.js';

export interface AgentSlice {
  readonly agent: Agent | null;
}

export const initialAgent: AgentSlice = { agent: null };

export function agentReducer(slice: AgentSlice, action: Action, event: AppliedEvent): AgentSlice {
  if (event?.type === 'agent.updated') return { agent: event.agent };
  if (actions.connected.match(action)) return { agent: action.payload.agent };
  if (actions.snapshotLoaded.match(action)) return { agent: action.payload.snapshot.agent };
  // A command's answer may arrive after a newer `agent.updated` (with a new load, say): take from it only the
  // field that was asked for, so it cannot roll anything else back.
  if (statusActions.presenceChanged.match(action)) {
    const { presence } = action.payload.agent;
    return !slice.agent || slice.agent.presence === presence ? slice : { agent: { ...slice.agent, presence } };
  }
  if (statusActions.capacityChanged.match(action)) {
    const { channel, agent } = action.payload;
    const confirmed = agent.capacity.find((entry) => entry.channel === channel);
    const held = slice.agent?.capacity.find((entry) => entry.channel === channel);
    if (!slice.agent || !confirmed || held?.max === confirmed.max) return slice;
    const capacity = held
      ? slice.agent.capacity.map((entry) => (entry.channel === channel ? { ...entry, max: confirmed.max } : entry))
      : [...slice.agent.capacity, confirmed];
    return { agent: { ...slice.agent, capacity } };
  }
  if (actions.workspaceStopped.match(action)) return initialAgent;
  return slice;
}
