import { expect } from '@esm-bundle/chai';
import { liveDesk } from '../../test/helpers/desk.js';
import { waitFor } from '../../test/helpers/events.js';
import { smallSeed } from '../../test/fixtures/small-seed.js';
import { ALL_CAPABILITIES } from '../../test/fakes/fake-connector.js';
import { EventSequencer, makeAgent, makeSnapshot, T0, type EventBody } from '../../test/fakes/fixtures.js';
import type { MemoryConnector } from '../connector/memory/index.js';
import type { Seed } from '../connector/memory/seed.js';
import type { Ticket } from '../connector/model.js';
import type { Action } from './action.js';
import * as actions from './actions.js';
import * as ticketActions from './actions-tickets.js';
import type { DeskStore } from './create-store.js';
import { customerTickets, ticketConflict } from './selectors-tickets.js';
import { ticketSaveKey } from './slices/tickets.js';
import { deskReducer, initialDeskState, type DeskState } from './state.js';

function makeTicket(id: string, overrides: Partial<Ticket> = {}): Ticket {
  return {
    id,
    customerId: 'cu-1',
    subject: `Ticket ${id}`,
    description: '',
    type: 'question',
    priority: 'normal',
    status: 'new',
    assigneeId: null,
    groupId: null,
    sourceChannel: 'webchat',
    conversationIds: [],
    dueAt: null,
    createdAt: T0,
    updatedAt: T0,
    version: 1,
    comments: [],
    ...overrides,
  };
}

function reduce(state: DeskState, ...steps: Action[]): DeskState {
  return steps.reduce(deskReducer, state);
}

/** Live on an empty snapshot, with cu-1's tickets T-1 (new, v1) and T-2 (open, v3) loaded. */
function liveWithTickets(): { state: DeskState; events: EventSequencer } {
  const events = new EventSequencer({ tickets: 0 });
  const state = reduce(
    initialDeskState,
    actions.workspaceStarted(),
    actions.connected({ agent: makeAgent(), capabilities: ALL_CAPABILITIES }),
    actions.snapshotLoaded({ snapshot: makeSnapshot({ sequences: events.sequences() }) }),
    ticketActions.ticketListRequested({ customerId: 'cu-1' }),
    ticketActions.ticketListLoaded({ customerId: 'cu-1', tickets: [makeTicket('T-1'), makeTicket('T-2', { status: 'open', version: 3 })] }),
  );
  return { state, events };
}

const pushed = (events: EventSequencer, body: EventBody) => actions.eventReceived({ event: events.next('tickets', body) });
const ids = (state: DeskState, customerId = 'cu-1') => customerTickets(state.tickets, customerId).tickets.map((ticket) => ticket.id);

describe('tickets slice', () => {
  it('keeps a customer’s list live: new tickets join it, moved ones leave it, tickets of unlisted customers are not held', () => {
    const { state, events } = liveWithTickets();
    expect(customerTickets(state.tickets, 'cu-1').status).to.equal('loaded');
    const next = reduce(
      state,
      pushed(events, { type: 'ticket.upserted', ticket: makeTicket('T-3', { updatedAt: T0 + 10 }) }),
      pushed(events, { type: 'ticket.upserted', ticket: makeTicket('T-9', { customerId: 'cu-unlisted' }) }),
    );
    expect(ids(next)).to.have.members(['T-1', 'T-2', 'T-3']);
    expect(next.tickets.entities.has('T-9')).to.equal(false);

    const moved = reduce(
      next,
      ticketActions.ticketListRequested({ customerId: 'cu-2' }),
      ticketActions.ticketListLoaded({ customerId: 'cu-2', tickets: [] }),
      pushed(events, { type: 'ticket.upserted', ticket: makeTicket('T-1', { customerId: 'cu-2', version: 2 }) }),
    );
    expect(ids(moved)).to.have.members(['T-2', 'T-3']);
    expect(ids(moved, 'cu-2')).to.deep.equal(['T-1']);
  });

  it('ignores an older version than the one it holds, and records status moves for the history', () => {
    const { state, events } = liveWithTickets();
    const next = reduce(
      state,
      pushed(events, { type: 'ticket.upserted', ticket: makeTicket('T-2', { status: 'pending', version: 4, updatedAt: T0 + 5 }) }),
      ticketActions.ticketListLoaded({ customerId: 'cu-1', tickets: [makeTicket('T-1'), makeTicket('T-2', { status: 'open', version: 3 })] }),
    );
    expect(next.tickets.entities.get('T-2')?.status).to.equal('pending');
    expect(next.tickets.statusChanges.get('T-2')).to.deep.equal([{ from: 'open', to: 'pending', at: T0 + 5, version: 4 }]);
  });

  it('sees a conflict when someone else changes a ticket being edited, and keeps the edit', () => {
    const { state, events } = liveWithTickets();
    const editing = reduce(state, ticketActions.ticketFieldsEdited({ ticketId: 'T-1', changes: { description: 'typed' } }));
    expect(ticketConflict(editing.tickets, 'T-1')).to.equal(false);
    const changed = reduce(editing, pushed(events, { type: 'ticket.upserted', ticket: makeTicket('T-1', { priority: 'urgent', version: 2 }) }));
    expect(ticketConflict(changed.tickets, 'T-1')).to.equal(true);
    expect(changed.tickets.edits.get('T-1')).to.deep.equal({ baseVersion: 1, changes: { description: 'typed' } });

    const kept = reduce(changed, ticketActions.ticketEditKept({ ticketId: 'T-1' }));
    expect(ticketConflict(kept.tickets, 'T-1')).to.equal(false);
    expect(kept.tickets.edits.get('T-1')).to.deep.equal({ baseVersion: 2, changes: { description: 'typed' } });

    const discarded = reduce(changed, ticketActions.ticketEditDiscarded({ ticketId: 'T-1' }));
    expect(discarded.tickets.edits.has('T-1')).to.equal(false);
    expect(ticketConflict(discarded.tickets, 'T-1')).to.equal(false);
  });

  it('does not take the agent’s own status move or comment for someone else’s change', () => {
    const { state, events } = liveWithTickets();
    const moved = makeTicket('T-1', { status: 'open', version: 2 });
    const patch = { baseVersion: 1, status: 'open' as const };
    const next = reduce(
      state,
      ticketActions.ticketFieldsEdited({ ticketId: 'T-1', changes: { subject: 'mine' } }),
      ticketActions.ticketUpdateSubmitted({ ticketId: 'T-1', requestKey: 'k-1', kind: 'status', patch }),
      // The stream's echo comes before the command's answer.
      pushed(events, { type: 'ticket.upserted', ticket: moved }),
    );
    expect(ticketConflict(next.tickets, 'T-1')).to.equal(false);
    const answered = reduce(next, ticketActions.ticketUpdated({ ticketId: 'T-1', requestKey: 'k-1', kind: 'status', patch, ticket: moved }));
    expect(ticketConflict(answered.tickets, 'T-1')).to.equal(false);
    expect(answered.tickets.edits.get('T-1')).to.deep.equal({ baseVersion: 2, changes: { subject: 'mine' } });
    expect(answered.tickets.saves.get(ticketSaveKey('status', 'T-1'))?.status).to.equal('saved');
  });

  it('clears what a field save saved and keeps what was typed while it was saving', () => {
    const { state } = liveWithTickets();
    const patch = { baseVersion: 1, subject: 'first' };
    const next = reduce(
      state,
      ticketActions.ticketFieldsEdited({ ticketId: 'T-1', changes: { subject: 'first' } }),
      ticketActions.ticketUpdateSubmitted({ ticketId: 'T-1', requestKey: 'k-1', kind: 'fields', patch }),
      ticketActions.ticketFieldsEdited({ ticketId: 'T-1', changes: { description: 'more' } }),
      ticketActions.ticketUpdated({ ticketId: 'T-1', requestKey: 'k-1', kind: 'fields', patch, ticket: makeTicket('T-1', { subject: 'first', version: 2 }) }),
    );
    expect(next.tickets.edits.get('T-1')).to.deep.equal({ baseVersion: 2, changes: { description: 'more' } });
    const reverted = reduce(next, ticketActions.ticketFieldsEdited({ ticketId: 'T-1', changes: { description: '' } }));
    expect(reverted.tickets.edits.has('T-1')).to.equal(false);
  });

  it('keeps a new ticket form that is already being written, and marks loaded lists stale after a snapshot', () => {
    const { state } = liveWithTickets();
    const form: ticketActions.NewTicketForm = {
      customerId: 'cu-1', conversationId: 'c-1', sourceChannel: 'webchat', subject: 'Prefilled', description: '', type: 'question',
      priority: 'normal', assigneeId: null, groupId: null, dueAt: null,
    };
    const next = reduce(
      state,
      ticketActions.newTicketStarted({ form }),
      ticketActions.newTicketEdited({ conversationId: 'c-1', changes: { subject: 'Typed' } }),
      ticketActions.newTicketStarted({ form }),
    );
    expect(next.tickets.newTickets.get('c-1')?.subject).to.equal('Typed');
    const resynced = reduce(next, actions.snapshotLoaded({ snapshot: makeSnapshot({ sequences: { tickets: 0 } }) }));
    expect(customerTickets(resynced.tickets, 'cu-1').status).to.equal('idle');
    expect(ids(resynced)).to.have.members(['T-1', 'T-2']);
  });
});

/** Ada with one new ticket, T-1, linked to her chat. */
const seed: Seed = {
  ...smallSeed,
  queues: [
    { id: 'q-general', name: 'General' },
    { id: 'q-billing', name: 'Billing' },
  ],
  tickets: [{ id: 'T-1', customerId: 'cust-ada', subject: 'Order missing', conversationIds: ['conv-chat'] }],
};

describe('tickets effects (on the MemoryConnector)', () => {
  let store: DeskStore;
  let connector: MemoryConnector;

  beforeEach(async () => {
    ({ store, connector } = await liveDesk({ seed }));
  });
  afterEach(() => store.destroy());

  const tickets = () => store.getState().tickets;
  const saveOf = (kind: 'create' | 'fields' | 'status' | 'comment', id: string) => tickets().saves.get(ticketSaveKey(kind, id));
  async function loadAda(): Promise<void> {
    store.dispatch(ticketActions.ticketListRequested({ customerId: 'cust-ada' }));
    await waitFor(() => tickets().lists.get('cust-ada')?.status === 'loaded', 'Ada’s tickets');
  }

  it('loads a customer’s tickets, and shows a failure that a retry recovers from', async () => {
    await connector.disconnect();
    store.dispatch(ticketActions.ticketListRequested({ customerId: 'cust-ada' }));
    await waitFor(() => tickets().lists.get('cust-ada')?.status === 'failed', 'the failure');
    expect(tickets().lists.get('cust-ada')?.error?.code).to.equal('unavailable');
    await connector.connect();
    await loadAda();
    expect(customerTickets(tickets(), 'cust-ada').tickets.map((ticket) => ticket.subject)).to.deep.equal(['Order missing']);
  });

  it('loads the agents and groups to assign to', async () => {
    store.dispatch(ticketActions.ticketDirectoryRequested());
    await waitFor(() => tickets().directory.status === 'loaded', 'the directory');
    expect(tickets().directory.agents.map((agent) => agent.id)).to.include('agent-1');
    expect(tickets().directory.queues.map((queue) => queue.id)).to.deep.equal(['q-general', 'q-billing']);
  });

  it('creates a ticket once, opens it and drops the form', async () => {
    await loadAda();
    const form: ticketActions.NewTicketForm = {
      customerId: 'cust-ada', conversationId: 'conv-chat', sourceChannel: 'webchat', subject: 'New one', description: 'From the chat',
      type: 'incident', priority: 'high', assigneeId: 'agent-1', groupId: 'q-general', dueAt: Date.now() + 3_600_000,
    };
    store.dispatch(ticketActions.newTicketStarted({ form }));
    const { conversationId: _conversation, ...fields } = form;
    const draft = { ...fields, conversationIds: ['conv-chat'] };
    store.dispatch(ticketActions.ticketCreateSubmitted({ conversationId: 'conv-chat', requestKey: 'create-1', draft }));
    await waitFor(() => saveOf('create', 'conv-chat')?.status === 'saved', 'the create');
    const ticketId = saveOf('create', 'conv-chat')?.ticketId ?? '';
    expect(tickets().openTicketId).to.equal(ticketId);
    expect(tickets().newTickets.has('conv-chat')).to.equal(false);
    expect(customerTickets(tickets(), 'cust-ada').tickets.map((ticket) => ticket.id)).to.include(ticketId);
    // The same request again (a retry after a lost answer) creates nothing new.
    await connector.createTicket(draft, { idempotencyKey: 'create-1' });
    expect((await connector.listTickets('cust-ada')).filter((ticket) => ticket.subject === 'New one')).to.have.length(1);
  });

  it('keeps the backend’s message when it refuses a transition', async () => {
    await loadAda();
    const patch = { baseVersion: 1, status: 'closed' as const };
    store.dispatch(ticketActions.ticketUpdateSubmitted({ ticketId: 'T-1', requestKey: 'move-1', kind: 'status', patch }));
    await waitFor(() => saveOf('status', 'T-1')?.status === 'failed', 'the refusal');
    expect(saveOf('status', 'T-1')?.error).to.deep.include({ code: 'invalid' });
    expect(saveOf('status', 'T-1')?.error?.message).to.contain('cannot go from "new" to "closed"');
    expect(tickets().entities.get('T-1')?.status).to.equal('new');
  });

  it('runs the workflow and records each move', async () => {
    await loadAda();
    for (const [index, status] of (['open', 'pending', 'solved', 'closed'] as const).entries()) {
      const baseVersion = tickets().entities.get('T-1')?.version ?? 0;
      store.dispatch(ticketActions.ticketUpdateSubmitted({ ticketId: 'T-1', requestKey: `move-${index}`, kind: 'status', patch: { baseVersion, status } }));
      await waitFor(() => tickets().entities.get('T-1')?.status === status, `the move to ${status}`);
    }
    expect(tickets().statusChanges.get('T-1')?.map((change) => change.to)).to.deep.equal(['open', 'pending', 'solved', 'closed']);
  });

  it('turns a stale save into a conflict, fetches the current ticket and keeps the edit', async () => {
    await loadAda();
    const seen: Action[] = [];
    const subscription = store.actions$.subscribe((action) => seen.push(action));
    store.dispatch(ticketActions.ticketFieldsEdited({ ticketId: 'T-1', changes: { description: 'mine' } }));
    // Based on a version older than the backend's, as when someone else saved first.
    store.dispatch(ticketActions.ticketUpdateSubmitted({ ticketId: 'T-1', requestKey: 'save-1', kind: 'fields', patch: { baseVersion: 0, description: 'mine' } }));
    await waitFor(() => saveOf('fields', 'T-1')?.status === 'failed', 'the refusal');
    expect(saveOf('fields', 'T-1')?.error?.code).to.equal('conflict');
    await waitFor(() => seen.some((action) => ticketActions.ticketLoaded.match(action) && action.payload.ticket.id === 'T-1'), 'the current ticket');
    subscription.unsubscribe();
    expect(ticketConflict(tickets(), 'T-1')).to.equal(true);
    expect(tickets().edits.get('T-1')?.changes).to.deep.equal({ description: 'mine' });
    expect((await connector.getTicket('T-1')).description).to.equal('');
  });

  it('adds public and internal comments', async () => {
    await loadAda();
    store.dispatch(ticketActions.ticketCommentDraftChanged({ ticketId: 'T-1', body: 'Visible', internal: false }));
    store.dispatch(ticketActions.ticketCommentSubmitted({ ticketId: 'T-1', requestKey: 'c-1', comment: { body: 'Visible', internal: false } }));
    store.dispatch(ticketActions.ticketCommentSubmitted({ ticketId: 'T-1', requestKey: 'c-2', comment: { body: 'Agents only', internal: true } }));
    await waitFor(() => tickets().entities.get('T-1')?.comments.length === 2, 'both comments');
    expect(tickets().entities.get('T-1')?.comments.map(({ body, internal }) => ({ body, internal }))).to.deep.equal([
      { body: 'Visible', internal: false },
      { body: 'Agents only', internal: true },
    ]);
    expect(tickets().comments.has('T-1')).to.equal(false);
  });
});
