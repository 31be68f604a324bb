import { expect } from '@esm-bundle/chai';
import { deleteDB } from 'idb';
import { HttpConnector } from '../connector/http/http-connector.js';
import { MemoryConnector } from '../connector/memory/memory-connector.js';
import type { CachedDesk } from '../storage/conversation-cache.js';
import { openDeskStorage } from '../storage/desk-storage.js';
import { databaseName } from '../storage/schema.js';
import { createTabCoordinator } from '../tabs/tab-coordinator.js';
import type { TabCoordinator } from '../tabs/tabs.js';
import { FakeHttpBackend } from '../../test/fakes/fake-http-backend.js';
import { accessSeed, CLEAR } from '../../test/fixtures/access-seed.js';
import { waitFor } from '../../test/helpers/events.js';
import { readCacheFingerprint, tabCoordinatorName } from './access-fingerprint.js';
import * as actions from './actions.js';
import { customerPanelAttached } from './actions-customer360.js';
import { ticketListRequested } from './actions-tickets.js';
import { PersistentMap } from './persistent-map.js';
import { createDeskStore, type DeskStore } from './create-store.js';
import type { DeskState } from './state.js';

// The same agent under two roles in one browser: a cache or a leader tab of the role that sees PII must never
// give clear values to the role that does not.

const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
let runs = 0;
const cleanups: (() => Promise<void> | void)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** What the desk holds from the backend: every slice but the agent's own words (drafts, the outbox, the composer's forms) and the calls. */
const HELD: readonly (keyof DeskState)[] = ['conversations', 'customers', 'threads', 'tickets', 'offers', 'customer360', 'access', 'knowledge'];

/** The clear seed values in these slices of the state. */
function leaks(state: DeskState, slices: readonly (keyof DeskState)[] = HELD): string[] {
  const held = JSON.stringify(
    slices.map((slice) => state[slice]),
    (_, value: unknown) => (value instanceof PersistentMap ? value.values() : value),
  );
  return CLEAR.filter((clear) => held.includes(clear));
}

function freshNamespace(): string {
  const namespace = `access-cache-${Date.now()}-${(runs += 1)}`;
  cleanups.push(async () => {
    await deleteDB(databaseName(namespace));
    localStorage.removeItem(`${databaseName(namespace)}:cache-access`);
  });
  return namespace;
}

/** Starts the store, destroyed after the test; every state it goes through is kept. */
function started(store: DeskStore): DeskState[] {
  const states: DeskState[] = [];
  const subscription = store.state$.subscribe((state) => states.push(state));
  cleanups.push(() => {
    subscription.unsubscribe();
    store.destroy();
  });
  store.dispatch(actions.workspaceStarted());
  return states;
}

/** A desk on the MemoryConnector with this role and this namespace's storage; every state it went through is kept. */
function desk(role: string, namespace: string, latencyMs = 0): { store: DeskStore; states: DeskState[]; connector: MemoryConnector } {
  const connector = new MemoryConnector({ seed: accessSeed(role), traffic: false, latencyMs });
  const store = createDeskStore({ connector, ownsConnector: true, storage: openDeskStorage({ namespace }), ownsStorage: true });
  return { store, states: started(store), connector };
}

/** The page is hidden (the desk writes its cache at once); then the cache as a separate connection reads it. */
async function cacheAfterPagehide(namespace: string): Promise<CachedDesk> {
  window.dispatchEvent(new Event('pagehide'));
  await pause(300);
  const reader = openDeskStorage({ namespace });
  try {
    return await reader.loadCache();
  } finally {
    reader.close();
  }
}

/** The clear seed values found in a cache read back. */
const cachedLeaks = (cache: CachedDesk): string[] => CLEAR.filter((clear) => JSON.stringify(cache).includes(clear));

async function openThreads(store: DeskStore, ids: readonly string[]): Promise<void> {
  for (const conversationId of ids) {
    store.dispatch(actions.conversationSelected({ conversationId }));
    await waitFor(() => store.getState().threads.byConversation.get(conversationId)?.status === 'loaded', `thread ${conversationId}`);
  }
}

describe('the cache under another role', () => {
  it('a masked session never paints a cache written with view-pii: it is deleted, drafts are kept', async () => {
    const namespace = freshNamespace();
    const supervisor = desk('supervisor', namespace);
    await waitFor(() => supervisor.store.getState().connection.sync === 'live', 'the supervisor live');
    await openThreads(supervisor.store, ['conv-mail', 'conv-chat']);
    supervisor.store.dispatch(actions.draftChanged({ conversationId: 'conv-chat', text: 'Checking your order now' }));
    expect(cachedLeaks(await cacheAfterPagehide(namespace)), 'the scan can fail').to.not.be.empty;
    expect(readCacheFingerprint(databaseName(namespace))).to.equal('view-pii');
    supervisor.store.destroy();

    // The same agent, signed in with a role without view-pii, on a backend slow enough for the cache to come first.
    const agent = desk('agent', namespace, 300);
    await waitFor(() => agent.store.getState().connection.sync === 'live', 'the agent live');
    await openThreads(agent.store, ['conv-mail']);
    await pause(200);
    expect(agent.states.flatMap((state) => leaks(state)), 'no state of the masked desk held a clear value').to.deep.equal([]);
    expect(agent.store.getState().ui.drafts.get('conv-chat'), 'the agent’s own draft').to.equal('Checking your order now');
    const cache = await cacheAfterPagehide(namespace);
    expect(cachedLeaks(cache), 'the database').to.deep.equal([]);
    expect(cache.conversations.length).to.be.greaterThan(0);
    expect(readCacheFingerprint(databaseName(namespace))).to.equal('masked');
  });

  it('a cache known to be masked paints for a masked agent; a view-pii one only once the agent is known', async () => {
    /** A session of this role that goes live, writes its cache and ends. */
    const earlierSession = async (role: string, namespace: string): Promise<void> => {
      const earlier = desk(role, namespace);
      await waitFor(() => earlier.store.getState().connection.sync === 'live', 'live');
      window.dispatchEvent(new Event('pagehide'));
      await pause(300);
      earlier.store.destroy();
    };
    const namespace = freshNamespace();
    await earlierSession('agent', namespace);
    const masked = desk('agent', namespace, 300);
    await waitFor(() => masked.store.getState().conversations.entities.size > 0, 'painted');
    masked.store.destroy();

    const clearNamespace = freshNamespace();
    await earlierSession('supervisor', clearNamespace);
    const again = desk('supervisor', clearNamespace, 300);
    await waitFor(() => again.store.getState().conversations.entities.size > 0, 'painted');
    const firstPainted = again.states.findIndex((state) => state.conversations.entities.size > 0);
    const agentKnown = again.states.findIndex((state) => state.agent.agent !== null);
    expect(agentKnown, 'the agent was known').to.be.greaterThan(-1);
    expect(firstPainted).to.be.at.least(agentKnown);
  });
});

describe('a role changed during the session', () => {
  it('losing view-pii drops at once what may show PII, loads it again masked, and empties the cache; drafts are kept', async () => {
    const namespace = freshNamespace();
    const session = desk('supervisor', namespace);
    const { store, connector } = session;
    await waitFor(() => store.getState().connection.sync === 'live', 'live');
    await openThreads(store, ['conv-chat', 'conv-mail']);
    // The customer panel and the ticket pane, as the desk shows them beside the open conversation.
    store.dispatch(customerPanelAttached());
    store.dispatch(ticketListRequested({ customerId: 'c-ada' }));
    await waitFor(() => store.getState().tickets.lists.get('c-ada')?.status === 'loaded', 'the ticket list');
    await waitFor(() => store.getState().customer360.details.get('c-ada')?.requests.conversations.status === 'loaded', 'the customer’s history');
    store.dispatch(actions.draftChanged({ conversationId: 'conv-chat', text: 'Checking your order now' }));
    expect(cachedLeaks(await cacheAfterPagehide(namespace)), 'the cache written in clear (the scan can fail)').to.not.be.empty;
    expect(leaks(store.getState(), ['tickets']), 'tickets: the scan can fail').to.not.be.empty;
    expect(leaks(store.getState(), ['customer360']), 'the customer’s history: the scan can fail').to.not.be.empty;

    connector.changeRole('agent');
    // In the same task as the event: nothing has rendered the state in between.
    const changedAt = session.states.length;
    expect(leaks(store.getState()), 'held right after the change').to.deep.equal([]);
    expect(store.getState().connection.sync).to.equal('syncing');
    await waitFor(() => store.getState().connection.sync === 'live', 'live again');
    await waitFor(() => store.getState().threads.byConversation.get('conv-mail')?.status === 'loaded', 'the open thread loaded again');
    await openThreads(store, ['conv-chat']);
    expect(store.getState().conversations.entities.size, 'the inbox is back').to.be.greaterThan(0);
    expect(session.states.slice(changedAt).flatMap((state) => leaks(state)), 'no state after the change held a clear value').to.deep.equal([]);
    expect(store.getState().ui.drafts.get('conv-chat'), 'the agent’s own draft').to.equal('Checking your order now');
    await waitFor(() => readCacheFingerprint(databaseName(namespace)) === 'masked', 'the cache marked masked');
    expect(cachedLeaks(await cacheAfterPagehide(namespace)), 'the database').to.deep.equal([]);

    // Given view-pii again: loaded again in clear.
    connector.changeRole('supervisor');
    await waitFor(() => store.getState().connection.sync === 'live' && leaks(store.getState()).length > 0, 'clear values back');
  });
});

describe('tabs under another role', () => {
  it('a masked tab never follows a tab that sees PII, so it never gets its events', async () => {
    const namespace = freshNamespace();
    const backends = { supervisor: new FakeHttpBackend({ memory: { seed: accessSeed('supervisor'), traffic: false, latencyMs: 0 } }), agent: new FakeHttpBackend({ memory: { seed: accessSeed('agent'), traffic: false, latencyMs: 0 } }) };
    cleanups.push(async () => {
      await backends.supervisor.close();
      await backends.agent.close();
    });
    const tab = (backend: FakeHttpBackend) => {
      let coordinator: TabCoordinator | null = null;
      const connector = new HttpConnector({ baseUrl: backend.baseUrl, getToken: backend.getToken, fetch: backend.fetch, WebSocket: backend.WebSocket });
      const store = createDeskStore({
        connector,
        ownsConnector: true,
        storage: openDeskStorage({ namespace }),
        ownsStorage: true,
        // As the workspace names it.
        tabs: (_agentId, agent) => (coordinator = createTabCoordinator({ name: tabCoordinatorName(`cc-workspace:${namespace}`, agent) })),
      });
      return { store, states: started(store), leads: () => coordinator?.isLeader === true };
    };
    const clear = tab(backends.supervisor);
    await waitFor(() => clear.leads(), 'the supervisor tab leads');
    const masked = tab(backends.agent);
    await waitFor(() => masked.store.getState().connection.sync === 'live', 'the masked tab live');
    await openThreads(clear.store, ['conv-chat']);
    await openThreads(masked.store, ['conv-chat']);
    await waitFor(() => masked.leads(), 'the masked tab leads its own tabs');
    const memory = backends.supervisor.memory;
    memory.simulateInboundMessage('conv-chat', 'Reach me on 13912345678');
    await waitFor(() => clear.store.getState().threads.byConversation.get('conv-chat')?.messages.some((message) => message.text.includes('13912345678')), 'the clear tab got it');
    await pause(300);
    expect(masked.states.flatMap((state) => leaks(state))).to.deep.equal([]);
  });
});
