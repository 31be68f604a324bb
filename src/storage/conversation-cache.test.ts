import { expect } from '@esm-bundle/chai';
import type { IDBPDatabase } from 'idb';
import { makeConversation, makeCustomer, makeMessage, T0 } from '../../test/fakes/fixtures.js';
import { CACHE_LIMITS, loadCache, writeCache } from './conversation-cache.js';
import { loadDrafts, writeDrafts } from './drafts.js';
import { DeskDatabase } from './open-db.js';
import { databaseName, type DeskDB } from './schema.js';

const none = { conversations: [], customers: [], threads: [], removed: [] };

describe('storage: conversation cache and drafts', () => {
  let database: DeskDatabase;
  let db: IDBPDatabase<DeskDB>;

  beforeEach(async () => {
    database = new DeskDatabase(databaseName(`test-${crypto.randomUUID()}`));
    db = await database.get();
  });
  afterEach(() => database.close());

  it('reads back conversations newest first, their customers and the last page of each thread', async () => {
    const page = Array.from({ length: CACHE_LIMITS.messagesPerConversation + 5 }, (_, index) => makeMessage(`m-${index}`, 'c-1', { sentAt: T0 + index }));
    await writeCache(db, {
      ...none,
      conversations: [makeConversation('c-1', { lastMessageAt: T0 + 1 }), makeConversation('c-2', { lastMessageAt: T0 + 2 })],
      customers: [makeCustomer('cu-c-1'), makeCustomer('cu-c-2')],
      threads: [{ conversationId: 'c-1', messages: page }],
    });
    const cache = await loadCache(db);
    expect(cache.conversations.map((conversation) => conversation.id)).to.deep.equal(['c-2', 'c-1']);
    expect(cache.customers.map((customer) => customer.id).sort()).to.deep.equal(['cu-c-1', 'cu-c-2']);
    expect(cache.threads).to.have.length(1);
    expect(cache.threads[0]?.messages.map((message) => message.id), 'the last page, oldest first').to.deep.equal(
      page.slice(-CACHE_LIMITS.messagesPerConversation).map((message) => message.id),
    );

    // A newer page replaces the cached one; a removed conversation goes with its messages.
    await writeCache(db, { ...none, threads: [{ conversationId: 'c-1', messages: [makeMessage('m-new', 'c-1')] }] });
    expect((await loadCache(db)).threads[0]?.messages.map((message) => message.id)).to.deep.equal(['m-new']);
    await writeCache(db, { ...none, removed: ['c-1'] });
    const after = await loadCache(db);
    expect(after.conversations.map((conversation) => conversation.id)).to.deep.equal(['c-2']);
    expect(await db.count('messages')).to.equal(0);
  });

  it('stays bounded: the least recently active conversations go first, with their messages', async () => {
    const count = CACHE_LIMITS.conversations + 5;
    const conversations = Array.from({ length: count }, (_, index) => makeConversation(`c-${index}`, { lastMessageAt: T0 + index }));
    await writeCache(db, {
      ...none,
      conversations,
      threads: [{ conversationId: 'c-0', messages: [makeMessage('m-old', 'c-0')] }, { conversationId: `c-${count - 1}`, messages: [makeMessage('m-new', `c-${count - 1}`)] }],
    });
    expect(await db.count('conversations')).to.equal(CACHE_LIMITS.conversations);
    expect(await db.get('conversations', 'c-4')).to.equal(undefined);
    expect(await db.get('conversations', 'c-5')).to.not.equal(undefined);
    expect((await db.getAll('messages')).map((message) => message.id)).to.deep.equal(['m-new']);
    const cache = await loadCache(db);
    expect(cache.conversations).to.have.length(CACHE_LIMITS.conversations);
    expect(cache.conversations[0]?.id).to.equal(`c-${count - 1}`);
  });

  it('replaces everything after a snapshot', async () => {
    await writeCache(db, { ...none, conversations: [makeConversation('c-1'), makeConversation('c-2')], customers: [makeCustomer('cu-c-1')], threads: [{ conversationId: 'c-1', messages: [makeMessage('m-1', 'c-1')] }] });
    await writeCache(db, { ...none, replace: true, conversations: [makeConversation('c-2', { lastMessagePreview: 'newer' })], customers: [makeCustomer('cu-c-2')] });
    const cache = await loadCache(db);
    expect(cache.conversations).to.deep.equal([makeConversation('c-2', { lastMessagePreview: 'newer' })]);
    expect(cache.customers.map((customer) => customer.id)).to.deep.equal(['cu-c-2']);
    expect(await db.count('messages')).to.equal(0);
  });

  it('keeps one draft per conversation, and an empty text deletes it', async () => {
    await writeDrafts(db, [{ conversationId: 'c-1', text: 'first' }, { conversationId: 'c-2', text: 'other' }], T0);
    await writeDrafts(db, [{ conversationId: 'c-1', text: 'second' }], T0 + 5);
    expect(await loadDrafts(db)).to.deep.equal([
      { conversationId: 'c-1', text: 'second', updatedAt: T0 + 5 },
      { conversationId: 'c-2', text: 'other', updatedAt: T0 },
    ]);
    await writeDrafts(db, [{ conversationId: 'c-2', text: '' }], T0 + 6);
    expect((await loadDrafts(db)).map((draft) => draft.conversationId)).to.deep.equal(['c-1']);
  });
});
