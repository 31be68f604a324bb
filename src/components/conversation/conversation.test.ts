import { expect } from '@esm-bundle/chai';
import { expectAccessible } from '../../../test/helpers/axe.js';
import { liveDesk, mount, settle } from '../../../test/helpers/desk.js';
import { waitFor } from '../../../test/helpers/events.js';
import type { MemoryConnector } from '../../connector/memory/index.js';
import { conversationSelected } from '../../store/actions.js';
import type { DeskStore } from '../../store/create-store.js';
import { CcConversation } from './conversation.js';

function articles(view: CcConversation): HTMLElement[] {
  return Array.from(view.shadowRoot?.querySelectorAll<HTMLElement>('article') ?? []);
}

function textarea(view: CcConversation): HTMLTextAreaElement {
  const element = view.shadowRoot?.querySelector('textarea');
  if (!element) throw new Error('no composer');
  return element;
}

function type(view: CcConversation, text: string): void {
  const box = textarea(view);
  box.value = text;
  box.dispatchEvent(new InputEvent('input', { bubbles: true, composed: true }));
}

function pressEnter(view: CcConversation, init: KeyboardEventInit = {}): void {
  textarea(view).dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, cancelable: true, ...init }));
}

describe('cc-conversation', () => {
  let store: DeskStore;
  let connector: MemoryConnector;
  let view: CcConversation;

  afterEach(() => {
    view?.remove();
    store?.destroy();
  });

  async function open(conversationId: string): Promise<void> {
    ({ store, connector } = await liveDesk());
    view = new CcConversation();
    view.store = store;
    await mount(view);
    store.dispatch(conversationSelected({ conversationId }));
    await waitFor(() => articles(view).length > 0, 'messages to render');
  }

  it('asks the agent to pick a conversation when none is selected', async () => {
    ({ store } = await liveDesk());
    view = new CcConversation();
    view.store = store;
    await mount(view);
    expect(view.shadowRoot?.textContent).to.contain('Pick a conversation');
  });

  it('shows the thread with the customer as the heading', async () => {
    await open('conv-chat');
    expect(view.shadowRoot?.querySelector('h2')?.textContent).to.equal('Ada Lovelace');
    expect(articles(view).map((article) => article.querySelector('.text')?.textContent)).to.deep.equal([
      'My order has not arrived.',
      'Order #1042, placed last week.',
    ]);
  });

  it('renders an email envelope and hostile text as text, never as markup', async () => {
    await open('conv-email');
    const email = articles(view)[0];
    expect(email?.querySelector('.envelope')?.textContent).to.contain('Subject: Refund <b>now</b>');
    expect(email?.querySelector('b, script')).to.equal(null);
    expect(view.shadowRoot?.querySelector('h2')?.textContent).to.contain('<img src=x');
    expect(view.shadowRoot?.querySelector('h2 img')).to.equal(null);
    expect((window as unknown as { __xss?: number }).__xss).to.equal(undefined);
  });

  it('sends a reply with Enter: it appears at once, then as delivered, and the box empties', async () => {
    await open('conv-chat');
    type(view, 'We are checking with the courier.');
    pressEnter(view);
    await settle(view);
    const reply = articles(view).find((article) => article.textContent?.includes('We are checking with the courier.'));
    expect(reply).to.not.equal(undefined);
    expect(textarea(view).value).to.equal('');
    await waitFor(() => articles(view).find((article) => article.dataset.delivery === 'delivered'), 'the reply to be delivered');
    const page = await connector.listMessages('conv-chat', {});
    expect(page.items.filter((message) => message.text === 'We are checking with the courier.')).to.have.length(1);
  });

  it('does not send while an input method is composing', async () => {
    await open('conv-wechat');
    type(view, 'ni hao');
    pressEnter(view, { isComposing: true });
    await settle(view);
    expect(textarea(view).value).to.equal('ni hao');
    expect(articles(view)).to.have.length(1);
  });

  it('keeps a failed reply in the thread with the reason and sends it on retry', async () => {
    await open('conv-chat');
    await connector.disconnect();
    type(view, 'Reply while the backend is away');
    pressEnter(view);
    const failed = await waitFor(() => articles(view).find((article) => article.dataset.delivery === 'failed'), 'the reply to fail');
    expect(failed.textContent).to.contain('Reply while the backend is away');
    expect(failed.querySelector('[role="alert"]')?.textContent).to.contain('Not sent');
    await connector.connect();
    failed.querySelector<HTMLButtonElement>('button')?.click();
    await waitFor(
      () => articles(view).find((article) => article.textContent?.includes('Reply while the backend is away') && article.dataset.delivery !== 'failed' && article.dataset.delivery !== 'sending'),
      'the retried reply to be accepted',
    );
  });

  it('keeps a draft per conversation', async () => {
    await open('conv-chat');
    type(view, 'half a thought');
    store.dispatch(conversationSelected({ conversationId: 'conv-wechat' }));
    await settle(view);
    expect(textarea(view).value).to.equal('');
    store.dispatch(conversationSelected({ conversationId: 'conv-chat' }));
    await settle(view);
    expect(textarea(view).value).to.equal('half a thought');
  });

  it('has no serious accessibility violations', async () => {
    await open('conv-email');
    await expectAccessible(view);
  });
});
