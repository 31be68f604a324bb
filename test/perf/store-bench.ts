/**
 * Store throughput under a backend event storm: events go through the real store (connector `events$` →
 * events effect → dispatch → reducers → every selector the workspace subscribes to), at 100 and at 10,000
 * conversations. Run through `npm run bench:store` (scripts/bench-store.mjs bundles this file for Node).
 */
import { Subject } from 'rxjs';
import type { Connector, ConnectorEvent, Snapshot } from '../../src/connector/connector.js';
import type { Conversation, Message } from '../../src/connector/model.js';
import * as actions from '../../src/store/actions.js';
import { createDeskStore, type DeskStore } from '../../src/store/create-store.js';
import * as selectors from '../../src/store/selectors.js';
import * as agentStatusSelectors from '../../src/store/selectors-agent-status.js';
import * as conversationSelectors from '../../src/store/selectors-conversation.js';
import * as customer360Selectors from '../../src/store/selectors-customer360.js';
import * as knowledgeSelectors from '../../src/store/selectors-knowledge.js';
import * as offersSelectors from '../../src/store/selectors-offers.js';
import * as ticketsSelectors from '../../src/store/selectors-tickets.js';
import type { Selector } from '../../src/store/select.js';
import type { DeskState } from '../../src/store/state.js';
import { ALL_CAPABILITIES } from '../fakes/fake-connector.js';
import { EventSequencer, makeAgent, makeConversation, makeCustomer, makeMessage, T0 } from '../fakes/fixtures.js';

export interface BenchOptions {
  readonly sizes: readonly number[];
  readonly events: number;
  readonly rounds: number;
  readonly warmupEvents: number;
  /**
   * How the backend numbers its events. `kind`: one stream per kind of entity, as the MemoryConnector does
   * (`conversations` carries conversation.* and message.*). `conversation`: one stream per conversation, so the
   * store tracks 10,000 sequence numbers at 10,000 conversations (the harder case).
   */
  readonly streams: 'kind' | 'conversation';
  readonly gc: (() => void) | null;
  /** Bytes of JS heap in use (the runner passes Node's `process.memoryUsage().heapUsed`). */
  readonly heapUsed: () => number;
  readonly log: (line: string) => void;
}

export interface SizeResult {
  readonly conversations: number;
  readonly eventsPerSecond: number;
  readonly microsecondsPerEvent: number;
  readonly roundsEventsPerSecond: readonly number[];
  readonly heapUsedMb: number;
  readonly emissions: Readonly<Record<string, number>>;
}

/**
 * Every selector the parts of the workspace read through a StoreController: each `select*` export of the store's
 * selector modules that maps the state to a value (factories keyed by an id are left out).
 */
function workspaceSelectors(state: DeskState): Readonly<Record<string, Selector<DeskState, unknown>>> {
  const modules = [selectors, agentStatusSelectors, conversationSelectors, customer360Selectors, knowledgeSelectors, offersSelectors, ticketsSelectors];
  const found: Record<string, Selector<DeskState, unknown>> = {};
  for (const module of modules) {
    for (const [name, value] of Object.entries(module)) {
      if (!name.startsWith('select') || typeof value !== 'function') continue;
      const selector = value as Selector<DeskState, unknown>;
      if (typeof selector(state) === 'function') continue;
      found[name] = selector;
    }
  }
  return found;
}

const PREVIEWS = [
  'Hi, my order has not arrived yet',
  '您好，我想查询一下退款进度',
  'Can I change the delivery address?',
  'The app keeps logging me out',
  '请问会员积分怎么兑换？',
  'Thanks, that solved it!',
  'I was charged twice for the same order',
  'When does the sale end?',
];

/** A deterministic generator, so every run replays the same storm. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

const SELECTED_INDEX = 0;
const THREAD_LENGTH = 50;

interface Workload {
  readonly snapshot: Snapshot;
  readonly selectedId: string;
  readonly thread: readonly Message[];
  /** A fresh storm, the same on every call: the store of every round sees the same events. */
  readonly storm: () => Storm;
}

/**
 * Stream names as a connector delivers them: flat strings (from `JSON.parse`), not the rope a template literal
 * builds, which V8 would have to flatten on every hash and would make the store look slower than it is.
 */
function streamOf(options: BenchOptions, conversationId: string): string {
  return JSON.parse(JSON.stringify(options.streams === 'kind' ? 'conversations' : `conversation:${conversationId}`)) as string;
}

/**
 * Backend events with the right next `seq` per stream: 60 % `conversation.upserted` (new preview, lastMessageAt,
 * unreadCount + 1) and 40 % `message.added`, on random conversations; one event in 200 is on the selected one.
 * Events are made a chunk at a time just before they are pushed, as a connector parses them off its socket.
 */
class Storm {
  private readonly next: () => number;
  private readonly sequencer: EventSequencer;
  private readonly current: Map<string, Conversation>;
  private clock = T0;
  private count = 0;
  last: ConnectorEvent | null = null;

  constructor(
    seed: number,
    private readonly conversations: readonly Conversation[],
    private readonly streams: ReadonlyMap<string, string>,
    sequences: Readonly<Record<string, number>>,
  ) {
    this.next = random(seed);
    this.sequencer = new EventSequencer(sequences);
    this.current = new Map(conversations.map((conversation) => [conversation.id, conversation]));
  }

  chunk(size: number): ConnectorEvent[] {
    const events: ConnectorEvent[] = [];
    const selected = this.conversations[SELECTED_INDEX] as Conversation;
    for (let i = 0; i < size; i++) {
      this.clock += 7;
      this.count += 1;
      const target =
        this.next() < 0.005 ? selected : (this.conversations[Math.floor(this.next() * this.conversations.length)] as Conversation);
      const stream = this.streams.get(target.id) as string;
      const preview = PREVIEWS[Math.floor(this.next() * PREVIEWS.length)] as string;
      if (this.next() < 0.6) {
        const previous = this.current.get(target.id) as Conversation;
        const conversation: Conversation = {
          ...previous,
          lastMessageAt: this.clock,
          lastMessagePreview: preview,
          unreadCount: previous.unreadCount + 1,
        };
        this.current.set(target.id, conversation);
        events.push(this.sequencer.next(stream, { type: 'conversation.upserted', conversation }, this.clock));
      } else {
        const message = makeMessage(`m-${this.count}`, target.id, { text: preview, sentAt: this.clock });
        events.push(this.sequencer.next(stream, { type: 'message.added', message }, this.clock));
      }
    }
    this.last = events[events.length - 1] ?? this.last;
    return events;
  }
}

/** The snapshot of `size` conversations (with their customers), the selected conversation's first page, and the storm. */
function buildWorkload(size: number, options: BenchOptions): Workload {
  const conversations: Conversation[] = [];
  for (let i = 0; i < size; i++) {
    conversations.push(
      makeConversation(`c-${i}`, {
        customerId: `cu-${i}`,
        channel: i % 3 === 0 ? 'email' : i % 3 === 1 ? 'webchat' : 'wechat',
        lastMessageAt: T0 - i * 1000,
        lastMessagePreview: PREVIEWS[i % PREVIEWS.length] as string,
        unreadCount: i % 4,
      }),
    );
  }
  const customers = conversations.map((conversation) => makeCustomer(conversation.customerId));
  const streams = new Map(conversations.map((conversation) => [conversation.id, streamOf(options, conversation.id)]));
  const sequences: Record<string, number> = {};
  for (const stream of streams.values()) sequences[stream] = 1000;
  const snapshot: Snapshot = { agent: makeAgent(), conversations, offers: [], customers, sequences };

  const selected = conversations[SELECTED_INDEX] as Conversation;
  const thread: Message[] = [];
  for (let i = 0; i < THREAD_LENGTH; i++) {
    thread.push(makeMessage(`m-${selected.id}-h${i}`, selected.id, { sentAt: T0 - (THREAD_LENGTH - i) * 60_000 }));
  }
  return { snapshot, selectedId: selected.id, thread, storm: () => new Storm(size, conversations, streams, sequences) };
}

/** A connector that answers at once and whose `events$` the bench pushes into. */
function benchConnector(workload: Workload, events: Subject<ConnectorEvent>): Connector {
  const unused = (): Promise<never> => Promise.reject(new Error('not used by the bench'));
  return {
    capabilities: ALL_CAPABILITIES,
    state: 'connected',
    state$: new Subject<never>(),
    events$: events,
    connect: async () => ({ agent: workload.snapshot.agent }),
    disconnect: async () => undefined,
    snapshot: async () => workload.snapshot,
    listMessages: async () => ({ items: workload.thread, nextCursor: null }),
    markRead: async (id: string) => workload.snapshot.conversations.find((conversation) => conversation.id === id) as Conversation,
    getCustomer: async (id: string) => makeCustomer(id),
    getAgent: unused,
    setPresence: unused,
    setCapacity: unused,
    listQueues: unused,
    listAgents: unused,
    listConversations: unused,
    getConversation: unused,
    sendMessage: unused,
    assignConversation: unused,
    setConversationStatus: unused,
    acceptOffer: unused,
    declineOffer: unused,
    findCustomers: unused,
    updateCustomer: unused,
    listDuplicateCandidates: unused,
    mergeCustomers: unused,
    listCustomerConversations: unused,
    listTickets: unused,
    getTicket: unused,
    createTicket: unused,
    updateTicket: unused,
    commentTicket: unused,
    searchKnowledge: unused,
    getArticle: unused,
    rateArticle: unused,
    suggestArticles: unused,
    listCannedReplies: unused,
    getTelephonyConfig: unused,
    saveCallRecord: unused,
  };
}

const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

interface LiveDesk {
  readonly store: DeskStore;
  readonly events: Subject<ConnectorEvent>;
  readonly emissions: Record<string, number>;
  readonly dispose: () => void;
}

/** A store that is connected, live on the snapshot, with a conversation open and its thread loaded. */
async function liveDesk(workload: Workload): Promise<LiveDesk> {
  const events = new Subject<ConnectorEvent>();
  const store = createDeskStore({ connector: benchConnector(workload, events) });
  const emissions: Record<string, number> = {};
  const subscriptions = Object.entries(workspaceSelectors(store.getState())).map(([name, selector]) => {
    emissions[name] = 0;
    return store.select(selector).subscribe(() => {
      emissions[name] = (emissions[name] ?? 0) + 1;
    });
  });
  store.dispatch(actions.workspaceStarted());
  for (let i = 0; i < 10 && store.getState().connection.sync !== 'live'; i++) await settle();
  store.dispatch(actions.conversationSelected({ conversationId: workload.selectedId }));
  for (let i = 0; i < 10 && store.getState().threads.byConversation.get(workload.selectedId)?.status !== 'loaded'; i++) await settle();
  const state = store.getState();
  if (state.connection.sync !== 'live' || state.conversations.entities.size !== workload.snapshot.conversations.length) {
    throw new Error('bench: the store did not go live on the snapshot');
  }
  if (state.threads.byConversation.get(workload.selectedId)?.status !== 'loaded') throw new Error('bench: the thread did not load');
  for (const name of Object.keys(emissions)) emissions[name] = 0;
  return {
    store,
    events,
    emissions,
    dispose: () => {
      for (const subscription of subscriptions) subscription.unsubscribe();
      store.destroy();
    },
  };
}

const CHUNK = 1000;

/** Pushes `count` events through the store; returns the milliseconds spent in the store (event making excluded). */
function pump(desk: LiveDesk, storm: Storm, count: number): number {
  const subject = desk.events;
  let elapsed = 0;
  for (let done = 0; done < count; done += CHUNK) {
    const events = storm.chunk(Math.min(CHUNK, count - done));
    const started = performance.now();
    for (let i = 0; i < events.length; i++) subject.next(events[i] as ConnectorEvent);
    elapsed += performance.now() - started;
  }
  return elapsed;
}

/** Fails the bench unless every event was applied in order and the selectors saw it. */
function verify(desk: LiveDesk, storm: Storm): void {
  const state = desk.store.getState();
  const connection = state.connection;
  if (connection.gap !== null || connection.sync !== 'live' || connection.duplicatesIgnored !== 0) {
    throw new Error(`bench: events were not applied in order (${JSON.stringify({ gap: connection.gap, sync: connection.sync })})`);
  }
  const last = storm.last;
  if (last && connection.sequences.get(last.stream) !== last.seq) throw new Error('bench: the last event was not applied');
  if (last?.type === 'conversation.upserted' && state.conversations.entities.get(last.conversation.id) !== last.conversation) {
    throw new Error('bench: the last conversation update is not in the state');
  }
  if ((desk.emissions['selectConversationEntities'] ?? 0) === 0 || (desk.emissions['selectSelectedThread'] ?? 0) === 0) {
    throw new Error('bench: selectors did not emit');
  }
}

interface Round {
  readonly eventsPerSecond: number;
  readonly heapUsed: number;
  readonly emissions: Readonly<Record<string, number>>;
}

async function round(workload: Workload, count: number, options: BenchOptions): Promise<Round> {
  const desk = await liveDesk(workload);
  const storm = workload.storm();
  options.gc?.();
  const elapsed = pump(desk, storm, count);
  verify(desk, storm);
  options.gc?.();
  const result = { eventsPerSecond: (count / elapsed) * 1000, heapUsed: options.heapUsed(), emissions: { ...desk.emissions } };
  desk.dispose();
  return result;
}

export async function runStoreBench(options: BenchOptions): Promise<SizeResult[]> {
  const workloads = options.sizes.map((size) => buildWorkload(size, options));
  for (const workload of workloads) await round(workload, options.warmupEvents, options);
  // Rounds alternate between sizes, so drift (JIT, heap growth, a busy machine) falls on both alike.
  const rounds: Round[][] = workloads.map(() => []);
  for (let index = 0; index < options.rounds; index++) {
    for (const [position, workload] of workloads.entries()) rounds[position]?.push(await round(workload, options.events, options));
  }
  return options.sizes.map((size, position) => {
    const measured = rounds[position] ?? [];
    const rates = measured.map((entry) => entry.eventsPerSecond).sort((a, b) => a - b);
    const median = rates[Math.floor(rates.length / 2)] as number;
    const last = measured[measured.length - 1] as Round;
    const result: SizeResult = {
      conversations: size,
      eventsPerSecond: median,
      microsecondsPerEvent: 1e6 / median,
      roundsEventsPerSecond: rates,
      heapUsedMb: last.heapUsed / 2 ** 20,
      emissions: last.emissions,
    };
    const emitted = Object.entries(result.emissions)
      .map(([name, count]) => `${name.replace(/^select/, '')}=${count}`)
      .join(' ');
    options.log(
      `${String(size).padStart(6)} conversations: ${Math.round(result.eventsPerSecond).toLocaleString('en-US')} events/s ` +
        `(${result.microsecondsPerEvent.toFixed(2)} µs/event; median of ${options.rounds} rounds × ${options.events.toLocaleString('en-US')} events: ` +
        `${rates.map((rate) => `${Math.round(rate / 1000)}k`).join(' ')}); heap used after a round (after GC, store alive) ${result.heapUsedMb.toFixed(1)} MB`,
    );
    options.log(`        selector emissions in the last round: ${emitted}`);
    return result;
  });
}
