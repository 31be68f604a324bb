import { deleteDB, type IDBPDatabase } from 'idb';
import { Observable, Subject } from 'rxjs';
import { loadCache, writeCache, type CacheWrite, type CachedDesk } from './conversation-cache.js';
import { loadDrafts, writeDrafts, type DraftChange } from './drafts.js';
import { toStorageError } from './errors.js';
import { DeskDatabase, type DatabaseEvent } from './open-db.js';
import { addToOutbox, listOutbox, removeFromOutbox, updateOutboxEntry } from './outbox.js';
import { databaseName, type DeskDB, type DraftRecord, type OutboxEntry } from './schema.js';

/**
 * The desk's storage as the store uses it: the conversation cache, drafts and the outbox of one agent on one
 * backend. Every method rejects with a `StorageError` (a full disk is `reason: 'quota'`). The database opens
 * on first use. Only the store's effects call it.
 */
export interface DeskStorage {
  /** The IndexedDB database name. */
  readonly name: string;
  /** What happens to the connection: blocked by another tab, released to one, opened, failed. */
  readonly events$: Observable<DatabaseEvent>;
  loadCache(): Promise<CachedDesk>;
  writeCache(write: CacheWrite): Promise<void>;
  loadDrafts(): Promise<DraftRecord[]>;
  /** An empty text deletes the conversation's draft. */
  writeDrafts(changes: readonly DraftChange[]): Promise<void>;
  /** Every entry, in submission order. */
  listOutbox(): Promise<OutboxEntry[]>;
  /** Persists a new send (and drops its conversation's draft), before it is attempted. */
  addToOutbox(entry: OutboxEntry): Promise<void>;
  updateOutboxEntry(entry: OutboxEntry): Promise<void>;
  /** Only once the backend confirmed the send. */
  removeFromOutbox(clientKey: string): Promise<void>;
  /** Closes the database; writes already made still complete. */
  close(): void;
}

export interface OpenDeskStorageOptions {
  /** Tells one agent on one backend from another: the database is `cc-workspace:<namespace>`. */
  readonly namespace: string;
  readonly now?: () => number;
}

/** The IndexedDB storage of one agent on one backend. Nothing is opened until it is first used. */
export function openDeskStorage(options: OpenDeskStorageOptions): DeskStorage {
  const now = options.now ?? Date.now;
  const events = new Subject<DatabaseEvent>();
  const database = new DeskDatabase(databaseName(options.namespace), { now, onEvent: (event) => events.next(event) });
  const run = async <T>(work: (db: IDBPDatabase<DeskDB>) => Promise<T>): Promise<T> => {
    try {
      return await work(await database.get());
    } catch (error: unknown) {
      // The connection closed under this call (another tab asked for the database): once more, on the new one.
      if (!(error instanceof DOMException && error.name === 'InvalidStateError') || database.isClosed) throw toStorageError(error);
    }
    try {
      return await work(await database.get());
    } catch (error: unknown) {
      throw toStorageError(error);
    }
  };
  return {
    name: database.name,
    events$: events.asObservable(),
    loadCache: () => run((db) => loadCache(db)),
    writeCache: (write) => run((db) => writeCache(db, write)),
    loadDrafts: () => run((db) => loadDrafts(db)),
    writeDrafts: (changes) => run((db) => writeDrafts(db, changes, now())),
    listOutbox: () => run((db) => listOutbox(db)),
    addToOutbox: (entry) => run((db) => addToOutbox(db, entry)),
    updateOutboxEntry: (entry) => run((db) => updateOutboxEntry(db, entry)),
    removeFromOutbox: (clientKey) => run((db) => removeFromOutbox(db, clientKey)),
    close() {
      database.close();
      events.complete();
    },
  };
}

/** Deletes an agent's stored desk (on sign-out, say). Open desks on that namespace close theirs to let it. */
export async function deleteDeskStorage(namespace: string): Promise<void> {
  await deleteDB(databaseName(namespace));
}
