import { expect } from '@esm-bundle/chai';
import { sendKeys } from '@web/test-runner-commands';
import { expectAccessible } from '../../../test/helpers/axe.js';
import { liveDesk, mount, settle } from '../../../test/helpers/desk.js';
import { nextEvent, waitFor } from '../../../test/helpers/events.js';
import { customer360Seed } from '../../../test/fixtures/customer360-seed.js';
import type { MemoryConnector, MemoryConnectorOptions } from '../../connector/memory/index.js';
import type { CcConversationSelectEvent } from '../../events/conversation-select.js';
import type { CcCustomerMergedEvent } from '../../events/customer-merged.js';
import type { CcScreenPopEvent } from '../../events/screen-pop.js';
import { conversationSelected } from '../../store/actions.js';
import type { DeskStore } from '../../store/create-store.js';
import { CcCustomerPanel } from './customer-panel.js';

type XssWindow = Window & { __xss?: number };

describe('cc-customer-panel', () => {
  let store: DeskStore;
  let connector: MemoryConnector;
  let panel: CcCustomerPanel;

  afterEach(() => {
    panel?.remove();
    store?.destroy();
  });

  const root = () => panel.shadowRoot as ShadowRoot;
  const query = <E extends Element = HTMLElement>(selector: string): E | null => root().querySelector<E>(selector);
  const queryAll = <E extends Element = HTMLElement>(selector: string): E[] => Array.from(root().querySelectorAll<E>(selector));
  /** Whether the panel renders `selector`; a boolean, so a failure does not make chai print a whole element. */
  const has = (selector: string) => query(selector) !== null;
  const text = (selector: string) => query(selector)?.textContent?.replace(/\s+/g, ' ').trim() ?? '';
  const entryIds = () => queryAll('.timeline li').map((item) => item.dataset.entryId);
  const dialog = () => query<HTMLDialogElement>('dialog');
  /** The element focused inside the panel's shadow root. */
  const focused = () => root().activeElement;

  async function render(options: MemoryConnectorOptions = {}): Promise<void> {
    ({ store, connector } = await liveDesk({ seed: customer360Seed, ...options }));
    panel = new CcCustomerPanel();
    panel.store = store;
    await mount(panel, 400, 900);
  }

  /** Selects a conversation and waits until the panel shows its customer with history and duplicates loaded. */
  async function select(conversationId: string, name: string): Promise<void> {
    store.dispatch(conversationSelected({ conversationId }));
    await waitFor(() => text('h2') === name && query('.timeline') !== null && query('.duplicates, .block p.muted') !== null, `${name}’s profile`);
    await settle(panel);
  }

  it('shows the selected conversation’s customer: name, VIP level, identities per channel, tags, notes, open tickets', async () => {
    await render();
    expect(text('[part="base"]')).to.contain('Pick a conversation');
    await select('conv-chat', 'Ada Lovelace');
    expect(text('.vip')).to.equal('VIP 2');
    expect(text('.avatar')).to.equal('AL');
    expect(queryAll('.identity').map((row) => row.textContent?.replace(/\s+/g, ' ').trim())).to.deep.equal([
      'Phone +1 415 555 0101',
      'Email ada@example.com',
      'WeChat wx_ada',
      'Douyin dy_ada',
      'Member ID M-1001',
    ]);
    expect(queryAll('.tag-text').map((tag) => tag.textContent)).to.deep.equal(['K20 Pro', 'repeat buyer']);
    expect(query<HTMLTextAreaElement>('#notes')?.value).to.equal('Prefers email.');
    expect(text('#tickets-heading')).to.equal('Open tickets (1)');
    expect(queryAll('.ticket').map((ticket) => ticket.dataset.ticketId)).to.deep.equal(['T-1']);
    expect(queryAll('.duplicate').map((row) => row.dataset.customerId)).to.deep.equal(['cust-ada-2']);
  });

  it('fires cc-screen-pop once per customer change, with the call as its source for a phone conversation', async () => {
    await render();
    const pops: CcScreenPopEvent['detail'][] = [];
    panel.addEventListener('cc-screen-pop', (event) => pops.push(event.detail));
    await select('conv-chat', 'Ada Lovelace');
    store.dispatch(conversationSelected({ conversationId: 'conv-chat' }));
    await select('conv-wechat', '王小明');
    await select('conv-wang-call', '王小明');
    await select('conv-chat', 'Ada Lovelace');
    await select('conv-wang-call', '王小明');
    expect(pops).to.deep.equal([
      { customerId: 'cust-ada', conversationId: 'conv-chat', source: 'conversation' },
      { customerId: 'cust-wang', conversationId: 'conv-wechat', source: 'conversation' },
      { customerId: 'cust-ada', conversationId: 'conv-chat', source: 'conversation' },
      { customerId: 'cust-wang', conversationId: 'conv-wang-call', source: 'call' },
    ]);
  });

  it('adds and removes tags from the keyboard, saved to the backend', async () => {
    await render();
    await select('conv-chat', 'Ada Lovelace');
    query('#new-tag')?.focus();
    await sendKeys({ type: 'callback' });
    await sendKeys({ press: 'Enter' });
    await waitFor(() => queryAll('.tag-text').some((tag) => tag.textContent === 'callback'), 'the new tag');
    expect((await connector.getCustomer('cust-ada')).tags).to.deep.equal(['K20 Pro', 'repeat buyer', 'callback']);
    expect(query<HTMLInputElement>('#new-tag')?.value).to.equal('');

    await sendKeys({ type: 'k20 pro' });
    await sendKeys({ press: 'Enter' });
    await settle(panel);
    expect(text('#tag-problem')).to.contain('already has the tag');

    const remove = queryAll<HTMLButtonElement>('.remove-tag').find((button) => button.getAttribute('aria-label') === 'Remove tag K20 Pro');
    remove?.focus();
    await sendKeys({ press: 'Enter' });
    await waitFor(() => !queryAll('.tag-text').some((tag) => tag.textContent === 'K20 Pro'), 'the tag to go');
    expect((await connector.getCustomer('cust-ada')).tags).to.deep.equal(['repeat buyer', 'callback']);
    expect(focused()?.id).to.equal('new-tag');
  });

  it('saves notes; a failed save keeps the text and says why', async () => {
    await render();
    await select('conv-chat', 'Ada Lovelace');
    const notes = () => query<HTMLTextAreaElement>('#notes') as HTMLTextAreaElement;
    const type = (value: string) => {
      notes().value = value;
      notes().dispatchEvent(new InputEvent('input', { bubbles: true, composed: true }));
    };
    const tooLong = 'n'.repeat(20001);
    type(tooLong);
    await settle(panel);
    query<HTMLButtonElement>('.save-notes')?.click();
    await waitFor(() => text('.notes [role="alert"]').includes('could not be saved'), 'the failure');
    expect(text('.notes [role="alert"]')).to.contain('the limit is 20000');
    expect(notes().value).to.equal(tooLong);
    expect((await connector.getCustomer('cust-ada')).notes).to.equal('Prefers email.');

    type('Prefers email. Call back after 6 pm.');
    notes().focus();
    await sendKeys({ press: 'Control+Enter' });
    await waitFor(() => text('#notes-status') === 'Notes saved.', 'the save');
    expect((await connector.getCustomer('cust-ada')).notes).to.equal('Prefers email. Call back after 6 pm.');
    expect(notes().value).to.equal('Prefers email. Call back after 6 pm.');
    expect(has('.notes [role="alert"]'), '.notes [role="alert"]').to.equal(false);
  });

  it('lists every conversation, call and ticket newest first, filters by channel, and opens an entry', async () => {
    await render();
    await select('conv-chat', 'Ada Lovelace');
    expect(entryIds()).to.deep.equal(['conv-chat', 'T-1', 'conv-call', 'conv-mail', 'T-2']);
    expect(queryAll('.timeline li').map((item) => item.dataset.kind)).to.deep.equal(['conversation', 'ticket', 'call', 'conversation', 'ticket']);
    expect(query('[data-entry-id="conv-chat"] button')?.getAttribute('aria-current')).to.equal('true');

    const filter = query<HTMLSelectElement>('select') as HTMLSelectElement;
    expect(Array.from(filter.options).map((option) => option.value)).to.deep.equal(['all', 'phone', 'webchat', 'email']);
    filter.value = 'email';
    filter.dispatchEvent(new Event('change'));
    await settle(panel);
    expect(entryIds()).to.deep.equal(['conv-mail', 'T-2']);

    // Opening the call from the history selects it, although the desk's list (open work only) does not hold it.
    filter.value = 'phone';
    filter.dispatchEvent(new Event('change'));
    await settle(panel);
    const selectEvent = nextEvent<CcConversationSelectEvent>(panel, 'cc-conversation-select');
    query<HTMLButtonElement>('[data-entry-id="conv-call"] button')?.focus();
    await sendKeys({ press: 'Enter' });
    expect((await selectEvent).detail).to.deep.equal({ conversationId: 'conv-call', customerId: 'cust-ada' });
    expect(store.getState().ui.selectedConversationId).to.equal('conv-call');
    await settle(panel);
    expect(text('h2')).to.equal('Ada Lovelace');
    expect(query('[data-entry-id="conv-call"] button')?.getAttribute('aria-current')).to.equal('true');

    // A ticket opens its linked conversation; the host may veto.
    filter.value = 'all';
    filter.dispatchEvent(new Event('change'));
    await settle(panel);
    panel.addEventListener('cc-conversation-select', (event) => event.preventDefault(), { once: true });
    query<HTMLButtonElement>('[data-entry-id="T-2"] button')?.click();
    expect(store.getState().ui.selectedConversationId).to.equal('conv-call');
    query<HTMLButtonElement>('[data-entry-id="T-2"] button')?.click();
    expect(store.getState().ui.selectedConversationId).to.equal('conv-mail');
  });

  it('merges a duplicate after a keyboard confirmation; cancel and Escape change nothing', async () => {
    await render();
    await select('conv-chat', 'Ada Lovelace');
    const mergeButton = () => query<HTMLButtonElement>('[data-customer-id="cust-ada-2"] .merge');
    expect(mergeButton()?.getAttribute('aria-label')).to.equal('Merge Ada Lovelace into Ada Lovelace');

    mergeButton()?.focus();
    await sendKeys({ press: 'Enter' });
    await waitFor(() => dialog()?.open, 'the dialog to open');
    expect(focused()?.classList.contains('cancel')).to.equal(true);
    expect(text('#merge-body')).to.contain('cannot be undone');
    await sendKeys({ press: 'Escape' });
    await waitFor(() => !dialog()?.open, 'Escape to close the dialog');
    expect(focused() === mergeButton(), 'focus back on the merge button').to.equal(true);

    await sendKeys({ press: 'Enter' });
    await waitFor(() => dialog()?.open, 'the dialog to open again');
    await sendKeys({ press: 'Enter' });
    await waitFor(() => !dialog()?.open, 'Cancel to close the dialog');
    expect(focused() === mergeButton(), 'focus back on the merge button').to.equal(true);
    expect((await connector.getCustomer('cust-ada-2')).name).to.equal('Ada Lovelace');

    const merged = nextEvent<CcCustomerMergedEvent>(panel, 'cc-customer-merged');
    await sendKeys({ press: 'Enter' });
    await waitFor(() => dialog()?.open, 'the dialog for the merge');
    await sendKeys({ press: 'Tab' });
    expect(focused()?.classList.contains('confirm')).to.equal(true);
    await sendKeys({ press: 'Enter' });
    expect((await merged).detail).to.deep.equal({ targetId: 'cust-ada', sourceId: 'cust-ada-2' });
    await waitFor(() => entryIds().includes('conv-dup') && entryIds().includes('T-3'), 'both histories in the timeline');
    expect(dialog()?.open).to.equal(false);
    expect(focused()?.id).to.equal('customer-name');
    expect(entryIds()).to.include.members(['conv-chat', 'conv-call', 'conv-mail', 'T-1', 'T-2']);
    expect(has('[data-customer-id="cust-ada-2"]'), '[data-customer-id="cust-ada-2"]').to.equal(false);
    expect(text('[aria-labelledby="duplicates-heading"] [role="status"]')).to.contain('Merged Ada Lovelace');
    expect(queryAll('.tag-text').map((tag) => tag.textContent)).to.include('warranty');
    let gone = false;
    await connector.getCustomer('cust-ada-2').catch(() => (gone = true));
    expect(gone).to.equal(true);
  });

  it('hides itself when the backend has no customer profiles, and offers no merge when it cannot merge', async () => {
    await render({ capabilities: { customers: false, customerMerge: false } });
    let popped = false;
    panel.addEventListener('cc-screen-pop', () => (popped = true));
    store.dispatch(conversationSelected({ conversationId: 'conv-chat' }));
    await settle(panel);
    expect(panel.hidden).to.equal(true);
    expect(panel.getBoundingClientRect().height).to.equal(0);
    expect(root().textContent?.trim()).to.equal('');
    expect(popped).to.equal(false);
    panel.remove();
    store.destroy();

    await render({ capabilities: { customerMerge: false } });
    await select('conv-chat', 'Ada Lovelace');
    expect(panel.hidden).to.equal(false);
    expect(queryAll('.duplicate').length).to.equal(1);
    expect(has('.merge'), '.merge').to.equal(false);
  });

  it('shows only raster http(s) avatars: an SVG or a javascript: URL falls back to initials', async () => {
    await render();
    await select('conv-wechat', '王小明');
    expect(has('.avatar img'), '.avatar img').to.equal(false);
    expect(text('.avatar')).to.equal('王小');
    await select('conv-grace', 'Grace Hopper');
    const image = await waitFor(() => query<HTMLImageElement>('.avatar img'), 'the picture');
    expect(image.src).to.equal(new URL('/test/fixtures/avatar.png', location.origin).href);
    await select('conv-evil', '<img src=x onerror="window.__xss=1">Mallory');
    expect(has('.avatar img'), '.avatar img').to.equal(false);
    expect(text('.avatar')).to.equal('<S');
  });

  it('renders a hostile name, tags and notes as text', async () => {
    await render();
    await select('conv-evil', '<img src=x onerror="window.__xss=1">Mallory');
    expect(has('img'), 'img').to.equal(false);
    expect(has('script'), 'script').to.equal(false);
    expect(has('b'), 'b').to.equal(false);
    expect(queryAll('.tag-text').map((tag) => tag.textContent)).to.deep.equal(['<script>window.__xss=3</script>']);
    expect(query<HTMLTextAreaElement>('#notes')?.value).to.equal('<b onmouseover="window.__xss=4">bold</b>');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect((window as XssWindow).__xss).to.equal(undefined);
  });

  it('has no serious accessibility violations with the profile shown and with the merge dialog open', async () => {
    await render();
    await select('conv-chat', 'Ada Lovelace');
    await expectAccessible(panel);
    query<HTMLButtonElement>('.merge')?.click();
    await waitFor(() => dialog()?.open, 'the dialog to open');
    await expectAccessible(panel);
    dialog()?.close();
  });
});
