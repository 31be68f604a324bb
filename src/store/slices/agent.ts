import type { Agent } from '../../connector/model.js';
import type { Action } from '../action.js';
import * as actions from '../actions.js';
import type { AppliedEvent } from './applied-event.js';

export interface AgentSlice {
  readonly agent: Agent | null;
}

export const initialAgent: AgentSlice = { agent: null };

export function agentReducer(slice: AgentSlice, action: Action, event: AppliedEvent): AgentSlice {
  if (event?.type === 'agent.updated') return { agent: event.agent };
  if (actions.connected.match(action)) return { agent: action.payload.agent };
  if (actions.snapshotLoaded.match(action)) return { agent: action.payload.snapshot.agent };
  if (actions.workspaceStopped.match(action)) return initialAgent;
  return slice;
}
