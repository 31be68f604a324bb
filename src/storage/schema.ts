import type { DBSchema } from 'idb';
import type { OutgoingMessage } from '../connector/connector.js';
import type { Conversation, Customer, Message } from '../connector/model.js';
import type { ErrorInfo } from '../store/errors.js';

/**
 * The desk's IndexedDB schema at the current version. Earlier versions live in `legacy/` and are only ever
 * opened to be upgraded (see `open-db.ts` for the ladder from each version to the next).
 */
export const DATABASE_VERSION = 2;

/** One database per agent and backend: hosts choose the namespace (the workspace uses the agent's id). */
export function databaseName(namespace: string): string {
  return `cc-workspace:${namespace}`;
}

/** What the agent typed in a conversation's reply box and has not sent. */
export interface DraftRecord {
  readonly conversationId: string;
  readonly text: string;
  /** When it was last written (v2; drafts written by v1 get the time of the upgrade). */
  readonly updatedAt: number;
}

/**
 * Where a send stands:
 * - `pending`: not attempted yet, or waiting for its next attempt after the backend could not be reached;
 * - `in-flight`: a request is out; found like this after a reload, nobody knows whether it arrived;
 * - `unknown`: restored after a reload with an attempt behind it; the retry (same idempotency key) settles it;
 * - `failed`: the backend refused it (invalid, forbidden, not found, conflict); it waits for the agent's retry.
 */
export type OutboxState = 'pending' | 'in-flight' | 'unknown' | 'failed';

/** A message the agent sent, kept until the backend confirms it. */
export interface OutboxEntry {
  /** The message's client key, and the idempotency key of every attempt to send it. */
  readonly clientKey: string;
  readonly conversationId: string;
  /** Submission order across the whole outbox; per conversation, entries are sent in this order. */
  readonly seq: number;
  /** Exactly what is sent, on every attempt. */
  readonly message: OutgoingMessage;
  /** For the copy shown in the thread until the backend's own arrives. */
  readonly authorName: string;
  readonly submittedAt: number;
  readonly attempts: number;
  /** When the next attempt is due (epoch ms); null when it is not waiting for one. */
  readonly nextAttemptAt: number | null;
  readonly state: OutboxState;
  /** Why the last attempt did not go through, if it did not. */
  readonly lastError: ErrorInfo | null;
}

export interface DeskDB extends DBSchema {
  /** The conversations the desk held, bounded; read at start so the list paints before the backend answers. */
  conversations: {
    key: string;
    value: Conversation;
    indexes: { 'by-last-message': number };
  };
  /** The last page of messages of each cached conversation whose thread was loaded. */
  messages: {
    key: string;
    value: Message;
    indexes: { 'by-conversation': [string, number] };
  };
  /** The customers of the cached conversations, so the list shows names at once (v2). */
  customers: {
    key: string;
    value: Customer;
  };
  drafts: {
    key: string;
    value: DraftRecord;
  };
  /** Sends not confirmed by the backend yet (v2). */
  outbox: {
    key: string;
    value: OutboxEntry;
    indexes: { 'by-conversation': [string, number]; 'by-seq': number };
  };
}

export type DeskStoreName = 'conversations' | 'messages' | 'customers' | 'drafts' | 'outbox';
