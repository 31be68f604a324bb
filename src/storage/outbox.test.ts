import { expect } from '@esm-bundle/chai';
import type { IDBPDatabase } from 'idb';
import { T0 } from '../../test/fakes/fixtures.js';
import { writeDrafts } from './drafts.js';
import { isQuotaExceeded, StorageError, toStorageError } from './errors.js';
import { DeskDatabase } from './open-db.js';
import { addToOutbox, listConversationOutbox, listOutbox, removeFromOutbox, updateOutboxEntry } from './outbox.js';
import { databaseName, type DeskDB, type OutboxEntry } from './schema.js';

function entry(clientKey: string, conversationId: string, seq: number, overrides: Partial<OutboxEntry> = {}): OutboxEntry {
  return {
    clientKey,
    conversationId,
    seq,
    message: { conversationId, text: `text ${clientKey}`, internal: false },
    authorName: 'Ada',
    submittedAt: T0 + seq,
    attempts: 0,
    nextAttemptAt: null,
    state: 'pending',
    lastError: null,
    ...overrides,
  };
}

/** A database whose every transaction fails as a full disk does. */
function fullDisk(db: IDBPDatabase<DeskDB>): IDBPDatabase<DeskDB> {
  return new Proxy(db, {
    get(target, property, receiver) {
      if (property === 'transaction') {
        return () => {
          throw new DOMException('', 'QuotaExceededError');
        };
      }
      const value: unknown = Reflect.get(target, property, receiver);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

describe('storage: outbox', () => {
  let database: DeskDatabase;
  let db: IDBPDatabase<DeskDB>;

  beforeEach(async () => {
    database = new DeskDatabase(databaseName(`test-${crypto.randomUUID()}`));
    db = await database.get();
  });
  afterEach(() => database.close());

  it('keeps entries in submission order, per conversation and overall, whatever order they were written in', async () => {
    await addToOutbox(db, entry('k-3', 'c-1', 30));
    await addToOutbox(db, entry('k-1', 'c-1', 10));
    await addToOutbox(db, entry('k-2', 'c-2', 20));
    await addToOutbox(db, entry('k-4', 'c-2', 40));
    await addToOutbox(db, entry('k-0', 'c-10', 5));

    expect((await listOutbox(db)).map((held) => held.clientKey)).to.deep.equal(['k-0', 'k-1', 'k-2', 'k-3', 'k-4']);
    expect((await listConversationOutbox(db, 'c-1')).map((held) => held.clientKey)).to.deep.equal(['k-1', 'k-3']);
    expect((await listConversationOutbox(db, 'c-2')).map((held) => held.clientKey)).to.deep.equal(['k-2', 'k-4']);
    expect((await listConversationOutbox(db, 'c-10')).map((held) => held.clientKey), 'c-1 is not a prefix match').to.deep.equal(['k-0']);
  });

  it('stores the whole message with its key, and drops the draft in the same write', async () => {
    await writeDrafts(db, [{ conversationId: 'c-1', text: 'Refund issued' }, { conversationId: 'c-2', text: 'other' }], T0);
    const send = entry('k-1', 'c-1', 1, {
      message: { conversationId: 'c-1', text: 'Refund issued', internal: false, email: { subject: 'Re: refund', to: ['a@x.io'], cc: [] } },
    });
    await addToOutbox(db, send);
    expect(await listOutbox(db)).to.deep.equal([send]);
    expect((await db.getAll('drafts')).map((draft) => draft.conversationId)).to.deep.equal(['c-2']);
  });

  it('updates an entry it holds, never one already confirmed, and removes on confirmation', async () => {
    await addToOutbox(db, entry('k-1', 'c-1', 1));
    await updateOutboxEntry(db, entry('k-1', 'c-1', 1, { state: 'in-flight', attempts: 1 }));
    expect((await listOutbox(db))[0]).to.include({ state: 'in-flight', attempts: 1 });

    await removeFromOutbox(db, 'k-1');
    // A late write of the attempt's outcome must not bring the confirmed send back.
    await updateOutboxEntry(db, entry('k-1', 'c-1', 1, { state: 'pending', attempts: 1 }));
    expect(await listOutbox(db)).to.deep.equal([]);
  });

  it('surfaces a full disk as a quota error with a readable message', async () => {
    const caught = await addToOutbox(fullDisk(db), entry('k-1', 'c-1', 1)).then(
      () => null,
      (error: unknown) => error,
    );
    expect(caught).to.be.instanceOf(DOMException);
    const error = toStorageError(caught);
    expect(error).to.be.instanceOf(StorageError);
    expect(error.reason).to.equal('quota');
    expect(error.message).to.match(/no storage space/i);
    // A transaction aborted by the quota carries it in `error`.
    expect(isQuotaExceeded({ name: 'AbortError', error: new DOMException('', 'QuotaExceededError') })).to.equal(true);
    expect(isQuotaExceeded(new DOMException('', 'AbortError'))).to.equal(false);
    expect(await listOutbox(db), 'nothing half-written').to.deep.equal([]);
  });
});
