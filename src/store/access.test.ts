import { expect } from '@esm-bundle/chai';
import { expectAccessible } from '../../test/helpers/axe.js';
import { liveDesk, mount, settle } from '../../test/helpers/desk.js';
import { waitFor } from '../../test/helpers/events.js';
import { accessSeed, PHONE } from '../../test/fixtures/access-seed.js';
import type { MemoryConnector } from '../connector/memory/index.js';
import type { Message } from '../connector/model.js';
import { CcConversation } from '../components/conversation/conversation.js';
import { CcCustomerPanel } from '../components/customer-panel/customer-panel.js';
import { CcTicketPane } from '../components/ticket-pane/ticket-pane.js';
import * as actions from './actions.js';
import * as access from './actions-access.js';
import type { AuditEntry } from './actions-access.js';
import * as customer360 from './actions-customer360.js';
import * as tickets from './actions-tickets.js';
import type { DeskStore } from './create-store.js';
import { auditEntries, CALL_RECORD_SAVED } from './effects-audit.js';
import { NO_ACCESS, selectAccess, selectPanelReveals } from './selectors-access.js';
import { selectPanelCustomer } from './selectors-customer360.js';
import { initialDeskState } from './state.js';

describe('least privilege in the store', () => {
  let store: DeskStore;
  let connector: MemoryConnector;
  let audit: AuditEntry[];

  afterEach(() => store?.destroy());

  async function start(role: string): Promise<void> {
    ({ store, connector } = await liveDesk({ seed: accessSeed(role) }));
    audit = [];
    auditEntries(store).subscribe((entry) => audit.push(entry));
    store.dispatch(customer360.customerPanelAttached());
  }

  async function select(conversationId: string, customerId: string): Promise<void> {
    store.dispatch(actions.conversationSelected({ conversationId }));
    await waitFor(() => selectPanelCustomer(store.getState())?.id === customerId, `customer ${customerId} in the panel`);
  }

  const maskedPhone = () => {
    const phone = selectPanelCustomer(store.getState())?.identities.find((identity) => identity.kind === 'phone');
    if (!phone) throw new Error('The customer shown has no phone');
    return phone;
  };

  it('reports what the role allows, and nothing before the agent is known', async () => {
    expect(selectAccess(initialDeskState)).to.equal(NO_ACCESS);
    await start('agent');
    expect(selectAccess(store.getState())).to.deep.equal({
      known: true,
      viewPii: false,
      revealPii: true,
      editCustomer: true,
      mergeCustomers: false,
      editTickets: true,
      transferConversations: true,
      usePhone: false,
      recordCalls: false,
    });
  });

  it('reveals an identity in place for the customer shown, audits it without the value, and forgets it on leaving', async () => {
    await start('agent');
    await select('conv-mail', 'c-ada');
    const masked = maskedPhone();
    expect(masked.value).to.equal('+86 138 **** 5678');
    store.dispatch(access.identityRevealRequested({ customerId: 'c-ada', identity: masked }));
    await waitFor(() => selectPanelReveals(store.getState())[0]?.status === 'revealed', 'the reveal');
    expect(selectPanelReveals(store.getState())).to.deep.equal([{ kind: 'phone', masked: masked.value, status: 'revealed', value: PHONE, error: null }]);
    // The customer record (what the cache stores) stays masked.
    expect(maskedPhone().value).to.equal('+86 138 **** 5678');
    const revealed = audit.find((entry) => entry.action === 'pii-revealed');
    expect(revealed?.target).to.deep.equal({ customerId: 'c-ada' });
    expect(revealed?.fields).to.deep.equal(['phone']);
    expect(JSON.stringify(audit)).not.to.contain('5678');

    await select('conv-bob', 'c-bob');
    expect(store.getState().access.revealed).to.deep.equal([]);
    await select('conv-mail', 'c-ada');
    expect(selectPanelReveals(store.getState())).to.deep.equal([]);
  });

  it('shows a refused reveal as failed with the forbidden code', async () => {
    await start('trainee');
    await select('conv-mail', 'c-ada');
    store.dispatch(access.identityRevealRequested({ customerId: 'c-ada', identity: maskedPhone() }));
    await waitFor(() => selectPanelReveals(store.getState())[0]?.status === 'failed', 'the refusal');
    expect(selectPanelReveals(store.getState())[0]?.error?.code).to.equal('forbidden');
    expect(audit.some((entry) => entry.action === 'pii-revealed')).to.equal(false);
  });

  it('audits a profile view, ticket changes, a merge and a call record with who, what and when', async () => {
    await start('supervisor');
    const before = Date.now();
    await select('conv-mail', 'c-ada');
    await waitFor(() => audit.some((entry) => entry.action === 'profile-viewed'), 'the profile view');
    store.dispatch(
      tickets.ticketCreateSubmitted({ conversationId: 'conv-mail', requestKey: 'k-create', draft: { customerId: 'c-ada', subject: 'Refund', description: '' } }),
    );
    const created = await waitFor(() => audit.find((entry) => entry.action === 'ticket-created'), 'the ticket creation');
    const ticketId = created.target.ticketId ?? '';
    store.dispatch(tickets.ticketUpdateSubmitted({ ticketId, requestKey: 'k-update', kind: 'fields', patch: { baseVersion: 1, priority: 'high' } }));
    await waitFor(() => audit.some((entry) => entry.action === 'ticket-updated'), 'the ticket update');
    store.dispatch(tickets.ticketCommentSubmitted({ ticketId, requestKey: 'k-comment', comment: { body: 'Called back.', internal: true } }));
    await waitFor(() => audit.some((entry) => entry.action === 'ticket-commented'), 'the comment');
    store.dispatch(customer360.customerMergeConfirmed({ targetId: 'c-ada', sourceId: 'c-ada2', requestId: 'k-merge' }));
    await waitFor(() => audit.some((entry) => entry.action === 'customer-merged'), 'the merge');
    const call = { id: 'msg-call', conversationId: 'conv-mail' } as Message;
    store.dispatch({ type: CALL_RECORD_SAVED, payload: { message: call, customerId: 'c-ada' } } as never);
    await waitFor(() => audit.some((entry) => entry.action === 'call-recorded'), 'the call record');

    const byAction = new Map(audit.map((entry) => [entry.action, entry]));
    expect([...byAction.keys()]).to.have.members(['profile-viewed', 'ticket-created', 'ticket-updated', 'ticket-commented', 'customer-merged', 'call-recorded']);
    for (const entry of audit) {
      expect(entry.agent).to.deep.equal({ id: 'a-1', name: 'Lin' });
      expect(entry.at).to.be.within(before, Date.now());
    }
    expect(byAction.get('profile-viewed')?.target).to.deep.equal({ customerId: 'c-ada' });
    expect(byAction.get('ticket-created')?.target).to.deep.equal({ customerId: 'c-ada', ticketId, conversationId: 'conv-mail' });
    expect(byAction.get('ticket-updated')?.fields).to.deep.equal(['priority']);
    expect(byAction.get('ticket-commented')?.fields).to.deep.equal(['internal-comment']);
    expect(byAction.get('customer-merged')?.target).to.deep.equal({ customerId: 'c-ada', sourceId: 'c-ada2' });
    expect(byAction.get('call-recorded')?.target).to.deep.equal({ customerId: 'c-ada', conversationId: 'conv-mail', messageId: 'msg-call' });
    // One view per customer the agent comes to, not one per action.
    expect(audit.filter((entry) => entry.action === 'profile-viewed')).to.have.length(1);
  });
});

describe('the parts hide what the role cannot do', () => {
  let store: DeskStore;
  const elements: HTMLElement[] = [];

  afterEach(() => {
    for (const element of elements.splice(0)) element.remove();
    store?.destroy();
  });

  async function desk(role: string): Promise<void> {
    ({ store } = await liveDesk({ seed: accessSeed(role) }));
    store.dispatch(actions.conversationSelected({ conversationId: 'conv-mail' }));
  }

  async function panel(): Promise<CcCustomerPanel> {
    const element = new CcCustomerPanel();
    element.store = store;
    elements.push(element);
    await mount(element, 400, 900);
    await waitFor(() => element.shadowRoot?.querySelector('.identity') && element.shadowRoot.querySelector('.timeline'), 'the profile');
    await settle(element);
    return element;
  }

  /** Mounts a part on the store. */
  async function part<E extends HTMLElement & { store: DeskStore | undefined }>(element: E, width: number): Promise<E> {
    element.store = store;
    elements.push(element);
    return mount(element, width, 700);
  }

  const identityTexts = (element: HTMLElement) =>
    [...(element.shadowRoot?.querySelectorAll('.identity-value') ?? [])].map((node) => node.textContent?.trim());

  it('customer panel, agent role: masked identities with a reveal button that shows the value in place; no merge', async () => {
    await desk('agent');
    const element = await panel();
    const root = element.shadowRoot as ShadowRoot;
    expect(identityTexts(element)[0]).to.equal('+86 138 **** 5678');
    expect(root.querySelector('[part="merge-button"]')).to.equal(null);
    expect(root.querySelector('[part="tag-editor"]')).not.to.equal(null);
    await expectAccessible(element);
    const button = root.querySelector<HTMLButtonElement>('.identity[data-kind="phone"] .reveal');
    expect(button?.getAttribute('aria-label')).to.equal('Reveal the full Phone');
    button?.focus();
    button?.click();
    await waitFor(() => identityTexts(element)[0] === PHONE, 'the clear phone number');
    expect(root.querySelector('.identity[data-kind="phone"] .reveal')).to.equal(null);
    expect(root.querySelector('.identity[data-kind="phone"]')?.getAttribute('data-masked')).to.equal('false');
    await expectAccessible(element);
  });

  it('customer panel, trainee: no reveal, no tag editing, notes read-only', async () => {
    await desk('trainee');
    const element = await panel();
    const root = element.shadowRoot as ShadowRoot;
    expect(root.querySelector('.reveal')).to.equal(null);
    expect(root.querySelector('[part="tag-editor"]')).to.equal(null);
    expect(root.querySelector('.remove-tag')).to.equal(null);
    expect(root.querySelector<HTMLTextAreaElement>('#notes')?.readOnly).to.equal(true);
    expect(root.querySelector('.read-only')?.textContent).to.equal('Your role may not change this profile.');
    await expectAccessible(element);
  });

  it('customer panel, supervisor: clear values, no reveal needed, merge offered', async () => {
    await desk('supervisor');
    const element = await panel();
    const root = element.shadowRoot as ShadowRoot;
    expect(identityTexts(element)[0]).to.equal(PHONE);
    expect(root.querySelector('.reveal')).to.equal(null);
    await waitFor(() => root.querySelector('[part="merge-button"]'), 'the merge button');
  });

  it('ticket pane and conversation, trainee: no create button, read-only ticket, no transfer', async () => {
    await desk('trainee');
    const pane = await part(new CcTicketPane(), 400);
    await waitFor(() => pane.shadowRoot?.querySelector('.customer'), 'the ticket list');
    expect(pane.shadowRoot?.querySelector('[part="create-button"]')).to.equal(null);
    store.dispatch(tickets.ticketOpened({ ticketId: 'T-1' }));
    await waitFor(() => pane.shadowRoot?.querySelector('[part="ticket"]'), 'the ticket');
    await settle(pane);
    expect(pane.shadowRoot?.querySelector('[part="comment-form"]')).to.equal(null);
    expect(pane.shadowRoot?.querySelector('.read-only')?.textContent).to.equal('Your role may not create or change tickets.');
    const moves = [...(pane.shadowRoot?.querySelectorAll<HTMLButtonElement>('.moves button') ?? [])];
    expect(moves.length).to.be.greaterThan(0);
    expect(moves.every((move) => move.disabled)).to.equal(true);
    await expectAccessible(pane);

    const conversation = await part(new CcConversation(), 600);
    await waitFor(() => conversation.shadowRoot?.querySelector('#status-button'), 'the conversation actions');
    expect(conversation.shadowRoot?.querySelector('#transfer-button')).to.equal(null);
    await expectAccessible(conversation);
  });

  it('ticket pane and conversation, agent role: create and transfer offered', async () => {
    await desk('agent');
    const pane = await part(new CcTicketPane(), 400);
    await waitFor(() => pane.shadowRoot?.querySelector('[part="create-button"]'), 'the create button');
    const conversation = await part(new CcConversation(), 600);
    await waitFor(() => conversation.shadowRoot?.querySelector('#transfer-button'), 'the transfer button');
  });
});
