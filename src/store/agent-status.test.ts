import { expect } from '@esm-bundle/chai';
import type { ConnectorEvent, Snapshot } from '../connector/connector.js';
import { ConnectorError } from '../connector/errors.js';
import type { Agent, Conversation, Message } from '../connector/model.js';
import { ALL_CAPABILITIES, FakeConnector } from '../../test/fakes/fake-connector.js';
import { EventSequencer, makeAgent, makeConversation, makeCustomer, makeMessage, makeOffer, makeSnapshot, T0 } from '../../test/fakes/fixtures.js';
import type { Action } from './action.js';
import * as actions from './actions.js';
import * as statusActions from './actions-agent-status.js';
import * as offerActions from './actions-offers.js';
import { createDeskStore, type DeskStore } from './create-store.js';
import { selectConnectionBanner, selectQueuedSendCount, selectTodayMetrics } from './selectors-agent-status.js';
import { selectOffers } from './selectors-offers.js';
import { deskReducer, initialDeskState, type DeskState } from './state.js';

const STREAM = 'conversations';
const MINUTE = 60_000;

async function until(condition: () => boolean, what: string, timeoutMs = 2000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error(`Timed out waiting for: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

const agentWith = (overrides: Partial<Agent> = {}): Agent =>
  makeAgent({ capacity: [{ channel: 'webchat', max: 3, load: 1 }, { channel: 'email', max: 5, load: 0 }], ...overrides });

interface Harness {
  readonly fake: FakeConnector;
  readonly store: DeskStore;
  readonly seen: Action[];
  state(): DeskState;
}

/** A store on a FakeConnector, connected and live on `snapshot`. */
async function liveHarness(snapshot: Snapshot = makeSnapshot({ agent: agentWith() })): Promise<Harness> {
  const fake = new FakeConnector();
  const store = createDeskStore({ connector: fake, now: () => T0 });
  const seen: Action[] = [];
  store.actions$.subscribe((action) => seen.push(action));
  fake.respond('connect', () => ({ agent: snapshot.agent }));
  store.dispatch(actions.workspaceStarted());
  (await fake.waitForCall('snapshot', 0)).resolve(snapshot);
  await until(() => store.getState().connection.sync === 'live', 'the store to go live');
  fake.setState('connected');
  return { fake, store, seen, state: () => store.getState() };
}

/** Applies actions to the state with the pure reducer. */
function reduce(state: DeskState, ...steps: Action[]): DeskState {
  return steps.reduce(deskReducer, state);
}

function liveState(conversations: Conversation[], agent: Agent = agentWith()): DeskState {
  return reduce(
    initialDeskState,
    actions.workspaceStarted(),
    actions.connected({ agent, capabilities: ALL_CAPABILITIES }),
    actions.snapshotLoaded({
      snapshot: makeSnapshot({ agent, conversations, customers: conversations.map((c) => makeCustomer(c.customerId)), sequences: { [STREAM]: 0 } }),
    }),
  );
}

const received = (event: ConnectorEvent) => actions.eventReceived({ event });

describe('agent status in the store', () => {
  const stores: DeskStore[] = [];
  afterEach(() => {
    for (const store of stores.splice(0)) store.destroy();
  });
  async function live(snapshot?: Snapshot): Promise<Harness> {
    const h = await liveHarness(snapshot);
    stores.push(h.store);
    return h;
  }

  describe('presence', () => {
    it('asks the backend, shows the change once confirmed, and remembers the previous presence', async () => {
      const h = await live();
      h.store.dispatch(statusActions.presenceChangeRequested({ presence: 'break' }));
      const call = await h.fake.waitForCall('setPresence', 0);
      expect(call.args[0]).to.equal('break');
      expect(h.state().agent.agent?.presence, 'unchanged until confirmed').to.equal('available');
      expect(h.state().agentStatus.presence).to.deep.equal({ status: 'pending', value: 'break', error: null });

      call.resolve(agentWith({ presence: 'break' }));
      await until(() => h.state().agent.agent?.presence === 'break', 'the new presence');
      expect(h.state().agentStatus.presence).to.equal(null);
      const changed = h.seen.find(statusActions.presenceChanged.match);
      expect(changed?.payload.previous).to.equal('available');
    });

    it('keeps the previous presence when the backend refuses, and says why until dismissed', async () => {
      const h = await live();
      h.store.dispatch(statusActions.presenceChangeRequested({ presence: 'offline' }));
      (await h.fake.waitForCall('setPresence', 0)).reject(new ConnectorError('unavailable', 'The presence service is down.'));
      await until(() => h.state().agentStatus.presence?.status === 'failed', 'the failure');
      expect(h.state().agent.agent?.presence).to.equal('available');
      expect(h.state().agentStatus.presence).to.deep.equal({
        status: 'failed',
        value: 'offline',
        error: { code: 'unavailable', message: 'The presence service is down.' },
      });
      h.store.dispatch(statusActions.presenceErrorDismissed());
      expect(h.state().agentStatus.presence).to.equal(null);
    });

    it('cancels a request still on its way when the agent picks again; only the latest lands', async () => {
      const h = await live();
      h.store.dispatch(statusActions.presenceChangeRequested({ presence: 'busy' }));
      const first = await h.fake.waitForCall('setPresence', 0);
      h.store.dispatch(statusActions.presenceChangeRequested({ presence: 'break' }));
      const second = await h.fake.waitForCall('setPresence', 1);
      expect(first.signal?.aborted).to.equal(true);
      second.resolve(agentWith({ presence: 'break' }));
      await until(() => h.state().agent.agent?.presence === 'break', 'the latest presence');
      expect(h.state().agentStatus.presence).to.equal(null);
    });
  });

  describe('capacity', () => {
    it('sets a channel maximum through the backend and keeps the load the stream reported', async () => {
      const h = await live();
      h.store.dispatch(statusActions.capacityChangeRequested({ channel: 'webchat', max: 6 }));
      const call = await h.fake.waitForCall('setCapacity', 0);
      expect(call.args.slice(0, 2)).to.deep.equal(['webchat', 6]);
      expect(h.state().agentStatus.capacity.webchat?.status).to.equal('pending');
      // The answer carries a load older than what the stream said meanwhile: only the maximum is taken from it.
      h.store.dispatch(
        received({
          type: 'agent.updated',
          agent: agentWith({ capacity: [{ channel: 'webchat', max: 3, load: 2 }, { channel: 'email', max: 5, load: 0 }] }),
          stream: 'agent',
          seq: 1,
          at: T0,
        }),
      );
      call.resolve(agentWith({ capacity: [{ channel: 'webchat', max: 6, load: 1 }, { channel: 'email', max: 5, load: 0 }] }));
      await until(() => h.state().agentStatus.capacity.webchat === undefined, 'the request to settle');
      expect(h.state().agent.agent?.capacity).to.deep.equal([
        { channel: 'webchat', max: 6, load: 2 },
        { channel: 'email', max: 5, load: 0 },
      ]);
    });

    it('keeps the maximum when the backend refuses, with the reason', async () => {
      const h = await live();
      h.store.dispatch(statusActions.capacityChangeRequested({ channel: 'email', max: 500 }));
      (await h.fake.waitForCall('setCapacity', 0)).reject(new ConnectorError('invalid', 'Capacity must be at most 100.'));
      await until(() => h.state().agentStatus.capacity.email?.status === 'failed', 'the failure');
      expect(h.state().agent.agent?.capacity.find((entry) => entry.channel === 'email')?.max).to.equal(5);
      expect(h.state().agentStatus.capacity.email?.error?.message).to.equal('Capacity must be at most 100.');
    });
  });

  describe('connection banner and queued sends', () => {
    it('counts the sends restored from storage after a reload', () => {
      const entry = (clientKey: string, state: 'unknown' | 'failed') => ({
        clientKey,
        conversationId: 'c-1',
        seq: 1,
        message: { conversationId: 'c-1', text: 'kept' },
        authorName: 'Ada',
        submittedAt: T0,
        attempts: 1,
        nextAttemptAt: null,
        state,
        lastError: null,
      });
      const state = reduce(liveState([makeConversation('c-1')]), actions.outboxRestored({ entries: [entry('k-1', 'unknown'), entry('k-2', 'failed')] }));
      expect(selectQueuedSendCount(state)).to.equal(2);
    });

    const submit = (clientKey: string) =>
      actions.messageSubmitted({ conversationId: 'c-1', clientKey, text: `text ${clientKey}`, internal: false, authorName: 'Ada', submittedAt: T0 });

    it('counts sends that are sending or failed, until each is confirmed', async () => {
      const h = await live(makeSnapshot({ agent: agentWith(), conversations: [makeConversation('c-1')], sequences: { [STREAM]: 0 } }));
      h.store.dispatch(submit('k-1'));
      h.store.dispatch(submit('k-2'));
      h.store.dispatch(submit('k-3'));
      expect(selectQueuedSendCount(h.state())).to.equal(3);

      (await h.fake.waitForCall('sendMessage', 0)).reject(new ConnectorError('unavailable', 'Offline'));
      await until(() => h.state().agentStatus.pendingSends.get('k-1')?.failed === true, 'k-1 to fail');
      expect(selectQueuedSendCount(h.state()), 'a failed send still counts').to.equal(3);

      // The stream's echo confirms k-2 before the command answers.
      const sent = makeMessage('m-2', 'c-1', { direction: 'outbound', delivery: 'sent', clientKey: 'k-2' });
      h.store.dispatch(received({ type: 'message.added', message: sent, stream: STREAM, seq: 1, at: T0 }));
      expect(selectQueuedSendCount(h.state())).to.equal(2);
      (await h.fake.waitForCall('sendMessage', 1)).resolve(sent);
      (await h.fake.waitForCall('sendMessage', 2)).resolve(makeMessage('m-3', 'c-1', { direction: 'outbound', delivery: 'sent', clientKey: 'k-3' }));
      await until(() => selectQueuedSendCount(h.state()) === 1, 'k-3 to be confirmed');

      h.store.dispatch(actions.messageRetryRequested({ conversationId: 'c-1', clientKey: 'k-1' }));
      expect(selectQueuedSendCount(h.state())).to.equal(1);
      (await h.fake.waitForCall('sendMessage', 3)).resolve(makeMessage('m-1', 'c-1', { direction: 'outbound', delivery: 'sent', clientKey: 'k-1' }));
      await until(() => selectQueuedSendCount(h.state()) === 0, 'every send to be confirmed');
    });

    it('tells online, reconnecting and offline, with the queued count', async () => {
      const h = await live(makeSnapshot({ agent: agentWith(), conversations: [makeConversation('c-1')], sequences: { [STREAM]: 0 } }));
      expect(selectConnectionBanner(h.state())).to.include({ state: 'online', queued: 0 });
      h.fake.setState('reconnecting');
      expect(selectConnectionBanner(h.state())).to.include({ state: 'reconnecting' });
      h.fake.setState('disconnected');
      h.store.dispatch(submit('k-1'));
      (await h.fake.waitForCall('sendMessage', 0)).reject(new ConnectorError('unavailable', 'Offline'));
      await until(() => h.state().agentStatus.pendingSends.get('k-1')?.failed === true, 'the send to fail');
      expect(selectConnectionBanner(h.state())).to.include({ state: 'offline', queued: 1 });
    });

    it('does no work for sends on events that are not about them', () => {
      const conversations = Array.from({ length: 2000 }, (_, index) => makeConversation(`c-${index}`, { assigneeId: null }));
      const state = liveState(conversations);
      const event = makeMessage('m-x', 'c-7', { direction: 'inbound' });
      const next = reduce(state, received({ type: 'message.added', message: event, stream: STREAM, seq: 1, at: T0 }));
      expect(next.agentStatus).to.equal(state.agentStatus);
    });
  });

  describe('today’s metrics', () => {
    const day = new Date(T0);
    // A time in the middle of the fixture's local day, so the tests do not depend on the machine's time zone.
    const noon = new Date(day.getFullYear(), day.getMonth(), day.getDate(), 12).getTime();

    function run(conversations: Conversation[], ...bodies: { body: Parameters<EventSequencer['next']>[1]; at: number }[]): DeskState {
      const sequencer = new EventSequencer({ [STREAM]: 0 });
      return reduce(liveState(conversations), ...bodies.map(({ body, at }) => received(sequencer.next(STREAM, body, at))));
    }
    const upserted = (conversation: Conversation, at: number) => ({ body: { type: 'conversation.upserted' as const, conversation }, at });
    const replied = (message: Message) => ({ body: { type: 'message.added' as const, message }, at: message.sentAt });

    it('counts conversations the agent resolved today, once each, with their handle time', () => {
      const queued = makeConversation('c-1', { assigneeId: null, status: 'queued', createdAt: noon - 30 * MINUTE });
      const already = makeConversation('c-2', { assigneeId: 'a-1', status: 'open', createdAt: noon - 10 * MINUTE });
      const someoneElses = makeConversation('c-3', { assigneeId: 'a-2', status: 'open' });
      const sinceYesterday = makeConversation('c-4', { assigneeId: 'a-1', status: 'open', createdAt: noon - 24 * 60 * MINUTE });
      const state = run(
        [queued, already, someoneElses, sinceYesterday],
        upserted({ ...queued, assigneeId: 'a-1', status: 'open' }, noon), // taken at noon
        upserted({ ...queued, assigneeId: 'a-1', status: 'resolved' }, noon + 4 * MINUTE), // 4 min
        upserted({ ...already, status: 'resolved' }, noon + 2 * MINUTE), // since created: 12 min
        upserted({ ...someoneElses, status: 'resolved' }, noon + 3 * MINUTE), // not the agent's
        upserted({ ...queued, assigneeId: 'a-1', status: 'open' }, noon + 5 * MINUTE), // reopened…
        upserted({ ...queued, assigneeId: 'a-1', status: 'resolved' }, noon + 6 * MINUTE), // …and resolved again: still one
        upserted(makeConversation('c-old', { assigneeId: 'a-1', status: 'resolved' }), noon + 7 * MINUTE), // history, not a change
        upserted({ ...sinceYesterday, status: 'resolved' }, noon + 8 * MINUTE), // handled, but its start is unknown
      );
      const metrics = selectTodayMetrics(state);
      expect(metrics.handled).to.equal(3);
      // Over the two whose start is known: (4 + 12) / 2 minutes.
      expect(metrics.averageHandleMs).to.equal(8 * MINUTE);
    });

    it('measures first responses against their due time', () => {
      const onTime = makeConversation('c-1', { assigneeId: 'a-1', firstResponseDueAt: noon + MINUTE });
      const late = makeConversation('c-2', { assigneeId: null, status: 'queued', firstResponseDueAt: noon });
      const notMine = makeConversation('c-3', { assigneeId: 'a-2', firstResponseDueAt: noon + MINUTE });
      const reply = (id: string, conversationId: string, sentAt: number, direction: Message['direction'] = 'outbound') =>
        makeMessage(id, conversationId, { direction, sentAt });
      const state = run(
        [onTime, late, notMine],
        replied(reply('m-0', 'c-1', noon - MINUTE, 'internal')), // a note is not a response
        replied(reply('m-1', 'c-1', noon + 30_000)),
        replied(reply('m-2', 'c-1', noon + 50 * MINUTE)), // a second reply does not count again
        replied(reply('m-3', 'c-2', noon + 2 * MINUTE)),
        replied(reply('m-4', 'c-3', noon)),
      );
      const metrics = selectTodayMetrics(state);
      expect(metrics.firstResponses).to.equal(2);
      expect(metrics.firstResponseSlaMet).to.equal(0.5);
    });

    it('starts from zero on a new day', () => {
      const conversation = makeConversation('c-1', { assigneeId: 'a-1', createdAt: noon - MINUTE, firstResponseDueAt: noon + MINUTE });
      const state = run(
        [conversation],
        replied(makeMessage('m-1', 'c-1', { direction: 'outbound', sentAt: noon })),
        upserted({ ...conversation, firstResponseDueAt: null, status: 'resolved' }, noon + MINUTE),
      );
      expect(selectTodayMetrics(state)).to.include({ handled: 1, firstResponses: 1 });
      const tomorrow = noon + 24 * 60 * MINUTE;
      const sequencer = new EventSequencer({ [STREAM]: 2 });
      const next = reduce(
        state,
        received(sequencer.next(STREAM, { type: 'conversation.upserted', conversation: { ...conversation, status: 'open', firstResponseDueAt: null } }, tomorrow)),
        received(sequencer.next(STREAM, { type: 'conversation.upserted', conversation: { ...conversation, status: 'resolved', firstResponseDueAt: null } }, tomorrow + MINUTE)),
      );
      const metrics = selectTodayMetrics(next);
      expect(metrics.day).to.not.equal(selectTodayMetrics(state).day);
      expect(metrics).to.include({ handled: 1, firstResponses: 0, firstResponseSlaMet: null });
    });
  });

  describe('work offers', () => {
    const offer = makeOffer('o-1', { conversationId: 'c-9', expiresAt: T0 + 30_000 });
    const withOffer = () => makeSnapshot({ agent: agentWith(), offers: [offer, makeOffer('o-2')], sequences: { agent: 0 } });

    it('accepts an offer once, then selects its conversation', async () => {
      const h = await live(withOffer());
      h.store.dispatch(offerActions.offerAcceptRequested({ offerId: 'o-1' }));
      h.store.dispatch(offerActions.offerAcceptRequested({ offerId: 'o-1' }));
      h.store.dispatch(offerActions.offerDeclineRequested({ offerId: 'o-1' }));
      const call = await h.fake.waitForCall('acceptOffer', 0);
      expect(call.args[0]).to.equal('o-1');
      expect(call.idempotencyKey).to.be.a('string');
      h.fake.respond('markRead', (markRead) => makeConversation(markRead.args[0]));
      call.resolve(makeConversation('c-9', { assigneeId: 'a-1' }));
      await until(() => h.state().ui.selectedConversationId === 'c-9', 'the conversation to be selected');
      expect(h.fake.calls('acceptOffer')).to.have.length(1);
      expect(h.fake.calls('declineOffer')).to.have.length(0);
      expect(selectOffers(h.state()).map((o) => o.id)).to.deep.equal(['o-2']);
      expect(h.state().offers.outcomes.map(({ offerId, outcome, conversationId }) => ({ offerId, outcome, conversationId }))).to.deep.equal([
        { offerId: 'o-1', outcome: 'accepted', conversationId: 'c-9' },
      ]);
    });

    it('keeps the reason when an accept fails, even after the backend withdrew the offer', async () => {
      const h = await live(withOffer());
      h.store.dispatch(offerActions.offerAcceptRequested({ offerId: 'o-1' }));
      const call = await h.fake.waitForCall('acceptOffer', 0);
      h.fake.emit({ type: 'offer.revoked', offerId: 'o-1', reason: 'taken', stream: 'agent', seq: 1, at: T0 });
      call.reject(new ConnectorError('conflict', 'Someone else took it.'));
      await until(() => h.state().offers.requests.get('o-1')?.status === 'failed', 'the failure');
      expect(h.state().offers.entities.has('o-1')).to.equal(false);
      expect(h.state().offers.requests.get('o-1')).to.deep.include({ kind: 'accept', error: { code: 'conflict', message: 'Someone else took it.' } });
      expect(h.state().offers.requests.get('o-1')?.offer?.id).to.equal('o-1');
      expect(h.state().ui.selectedConversationId).to.equal(null);
      h.store.dispatch(offerActions.offerErrorDismissed({ offerId: 'o-1' }));
      expect(h.state().offers.requests.size).to.equal(0);
    });

    it('declines an offer', async () => {
      const h = await live(withOffer());
      h.store.dispatch(offerActions.offerDeclineRequested({ offerId: 'o-2' }));
      (await h.fake.waitForCall('declineOffer', 0)).resolve(undefined);
      await until(() => !h.state().offers.entities.has('o-2'), 'the offer to go');
      expect(h.state().offers.outcomes.at(-1)).to.include({ offerId: 'o-2', outcome: 'declined' });
      expect(h.state().ui.selectedConversationId).to.equal(null);
    });
  });
});
