import { expect } from '@esm-bundle/chai';
import type { ConnectorEvent, Snapshot } from '../connector/connector.js';
import type { Message } from '../connector/model.js';
import { PersistentMap } from './persistent-map.js';
import { ALL_CAPABILITIES } from '../../test/fakes/fake-connector.js';
import {
  makeAgent,
  makeConversation,
  makeCustomer,
  makeEvent,
  makeMessage,
  makeOffer,
  makeSnapshot,
  T0,
} from '../../test/fakes/fixtures.js';
import type { Action } from './action.js';
import * as actions from './actions.js';
import type { ErrorInfo } from './errors.js';
import { selectNotices, selectSelectedDraft, selectSelectedThread } from './selectors.js';
import { emptyThread, type Thread } from './slices/threads.js';
import { deskReducer, initialDeskState, type DeskState } from './state.js';

/** Freezes a value and everything it reaches, so any mutation by a reducer throws (modules run in strict mode). */
function deepFreeze<T>(value: T, seen = new Set<object>()): T {
  if (value === null || typeof value !== 'object' || seen.has(value)) return value;
  seen.add(value);
  for (const key of Reflect.ownKeys(value)) deepFreeze((value as Record<PropertyKey, unknown>)[key], seen);
  return Object.freeze(value);
}

/** The state as text, persistent maps as their entries. */
function serialize(state: DeskState): string {
  return JSON.stringify(state, (_key, value: unknown) => (value instanceof PersistentMap ? [...(value as PersistentMap<unknown>)] : value));
}

/** Applies actions one by one, freezing every input state and action first. */
function reduce(state: DeskState, ...steps: Action[]): DeskState {
  let current = state;
  for (const action of steps) current = deskReducer(deepFreeze(current), deepFreeze(action));
  return current;
}

const STREAM = 'conversations';
const unavailable: ErrorInfo = { code: 'unavailable', message: 'The backend is unreachable.' };

function connectedState(): DeskState {
  return reduce(initialDeskState, actions.workspaceStarted(), actions.connected({ agent: makeAgent(), capabilities: ALL_CAPABILITIES }));
}

/** Connected and live on a snapshot of c-1 and c-2, with the `conversations` stream at 5. */
function liveState(overrides: Partial<Snapshot> = {}): DeskState {
  const snapshot = makeSnapshot({
    conversations: [makeConversation('c-1'), makeConversation('c-2', { unreadCount: 2 })],
    customers: [makeCustomer('cu-c-1'), makeCustomer('cu-c-2')],
    sequences: { [STREAM]: 5 },
    ...overrides,
  });
  return reduce(connectedState(), actions.snapshotLoaded({ snapshot }));
}

const received = (event: ConnectorEvent) => actions.eventReceived({ event });
const upserted = (seq: number, id: string, preview: string, stream = STREAM) =>
  received(makeEvent(stream, seq, { type: 'conversation.upserted', conversation: makeConversation(id, { lastMessagePreview: preview }) }));
const added = (seq: number, message: Message) => received(makeEvent(STREAM, seq, { type: 'message.added', message }));

function threadOf(state: DeskState, conversationId: string): Thread {
  return state.threads.byConversation.get(conversationId) ?? emptyThread;
}

/** Live, c-1 selected and its thread loaded with one inbound message. */
function openThreadState(): DeskState {
  return reduce(
    liveState(),
    actions.conversationSelected({ conversationId: 'c-1' }),
    actions.messagesLoaded({ conversationId: 'c-1', messages: [makeMessage('m-1', 'c-1')], nextCursor: 'before-m-1' }),
  );
}

const submit = (clientKey: string, text: string, conversationId = 'c-1') =>
  actions.messageSubmitted({ conversationId, clientKey, text, internal: false, authorName: 'Ada Agent', submittedAt: T0 + 1000 });

describe('deskReducer', () => {
  describe('purity', () => {
    it('never mutates its input state and gives the same result for the same input', () => {
      // Every step runs on deep-frozen input: any write into the previous state throws a TypeError.
      const steps: Action[] = [
        actions.workspaceStarted(),
        actions.connectionStateChanged({ state: 'connecting' }),
        actions.connected({ agent: makeAgent(), capabilities: ALL_CAPABILITIES }),
        actions.snapshotLoaded({
          snapshot: makeSnapshot({
            conversations: [makeConversation('c-1', { unreadCount: 3 }), makeConversation('c-2')],
            offers: [makeOffer('o-1')],
            customers: [makeCustomer('cu-c-1')],
            sequences: { [STREAM]: 1, agent: 1 },
          }),
        }),
        actions.conversationSelected({ conversationId: 'c-1' }),
        actions.messagesLoaded({ conversationId: 'c-1', messages: [makeMessage('m-1', 'c-1')], nextCursor: null }),
        actions.draftChanged({ conversationId: 'c-1', text: 'Hello' }),
        submit('k-1', 'Hello'),
        actions.messageSendFailed({ conversationId: 'c-1', clientKey: 'k-1', error: unavailable }),
        actions.messageRetryRequested({ conversationId: 'c-1', clientKey: 'k-1' }),
        actions.messageSent({ conversationId: 'c-1', clientKey: 'k-1', message: makeMessage('m-2', 'c-1', { direction: 'outbound' }) }),
        upserted(2, 'c-2', 'new preview'),
        added(3, makeMessage('m-3', 'c-1')),
        received(makeEvent('agent', 2, { type: 'offer.revoked', offerId: 'o-1', reason: 'expired' })),
        received(makeEvent('customers', 1, { type: 'customer.updated', customer: makeCustomer('cu-c-1', { vipLevel: 2 }) })),
        received(makeEvent(STREAM, 4, { type: 'conversation.removed', conversationId: 'c-2' })),
        actions.moreConversationsRequested(),
        actions.conversationsPageLoaded({ conversations: [makeConversation('c-9')], nextCursor: null }),
        upserted(9, 'c-1', 'gap'),
        actions.snapshotFailed({ error: unavailable }),
        actions.noticeDismissed({ noticeId: 'notice-1' }),
        actions.workspaceStopped(),
      ];
      let state = initialDeskState;
      for (const action of steps) {
        const before = serialize(state);
        const next = deskReducer(deepFreeze(state), deepFreeze(action));
        const again = deskReducer(state, action);
        expect(again, `${action.type} is deterministic`).to.deep.equal(next);
        expect(serialize(state), `${action.type} left its input alone`).to.equal(before);
        state = next;
      }
      expect(state).to.deep.equal(initialDeskState);
    });

    it('returns the identical state object for actions that change nothing', () => {
      const state = reduce(openThreadState(), actions.draftChanged({ conversationId: 'c-1', text: 'Hi' }), actions.moreConversationsRequested());
      const unchanged: Action[] = [
        { type: '[Test] unknown' },
        actions.draftChanged({ conversationId: 'c-1', text: 'Hi' }),
        actions.draftChanged({ conversationId: 'c-2', text: '' }),
        actions.conversationSelected({ conversationId: 'c-1' }),
        actions.moreConversationsRequested(),
        actions.noticeDismissed({ noticeId: 'notice-404' }),
        actions.connectionStateChanged({ state: 'connected' }),
        actions.customersLoaded({ customers: [] }),
      ];
      for (const action of unchanged) expect(deskReducer(deepFreeze(state), action), action.type).to.equal(state);
      // Before the snapshot, events change nothing at all (they are held by the effect and replayed later).
      const syncing = connectedState();
      expect(deskReducer(syncing, upserted(1, 'c-1', 'early'))).to.equal(syncing);
    });

    it('keeps the slices an event does not touch', () => {
      const state = openThreadState();
      const next = reduce(state, upserted(6, 'c-2', 'changed'));
      expect(next.conversations).to.not.equal(state.conversations);
      for (const slice of ['agent', 'threads', 'customers', 'offers', 'ui'] as const) expect(next[slice], slice).to.equal(state[slice]);
      const removed = reduce(state, received(makeEvent(STREAM, 6, { type: 'conversation.removed', conversationId: 'c-404' })));
      for (const slice of ['agent', 'conversations', 'threads', 'customers', 'offers', 'ui'] as const) {
        expect(removed[slice], `${slice} after removing an unknown conversation`).to.equal(state[slice]);
      }
      const revoked = reduce(state, received(makeEvent('agent', 1, { type: 'offer.revoked', offerId: 'o-404', reason: 'taken' })));
      expect(revoked.offers).to.equal(state.offers);
      const merged = reduce(state, received(makeEvent('customers', 1, { type: 'customer.merged', targetId: 'cu-c-1', sourceId: 'cu-404' })));
      expect(merged.customers).to.equal(state.customers);
    });
  });

  describe('sequencing', () => {
    it('applies the next event of a stream and records its number', () => {
      const state = reduce(liveState(), upserted(6, 'c-2', 'in order'));
      expect(state.conversations.entities.get('c-2')?.lastMessagePreview).to.equal('in order');
      expect(state.connection.sequences.get(STREAM)).to.equal(6);
      expect(state.connection.duplicatesIgnored).to.equal(0);
    });

    it('ignores and counts a duplicate (seq at or below the last one)', () => {
      const applied = reduce(liveState(), upserted(6, 'c-2', 'first'));
      const again = reduce(applied, upserted(6, 'c-2', 'replayed'), upserted(3, 'c-2', 'old'));
      expect(again.conversations.entities.get('c-2')?.lastMessagePreview).to.equal('first');
      expect(again.connection.sequences.get(STREAM)).to.equal(6);
      expect(again.connection.duplicatesIgnored).to.equal(2);
      expect(again.conversations).to.equal(applied.conversations);
    });

    it('does not apply an event past a gap: it records the gap and goes back to syncing', () => {
      const state = reduce(liveState(), upserted(8, 'c-2', 'too far'));
      expect(state.connection.gap).to.deep.equal({ stream: STREAM, expected: 6, received: 8 });
      expect(state.connection.sync).to.equal('syncing');
      expect(state.conversations.entities.get('c-2')?.lastMessagePreview).to.equal('Hello');
      expect(state.connection.sequences.get(STREAM)).to.equal(5);
      // Nothing applies until a snapshot, not even the missing event.
      const later = reduce(state, upserted(6, 'c-2', 'late'));
      expect(later.conversations.entities.get('c-2')?.lastMessagePreview).to.equal('Hello');
    });

    it('applies nothing before the snapshot', () => {
      const state = reduce(connectedState(), upserted(1, 'c-1', 'early'), added(2, makeMessage('m-1', 'c-1')));
      expect(state.connection.sync).to.equal('syncing');
      expect(state.conversations.entities.size).to.equal(0);
      expect(state.connection.sequences.size).to.equal(0);
    });

    it('starts a stream first seen after the snapshot at 1, and keeps streams apart', () => {
      const state = reduce(liveState(), upserted(1, 'c-3', 'other stream', 'tickets'), upserted(6, 'c-1', 'main'));
      expect(state.connection.sequences.get('tickets')).to.equal(1);
      expect(state.conversations.entities.get('c-3')?.lastMessagePreview).to.equal('other stream');
      expect(state.conversations.entities.get('c-1')?.lastMessagePreview).to.equal('main');
      const gap = reduce(liveState(), upserted(2, 'c-3', 'starts at 2', 'tickets'));
      expect(gap.connection.gap).to.deep.equal({ stream: 'tickets', expected: 1, received: 2 });
    });

    it('resyncs after a reconnect: events wait for the next snapshot', () => {
      const state = reduce(liveState(), actions.connectionStateChanged({ state: 'reconnecting' }));
      expect(state.connection.sync).to.equal('syncing');
      expect(reduce(state, upserted(6, 'c-1', 'while away')).conversations).to.equal(state.conversations);
    });

    it('resyncs after the link went down and came back, and after the event stream failed', () => {
      const down = reduce(liveState(), actions.connectionStateChanged({ state: 'disconnected' }), actions.connectionStateChanged({ state: 'connected' }));
      expect(down.connection.sync).to.equal('syncing');
      const failed = reduce(liveState(), actions.eventStreamFailed({ error: unavailable }));
      expect(failed.connection.sync).to.equal('syncing');
      // A connector that resumes its events after a drop (and says when it cannot) needs no snapshot for one.
      const resumes = reduce(
        initialDeskState,
        actions.workspaceStarted(),
        actions.connected({ agent: makeAgent(), capabilities: ALL_CAPABILITIES, resumesEvents: true }),
        actions.snapshotLoaded({ snapshot: makeSnapshot({ sequences: { [STREAM]: 5 } }) }),
        actions.connectionStateChanged({ state: 'reconnecting' }),
        actions.connectionStateChanged({ state: 'connected' }),
      );
      expect(resumes.connection.sync).to.equal('live');
      expect(reduce(resumes, actions.eventStreamFailed({ error: unavailable })).connection.sync, 'a failed stream is another matter').to.equal('syncing');
      // Before the first sync, a drop is nothing to catch up on.
      expect(reduce(connectedState(), actions.connectionStateChanged({ state: 'disconnected' })).connection.sync).to.not.equal('live');
    });
  });

  describe('snapshot', () => {
    it('updates the working set over what is held (keeping paged-in and open conversations), and replaces offers and sequences', () => {
      const before = reduce(
        liveState({ offers: [makeOffer('o-1')] }),
        upserted(6, 'c-2', 'will be replaced'),
        actions.moreConversationsRequested(),
        actions.conversationsPageLoaded({ conversations: [makeConversation('c-old')], nextCursor: 'page-2' }),
        upserted(9, 'c-1', 'gap'),
      );
      expect(before.connection.gap).to.not.equal(null);
      const snapshot = makeSnapshot({
        conversations: [makeConversation('c-2', { lastMessagePreview: 'from snapshot' }), makeConversation('c-3')],
        offers: [makeOffer('o-2')],
        customers: [makeCustomer('cu-c-3')],
        sequences: { [STREAM]: 42 },
      });
      const state = reduce(before, actions.snapshotLoaded({ snapshot }));
      expect(state.conversations.entities.keys().sort()).to.deep.equal(['c-1', 'c-2', 'c-3', 'c-old']);
      expect(state.conversations.entities.get('c-2')?.lastMessagePreview).to.equal('from snapshot');
      expect(state.offers.entities.keys()).to.deep.equal(['o-2']);
      expect(state.customers.entities.has('cu-c-3')).to.equal(true);
      // Paging goes on from where it was.
      expect(state.conversations.nextCursor).to.equal('page-2');
      expect(state.connection.sequences.get(STREAM)).to.equal(42);
      expect(state.connection.gap).to.equal(null);
      expect(state.connection.sync).to.equal('live');
    });

    it('resets loaded threads but keeps the messages that are not sent yet', () => {
      const state = reduce(
        openThreadState(),
        submit('k-sending', 'still sending'),
        submit('k-failed', 'failed once'),
        actions.messageSendFailed({ conversationId: 'c-1', clientKey: 'k-failed', error: unavailable }),
        submit('k-sent', 'went out'),
        actions.messageSent({ conversationId: 'c-1', clientKey: 'k-sent', message: makeMessage('m-sent', 'c-1', { delivery: 'sent' }) }),
        actions.snapshotLoaded({ snapshot: makeSnapshot({ conversations: [makeConversation('c-1')], sequences: { [STREAM]: 9 } }) }),
      );
      const thread = threadOf(state, 'c-1');
      expect(thread.status).to.equal('idle');
      expect(thread.nextCursor).to.equal(null);
      expect(thread.messages.map((message) => [message.clientKey, message.delivery, message.text])).to.deep.equal([
        ['k-sending', 'sending', 'still sending'],
        ['k-failed', 'failed', 'failed once'],
      ]);
      expect(thread.sendErrors).to.deep.equal({ 'k-failed': unavailable });
    });
  });

  describe('sending', () => {
    it('shows an optimistic copy, replaces it with the sent message, and does not duplicate the echo', () => {
      let state = reduce(openThreadState(), actions.draftChanged({ conversationId: 'c-1', text: 'On my way' }), submit('k-1', 'On my way'));
      let messages = threadOf(state, 'c-1').messages;
      expect(messages).to.have.length(2);
      expect(messages[1]).to.include({ id: 'local:k-1', clientKey: 'k-1', delivery: 'sending', text: 'On my way', direction: 'outbound' });
      expect(state.ui.drafts.get('c-1')).to.equal(undefined);

      const sent = makeMessage('m-2', 'c-1', { direction: 'outbound', text: 'On my way', delivery: 'sent', clientKey: 'k-1' });
      state = reduce(state, actions.messageSent({ conversationId: 'c-1', clientKey: 'k-1', message: sent }));
      messages = threadOf(state, 'c-1').messages;
      expect(messages.map((message) => message.id)).to.deep.equal(['m-1', 'm-2']);
      expect(messages[1]).to.include({ delivery: 'sent', clientKey: 'k-1' });

      state = reduce(state, added(6, { ...sent, delivery: 'delivered' }));
      messages = threadOf(state, 'c-1').messages;
      expect(messages.map((message) => message.id)).to.deep.equal(['m-1', 'm-2']);
      expect(messages[1]?.delivery).to.equal('delivered');

      // A later update that does not carry the client key is still the same message (same id).
      state = reduce(state, received(makeEvent(STREAM, 7, { type: 'message.updated', message: { ...sent, delivery: 'read', clientKey: null } })));
      messages = threadOf(state, 'c-1').messages;
      expect(messages.map((message) => [message.id, message.delivery])).to.deep.equal([
        ['m-1', 'delivered'],
        ['m-2', 'read'],
      ]);
    });

    it('matches an echo that arrives before the response to the optimistic copy, and keeps its later delivery state', () => {
      const echo = makeMessage('m-2', 'c-1', { direction: 'outbound', text: 'Hi', delivery: 'delivered', clientKey: 'k-1' });
      const state = reduce(
        openThreadState(),
        submit('k-1', 'Hi'),
        added(6, echo),
        actions.messageSent({ conversationId: 'c-1', clientKey: 'k-1', message: { ...echo, delivery: 'sent' } }),
      );
      const messages = threadOf(state, 'c-1').messages;
      expect(messages.map((message) => [message.id, message.delivery])).to.deep.equal([
        ['m-1', 'delivered'],
        ['m-2', 'delivered'],
      ]);
    });

    it('marks a failed send failed, keeps its text and the error, and sends it again on retry', () => {
      let state = reduce(openThreadState(), submit('k-1', 'Please check your inbox'));
      state = reduce(state, actions.messageSendFailed({ conversationId: 'c-1', clientKey: 'k-1', error: unavailable }));
      let thread = threadOf(state, 'c-1');
      expect(thread.messages[1]).to.include({ clientKey: 'k-1', delivery: 'failed', text: 'Please check your inbox' });
      expect(thread.sendErrors['k-1']).to.deep.equal(unavailable);
      expect(selectNotices(state).map((notice) => notice.error)).to.deep.equal([unavailable]);

      state = reduce(state, actions.messageRetryRequested({ conversationId: 'c-1', clientKey: 'k-1' }));
      thread = threadOf(state, 'c-1');
      expect(thread.messages[1]).to.include({ clientKey: 'k-1', delivery: 'sending', text: 'Please check your inbox' });
      expect(thread.sendErrors).to.deep.equal({});

      const sent = makeMessage('m-2', 'c-1', { direction: 'outbound', text: 'Please check your inbox', delivery: 'sent' });
      state = reduce(state, actions.messageSent({ conversationId: 'c-1', clientKey: 'k-1', message: sent }));
      expect(threadOf(state, 'c-1').messages.map((message) => [message.id, message.delivery, message.clientKey])).to.deep.equal([
        ['m-1', 'delivered', null],
        ['m-2', 'sent', 'k-1'],
      ]);
    });

    it('does not mark a message failed that the stream already confirmed', () => {
      const echo = makeMessage('m-2', 'c-1', { direction: 'outbound', text: 'Hi', delivery: 'delivered', clientKey: 'k-1' });
      const confirmed = reduce(openThreadState(), submit('k-1', 'Hi'), added(6, echo));
      const state = reduce(confirmed, actions.messageSendFailed({ conversationId: 'c-1', clientKey: 'k-1', error: unavailable }));
      expect(threadOf(state, 'c-1')).to.equal(threadOf(confirmed, 'c-1'));
      expect(threadOf(state, 'c-1').messages[1]?.delivery).to.equal('delivered');
    });

    it('sends an internal note as an internal message', () => {
      const state = reduce(
        openThreadState(),
        actions.messageSubmitted({ conversationId: 'c-1', clientKey: 'k-n', text: 'VIP, be nice', internal: true, authorName: 'Ada', submittedAt: T0 }),
      );
      expect(threadOf(state, 'c-1').messages.find((message) => message.clientKey === 'k-n')?.direction).to.equal('internal');
    });
  });

  describe('threads', () => {
    it('holds messages only for threads that were opened, in time order', () => {
      let state = reduce(liveState(), added(6, makeMessage('m-x', 'c-2')));
      expect(state.threads.byConversation.has('c-2')).to.equal(false);
      state = reduce(
        state,
        actions.conversationSelected({ conversationId: 'c-2' }),
        actions.messagesLoaded({ conversationId: 'c-2', messages: [makeMessage('m-2', 'c-2', { sentAt: T0 + 20 })], nextCursor: null }),
        added(7, makeMessage('m-1', 'c-2', { sentAt: T0 + 10 })),
        added(8, makeMessage('m-3', 'c-2', { sentAt: T0 + 30 })),
      );
      expect(threadOf(state, 'c-2').messages.map((message) => message.id)).to.deep.equal(['m-1', 'm-2', 'm-3']);
      expect(threadOf(state, 'c-2').status).to.equal('loaded');
    });

    it('marks the opened conversation read and its thread loading once', () => {
      const selected = reduce(liveState(), actions.conversationSelected({ conversationId: 'c-2' }));
      expect(selected.conversations.entities.get('c-2')?.unreadCount).to.equal(0);
      expect(threadOf(selected, 'c-2').status).to.equal('loading');
      expect(selectSelectedThread(selected)).to.equal(threadOf(selected, 'c-2'));
    });
  });

  describe('drafts', () => {
    it('keeps a draft per conversation and follows the selection', () => {
      let state = reduce(
        liveState(),
        actions.draftChanged({ conversationId: 'c-1', text: 'Dear customer' }),
        actions.draftChanged({ conversationId: 'c-2', text: '您好' }),
        actions.conversationSelected({ conversationId: 'c-1' }),
      );
      expect(selectSelectedDraft(state)).to.equal('Dear customer');
      state = reduce(state, actions.conversationSelected({ conversationId: 'c-2' }));
      expect(selectSelectedDraft(state)).to.equal('您好');
      state = reduce(state, actions.draftChanged({ conversationId: 'c-2', text: '' }));
      expect(selectSelectedDraft(state)).to.equal('');
      expect(state.ui.drafts.has('c-2')).to.equal(false);
      expect(state.ui.drafts.get('c-1')).to.equal('Dear customer');
    });

    it('clears only the draft of the conversation a message was sent from', () => {
      const state = reduce(
        openThreadState(),
        actions.draftChanged({ conversationId: 'c-1', text: 'sending this' }),
        actions.draftChanged({ conversationId: 'c-2', text: 'keep me' }),
        submit('k-1', 'sending this'),
      );
      expect(state.ui.drafts.has('c-1')).to.equal(false);
      expect(state.ui.drafts.get('c-2')).to.equal('keep me');
    });
  });

  describe('inserted text', () => {
    it('fills an empty draft, and follows what the agent typed after a blank line', () => {
      let state = reduce(liveState(), actions.composerTextInserted({ conversationId: 'c-1', text: 'Returns take 5 days.', source: 'knowledge' }));
      expect(state.ui.drafts.get('c-1')).to.equal('Returns take 5 days.');
      state = reduce(
        liveState(),
        actions.draftChanged({ conversationId: 'c-1', text: 'Hello Ada,  \n' }),
        actions.composerTextInserted({ conversationId: 'c-1', text: 'Returns take 5 days.', source: 'knowledge' }),
      );
      expect(state.ui.drafts.get('c-1')).to.equal('Hello Ada,\n\nReturns take 5 days.');
    });
  });

  describe('notices', () => {
    it('adds a notice per failure, except for cancelled requests', () => {
      const state = reduce(
        liveState(),
        actions.snapshotFailed({ error: unavailable }),
        actions.messagesFailed({ conversationId: 'c-1', error: { code: 'forbidden', message: 'You may not read this.' } }),
        actions.messagesFailed({ conversationId: 'c-2', error: { code: 'aborted', message: 'The request was cancelled.' } }),
        actions.markReadFailed({ conversationId: 'c-1', error: { code: 'aborted', message: 'The request was cancelled.' } }),
      );
      expect(selectNotices(state).map((notice) => [notice.source, notice.error.code])).to.deep.equal([
        [actions.snapshotFailed.type, 'unavailable'],
        [actions.messagesFailed.type, 'forbidden'],
      ]);
    });

    it('shows a repeated failure once, and can be dismissed', () => {
      let state = reduce(
        liveState(),
        actions.snapshotFailed({ error: unavailable }),
        actions.snapshotFailed({ error: unavailable }),
        actions.snapshotFailed({ error: { code: 'unavailable', message: 'Another reason.' } }),
      );
      const notices = selectNotices(state);
      expect(notices.map((notice) => notice.error.message)).to.deep.equal([unavailable.message, 'Another reason.']);
      expect(new Set(notices.map((notice) => notice.id)).size).to.equal(2);
      state = reduce(state, actions.noticeDismissed({ noticeId: (notices[0] as { id: string }).id }));
      expect(selectNotices(state).map((notice) => notice.error.message)).to.deep.equal(['Another reason.']);
      // Once dismissed, the same failure is shown again when it happens again.
      state = reduce(state, actions.snapshotFailed({ error: unavailable }));
      expect(selectNotices(state)).to.have.length(2);
    });

    it('keeps only the most recent notices', () => {
      let state = liveState();
      for (let i = 1; i <= 8; i++) {
        state = reduce(state, actions.customerLoadFailed({ customerId: `cu-${i}`, error: { code: 'not-found', message: `Customer ${i} was not found.` } }));
      }
      const messages = selectNotices(state).map((notice) => notice.error.message);
      expect(messages).to.have.length(5);
      expect(messages[messages.length - 1]).to.equal('Customer 8 was not found.');
      expect(messages).to.not.include('Customer 1 was not found.');
    });
  });
});
