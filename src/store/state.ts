import type { Action } from './action.js';
import * as actions from './actions.js';
import { agentReducer, initialAgent, type AgentSlice } from './slices/agent.js';
import type { AppliedEvent } from './slices/applied-event.js';
import { connectionReducer, initialConnection, sequenceVerdict, type ConnectionSlice, type SequenceVerdict } from './slices/connection.js';
import { conversationsReducer, initialConversations, type ConversationsSlice } from './slices/conversations.js';
import { customersReducer, initialCustomers, type CustomersSlice } from './slices/customers.js';
import { initialOffers, offersReducer, type OffersSlice } from './slices/offers.js';
import { initialThreads, threadsReducer, type ThreadsSlice } from './slices/threads.js';
import { initialUi, uiReducer, type UiSlice } from './slices/ui.js';

/** The whole desk state: normalized slices, each replaced only when it changes. */
export interface DeskState {
  readonly connection: ConnectionSlice;
  readonly agent: AgentSlice;
  readonly conversations: ConversationsSlice;
  readonly threads: ThreadsSlice;
  readonly customers: CustomersSlice;
  readonly offers: OffersSlice;
  readonly ui: UiSlice;
}

export const initialDeskState: DeskState = {
  connection: initialConnection,
  agent: initialAgent,
  conversations: initialConversations,
  threads: initialThreads,
  customers: initialCustomers,
  offers: initialOffers,
  ui: initialUi,
};

/**
 * The root reducer. A backend event is applied to the entity slices only when it continues its stream
 * (see `sequenceVerdict`); duplicates and events past a gap change nothing but the sequence bookkeeping.
 */
export function deskReducer(state: DeskState, action: Action): DeskState {
  let event: AppliedEvent = null;
  let verdict: SequenceVerdict | undefined;
  if (actions.eventReceived.match(action)) {
    verdict = sequenceVerdict(state.connection, action.payload.event);
    if (verdict === 'apply') event = action.payload.event;
  }
  const next: DeskState = {
    connection: connectionReducer(state.connection, action, verdict),
    agent: agentReducer(state.agent, action, event),
    conversations: conversationsReducer(state.conversations, action, event),
    threads: threadsReducer(state.threads, action, event),
    customers: customersReducer(state.customers, action, event),
    offers: offersReducer(state.offers, action, event),
    ui: uiReducer(state.ui, action),
  };
  const unchanged =
    next.connection === state.connection &&
    next.agent === state.agent &&
    next.conversations === state.conversations &&
    next.threads === state.threads &&
    next.customers === state.customers &&
    next.offers === state.offers &&
    next.ui === state.ui;
  return unchanged ? state : next;
}
