// The public API of cc-workspace. Everything not exported here (notably `src/internal/`) is unsupported for hosts.

// Components (classes only; importing them registers nothing: use `cc-workspace/define` or a per-part entry)
export { CcWorkspace } from './components/workspace/workspace.component.js';
export { CcConversationList } from './components/conversation-list/conversation-list.component.js';
export { CcAgentStatus } from './components/agent-status/agent-status.component.js';
export { CcConversation } from './components/conversation/conversation.component.js';
export { CcCustomerPanel } from './components/customer-panel/customer-panel.component.js';
export { CcKnowledgeSearch } from './components/knowledge-search/knowledge-search.component.js';
export { CcTicketPane } from './components/ticket-pane/ticket-pane.component.js';
export { CcSoftphone, DEFAULT_DISPOSITIONS } from './components/softphone/softphone.component.js';

// Host events
export { CcConversationSelectEvent } from './events/conversation-select.js';
export { CcMessageSentEvent } from './events/message-sent.js';
export { CcConversationTransferEvent } from './events/conversation-transfer.js';
export { CcErrorEvent } from './events/error.js';
export { CcScreenPopEvent } from './events/screen-pop.js';
export type { ScreenPopDetail, ScreenPopSource } from './events/screen-pop.js';
export { CcCustomerMergedEvent } from './events/customer-merged.js';
export { CcArticleInsertedEvent } from './events/article-inserted.js';
export { CcTicketSavedEvent } from './events/ticket-saved.js';
export { CcAgentStatusChangeEvent } from './events/agent-status-change.js';
export { CcOfferAcceptedEvent } from './events/offer-accepted.js';
export { CcOfferDeclinedEvent } from './events/offer-declined.js';
export { CcCallStartedEvent } from './events/call-started.js';
export type { CallStartedDetail } from './events/call-started.js';
export { CcCallEndedEvent } from './events/call-ended.js';
export type { CallEndedDetail } from './events/call-ended.js';
export { CcCallTransferEvent } from './events/call-transfer.js';
export type { CallTransferDetail, CallTransferKind } from './events/call-transfer.js';
export { CcCallQualityEvent } from './events/call-quality.js';
export { CcAuditEvent } from './events/audit.js';

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
  CallRecordDraft,
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

// The network backend: REST + WebSocket (docs/protocol.md)
export { HttpConnector, DEFAULT_HTTP_CAPABILITIES } from './connector/http/index.js';
export type { HttpConnectorOptions, TokenProvider } from './connector/http/index.js';

// Store
export { createDeskStore } from './store/create-store.js';
export type { DeskStore, CreateStoreOptions } from './store/create-store.js';
export type { DeskState } from './store/state.js';
export { defineAction, payload } from './store/action.js';
export type { Action, ActionCreator, PayloadAction } from './store/action.js';
export * as deskActions from './store/actions.js';
export * as deskSelectors from './store/selectors.js';
export { createSelector, selectorFamily } from './store/select.js';
// The immutable map the state's entity slices are kept in (read it with get, has, size, values, forEach).
export { PersistentMap } from './store/persistent-map.js';
export type { Selector } from './store/select.js';
export type { ErrorInfo, RequestStatus } from './store/errors.js';
export type { Thread } from './store/slices/threads.js';
export * as conversationActions from './store/actions-conversation.js';
export * as conversationSelectors from './store/selectors-conversation.js';
export type { EmailReplyFields, TransferAgent } from './store/actions-conversation.js';
export type {
  CannedRepliesState,
  ComposerExtras,
  ConversationOperation,
  ConversationOperationKind,
  ConversationSlice,
  TransferTargetsState,
} from './store/slices/conversation.js';
export type { Notice } from './store/slices/ui.js';
export type { OutboxItem, OutboxSlice } from './store/slices/outbox.js';
export { selectOutbox } from './store/slices/outbox.js';
export type { StorageOption } from './store/effects-storage.js';
// Tabs: one leader tab per agent holds the event socket, the outbox flush and the phone.
export { createTabCoordinator } from './tabs/tab-coordinator.js';
export type { TabCoordinatorOptions } from './tabs/tab-coordinator.js';
export { TabRequestError } from './tabs/tabs.js';
export type { TabCoordinator, TabMessage } from './tabs/tabs.js';
export type { TabsOption } from './store/effects-tabs.js';
export { createTabTelephony } from './telephony/tab-telephony.js';
export type { TabTelephony } from './telephony/tab-telephony.js';
export * as customer360Actions from './store/actions-customer360.js';
export * as customer360Selectors from './store/selectors-customer360.js';
export type { CustomerDetailPart, CustomerField } from './store/actions-customer360.js';
export type { CustomerFeatures, TimelineEntry } from './store/selectors-customer360.js';
export type { Customer360Slice, CustomerDetail, MergeState, PartRequest, SaveState } from './store/slices/customer360.js';
export * as knowledgeActions from './store/actions-knowledge.js';
export * as knowledgeSelectors from './store/selectors-knowledge.js';
export type { UnfilledReason, UnfilledVariable } from './store/actions-knowledge.js';
export type { ArticleInsert, ArticleRating, ArticleSuggestions, ArticleView, KnowledgeSearch, KnowledgeSlice } from './store/slices/knowledge.js';
export * as ticketActions from './store/actions-tickets.js';
export * as ticketSelectors from './store/selectors-tickets.js';
export type { NewTicketForm, TicketAgent, TicketEditableField, TicketFieldChanges, TicketUpdateKind } from './store/actions-tickets.js';
export type { CustomerTicketList, TicketCommentForm, TicketDirectory, TicketEdit, TicketSave, TicketSaveKind, TicketStatusChange, TicketsSlice } from './store/slices/tickets.js';
export type { CustomerTickets } from './store/selectors-tickets.js';
export * as agentStatusActions from './store/actions-agent-status.js';
export * as offerActions from './store/actions-offers.js';
export * as agentStatusSelectors from './store/selectors-agent-status.js';
export * as offerSelectors from './store/selectors-offers.js';
export type { AgentStatusSlice, PendingSend, StatusRequest, TodayMetrics } from './store/slices/agent-status.js';
export type { OfferOutcome, OfferRequest, OffersSlice } from './store/slices/offers.js';
export type { ConnectionBannerState, TodayMetricsView } from './store/selectors-agent-status.js';
// Least privilege: permissions, masking at the source, reveal and the audit trail (docs/security.md)
export * as accessActions from './store/actions-access.js';
export * as accessSelectors from './store/selectors-access.js';
export type { AuditAction, AuditEntry } from './store/actions-access.js';
export type { AccessRights } from './store/selectors-access.js';
export type { AccessSlice, RevealedIdentity } from './store/slices/access.js';
export { auditEntries } from './store/effects-audit.js';
export { PiiMasker, maskEmail, maskHandle, maskIdentity, maskPhone, MASKED_IDENTITY_KINDS } from './connector/masking.js';

// The phone: the telephony port, the demo adapter (the SIP one loads on demand: loadSipTelephony), the softphone's store
export { TelephonyError } from './telephony/telephony.js';
export type {
  AudioDevice,
  AudioDeviceSelection,
  CallDirection,
  CallEndReason,
  CallInfo,
  CallQuality,
  CallState,
  RegistrationState,
  Telephony,
  TelephonyErrorCode,
  TelephonyErrorInfo,
  TelephonyEvent,
} from './telephony/telephony.js';
export { DemoTelephony, DEMO_DEVICES } from './telephony/demo/demo-telephony.js';
// The SIP adapter: loadSipTelephony() imports sip.js dynamically, so this export keeps it out of the host's main chunk.
export { loadSipTelephony } from './telephony/load-sip-telephony.js';
export type { SipTelephonyOptions } from './telephony/sip/sip-telephony-options.js';
export type { DemoTelephonyOptions, DemoTimers } from './telephony/demo/demo-telephony.js';
export { checkDialTarget } from './telephony/dial-target.js';
export type { DialTargetCheck, DialTargetProblem } from './telephony/dial-target.js';
export { Ringer } from './telephony/ringer.js';
export type { RingerAudio, RingerOptions, RingerState } from './telephony/ringer.js';
export * as callActions from './store/actions-calls.js';
export * as callSelectors from './store/selectors-calls.js';
export type { CallCommand } from './store/actions-calls.js';
export type { CallEntry, CallerMatch, CallsSlice, DeviceFallback, DeviceRole, WrapUp } from './store/slices/calls.js';
export type { TelephonyOption } from './store/effects-calls.js';

// Browser storage: the conversation cache, drafts and the outbox (docs/storage.md)
export { openDeskStorage, deleteDeskStorage, DATABASE_VERSION, databaseName, StorageError } from './storage/index.js';
export type { DeskStorage, OpenDeskStorageOptions, OutboxEntry, OutboxState, DraftRecord, StorageErrorReason, DatabaseEvent } from './storage/index.js';
// Storage hygiene: encryption at rest and the sign-out path (docs/security.md)
export { clearDeskStorage, countUnsentInDeskStorage, checkStorageKey } from './storage/index.js';
export type { ClearDeskStorageOptions, UnreadableRecord } from './storage/index.js';
export { storageRecordsUnreadable } from './store/actions-local-data.js';

// Composing parts on the store
export { StoreController } from './context/store-controller.js';
export { deskStoreContext, localeContext } from './context/desk-context.js';

// i18n
export { translate, resolveLocale, LOCALES } from './i18n/i18n.js';
export type { Locale, MessageKey } from './i18n/i18n.js';
