import { expect } from '@esm-bundle/chai';
import { deleteDB } from 'idb';
import type { Subscription } from 'rxjs';
import { HttpConnector } from '../connector/http/http-connector.js';
import { MemoryConnector } from '../connector/memory/memory-connector.js';
import type { Message } from '../connector/model.js';
import { openDeskStorage, type DeskStorage } from '../storage/desk-storage.js';
import { databaseName } from '../storage/schema.js';
import type { Action } from '../store/action.js';
import * as actions from '../store/actions.js';
import * as statusActions from '../store/actions-agent-status.js';
import * as calls from '../store/actions-calls.js';
import { wrapUpRequestKey } from '../store/slices/calls.js';
import { createDeskStore, type DeskStore } from '../store/create-store.js';
import { FakeHttpBackend, type RecordedRequest } from '../../test/fakes/fake-http-backend.js';
import { smallSeed } from '../../test/fixtures/small-seed.js';
import { waitFor } from '../../test/helpers/events.js';
import { selectShouldRing } from '../store/selectors-calls.js';
import { DemoTelephony } from '../telephony/demo/demo-telephony.js';
import { createTabCoordinator, type TabCoordinatorOptions } from './tab-coordinator.js';
import type { TabCoordinator } from './tabs.js';

// Several desks in one page stand for several tabs of one agent: each has its own store, HttpConnector, database
// connection and coordinator; they share the backend (a FakeHttpBackend), the IndexedDB database and the channel.

interface Tab {
  readonly store: DeskStore;
  readonly seen: Action[];
  /** The requests this tab's connector made. */
  readonly requests: RecordedRequest[];
  coordinator: TabCoordinator | null;
}

const CONVERSATION = 'conv-chat';
let runs = 0;
const cleanups: (() => Promise<void> | void)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function world(): { backend: FakeHttpBackend; namespace: string } {
  const backend = new FakeHttpBackend({ memory: { seed: smallSeed, traffic: false, latencyMs: 0 } });
  const namespace = `tabs-test-${Date.now()}-${(runs += 1)}`;
  cleanups.push(async () => {
    await backend.close();
    await deleteDB(databaseName(namespace));
  });
  return { backend, namespace };
}

function openTab(
  backend: FakeHttpBackend,
  namespace: string,
  coordinatorOptions: Partial<TabCoordinatorOptions> = {},
  storage: (opened: DeskStorage) => DeskStorage = (opened) => opened,
): Tab {
  const requests: RecordedRequest[] = [];
  const connector = new HttpConnector({
    baseUrl: backend.baseUrl,
    getToken: backend.getToken,
    fetch: async (input, init) => {
      const before = backend.requests.length;
      const response = backend.fetch(input, init);
      const request = backend.requests[before];
      if (request) requests.push(request);
      return response;
    },
    WebSocket: backend.WebSocket,
    reconnect: { initialDelayMs: 50, maxDelayMs: 200 },
  });
  const seen: Action[] = [];
  const tab: Tab = {
    store: createDeskStore({
      connector,
      ownsConnector: true,
      storage: storage(openDeskStorage({ namespace })),
      ownsStorage: true,
      tabs: () => {
        tab.coordinator = createTabCoordinator({ name: namespace, ...coordinatorOptions });
        return tab.coordinator;
      },
    }),
    seen,
    requests,
    coordinator: null,
  };
  const subscription: Subscription = tab.store.actions$.subscribe((action) => seen.push(action));
  cleanups.push(() => {
    subscription.unsubscribe();
    tab.store.destroy();
  });
  tab.store.dispatch(actions.workspaceStarted());
  return tab;
}

async function live(tabs: readonly Tab[]): Promise<void> {
  await waitFor(() => tabs.every((tab) => tab.store.getState().connection.sync === 'live'), 'every tab live');
}

async function soleLeader(tabs: readonly Tab[]): Promise<Tab> {
  return waitFor(() => {
    const leading = tabs.filter((tab) => tab.coordinator?.isLeader);
    return leading.length === 1 ? leading[0] : null;
  }, 'one leader tab');
}

const posts = (tab: Tab): RecordedRequest[] => tab.requests.filter((request) => request.method === 'POST' && request.path.endsWith('/messages'));

const submit = (tab: Tab, clientKey: string, text: string): void =>
  tab.store.dispatch(actions.messageSubmitted({ conversationId: CONVERSATION, clientKey, text, internal: false, authorName: 'Lin', submittedAt: Date.now() }));

/** The message of this client key in the tab's open thread, once the backend confirmed it. */
const confirmed = (tab: Tab, clientKey: string): Message | undefined =>
  tab.store
    .getState()
    .threads.byConversation.get(CONVERSATION)
    ?.messages.find((message) => message.clientKey === clientKey && message.delivery !== 'sending' && message.delivery !== 'failed');

async function openThread(tabs: readonly Tab[]): Promise<void> {
  for (const tab of tabs) tab.store.dispatch(actions.conversationSelected({ conversationId: CONVERSATION }));
  await waitFor(() => tabs.every((tab) => tab.store.getState().threads.byConversation.get(CONVERSATION)?.status === 'loaded'), 'the thread in every tab');
}

/** A leader and a follower tab, live, with the conversation open in both. */
async function twoTabs(): Promise<{ backend: FakeHttpBackend; leader: Tab; follower: Tab }> {
  const { backend, namespace } = world();
  const tabs = [openTab(backend, namespace), openTab(backend, namespace)];
  await live(tabs);
  const leader = await soleLeader(tabs);
  const follower = tabs.find((tab) => tab !== leader);
  if (!follower) throw new Error('no follower');
  await openThread(tabs);
  return { backend, leader, follower };
}

/** The backend answers every message POST with this error until `intercept` is cleared. */
function refuseMessages(backend: FakeHttpBackend, status: number, code: string): void {
  backend.intercept = (request) =>
    request.method === 'POST' && request.path.endsWith('/messages')
      ? new Response(JSON.stringify({ error: { code, message: `Refused by the test (${code}).` } }), { status, headers: { 'content-type': 'application/json' } })
      : undefined;
}

for (const election of ['Web Locks', 'BroadcastChannel fallback'] as const) {
  const coordinatorOptions: Partial<TabCoordinatorOptions> = election === 'Web Locks' ? {} : { locks: null };

  describe(`Desk tabs (${election})`, () => {
    it('opens one event socket for three tabs, and every tab applies what it brings', async () => {
      const { backend, namespace } = world();
      const tabs = [openTab(backend, namespace, coordinatorOptions), openTab(backend, namespace, coordinatorOptions), openTab(backend, namespace, coordinatorOptions)];
      await live(tabs);
      const leader = await soleLeader(tabs);
      await waitFor(() => backend.openSockets.length === 1 && backend.openSockets[0]?.subscribed, 'the leader subscribed');
      await backend.memory.setPresence('break');
      await waitFor(() => tabs.every((tab) => tab.store.getState().agent.agent?.presence === 'break'), 'the presence event in every tab');
      expect(backend.sockets, 'sockets ever opened').to.have.length(1);
      // Every tab applied the event through its own sequence check.
      const sequences = tabs.map((tab) => tab.store.getState().connection.sequences.get('agent'));
      expect(new Set(sequences).size).to.equal(1);
      expect(leader.store.getState().connection.state).to.equal('connected');
    });

    it("sends a follower's message once, through the leader, and every tab shows it confirmed", async () => {
      const { backend, namespace } = world();
      const tabs = [openTab(backend, namespace, coordinatorOptions), openTab(backend, namespace, coordinatorOptions), openTab(backend, namespace, coordinatorOptions)];
      await live(tabs);
      const leader = await soleLeader(tabs);
      await openThread(tabs);
      const follower = tabs.find((tab) => tab !== leader);
      if (!follower) throw new Error('no follower');
      submit(follower, 'key-from-follower', 'Sent from a follower tab');
      await waitFor(() => tabs.every((tab) => confirmed(tab, 'key-from-follower')), 'the message confirmed in every tab');
      const all = backend.requestsTo('POST', `/conversations/${CONVERSATION}/messages`);
      expect(all, 'POSTs of the message').to.have.length(1);
      expect(all[0]?.headers.get('idempotency-key')).to.equal('key-from-follower');
      expect(posts(leader)).to.have.length(1);
      expect(posts(follower)).to.have.length(0);
      // The tab where it was typed hears the outcome (the host's cc-message-sent), and nothing stays in its outbox.
      await waitFor(() => follower.seen.some((action) => actions.messageSent.match(action) && action.payload.clientKey === 'key-from-follower'), 'messageSent in the follower');
      expect(follower.store.getState().outbox.entries.size).to.equal(0);
      expect(leader.seen.some((action) => actions.messageSent.match(action))).to.equal(false);
    });
  });
}

describe('Desk tabs: the leader goes', () => {
  it('another tab opens the socket within 3 s, resuming after what it applied, and sends what waits', async () => {
    const { backend, leader, follower } = await twoTabs();
    await backend.memory.setPresence('busy');
    await waitFor(() => follower.store.getState().agent.agent?.presence === 'busy', 'the event in the follower');

    // The backend cannot store messages for now: the leader keeps the follower's send, "not confirmed".
    refuseMessages(backend, 503, 'unavailable');
    submit(follower, 'key-waiting', 'Typed while the backend was down');
    await waitFor(() => follower.store.getState().outbox.entries.get('key-waiting')?.lastError?.code === 'unavailable', "the leader's deferral, seen in the follower");
    expect(posts(follower)).to.have.length(0);

    const socketsBefore = backend.sockets.length;
    const started = performance.now();
    leader.store.destroy();
    backend.intercept = null;
    await waitFor(() => follower.coordinator?.isLeader, 'the follower to lead', 3000);
    await waitFor(() => backend.sockets.length === socketsBefore + 1 && backend.lastSocket?.subscribed, 'a socket from the new leader', 3000);
    expect(performance.now() - started, 'takeover').to.be.below(3000);
    const subscribe = backend.lastSocket?.received.find((message) => message.type === 'subscribe');
    expect((subscribe?.since as Record<string, number>).agent).to.equal(follower.store.getState().connection.sequences.get('agent'));

    // It flushes the outbox: the send goes out from this tab, with its key, and is confirmed.
    await waitFor(() => confirmed(follower, 'key-waiting'), 'the waiting send confirmed', 5000);
    expect(posts(follower).map((request) => request.headers.get('idempotency-key'))).to.include('key-waiting');
    const stored = (await backend.memory.listMessages(CONVERSATION, { cursor: null, limit: 200 })).items.filter((message) => message.clientKey === 'key-waiting');
    expect(stored).to.have.length(1);
    // And it applies new events from its own socket.
    await backend.memory.setPresence('available');
    await waitFor(() => follower.store.getState().agent.agent?.presence === 'available', 'a live event on the new socket');
    expect(follower.store.getState().connection.state).to.equal('connected');
  });

  it("shows a refused send as failed in the follower, and the follower's retry goes through the leader", async () => {
    const { backend, leader, follower } = await twoTabs();
    refuseMessages(backend, 400, 'invalid');
    submit(follower, 'key-refused', 'Refused at first');
    await waitFor(() => follower.store.getState().outbox.entries.get('key-refused')?.state === 'failed', 'failed in the follower');
    const thread = follower.store.getState().threads.byConversation.get(CONVERSATION);
    expect(thread?.messages.find((message) => message.clientKey === 'key-refused')?.delivery).to.equal('failed');
    expect(thread?.sendErrors['key-refused']?.code).to.equal('invalid');

    backend.intercept = null;
    follower.store.dispatch(actions.messageRetryRequested({ conversationId: CONVERSATION, clientKey: 'key-refused' }));
    await waitFor(() => confirmed(follower, 'key-refused'), 'the retry confirmed');
    expect(posts(follower)).to.have.length(0);
    expect(posts(leader).filter((request) => request.headers.get('idempotency-key') === 'key-refused')).to.have.length(2);
  });

  it("sends a follower's message itself when its outbox write fails, so nothing typed is lost", async () => {
    const { backend, namespace } = world();
    const fullDisk = new DOMException('', 'QuotaExceededError');
    const leaderTab = openTab(backend, namespace);
    await live([leaderTab]);
    await soleLeader([leaderTab]);
    const follower = openTab(backend, namespace, {}, (opened) => ({ ...opened, addToOutbox: () => Promise.reject(fullDisk) }));
    await live([leaderTab, follower]);
    await openThread([leaderTab, follower]);
    submit(follower, 'key-unstored', 'Typed on a full disk');
    await waitFor(() => [leaderTab, follower].every((tab) => confirmed(tab, 'key-unstored')), 'the message confirmed in both tabs', 5000);
    const all = backend.requestsTo('POST', `/conversations/${CONVERSATION}/messages`);
    expect(all.map((request) => request.headers.get('idempotency-key'))).to.deep.equal(['key-unstored']);
    expect(posts(follower)).to.have.length(1);
    expect(follower.seen.some((action) => actions.storageQuotaExceeded.match(action)), 'the quota warning').to.equal(true);
    expect(follower.store.getState().outbox.entries.size).to.equal(0);
  });

  it('keeps a desk on a MemoryConnector without a phone to itself: no coordinator is made', async () => {
    let made = 0;
    const store = createDeskStore({
      connector: new MemoryConnector({ seed: smallSeed, traffic: false }),
      ownsConnector: true,
      storage: openDeskStorage({ namespace: `tabs-memory-${Date.now()}` }),
      ownsStorage: true,
      tabs: () => {
        made += 1;
        return createTabCoordinator({ name: 'unused' });
      },
    });
    cleanups.push(() => store.destroy());
    store.dispatch(actions.workspaceStarted());
    await waitFor(() => store.getState().connection.sync === 'live', 'live');
    expect(made).to.equal(0);
  });

  /** Desks on MemoryConnectors without storage, each with a DemoTelephony, sharing one coordinator name. */
  function phoneDesks(count: number) {
    const name = `phone-memory-${Date.now()}-${(runs += 1)}`;
    return Array.from({ length: count }, () => {
      const phones: DemoTelephony[] = [];
      const seen: Action[] = [];
      let coordinator: TabCoordinator | null = null;
      const store = createDeskStore({
        connector: new MemoryConnector({ seed: smallSeed, traffic: false }),
        ownsConnector: true,
        telephony: async () => {
          const phone = new DemoTelephony({ registerDelayMs: 10, answerDelayMs: 10 });
          phones.push(phone);
          return phone;
        },
        tabs: () => (coordinator = createTabCoordinator({ name })),
      });
      const subscription = store.actions$.subscribe((action) => seen.push(action));
      cleanups.push(() => {
        subscription.unsubscribe();
        store.destroy();
      });
      store.dispatch(actions.workspaceStarted());
      return { store, phones, seen, leads: () => coordinator?.isLeader === true };
    });
  }

  it('shares the phone of desks on a MemoryConnector without storage: one registers, one rings, all show the call', async () => {
    const desks = phoneDesks(3);
    await waitFor(() => desks.every((desk) => desk.store.getState().calls.registration === 'registered'), 'the phone ready in every desk');
    const leading = desks.filter((desk) => desk.leads());
    expect(leading).to.have.length(1);
    const registered = desks.flatMap((desk) => desk.phones).filter((phone) => phone.registrationState === 'registered');
    expect(registered, 'SIP registrations').to.have.length(1);
    expect(desks.map((desk) => desk.store.getState().calls.ringsHere)).to.deep.equal(desks.map((desk) => desk === leading[0]));

    const callId = registered[0]?.simulateInbound({ number: '+15550100' }) ?? '';
    await waitFor(() => desks.every((desk) => desk.store.getState().calls.calls.some((entry) => entry.info.id === callId)), 'the call in every desk');
    expect(desks.map((desk) => selectShouldRing(desk.store.getState()))).to.deep.equal(desks.map((desk) => desk === leading[0]));
  });

  it('wraps a call up once: one presence change, one save, and the other tabs close their forms', async () => {
    const desks = phoneDesks(2);
    await waitFor(() => desks.every((desk) => desk.store.getState().calls.registration === 'registered'), 'the phone ready in every desk');
    const leader = desks.find((desk) => desk.leads());
    const follower = desks.find((desk) => !desk.leads());
    const phone = leader?.phones.find((made) => made.registrationState === 'registered');
    if (!leader || !follower || !phone) throw new Error('no leader phone');
    const callId = phone.simulateInbound({ number: '+15550100' });
    await waitFor(() => follower.store.getState().calls.calls.some((entry) => entry.info.id === callId), 'the call in the follower');
    follower.store.dispatch(calls.answerRequested({ callId }));
    await waitFor(() => leader.store.getState().calls.calls.some((entry) => entry.info.state === 'active'), 'answered from the follower');
    follower.store.dispatch(calls.hangupRequested({ callId }));
    await waitFor(() => desks.every((desk) => desk.store.getState().calls.wrapUps.length === 1), 'the wrap-up in every tab');
    await waitFor(() => leader.store.getState().agent.agent?.presence === 'after-call-work', 'after-call work');

    // Every tab derives the same key for the same form; an edit after a save makes a new one.
    const [leaderForm, followerForm] = desks.map((desk) => desk.store.getState().calls.wrapUps[0]);
    if (!leaderForm || !followerForm) throw new Error('no wrap-up');
    const body = { disposition: 'resolved', notes: 'Refund explained.' };
    const requestKey = wrapUpRequestKey(followerForm, body);
    expect(wrapUpRequestKey(leaderForm, body)).to.equal(requestKey);

    follower.store.dispatch(calls.wrapUpSubmitted({ callId, ...body, requestKey }));
    await waitFor(() => desks.every((desk) => desk.store.getState().calls.wrapUps.length === 0), 'the form closed in every tab');
    await waitFor(() => leader.store.getState().agent.agent?.presence === 'available', 'the presence back');
    const saves = (desk: (typeof desks)[number]) => desk.seen.filter(calls.callRecordSaved.match);
    expect(saves(follower)).to.have.length(1);
    expect(saves(leader)).to.have.length(0);
    expect(saves(follower)[0]?.payload.message.clientKey).to.equal(requestKey);
    const presenceRequests = (desk: (typeof desks)[number]) => desk.seen.filter(statusActions.presenceChangeRequested.match).map((action) => action.payload.presence);
    expect(presenceRequests(leader)).to.deep.equal(['after-call-work', 'available']);
    expect(presenceRequests(follower)).to.deep.equal([]);
  });
});
