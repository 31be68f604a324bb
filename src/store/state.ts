import type { Action } from './action.js';
import * as actions from './actions.js';
import { agentReducer, initialAgent, type AgentSlice } from './slices/agent.js';
import type { AppliedEvent } from './slices/applied-event.js';
import { connectionReducer, initialConnection, sequenceVerdict, type ConnectionSlice, type SequenceVerdict } from './slices/connection.js';
import { conversationsReducer, initialConversations, type ConversationsSlice } from './slices/conversations.js';
import { customersReducer, initialCustomers, type CustomersSlice } from './slices/customers.js';
import { customer360Reducer, initialCustomer360, type Customer360Slice } from './slices/customer360.js';
import { initialOffers, offersReducer, type OffersSlice } from './slices/offers.js';
import { agentStatusReducer, initialAgentStatus, type AgentStatusSlice } from './slices/agent-status.js';
import { initialThreads, threadsReducer, type ThreadsSlice } from './slices/threads.js';
import { initialTickets, ticketsReducer, type TicketsSlice } from './slices/tickets.js';
import { conversationReducer, initialConversationSlice, type ConversationSlice } from './slices/conversation.js';
import { initialUi, uiReducer, type UiSlice } from './slices/ui.js';
import { initialKnowledge, knowledgeReducer, type KnowledgeSlice } from './slices/knowledge.js';
import { initialOutbox, outboxReducer, type OutboxSlice } from './slices/outbox.js';
import { cachedConversationsReducer, cachedCustomersReducer } from './slices/cache.js';
import { callsReducer, initialCalls, type CallsSlice } from './slices/calls.js';
import { accessReducer, initialAccess, type AccessSlice } from './slices/access.js';

/** The whole desk state: normalized slices, each replaced only when it changes. */
export interface DeskState {
  readonly connection: ConnectionSlice;
  readonly agent: AgentSlice;
  readonly conversations: ConversationsSlice;
  readonly threads: ThreadsSlice;
  readonly tickets: TicketsSlice;
  readonly conversation: ConversationSlice;
  readonly customers: CustomersSlice;
  readonly customer360: Customer360Slice;
  readonly offers: OffersSlice;
  readonly agentStatus: AgentStatusSlice;
  readonly ui: UiSlice;
  readonly knowledge: KnowledgeSlice;
  readonly outbox: OutboxSlice;
  readonly calls: CallsSlice;
  readonly access: AccessSlice;
}

export const initialDeskState: DeskState = {
  connection: initialConnection,
  agent: initialAgent,
  conversations: initialConversations,
  threads: initialThreads,
  tickets: initialTickets,
  conversation: initialConversationSlice,
  customers: initialCustomers,
  customer360: initialCustomer360,
  offers: initialOffers,
  agentStatus: initialAgentStatus,
  ui: initialUi,
  knowledge: initialKnowledge,
  outbox: initialOutbox,
  calls: initialCalls,
  access: initialAccess,
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
    conversations: cachedConversationsReducer(conversationsReducer(state.conversations, action, event), action),
    threads: threadsReducer(state.threads, action, event),
    tickets: ticketsReducer(state.tickets, action, event),
    conversation: conversationReducer(state.conversation, action, event),
    customers: cachedCustomersReducer(customersReducer(state.customers, action, event), action),
    customer360: customer360Reducer(state.customer360, action, event),
    offers: offersReducer(state.offers, action, event),
    agentStatus: agentStatusReducer(state.agentStatus, action, event, state),
    ui: uiReducer(state.ui, action),
    knowledge: knowledgeReducer(state.knowledge, action, event),
    outbox: outboxReducer(state.outbox, action, event),
    calls: callsReducer(state.calls, action),
    access: accessReducer(state.access, action),
  };
  const unchanged =
    next.connection === state.connection &&
    next.agent === state.agent &&
    next.conversations === state.conversations &&
    next.threads === state.threads &&
    next.tickets === state.tickets &&
    next.conversation === state.conversation &&
    next.customers === state.customers &&
    next.customer360 === state.customer360 &&
    next.offers === state.offers &&
    next.agentStatus === state.agentStatus &&
    next.ui === state.ui &&
    next.knowledge === state.knowledge &&
    next.calls === state.calls &&
    next.outbox === state.outbox &&
    next.access === state.access;
  return unchanged ? state : next;
}
