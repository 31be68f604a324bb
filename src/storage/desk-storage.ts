import { deleteDB, type IDBPDatabase } from 'idb';
import { Observable, Subject } from 'rxjs';
import { loadCache, writeCache, type CacheWrite, type CachedDesk } from './conversation-cache.js';
import { encryptingCodec, PLAIN_CODEC, type RecordCodec, type UnreadableRecord } from './crypto.js';
import { sealClearRecords } from './crypto-migrate.js';
import { loadDrafts, writeDrafts, type DraftChange } from './drafts.js';
import { StorageError, toStorageError } from './errors.js';
import { DeskDatabase, type DatabaseEvent } from './open-db.js';
import { addToOutbox, countOutbox, listOutbox, removeFromOutbox, updateOutboxEntry } from './outbox.js';
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
  /** Closes the database; writes asked for before it (with a key, also those still waiting their turn) complete. */
  close(): void;
  /** True when records are encrypted at rest with the host's key. */
  readonly encrypted: boolean;
}

export interface OpenDeskStorageOptions {
  /** Tells one agent on one backend from another: the database is `cc-workspace:<namespace>`. */
  readonly namespace: string;
  readonly now?: () => number;
  /**
   * Encrypts every record at rest (cache, drafts, outbox) with this AES-GCM key, which must not be extractable
   * (`checkStorageKey` says why one is refused). Records written in the clear before a key was given (by a desk
   * that ran without one) are sealed on first use, outbox first, and then read as usual (unsent replies are still
   * sent, with their idempotency keys). Records that do not open with it are never shown: the storage reports
   * them on `events$` (`unreadable`) and leaves them where they are, so the right key can still read them.
   */
  readonly key?: CryptoKey;
}

const UNREADABLE_MESSAGES: Record<UnreadableRecord, (count: number) => string> = {
  'does-not-open': (count) =>
    `${count} stored record(s) could not be decrypted with the storage key: the key is not the one they were written with, or they were altered. They are not shown; what the server has is loaded from it again.`,
  'not-sealed': (count) =>
    `${count} stored record(s) were written in the clear while a storage key was in use (by a tab of the desk without the key?); they are not used.`,
  'sealed-without-key': (count) => `${count} stored record(s) are encrypted and no storage key was given; they are not shown.`,
};

/** The codec, telling `report` of every record it could not open (once per reason and read). */
function reportingCodec(codec: RecordCodec, report: (event: DatabaseEvent) => void): RecordCodec {
  const pending = new Map<UnreadableRecord, number>();
  const flush = (): void => {
    for (const [reason, count] of pending) report({ type: 'unreadable', reason, count, message: UNREADABLE_MESSAGES[reason](count) });
    pending.clear();
  };
  return {
    encrypted: codec.encrypted,
    seal: (store, key, record, plain) => codec.seal(store, key, record, plain),
    async open(store, key, stored) {
      const opened = await codec.open(store, key, stored);
      if (typeof opened === 'string') {
        if (pending.size === 0) setTimeout(flush, 0);
        pending.set(opened, (pending.get(opened) ?? 0) + 1);
      }
      return opened;
    },
  };
}

/** The IndexedDB storage of one agent on one backend. Nothing is opened until it is first used. */
export function openDeskStorage(options: OpenDeskStorageOptions): DeskStorage {
  const now = options.now ?? Date.now;
  const events = new Subject<DatabaseEvent>();
  const database = new DeskDatabase(databaseName(options.namespace), { now, onEvent: (event) => events.next(event) });
  const codec = reportingCodec(options.key ? encryptingCodec(options.key, database.name) : PLAIN_CODEC, (event) => events.next(event));
  const attempt = async <T>(work: (db: IDBPDatabase<DeskDB>) => Promise<T>): Promise<T> => {
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
  // Sealing and opening records is asynchronous, and an IndexedDB transaction must not wait for it: with a key,
  // calls run one after another, so each still sees every write asked for before it (as transactions do in order).
  let queue: Promise<unknown> | null = null;
  const run = <T>(work: (db: IDBPDatabase<DeskDB>) => Promise<T>): Promise<T> => {
    if (!codec.encrypted) return attempt(work);
    // First, what a page without the key left in the clear is sealed, so it is read (and sent) like the rest. If
    // that fails (no space, say), those records stay as they were and are reported as unreadable when read.
    queue ??= attempt((db) => sealClearRecords(db, codec)).catch(() => undefined);
    const next = queue.then(() => attempt(work));
    queue = next.catch(() => undefined);
    return next;
  };
  return {
    name: database.name,
    events$: events.asObservable(),
    encrypted: codec.encrypted,
    loadCache: () => run((db) => loadCache(db, codec)),
    writeCache: (write) => run((db) => writeCache(db, write, codec)),
    loadDrafts: () => run((db) => loadDrafts(db, codec)),
    writeDrafts: (changes) => run((db) => writeDrafts(db, changes, now(), codec)),
    listOutbox: () => run((db) => listOutbox(db, codec)),
    addToOutbox: (entry) => run((db) => addToOutbox(db, entry, codec)),
    updateOutboxEntry: (entry) => run((db) => updateOutboxEntry(db, entry, codec)),
    removeFromOutbox: (clientKey) => run((db) => removeFromOutbox(db, clientKey)),
    close() {
      // With a key, calls wait their turn in the queue: the last ones asked for (the drafts written as the store
      // stops) still run, then the connection closes.
      const last = queue;
      if (last) void last.then(() => database.close());
      else database.close();
      events.complete();
    },
  };
}

/** Deletes an agent's stored desk (on sign-out, say). Open desks on that namespace close theirs to let it. */
export async function deleteDeskStorage(namespace: string): Promise<void> {
  await deleteDB(databaseName(namespace));
}

/** How many replies an agent's stored outbox holds (readable with the key in use or not). */
export async function countUnsentInDeskStorage(namespace: string): Promise<number> {
  const database = new DeskDatabase(databaseName(namespace));
  try {
    return await countOutbox(await database.get());
  } catch (error: unknown) {
    throw toStorageError(error);
  } finally {
    database.close();
  }
}

/** The refusal to clear while `count` replies wait for the backend's confirmation. */
export function unsentError(count: number): StorageError {
  const one = count === 1;
  return new StorageError(
    'unsent',
    `${count} repl${one ? 'y has' : 'ies have'} not been confirmed by the server yet; clearing the desk's data now would lose ${one ? 'it' : 'them'}. Wait until ${one ? 'it is' : 'they are'} sent, or clear with { force: true } to drop ${one ? 'it' : 'them'}.`,
  );
}

export interface ClearDeskStorageOptions {
  /** Deletes even replies the backend has not confirmed (they are lost). Default: refuse while there are any. */
  readonly force?: boolean;
}

/**
 * The sign-out path: deletes an agent's stored desk (cache, drafts, outbox), but refuses, with a `StorageError`
 * of reason `unsent` and a readable message, while the outbox holds replies the backend has not confirmed, unless
 * `force` is set. Counts entries whether or not they can be decrypted.
 */
export async function clearDeskStorage(namespace: string, options: ClearDeskStorageOptions = {}): Promise<void> {
  if (!options.force) {
    const unsent = await countUnsentInDeskStorage(namespace);
    if (unsent > 0) throw unsentError(unsent);
  }
  try {
    await deleteDB(databaseName(namespace));
  } catch (error: unknown) {
    throw toStorageError(error);
  }
}
