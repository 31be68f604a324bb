import type { Attachment, Message } from '../../connector/model.js';
import type { OutgoingMessage } from '../../connector/connector.js';
import { PersistentMap } from '../persistent-map.js';
import type { Action } from '../action.js';
import * as actions from '../actions.js';
import * as accessActions from '../actions-access.js';
import type { ErrorInfo, RequestStatus } from '../errors.js';
import type { AppliedEvent } from './applied-event.js';

/** The messages of one conversation, oldest first, with what is known about loading and sending them. */
export interface Thread {
  readonly status: RequestStatus;
  readonly messages: readonly Message[];
  readonly nextCursor: string | null;
  readonly error: ErrorInfo | null;
  /**
   * By the message's client key: with a `failed` message, why the backend refused it (it stays in the thread with
   * a retry); with a `sending` one, why it is not confirmed yet (the outbox sends it again by itself).
   */
  readonly sendErrors: Readonly<Record<string, ErrorInfo>>;
}

export interface ThreadsSlice {
  readonly byConversation: PersistentMap<Thread>;
}

export const initialThreads: ThreadsSlice = { byConversation: PersistentMap.empty() };

export const emptyThread: Thread = { status: 'idle', messages: [], nextCursor: null, error: null, sendErrors: {} };

/** Adds or replaces a message, matching by id or by the client key of its optimistic copy; keeps time order. */
export function upsertMessage(messages: readonly Message[], message: Message): readonly Message[] {
  const index = messages.findIndex(
    (existing) => existing.id === message.id || (message.clientKey !== null && existing.clientKey === message.clientKey),
  );
  if (index !== -1) {
    const copy = messages.slice();
    copy[index] = message;
    return copy;
  }
  const last = messages[messages.length - 1];
  if (!last || last.sentAt <= message.sentAt) return [...messages, message];
  const copy = [...messages, message];
  copy.sort((a, b) => a.sentAt - b.sentAt);
  return copy;
}

/** Why a message restored from the outbox after a reload shows as not confirmed. */
export const NOT_CONFIRMED_AFTER_RELOAD: ErrorInfo = {
  code: 'unavailable',
  message: 'The page was reloaded before the backend confirmed this message; it is sent again with the same key.',
};

/** The copy of a message the agent sent that the thread shows until the backend's own arrives. */
function pendingCopy(
  send: { conversationId: string; clientKey: string; text: string; internal: boolean; authorName: string; submittedAt: number },
  attachments: readonly Attachment[] | undefined,
  email: OutgoingMessage['email'] | undefined,
  delivery: 'sending' | 'failed',
): Message {
  const { conversationId, clientKey, text, internal, authorName, submittedAt } = send;
  // The pending copy carries everything the send needs, so a retry sends exactly the same message.
  return {
    id: `local:${clientKey}`,
    conversationId,
    direction: internal ? 'internal' : 'outbound',
    authorName,
    text,
    sentAt: submittedAt,
    delivery,
    attachments: attachments ?? [],
    email: email && !internal ? { subject: email.subject, from: authorName, to: email.to, cc: email.cc, html: null } : null,
    call: null,
    clientKey,
  };
}

function mergePage(existing: readonly Message[], page: readonly Message[]): readonly Message[] {
  let merged = existing;
  for (const message of page) merged = upsertMessage(merged, message);
  return merged;
}

function withoutKey(record: Readonly<Record<string, ErrorInfo>>, key: string): Readonly<Record<string, ErrorInfo>> {
  if (!(key in record)) return record;
  const copy = { ...record };
  delete copy[key];
  return copy;
}

/** Every thread emptied but for the messages not sent yet (with their errors). */
function keepingUnsent(slice: ThreadsSlice): ThreadsSlice {
  let byConversation = slice.byConversation;
  slice.byConversation.forEach((thread, conversationId) => {
    const unsent = thread.messages.filter((message) => message.delivery === 'sending' || message.delivery === 'failed');
    byConversation = byConversation.set(conversationId, { ...emptyThread, messages: unsent, sendErrors: thread.sendErrors });
  });
  return { byConversation };
}

export function threadsReducer(slice: ThreadsSlice, action: Action, event: AppliedEvent): ThreadsSlice {
  const update = (conversationId: string, change: (thread: Thread) => Thread): ThreadsSlice => {
    const current = slice.byConversation.get(conversationId) ?? emptyThread;
    const next = change(current);
    return next === current ? slice : { byConversation: slice.byConversation.set(conversationId, next) };
  };

  if (event) {
    if (event.type === 'message.added' || event.type === 'message.updated') {
      const { message } = event;
      // A thread nobody opened is loaded from the backend when it is opened; holding it now would only cost memory.
      if (!slice.byConversation.has(message.conversationId)) return slice;
      // The stream's copy of a sent message confirms it: whatever kept it unconfirmed no longer matters.
      const confirmed = message.clientKey !== null && message.delivery !== 'sending' && message.delivery !== 'failed';
      return update(message.conversationId, (thread) => ({
        ...thread,
        messages: upsertMessage(thread.messages, message),
        sendErrors: confirmed && message.clientKey !== null ? withoutKey(thread.sendErrors, message.clientKey) : thread.sendErrors,
      }));
    }
    if (event.type === 'conversation.removed') {
      const byConversation = slice.byConversation.delete(event.conversationId);
      return byConversation === slice.byConversation ? slice : { byConversation };
    }
    return slice;
  }
  if (
    actions.conversationSelected.match(action) ||
    actions.olderMessagesRequested.match(action) ||
    actions.threadReloadRequested.match(action)
  ) {
    return update(action.payload.conversationId, (thread) =>
      thread.status === 'loading' || (actions.conversationSelected.match(action) && thread.status === 'loaded')
        ? thread
        : { ...thread, status: 'loading', error: null },
    );
  }
  if (actions.messagesLoaded.match(action)) {
    const { conversationId, messages, nextCursor } = action.payload;
    return update(conversationId, (thread) => ({
      ...thread,
      status: 'loaded',
      messages: mergePage(thread.messages, messages),
      nextCursor,
      error: null,
    }));
  }
  if (actions.messagesFailed.match(action)) {
    // A request cancelled on purpose (the desk is loading everything again) is not a failure to show.
    if (action.payload.error.code === 'aborted') return update(action.payload.conversationId, (thread) => (thread.status === 'loading' ? { ...thread, status: 'idle' } : thread));
    return update(action.payload.conversationId, (thread) => ({ ...thread, status: 'failed', error: action.payload.error }));
  }
  if (actions.messageSubmitted.match(action)) {
    const { conversationId, attachments, email } = action.payload;
    const optimistic = pendingCopy(action.payload, attachments, email, 'sending');
    return update(conversationId, (thread) => ({ ...thread, messages: upsertMessage(thread.messages, optimistic) }));
  }
  if (actions.outboxRestored.match(action)) {
    // Sends of an earlier page: none is confirmed, so each shows as such until its retry (same key) answers.
    let next = slice;
    for (const entry of action.payload.entries) {
      const { conversationId, clientKey, message, authorName, submittedAt } = entry;
      const failed = entry.state === 'failed';
      const copy = pendingCopy(
        { conversationId, clientKey, text: message.text, internal: message.internal ?? false, authorName, submittedAt },
        message.attachments,
        message.email,
        failed ? 'failed' : 'sending',
      );
      const reason = failed ? (entry.lastError ?? NOT_CONFIRMED_AFTER_RELOAD) : NOT_CONFIRMED_AFTER_RELOAD;
      const thread = next.byConversation.get(conversationId) ?? emptyThread;
      // Already there (the backend's copy, say): nothing to restore.
      if (thread.messages.some((held) => held.clientKey === clientKey && held.id !== copy.id)) continue;
      next = {
        byConversation: next.byConversation.set(conversationId, {
          ...thread,
          messages: upsertMessage(thread.messages, copy),
          sendErrors: { ...thread.sendErrors, [clientKey]: reason },
        }),
      };
    }
    return next;
  }
  if (actions.messageSendDeferred.match(action)) {
    const { conversationId, clientKey, error } = action.payload;
    return update(conversationId, (thread) =>
      thread.messages.some((message) => message.clientKey === clientKey && message.delivery === 'sending')
        ? { ...thread, sendErrors: { ...thread.sendErrors, [clientKey]: error } }
        : thread,
    );
  }
  if (actions.cacheRestored.match(action)) {
    // Cached pages paint at once; a thread the desk already holds is newer. Opening one loads it from the backend.
    let byConversation = slice.byConversation;
    for (const { conversationId, messages } of action.payload.threads) {
      if (!byConversation.has(conversationId)) byConversation = byConversation.set(conversationId, { ...emptyThread, messages });
    }
    return byConversation === slice.byConversation ? slice : { byConversation };
  }
  if (actions.cachedConversationsExpired.match(action)) {
    let byConversation = slice.byConversation;
    for (const conversationId of action.payload.conversationIds) {
      const thread = byConversation.get(conversationId);
      // Messages on their way stay with their conversation.
      if (thread && !thread.messages.some((message) => message.delivery === 'sending' || message.delivery === 'failed')) {
        byConversation = byConversation.delete(conversationId);
      }
    }
    return byConversation === slice.byConversation ? slice : { byConversation };
  }
  if (actions.messageRetryRequested.match(action)) {
    const { conversationId, clientKey } = action.payload;
    return update(conversationId, (thread) => ({
      ...thread,
      messages: thread.messages.map((message) =>
        message.clientKey === clientKey && message.delivery === 'failed' ? { ...message, delivery: 'sending' } : message,
      ),
      sendErrors: withoutKey(thread.sendErrors, clientKey),
    }));
  }
  if (actions.messageSent.match(action)) {
    const { conversationId, message, clientKey } = action.payload;
    return update(conversationId, (thread) => {
      const held = thread.messages.find((existing) => existing.id === message.id);
      // The stream may already have brought a later delivery state for this message; do not go back to "sent".
      const messages = held && held.delivery !== 'sending' ? thread.messages : upsertMessage(thread.messages, { ...message, clientKey });
      return { ...thread, messages, sendErrors: withoutKey(thread.sendErrors, clientKey) };
    });
  }
  if (actions.messageSendFailed.match(action)) {
    const { conversationId, clientKey, error } = action.payload;
    return update(conversationId, (thread) => {
      // Only a message still on its way can fail: one the stream already confirmed was delivered (the request's
      // response was lost, say), and marking it failed would invite the agent to send it again.
      const pending = (message: Message): boolean => message.clientKey === clientKey && message.delivery === 'sending';
      if (!thread.messages.some(pending)) return thread;
      return {
        ...thread,
        messages: thread.messages.map((message) => (pending(message) ? { ...message, delivery: 'failed' } : message)),
        sendErrors: { ...thread.sendErrors, [clientKey]: error },
      };
    });
  }
  // Loaded threads may have missed events during a gap, or show PII the agent may no longer see: they load again
  // when opened (the open one at once, by the thread effect), keeping the messages not sent yet.
  if (actions.snapshotLoaded.match(action) || (accessActions.accessChanged.match(action) && !action.payload.viewPii)) return keepingUnsent(slice);
  if (actions.workspaceStopped.match(action)) return initialThreads;
  return slice;
}
