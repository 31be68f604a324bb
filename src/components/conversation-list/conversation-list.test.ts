import { expect } from '@esm-bundle/chai';
import { expectAccessible } from '../../../test/helpers/axe.js';
import { liveDesk, mount, settle } from '../../../test/helpers/desk.js';
import { nextEvent, waitFor } from '../../../test/helpers/events.js';
import type { Conversation } from '../../connector/model.js';
import type { Seed } from '../../connector/memory/seed.js';
import type { CcConversationSelectEvent } from '../../events/conversation-select.js';
import { moreConversationsRequested } from '../../store/actions.js';
import type { DeskStore } from '../../store/create-store.js';
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

  it('renders only what is visible of 10,000 conversations', async () => {
    const customers = [{ id: 'cust', name: 'Many' }];
    const conversations = Array.from({ length: 10000 }, (_, index) => ({
      id: `conv-${index}`,
      channel: 'sms' as const,
      customerId: 'cust',
      status: 'open' as const,
      assigneeId: 'agent-1',
      lastMessageAt: -index * 1000,
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
  });

  it('has no serious accessibility violations', async () => {
    await render();
    await expectAccessible(list);
  });
});
