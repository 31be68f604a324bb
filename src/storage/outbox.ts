import type { IDBPDatabase } from 'idb';
import { openAll, PLAIN_CODEC, type RecordCodec } from './crypto.js';
import type { DeskDB, OutboxEntry } from './schema.js';

/** The fields of an entry that stay readable when records are sealed: its key and the order indexes. */
export const OUTBOX_PLAIN_FIELDS = ['clientKey', 'conversationId', 'seq'] as const;

/** Seals an entry for `addToOutbox` and `updateOutboxEntry` (before their transaction). */
export function sealOutboxEntry(codec: RecordCodec, entry: OutboxEntry): Promise<OutboxEntry> {
  return codec.seal('outbox', entry.clientKey, entry, OUTBOX_PLAIN_FIELDS);
}

const openEntries = async (codec: RecordCodec, entries: OutboxEntry[]): Promise<OutboxEntry[]> =>
  (await openAll(codec, 'outbox', entries, (entry) => entry.clientKey)).records;

/** Every entry, in submission order (which is also the order per conversation). */
export async function listOutbox(db: IDBPDatabase<DeskDB>, codec: RecordCodec = PLAIN_CODEC): Promise<OutboxEntry[]> {
  return openEntries(codec, await db.getAllFromIndex('outbox', 'by-seq'));
}

/** How many entries the outbox holds, readable or not (a logout must not drop unsent replies unseen). */
export async function countOutbox(db: IDBPDatabase<DeskDB>): Promise<number> {
  return db.count('outbox');
}

/** One conversation's entries, in the order they must be sent. */
export async function listConversationOutbox(db: IDBPDatabase<DeskDB>, conversationId: string, codec: RecordCodec = PLAIN_CODEC): Promise<OutboxEntry[]> {
  const range = IDBKeyRange.bound([conversationId, -Infinity], [conversationId, Infinity]);
  return openEntries(codec, await db.getAllFromIndex('outbox', 'by-conversation', range));
}

/**
 * Persists a new send before it is attempted. The conversation's draft goes in the same transaction: the text
 * lives on in the outbox, so there is no moment when it is in neither (nor in both after a reload).
 */
export async function addToOutbox(db: IDBPDatabase<DeskDB>, entry: OutboxEntry, codec: RecordCodec = PLAIN_CODEC): Promise<void> {
  // In the clear nothing is awaited before the transaction, so transactions keep the order of the calls.
  const stored = codec.encrypted ? await sealOutboxEntry(codec, entry) : entry;
  const transaction = db.transaction(['outbox', 'drafts'], 'readwrite');
  void transaction.objectStore('outbox').put(stored);
  void transaction.objectStore('drafts').delete(entry.conversationId);
  // Committed at once, like a draft: a send made just before the page goes must still be in the outbox after it.
  transaction.commit();
  await transaction.done;
}

/** Records an attempt's outcome (state, attempts, next attempt) of an entry still held. */
export async function updateOutboxEntry(db: IDBPDatabase<DeskDB>, entry: OutboxEntry, codec: RecordCodec = PLAIN_CODEC): Promise<void> {
  const stored = codec.encrypted ? await sealOutboxEntry(codec, entry) : entry;
  const transaction = db.transaction('outbox', 'readwrite');
  // Only an entry still held is updated: one the backend confirmed meanwhile must not come back.
  const held = await transaction.store.get(entry.clientKey);
  if (held) await transaction.store.put(stored);
  await transaction.done;
}

/** Forgets an entry: only once the backend has confirmed it. */
export async function removeFromOutbox(db: IDBPDatabase<DeskDB>, clientKey: string): Promise<void> {
  await db.delete('outbox', clientKey);
}
