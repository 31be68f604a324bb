// The public API of cc-workspace. Everything not exported here (notably `src/internal/`) is unsupported for hosts.

// Components (classes only; importing them registers nothing: use `cc-workspace/define` or a per-part entry)
export { CcWorkspace } from './components/workspace/workspace.component.js';
export { CcConversationList } from './components/conversation-list/conversation-list.component.js';
export { CcConversation } from './components/conversation/conversation.component.js';

// Host events
export { CcConversationSelectEvent } from './events/conversation-select.js';
export { CcMessageSentEvent } from './events/message-sent.js';
export { CcErrorEvent } from './events/error.js';

// Connector contract
export type {
  Connector,
  CommandOptions,
  ConnectorCapabilities,
  ConnectionState,
  Session,
  Page,
  ConversationScope,
  ConversationQuery,
  MessageQuery,
  OutgoingMessage,
  AssignTarget,
  CustomerPatch,
  TicketDraft,
  TicketPatch,
  TicketCommentDraft,
  KnowledgeQuery,
  Snapshot,
  ConnectorEvent,
  ConnectorEventType,
} from './connector/connector.js';
export { ConnectorError, CONNECTOR_ERROR_CODES, isConnectorError, toConnectorError } from './connector/errors.js';
export type { ConnectorErrorCode } from './connector/errors.js';
export * from './connector/model.js';

// The embedded backend
export { MemoryConnector } from './connector/memory/index.js';
export type { MemoryConnectorOptions } from './connector/memory/index.js';
export { validateSeed, SeedError } from './connector/memory/index.js';
export type { Seed } from './connector/memory/index.js';

// Store
export { createDeskStore } from './store/create-store.js';
export type { DeskStore, CreateStoreOptions } from './store/create-store.js';
export type { DeskState } from './store/state.js';
export { defineAction, payload } from './store/action.js';
export type { Action, ActionCreator, PayloadAction } from './store/action.js';
export * as deskActions from './store/actions.js';
export * as deskSelectors from './store/selectors.js';
export { createSelector, selectorFamily } from './store/select.js';
export type { Selector } from './store/select.js';
export type { ErrorInfo, RequestStatus } from './store/errors.js';
export type { Thread } from './store/slices/threads.js';
export type { Notice } from './store/slices/ui.js';

// Composing parts on the store
export { StoreController } from './context/store-controller.js';
export { deskStoreContext, localeContext } from './context/desk-context.js';

// i18n
export { translate, resolveLocale, LOCALES } from './i18n/i18n.js';
export type { Locale, MessageKey } from './i18n/i18n.js';
