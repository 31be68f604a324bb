import { StorageError } from './errors.js';

/**
 * Encryption at rest of the desk's IndexedDB records (the conversation cache, drafts and the outbox), with a key
 * the host provides: an AES-GCM `CryptoKey` that is NOT extractable, so script on the page can use it but never
 * read it out (a host keeps it, say, in its own IndexedDB, where a CryptoKey is stored without its bytes).
 *
 * Each record is sealed on its own: its JSON is encrypted with a fresh random 96-bit IV (never reused: 2^-32 odds
 * of a repeat only after about 2^32 records under one key), and authenticated together with where it lives (the
 * database, which names the agent and backend; the store; the primary key) and the sealed format's version as
 * additional data, so a record altered, moved to another record's place, or copied into another agent's database
 * fails to open. Fields that IndexedDB needs as keys or indexes (ids, times, order) stay readable; none of them is
 * personal data.
 *
 * Not covered: rolling a record back to an older sealed copy of itself (same place, same key). A write counter
 * would have to live somewhere an attacker who can rewrite IndexedDB cannot roll back with it; nothing in the
 * browser is such a place, so the desk does not pretend to detect it.
 */

/** What is stored instead of a record: its key and index fields, and the sealed rest. */
export interface SealedEnvelope {
  readonly sealed: {
    /** The sealed format ({@link SEAL_FORMAT}); authenticated with the record. */
    readonly format: number;
    /** 12 random bytes, unique to this record and this write. */
    readonly iv: Uint8Array<ArrayBuffer>;
    /** AES-GCM ciphertext with its 128-bit tag. */
    readonly data: ArrayBuffer;
  };
}

/** Why a record could not be read: it is not sealed though a key is set, or it does not open with the key. */
export type UnreadableRecord = 'not-sealed' | 'sealed-without-key' | 'does-not-open';

/**
 * The version of the sealed format (what is encrypted, and what the additional data names). It is authenticated:
 * a record of another format never opens as this one. Independent of the database schema version, which a
 * schema upgrade (run without the key) changes while the sealed records stay as they are.
 */
export const SEAL_FORMAT = 1;

const IV_BYTES = 12;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * Checks that a host's key fits: AES-GCM, for encrypt and decrypt, and not extractable. An extractable key is
 * refused: its bytes could be read by any script on the page and carried off with the data it protects.
 */
export function checkStorageKey(key: CryptoKey): void {
  if (typeof CryptoKey === 'undefined' || !(key instanceof CryptoKey)) {
    // Web Crypto exists only in secure contexts (https, or localhost).
    throw new StorageError('failed', 'The storage key must be a CryptoKey (from crypto.subtle.generateKey or importKey, on an https page).');
  }
  if (key.algorithm.name !== 'AES-GCM') throw new StorageError('failed', `The storage key must be an AES-GCM key; this one is ${key.algorithm.name}.`);
  if (key.extractable) {
    throw new StorageError(
      'failed',
      'The storage key is extractable: create it with extractable set to false, so no script can read it out. Encryption at rest is not turned on with this key.',
    );
  }
  for (const usage of ['encrypt', 'decrypt'] as const) {
    if (!key.usages.includes(usage)) throw new StorageError('failed', `The storage key must allow "${usage}".`);
  }
}

/** True for a record as `seal` stores it (whether or not it opens). */
export const isEnvelope = (value: unknown): value is SealedEnvelope => {
  if (typeof value !== 'object' || value === null || !('sealed' in value)) return false;
  const sealed = (value as { sealed: unknown }).sealed;
  return typeof sealed === 'object' && sealed !== null && (sealed as { iv?: unknown }).iv instanceof Uint8Array && (sealed as { data?: unknown }).data instanceof ArrayBuffer;
};

/**
 * The additional authenticated data: the format and the record's place (database, store, key), so it cannot be
 * swapped for another record nor copied into another agent's database. JSON keeps the parts apart whatever
 * characters they hold.
 */
const placeOf = (format: number, database: string, store: string, key: string): Uint8Array<ArrayBuffer> =>
  encoder.encode(JSON.stringify(['cc-workspace-sealed', format, database, store, key]));

/**
 * Turns records into what is stored and back. `plain` names the fields kept readable (keys and indexes). Sealing
 * and opening are asynchronous: callers seal before opening an IndexedDB transaction and open after it ends (an
 * IndexedDB transaction ends when it waits for anything else).
 */
export interface RecordCodec {
  /** True when records are sealed. */
  readonly encrypted: boolean;
  seal<T extends object>(store: string, key: string, record: T, plain: readonly (keyof T & string)[]): Promise<T>;
  /** The record, or why it cannot be read. */
  open<T extends object>(store: string, key: string, stored: T): Promise<T | UnreadableRecord>;
}

/** Records as they are: no key given. A sealed record found then cannot be read (the key is missing). */
export const PLAIN_CODEC: RecordCodec = {
  encrypted: false,
  seal: (_store, _key, record) => Promise.resolve(record),
  open: (_store, _key, stored) => Promise.resolve(isEnvelope(stored) ? 'sealed-without-key' : stored),
};

/**
 * Seals and opens records with the host's key (checked with `checkStorageKey`), for the database named
 * `database` (the records' namespace: a record sealed for one database does not open in another).
 */
export function encryptingCodec(key: CryptoKey, database: string): RecordCodec {
  checkStorageKey(key);
  return {
    encrypted: true,
    async seal(store, recordKey, record, plain) {
      const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES));
      const data = await crypto.subtle.encrypt(
        { name: 'AES-GCM', iv, additionalData: placeOf(SEAL_FORMAT, database, store, recordKey) },
        key,
        encoder.encode(JSON.stringify(record)),
      );
      const kept: Record<string, unknown> = {};
      for (const field of plain) kept[field] = record[field];
      const envelope: SealedEnvelope = { sealed: { format: SEAL_FORMAT, iv, data } };
      // Stored in place of the record: IndexedDB reads the key and index fields from it.
      return { ...kept, ...envelope } as unknown as typeof record;
    },
    async open(store, recordKey, stored) {
      if (!isEnvelope(stored)) return 'not-sealed';
      // Only this format is known; the format is authenticated too, so changing it does not help.
      if (stored.sealed.format !== SEAL_FORMAT) return 'does-not-open';
      try {
        const clear = await crypto.subtle.decrypt(
          { name: 'AES-GCM', iv: stored.sealed.iv, additionalData: placeOf(stored.sealed.format, database, store, recordKey) },
          key,
          stored.sealed.data,
        );
        return JSON.parse(decoder.decode(clear)) as typeof stored;
      } catch {
        // A wrong key and an altered record look the same to AES-GCM: the tag does not match.
        return 'does-not-open';
      }
    },
  };
}

/** Opens many records; the unreadable ones are left out and counted. */
export async function openAll<T extends object>(
  codec: RecordCodec,
  store: string,
  records: readonly T[],
  keyOf: (record: T) => string,
): Promise<{ readonly records: T[]; readonly unreadable: number }> {
  const opened: (T | UnreadableRecord)[] = await Promise.all(records.map((record) => codec.open(store, keyOf(record), record)));
  const readable = opened.filter((record): record is T => typeof record !== 'string');
  return { records: readable, unreadable: opened.length - readable.length };
}
