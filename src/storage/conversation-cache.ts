import type { IDBPDatabase, IDBPTransaction } from 'idb';
import type { Conversation, Customer, Message } from '../connector/model.js';
import type { DeskDB } from './schema.js';

/** How much the cache holds: enough to paint the desk at once, small enough to read in a few milliseconds. */
export const CACHE_LIMITS = {
  /** Conversations kept, by latest activity; older ones go with their messages. */
  conversations: 200,
  /** The last page of a thread. */
  messagesPerConversation: 50,
  /** Threads read back at start (of the most recently active conversations); the rest load when opened. */
  threadsRestored: 30,
} as const;

export interface CachedThread {
  readonly conversationId: string;
  /** Oldest first, at most one page. */
  readonly messages: readonly Message[];
}

/** What the desk held when it last ran. */
export interface CachedDesk {
  /** Most recently active first. */
  readonly conversations: readonly Conversation[];
  readonly customers: readonly Customer[];
  readonly threads: readonly CachedThread[];
}

export interface CacheWrite {
  /** Conversations to hold (each replaces its cached copy). */
  readonly conversations: readonly Conversation[];
  readonly customers: readonly Customer[];
  /** The latest page of each of these threads replaces what is cached of it. */
  readonly threads: readonly CachedThread[];
  /** Conversations to forget, with their messages. */
  readonly removed: readonly string[];
  /** After a snapshot: everything not in `conversations` is forgotten. */
  readonly replace?: boolean;
}

type CacheTransaction = IDBPTransaction<DeskDB, ('conversations' | 'messages' | 'customers')[], 'readwrite'>;

const conversationRange = (conversationId: string): IDBKeyRange => IDBKeyRange.bound([conversationId, -Infinity], [conversationId, Infinity]);

export async function loadCache(db: IDBPDatabase<DeskDB>): Promise<CachedDesk> {
  const transaction = db.transaction(['conversations', 'messages', 'customers'], 'readonly');
  const conversations: Conversation[] = [];
  let cursor = await transaction.objectStore('conversations').index('by-last-message').openCursor(null, 'prev');
  while (cursor && conversations.length < CACHE_LIMITS.conversations) {
    conversations.push(cursor.value);
    cursor = await cursor.continue();
  }
  const customerIds = [...new Set(conversations.map((conversation) => conversation.customerId))];
  const [customers, threads] = await Promise.all([
    Promise.all(customerIds.map((id) => transaction.objectStore('customers').get(id))),
    Promise.all(
      conversations.slice(0, CACHE_LIMITS.threadsRestored).map(async (conversation) => ({
        conversationId: conversation.id,
        messages: await transaction.objectStore('messages').index('by-conversation').getAll(conversationRange(conversation.id)),
      })),
    ),
  ]);
  await transaction.done;
  return {
    conversations,
    customers: customers.filter((customer): customer is Customer => customer !== undefined),
    threads: threads.filter((thread) => thread.messages.length > 0),
  };
}

async function forgetMessages(transaction: CacheTransaction, conversationId: string): Promise<void> {
  const keys = await transaction.objectStore('messages').index('by-conversation').getAllKeys(conversationRange(conversationId));
  for (const key of keys) void transaction.objectStore('messages').delete(key);
}

async function forgetConversation(transaction: CacheTransaction, conversationId: string): Promise<void> {
  void transaction.objectStore('conversations').delete(conversationId);
  await forgetMessages(transaction, conversationId);
}

/** Applies a batch of changes in one transaction, then evicts what goes beyond the limits. */
export async function writeCache(db: IDBPDatabase<DeskDB>, write: CacheWrite): Promise<void> {
  const transaction: CacheTransaction = db.transaction(['conversations', 'messages', 'customers'], 'readwrite');
  const conversations = transaction.objectStore('conversations');
  if (write.replace) {
    const keep = new Set(write.conversations.map((conversation) => conversation.id));
    for (const id of await conversations.getAllKeys()) if (!keep.has(id)) await forgetConversation(transaction, id);
    void transaction.objectStore('customers').clear();
  }
  for (const id of write.removed) await forgetConversation(transaction, id);
  for (const conversation of write.conversations) void conversations.put(conversation);
  for (const customer of write.customers) void transaction.objectStore('customers').put(customer);
  for (const thread of write.threads) {
    await forgetMessages(transaction, thread.conversationId);
    for (const message of thread.messages.slice(-CACHE_LIMITS.messagesPerConversation)) void transaction.objectStore('messages').put(message);
  }
  // The least recently active conversations beyond the limit go, with their messages.
  const excess = (await conversations.count()) - CACHE_LIMITS.conversations;
  if (excess > 0) {
    const stale: string[] = [];
    let cursor = await conversations.index('by-last-message').openKeyCursor();
    while (cursor && stale.length < excess) {
      stale.push(cursor.primaryKey);
      cursor = await cursor.continue();
    }
    for (const id of stale) await forgetConversation(transaction, id);
  }
  await transaction.done;
}
