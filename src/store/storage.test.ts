import { expect } from '@esm-bundle/chai';
import { html, render } from 'lit';
import { ConnectorError } from '../connector/errors.js';
import type { Message } from '../connector/model.js';
import { renderMessage } from '../components/conversation/message-view.js';
import { translate } from '../i18n/i18n.js';
import type { DraftChange } from '../storage/drafts.js';
import { openDeskStorage, type DeskStorage } from '../storage/desk-storage.js';
import { openDatabaseAtVersion1 } from '../storage/legacy/v1.js';
import { databaseName, type OutboxEntry } from '../storage/schema.js';
import { FakeConnector, type FakeCallOf } from '../../test/fakes/fake-connector.js';
import { makeAgent, makeConversation, makeCustomer, makeEvent, makeMessage, makeSnapshot, T0 } from '../../test/fakes/fixtures.js';
import type { Action } from './action.js';
import * as actions from './actions.js';
import { createDeskStore, type DeskStore } from './create-store.js';
import { CACHE_WRITE_INTERVAL_MS } from './effects-storage.js';
import { retryDelay, STORE_WAIT_MS } from './effects-outbox.js';
import { selectNotices } from './selectors.js';
import type { DeskState } from './state.js';

const STREAM = 'conversations';

async function until(condition: () => boolean, what: string, timeoutMs = 3000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error(`Timed out waiting for: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** Reads the stored drafts (through a connection of its own) until there are `count` of them. */
async function untilStoredDrafts(reader: DeskStorage, count: number, timeoutMs = 3000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while ((await reader.loadDrafts()).length !== count) {
    if (performance.now() > deadline) throw new Error(`Timed out waiting for ${count} stored drafts`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

const unavailable = (): ConnectorError => new ConnectorError('unavailable', 'No connection.');

/** The backend's copy of a sent message, as `sendMessage` answers. */
function echo(call: FakeCallOf<'sendMessage'>): Message {
  const [draft, options] = call.args;
  return makeMessage(`m-${options?.idempotencyKey ?? 'x'}`, draft.conversationId, {
    direction: 'outbound',
    text: draft.text,
    delivery: 'sent',
    clientKey: options?.idempotencyKey ?? null,
  });
}

interface Desk {
  readonly fake: FakeConnector;
  readonly store: DeskStore;
  readonly storage: DeskStorage;
  readonly seen: Action[];
  state(): DeskState;
  /** Answers connect and the first snapshot: the desk goes live. */
  goLive(snapshot?: Parameters<typeof makeSnapshot>[0]): Promise<void>;
}

const submit = (conversationId: string, clientKey: string, text = `text ${clientKey}`) =>
  actions.messageSubmitted({ conversationId, clientKey, text, internal: false, authorName: 'Ada', submittedAt: T0 });

const liveSnapshot = { conversations: [makeConversation('c-1'), makeConversation('c-2')], customers: [makeCustomer('cu-c-1'), makeCustomer('cu-c-2')], sequences: { [STREAM]: 0 } };

describe('store with storage', () => {
  let namespace: string;
  let desks: Desk[] = [];

  /** A desk on this test's database; a second call is the same agent after a reload. */
  function desk(wrap: (storage: DeskStorage) => DeskStorage = (storage) => storage): Desk {
    const fake = new FakeConnector();
    const storage = wrap(openDeskStorage({ namespace }));
    const store = createDeskStore({ connector: fake, storage, ownsStorage: true });
    const seen: Action[] = [];
    store.actions$.subscribe((action) => seen.push(action));
    store.dispatch(actions.workspaceStarted());
    const created: Desk = {
      fake,
      store,
      storage,
      seen,
      state: () => store.getState(),
      async goLive(snapshot = liveSnapshot) {
        (await fake.waitForCall('connect', 0)).resolve({ agent: makeAgent() });
        (await fake.waitForCall('snapshot', 0)).resolve(makeSnapshot(snapshot));
        await until(() => store.getState().connection.sync === 'live', 'the desk to go live');
      },
    };
    desks.push(created);
    return created;
  }

  /** The page goes away: the store stops (aborting what is in flight) and closes its storage. */
  function reload(old: Desk): Desk {
    old.store.destroy();
    desks = desks.filter((held) => held !== old);
    return desk();
  }

  /** What the outbox holds in the database, read through a separate connection. */
  async function storedOutbox(): Promise<OutboxEntry[]> {
    const reader = openDeskStorage({ namespace });
    try {
      return await reader.listOutbox();
    } finally {
      reader.close();
    }
  }

  const threadMessage = (h: Desk, conversationId: string, clientKey: string): Message | undefined =>
    h.state().threads.byConversation.get(conversationId)?.messages.find((message) => message.clientKey === clientKey);

  beforeEach(() => {
    namespace = `test-${crypto.randomUUID()}`;
  });
  afterEach(() => {
    for (const held of desks.splice(0)) held.store.destroy();
  });

  describe('drafts', () => {
    it('brings a draft back after a reload, before the backend answers', async () => {
      const first = desk();
      await first.goLive();
      first.store.dispatch(actions.draftChanged({ conversationId: 'c-1', text: 'Half a reply' }));
      first.store.dispatch(actions.draftChanged({ conversationId: 'c-2', text: 'gone soon' }));
      first.store.dispatch(actions.draftChanged({ conversationId: 'c-2', text: '' }));
      // Reloaded at once, while the first write may still be under way: stopping writes what is left.
      const second = reload(first);
      await until(() => second.state().ui.drafts.get('c-1') === 'Half a reply', 'the draft to be back');
      expect(second.fake.calls('snapshot'), 'painted from storage, not from the backend').to.have.length(0);
      expect(second.state().ui.drafts.has('c-2')).to.equal(false);
    });

    it('asks for each change to be written at once, one write at a time, the newest text last', async () => {
      // A page can die without `pagehide` finishing (or firing): nothing may wait for the agent to pause.
      const writes: (readonly DraftChange[])[] = [];
      const settleWrites: (() => void)[] = [];
      let written = 0;
      const h = desk((storage) => ({
        ...storage,
        writeDrafts: (changes) => {
          writes.push(changes);
          return new Promise<void>((resolve) =>
            settleWrites.push(() =>
              void storage.writeDrafts(changes).then(() => {
                written += 1;
                resolve();
              }),
            ),
          );
        },
      }));
      await h.goLive();
      h.store.dispatch(actions.draftChanged({ conversationId: 'c-1', text: 'H' }));
      expect(writes, 'written as typed, not after a pause').to.deep.equal([[{ conversationId: 'c-1', text: 'H' }]]);
      for (const text of ['He', 'Hel', 'Hell', 'Hello']) h.store.dispatch(actions.draftChanged({ conversationId: 'c-1', text }));
      h.store.dispatch(actions.draftChanged({ conversationId: 'c-2', text: 'Other' }));
      expect(writes, 'nothing more while the first write is under way').to.have.length(1);
      settleWrites.shift()?.();
      await until(() => writes.length === 2, 'the second write');
      expect(writes[1], 'what changed meanwhile, newest text only').to.deep.equal([
        { conversationId: 'c-1', text: 'Hello' },
        { conversationId: 'c-2', text: 'Other' },
      ]);
      settleWrites.shift()?.();
      await until(() => written === 2, 'both writes stored');
      const reader = openDeskStorage({ namespace });
      try {
        expect((await reader.loadDrafts()).map(({ conversationId, text }) => [conversationId, text])).to.deep.equal([
          ['c-1', 'Hello'],
          ['c-2', 'Other'],
        ]);
      } finally {
        reader.close();
      }
    });

    it('writes drafts as they change, and keeps what the agent typed since the reload', async () => {
      const first = desk();
      await first.goLive();
      first.store.dispatch(actions.draftChanged({ conversationId: 'c-1', text: 'stored' }));
      first.store.dispatch(actions.composerTextInserted({ conversationId: 'c-2', text: 'From the knowledge base', source: 'knowledge' }));
      const reader = openDeskStorage({ namespace });
      try {
        await untilStoredDrafts(reader, 2);
        expect((await reader.loadDrafts()).map(({ conversationId, text }) => [conversationId, text])).to.deep.equal([
          ['c-1', 'stored'],
          ['c-2', 'From the knowledge base'],
        ]);
      } finally {
        reader.close();
      }
      first.store.destroy();
      desks = [];
      // The agent is quicker than the database: what they type now is not overwritten by the stored draft.
      const second = desk();
      second.store.dispatch(actions.draftChanged({ conversationId: 'c-1', text: 'typed after reload' }));
      await until(() => second.state().ui.drafts.get('c-2') === 'From the knowledge base', 'the drafts to be restored');
      expect(second.state().ui.drafts.get('c-1')).to.equal('typed after reload');
    });

    it('drops a sent message’s draft in the same write that stores the send', async () => {
      const first = desk();
      await first.goLive();
      first.fake.respond('sendMessage', () => Promise.reject(unavailable()));
      first.store.dispatch(actions.draftChanged({ conversationId: 'c-1', text: 'Refund issued' }));
      first.store.dispatch(submit('c-1', 'k-1', 'Refund issued'));
      await until(() => first.fake.calls('sendMessage').length === 1, 'the send');
      const second = reload(first);
      await until(() => threadMessage(second, 'c-1', 'k-1') !== undefined, 'the send to be restored');
      await pause(50);
      expect(second.state().ui.drafts.has('c-1'), 'the text is in the outbox, not in the draft too').to.equal(false);
    });
  });

  describe('the conversation cache', () => {
    it('paints conversations, customers and opened threads at once after a reload; the snapshot then wins', async () => {
      const first = desk();
      await first.goLive({
        conversations: [makeConversation('c-1', { lastMessagePreview: 'cached' }), makeConversation('c-2'), makeConversation('c-3')],
        customers: [makeCustomer('cu-c-1'), makeCustomer('cu-c-2'), makeCustomer('cu-c-3')],
        sequences: { [STREAM]: 0 },
      });
      first.fake.respond('markRead', (call) => makeConversation(call.args[0]));
      first.store.dispatch(actions.conversationSelected({ conversationId: 'c-1' }));
      (await first.fake.waitForCall('listMessages', 0)).resolve({ items: [makeMessage('m-1', 'c-1'), makeMessage('m-2', 'c-1')], nextCursor: null });
      await until(() => first.state().threads.byConversation.get('c-1')?.status === 'loaded', 'the thread');
      // Hiding the page writes the cache without waiting for the next interval.
      window.dispatchEvent(new Event('pagehide'));
      await pause(200);

      const second = reload(first);
      // A cache written by an agent who sees PII paints once the agent is known to still see it (access.test.ts).
      (await second.fake.waitForCall('connect', 0)).resolve({ agent: makeAgent() });
      await until(() => second.state().conversations.entities.size === 3, 'the cached conversations');
      expect(second.state().customers.entities.get('cu-c-1')?.name).to.equal('Customer cu-c-1');
      expect(second.state().threads.byConversation.get('c-1')?.messages.map((message) => message.id)).to.deep.equal(['m-1', 'm-2']);
      expect(second.state().connection.sync, 'before the snapshot').to.not.equal('live');

      // The backend's word replaces the cache; c-3 is gone from the agent's desk.
      (await second.fake.waitForCall('snapshot', 0)).resolve(makeSnapshot({
        conversations: [makeConversation('c-1', { lastMessagePreview: 'fresh' }), makeConversation('c-2')],
        customers: [makeCustomer('cu-c-1'), makeCustomer('cu-c-2')],
        sequences: { [STREAM]: 0 },
      }));
      await until(() => !second.state().conversations.entities.has('c-3'), 'the cached-only conversation to go');
      expect(second.state().conversations.entities.get('c-1')?.lastMessagePreview).to.equal('fresh');
    });

    it('does not paint over a snapshot that arrived first', async () => {
      const first = desk();
      await first.goLive({ conversations: [makeConversation('c-1', { lastMessagePreview: 'old' })], customers: [], sequences: { [STREAM]: 0 } });
      await pause(CACHE_WRITE_INTERVAL_MS + 200);
      first.store.destroy();
      desks = [];
      const second = desk();
      // Live on a snapshot before the cache is read: the cache must not replace it.
      await second.goLive({ conversations: [makeConversation('c-9')], customers: [], sequences: { [STREAM]: 0 } });
      await pause(100);
      expect(second.state().conversations.entities.keys()).to.deep.equal(['c-9']);
      expect(second.seen.some(actions.cacheRestored.match)).to.equal(false);
    });
  });

  describe('the outbox', () => {
    it('keeps sends the backend cannot take, "not confirmed", and flushes them in order when the connection is back', async () => {
      const h = desk();
      await h.goLive();
      h.fake.respond('sendMessage', () => Promise.reject(unavailable()));
      h.store.dispatch(submit('c-1', 'k-1', 'first'));
      h.store.dispatch(submit('c-1', 'k-2', 'second'));
      h.store.dispatch(submit('c-2', 'k-3', 'elsewhere'));
      await until(() => h.seen.filter(actions.messageSendDeferred.match).length === 2, 'the first attempts to be deferred');
      expect(h.fake.calls('sendMessage').map((call) => call.idempotencyKey), 'k-2 waits for k-1').to.deep.equal(['k-1', 'k-3']);
      expect(h.seen.some(actions.messageSendFailed.match), 'nothing is failed while the backend is unreachable').to.equal(false);
      expect(threadMessage(h, 'c-1', 'k-1')?.delivery).to.equal('sending');
      expect(h.state().threads.byConversation.get('c-1')?.sendErrors['k-1']?.message).to.equal('No connection.');
      expect((await storedOutbox()).map((entry) => [entry.clientKey, entry.state])).to.deep.equal([
        ['k-1', 'pending'],
        ['k-2', 'pending'],
        ['k-3', 'pending'],
      ]);

      // Offline: nothing is attempted, however long the pause (the first backoff is at most a second).
      h.fake.setState('disconnected');
      const before = h.fake.calls('sendMessage').length;
      await pause(1200);
      expect(h.fake.calls('sendMessage').length).to.equal(before);

      // Back online: the backend now holds the first request of k-1 while answering slowly.
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      h.fake.respond('sendMessage', async (call) => {
        if (call.idempotencyKey === 'k-1') await held;
        return echo(call);
      });
      h.fake.setState('connected');
      await until(() => h.fake.calls('sendMessage').length === before + 2, 'k-1 and k-3 to be sent again');
      await pause(50);
      expect(h.fake.calls('sendMessage').slice(before).map((call) => call.idempotencyKey).sort(), 'k-2 still waits for k-1').to.deep.equal(['k-1', 'k-3']);
      release();
      await until(() => h.seen.filter(actions.messageSent.match).length === 3, 'all three to be sent');

      const delivered = h.fake.calls('sendMessage').filter((call) => call.outcome === 'resolved');
      const c1 = delivered.filter((call) => call.args[0].conversationId === 'c-1').map((call) => call.args[0].text);
      expect(c1, 'in order within the conversation').to.deep.equal(['first', 'second']);
      expect(new Set(delivered.map((call) => call.idempotencyKey)).size, 'each delivered once').to.equal(3);
      await until(() => h.state().outbox.entries.size === 0, 'the outbox to empty');
      await pause(50);
      expect(await storedOutbox()).to.deep.equal([]);
      expect(threadMessage(h, 'c-1', 'k-2')?.delivery).to.equal('sent');
      expect(h.state().threads.byConversation.get('c-1')?.sendErrors).to.deep.equal({});
    });

    it('retries by itself after a growing pause while connected', async () => {
      const h = desk();
      await h.goLive();
      let failures = 0;
      h.fake.respond('sendMessage', (call) => (failures++ < 1 ? Promise.reject(unavailable()) : echo(call)));
      h.store.dispatch(submit('c-1', 'k-1'));
      await until(() => h.seen.some(actions.messageSent.match), 'the retry to go through', 3000);
      expect(h.fake.calls('sendMessage').map((call) => call.idempotencyKey)).to.deep.equal(['k-1', 'k-1']);
      expect(retryDelay(1, () => 0)).to.equal(500);
      expect(retryDelay(1, () => 1)).to.equal(1000);
      expect(retryDelay(3, () => 1)).to.equal(4000);
      expect(retryDelay(30, () => 1)).to.equal(60_000);
    });

    it('restores unconfirmed sends after a reload, shows them as not confirmed, and sends them again with the same key', async () => {
      const first = desk();
      await first.goLive();
      first.store.dispatch(submit('c-1', 'k-1', 'first'));
      first.store.dispatch(submit('c-1', 'k-2', 'second'));
      const inFlight = await first.fake.waitForCall('sendMessage', 0);
      expect(inFlight.idempotencyKey).to.equal('k-1');

      const second = reload(first);
      expect(inFlight.outcome, 'the old page’s request was cut off').to.equal('aborted');
      await until(() => threadMessage(second, 'c-1', 'k-2') !== undefined, 'the sends to be restored');
      expect(threadMessage(second, 'c-1', 'k-1')).to.include({ delivery: 'sending', text: 'first', id: 'local:k-1' });
      expect(second.state().outbox.entries.get('k-1')?.state).to.equal('unknown');
      expect(second.state().outbox.entries.get('k-2')?.state, 'never attempted').to.equal('pending');

      // What the agent sees on each restored message.
      const container = document.createElement('div');
      const thread = second.state().threads.byConversation.get('c-1');
      const context = { locale: 'en' as const, t: (key: Parameters<typeof translate>[1]) => translate('en', key), onRetry: () => undefined, remoteImagesAllowed: false, onAllowRemoteImages: () => undefined };
      render(html`${thread?.messages.map((message) => renderMessage(message, { ...context, sendError: thread.sendErrors[message.clientKey ?? ''] }))}`, container);
      const labels = [...container.querySelectorAll('.delivery')];
      expect(labels.map((label) => label.className)).to.deep.equal(['delivery delivery-unconfirmed', 'delivery delivery-unconfirmed']);
      expect(labels[0]?.textContent?.trim()).to.match(/^◷ Not confirmed\. The server has not confirmed this message yet/);
      expect(translate('zh-CN', 'delivery.unconfirmed')).to.equal('未确认');

      expect(second.fake.calls('sendMessage'), 'nothing is sent before the backend is connected').to.have.length(0);
      second.fake.respond('sendMessage', (call) => echo(call));
      await second.goLive();
      await until(() => second.seen.filter(actions.messageSent.match).length === 2, 'both to be sent');
      const calls = second.fake.calls('sendMessage');
      expect(calls.map((call) => [call.idempotencyKey, call.args[0]])).to.deep.equal([
        ['k-1', { conversationId: 'c-1', text: 'first', internal: false }],
        ['k-2', { conversationId: 'c-1', text: 'second', internal: false }],
      ]);
      expect(calls[0]?.args[0], 'exactly what the first page sent').to.deep.equal(inFlight.args[0]);
      expect(threadMessage(second, 'c-1', 'k-1')?.delivery).to.equal('sent');
      await pause(50);
      expect(await storedOutbox()).to.deep.equal([]);
    });

    it('sends nothing twice: a send the stream confirmed is not attempted again', async () => {
      const h = desk();
      await h.goLive();
      h.fake.respond('markRead', (call) => makeConversation(call.args[0]));
      h.store.dispatch(actions.conversationSelected({ conversationId: 'c-1' }));
      (await h.fake.waitForCall('listMessages', 0)).resolve({ items: [], nextCursor: null });
      h.fake.respond('sendMessage', () => Promise.reject(unavailable()));
      h.store.dispatch(submit('c-1', 'k-1', 'Hi'));
      await until(() => h.seen.some(actions.messageSendDeferred.match), 'the send to be deferred');
      // The request reached the backend after all: its copy arrives on the stream.
      h.fake.emit(makeEvent(STREAM, 1, { type: 'message.added', message: makeMessage('m-1', 'c-1', { direction: 'outbound', text: 'Hi', delivery: 'delivered', clientKey: 'k-1' }) }));
      await until(() => h.state().outbox.entries.size === 0, 'the stream to confirm it');
      h.fake.respond('sendMessage', (call) => echo(call));
      h.fake.setState('disconnected');
      h.fake.setState('connected');
      await pause(1200);
      expect(h.fake.calls('sendMessage'), 'only the first attempt').to.have.length(1);
      expect(await storedOutbox()).to.deep.equal([]);
      expect(threadMessage(h, 'c-1', 'k-1')?.delivery).to.equal('delivered');
      expect(h.state().threads.byConversation.get('c-1')?.sendErrors).to.deep.equal({});
    });

    /** A send whose first attempt fails; the backend's copy then arrives by `deliver`, not as the attempt's answer. */
    async function settledSend(deliver: (h: Desk, copy: Message) => Promise<void>): Promise<Desk> {
      const h = desk();
      await h.goLive();
      h.fake.respond('markRead', (call) => makeConversation(call.args[0]));
      h.fake.respond('sendMessage', () => Promise.reject(unavailable()));
      h.store.dispatch(submit('c-1', 'k-1', 'Hi'));
      await until(() => h.seen.some(actions.messageSendDeferred.match), 'the send to be deferred');
      await deliver(h, makeMessage('m-1', 'c-1', { direction: 'outbound', text: 'Hi', delivery: 'delivered', clientKey: 'k-1' }));
      h.fake.respond('sendMessage', (call) => echo(call));
      h.fake.setState('disconnected');
      h.fake.setState('connected');
      await until(() => h.state().outbox.entries.size === 0, 'the send to be settled in the store');
      expect(h.seen.filter(actions.messageSent.match).map((action) => action.payload.clientKey)).to.deep.equal(['k-1']);
      expect(h.fake.calls('sendMessage'), 'only the first attempt').to.have.length(1);
      await pause(50);
      expect(await storedOutbox()).to.deep.equal([]);
      return h;
    }

    it('settles a send whose copy comes with a page of the thread: not sent again, and not left "not confirmed"', async () => {
      // The request reached the backend after all; its copy comes with the thread's first page, not on the stream.
      const h = await settledSend(async (desk, copy) => {
        desk.store.dispatch(actions.conversationSelected({ conversationId: 'c-1' }));
        (await desk.fake.waitForCall('listMessages', 0)).resolve({ items: [copy], nextCursor: null });
      });
      expect(threadMessage(h, 'c-1', 'k-1')?.delivery).to.equal('delivered');
    });

    it('settles a send whose copy came on the stream inside a gap (the snapshot covered it, the store did not apply it)', async () => {
      // Event 2 while 1 never came: a gap, so the copy is not applied; the store loads a snapshot instead.
      await settledSend(async (desk, copy) => {
        desk.fake.emit(makeEvent(STREAM, 2, { type: 'message.added', message: copy }));
        (await desk.fake.waitForCall('snapshot', 1)).resolve(makeSnapshot({ ...liveSnapshot, sequences: { [STREAM]: 2 } }));
      });
    });

    it('marks a refused send failed, keeps it across a reload, and sends it on retry with the same key', async () => {
      const first = desk();
      await first.goLive();
      first.fake.respond('sendMessage', (call) =>
        call.idempotencyKey === 'k-1' ? Promise.reject(new ConnectorError('invalid', 'The reply window has closed.')) : echo(call),
      );
      first.store.dispatch(submit('c-1', 'k-1', 'too late'));
      first.store.dispatch(submit('c-1', 'k-2', 'next'));
      await until(() => first.seen.some(actions.messageSendFailed.match), 'the refusal');
      await until(() => first.seen.some(actions.messageSent.match), 'the next message, which does not wait for a refused one');
      expect(threadMessage(first, 'c-1', 'k-1')?.delivery).to.equal('failed');

      const second = reload(first);
      await until(() => threadMessage(second, 'c-1', 'k-1') !== undefined, 'the refused send to be restored');
      expect(threadMessage(second, 'c-1', 'k-1')?.delivery).to.equal('failed');
      expect(second.state().threads.byConversation.get('c-1')?.sendErrors['k-1']?.message).to.equal('The reply window has closed.');
      expect(threadMessage(second, 'c-1', 'k-2'), 'a confirmed send is not restored').to.equal(undefined);
      second.fake.respond('sendMessage', (call) => echo(call));
      await second.goLive();
      await pause(100);
      expect(second.fake.calls('sendMessage'), 'a refused send waits for the agent').to.have.length(0);

      second.store.dispatch(actions.messageRetryRequested({ conversationId: 'c-1', clientKey: 'k-1' }));
      await until(() => second.seen.some(actions.messageSent.match), 'the retry');
      expect(second.fake.calls('sendMessage').map((call) => call.idempotencyKey)).to.deep.equal(['k-1']);
      await pause(50);
      expect(await storedOutbox()).to.deep.equal([]);
    });

    it('warns when the disk is full, and still sends what it could not store', async () => {
      const fullDisk = new DOMException('', 'QuotaExceededError');
      const h = desk((storage) => ({
        ...storage,
        addToOutbox: () => Promise.reject(fullDisk),
        writeDrafts: () => Promise.reject(fullDisk),
      }));
      await h.goLive();
      h.fake.respond('sendMessage', (call) => echo(call));
      h.store.dispatch(submit('c-1', 'k-1', 'Refund issued'));
      await until(() => h.seen.some(actions.messageSent.match), 'the send, held in memory');
      expect(h.fake.calls('sendMessage')[0]?.args[0].text).to.equal('Refund issued');

      const notices = selectNotices(h.state());
      expect(notices.map((notice) => notice.source)).to.deep.equal([actions.storageQuotaExceeded.type]);
      expect(notices[0]?.error.message).to.match(/no storage space/i);
      expect(translate('en', 'notice.lead.storageQuota')).to.match(/no storage space left/);
      expect(translate('zh-CN', 'notice.lead.storageQuota')).to.match(/存储空间已满/);

      // The same warning is not repeated for every write.
      h.store.dispatch(actions.draftChanged({ conversationId: 'c-2', text: 'more' }));
      await pause(450);
      expect(selectNotices(h.state())).to.have.length(1);
    });

    it('tells the agent when another tab holds the storage back, and still sends', async () => {
      const oldTab = await openDatabaseAtVersion1(databaseName(namespace), { closeOnVersionChange: false });
      let closed = false;
      try {
        const h = desk();
        await until(() => selectNotices(h.state()).some((notice) => notice.source === actions.storageBlocked.type), 'the blocked notice');
        expect(translate('zh-CN', 'notice.lead.storageBlocked')).to.match(/标签页/);
        await h.goLive();
        h.fake.respond('sendMessage', (call) => echo(call));
        h.store.dispatch(submit('c-1', 'k-1'));
        await until(() => h.seen.some(actions.messageSent.match), 'the send, while the outbox write waits', STORE_WAIT_MS + 1500);
        oldTab.close();
        closed = true;
        // Once the old tab lets go, the write lands, and the removal after it.
        await pause(300);
        expect(await storedOutbox()).to.deep.equal([]);
      } finally {
        if (!closed) oldTab.close();
      }
    });
  });
});
