import { openDB, type IDBPDatabase, type IDBPTransaction } from 'idb';
import type { UnreadableRecord } from './crypto.js';
import { StorageError, toStorageError } from './errors.js';
import { createVersion1Stores, type DraftRecordV1 } from './legacy/v1.js';
import { DATABASE_VERSION, type DeskDB } from './schema.js';

/**
 * One rung of the upgrade ladder: it takes a database at the version before it to its own. Rungs speak of the
 * schema as it was then, so they work on an untyped database; they may only wait on requests of `transaction`.
 */
export type Migration = (
  db: IDBPDatabase<unknown>,
  transaction: IDBPTransaction<unknown, string[], 'versionchange'>,
  context: { readonly now: number },
) => void | Promise<void>;

/** v0 → v1: conversations, messages and drafts. */
const toVersion1: Migration = (db) => createVersion1Stores(db);

/**
 * v1 → v2: the outbox (by conversation in submission order, and by submission order), a customer cache, the
 * conversation cache ordered by last activity (to bound it), and drafts gain `updatedAt`.
 */
const toVersion2: Migration = async (db, transaction, { now }) => {
  const outbox = db.createObjectStore('outbox', { keyPath: 'clientKey' });
  outbox.createIndex('by-conversation', ['conversationId', 'seq']);
  outbox.createIndex('by-seq', 'seq');
  db.createObjectStore('customers', { keyPath: 'id' });
  transaction.objectStore('conversations').createIndex('by-last-message', 'lastMessageAt');
  // A v1 draft has no time: it gets the time of the upgrade, which is the latest it can have been written.
  let cursor = await transaction.objectStore('drafts').openCursor();
  while (cursor) {
    const draft = cursor.value as DraftRecordV1 & { updatedAt?: number };
    await cursor.update({ ...draft, updatedAt: draft.updatedAt ?? now });
    cursor = await cursor.continue();
  }
};

/** `UPGRADES[n]` takes a database from version n to n + 1. */
export const UPGRADES: readonly Migration[] = [toVersion1, toVersion2];

/** What happens to the connection that the storage's user should know about. */
export type DatabaseEvent =
  /** Another tab holds an older version open: the upgrade waits until it closes (or reloads). */
  | { readonly type: 'blocked' }
  /** Another tab needs a newer version: this connection closed to let it, and opens again behind it. */
  | { readonly type: 'released' }
  /**
   * Another tab deleted the database (a sign-out, `clearLocalData()`): this connection closed for good, so this
   * page never writes the agent's data back; every later call rejects (`closed`). The desk goes on in memory.
   */
  | { readonly type: 'deleted' }
  /** The database is open (again) at the current version. */
  | { readonly type: 'opened' }
  /** It cannot be opened: a newer version of the desk upgraded it, or IndexedDB failed. */
  | { readonly type: 'failed'; readonly error: StorageError }
  /**
   * Records read were left out: sealed with another key or altered (`does-not-open`), not sealed though a key is
   * set, or sealed and no key given (see crypto.ts). `message` says so in words.
   */
  | { readonly type: 'unreadable'; readonly count: number; readonly reason: UnreadableRecord; readonly message: string };

export interface DeskDatabaseOptions {
  readonly onEvent?: (event: DatabaseEvent) => void;
  readonly now?: () => number;
  /** The version to open at; tests of the ladder use it, the desk always opens the current one. */
  readonly version?: number;
}

/** Runs the ladder from `oldVersion` up to `newVersion` inside the upgrade transaction. */
export async function runUpgrades(
  db: IDBPDatabase<unknown>,
  oldVersion: number,
  newVersion: number,
  transaction: IDBPTransaction<unknown, string[], 'versionchange'>,
  now: number,
): Promise<void> {
  for (let version = oldVersion; version < newVersion; version++) {
    const migration = UPGRADES[version];
    if (!migration) throw new StorageError('failed', `No upgrade from version ${version} to ${version + 1}.`);
    await migration(db, transaction, { now });
  }
}

/**
 * The desk's connection to its database: opened on first use, closed when another tab needs a newer version
 * (so that tab is not stuck) and opened again right after, which tells whether this page is now outdated.
 */
export class DeskDatabase {
  private opening: Promise<IDBPDatabase<DeskDB>> | null = null;
  private closed = false;
  private closedBecause = 'The desk storage is closed.';

  constructor(
    readonly name: string,
    private readonly options: DeskDatabaseOptions = {},
  ) {}

  /** The open database; rejects with a StorageError when it cannot be opened. */
  get(): Promise<IDBPDatabase<DeskDB>> {
    if (this.closed) return Promise.reject(new StorageError('closed', this.closedBecause));
    this.opening ??= this.open();
    return this.opening;
  }

  /** True once `close()` was called. */
  get isClosed(): boolean {
    return this.closed;
  }

  /**
   * Closes the connection for good (the store stopped). Calls made before this one still run: they asked for the
   * database first, so they get it first, and a connection closes only after its transactions complete.
   */
  close(): void {
    this.closed = true;
    const opening = this.opening;
    this.opening = null;
    opening?.then((db) => db.close(), () => undefined);
  }

  private open(): Promise<IDBPDatabase<DeskDB>> {
    const now = this.options.now ?? Date.now;
    const version = this.options.version ?? DATABASE_VERSION;
    const emit = (event: DatabaseEvent): void => this.options.onEvent?.(event);
    let database: IDBPDatabase<DeskDB> | undefined;
    const opening = openDB<DeskDB>(this.name, version, {
      upgrade: (db, oldVersion, newVersion, transaction) => {
        const untyped = db as unknown as IDBPDatabase<unknown>;
        const tx = transaction as unknown as IDBPTransaction<unknown, string[], 'versionchange'>;
        // A failed rung aborts the whole upgrade: the database stays at its old version with every record.
        runUpgrades(untyped, oldVersion, newVersion ?? version, tx, now()).catch(() => {
          try {
            tx.abort();
          } catch {
            // Already finished or aborted: the open request reports it.
          }
        });
      },
      blocked: () => emit({ type: 'blocked' }),
      blocking: (_current, next) => {
        // Let the other tab have the database.
        database?.close();
        if (next === null && this.opening === opening && !this.closed) {
          // A delete is a sign-out elsewhere: opening again would write this agent's data back after it.
          this.close();
          this.closedBecause = "The desk's storage was deleted by another tab (sign-out); this page keeps nothing in the browser now.";
          emit({ type: 'deleted' });
          return;
        }
        // An upgrade: queue behind it, then find out whether this page is now outdated.
        if (this.opening === opening && !this.closed) {
          emit({ type: 'released' });
          this.opening = this.open();
          this.opening.catch(() => undefined);
        }
      },
      terminated: () => {
        // The browser closed it (storage cleared, say): the next use opens it again.
        if (this.opening === opening) this.opening = null;
      },
    }).then(
      (db) => {
        database = db;
        // Closed meanwhile: `close()` closes it once the calls that were already waiting for it have begun.
        if (!this.closed) emit({ type: 'opened' });
        return db;
      },
      (error: unknown) => {
        const storageError = toStorageError(error);
        emit({ type: 'failed', error: storageError });
        // An outdated page stays outdated; other failures may pass (another tab finished), so the next use tries again.
        if (storageError.reason !== 'outdated' && this.opening === opening) this.opening = null;
        throw storageError;
      },
    );
    return opening;
  }
}
