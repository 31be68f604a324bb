import type { IDBPDatabase } from 'idb';
import type { DeskDB, DraftRecord } from './schema.js';

/** A draft to write: text to keep, or `''` to forget the conversation's draft. */
export interface DraftChange {
  readonly conversationId: string;
  readonly text: string;
}

export async function loadDrafts(db: IDBPDatabase<DeskDB>): Promise<DraftRecord[]> {
  return db.getAll('drafts');
}

/** Writes several drafts in one transaction; an empty text deletes that conversation's draft. */
export async function writeDrafts(db: IDBPDatabase<DeskDB>, changes: readonly DraftChange[], now: number): Promise<void> {
  if (changes.length === 0) return;
  const transaction = db.transaction('drafts', 'readwrite');
  for (const { conversationId, text } of changes) {
    if (text === '') void transaction.store.delete(conversationId);
    else void transaction.store.put({ conversationId, text, updatedAt: now });
  }
  // Committed now rather than when the requests settle: a write asked for in `pagehide` (a reload right after the
  // agent typed) is otherwise aborted with the page, and the draft lost.
  transaction.commit();
  await transaction.done;
}
