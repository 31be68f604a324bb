import type { Message } from '../../connector/model.js';
import { PersistentMap } from '../persistent-map.js';
import type { Action } from '../action.js';
import * as actions from '../actions.js';
import type { ErrorInfo, RequestStatus } from '../errors.js';
import type { AppliedEvent } from './applied-event.js';

/** The messages of one conversation, oldest first, with what is known about loading and sending them. */
export interface Thread {
  readonly status: RequestStatus;
  readonly messages: readonly Message[];
  readonly nextCursor: string | null;
  readonly error: ErrorInfo | null;
  /** Why a send failed, by the message's client key; the message stays in the thread with a retry. */
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
      return update(message.conversationId, (thread) => ({ ...thread, messages: upsertMessage(thread.messages, message) }));
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
    return update(action.payload.conversationId, (thread) => ({ ...thread, status: 'failed', error: action.payload.error }));
  }
  if (actions.messageSubmitted.match(action)) {
    const { conversationId, clientKey, text, internal, authorName, submittedAt, attachments, email } = action.payload;
    // The pending copy carries everything the send needs, so a retry sends exactly the same message.
    const optimistic: Message = {
      id: `local:${clientKey}`,
      conversationId,
      direction: internal ? 'internal' : 'outbound',
      authorName,
      text,
      sentAt: submittedAt,
      delivery: 'sending',
      attachments: attachments ?? [],
      email: email && !internal ? { subject: email.subject, from: authorName, to: email.to, cc: email.cc, html: null } : null,
      call: null,
      clientKey,
    };
    return update(conversationId, (thread) => ({ ...thread, messages: upsertMessage(thread.messages, optimistic) }));
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
  if (actions.snapshotLoaded.match(action)) {
    // Loaded threads may have missed events during a gap: they load again when opened (the open one at once, by
    // the thread effect), keeping the messages not sent yet.
    let byConversation = slice.byConversation;
    slice.byConversation.forEach((thread, conversationId) => {
      const unsent = thread.messages.filter((message) => message.delivery === 'sending' || message.delivery === 'failed');
      byConversation = byConversation.set(conversationId, { ...emptyThread, messages: unsent, sendErrors: thread.sendErrors });
    });
    return { byConversation };
  }
  if (actions.workspaceStopped.match(action)) return initialThreads;
  return slice;
}
