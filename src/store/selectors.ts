import type { Conversation, Customer } from '../connector/model.js';
import { createSelector, selectorFamily, type Selector } from './select.js';
import { emptyThread, type Thread } from './slices/threads.js';
import type { DeskState } from './state.js';

export const selectConnection = (state: DeskState) => state.connection;
export const selectConnectionState = (state: DeskState) => state.connection.state;
/**
 * What the agent is shown about the link: its state and whether the desk is catching up. Unlike
 * `selectConnection` it does not change with every event's sequence number, so a banner re-renders only
 * when there is something new to show.
 */
export const selectConnectionStatus = createSelector(
  [selectConnectionState, (state: DeskState) => state.connection.sync, (state: DeskState) => state.connection.error],
  (state, sync, error) => ({ state, sync, error }),
);
export const selectCapabilities = (state: DeskState) => state.connection.capabilities;
export const selectAgent = (state: DeskState) => state.agent.agent;
export const selectConversationEntities = (state: DeskState) => state.conversations.entities;
export const selectConversationPaging = createSelector(
  [(state: DeskState) => state.conversations.pageStatus, (state: DeskState) => state.conversations.hasMore, (state: DeskState) => state.conversations.error],
  (status, hasMore, error) => ({ status, hasMore, error }),
);
export const selectCustomerEntities = (state: DeskState) => state.customers.entities;
export const selectOfferEntities = (state: DeskState) => state.offers.entities;
export const selectSelectedConversationId = (state: DeskState) => state.ui.selectedConversationId;
export const selectNotices = (state: DeskState) => state.ui.notices;
export const selectDrafts = (state: DeskState) => state.ui.drafts;

export const selectSelectedConversation: Selector<DeskState, Conversation | null> = createSelector(
  [selectConversationEntities, selectSelectedConversationId],
  (entities, id) => (id === null ? null : entities.get(id) ?? null),
);

export const selectSelectedCustomer: Selector<DeskState, Customer | null> = createSelector(
  [selectCustomerEntities, selectSelectedConversation],
  (customers, conversation) => (conversation ? customers.get(conversation.customerId) ?? null : null),
);

export const selectThread = selectorFamily<DeskState, string, Thread>((conversationId) =>
  createSelector([(state: DeskState) => state.threads.byConversation], (threads) => threads.get(conversationId) ?? emptyThread),
);

export const selectSelectedThread: Selector<DeskState, Thread> = createSelector(
  [(state: DeskState) => state.threads.byConversation, selectSelectedConversationId],
  (threads, id) => (id === null ? emptyThread : threads.get(id) ?? emptyThread),
);

export const selectSelectedDraft: Selector<DeskState, string> = createSelector(
  [selectDrafts, selectSelectedConversationId],
  (drafts, id) => (id === null ? '' : drafts.get(id) ?? ''),
);
