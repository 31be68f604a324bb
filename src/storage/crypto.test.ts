import { expect } from '@esm-bundle/chai';
import { firstValueFrom, filter, take, toArray, timer, takeUntil } from 'rxjs';
import { makeConversation, makeCustomer, makeMessage, T0 } from '../../test/fakes/fixtures.js';
import { checkStorageKey, encryptingCodec, isEnvelope, PLAIN_CODEC, SEAL_FORMAT, type SealedEnvelope } from './crypto.js';
import { clearDeskStorage, openDeskStorage, type DeskStorage } from './desk-storage.js';
import { StorageError } from './errors.js';
import { DeskDatabase } from './open-db.js';
import { databaseName, type OutboxEntry } from './schema.js';
import type { DatabaseEvent } from './open-db.js';

const aesKey = (extractable = false, usages: KeyUsage[] = ['encrypt', 'decrypt']): Promise<CryptoKey> =>
  crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, extractable, usages);

const none = { conversations: [], customers: [], threads: [], removed: [] };

/** The stored record, with its sealed part as the bytes IndexedDB holds. */
const envelopeOf = (value: unknown): SealedEnvelope => value as SealedEnvelope;

function entry(clientKey: string, conversationId: string, text: string, seq = 1): OutboxEntry {
  return {
    clientKey,
    conversationId,
    seq,
    message: { conversationId, text, internal: false },
    authorName: 'Lin Agent',
    submittedAt: T0,
    attempts: 0,
    nextAttemptAt: null,
    state: 'pending',
    lastError: null,
  };
}

/** The `unreadable` reports a storage makes while `work` runs (and shortly after). */
async function unreadableDuring(storage: DeskStorage, work: () => Promise<unknown>): Promise<Extract<DatabaseEvent, { type: 'unreadable' }>[]> {
  const seen = firstValueFrom(
    storage.events$.pipe(
      filter((event): event is Extract<DatabaseEvent, { type: 'unreadable' }> => event.type === 'unreadable'),
      takeUntil(timer(300)),
      take(10),
      toArray(),
    ),
  );
  await work();
  return seen;
}

describe('storage: encryption at rest', () => {
  describe('the key', () => {
    it('accepts a non-extractable AES-GCM key for encrypt and decrypt', async () => {
      expect(() => checkStorageKey(undefined as unknown as CryptoKey)).to.throw(StorageError, /must be a CryptoKey/);
      checkStorageKey(await aesKey());
    });

    it('refuses an extractable key, another algorithm, or a key that cannot decrypt, each with a readable reason', async () => {
      const extractable = await aesKey(true);
      expect(() => checkStorageKey(extractable)).to.throw(StorageError, /extractable set to false/);
      const cbc = await crypto.subtle.generateKey({ name: 'AES-CBC', length: 256 }, false, ['encrypt', 'decrypt']);
      expect(() => checkStorageKey(cbc)).to.throw(StorageError, /AES-GCM key; this one is AES-CBC/);
      const encryptOnly = await aesKey(false, ['encrypt']);
      expect(() => checkStorageKey(encryptOnly)).to.throw(StorageError, /must allow "decrypt"/);
      expect(() => openDeskStorage({ namespace: `t-${crypto.randomUUID()}`, key: extractable })).to.throw(StorageError, /extractable/);
    });
  });

  describe('records', () => {
    it('round-trips a record, keeps only the named fields readable, and uses a fresh 96-bit IV for every record', async () => {
      const codec = encryptingCodec(await aesKey(), 'cc-workspace:agent-a');
      const message = makeMessage('m-1', 'c-1', { text: 'My card ends in 4242', sentAt: T0 });
      const sealed = await codec.seal('messages', message.id, message, ['id', 'conversationId', 'sentAt']);
      expect(Object.keys(sealed).sort()).to.deep.equal(['conversationId', 'id', 'sealed', 'sentAt']);
      expect(JSON.stringify(sealed)).to.not.contain('4242');
      expect(await codec.open('messages', message.id, sealed)).to.deep.equal(JSON.parse(JSON.stringify(message)));

      const count = 5000;
      const ivs = new Set<string>();
      const same = { conversationId: 'c-1', text: 'the same text every time' };
      for (let index = 0; index < count; index += 1) {
        const { sealed: envelope } = envelopeOf(await codec.seal('drafts', `c-${index}`, same, ['conversationId']));
        expect(envelope.iv.byteLength).to.equal(12);
        ivs.add(Array.from(envelope.iv, (byte) => byte.toString(16).padStart(2, '0')).join(''));
      }
      expect(ivs.size, 'distinct IVs').to.equal(count);
    });

    it('detects a record that was altered, moved to another record’s place, or given another IV', async () => {
      const codec = encryptingCodec(await aesKey(), 'cc-workspace:agent-a');
      const customer = makeCustomer('cu-1', { name: 'Grace Hopper' });
      const sealed = await codec.seal('customers', customer.id, customer, ['id']);
      const { iv, data } = envelopeOf(sealed).sealed;

      const flipped = new Uint8Array(data.slice(0));
      flipped[3] = (flipped[3] ?? 0) ^ 0x01;
      expect(await codec.open('customers', customer.id, { ...sealed, sealed: { iv, data: flipped.buffer } })).to.equal('does-not-open');
      expect(await codec.open('customers', 'cu-2', sealed), 'the same bytes under another key').to.equal('does-not-open');
      expect(await codec.open('drafts', customer.id, sealed), 'the same bytes in another store').to.equal('does-not-open');
      const otherIv = new Uint8Array(iv);
      otherIv[0] = (otherIv[0] ?? 0) ^ 0xff;
      expect(await codec.open('customers', customer.id, { ...sealed, sealed: { iv: otherIv, data } })).to.equal('does-not-open');
      expect(await codec.open('customers', customer.id, customer), 'a record in the clear').to.equal('not-sealed');
      expect(await PLAIN_CODEC.open('customers', customer.id, sealed), 'a sealed record without the key').to.equal('sealed-without-key');
    });

    it('binds a record to its database and to the sealed format: a copy in another agent’s database does not open', async () => {
      const key = await aesKey();
      const mine = encryptingCodec(key, 'cc-workspace:agent-a');
      const customer = makeCustomer('cu-1', { name: 'Grace Hopper' });
      const sealed = await mine.seal('customers', customer.id, customer, ['id']);
      expect(envelopeOf(sealed).sealed.format).to.equal(SEAL_FORMAT);
      expect(await mine.open('customers', customer.id, sealed)).to.deep.equal(JSON.parse(JSON.stringify(customer)));
      expect(await encryptingCodec(key, 'cc-workspace:agent-b').open('customers', customer.id, sealed), 'same key, another database').to.equal('does-not-open');
      const { iv, data } = envelopeOf(sealed).sealed;
      expect(await mine.open('customers', customer.id, { ...sealed, sealed: { format: SEAL_FORMAT + 1, iv, data } }), 'another format').to.equal('does-not-open');
      expect(await mine.open('customers', customer.id, { ...sealed, sealed: { iv, data } }), 'no format').to.equal('does-not-open');
      expect(await encryptingCodec(await aesKey(), 'cc-workspace:agent-a').open('customers', customer.id, sealed), 'another key').to.equal('does-not-open');
    });
  });

  describe('the desk storage with a key', () => {
    const opened: DeskStorage[] = [];
    afterEach(() => {
      for (const storage of opened.splice(0)) storage.close();
    });
    const open = (namespace: string, key?: CryptoKey): DeskStorage => {
      const storage = openDeskStorage({ namespace, ...(key ? { key } : {}), now: () => T0 });
      opened.push(storage);
      return storage;
    };

    async function fill(storage: DeskStorage): Promise<void> {
      await storage.writeCache({
        ...none,
        conversations: [makeConversation('c-1', { lastMessageAt: T0 + 1 }), makeConversation('c-2', { lastMessageAt: T0 + 2 })],
        customers: [makeCustomer('cu-c-1', { name: 'Ada Lovelace' }), makeCustomer('cu-c-2', { name: 'Alan Turing' })],
        threads: [{ conversationId: 'c-1', messages: [makeMessage('m-1', 'c-1', { text: 'My order has not arrived.' })] }],
      });
      await storage.writeDrafts([{ conversationId: 'c-2', text: 'Half-typed answer' }]);
      await storage.addToOutbox(entry('k-1', 'c-1', 'We refunded you'));
    }

    it('reads back what it wrote, and a wrong key shows nothing, says so readably, and loses nothing', async () => {
      const namespace = `enc-${crypto.randomUUID()}`;
      const key = await aesKey();
      const right = open(namespace, key);
      expect(right.encrypted).to.equal(true);
      await fill(right);
      expect((await right.loadCache()).conversations.map((conversation) => conversation.id)).to.deep.equal(['c-2', 'c-1']);
      expect((await right.loadCache()).threads[0]?.messages[0]?.text).to.equal('My order has not arrived.');
      expect((await right.loadDrafts()).map((draft) => draft.text)).to.deep.equal(['Half-typed answer']);
      expect((await right.listOutbox()).map((held) => held.message.text)).to.deep.equal(['We refunded you']);
      right.close();

      const wrong = open(namespace, await aesKey());
      const reports = await unreadableDuring(wrong, async () => {
        const cache = await wrong.loadCache();
        expect(cache.conversations).to.deep.equal([]);
        expect(cache.customers).to.deep.equal([]);
        expect(await wrong.loadDrafts()).to.deep.equal([]);
        expect(await wrong.listOutbox()).to.deep.equal([]);
      });
      expect(reports.map((report) => report.reason)).to.include('does-not-open');
      expect(reports.reduce((total, report) => total + report.count, 0)).to.equal(4);
      expect(reports[0]?.message).to.match(/could not be decrypted with the storage key/);
      wrong.close();

      // Nothing was deleted: the right key reads everything again.
      const again = open(namespace, key);
      expect((await again.loadCache()).conversations).to.have.length(2);
      expect(await again.listOutbox()).to.have.length(1);
    });

    it('closing waits for the writes asked for before it: a draft written as the desk stops is kept', async () => {
      const namespace = `enc-${crypto.randomUUID()}`;
      const key = await aesKey();
      const first = open(namespace, key);
      // As the store does when it stops: the last draft is asked for, then the storage is closed at once.
      const written = first.writeDrafts([{ conversationId: 'c-1', text: 'Typed just before the reload' }]);
      first.close();
      await written;
      const second = open(namespace, key);
      expect((await second.loadDrafts()).map((draft) => draft.text)).to.deep.equal(['Typed just before the reload']);
    });

    it('drops a tampered record with a report and shows the others', async () => {
      const namespace = `tamper-${crypto.randomUUID()}`;
      const storage = open(namespace, await aesKey());
      await fill(storage);
      const raw = new DeskDatabase(databaseName(namespace));
      const db = await raw.get();
      const stored = envelopeOf(await db.get('customers', 'cu-c-2'));
      const bytes = new Uint8Array(stored.sealed.data.slice(0));
      bytes[0] = (bytes[0] ?? 0) ^ 0x80;
      await db.put('customers', { ...(stored as unknown as { id: string }), sealed: { iv: stored.sealed.iv, data: bytes.buffer } } as never);
      // A record written in the clear by someone else is not taken either.
      await db.put('conversations', makeConversation('c-planted', { lastMessageAt: T0 + 9 }));
      raw.close();

      const reports = await unreadableDuring(storage, async () => {
        const cache = await storage.loadCache();
        expect(cache.conversations.map((conversation) => conversation.id)).to.deep.equal(['c-2', 'c-1']);
        expect(cache.customers.map((customer) => customer.name)).to.deep.equal(['Ada Lovelace']);
      });
      expect(reports.map((report) => [report.reason, report.count])).to.deep.include.members([
        ['not-sealed', 1],
        ['does-not-open', 1],
      ]);
    });

    it('a record copied into another agent’s database with the same key is dropped there, with a report', async () => {
      const key = await aesKey();
      const mine = `copy-a-${crypto.randomUUID()}`;
      const theirs = `copy-b-${crypto.randomUUID()}`;
      await fill(open(mine, key));
      const other = open(theirs, key);
      await other.writeDrafts([{ conversationId: 'c-9', text: 'their own draft' }]);
      const raw = new DeskDatabase(databaseName(mine));
      const draft = await (await raw.get()).get('drafts', 'c-2');
      raw.close();
      const target = new DeskDatabase(databaseName(theirs));
      await (await target.get()).put('drafts', draft as never);
      target.close();
      const reports = await unreadableDuring(other, async () => {
        expect((await other.loadDrafts()).map((held) => held.text)).to.deep.equal(['their own draft']);
      });
      expect(reports.map((report) => [report.reason, report.count])).to.deep.equal([['does-not-open', 1]]);
    });

    it('seals what a desk without a key wrote: outbox first, same keys and order, nothing left in the clear', async () => {
      const namespace = `reseal-${crypto.randomUUID()}`;
      const clear = open(namespace);
      await fill(clear);
      await clear.addToOutbox(entry('k-2', 'c-1', 'And here is the receipt', 2));
      await clear.addToOutbox(entry('k-0', 'c-3', 'Hello again', 3));
      clear.close();

      const key = await aesKey();
      const sealedStorage = open(namespace, key);
      const reports = await unreadableDuring(sealedStorage, async () => {
        const outbox = await sealedStorage.listOutbox();
        expect(outbox.map((held) => [held.clientKey, held.seq, held.message.text])).to.deep.equal([
          ['k-1', 1, 'We refunded you'],
          ['k-2', 2, 'And here is the receipt'],
          ['k-0', 3, 'Hello again'],
        ]);
        expect((await sealedStorage.loadDrafts()).map((draft) => draft.text)).to.deep.equal(['Half-typed answer']);
        const cache = await sealedStorage.loadCache();
        expect(cache.conversations.map((conversation) => conversation.id)).to.deep.equal(['c-2', 'c-1']);
        expect(cache.customers.map((customer) => customer.name).sort()).to.deep.equal(['Ada Lovelace', 'Alan Turing']);
        expect(cache.threads[0]?.messages[0]?.text).to.equal('My order has not arrived.');
      });
      expect(reports, 'nothing unreadable').to.deep.equal([]);

      // Every record of every store is sealed now, and no text of them is readable.
      const raw = new DeskDatabase(databaseName(namespace));
      const db = await raw.get();
      const stores = ['conversations', 'messages', 'customers', 'drafts', 'outbox'] as const;
      const records = (await Promise.all(stores.map((store) => db.getAll(store)))).flat();
      raw.close();
      expect(records).to.have.length(2 + 1 + 2 + 1 + 3);
      expect(records.filter((record) => !isEnvelope(record)), 'records in the clear').to.deep.equal([]);
      const text = JSON.stringify(records);
      for (const plain of ['We refunded you', 'receipt', 'Half-typed', 'Ada Lovelace', 'has not arrived']) expect(text).to.not.contain(plain);
      // A desk without the key now sees them as sealed: nothing is shown, nothing was lost.
      sealedStorage.close();
      expect(await open(namespace).listOutbox()).to.deep.equal([]);
    });

    it('refuses to clear while unsent replies wait, unless forced', async () => {
      const namespace = `clear-${crypto.randomUUID()}`;
      const storage = open(namespace, await aesKey());
      await fill(storage);
      storage.close();
      const refusal = await clearDeskStorage(namespace).then(
        () => null,
        (error: unknown) => error,
      );
      expect(refusal).to.be.instanceOf(StorageError);
      expect((refusal as StorageError).reason).to.equal('unsent');
      expect((refusal as StorageError).message).to.match(/1 reply has not been confirmed by the server yet.*force: true/);
      expect((await indexedDB.databases()).map((database) => database.name)).to.include(databaseName(namespace));

      await clearDeskStorage(namespace, { force: true });
      expect((await indexedDB.databases()).map((database) => database.name)).to.not.include(databaseName(namespace));
    });
  });
});
