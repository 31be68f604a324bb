/**
 * Actions of the conversation part beyond reading and replying: canned replies, the composer's email fields and
 * attachments, and the conversation's own operations (transfer, resolve, reopen).
 */
import { defineAction, payload } from './action.js';
import type { ErrorInfo } from './errors.js';
import type { AssignTarget } from '../connector/connector.js';
import type { Agent, Attachment, CannedReply, Conversation, Queue } from '../connector/model.js';

/** An agent a conversation can be handed to, as `listAgents` describes them. */
export type TransferAgent = Pick<Agent, 'id' | 'name' | 'presence'>;

/** The email header fields of a reply, as the agent typed them (addresses comma-separated). */
export interface EmailReplyFields {
  readonly subject: string;
  readonly to: string;
  readonly cc: string;
  /** Copy everyone the customer's mail went to. */
  readonly replyAll: boolean;
}

// Canned replies
export const cannedRepliesRequested = defineAction('[Composer] canned replies requested');
export const cannedRepliesLoaded = defineAction('[Connector] canned replies loaded', payload<{ replies: readonly CannedReply[] }>());
export const cannedRepliesFailed = defineAction('[Connector] canned replies failed', payload<{ error: ErrorInfo }>());

// The composer's email fields and attachments, per conversation
export const emailFieldsChanged = defineAction('[Composer] email fields changed', payload<{ conversationId: string; fields: EmailReplyFields }>());
export const attachmentsAdded = defineAction('[Composer] attachments added', payload<{ conversationId: string; attachments: readonly Attachment[] }>());
export const attachmentRemoved = defineAction('[Composer] attachment removed', payload<{ conversationId: string; attachmentId: string }>());

// Who a conversation can go to
export const transferTargetsRequested = defineAction('[Conversation] transfer targets requested');
export const transferTargetsLoaded = defineAction(
  '[Connector] transfer targets loaded',
  payload<{ agents: readonly TransferAgent[]; queues: readonly Queue[] }>(),
);
export const transferTargetsFailed = defineAction('[Connector] transfer targets failed', payload<{ error: ErrorInfo }>());

// Transfer, resolve, reopen
export const transferRequested = defineAction('[Conversation] transfer requested', payload<{ conversationId: string; target: AssignTarget }>());
export const conversationTransferred = defineAction('[Connector] conversation transferred', payload<{ conversation: Conversation }>());
export const transferFailed = defineAction('[Connector] transfer failed', payload<{ conversationId: string; error: ErrorInfo }>());

export const statusChangeRequested = defineAction(
  '[Conversation] status change requested',
  payload<{ conversationId: string; status: 'resolved' | 'open' }>(),
);
export const conversationStatusChanged = defineAction('[Connector] conversation status changed', payload<{ conversation: Conversation }>());
export const statusChangeFailed = defineAction('[Connector] status change failed', payload<{ conversationId: string; error: ErrorInfo }>());

/** The agent dismissed the failure shown for an operation on a conversation. */
export const operationFailureDismissed = defineAction('[Conversation] operation failure dismissed', payload<{ conversationId: string }>());
