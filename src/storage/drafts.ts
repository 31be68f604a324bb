import type { IDBPDatabase } from 'idb';
import { openAll, PLAIN_CODEC, type RecordCodec } from './crypto.js';
import type { DeskDB, DraftRecord } from './schema.js';

/** A draft to write: text to keep, or `''` to forget the conversation's draft. */
export interface DraftChange {
  readonly conversationId: string;
  readonly text: string;
}

export async function loadDrafts(db: IDBPDatabase<DeskDB>, codec: RecordCodec = PLAIN_CODEC): Promise<DraftRecord[]> {
  return (await openAll(codec, 'drafts', await db.getAll('drafts'), (draft) => draft.conversationId)).records;
}

/** Writes several drafts in one transaction; an empty text deletes that conversation's draft. */
export async function writeDrafts(db: IDBPDatabase<DeskDB>, changes: readonly DraftChange[], now: number, codec: RecordCodec = PLAIN_CODEC): Promise<void> {
  if (changes.length === 0) return;
  // Sealed before the transaction opens: it would end while waiting for the encryption. In the clear nothing is
  // awaited before it, so transactions keep the order of the calls.
  const clear = changes.map(({ conversationId, text }) => (text === '' ? { conversationId, text } : { conversationId, text, updatedAt: now }));
  const records = !codec.encrypted
    ? clear
    : await Promise.all(clear.map((record) => (record.text === '' ? record : codec.seal('drafts', record.conversationId, record, ['conversationId']))));
  const transaction = db.transaction('drafts', 'readwrite');
  for (const record of records) {
    if (record.text === '') void transaction.store.delete(record.conversationId);
    else void transaction.store.put(record as DraftRecord);
  }
  // Committed now rather than when the requests settle: a write asked for in `pagehide` (a reload right after the
  // agent typed) is otherwise aborted with the page, and the draft lost.
  transaction.commit();
  await transaction.done;
}
