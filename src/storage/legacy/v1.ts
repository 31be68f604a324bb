import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { Conversation, Message } from '../../connector/model.js';

/**
 * The schema as version 1 of the desk wrote it: conversations, messages and drafts. Kept so the upgrade ladder
 * can build it step by step, and so tests can write a database exactly as the previous version did.
 */
export interface DeskDBv1 extends DBSchema {
  conversations: { key: string; value: Conversation };
  messages: { key: string; value: Message; indexes: { 'by-conversation': [string, number] } };
  /** v1 drafts had no time stamp. */
  drafts: { key: string; value: DraftRecordV1 };
}

export interface DraftRecordV1 {
  readonly conversationId: string;
  readonly text: string;
}

/** The stores of version 1, created on an empty database (the first rung of the ladder). */
export function createVersion1Stores(db: IDBPDatabase<unknown>): void {
  db.createObjectStore('conversations', { keyPath: 'id' });
  const messages = db.createObjectStore('messages', { keyPath: 'id' });
  messages.createIndex('by-conversation', ['conversationId', 'sentAt']);
  db.createObjectStore('drafts', { keyPath: 'conversationId' });
}

/**
 * Opens (creating if needed) a database at version 1, as the previous version of the desk did. For upgrade tests:
 * the connection closes itself when a newer version asks for the database, like the previous desk's did.
 */
export async function openDatabaseAtVersion1(name: string, options: { closeOnVersionChange?: boolean } = {}): Promise<IDBPDatabase<DeskDBv1>> {
  const db = await openDB<DeskDBv1>(name, 1, {
    upgrade(database) {
      createVersion1Stores(database as unknown as IDBPDatabase<unknown>);
    },
    blocking() {
      if (options.closeOnVersionChange ?? true) db.close();
    },
  });
  return db;
}
