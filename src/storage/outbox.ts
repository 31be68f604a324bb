import type { IDBPDatabase } from 'idb';
import type { DeskDB, OutboxEntry } from './schema.js';

/** Every entry, in submission order (which is also the order per conversation). */
export async function listOutbox(db: IDBPDatabase<DeskDB>): Promise<OutboxEntry[]> {
  return db.getAllFromIndex('outbox', 'by-seq');
}

/** One conversation's entries, in the order they must be sent. */
export async function listConversationOutbox(db: IDBPDatabase<DeskDB>, conversationId: string): Promise<OutboxEntry[]> {
  const range = IDBKeyRange.bound([conversationId, -Infinity], [conversationId, Infinity]);
  return db.getAllFromIndex('outbox', 'by-conversation', range);
}

/**
 * Persists a new send before it is attempted. The conversation's draft goes in the same transaction: the text
 * lives on in the outbox, so there is no moment when it is in neither (nor in both after a reload).
 */
export async function addToOutbox(db: IDBPDatabase<DeskDB>, entry: OutboxEntry): Promise<void> {
  const transaction = db.transaction(['outbox', 'drafts'], 'readwrite');
  void transaction.objectStore('outbox').put(entry);
  void transaction.objectStore('drafts').delete(entry.conversationId);
  // Committed at once, like a draft: a send made just before the page goes must still be in the outbox after it.
  transaction.commit();
  await transaction.done;
}

/** Records an attempt's outcome (state, attempts, next attempt) of an entry still held. */
export async function updateOutboxEntry(db: IDBPDatabase<DeskDB>, entry: OutboxEntry): Promise<void> {
  const transaction = db.transaction('outbox', 'readwrite');
  // Only an entry still held is updated: one the backend confirmed meanwhile must not come back.
  const held = await transaction.store.get(entry.clientKey);
  if (held) await transaction.store.put(entry);
  await transaction.done;
}

/** Forgets an entry: only once the backend has confirmed it. */
export async function removeFromOutbox(db: IDBPDatabase<DeskDB>, clientKey: string): Promise<void> {
  await db.delete('outbox', clientKey);
}
