import { expect } from '@esm-bundle/chai';
import { sendKeys } from '@web/test-runner-commands';
import { filter } from 'rxjs';
import { expectAccessible } from '../../../test/helpers/axe.js';
import { mount, settle } from '../../../test/helpers/desk.js';
import { nextEvent, waitFor } from '../../../test/helpers/events.js';
import { smallSeed } from '../../../test/fixtures/small-seed.js';
import type { CommandOptions, TicketPatch } from '../../connector/connector.js';
import { invalid } from '../../connector/errors.js';
import { MemoryConnector, type MemoryConnectorOptions } from '../../connector/memory/index.js';
import type { Seed } from '../../connector/memory/seed.js';
import type { Ticket } from '../../connector/model.js';
import type { CcConversationSelectEvent } from '../../events/conversation-select.js';
import type { CcTicketSavedEvent } from '../../events/ticket-saved.js';
import { conversationSelected, workspaceStarted } from '../../store/actions.js';
import { createDeskStore, type DeskStore } from '../../store/create-store.js';
import { CcTicketPane } from './ticket-pane.js';

/** The small desk, with another agent, a second group and tickets for Ada (one overdue, one due soon), Wang and Mallory. */
const seed: Seed = {
  ...smallSeed,
  agents: [{ id: 'agent-2', name: 'Sam Other' }],
  queues: [
    { id: 'q-general', name: 'General' },
    { id: 'q-billing', name: 'Billing' },
  ],
  tickets: [
    {
      id: 'T-1', customerId: 'cust-ada', subject: 'Order #1042 missing', description: 'Parcel lost.', type: 'incident', priority: 'high',
      status: 'open', assigneeId: 'agent-1', groupId: 'q-general', conversationIds: ['conv-chat'], createdAt: '-2h', dueAt: '+3d',
      comments: [{ authorName: 'Lin Agent', body: 'Asked the courier.', internal: true, createdAt: '-1h' }],
    },
    { id: 'T-2', customerId: 'cust-ada', subject: 'Invoice copy', status: 'new', createdAt: '-1d', dueAt: '-30m' },
    { id: 'T-3', customerId: 'cust-ada', subject: 'Warranty question', status: 'pending', createdAt: '-2h', dueAt: '+20m' },
    { id: 'T-evil', customerId: 'cust-evil', subject: '<img src=x onerror="window.__xss=3">Refund', conversationIds: ['conv-email'] },
    { id: 'T-wang', customerId: 'cust-wang', subject: '退货申请', status: 'solved' },
  ],
};

/** A backend with a stricter workflow than the desk knows: it refuses to solve a ticket, with its reason. */
class StrictWorkflowConnector extends MemoryConnector {
  override updateTicket(id: string, patch: TicketPatch, options?: CommandOptions): Promise<Ticket> {
    if (patch.status === 'solved') return Promise.reject(invalid('status', 'Solving needs a public reply to the customer first.'));
    return super.updateTicket(id, patch, options);
  }
}

/** A backend that does not push ticket events: the desk learns of other agents' changes only when a save is refused. */
function withoutTicketEvents(connector: MemoryConnector): MemoryConnector {
  Object.defineProperty(connector, 'events$', { value: connector.events$.pipe(filter((event) => !event.type.startsWith('ticket.'))) });
  return connector;
}

function memory(options: MemoryConnectorOptions = {}): MemoryConnector {
  return new MemoryConnector({ seed, traffic: false, deliveryDelayMs: 30, ...options });
}

const shadow = (pane: CcTicketPane): ShadowRoot => {
  if (!pane.shadowRoot) throw new Error('no shadow root');
  return pane.shadowRoot;
};
const rows = (pane: CcTicketPane) => Array.from(shadow(pane).querySelectorAll<HTMLButtonElement>('[part="ticket-row"]'));
const row = (pane: CcTicketPane, ticketId: string) => rows(pane).find((element) => element.dataset.ticketId === ticketId);
const $ = <E extends Element = HTMLElement>(pane: CcTicketPane, selector: string): E => {
  const element = shadow(pane).querySelector<E>(selector);
  if (!element) throw new Error(`nothing matches ${selector}`);
  return element;
};
const buttonNamed = (pane: CcTicketPane, text: string): HTMLButtonElement => {
  const button = Array.from(shadow(pane).querySelectorAll('button')).find((candidate) => candidate.textContent?.trim() === text);
  if (!button) throw new Error(`no button "${text}"`);
  return button;
};
const moveButtons = (pane: CcTicketPane) =>
  Array.from(shadow(pane).querySelectorAll<HTMLButtonElement>('.moves button')).map((button) => button.dataset.status);

/** Polls an asynchronous check (the backend's state) until it holds. */
async function until(check: () => Promise<boolean>, what: string, timeoutMs = 5000): Promise<void> {
  const started = performance.now();
  while (!(await check())) {
    if (performance.now() - started > timeoutMs) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function type(field: HTMLInputElement | HTMLTextAreaElement, text: string): void {
  field.value = text;
  field.dispatchEvent(new InputEvent('input', { bubbles: true, composed: true }));
}

function choose(select: HTMLSelectElement, value: string): void {
  select.value = value;
  select.dispatchEvent(new Event('change', { bubbles: true, composed: true }));
}

describe('cc-ticket-pane', () => {
  let store: DeskStore;
  let connector: MemoryConnector;
  let pane: CcTicketPane;

  afterEach(() => {
    pane?.remove();
    store?.destroy();
  });

  /** A live desk on `backend` with the pane mounted, and `conversationId` selected when given. */
  async function render(backend: MemoryConnector = memory(), conversationId: string | null = 'conv-chat'): Promise<void> {
    connector = backend;
    store = createDeskStore({ connector });
    store.dispatch(workspaceStarted());
    await waitFor(() => store.getState().connection.sync === 'live', 'the store to go live');
    pane = new CcTicketPane();
    pane.store = store;
    await mount(pane, 420, 900);
    if (conversationId) {
      store.dispatch(conversationSelected({ conversationId }));
      await waitFor(() => rows(pane).length > 0, 'the tickets to render');
    }
  }

  async function openTicket(ticketId: string): Promise<void> {
    const target = await waitFor(() => row(pane, ticketId), `the row of ${ticketId}`);
    target.click();
    await waitFor(() => shadow(pane).querySelector(`article[data-ticket-id="${ticketId}"]`), `${ticketId} to open`);
  }

  async function ticketInBackend(ticketId: string): Promise<Ticket> {
    return connector.getTicket(ticketId);
  }

  it('lists the tickets of the selected conversation’s customer, and follows the selection', async () => {
    await render();
    expect(rows(pane).map((element) => element.dataset.ticketId)).to.have.members(['T-1', 'T-2', 'T-3']);
    expect($(pane, '#customer-heading').textContent).to.equal('Tickets of Ada Lovelace');
    expect(row(pane, 'T-1')?.textContent).to.contain('Order #1042 missing').and.contain('Open').and.contain('High priority');
    store.dispatch(conversationSelected({ conversationId: 'conv-wechat' }));
    await waitFor(() => rows(pane).length === 1 && row(pane, 'T-wang'), 'Wang’s ticket');
    expect(row(pane, 'T-wang')?.textContent).to.contain('退货申请').and.contain('Solved');
  });

  it('asks for a conversation when none is selected', async () => {
    await render(memory(), null);
    expect(shadow(pane).textContent).to.contain('Pick a conversation');
    expect(shadow(pane).querySelector('[part="create-button"]')).to.equal(null);
  });

  it('creates a ticket from the chat in two clicks, prefilled from the conversation', async () => {
    await render();
    await waitFor(() => store.getState().threads.byConversation.get('conv-chat')?.status === 'loaded', 'the chat’s messages');
    let interactions = 0;
    const click = (element: HTMLElement) => {
      interactions += 1;
      element.click();
    };
    const saved = nextEvent<CcTicketSavedEvent>(pane, 'cc-ticket-saved');

    click($(pane, '[part="create-button"]'));
    await settle(pane);
    expect($<HTMLInputElement>(pane, '#new-subject').value).to.equal('My order has not arrived.');
    const description = $<HTMLTextAreaElement>(pane, '#new-description').value;
    expect(description).to.contain('Ada Lovelace: My order has not arrived.').and.contain('Ada Lovelace: Order #1042, placed last week.');
    expect($(pane, '.context').textContent).to.contain('Ada Lovelace').and.contain('Web chat');
    expect($<HTMLSelectElement>(pane, '#new-assignee').value).to.equal('agent-1');
    click(buttonNamed(pane, 'Create ticket'));

    const { detail } = await saved;
    expect(interactions).to.equal(2);
    expect(detail.created).to.equal(true);
    const created = await ticketInBackend(detail.ticket.id);
    expect(created).to.include({ customerId: 'cust-ada', subject: 'My order has not arrived.', sourceChannel: 'webchat', status: 'new' });
    expect(created.conversationIds).to.deep.equal(['conv-chat']);
    expect(created.description).to.contain('Order #1042, placed last week.');
    await waitFor(() => shadow(pane).querySelector(`article[data-ticket-id="${created.id}"]`), 'the new ticket to open');
    expect($(pane, '#ticket-title').textContent).to.equal('My order has not arrived.');
    expect($(pane, '.links').textContent).to.contain('Web chat conversation');
  });

  it('keeps a new ticket that could not be created, with the reason, and creates it on a second try', async () => {
    await render();
    $(pane, '[part="create-button"]').click();
    await settle(pane);
    type($<HTMLInputElement>(pane, '#new-subject'), 'Typed by the agent');
    await connector.disconnect();
    buttonNamed(pane, 'Create ticket').click();
    const alert = await waitFor(() => shadow(pane).querySelector('.create-form [role="alert"]'), 'the failure');
    expect(alert.textContent).to.contain('The ticket was not created');
    expect($<HTMLInputElement>(pane, '#new-subject').value).to.equal('Typed by the agent');
    await connector.connect();
    const saved = nextEvent<CcTicketSavedEvent>(pane, 'cc-ticket-saved');
    buttonNamed(pane, 'Create ticket').click();
    expect((await saved).detail.ticket.subject).to.equal('Typed by the agent');
  });

  it('offers only the valid next statuses and moves a ticket through the workflow', async () => {
    await render();
    await openTicket('T-2');
    expect(moveButtons(pane)).to.deep.equal(['open', 'pending', 'solved']);
    const saved = nextEvent<CcTicketSavedEvent>(pane, 'cc-ticket-saved');
    $(pane, '.moves button[data-status="pending"]').click();
    expect((await saved).detail).to.include({ created: false });
    expect((await ticketInBackend('T-2')).status).to.equal('pending');
    await waitFor(() => moveButtons(pane).join() === 'open,solved', 'the next statuses of a pending ticket');
    expect($(pane, '#current-status').textContent).to.contain('Pending');
    expect($(pane, '[part="history"]').textContent).to.contain('Status changed from New to Pending');

    $(pane, '.moves button[data-status="solved"]').click();
    await waitFor(() => moveButtons(pane).join() === 'open,closed', 'the next statuses of a solved ticket');
    $(pane, '.moves button[data-status="closed"]').click();
    await waitFor(() => shadow(pane).textContent?.includes('A closed ticket cannot change.'), 'the closed ticket');
    expect(moveButtons(pane)).to.deep.equal([]);
    expect((await ticketInBackend('T-2')).status).to.equal('closed');
  });

  it('shows the backend’s message when it refuses a transition, and leaves the status as it was', async () => {
    await render(new StrictWorkflowConnector({ seed, traffic: false }));
    await openTicket('T-1');
    $(pane, '.moves button[data-status="solved"]').click();
    const alert = await waitFor(() => shadow(pane).querySelector('.workflow [role="alert"]'), 'the refusal');
    expect(alert.textContent).to.contain('The status was not changed').and.contain('Solving needs a public reply to the customer first.');
    expect($(pane, '#current-status').textContent).to.contain('Open');
    expect((await ticketInBackend('T-1')).status).to.equal('open');
  });

  it('changes the assignee and the group', async () => {
    await render();
    await openTicket('T-1');
    await waitFor(() => shadow(pane).querySelector('#edit-assignee option[value="agent-2"]'), 'the agents to load');
    choose($<HTMLSelectElement>(pane, '#edit-assignee'), 'agent-2');
    choose($<HTMLSelectElement>(pane, '#edit-group'), 'q-billing');
    await settle(pane);
    expect($(pane, '.fields').textContent).to.contain('Unsaved changes');
    buttonNamed(pane, 'Save changes').click();
    await until(async () => (await ticketInBackend('T-1')).assigneeId === 'agent-2', 'the save');
    const saved = await ticketInBackend('T-1');
    expect(saved).to.include({ assigneeId: 'agent-2', groupId: 'q-billing' });
    await waitFor(() => $(pane, '.owner').textContent?.includes('Assigned to Sam Other'), 'the new assignee to show');
    expect($(pane, '.owner').textContent).to.contain('Billing');
    expect($(pane, '.fields').textContent).to.not.contain('Unsaved changes');
  });

  it('adds public replies and internal notes, and shows them in the history', async () => {
    await render();
    await openTicket('T-1');
    type($<HTMLTextAreaElement>(pane, '#comment-body'), 'We have found your parcel.');
    await settle(pane);
    buttonNamed(pane, 'Send public reply').click();
    await waitFor(() => $<HTMLTextAreaElement>(pane, '#comment-body').value === '', 'the comment box to empty');

    $<HTMLInputElement>(pane, 'input[value="internal"]').click();
    type($<HTMLTextAreaElement>(pane, '#comment-body'), 'Courier admitted the mistake.');
    await settle(pane);
    buttonNamed(pane, 'Add internal note').click();
    await waitFor(() => shadow(pane).querySelectorAll('.entry.internal').length === 2, 'the internal note in the history');

    const comments = (await ticketInBackend('T-1')).comments.slice(-2);
    expect(comments.map(({ body, internal }) => ({ body, internal }))).to.deep.equal([
      { body: 'We have found your parcel.', internal: false },
      { body: 'Courier admitted the mistake.', internal: true },
    ]);
    const history = $(pane, '[part="history"]').textContent ?? '';
    expect(history).to.contain('Public reply by Lin Agent').and.contain('We have found your parcel.');
    expect(history).to.contain('Internal note by Lin Agent').and.contain('Courier admitted the mistake.');
  });

  it('shows changes made by another client as they happen', async () => {
    await render();
    await openTicket('T-1');
    const before = await ticketInBackend('T-1');
    await connector.updateTicket('T-1', { baseVersion: before.version, subject: 'Parcel found at the depot', priority: 'urgent' });
    await waitFor(() => $(pane, '#ticket-title').textContent === 'Parcel found at the depot', 'the new subject');
    expect($<HTMLSelectElement>(pane, '#edit-priority').value).to.equal('urgent');
    expect(shadow(pane).querySelector('.conflict')).to.equal(null);

    $(pane, '.back').click();
    await connector.createTicket({ customerId: 'cust-ada', subject: 'Opened by a colleague', description: '' });
    await waitFor(() => rows(pane).some((element) => element.textContent?.includes('Opened by a colleague')), 'the colleague’s ticket in the list');
  });

  it('keeps what the agent typed when someone else changes the ticket, and saves it on top', async () => {
    await render();
    await openTicket('T-1');
    type($<HTMLTextAreaElement>(pane, '#edit-description'), 'My careful notes');
    const before = await ticketInBackend('T-1');
    await connector.updateTicket('T-1', { baseVersion: before.version, priority: 'urgent' });

    const conflict = await waitFor(() => shadow(pane).querySelector('.conflict[role="alert"]'), 'the conflict message');
    expect(conflict.textContent).to.contain('changed by someone else');
    expect($<HTMLTextAreaElement>(pane, '#edit-description').value).to.equal('My careful notes');
    expect(buttonNamed(pane, 'Save changes').disabled).to.equal(true);

    buttonNamed(pane, 'Keep editing').click();
    await settle(pane);
    expect(shadow(pane).querySelector('.conflict')).to.equal(null);
    expect($<HTMLTextAreaElement>(pane, '#edit-description').value).to.equal('My careful notes');
    buttonNamed(pane, 'Save changes').click();
    await until(async () => (await ticketInBackend('T-1')).description === 'My careful notes', 'the save');
    expect((await ticketInBackend('T-1')).priority).to.equal('urgent');
  });

  it('drops the agent’s edits only when they choose to reload', async () => {
    await render();
    await openTicket('T-1');
    type($<HTMLInputElement>(pane, '#edit-subject'), 'My subject');
    const before = await ticketInBackend('T-1');
    await connector.updateTicket('T-1', { baseVersion: before.version, subject: 'Their subject' });
    await waitFor(() => shadow(pane).querySelector('.conflict'), 'the conflict message');
    expect($<HTMLInputElement>(pane, '#edit-subject').value).to.equal('My subject');
    buttonNamed(pane, 'Reload the ticket (drop my changes)').click();
    await settle(pane);
    expect($<HTMLInputElement>(pane, '#edit-subject').value).to.equal('Their subject');
    expect(shadow(pane).querySelector('.conflict')).to.equal(null);
  });

  it('treats a save refused as stale the same way: message, typed text kept, then saved on top', async () => {
    await render(withoutTicketEvents(memory()));
    await openTicket('T-1');
    type($<HTMLTextAreaElement>(pane, '#edit-description'), 'Notes typed before the refusal');
    const before = await ticketInBackend('T-1');
    await connector.updateTicket('T-1', { baseVersion: before.version, priority: 'low' });
    await settle(pane);
    expect(shadow(pane).querySelector('.conflict')).to.equal(null);

    buttonNamed(pane, 'Save changes').click();
    const conflict = await waitFor(() => shadow(pane).querySelector('.conflict[role="alert"]'), 'the conflict message');
    expect(conflict.textContent).to.contain('changed by someone else');
    expect($<HTMLTextAreaElement>(pane, '#edit-description').value).to.equal('Notes typed before the refusal');
    await waitFor(() => $<HTMLSelectElement>(pane, '#edit-priority').value === 'low', 'the current ticket to load');

    buttonNamed(pane, 'Keep editing').click();
    await settle(pane);
    buttonNamed(pane, 'Save changes').click();
    await until(async () => (await ticketInBackend('T-1')).description === 'Notes typed before the refusal', 'the save');
    expect((await ticketInBackend('T-1')).priority).to.equal('low');
  });

  it('counts down to the due time, warns when it is near and says when it is past', async () => {
    await render();
    const sla = (ticketId: string) => row(pane, ticketId)?.querySelector<HTMLElement>('[part="sla"]');
    expect(sla('T-1')?.dataset.sla).to.equal('ok');
    expect(sla('T-1')?.textContent).to.contain('Due in');
    expect(sla('T-3')?.dataset.sla).to.equal('warning');
    expect(sla('T-3')?.textContent).to.match(/Due soon: 1[89]:\d\d left/);
    expect(sla('T-2')?.dataset.sla).to.equal('breach');
    expect(sla('T-2')?.textContent).to.match(/Overdue by 30:\d\d/);
    // It ticks: the overdue time grows.
    const first = sla('T-2')?.textContent;
    await waitFor(() => sla('T-2')?.textContent !== first, 'the countdown to tick', 3000);
    // Overdue tickets sort first.
    expect(rows(pane)[0]?.dataset.ticketId).to.equal('T-2');
    await openTicket('T-2');
    expect($(pane, '.sla-line [role="status"]').textContent).to.equal('Ticket T-2 is overdue.');
  });

  it('hides itself when the backend has no tickets', async () => {
    await render(memory({ capabilities: { tickets: false } }), null);
    store.dispatch(conversationSelected({ conversationId: 'conv-chat' }));
    await settle(pane);
    expect(pane.hidden).to.equal(true);
    expect(pane.hasAttribute('hidden')).to.equal(true);
    expect(shadow(pane).querySelector('section')).to.equal(null);
    expect(store.getState().tickets.lists.size).to.equal(0);
  });

  it('works from the keyboard: create, open, move, go back', async () => {
    await render();
    const active = () => shadow(pane).activeElement as HTMLElement | null;
    $(pane, '[part="create-button"]').focus();
    await sendKeys({ press: 'Enter' });
    await waitFor(() => active()?.id === 'new-subject', 'focus in the subject');
    await sendKeys({ type: ' (keyboard)' });
    const saved = nextEvent<CcTicketSavedEvent>(pane, 'cc-ticket-saved');
    await sendKeys({ press: 'Enter' });
    const { detail } = await saved;
    expect(detail.ticket.subject).to.contain('(keyboard)');
    await waitFor(() => active()?.id === 'ticket-title', 'focus on the new ticket');

    $(pane, '.moves button[data-status="open"]').focus();
    await sendKeys({ press: 'Space' });
    await until(async () => (await ticketInBackend(detail.ticket.id)).status === 'open', 'the move to open');
    await waitFor(() => active()?.id === 'current-status', 'focus on the new status');

    $(pane, '.back').focus();
    await sendKeys({ press: 'Enter' });
    await waitFor(() => active()?.dataset.ticketId === detail.ticket.id, 'focus back on the ticket’s row');
    await sendKeys({ press: 'Enter' });
    await waitFor(() => active()?.id === 'ticket-title', 'the ticket to open again');
  });

  it('opens a linked conversation, and lets the host veto it', async () => {
    await render();
    await openTicket('T-1');
    store.dispatch(conversationSelected({ conversationId: 'conv-wechat' }));
    await settle(pane);
    // Another customer's conversation: the pane shows that customer's tickets.
    expect(shadow(pane).querySelector('article')).to.equal(null);
    store.dispatch(conversationSelected({ conversationId: 'conv-chat' }));
    await waitFor(() => shadow(pane).querySelector('article[data-ticket-id="T-1"]'), 'T-1 again');
    pane.addEventListener('cc-conversation-select', (event) => event.preventDefault(), { once: true });
    const event = nextEvent<CcConversationSelectEvent>(pane, 'cc-conversation-select');
    $(pane, '.link[data-conversation-id="conv-chat"]').click();
    expect((await event).detail).to.deep.equal({ conversationId: 'conv-chat', customerId: 'cust-ada' });
  });

  it('renders a hostile ticket subject as text', async () => {
    await render(memory(), 'conv-email');
    const hostile = row(pane, 'T-evil');
    expect(hostile?.textContent).to.contain('<img src=x onerror="window.__xss=3">Refund');
    expect(hostile?.querySelector('img')).to.equal(null);
    await openTicket('T-evil');
    expect($(pane, '#ticket-title').textContent).to.equal('<img src=x onerror="window.__xss=3">Refund');
    expect(shadow(pane).querySelector('img')).to.equal(null);
    expect((window as unknown as { __xss?: number }).__xss).to.equal(undefined);
  });

  it('has no serious accessibility violations in its main states', async () => {
    await render();
    await expectAccessible(pane);
    await openTicket('T-1');
    type($<HTMLTextAreaElement>(pane, '#edit-description'), 'Edited');
    const before = await ticketInBackend('T-1');
    await connector.updateTicket('T-1', { baseVersion: before.version, priority: 'urgent' });
    await waitFor(() => shadow(pane).querySelector('.conflict'), 'the conflict message');
    await expectAccessible(pane);
    $(pane, '.back').click();
    await settle(pane);
    $(pane, '[part="create-button"]').click();
    await settle(pane);
    await expectAccessible(pane);
  });
});
