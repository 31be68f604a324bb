import type { IDBPDatabase, IDBPTransaction } from 'idb';
import type { Conversation, Customer, Message } from '../connector/model.js';
import { openAll, PLAIN_CODEC, type RecordCodec } from './crypto.js';
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

/** The fields of each cached record that stay readable when records are sealed: keys and indexes only. */
export const CACHE_PLAIN_FIELDS = {
  conversations: ['id', 'lastMessageAt'],
  messages: ['id', 'conversationId', 'sentAt'],
  customers: ['id'],
} as const satisfies { conversations: (keyof Conversation)[]; messages: (keyof Message)[]; customers: (keyof Customer)[] };

/**
 * Reads the cache back. Sealed records are opened after each transaction (decryption is asynchronous, and a
 * transaction ends when it waits for anything else), so with a key the read takes two transactions; in the clear
 * it is one. Records that do not open are left out.
 */
export async function loadCache(db: IDBPDatabase<DeskDB>, codec: RecordCodec = PLAIN_CODEC): Promise<CachedDesk> {
  const stores = ['conversations', 'messages', 'customers'] as const;
  const first = db.transaction([...stores], 'readonly');
  const stored: Conversation[] = [];
  let cursor = await first.objectStore('conversations').index('by-last-message').openCursor(null, 'prev');
  while (cursor && stored.length < CACHE_LIMITS.conversations) {
    stored.push(cursor.value);
    cursor = await cursor.continue();
  }
  if (codec.encrypted) await first.done;
  // Opening in the clear only awaits settled promises (microtasks), which keeps the transaction alive.
  const { records: conversations } = await openAll(codec, 'conversations', stored, (conversation) => conversation.id);
  const transaction = codec.encrypted ? db.transaction([...stores], 'readonly') : first;
  const customerIds = [...new Set(conversations.map((conversation) => conversation.customerId))];
  const [storedCustomers, storedThreads] = await Promise.all([
    Promise.all(customerIds.map((id) => transaction.objectStore('customers').get(id))),
    Promise.all(
      conversations.slice(0, CACHE_LIMITS.threadsRestored).map(async (conversation) => ({
        conversationId: conversation.id,
        messages: await transaction.objectStore('messages').index('by-conversation').getAll(conversationRange(conversation.id)),
      })),
    ),
  ]);
  await transaction.done;
  const customers = await openAll(
    codec,
    'customers',
    storedCustomers.filter((customer): customer is Customer => customer !== undefined),
    (customer) => customer.id,
  );
  const threads = await Promise.all(
    storedThreads.map(async (thread) => ({
      conversationId: thread.conversationId,
      messages: (await openAll(codec, 'messages', thread.messages, (message) => message.id)).records,
    })),
  );
  return {
    conversations,
    customers: customers.records,
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
export async function writeCache(db: IDBPDatabase<DeskDB>, write: CacheWrite, codec: RecordCodec = PLAIN_CODEC): Promise<void> {
  // Sealed before the transaction opens: it would end while waiting for the encryption. In the clear nothing is
  // awaited before it, so transactions keep the order of the calls.
  const [sealedConversations, sealedCustomers, sealedThreads] = !codec.encrypted
    ? [write.conversations, write.customers, write.threads.map((thread) => ({ ...thread, messages: thread.messages.slice(-CACHE_LIMITS.messagesPerConversation) }))]
    : await Promise.all([
    Promise.all(write.conversations.map((record) => codec.seal('conversations', record.id, record, CACHE_PLAIN_FIELDS.conversations))),
    Promise.all(write.customers.map((record) => codec.seal('customers', record.id, record, CACHE_PLAIN_FIELDS.customers))),
    Promise.all(
      write.threads.map(async (thread) => ({
        conversationId: thread.conversationId,
        messages: await Promise.all(
          thread.messages
            .slice(-CACHE_LIMITS.messagesPerConversation)
            .map((record) => codec.seal('messages', record.id, record, CACHE_PLAIN_FIELDS.messages)),
        ),
      })),
    ),
    ]);
  const transaction: CacheTransaction = db.transaction(['conversations', 'messages', 'customers'], 'readwrite');
  const conversations = transaction.objectStore('conversations');
  if (write.replace) {
    const keep = new Set(write.conversations.map((conversation) => conversation.id));
    for (const id of await conversations.getAllKeys()) if (!keep.has(id)) await forgetConversation(transaction, id);
    void transaction.objectStore('customers').clear();
  }
  for (const id of write.removed) await forgetConversation(transaction, id);
  for (const conversation of sealedConversations) void conversations.put(conversation);
  for (const customer of sealedCustomers) void transaction.objectStore('customers').put(customer);
  for (const thread of sealedThreads) {
    await forgetMessages(transaction, thread.conversationId);
    for (const message of thread.messages) void transaction.objectStore('messages').put(message);
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
