import type { IDBPDatabase } from 'idb';
import { CACHE_PLAIN_FIELDS } from './conversation-cache.js';
import { isEnvelope, type RecordCodec } from './crypto.js';
import { OUTBOX_PLAIN_FIELDS } from './outbox.js';
import type { DeskDB, DeskStoreName } from './schema.js';

/**
 * The stores in the order their clear records are sealed: the outbox first (unsent replies matter most), then
 * drafts, then the cache. Each with the fields that stay readable, as its writers keep them.
 */
const SEAL_ORDER: readonly { readonly store: DeskStoreName; readonly plain: readonly string[] }[] = [
  { store: 'outbox', plain: OUTBOX_PLAIN_FIELDS },
  { store: 'drafts', plain: ['conversationId'] },
  { store: 'conversations', plain: CACHE_PLAIN_FIELDS.conversations },
  { store: 'customers', plain: CACHE_PLAIN_FIELDS.customers },
  { store: 'messages', plain: CACHE_PLAIN_FIELDS.messages },
];

/**
 * Seals the records a page wrote before encryption was turned on (a desk that ran without `storageKey`), in
 * place: each clear record is replaced by its sealed copy under the same key, so the clear copy is gone. Outbox
 * entries keep their client key (the idempotency key of every attempt) and their order (`seq`), so they are sent
 * as before, once. Runs before anything else reads the storage with the key. A record that another tab changed or
 * removed meanwhile is left as it is (a removed outbox entry must not come back). Resolves with how many it sealed.
 */
export async function sealClearRecords(db: IDBPDatabase<DeskDB>, codec: RecordCodec): Promise<number> {
  if (!codec.encrypted) return 0;
  // The ladder of stores is the same for every store; the typed schema would only tell them apart.
  const untyped = db as unknown as IDBPDatabase<unknown>;
  let sealed = 0;
  for (const { store, plain } of SEAL_ORDER) {
    const found: { readonly key: string; readonly record: object; readonly json: string }[] = [];
    const read = untyped.transaction(store, 'readonly');
    for (let cursor = await read.store.openCursor(); cursor; cursor = await cursor.continue()) {
      const record: unknown = cursor.value;
      if (typeof record === 'object' && record !== null && !isEnvelope(record)) {
        found.push({ key: String(cursor.primaryKey), record, json: JSON.stringify(record) });
      }
    }
    await read.done;
    if (found.length === 0) continue;
    // Sealed between the transactions: a transaction ends when it waits for anything but its own requests.
    const replacements = await Promise.all(found.map(({ key, record }) => codec.seal(store, key, record, plain as (keyof typeof record & string)[])));
    const write = untyped.transaction(store, 'readwrite');
    const current = await Promise.all(found.map(({ key }) => write.store.get(key)));
    const puts: Promise<unknown>[] = [];
    found.forEach(({ json }, index) => {
      const now: unknown = current[index];
      if (now === undefined || isEnvelope(now) || JSON.stringify(now) !== json) return;
      puts.push(write.store.put(replacements[index]));
    });
    await Promise.all([...puts, write.done]);
    sealed += puts.length;
  }
  return sealed;
}
