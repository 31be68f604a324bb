import { expect } from '@esm-bundle/chai';
import { liveDesk } from '../../test/helpers/desk.js';
import { waitFor } from '../../test/helpers/events.js';
import { customer360Seed } from '../../test/fixtures/customer360-seed.js';
import { makeConversation, makeCustomer, makeEvent } from '../../test/fakes/fixtures.js';
import type { CommandOptions } from '../connector/connector.js';
import type { Conversation } from '../connector/model.js';
import { unavailable } from '../connector/errors.js';
import { MemoryConnector, type MemoryConnectorOptions } from '../connector/memory/index.js';
import { PersistentMap } from './persistent-map.js';
import * as actions from './actions.js';
import * as customer360 from './actions-customer360.js';
import { createDeskStore, type DeskStore } from './create-store.js';
import { selectPanelCustomer, selectPanelCustomerId, selectPanelDetail, selectPanelOpenTickets, selectPanelTimeline } from './selectors-customer360.js';
import { customer360Reducer, initialCustomer360, MAX_DETAILS, type Customer360Slice } from './slices/customer360.js';

/** A MemoryConnector whose customer history fails until told otherwise, and that counts the history requests. */
class FlakyHistoryConnector extends MemoryConnector {
  failHistory = true;
  historyRequests = 0;

  override listCustomerConversations(customerId: string, options?: CommandOptions): Promise<readonly Conversation[]> {
    this.historyRequests += 1;
    if (this.failHistory) return Promise.reject(unavailable('The history service is down.'));
    return super.listCustomerConversations(customerId, options);
  }
}

describe('customer 360 store', () => {
  let store: DeskStore;
  let connector: MemoryConnector;

  afterEach(() => store?.destroy());

  /** A live desk with a customer panel attached (details load only while one is). */
  async function start(options: MemoryConnectorOptions = {}): Promise<void> {
    ({ store, connector } = await liveDesk({ seed: customer360Seed, ...options }));
    store.dispatch(customer360.customerPanelAttached());
  }

  async function select(conversationId: string): Promise<void> {
    store.dispatch(actions.conversationSelected({ conversationId }));
    await waitFor(() => {
      const detail = selectPanelDetail(store.getState());
      return detail && Object.values(detail.requests).every((request) => request.status !== 'loading');
    }, 'the customer detail to load');
  }

  const timelineIds = () => selectPanelTimeline(store.getState()).map((entry) => `${entry.kind}:${entry.id}`);

  it('loads the selected conversation’s customer: history across channels newest first, tickets, duplicates', async () => {
    await start();
    await select('conv-chat');
    const state = store.getState();
    expect(selectPanelCustomerId(state)).to.equal('cust-ada');
    expect(selectPanelCustomer(state)?.name).to.equal('Ada Lovelace');
    expect(timelineIds()).to.deep.equal(['conversation:conv-chat', 'ticket:T-1', 'call:conv-call', 'conversation:conv-mail', 'ticket:T-2']);
    expect(selectPanelOpenTickets(state).map((ticket) => ticket.id)).to.deep.equal(['T-1']);
    expect(selectPanelDetail(state)?.duplicates.map((customer) => customer.id)).to.deep.equal(['cust-ada-2']);
  });

  it('loads nothing while no customer panel is attached, and the selected customer as soon as one is', async () => {
    ({ store, connector } = await liveDesk({ seed: customer360Seed }));
    store.dispatch(actions.conversationSelected({ conversationId: 'conv-chat' }));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(store.getState().customer360.details.size).to.equal(0);
    store.dispatch(customer360.customerPanelAttached());
    await waitFor(() => selectPanelDetail(store.getState())?.requests.conversations.status === 'loaded', 'the detail to load');
    store.dispatch(customer360.customerPanelDetached());
    store.dispatch(actions.conversationSelected({ conversationId: 'conv-wechat' }));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(store.getState().customer360.details.has('cust-wang')).to.equal(false);
  });

  it('does not ask for tickets when the backend has none, nor for anything when it has no customer profiles', async () => {
    await start({ capabilities: { tickets: false } });
    await select('conv-chat');
    expect(selectPanelDetail(store.getState())?.requests.tickets.status).to.equal('idle');
    expect(timelineIds()).to.deep.equal(['conversation:conv-chat', 'call:conv-call', 'conversation:conv-mail']);
    store.destroy();

    await start({ capabilities: { customers: false, customerMerge: false } });
    store.dispatch(actions.conversationSelected({ conversationId: 'conv-chat' }));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(store.getState().customer360.details.size).to.equal(0);
  });

  it('keeps the history live: a ticket created elsewhere appears on top, and among the open tickets', async () => {
    await start();
    await select('conv-chat');
    const created = await connector.createTicket({ customerId: 'cust-ada', subject: 'Callback tomorrow', description: '', conversationIds: ['conv-chat'] });
    await waitFor(() => timelineIds()[0] === `ticket:${created.id}`, 'the new ticket at the top of the history');
    expect(selectPanelOpenTickets(store.getState()).map((ticket) => ticket.id)).to.deep.equal([created.id, 'T-1']);
  });

  it('saves tag and notes edits in order, each from the customer as it is by then', async () => {
    await start();
    await select('conv-chat');
    store.dispatch(customer360.customerTagAdded({ customerId: 'cust-ada', tag: 'vip-lounge', requestId: 'r-1' }));
    store.dispatch(customer360.customerTagRemoved({ customerId: 'cust-ada', tag: 'K20 Pro', requestId: 'r-2' }));
    store.dispatch(customer360.customerTagAdded({ customerId: 'cust-ada', tag: 'callback', requestId: 'r-3' }));
    await waitFor(() => selectPanelDetail(store.getState())?.saves.tags.status === 'saved', 'the tags to save');
    expect((await connector.getCustomer('cust-ada')).tags).to.deep.equal(['repeat buyer', 'vip-lounge', 'callback']);
    expect(selectPanelCustomer(store.getState())?.tags).to.deep.equal(['repeat buyer', 'vip-lounge', 'callback']);

    store.dispatch(customer360.customerNotesSubmitted({ customerId: 'cust-ada', notes: 'x'.repeat(20001), requestId: 'r-4' }));
    await waitFor(() => selectPanelDetail(store.getState())?.saves.notes.status === 'failed', 'the notes save to fail');
    expect(selectPanelDetail(store.getState())?.saves.notes.error?.message).to.contain('limit is 20000');
    expect(selectPanelCustomer(store.getState())?.notes).to.equal('Prefers email.');
  });

  it('follows customer.updated from elsewhere', async () => {
    await start();
    await select('conv-chat');
    await connector.updateCustomer('cust-ada', { notes: 'Changed by a colleague.' });
    await waitFor(() => selectPanelCustomer(store.getState())?.notes === 'Changed by a colleague.', 'the update to arrive');
  });

  it('merges a duplicate: the source goes, the history shows both, and its old conversation still leads to the target', async () => {
    await start();
    await select('conv-chat');
    store.dispatch(customer360.customerMergeConfirmed({ targetId: 'cust-ada', sourceId: 'cust-ada-2', requestId: 'm-1' }));
    await waitFor(() => selectPanelDetail(store.getState())?.merge.status === 'merged', 'the merge');
    await waitFor(() => timelineIds().includes('conversation:conv-dup') && timelineIds().includes('ticket:T-3'), 'both histories');
    const state = store.getState();
    expect(state.customers.entities.has('cust-ada-2')).to.equal(false);
    expect(selectPanelDetail(state)?.duplicates).to.deep.equal([]);
    expect(selectPanelOpenTickets(state).map((ticket) => ticket.id)).to.have.members(['T-1', 'T-3']);
    expect(selectPanelCustomer(state)?.tags).to.include('warranty');
    expect(state.customer360.mergedInto.get('cust-ada-2')).to.equal('cust-ada');
  });

  it('switches to the target when the customer shown is merged away by someone else', async () => {
    await start();
    await select('conv-dup');
    expect(selectPanelCustomerId(store.getState())).to.equal('cust-ada-2');
    await connector.mergeCustomers('cust-ada', 'cust-ada-2');
    await waitFor(() => selectPanelCustomerId(store.getState()) === 'cust-ada', 'the panel to follow the merge');
    await waitFor(() => timelineIds().includes('conversation:conv-dup') && timelineIds().includes('conversation:conv-chat'), 'the target’s full history');
  });

  it('shows a failed part with its reason and loads it again on retry', async () => {
    const flaky = new FlakyHistoryConnector({ seed: customer360Seed, traffic: false });
    store = createDeskStore({ connector: flaky });
    store.dispatch(actions.workspaceStarted());
    store.dispatch(customer360.customerPanelAttached());
    await waitFor(() => store.getState().connection.sync === 'live', 'the store to go live');
    await select('conv-chat');
    const failed = selectPanelDetail(store.getState())?.requests.conversations;
    expect(failed?.status).to.equal('failed');
    expect(failed?.error?.message).to.equal('The history service is down.');
    flaky.failHistory = false;
    store.dispatch(customer360.customerDetailRetryRequested({ customerId: 'cust-ada' }));
    await waitFor(() => selectPanelDetail(store.getState())?.requests.conversations.status === 'loaded', 'the retry');
    expect(timelineIds()).to.include('call:conv-call');
    expect(flaky.historyRequests).to.equal(2);
  });
});

describe('customer 360 reducer', () => {
  const requested = (customerId: string) =>
    customer360.customerDetailRequested({ customerId, parts: ['conversations', 'tickets', 'duplicates'] });

  it('drops an answer that a merge made stale, and keeps the one asked for after it', () => {
    let slice = customer360Reducer(initialCustomer360, requested('a'), null);
    const first = slice.details.get('a')?.requests.conversations.generation ?? -1;
    slice = customer360Reducer(slice, customer360.customersMerged({ targetId: 'a', sourceId: 'b', requestId: 'm', customer: makeCustomer('a') }), null);
    slice = customer360Reducer(slice, requested('a'), null);
    const stale = customer360Reducer(
      slice,
      customer360.customerConversationsLoaded({ customerId: 'a', generation: first, conversations: [makeConversation('old', { customerId: 'a' })] }),
      null,
    );
    expect(stale).to.equal(slice);
    const current = slice.details.get('a')?.requests.conversations.generation ?? -1;
    const fresh = customer360Reducer(
      slice,
      customer360.customerConversationsLoaded({ customerId: 'a', generation: current, conversations: [makeConversation('new', { customerId: 'a' })] }),
      null,
    );
    expect(fresh.details.get('a')?.conversations.keys()).to.deep.equal(['new']);
    expect(fresh.details.get('a')?.requests.conversations.status).to.equal('loaded');
  });

  it('keeps at most MAX_DETAILS customers, dropping the least recently viewed', () => {
    let slice: Customer360Slice = initialCustomer360;
    for (let index = 0; index <= MAX_DETAILS; index++) slice = customer360Reducer(slice, requested(`c-${index}`), null);
    expect(slice.details.size).to.equal(MAX_DETAILS);
    expect(slice.details.has('c-0')).to.equal(false);
    expect(slice.details.has(`c-${MAX_DETAILS}`)).to.equal(true);
  });

  it('leaves the slice untouched by events about customers it does not hold', () => {
    const slice = customer360Reducer(initialCustomer360, requested('a'), null);
    const event = makeEvent('conversations', 1, { type: 'conversation.upserted', conversation: makeConversation('c-9', { customerId: 'z' }) });
    expect(customer360Reducer(slice, actions.eventReceived({ event }), event)).to.equal(slice);
  });

  it('moves a conversation between held customers when its customer changes', () => {
    let slice = customer360Reducer(initialCustomer360, requested('a'), null);
    slice = customer360Reducer(slice, requested('b'), null);
    const onA = makeEvent('conversations', 1, { type: 'conversation.upserted', conversation: makeConversation('c-1', { customerId: 'a' }) });
    slice = customer360Reducer(slice, actions.eventReceived({ event: onA }), onA);
    const onB = makeEvent('conversations', 2, { type: 'conversation.upserted', conversation: makeConversation('c-1', { customerId: 'b' }) });
    slice = customer360Reducer(slice, actions.eventReceived({ event: onB }), onB);
    expect(slice.details.get('a')?.conversations.size).to.equal(0);
    expect(slice.details.get('b')?.conversations.has('c-1')).to.equal(true);
    expect(slice.mergedInto).to.equal(PersistentMap.empty());
  });
});
