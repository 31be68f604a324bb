/**
 * Every action the desk dispatches, named `[Source] event`. Sources: the parts that dispatch intents
 * (`Workspace`, `Conversation List`, `Conversation`, `Composer`, `Notice`), the backend (`Connector`), and the
 * browser's storage (`Storage`, `Outbox`).
 */
import { defineAction, payload } from './action.js';
import type { ErrorInfo } from './errors.js';
import type { ConnectionState, ConnectorCapabilities, ConnectorEvent, OutgoingMessage, Snapshot } from '../connector/connector.js';
import type { Agent, Attachment, Conversation, Customer, Message } from '../connector/model.js';
import type { CachedThread } from '../storage/conversation-cache.js';
import type { OutboxEntry } from '../storage/schema.js';

// Lifecycle
export const workspaceStarted = defineAction('[Workspace] started');
export const workspaceStopped = defineAction('[Workspace] stopped');
/** `resumesEvents`: the connector's promise that a drop loses no event (see `Connector.resumesEvents`). */
export const connected = defineAction('[Connector] connected', payload<{ agent: Agent; capabilities: ConnectorCapabilities; resumesEvents?: boolean }>());
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
/** An attempt to send an outbox entry starts (the first, or a retry). */
export const messageSendAttempted = defineAction('[Outbox] send attempted', payload<{ conversationId: string; clientKey: string; attempts: number }>());
/**
 * The backend could not be reached: the message stays in the outbox, "not confirmed", and is sent again (same
 * idempotency key) at `nextAttemptAt` or as soon as the connection is back. Only with storage.
 */
export const messageSendDeferred = defineAction(
  '[Outbox] send deferred',
  payload<{ conversationId: string; clientKey: string; error: ErrorInfo; attempts: number; nextAttemptAt: number }>(),
);

// Storage
/** What the desk cached when it last ran, to paint before the backend answers; the snapshot then wins. */
export const cacheRestored = defineAction(
  '[Storage] cache restored',
  payload<{ conversations: readonly Conversation[]; customers: readonly Customer[]; threads: readonly CachedThread[] }>(),
);
/** Conversations that came only from the cache and that the first snapshot no longer has: they are gone. */
export const cachedConversationsExpired = defineAction('[Storage] cached conversations expired', payload<{ conversationIds: readonly string[] }>());
export const draftsRestored = defineAction('[Storage] drafts restored', payload<{ drafts: readonly { conversationId: string; text: string }[] }>());
/** Sends found in the outbox at start: their outcome is unknown until the retry (same idempotency key) answers. */
export const outboxRestored = defineAction('[Storage] outbox restored', payload<{ entries: readonly OutboxEntry[] }>());
/** The browser has no space left: what could not be stored is held in memory only (and still sent). */
export const storageQuotaExceeded = defineAction(
  '[Storage] quota exceeded',
  payload<{ error: ErrorInfo; what: 'outbox' | 'drafts' | 'cache'; clientKey?: string }>(),
);
/** Storage cannot be used (no IndexedDB, a broken database): the desk works on, without surviving a reload. */
export const storageFailed = defineAction('[Storage] failed', payload<{ error: ErrorInfo }>());
/** Another tab holds an older version of the database open; the upgrade waits for it. */
export const storageBlocked = defineAction('[Storage] blocked', payload<{ error: ErrorInfo }>());
/** A newer version of the desk (another tab) upgraded the database: this page must reload to store again. */
export const storageOutdated = defineAction('[Storage] outdated', payload<{ error: ErrorInfo }>());

// Customers
export const customersLoaded = defineAction('[Connector] customers loaded', payload<{ customers: readonly Customer[] }>());
export const customerLoadFailed = defineAction('[Connector] customer load failed', payload<{ customerId: string; error: ErrorInfo }>());

// Notices
export const noticeDismissed = defineAction('[Notice] dismissed', payload<{ noticeId: string }>());
export const effectFailed = defineAction('[Store] effect failed', payload<{ effect: string; error: ErrorInfo }>());
