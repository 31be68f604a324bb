/**
 * Every action the desk dispatches, named `[Source] event`. Sources: the parts that dispatch intents
 * (`Workspace`, `Conversation List`, `Conversation`, `Composer`, `Notice`) and the backend (`Connector`).
 */
import { defineAction, payload } from './action.js';
import type { ErrorInfo } from './errors.js';
import type { ConnectionState, ConnectorCapabilities, ConnectorEvent, OutgoingMessage, Snapshot } from '../connector/connector.js';
import type { Agent, Attachment, Conversation, Customer, Message } from '../connector/model.js';

// Lifecycle
export const workspaceStarted = defineAction('[Workspace] started');
export const workspaceStopped = defineAction('[Workspace] stopped');
export const connected = defineAction('[Connector] connected', payload<{ agent: Agent; capabilities: ConnectorCapabilities }>());
export const connectFailed = defineAction('[Connector] connect failed', payload<{ error: ErrorInfo }>());
export const connectionStateChanged = defineAction('[Connector] state changed', payload<{ state: ConnectionState }>());
export const snapshotLoaded = defineAction('[Connector] snapshot loaded', payload<{ snapshot: Snapshot }>());
export const snapshotFailed = defineAction('[Connector] snapshot failed', payload<{ error: ErrorInfo }>());
export const eventReceived = defineAction('[Connector] event received', payload<{ event: ConnectorEvent }>());
export const eventStreamFailed = defineAction('[Connector] event stream failed', payload<{ error: ErrorInfo }>());
/** The event stream was subscribed again after a failure; what it missed comes with a snapshot. */
export const eventStreamResumed = defineAction('[Connector] event stream resumed');
/** The connector knows events were lost that no later event will reveal: the desk loads a snapshot. */
export const resyncRequested = defineAction('[Connector] resync requested');

// Conversation list
export const conversationSelected = defineAction('[Conversation List] conversation selected', payload<{ conversationId: string }>());
export const moreConversationsRequested = defineAction('[Conversation List] more requested');
export const conversationsPageLoaded = defineAction(
  '[Connector] conversations page loaded',
  payload<{ conversations: readonly Conversation[]; nextCursor: string | null }>(),
);
export const conversationsPageFailed = defineAction('[Connector] conversations page failed', payload<{ error: ErrorInfo }>());
export const markReadFailed = defineAction('[Connector] mark read failed', payload<{ conversationId: string; error: ErrorInfo }>());

// Thread
export const olderMessagesRequested = defineAction('[Conversation] older messages requested', payload<{ conversationId: string }>());
/** A snapshot made the open conversation's thread stale (it may have missed events): the store loads it again. */
export const threadReloadRequested = defineAction('[Store] thread reload requested', payload<{ conversationId: string }>());
export const messagesLoaded = defineAction(
  '[Connector] messages loaded',
  payload<{ conversationId: string; messages: readonly Message[]; nextCursor: string | null }>(),
);
export const messagesFailed = defineAction('[Connector] messages failed', payload<{ conversationId: string; error: ErrorInfo }>());

// Composer and sending
export const draftChanged = defineAction('[Composer] draft changed', payload<{ conversationId: string; text: string }>());
/** Text another part puts into a conversation's reply box (a knowledge answer, a canned reply); it is appended to the draft. */
export const composerTextInserted = defineAction('[Composer] text inserted', payload<{ conversationId: string; text: string; source: string }>());
export const messageSubmitted = defineAction(
  '[Composer] message submitted',
  payload<{
    conversationId: string;
    clientKey: string;
    text: string;
    internal: boolean;
    authorName: string;
    submittedAt: number;
    /** Files sent with the message. */
    attachments?: readonly Attachment[];
    /** The email header of a reply on the email channel; without it the backend derives one. */
    email?: OutgoingMessage['email'];
  }>(),
);
export const messageRetryRequested = defineAction('[Conversation] message retry requested', payload<{ conversationId: string; clientKey: string }>());
export const messageSent = defineAction('[Connector] message sent', payload<{ conversationId: string; clientKey: string; message: Message }>());
export const messageSendFailed = defineAction(
  '[Connector] message send failed',
  payload<{ conversationId: string; clientKey: string; error: ErrorInfo }>(),
);

// Customers
export const customersLoaded = defineAction('[Connector] customers loaded', payload<{ customers: readonly Customer[] }>());
export const customerLoadFailed = defineAction('[Connector] customer load failed', payload<{ customerId: string; error: ErrorInfo }>());

// Notices
export const noticeDismissed = defineAction('[Notice] dismissed', payload<{ noticeId: string }>());
export const effectFailed = defineAction('[Store] effect failed', payload<{ effect: string; error: ErrorInfo }>());
