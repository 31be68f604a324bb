import { expect } from '@esm-bundle/chai';
import type { Observable } from 'rxjs';
import type { ConnectorEvent, Snapshot } from '../connector/connector.js';
import { ConnectorError } from '../connector/errors.js';
import type { Message } from '../connector/model.js';
import { FakeConnector } from '../../test/fakes/fake-connector.js';
import { makeAgent, makeConversation, makeCustomer, makeEvent, makeMessage, makeOffer, makeSnapshot, T0 } from '../../test/fakes/fixtures.js';
import type { Action } from './action.js';
import * as actions from './actions.js';
import { createDeskStore, type DeskStore } from './create-store.js';
import { selectNotices, selectSelectedConversationId, selectSelectedThread } from './selectors.js';
import type { DeskState } from './state.js';

const STREAM = 'conversations';

/** Resolves once `condition` holds, polling; fails with `what` after `timeoutMs`. */
async function until(condition: () => boolean, what: string, timeoutMs = 2000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error(`Timed out waiting for: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** Lets pending promise callbacks and timers of 0 ms run. */
const settle = (ms = 20): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function snapshotOf(overrides: Partial<Snapshot> = {}): Snapshot {
  return makeSnapshot({
    conversations: [makeConversation('c-1', { unreadCount: 3 }), makeConversation('c-2')],
    customers: [makeCustomer('cu-c-1'), makeCustomer('cu-c-2')],
    sequences: { [STREAM]: 5 },
    ...overrides,
  });
}

const upsert = (seq: number, id: string, preview: string): ConnectorEvent =>
  makeEvent(STREAM, seq, { type: 'conversation.upserted', conversation: makeConversation(id, { lastMessagePreview: preview }) });
const messageEvent = (seq: number, message: Message): ConnectorEvent => makeEvent(STREAM, seq, { type: 'message.added', message });

interface Harness {
  readonly fake: FakeConnector;
  readonly store: DeskStore;
  /** Every action the store applied, in order. */
  readonly seen: Action[];
  state(): DeskState;
}

function harness(fake = new FakeConnector()): Harness {
  const store = createDeskStore({ connector: fake, now: () => T0 });
  const seen: Action[] = [];
  store.actions$.subscribe((action) => seen.push(action));
  return { fake, store, seen, state: () => store.getState() };
}

/** Started, connected and live on `snapshot`; snapshots after the first stay pending for the test. */
async function liveHarness(snapshot = snapshotOf(), fake = new FakeConnector()): Promise<Harness> {
  const h = harness(fake);
  h.fake.respond('connect', () => ({ agent: makeAgent() }));
  h.store.dispatch(actions.workspaceStarted());
  (await h.fake.waitForCall('snapshot', 0)).resolve(snapshot);
  await until(() => h.state().connection.sync === 'live', 'the store to go live');
  return h;
}

/** Selects c-1 and answers its first page. */
async function openThread(h: Harness, messages: readonly Message[] = [makeMessage('m-1', 'c-1')]): Promise<void> {
  h.fake.respond('markRead', (call) => makeConversation(call.args[0]));
  h.store.dispatch(actions.conversationSelected({ conversationId: 'c-1' }));
  (await h.fake.waitForCall('listMessages', h.fake.calls('listMessages').length)).resolve({ items: messages, nextCursor: null });
  await until(() => h.state().threads.byConversation.get('c-1')?.status === 'loaded', 'the thread to load');
}

const typesOf = (seen: readonly Action[]): string[] => seen.map((action) => action.type);

describe('createDeskStore', () => {
  const stores: DeskStore[] = [];
  let problems: string[] = [];
  const onRejection = (event: PromiseRejectionEvent): void => {
    problems.push(`unhandled rejection: ${String(event.reason)}`);
  };
  const onError = (event: ErrorEvent): void => {
    problems.push(`uncaught error: ${event.message}`);
  };

  beforeEach(() => {
    problems = [];
    window.addEventListener('unhandledrejection', onRejection);
    window.addEventListener('error', onError);
  });

  afterEach(async () => {
    for (const store of stores.splice(0)) store.destroy();
    // Rejections are reported a task later: give them the chance to show up before checking.
    await settle(30);
    window.removeEventListener('unhandledrejection', onRejection);
    window.removeEventListener('error', onError);
    expect(problems, 'no unhandled rejection or uncaught error').to.deep.equal([]);
  });

  /** A harness whose store is destroyed after the test. */
  function track(h: Harness): Harness {
    stores.push(h.store);
    return h;
  }

  it('connects on start, loads a snapshot and goes live', async () => {
    const h = track(harness());
    h.store.dispatch(actions.workspaceStarted());
    const connect = await h.fake.waitForCall('connect', 0);
    expect(connect.signal).to.be.instanceOf(AbortSignal);
    h.fake.setState('connecting');
    expect(h.state().connection.state).to.equal('connecting');
    expect(h.fake.calls('snapshot')).to.have.length(0);

    h.fake.setState('connected');
    connect.resolve({ agent: makeAgent({ name: 'Ada' }) });
    const snapshot = await h.fake.waitForCall('snapshot', 0);
    expect(h.state().connection).to.include({ state: 'connected', sync: 'syncing' });
    expect(h.state().connection.capabilities).to.deep.equal(h.fake.capabilities);
    expect(h.state().agent.agent?.name).to.equal('Ada');

    snapshot.resolve(snapshotOf());
    await until(() => h.state().connection.sync === 'live', 'the store to go live');
    expect(h.state().conversations.entities.keys().sort()).to.deep.equal(['c-1', 'c-2']);
    const order = [actions.workspaceStarted.type, actions.connectionStateChanged.type, actions.connected.type, actions.snapshotLoaded.type].map(
      (type) => typesOf(h.seen).indexOf(type),
    );
    expect(order.every((position, index) => position >= 0 && (index === 0 || position > (order[index - 1] as number))), String(order)).to.equal(true);
    expect(h.fake.calls('connect')).to.have.length(1);
    expect(h.fake.calls('snapshot')).to.have.length(1);
  });

  it('holds the events that arrive before the snapshot and applies each once after it', async () => {
    const h = track(harness());
    h.fake.respond('connect', () => ({ agent: makeAgent() }));
    h.store.dispatch(actions.workspaceStarted());
    const snapshot = await h.fake.waitForCall('snapshot', 0);

    // seq 5 is already in the snapshot; 6 and 7 happened after it was taken.
    h.fake.emit(upsert(5, 'c-1', 'in the snapshot'), upsert(6, 'c-1', 'after the snapshot'), upsert(7, 'c-2', 'later still'));
    await settle();
    expect(h.state().conversations.entities.size).to.equal(0);
    expect(h.seen.filter(actions.eventReceived.match)).to.have.length(0);

    snapshot.resolve(snapshotOf({ conversations: [makeConversation('c-1', { lastMessagePreview: 'in the snapshot' }), makeConversation('c-2')] }));
    await until(() => h.state().connection.sync === 'live', 'the store to go live');
    const state = h.state();
    expect(state.conversations.entities.get('c-1')?.lastMessagePreview).to.equal('after the snapshot');
    expect(state.conversations.entities.get('c-2')?.lastMessagePreview).to.equal('later still');
    expect(state.connection.sequences.get(STREAM)).to.equal(7);
    expect(state.connection.duplicatesIgnored).to.equal(1);
    const replayed = h.seen.filter(actions.eventReceived.match).map((action) => action.payload.event.seq);
    expect(replayed).to.deep.equal([5, 6, 7]);

    // Events after going live apply at once.
    h.fake.emit(upsert(8, 'c-2', 'live'));
    expect(h.state().conversations.entities.get('c-2')?.lastMessagePreview).to.equal('live');
  });

  it('recovers from a gap with a new snapshot, replays what came meanwhile and reloads the open thread', async () => {
    const h = track(await liveHarness());
    await openThread(h);
    h.fake.emit(upsert(6, 'c-2', 'in order'));
    expect(h.state().connection.sequences.get(STREAM)).to.equal(6);

    h.fake.emit(upsert(9, 'c-2', 'after a gap'));
    expect(h.state().connection.gap).to.deep.equal({ stream: STREAM, expected: 7, received: 9 });
    const resync = await h.fake.waitForCall('snapshot', 1);
    h.fake.emit(upsert(10, 'c-1', 'while resyncing'));
    expect(h.state().conversations.entities.get('c-2')?.lastMessagePreview).to.equal('in order');

    resync.resolve(
      snapshotOf({
        conversations: [makeConversation('c-1'), makeConversation('c-2', { lastMessagePreview: 'after a gap' })],
        sequences: { [STREAM]: 9 },
      }),
    );
    await until(() => h.state().connection.sync === 'live', 'the store to go live again');
    expect(h.state().connection.gap).to.equal(null);
    expect(h.state().conversations.entities.get('c-2')?.lastMessagePreview).to.equal('after a gap');
    expect(h.state().conversations.entities.get('c-1')?.lastMessagePreview).to.equal('while resyncing');
    expect(h.state().connection.sequences.get(STREAM)).to.equal(10);

    // The open thread may have missed messages during the gap: it is loaded again, not left empty.
    const reload = await h.fake.waitForCall('listMessages', 1);
    expect(reload.args[0]).to.equal('c-1');
    expect(reload.args[1]).to.deep.equal({ cursor: null, limit: 50 });
    reload.resolve({ items: [makeMessage('m-1', 'c-1'), makeMessage('m-missed', 'c-1', { sentAt: T0 + 5 })], nextCursor: null });
    await until(() => selectSelectedThread(h.state()).status === 'loaded', 'the thread to load again');
    expect(selectSelectedThread(h.state()).messages.map((message) => message.id)).to.deep.equal(['m-1', 'm-missed']);
  });

  it('loads a snapshot when the link comes back after going down', async () => {
    const h = track(await liveHarness());
    const before = h.fake.calls('snapshot').length;
    h.fake.setState('disconnected');
    h.fake.setState('connected');
    const snapshot = await h.fake.waitForCall('snapshot', before);
    snapshot.resolve(snapshotOf({ sequences: { [STREAM]: 7 } }));
    await until(() => h.state().connection.sync === 'live', 'live again');
    h.fake.emit(upsert(8, 'c-1', 'after the drop'));
    expect(h.state().conversations.entities.get('c-1')?.lastMessagePreview).to.equal('after the drop');
  });

  it('stays live through a drop when the connector resumes its events: no snapshot, the missed events apply in order', async () => {
    const h = track(await liveHarness(snapshotOf(), new FakeConnector({ resumesEvents: true })));
    const before = h.fake.calls('snapshot').length;
    h.fake.setState('reconnecting');
    expect(h.state().connection.state).to.equal('reconnecting');
    expect(h.state().connection.sync, 'the desk keeps showing what it has').to.equal('live');
    h.fake.setState('connected');
    // What the connector resumes: the events after the last one it delivered.
    h.fake.emit(upsert(6, 'c-1', 'missed while away'));
    h.fake.emit(upsert(7, 'c-2', 'after the drop'));
    expect(h.state().conversations.entities.get('c-1')?.lastMessagePreview).to.equal('missed while away');
    expect(h.state().conversations.entities.get('c-2')?.lastMessagePreview).to.equal('after the drop');
    h.fake.setState('reconnecting');
    h.fake.setState('connected');
    h.fake.emit(upsert(8, 'c-1', 'after a second drop'));
    await settle(30);
    expect(h.fake.calls('snapshot'), 'no snapshot for a resumed stream').to.have.length(before);
    // A gap or the connector's word that events were lost still loads one.
    h.fake.emit(upsert(10, 'c-1', 'after a gap'));
    (await h.fake.waitForCall('snapshot', before)).resolve(snapshotOf({ sequences: { [STREAM]: 10 } }));
    await until(() => h.state().connection.sync === 'live', 'live after the gap');
    h.fake.resync$.next();
    (await h.fake.waitForCall('snapshot', before + 1)).resolve(snapshotOf({ sequences: { [STREAM]: 12 } }));
    await until(() => h.state().connection.sync === 'live', 'live after the resync');
    // Disconnected is not reconnecting: the connector starts over, and so does the desk.
    h.fake.setState('disconnected');
    expect(h.state().connection.sync).to.equal('syncing');
    h.fake.setState('connected');
    (await h.fake.waitForCall('snapshot', before + 2)).resolve(snapshotOf({ sequences: { [STREAM]: 12 } }));
    await until(() => h.state().connection.sync === 'live', 'live after a disconnect');
    h.fake.emit(upsert(13, 'c-2', 'flows'));
    expect(h.state().conversations.entities.get('c-2')?.lastMessagePreview).to.equal('flows');
  });

  it('aborts the reads still running when the agent loses view-pii, so no answer asked for under it lands; loads them again', async () => {
    const h = track(await liveHarness());
    h.store.dispatch(actions.conversationSelected({ conversationId: 'c-1' }));
    const thread = await h.fake.waitForCall('listMessages', 0);
    const before = h.fake.calls('snapshot').length;
    const masked = makeAgent({ permissions: ['reveal-pii', 'edit-customer'] });
    h.fake.emit(makeEvent('agent', 1, { type: 'agent.updated', agent: masked }));
    expect(h.seen.some((action) => action.type === '[Store] access changed'), 'the change said').to.equal(true);
    expect(thread.outcome, 'the read asked for under view-pii').to.equal('aborted');
    // Too late: a clear answer does not land.
    thread.resolve({ items: [makeMessage('m-clear', 'c-1', { text: 'Call me on +86 138 0013 8000' })], nextCursor: null });
    await settle(10);
    expect(h.state().threads.byConversation.get('c-1')?.messages ?? []).to.deep.equal([]);
    expect(selectNotices(h.state()), 'a cancelled read is no failure to show').to.deep.equal([]);
    // Loaded again under the new rights: the snapshot, then the open thread.
    (await h.fake.waitForCall('snapshot', before)).resolve(snapshotOf({ agent: masked, sequences: { [STREAM]: 5, agent: 1 } }));
    const again = await h.fake.waitForCall('listMessages', 1);
    expect(again.args[0]).to.equal('c-1');
    expect(again.outcome).to.equal('pending');
    again.resolve({ items: [makeMessage('m-masked', 'c-1', { text: 'Call me on +86 138 **** 8000' })], nextCursor: null });
    await until(() => h.state().threads.byConversation.get('c-1')?.status === 'loaded', 'the thread loaded again');
    expect(h.state().threads.byConversation.get('c-1')?.messages.map((message) => message.id)).to.deep.equal(['m-masked']);
  });

  it('subscribes again to an event stream that failed, and catches up with a snapshot', async () => {
    const h = track(await liveHarness());
    const before = h.fake.calls('snapshot').length;
    h.fake.failEvents(new Error('socket closed'));
    await until(() => selectNotices(h.state()).length === 1, 'the failure notice');
    expect(h.state().connection.sync).to.equal('syncing');
    const snapshot = await h.fake.waitForCall('snapshot', before, 3000);
    expect(h.fake.eventSubscribers).to.equal(1);
    snapshot.resolve(snapshotOf({ sequences: { [STREAM]: 6 } }));
    await until(() => h.state().connection.sync === 'live', 'live again');
    h.fake.emit(upsert(7, 'c-2', 'flows again'));
    expect(h.state().conversations.entities.get('c-2')?.lastMessagePreview).to.equal('flows again');
  });

  it('disconnects the connector on destroy() only when it owns it', async () => {
    const shared = track(await liveHarness());
    shared.store.destroy();
    expect(shared.fake.calls('disconnect')).to.have.length(0);
    const fake = new FakeConnector();
    fake.respond('disconnect', () => undefined);
    const owned = createDeskStore({ connector: fake, ownsConnector: true });
    owned.destroy();
    expect(fake.calls('disconnect')).to.have.length(1);
  });

  it('loads a snapshot when the connector says events were lost', async () => {
    const h = track(await liveHarness());
    const before = h.fake.calls('snapshot').length;
    h.fake.resync$.next();
    expect(h.state().connection.sync).to.equal('syncing');
    (await h.fake.waitForCall('snapshot', before)).resolve(snapshotOf({ sequences: { [STREAM]: 20 } }));
    await until(() => h.state().connection.sync === 'live', 'live again');
    h.fake.emit(upsert(21, 'c-1', 'after the resync'));
    expect(h.state().conversations.entities.get('c-1')?.lastMessagePreview).to.equal('after the resync');
  });

  it('tries to connect again while the backend cannot be reached, and gives up on a refusal', async () => {
    const h = track(harness());
    let attempts = 0;
    h.fake.respond('connect', () => {
      attempts += 1;
      if (attempts === 1) throw new ConnectorError('unavailable', 'Server restarting');
      return { agent: makeAgent() };
    });
    h.store.dispatch(actions.workspaceStarted());
    await until(() => h.seen.some(actions.connectFailed.match), 'the first failure');
    await until(() => h.seen.some(actions.connected.match), 'the second attempt to connect', 3000);
    expect(attempts).to.equal(2);

    const refused = track(harness());
    let refusals = 0;
    refused.fake.respond('connect', () => {
      refusals += 1;
      throw new ConnectorError('forbidden', 'Not an agent');
    });
    refused.store.dispatch(actions.workspaceStarted());
    await until(() => refused.seen.some(actions.connectFailed.match), 'the refusal');
    await settle(1500);
    expect(refusals).to.equal(1);
  });

  it('retries a failed snapshot', async () => {
    const h = track(harness());
    h.fake.respond('connect', () => ({ agent: makeAgent() }));
    h.store.dispatch(actions.workspaceStarted());
    (await h.fake.waitForCall('snapshot', 0)).reject(new ConnectorError('unavailable', 'The backend is restarting.'));
    await until(() => h.seen.some(actions.snapshotFailed.match), 'snapshot failed');
    expect(selectNotices(h.state()).map((notice) => notice.error.message)).to.deep.equal(['The backend is restarting.']);
    expect(h.state().connection.sync).to.equal('syncing');

    const retry = await h.fake.waitForCall('snapshot', 1, 3000);
    retry.resolve(snapshotOf());
    await until(() => h.state().connection.sync === 'live', 'the store to go live after the retry');
    expect(h.state().connection.error).to.equal(null);
  });

  describe('failures', () => {
    it('turns a thrown Error into a failed action and a notice', async () => {
      const h = track(await liveHarness());
      h.fake.respond('markRead', () => makeConversation('c-1'));
      h.store.dispatch(actions.conversationSelected({ conversationId: 'c-1' }));
      (await h.fake.waitForCall('listMessages', 0)).reject(new Error('socket closed'));
      await until(() => h.seen.some(actions.messagesFailed.match), 'messages failed');
      const failed = h.seen.find(actions.messagesFailed.match);
      expect(failed?.payload.conversationId).to.equal('c-1');
      expect(failed?.payload.error.code).to.equal('unavailable');
      expect(failed?.payload.error.message).to.contain('socket closed');
      expect(h.state().threads.byConversation.get('c-1')?.status).to.equal('failed');
      expect(selectNotices(h.state()).map((notice) => notice.source)).to.deep.equal([actions.messagesFailed.type]);
    });

    it('turns a ConnectorError into a failed action that keeps its code and message', async () => {
      const h = track(await liveHarness());
      h.fake.respond('listMessages', () => ({ items: [], nextCursor: null }));
      h.fake.respond('markRead', () => {
        throw new ConnectorError('forbidden', 'You may not read this conversation.');
      });
      h.store.dispatch(actions.conversationSelected({ conversationId: 'c-2' }));
      await until(() => h.seen.some(actions.markReadFailed.match), 'mark read failed');
      expect(h.seen.find(actions.markReadFailed.match)?.payload).to.deep.equal({
        conversationId: 'c-2',
        error: { code: 'forbidden', message: 'You may not read this conversation.' },
      });
      expect(selectNotices(h.state()).map((notice) => notice.error.code)).to.deep.equal(['forbidden']);
    });

    it('reports a failed connect and a failed event stream', async () => {
      const h = track(harness());
      h.fake.respond('connect', () => Promise.reject(new ConnectorError('forbidden', 'Your session has expired.')));
      h.store.dispatch(actions.workspaceStarted());
      await until(() => h.seen.some(actions.connectFailed.match), 'connect failed');
      expect(h.state().connection.error).to.deep.equal({ code: 'forbidden', message: 'Your session has expired.' });
      expect(h.fake.calls('snapshot')).to.have.length(0);
      expect(selectNotices(h.state())).to.have.length(1);

      const live = track(await liveHarness());
      live.fake.failEvents(new Error('socket lost'));
      await until(() => live.seen.some(actions.eventStreamFailed.match), 'event stream failed');
      expect(selectNotices(live.state()).map((notice) => notice.source)).to.deep.equal([actions.eventStreamFailed.type]);
    });

    it('reports a failed send on the message and keeps it for a retry with the same key', async () => {
      const h = track(await liveHarness());
      await openThread(h);
      h.store.dispatch(
        actions.messageSubmitted({ conversationId: 'c-1', clientKey: 'k-1', text: 'Refund issued', internal: false, authorName: 'Ada', submittedAt: T0 }),
      );
      (await h.fake.waitForCall('sendMessage', 0)).reject(new ConnectorError('unavailable', 'No connection.'));
      await until(() => h.seen.some(actions.messageSendFailed.match), 'send failed');
      const failed = selectSelectedThread(h.state()).messages.find((message) => message.clientKey === 'k-1');
      expect(failed).to.include({ delivery: 'failed', text: 'Refund issued' });
      expect(selectNotices(h.state()).map((notice) => notice.error.message)).to.deep.equal(['No connection.']);

      h.store.dispatch(actions.messageRetryRequested({ conversationId: 'c-1', clientKey: 'k-1' }));
      const retry = await h.fake.waitForCall('sendMessage', 1);
      expect(retry.idempotencyKey).to.equal('k-1');
      expect(retry.args[0]).to.deep.equal({ conversationId: 'c-1', text: 'Refund issued', internal: false });
      retry.resolve(makeMessage('m-2', 'c-1', { direction: 'outbound', text: 'Refund issued', delivery: 'sent', clientKey: 'k-1' }));
      await until(() => h.seen.some(actions.messageSent.match), 'message sent');
      expect(selectSelectedThread(h.state()).messages.map((message) => [message.id, message.delivery])).to.deep.equal([
        ['m-1', 'delivered'],
        ['m-2', 'sent'],
      ]);
    });

    it('does not report a send as failed when the stream already confirmed it', async () => {
      const h = track(await liveHarness());
      await openThread(h);
      h.store.dispatch(
        actions.messageSubmitted({ conversationId: 'c-1', clientKey: 'k-1', text: 'Hi', internal: false, authorName: 'Ada', submittedAt: T0 }),
      );
      const send = await h.fake.waitForCall('sendMessage', 0);
      h.fake.emit(messageEvent(6, makeMessage('m-2', 'c-1', { direction: 'outbound', text: 'Hi', delivery: 'delivered', clientKey: 'k-1' })));
      send.reject(new ConnectorError('unavailable', 'The response was lost.'));
      await settle();
      expect(h.seen.some(actions.messageSendFailed.match)).to.equal(false);
      expect(selectNotices(h.state())).to.deep.equal([]);
      expect(selectSelectedThread(h.state()).messages.map((message) => [message.id, message.delivery])).to.deep.equal([
        ['m-1', 'delivered'],
        ['m-2', 'delivered'],
      ]);
    });
  });

  it('sends in order per conversation, one at a time, with the client key as the idempotency key', async () => {
    const h = track(await liveHarness());
    await openThread(h);
    const submit = (conversationId: string, clientKey: string, text: string) =>
      h.store.dispatch(actions.messageSubmitted({ conversationId, clientKey, text, internal: false, authorName: 'Ada', submittedAt: T0 }));
    h.store.dispatch(actions.conversationSelected({ conversationId: 'c-2' }));
    submit('c-1', 'k-1', 'first');
    submit('c-1', 'k-2', 'second');
    submit('c-2', 'k-3', 'elsewhere');
    await until(() => h.fake.calls('sendMessage').length === 2, 'two sends');
    await settle();
    // The second message of c-1 waits for the first; c-2 does not wait for c-1.
    expect(h.fake.calls('sendMessage').map((call) => [call.args[0].conversationId, call.args[0].text, call.idempotencyKey])).to.deep.equal([
      ['c-1', 'first', 'k-1'],
      ['c-2', 'elsewhere', 'k-3'],
    ]);

    h.fake.lastCall('sendMessage').resolve(makeMessage('m-c2', 'c-2', { direction: 'outbound', clientKey: 'k-3' }));
    await settle();
    expect(h.fake.calls('sendMessage')).to.have.length(2);

    h.fake.calls('sendMessage')[0]?.resolve(makeMessage('m-2', 'c-1', { direction: 'outbound', text: 'first', clientKey: 'k-1' }));
    const second = await h.fake.waitForCall('sendMessage', 2);
    expect(second.args[0]).to.deep.equal({ conversationId: 'c-1', text: 'second', internal: false });
    expect(second.idempotencyKey).to.equal('k-2');
    expect(second.signal).to.be.instanceOf(AbortSignal);
  });

  it('loads the thread of a selected conversation and marks it read', async () => {
    const h = track(await liveHarness());
    h.store.dispatch(actions.conversationSelected({ conversationId: 'c-1' }));
    expect(h.state().conversations.entities.get('c-1')?.unreadCount).to.equal(0);
    const list = await h.fake.waitForCall('listMessages', 0);
    const markRead = await h.fake.waitForCall('markRead', 0);
    expect(list.args.slice(0, 2)).to.deep.equal(['c-1', { cursor: null, limit: 50 }]);
    expect(markRead.args[0]).to.equal('c-1');
    expect(selectSelectedThread(h.state()).status).to.equal('loading');

    list.resolve({ items: [makeMessage('m-1', 'c-1'), makeMessage('m-2', 'c-1', { sentAt: T0 + 1 })], nextCursor: 'older' });
    markRead.resolve(makeConversation('c-1'));
    await until(() => selectSelectedThread(h.state()).status === 'loaded', 'the thread to load');
    expect(selectSelectedThread(h.state()).messages.map((message) => message.id)).to.deep.equal(['m-1', 'm-2']);

    // Scrolling back asks for the page before the oldest message held.
    h.store.dispatch(actions.olderMessagesRequested({ conversationId: 'c-1' }));
    const older = await h.fake.waitForCall('listMessages', 1);
    expect(older.args.slice(0, 2)).to.deep.equal(['c-1', { cursor: 'older', limit: 50 }]);
    older.resolve({ items: [makeMessage('m-0', 'c-1', { sentAt: T0 - 1 })], nextCursor: null });
    await until(() => selectSelectedThread(h.state()).messages.length === 3, 'the older page');
    expect(selectSelectedThread(h.state()).messages[0]?.id).to.equal('m-0');

    // Opening it again does not load it again.
    h.store.dispatch(actions.conversationSelected({ conversationId: 'c-2' }));
    h.store.dispatch(actions.conversationSelected({ conversationId: 'c-1' }));
    await settle();
    expect(h.fake.calls('listMessages').filter((call) => call.args[0] === 'c-1')).to.have.length(2);
  });

  it('loads each missing customer once', async () => {
    const h = track(
      await liveHarness(
        snapshotOf({
          conversations: ['c-1', 'c-2', 'c-3', 'c-4', 'c-5', 'c-6'].map((id) => makeConversation(id)),
          customers: [makeCustomer('cu-c-1')],
        }),
      ),
    );
    await until(() => h.fake.calls('getCustomer').length === 4, 'four customer loads (at most four at a time)');
    await settle();
    expect(h.fake.calls('getCustomer')).to.have.length(4);
    // cu-c-6 waits for a free slot; an event that mentions it again must not queue it twice.
    h.fake.emit(makeEvent('agent', 1, { type: 'offer.created', offer: makeOffer('o-1', { customerId: 'cu-c-6' }) }));
    expect(h.state().offers.entities.has('o-1')).to.equal(true);
    for (const call of h.fake.calls('getCustomer')) call.resolve(makeCustomer(call.args[0]));
    await until(() => h.state().customers.entities.size === 5, 'the first four customers');
    (await h.fake.waitForCall('getCustomer', 4)).resolve(makeCustomer('cu-c-6'));
    await until(() => h.state().customers.entities.has('cu-c-6'), 'the fifth customer');
    await settle();
    expect(h.fake.calls('getCustomer').map((call) => call.args[0]).sort()).to.deep.equal(['cu-c-2', 'cu-c-3', 'cu-c-4', 'cu-c-5', 'cu-c-6']);

    // An update that keeps the customer loads nothing; a new conversation with an unknown customer loads it, and
    // so does a conversation that moves to an unknown customer.
    h.fake.emit(upsert(6, 'c-1', 'same customer'), upsert(7, 'c-7', 'new conversation'));
    const added = await h.fake.waitForCall('getCustomer', 5);
    expect(added.args[0]).to.equal('cu-c-7');
    added.resolve(makeCustomer('cu-c-7'));
    h.fake.emit(makeEvent(STREAM, 8, { type: 'conversation.upserted', conversation: makeConversation('c-1', { customerId: 'cu-moved' }) }));
    const moved = await h.fake.waitForCall('getCustomer', 6);
    expect(moved.args[0]).to.equal('cu-moved');
    moved.resolve(makeCustomer('cu-moved'));
    await settle();
    expect(h.fake.calls('getCustomer')).to.have.length(7);
  });

  it('asks for a thread once while its first page is in flight, and marks each opened conversation read', async () => {
    const h = track(await liveHarness());
    h.fake.respond('markRead', (call) => makeConversation(call.args[0]));
    h.store.dispatch(actions.conversationSelected({ conversationId: 'c-1' }));
    h.store.dispatch(actions.conversationSelected({ conversationId: 'c-2' }));
    h.store.dispatch(actions.conversationSelected({ conversationId: 'c-1' }));
    await settle();
    expect(h.fake.calls('listMessages').filter((call) => call.args[0] === 'c-1')).to.have.length(1);
    // Moving on to another conversation does not cancel marking the previous one read.
    expect(h.fake.calls('markRead').map((call) => call.args[0])).to.deep.equal(['c-1', 'c-2', 'c-1']);
    expect(h.fake.calls('markRead').every((call) => !call.options?.signal?.aborted)).to.equal(true);
  });

  it('loads a customer again after a failed attempt, when it is next referred to', async () => {
    const h = track(await liveHarness(snapshotOf({ customers: [makeCustomer('cu-c-1')] })));
    (await h.fake.waitForCall('getCustomer', 0)).reject(new ConnectorError('unavailable', 'Backend away'));
    await until(() => selectNotices(h.state()).length === 1, 'the failure notice');
    h.fake.emit(upsert(6, 'c-9', 'new'), makeEvent(STREAM, 7, { type: 'conversation.upserted', conversation: makeConversation('c-10', { customerId: 'cu-c-2' }) }));
    const retry = await h.fake.waitForCall('getCustomer', 2);
    expect(retry.args[0]).to.equal('cu-c-2');
    retry.resolve(makeCustomer('cu-c-2'));
    await until(() => h.state().customers.entities.has('cu-c-2'), 'the customer after the retry');
  });

  it('does not call the connector for a request cancelled before it started', async () => {
    const h = track(await liveHarness());
    const before = h.fake.calls('snapshot').length;
    // Two triggers in one tick: the snapshot asked for by the first is replaced before it went out.
    h.store.dispatch(actions.connected({ agent: makeAgent(), capabilities: h.fake.capabilities }));
    h.store.dispatch(actions.connected({ agent: makeAgent(), capabilities: h.fake.capabilities }));
    await settle();
    expect(h.fake.calls('snapshot').length - before).to.equal(1);
  });

  describe('select', () => {
    it('returns the same shared stream for the same selector, and emits only on change', async () => {
      const h = track(await liveHarness());
      const stream: Observable<string | null> = h.store.select(selectSelectedConversationId);
      expect(h.store.select(selectSelectedConversationId)).to.equal(stream);

      let calls = 0;
      const counted = (state: DeskState): number => {
        calls += 1;
        return state.conversations.entities.size;
      };
      const first: (string | null)[] = [];
      const second: number[] = [];
      const third: number[] = [];
      stream.subscribe((value) => first.push(value));
      h.store.select(counted).subscribe((value) => second.push(value));
      h.store.select(counted).subscribe((value) => third.push(value));
      expect(first).to.deep.equal([null]);
      expect(second).to.deep.equal([2]);
      expect(third).to.deep.equal([2]);
      const callsAfterSubscribe = calls;

      h.store.dispatch(actions.draftChanged({ conversationId: 'c-1', text: 'typing' }));
      h.store.dispatch(actions.draftChanged({ conversationId: 'c-1', text: 'typing more' }));
      expect(first).to.deep.equal([null]);
      // One evaluation per state change, however many subscribers.
      expect(calls - callsAfterSubscribe).to.equal(2);

      h.fake.respond('listMessages', () => ({ items: [], nextCursor: null })).respond('markRead', (call) => makeConversation(call.args[0]));
      h.store.dispatch(actions.conversationSelected({ conversationId: 'c-2' }));
      h.store.dispatch(actions.conversationSelected({ conversationId: 'c-2' }));
      h.fake.emit(upsert(6, 'c-9', 'new conversation'));
      expect(first).to.deep.equal([null, 'c-2']);
      expect(second).to.deep.equal([2, 3]);
      expect(third).to.deep.equal([2, 3]);
    });

    it('replays the latest value to a late subscriber', async () => {
      const h = track(await liveHarness());
      h.fake.respond('listMessages', () => ({ items: [], nextCursor: null })).respond('markRead', (call) => makeConversation(call.args[0]));
      const stream = h.store.select(selectSelectedConversationId);
      const keepAlive = stream.subscribe();
      h.store.dispatch(actions.conversationSelected({ conversationId: 'c-1' }));
      const late: (string | null)[] = [];
      stream.subscribe((value) => late.push(value));
      expect(late).to.deep.equal(['c-1']);
      keepAlive.unsubscribe();
    });
  });

  it('aborts what is in flight and tears everything down on destroy()', async () => {
    const h = harness();
    h.fake.respond('connect', () => ({ agent: makeAgent() }));
    h.store.dispatch(actions.workspaceStarted());
    (await h.fake.waitForCall('snapshot', 0)).resolve(snapshotOf());
    await until(() => h.state().connection.sync === 'live', 'the store to go live');
    h.store.dispatch(actions.conversationSelected({ conversationId: 'c-1' }));
    h.store.dispatch(
      actions.messageSubmitted({ conversationId: 'c-1', clientKey: 'k-1', text: 'Hi', internal: false, authorName: 'Ada', submittedAt: T0 }),
    );
    h.fake.emit(upsert(9, 'c-1', 'gap'));
    // Other parts' effects may have requests of their own in flight; these four must be among them.
    const core = ['listMessages', 'markRead', 'sendMessage', 'snapshot'];
    await until(() => core.every((name) => h.fake.pending().some((call) => call.name === name)), 'the four core commands in flight');
    const inFlight = h.fake.pending();
    expect(h.fake.eventSubscribers).to.equal(1);
    expect(h.fake.stateSubscribers).to.equal(1);

    let actionsCompleted = false;
    let stateCompleted = false;
    h.store.actions$.subscribe({ complete: () => (actionsCompleted = true) });
    h.store.state$.subscribe({ complete: () => (stateCompleted = true) });
    const selected = h.store.select(selectSelectedConversationId);
    let selectionCompleted = false;
    selected.subscribe({ complete: () => (selectionCompleted = true) });

    h.store.destroy();
    for (const call of inFlight) {
      expect(call.signal?.aborted, `${call.name} was aborted`).to.equal(true);
      expect(call.outcome, call.name).to.equal('aborted');
    }
    expect(h.fake.eventSubscribers).to.equal(0);
    expect(h.fake.stateSubscribers).to.equal(0);
    expect(actionsCompleted && stateCompleted && selectionCompleted).to.equal(true);

    // Nothing happens after destroy: no more commands, no more state.
    const callCount = h.fake.allCalls.length;
    const state = h.state();
    h.store.dispatch(actions.conversationSelected({ conversationId: 'c-2' }));
    h.fake.emit(upsert(10, 'c-2', 'too late'));
    await settle();
    expect(h.fake.allCalls).to.have.length(callCount);
    expect(h.state()).to.equal(state);
    // Aborted work must not surface as failures either.
    expect(selectNotices(h.state())).to.deep.equal([]);
  });
});
