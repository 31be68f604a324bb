import { expect } from '@esm-bundle/chai';
import { openDB } from 'idb';
import { makeConversation, makeMessage, T0 } from '../../test/fakes/fixtures.js';
import { deleteDeskStorage, openDeskStorage, type DeskStorage } from './desk-storage.js';
import { StorageError } from './errors.js';
import { openDatabaseAtVersion1 } from './legacy/v1.js';
import type { DatabaseEvent } from './open-db.js';
import { DATABASE_VERSION, databaseName } from './schema.js';

const UPGRADED_AT = T0 + 86_400_000;

/** A namespace no other test uses, so each test starts from an empty origin's worth of nothing. */
const freshNamespace = (): string => `test-${crypto.randomUUID()}`;

async function until(condition: () => boolean, what: string, timeoutMs = 3000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error(`Timed out waiting for: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Records a storage's connection events. */
function watch(storage: DeskStorage): DatabaseEvent['type'][] {
  const seen: DatabaseEvent['type'][] = [];
  storage.events$.subscribe((event) => seen.push(event.type));
  return seen;
}

describe('storage: schema versions', () => {
  const opened: DeskStorage[] = [];
  const track = (storage: DeskStorage): DeskStorage => {
    opened.push(storage);
    return storage;
  };
  afterEach(() => {
    for (const storage of opened.splice(0)) storage.close();
  });

  it('upgrades a database written by the previous version and keeps every record', async () => {
    const namespace = freshNamespace();
    const v1 = await openDatabaseAtVersion1(databaseName(namespace));
    const conversations = [
      makeConversation('c-1', { lastMessageAt: T0 + 3 }),
      makeConversation('c-2', { lastMessageAt: T0 + 1, channel: 'email', subject: 'Invoice' }),
      makeConversation('c-3', { lastMessageAt: T0 + 2, lastMessagePreview: '你好' }),
    ];
    const messages = [
      makeMessage('m-1', 'c-1', { sentAt: T0 }),
      makeMessage('m-2', 'c-1', { sentAt: T0 + 1, direction: 'outbound', clientKey: 'k-2' }),
      makeMessage('m-3', 'c-2', { sentAt: T0, text: 'Attached.', attachments: [{ id: 'f-1', name: 'a.pdf', mimeType: 'application/pdf', size: 3, url: 'https://x/a.pdf' }] }),
    ];
    const drafts = [
      { conversationId: 'c-1', text: 'Half a reply' },
      { conversationId: 'c-3', text: '稍等，我查一下' },
    ];
    for (const conversation of conversations) await v1.put('conversations', conversation);
    for (const message of messages) await v1.put('messages', message);
    for (const draft of drafts) await v1.put('drafts', draft);
    v1.close();

    const storage = track(openDeskStorage({ namespace, now: () => UPGRADED_AT }));
    const cache = await storage.loadCache();
    expect(cache.conversations.map((conversation) => conversation.id), 'most recently active first').to.deep.equal(['c-1', 'c-3', 'c-2']);
    expect(cache.conversations).to.deep.include.members(conversations);
    expect(cache.threads).to.deep.equal([
      { conversationId: 'c-1', messages: messages.slice(0, 2) },
      { conversationId: 'c-2', messages: [messages[2]] },
    ]);
    expect(await storage.loadDrafts()).to.deep.equal(drafts.map((draft) => ({ ...draft, updatedAt: UPGRADED_AT })));
    expect(await storage.listOutbox(), 'the new outbox starts empty').to.deep.equal([]);

    // The same records, raw: nothing lost or added, and the database is at the current version with the new stores.
    storage.close();
    const raw = await openDB(databaseName(namespace));
    try {
      expect(raw.version).to.equal(DATABASE_VERSION);
      expect([...raw.objectStoreNames].sort()).to.deep.equal(['conversations', 'customers', 'drafts', 'messages', 'outbox']);
      expect(await raw.count('conversations')).to.equal(3);
      expect(await raw.count('messages')).to.equal(3);
      expect(await raw.count('drafts')).to.equal(2);
      const outbox = raw.transaction('outbox').store;
      expect([...outbox.indexNames].sort()).to.deep.equal(['by-conversation', 'by-seq']);
      expect([...raw.transaction('conversations').store.indexNames]).to.deep.equal(['by-last-message']);
    } finally {
      raw.close();
    }
  });

  it('creates the current schema on an empty origin', async () => {
    const storage = track(openDeskStorage({ namespace: freshNamespace() }));
    expect(await storage.loadCache()).to.deep.equal({ conversations: [], customers: [], threads: [] });
    expect(await storage.loadDrafts()).to.deep.equal([]);
    expect(await storage.listOutbox()).to.deep.equal([]);
  });

  it('waits while another tab holds the previous version open, says so, and upgrades once it closes', async () => {
    const namespace = freshNamespace();
    // An old tab that does not give way when asked (the previous version's default).
    const oldTab = await openDatabaseAtVersion1(databaseName(namespace), { closeOnVersionChange: false });
    await oldTab.put('drafts', { conversationId: 'c-1', text: 'typed in the old tab' });

    const storage = track(openDeskStorage({ namespace, now: () => UPGRADED_AT }));
    const events = watch(storage);
    let loaded: unknown = null;
    const loading = storage.loadDrafts().then((drafts) => (loaded = drafts));
    await until(() => events.includes('blocked'), 'the upgrade to be reported as blocked');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(loaded, 'nothing is read while the old tab blocks the upgrade').to.equal(null);

    oldTab.close();
    await loading;
    expect(loaded).to.deep.equal([{ conversationId: 'c-1', text: 'typed in the old tab', updatedAt: UPGRADED_AT }]);
    expect(events).to.deep.equal(['blocked', 'opened']);
  });

  it('gives way to a tab that needs a newer version, then reports this page as outdated', async () => {
    const namespace = freshNamespace();
    const storage = track(openDeskStorage({ namespace }));
    const events = watch(storage);
    await storage.writeDrafts([{ conversationId: 'c-1', text: 'kept' }]);

    let newerBlocked = false;
    const newer = await openDB(databaseName(namespace), DATABASE_VERSION + 1, {
      upgrade(db) {
        db.createObjectStore('from-the-future');
      },
      blocked() {
        newerBlocked = true;
      },
    });
    try {
      expect(newerBlocked, 'this page closed its connection instead of blocking the newer tab').to.equal(false);
      await until(() => events.includes('failed'), 'the reopen to fail');
      expect(events).to.deep.equal(['opened', 'released', 'failed']);
      const error = await storage.writeDrafts([{ conversationId: 'c-1', text: 'lost?' }]).then(
        () => null,
        (caught: unknown) => caught,
      );
      expect(error).to.be.instanceOf(StorageError);
      expect((error as StorageError).reason).to.equal('outdated');
      expect(await newer.get('drafts', 'c-1'), 'the newer version has the records').to.include({ text: 'kept' });
    } finally {
      newer.close();
    }
  });

  it('gives way to a delete (sign-out in another tab) and never writes the agent’s data back after it', async () => {
    const namespace = freshNamespace();
    const storage = track(openDeskStorage({ namespace }));
    const events = watch(storage);
    await storage.writeDrafts([{ conversationId: 'c-1', text: 'private' }]);
    await deleteDeskStorage(namespace);
    await until(() => events.includes('deleted'), 'the storage to report the delete');
    const refused = await storage.writeDrafts([{ conversationId: 'c-2', text: 'after' }]).then(
      () => null,
      (error: unknown) => error,
    );
    expect(refused).to.be.instanceOf(StorageError);
    expect((refused as StorageError).reason).to.equal('closed');
    expect((refused as StorageError).message).to.match(/deleted by another tab/);
    expect(await storage.loadCache().catch(() => 'refused')).to.equal('refused');
    expect((await indexedDB.databases()).map((database) => database.name), 'not created again').to.not.include(databaseName(namespace));
  });
});
