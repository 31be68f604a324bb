import type { Attachment, CannedReply, Queue } from '../../connector/model.js';
import { PersistentMap } from '../persistent-map.js';
import type { Action } from '../action.js';
import * as actions from '../actions.js';
import * as conversationActions from '../actions-conversation.js';
import type { EmailReplyFields, TransferAgent } from '../actions-conversation.js';
import type { ErrorInfo, RequestStatus } from '../errors.js';
import type { AppliedEvent } from './applied-event.js';

/** What the composer holds besides the text (which is the draft in `ui.drafts`). */
export interface ComposerExtras {
  /** Null until the agent edits them: then the reply's defaults come from the thread. */
  readonly email: EmailReplyFields | null;
  /** Files chosen for the next message. */
  readonly attachments: readonly Attachment[];
}

export type ConversationOperationKind = 'transfer' | 'resolve' | 'reopen';

/** An operation on one conversation: in flight, or failed with the reason shown beside it. */
export interface ConversationOperation {
  readonly kind: ConversationOperationKind;
  readonly status: 'pending' | 'failed';
  readonly error: ErrorInfo | null;
}

export interface CannedRepliesState {
  readonly status: RequestStatus;
  readonly items: readonly CannedReply[];
  readonly error: ErrorInfo | null;
}

export interface TransferTargetsState {
  readonly status: RequestStatus;
  readonly agents: readonly TransferAgent[];
  readonly queues: readonly Queue[];
  readonly error: ErrorInfo | null;
}

export interface ConversationSlice {
  readonly cannedReplies: CannedRepliesState;
  readonly transferTargets: TransferTargetsState;
  /** Per conversation; absent when the composer holds nothing beyond its text. */
  readonly composer: PersistentMap<ComposerExtras>;
  /** Per conversation; absent when nothing is in flight and nothing failed. */
  readonly operations: PersistentMap<ConversationOperation>;
}

export const emptyComposerExtras: ComposerExtras = { email: null, attachments: [] };

export const initialConversationSlice: ConversationSlice = {
  cannedReplies: { status: 'idle', items: [], error: null },
  transferTargets: { status: 'idle', agents: [], queues: [], error: null },
  composer: PersistentMap.empty(),
  operations: PersistentMap.empty(),
};

function withComposer(slice: ConversationSlice, conversationId: string, change: (extras: ComposerExtras) => ComposerExtras): ConversationSlice {
  const current = slice.composer.get(conversationId) ?? emptyComposerExtras;
  const next = change(current);
  if (next === current) return slice;
  const empty = next.email === null && next.attachments.length === 0;
  const composer = empty ? slice.composer.delete(conversationId) : slice.composer.set(conversationId, next);
  return composer === slice.composer ? slice : { ...slice, composer };
}

function startOperation(slice: ConversationSlice, conversationId: string, kind: ConversationOperationKind): ConversationSlice {
  // One operation at a time per conversation: a second click while the first is on its way changes nothing.
  if (slice.operations.get(conversationId)?.status === 'pending') return slice;
  return { ...slice, operations: slice.operations.set(conversationId, { kind, status: 'pending', error: null }) };
}

function finishOperation(slice: ConversationSlice, conversationId: string): ConversationSlice {
  const operations = slice.operations.delete(conversationId);
  return operations === slice.operations ? slice : { ...slice, operations };
}

function failOperation(slice: ConversationSlice, conversationId: string, error: ErrorInfo): ConversationSlice {
  const current = slice.operations.get(conversationId);
  if (!current) return slice;
  return { ...slice, operations: slice.operations.set(conversationId, { ...current, status: 'failed', error }) };
}

export function conversationReducer(slice: ConversationSlice, action: Action, _event: AppliedEvent): ConversationSlice {
  if (conversationActions.cannedRepliesRequested.match(action)) {
    return slice.cannedReplies.status === 'loading' ? slice : { ...slice, cannedReplies: { ...slice.cannedReplies, status: 'loading', error: null } };
  }
  if (conversationActions.cannedRepliesLoaded.match(action)) {
    return { ...slice, cannedReplies: { status: 'loaded', items: action.payload.replies, error: null } };
  }
  if (conversationActions.cannedRepliesFailed.match(action)) {
    return { ...slice, cannedReplies: { ...slice.cannedReplies, status: 'failed', error: action.payload.error } };
  }

  if (conversationActions.emailFieldsChanged.match(action)) {
    const { conversationId, fields } = action.payload;
    return withComposer(slice, conversationId, (extras) => ({ ...extras, email: fields }));
  }
  if (conversationActions.attachmentsAdded.match(action)) {
    const { conversationId, attachments } = action.payload;
    if (attachments.length === 0) return slice;
    return withComposer(slice, conversationId, (extras) => ({ ...extras, attachments: [...extras.attachments, ...attachments] }));
  }
  if (conversationActions.attachmentRemoved.match(action)) {
    const { conversationId, attachmentId } = action.payload;
    return withComposer(slice, conversationId, (extras) =>
      extras.attachments.some((attachment) => attachment.id === attachmentId)
        ? { ...extras, attachments: extras.attachments.filter((attachment) => attachment.id !== attachmentId) }
        : extras,
    );
  }
  if (actions.messageSubmitted.match(action)) {
    // What the composer held now travels with the pending message.
    const composer = slice.composer.delete(action.payload.conversationId);
    return composer === slice.composer ? slice : { ...slice, composer };
  }

  if (conversationActions.transferTargetsRequested.match(action)) {
    // The loaded lists stay visible while they refresh (presence changes during the day).
    return slice.transferTargets.status === 'loading' ? slice : { ...slice, transferTargets: { ...slice.transferTargets, status: 'loading', error: null } };
  }
  if (conversationActions.transferTargetsLoaded.match(action)) {
    const { agents, queues } = action.payload;
    return { ...slice, transferTargets: { status: 'loaded', agents, queues, error: null } };
  }
  if (conversationActions.transferTargetsFailed.match(action)) {
    return { ...slice, transferTargets: { ...slice.transferTargets, status: 'failed', error: action.payload.error } };
  }

  if (conversationActions.transferRequested.match(action)) return startOperation(slice, action.payload.conversationId, 'transfer');
  if (conversationActions.statusChangeRequested.match(action)) {
    const { conversationId, status } = action.payload;
    return startOperation(slice, conversationId, status === 'resolved' ? 'resolve' : 'reopen');
  }
  if (conversationActions.conversationTransferred.match(action) || conversationActions.conversationStatusChanged.match(action)) {
    return finishOperation(slice, action.payload.conversation.id);
  }
  if (conversationActions.transferFailed.match(action) || conversationActions.statusChangeFailed.match(action)) {
    return failOperation(slice, action.payload.conversationId, action.payload.error);
  }
  if (conversationActions.operationFailureDismissed.match(action)) {
    const { conversationId } = action.payload;
    return slice.operations.get(conversationId)?.status === 'failed' ? finishOperation(slice, conversationId) : slice;
  }

  if (actions.workspaceStopped.match(action)) return initialConversationSlice;
  return slice;
}
