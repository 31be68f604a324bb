import { expect } from '@esm-bundle/chai';
import { sendKeys } from '@web/test-runner-commands';
import { expectAccessible } from '../../../test/helpers/axe.js';
import { liveDesk, mount, settle } from '../../../test/helpers/desk.js';
import { nextEvent, waitFor } from '../../../test/helpers/events.js';
import type { CommandOptions } from '../../connector/connector.js';
import { conflict } from '../../connector/errors.js';
import { MemoryConnector } from '../../connector/memory/index.js';
import type { Conversation } from '../../connector/model.js';
import type { Seed } from '../../connector/memory/seed.js';
import type { CcConversationSelectEvent } from '../../events/conversation-select.js';
import type { CcOfferAcceptedEvent } from '../../events/offer-accepted.js';
import type { CcOfferDeclinedEvent } from '../../events/offer-declined.js';
import { smallSeed } from '../../../test/fixtures/small-seed.js';
import { moreConversationsRequested, workspaceStarted } from '../../store/actions.js';
import { createDeskStore, type DeskStore } from '../../store/create-store.js';
import { CcConversationList } from './conversation-list.js';
import { compareUrgency } from './urgency.js';

function rows(list: CcConversationList): HTMLElement[] {
  return Array.from(list.shadowRoot?.querySelectorAll<HTMLElement>('[role="option"]') ?? []);
}

describe('cc-conversation-list', () => {
  let store: DeskStore;
  let list: CcConversationList;

  afterEach(() => {
    list?.remove();
    store?.destroy();
  });

  async function render(seed?: Seed): Promise<void> {
    ({ store } = await liveDesk(seed ? { seed } : {}));
    list = new CcConversationList();
    list.store = store;
    await mount(list);
    await waitFor(() => rows(list).length > 0, 'rows to render');
    await settle(list);
  }

  it('shows each conversation with channel, customer, preview and unread count, as text', async () => {
    await render();
    const chat = rows(list).find((row) => row.dataset.conversationId === 'conv-chat');
    expect(chat?.textContent).to.contain('Web chat');
    expect(chat?.textContent).to.contain('Ada Lovelace');
    expect(chat?.textContent).to.contain('Order #1042');
    expect(chat?.querySelector('.unread')?.textContent?.trim()).to.equal('2');
    expect(chat?.textContent).to.contain('VIP 2');
    const hostile = rows(list).find((row) => row.dataset.conversationId === 'conv-email');
    expect(hostile?.querySelector('img')).to.equal(null);
    expect(hostile?.textContent).to.contain('<img src=x');
    expect((window as unknown as { __xss?: number }).__xss).to.equal(undefined);
  });

  it('selects on click: fires cc-conversation-select, then the store selects it', async () => {
    await render();
    const target = rows(list).find((row) => row.dataset.conversationId === 'conv-wechat');
    const event = nextEvent<CcConversationSelectEvent>(list, 'cc-conversation-select');
    target?.click();
    expect((await event).detail).to.deep.equal({ conversationId: 'conv-wechat', customerId: 'cust-wang' });
    expect(store.getState().ui.selectedConversationId).to.equal('conv-wechat');
    await settle(list);
    expect(rows(list).find((row) => row.dataset.conversationId === 'conv-wechat')?.getAttribute('aria-selected')).to.equal('true');
  });

  it('lets the host veto a selection', async () => {
    await render();
    list.addEventListener('cc-conversation-select', (event) => event.preventDefault(), { once: true });
    rows(list)[0]?.click();
    expect(store.getState().ui.selectedConversationId).to.equal(null);
  });

  it('moves with the arrow keys and opens with Enter', async () => {
    await render();
    const listbox = list.shadowRoot?.querySelector<HTMLElement>('[role="listbox"]');
    listbox?.focus();
    listbox?.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowDown', bubbles: true }));
    listbox?.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowDown', bubbles: true }));
    listbox?.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowUp', bubbles: true }));
    listbox?.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
    await settle(list);
    expect(listbox?.getAttribute('aria-activedescendant')).to.equal('row-1');
    const second = rows(list).find((row) => row.id === 'row-1');
    expect(store.getState().ui.selectedConversationId).to.equal(second?.dataset.conversationId);
  });

  it('orders by urgency: due first responses first, then priority, then recency; resolved last', () => {
    const base: Conversation = {
      id: 'x', channel: 'webchat', customerId: 'c', status: 'open', priority: 'normal', assigneeId: null, queueId: null,
      subject: null, createdAt: 0, lastMessageAt: 0, lastMessagePreview: '', unreadCount: 0, firstResponseDueAt: null, replyWindowEndsAt: null,
    };
    const conversations: Conversation[] = [
      { ...base, id: 'resolved', status: 'resolved', firstResponseDueAt: 1 },
      { ...base, id: 'recent', lastMessageAt: 50 },
      { ...base, id: 'urgent', priority: 'urgent' },
      { ...base, id: 'due-late', firstResponseDueAt: 200 },
      { ...base, id: 'due-soon', firstResponseDueAt: 100 },
    ];
    expect(conversations.sort(compareUrgency).map((c) => c.id)).to.deep.equal(['due-soon', 'due-late', 'urgent', 'recent', 'resolved']);
  });

  it('renders only what is visible of 10,000 conversations, and ticks their timers without going through all of them', async () => {
    const customers = [{ id: 'cust', name: 'Many' }];
    const conversations = Array.from({ length: 10000 }, (_, index) => ({
      id: `conv-${index}`,
      channel: 'sms' as const,
      customerId: 'cust',
      status: 'open' as const,
      assigneeId: 'agent-1',
      lastMessageAt: -index * 1000,
      firstResponseDueAt: `+${90 + index}m`,
    }));
    ({ store } = await liveDesk({ seed: { version: 1, agent: { id: 'agent-1', name: 'A' }, customers, conversations } }));
    // The snapshot holds the working set; page through the rest as scrolling would.
    while (store.getState().conversations.hasMore) {
      store.dispatch(moreConversationsRequested());
      await waitFor(() => store.getState().conversations.pageStatus !== 'loading', 'a page to load');
    }
    expect(store.getState().conversations.entities.size).to.equal(10000);
    list = new CcConversationList();
    list.store = store;
    await mount(list, 400, 500);
    await waitFor(() => rows(list).length > 0, 'rows to render');
    expect(rows(list).length).to.be.lessThan(100);
    expect(rows(list)[0]?.getAttribute('aria-setsize')).to.equal('10000');

    // While the clock ticks, the list must not read (filter, sort) all 10,000 again: only the visible timers change.
    const entities = store.getState().conversations.entities;
    let reads = 0;
    const values = entities.values.bind(entities);
    Object.defineProperty(entities, 'values', { value: () => ((reads += 1), values()), configurable: true });
    const timer = () => rows(list)[0]?.querySelector('[part="sla"]')?.textContent?.trim();
    const before = timer();
    expect(before).to.match(/^Reply in 1:29:\d\d$/);
    await waitFor(() => timer() !== before, 'the timer to tick', 3000);
    expect(reads).to.equal(0);
    expect(rows(list)[0]?.dataset.conversationId).to.equal('conv-0');
  });

  it('has no serious accessibility violations', async () => {
    await render();
    await expectAccessible(list);
  });

  /** The small seed plus a queued phone call about to breach, an urgent one, and email with a day to answer. */
  const listSeed: Seed = {
    ...smallSeed,
    agents: [{ id: 'agent-2', name: 'Other Agent' }],
    conversations: [
      ...(smallSeed.conversations ?? []).map((conversation) =>
        conversation.id === 'conv-email'
          ? { ...conversation, firstResponseDueAt: '+20h', createdAt: '-10m' }
          : { ...conversation, firstResponseDueAt: null },
      ),
      {
        id: 'conv-phone', channel: 'phone', customerId: 'cust-wang', status: 'queued', assigneeId: null, queueId: 'q-general',
        priority: 'urgent', createdAt: '-28s', lastMessageAt: '-28s', lastMessagePreview: 'Missed call', firstResponseDueAt: '+1500ms',
      },
      {
        id: 'conv-queue', channel: 'webchat', customerId: 'cust-ada', status: 'queued', assigneeId: null, queueId: 'q-general',
        priority: 'high', subject: 'Delivery address', lastMessageAt: '-1m', lastMessagePreview: 'Can I change the address?', firstResponseDueAt: null,
      },
      { id: 'conv-other', channel: 'sms', customerId: 'cust-evil', status: 'pending', assigneeId: 'agent-2', lastMessageAt: '-30m', lastMessagePreview: 'Thanks', firstResponseDueAt: null },
    ],
  };

  const rowOf = (id: string): HTMLElement | undefined => rows(list).find((row) => row.dataset.conversationId === id);
  const idsShown = (): (string | undefined)[] => rows(list).map((row) => row.dataset.conversationId);
  const query = <E extends Element = HTMLElement>(selector: string): E => {
    const found = list.shadowRoot?.querySelector<E>(selector);
    if (!found) throw new Error(`${selector} is not rendered`);
    return found;
  };
  const slaOf = (id: string): HTMLElement | null | undefined => rowOf(id)?.querySelector<HTMLElement>('[part="sla"]');

  describe('rows', () => {
    it('show VIP and priority as text, and a first-response timer that warns, then counts up once overdue', async () => {
      await render(listSeed);
      expect(rowOf('conv-phone')?.textContent).to.contain('Urgent');
      expect(rowOf('conv-queue')?.textContent).to.contain('High priority');
      expect(rowOf('conv-chat')?.querySelector('.vip')?.textContent).to.equal('VIP 2');

      const email = slaOf('conv-email');
      expect(email?.textContent?.trim()).to.match(/^Reply in 19:5\d:\d\d$/);
      expect(email?.classList.contains('sla-ok')).to.equal(true);
      expect(slaOf('conv-chat'), 'nothing due, no timer').to.equal(null);

      const phone = () => slaOf('conv-phone');
      expect(phone()?.classList.contains('sla-warning')).to.equal(true);
      expect(phone()?.textContent?.trim()).to.match(/^Reply soon: 0:0[01] left$/);
      const order = idsShown();

      await waitFor(() => phone()?.classList.contains('sla-breach'), 'the phone timer to breach', 4000);
      expect(phone()?.textContent?.trim()).to.match(/^Overdue by 0:0\d$/);
      const overdue = phone()?.textContent;
      await waitFor(() => phone()?.textContent !== overdue, 'the overdue time to count up', 3000);
      expect(phone()?.textContent?.trim()).to.match(/^Overdue by 0:0[1-9]$/);
      expect(idsShown(), 'ticking does not reorder').to.deep.equal(order);
      await expectAccessible(list);
    });

    it('sorts by urgency by default, or by newest', async () => {
      await render(listSeed);
      expect(idsShown().slice(0, 2)).to.deep.equal(['conv-phone', 'conv-email']);
      const sort = query<HTMLSelectElement>('select[name="sort"]');
      sort.value = 'newest';
      sort.dispatchEvent(new Event('change'));
      await settle(list);
      expect(idsShown()).to.deep.equal(['conv-phone', 'conv-queue', 'conv-chat', 'conv-wechat', 'conv-email', 'conv-other']);
    });
  });

  describe('filters and search', () => {
    it('narrow by scope, status and channel, from the keyboard', async () => {
      await render(listSeed);
      expect(idsShown()).to.have.length(6);
      expect(query('.count').textContent).to.equal('6 shown');

      query<HTMLInputElement>('input[name="scope"][value="mine"]').focus();
      await sendKeys({ press: 'ArrowRight' }); // radio buttons move with the arrows: mine → queue
      await settle(list);
      expect(idsShown()).to.deep.equal(['conv-phone', 'conv-queue']);
      await sendKeys({ press: 'ArrowLeft' });
      await settle(list);
      expect(idsShown().sort()).to.deep.equal(['conv-chat', 'conv-email', 'conv-wechat']);

      query<HTMLInputElement>('input[name="scope"][value="all"]').click();
      const status = query<HTMLSelectElement>('select[name="status"]');
      status.focus();
      status.value = 'pending';
      status.dispatchEvent(new Event('change'));
      await settle(list);
      expect(idsShown()).to.deep.equal(['conv-other']);
      status.value = 'any';
      status.dispatchEvent(new Event('change'));

      const summary = query<HTMLElement>('details.channels summary');
      summary.focus();
      await sendKeys({ press: 'Enter' });
      await settle(list);
      query<HTMLInputElement>('input[name="channel"][value="wechat"]').focus();
      await sendKeys({ press: 'Space' });
      query<HTMLInputElement>('input[name="channel"][value="phone"]').focus();
      await sendKeys({ press: 'Space' });
      await settle(list);
      expect(idsShown()).to.deep.equal(['conv-phone', 'conv-wechat']);
      expect(summary.textContent?.trim()).to.equal('Channels: 2');
      await expectAccessible(list);
    });

    it('search the loaded conversations by name, subject and preview, after typing pauses', async () => {
      await render(listSeed);
      const search = query<HTMLInputElement>('input[type="search"]');
      search.focus();
      await sendKeys({ type: 'mallory' });
      expect(idsShown(), 'not yet: typing has not paused').to.have.length(6);
      await waitFor(() => idsShown().length === 2, 'the search to apply');
      expect(idsShown().sort()).to.deep.equal(['conv-email', 'conv-other']);

      search.select();
      await sendKeys({ type: 'address' }); // the subject of conv-queue and its preview
      await waitFor(() => idsShown().length === 1, 'the subject search');
      expect(idsShown()).to.deep.equal(['conv-queue']);

      search.select();
      await sendKeys({ type: '1042' }); // in conv-chat's last message preview
      await waitFor(() => idsShown()[0] === 'conv-chat' && idsShown().length === 1, 'the preview search');

      // From the search box straight into the results, and Enter opens the first.
      await sendKeys({ press: 'ArrowDown' });
      await settle(list);
      expect(list.shadowRoot?.activeElement?.getAttribute('role')).to.equal('listbox');
      await sendKeys({ press: 'Enter' });
      expect(store.getState().ui.selectedConversationId).to.equal('conv-chat');

      search.focus();
      await sendKeys({ type: 'nobody by that name' });
      await waitFor(() => list.shadowRoot?.querySelector('.empty'), 'no match');
      expect(query('.empty').textContent).to.contain('No conversations match these filters.');
      await expectAccessible(list);
      query<HTMLButtonElement>('.empty button').click();
      await waitFor(() => idsShown().length === 6, 'everything again');
      expect(search.value).to.equal('');

      search.focus();
      await sendKeys({ type: 'wang' });
      await sendKeys({ press: 'Escape' });
      await settle(list);
      expect(search.value).to.equal('');
      expect(idsShown()).to.have.length(6);
    });
  });

  describe('work offers', () => {
    let connector: MemoryConnector;

    async function renderWithOffers(make?: () => MemoryConnector): Promise<void> {
      connector = make ? make() : new MemoryConnector({ seed: listSeed, traffic: false, deliveryDelayMs: 30 });
      store = createDeskStore({ connector });
      store.dispatch(workspaceStarted());
      await waitFor(() => store.getState().connection.sync === 'live', 'the store to go live');
      list = new CcConversationList();
      list.store = store;
      await mount(list, 420, 700);
      await waitFor(() => rows(list).length > 0, 'rows to render');
    }
    const offers = (): HTMLElement[] => Array.from(list.shadowRoot?.querySelectorAll<HTMLElement>('[part="offer"]') ?? []);

    it('appear at the top with a countdown; Accept gives the agent the conversation and opens it', async () => {
      await renderWithOffers();
      expect(query('[part="offers"]').hidden).to.equal(true);
      expect(list.acceptTopOffer()).to.equal(false);

      const offer = connector.simulateOffer('conv-queue', 20_000);
      await waitFor(() => offers().length === 1, 'the offer to appear');
      expect(query('[part="offers"]').hidden).to.equal(false);
      expect(offers()[0]?.textContent).to.contain('Web chat from Ada Lovelace');
      expect(offers()[0]?.querySelector('.offer-timer')?.textContent?.trim()).to.match(/^Expires in 0:(19|20)$/);
      await expectAccessible(list);

      const accepted = nextEvent<CcOfferAcceptedEvent>(list, 'cc-offer-accepted');
      offers()[0]?.querySelector<HTMLButtonElement>('[part="offer-accept"]')?.focus();
      await sendKeys({ press: 'Enter' });
      expect((await accepted).detail).to.deep.equal({ offerId: offer.id, conversationId: 'conv-queue' });
      expect(store.getState().ui.selectedConversationId).to.equal('conv-queue');
      expect((await connector.getConversation('conv-queue')).assigneeId).to.equal('agent-1');
      await settle(list);
      expect(offers()).to.have.length(0);
      expect(rowOf('conv-queue')?.getAttribute('aria-selected')).to.equal('true');
      expect(list.shadowRoot?.activeElement?.getAttribute('role'), 'focus lands on the list').to.equal('listbox');
    });

    it('accepts the top offer with Alt+A from the list', async () => {
      await renderWithOffers();
      const later = connector.simulateOffer('conv-queue', 25_000);
      const sooner = connector.simulateOffer('conv-phone', 15_000);
      await waitFor(() => offers().length === 2, 'both offers');
      expect(offers().map((element) => element.dataset.offerId)).to.deep.equal([sooner.id, later.id]);
      expect(offers()[0]?.querySelector('[part="offer-accept"]')?.getAttribute('aria-keyshortcuts')).to.equal('Alt+A');

      (list.shadowRoot?.querySelector('[role="listbox"]') as HTMLElement).focus();
      const accepted = nextEvent<CcOfferAcceptedEvent>(list, 'cc-offer-accepted');
      await sendKeys({ press: 'Alt+a' });
      expect((await accepted).detail.offerId).to.equal(sooner.id);
      expect(store.getState().ui.selectedConversationId).to.equal('conv-phone');
      await waitFor(() => offers().length === 1, 'the accepted offer to go');
    });

    it('declines from the keyboard, and tells the host', async () => {
      await renderWithOffers();
      const offer = connector.simulateOffer('conv-queue', 20_000);
      await waitFor(() => offers().length === 1, 'the offer');
      offers()[0]?.querySelector<HTMLButtonElement>('[part="offer-decline"]')?.focus();
      const declined = nextEvent<CcOfferDeclinedEvent>(list, 'cc-offer-declined');
      await sendKeys({ press: 'Enter' });
      expect((await declined).detail).to.deep.equal({ offerId: offer.id, conversationId: 'conv-queue' });
      await waitFor(() => offers().length === 0, 'the offer to go');
      expect(store.getState().ui.selectedConversationId).to.equal(null);
      expect((await connector.getConversation('conv-queue')).assigneeId).to.equal(null);
    });

    it('disappear when they expire', async () => {
      await renderWithOffers();
      connector.simulateOffer('conv-queue', 1200);
      await waitFor(() => offers().length === 1, 'the offer');
      expect(offers()[0]?.querySelector('.offer-timer')?.classList.contains('expiring')).to.equal(true);
      await waitFor(() => offers().length === 0, 'the offer to expire', 4000);
      expect(query('[part="offers"]').hidden).to.equal(true);
    });

    it('show a refused accept inline, leave the offer to try again, and let the agent dismiss the message', async () => {
      class TakenConnector extends MemoryConnector {
        override acceptOffer(_offerId: string, _options?: CommandOptions): Promise<Conversation> {
          return Promise.reject(conflict('Another agent answered this chat a moment ago.'));
        }
      }
      await renderWithOffers(() => new TakenConnector({ seed: listSeed, traffic: false }));
      connector.simulateOffer('conv-queue', 20_000);
      await waitFor(() => offers().length === 1, 'the offer');
      let fired = 0;
      list.addEventListener('cc-offer-accepted', () => (fired += 1));
      list.acceptTopOffer();
      await waitFor(() => list.shadowRoot?.querySelector('.offer-error'), 'the refusal');
      await settle(list);
      expect(query('.offer-error').getAttribute('role')).to.equal('alert');
      expect(query('.offer-error').textContent).to.contain('The offer (Web chat from Ada Lovelace) could not be accepted: Another agent answered this chat a moment ago.');
      expect(offers()).to.have.length(1);
      expect(offers()[0]?.querySelector('[part="offer-accept"]')?.getAttribute('aria-disabled')).to.equal('false');
      expect(store.getState().ui.selectedConversationId).to.equal(null);
      expect(fired).to.equal(0);
      await expectAccessible(list);
      query<HTMLButtonElement>('.offer-error button').click();
      await settle(list);
      expect(list.shadowRoot?.querySelector('.offer-error')).to.equal(null);
    });
  });
});

describe('cc-conversation-list under a burst of changes', () => {
  let store: DeskStore;
  let list: CcConversationList;

  afterEach(() => {
    list?.remove();
    store?.destroy();
  });

  it('moves changed rows into place without sorting the whole list, and keeps the keyboard cursor on its conversation', async () => {
    const customers = [{ id: 'cust', name: 'Many' }];
    const conversations = Array.from({ length: 2000 }, (_, index) => ({
      id: `conv-${index}`,
      channel: 'sms' as const,
      customerId: 'cust',
      status: 'open' as const,
      assigneeId: 'agent-1',
      lastMessageAt: -index * 1000,
    }));
    let connector: MemoryConnector;
    ({ store, connector } = await liveDesk({ seed: { version: 1, agent: { id: 'agent-1', name: 'A' }, customers, conversations } }));
    list = new CcConversationList();
    list.store = store;
    await mount(list, 400, 500);
    await waitFor(() => list.shadowRoot?.querySelectorAll('[role="option"]').length, 'rows to render');
    // Put the cursor on the second row.
    const listbox = list.shadowRoot?.querySelector<HTMLElement>('[role="listbox"]');
    listbox?.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowDown', bubbles: true }));
    await settle(list);
    const cursorId = list.shadowRoot?.querySelector<HTMLElement>('.row.active')?.dataset.conversationId;
    expect(cursorId).to.be.a('string');

    const computations = () => (list as unknown as { orderComputations: number }).orderComputations;
    const before = computations();
    // 50 inbound messages in 50 tasks, on conversations far down the list: they move to the top.
    for (let index = 0; index < 50; index++) {
      connector.simulateInboundMessage(`conv-${1999 - index}`, `burst ${index}`);
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
    await settle(list);
    expect(computations() - before, 'full sorts for 50 events').to.equal(0);
    // The last conversation to hear from its customer is now the most recent: with the newest-first sort it leads.
    const order = (list as unknown as { ordered: readonly { id: string; lastMessageAt: number }[] }).ordered;
    const sorted = [...order].sort((a, b) => compareUrgency(a as Conversation, b as Conversation));
    expect(order.map((c) => c.id)).to.deep.equal(sorted.map((c) => c.id));
    expect(order.some((c) => c.id === 'conv-1999')).to.equal(true);
    // The cursor stayed on the same conversation although 50 moved above it: Enter opens that one.
    listbox?.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
    expect(store.getState().ui.selectedConversationId).to.equal(cursorId);
  });
});
