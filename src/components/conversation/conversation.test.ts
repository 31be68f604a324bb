import { expect } from '@esm-bundle/chai';
import { expectAccessible } from '../../../test/helpers/axe.js';
import { liveDesk, mount, settle } from '../../../test/helpers/desk.js';
import { nextEvent, waitFor } from '../../../test/helpers/events.js';
import { smallSeed } from '../../../test/fixtures/small-seed.js';
import type { Message } from '../../connector/model.js';
import type { MemoryConnector } from '../../connector/memory/index.js';
import type { Seed } from '../../connector/memory/seed.js';
import type { CcConversationTransferEvent } from '../../events/conversation-transfer.js';
import { composerTextInserted, conversationSelected } from '../../store/actions.js';
import type { DeskStore } from '../../store/create-store.js';
import { cannedTrigger, fillCannedReply, filterCannedReplies } from './canned-replies.js';
import { CcConversation } from './conversation.js';
import { splitLinks } from './linkify.js';
import { smsSegments } from './sms-segments.js';

/** The small seed plus what the conversation part needs: links, files, an HTML email, SMS, reply windows, canned replies. */
const seed: Seed = {
  ...smallSeed,
  agents: [{ id: 'agent-2', name: 'Grace Hopper', presence: 'available' }],
  queues: [
    { id: 'q-general', name: 'General' },
    { id: 'q-vip', name: 'VIP care' },
  ],
  conversations: [
    ...(smallSeed.conversations ?? []),
    { id: 'conv-links', channel: 'webchat', customerId: 'cust-ada', status: 'open', assigneeId: 'agent-1', lastMessageAt: '-20m' },
    { id: 'conv-html', channel: 'email', customerId: 'cust-ada', status: 'open', assigneeId: 'agent-1', subject: 'Invoice', lastMessageAt: '-30m' },
    { id: 'conv-sms', channel: 'sms', customerId: 'cust-wang', status: 'open', assigneeId: 'agent-1', lastMessageAt: '-40m' },
    { id: 'conv-closed', channel: 'wechat', customerId: 'cust-wang', status: 'open', assigneeId: 'agent-1', replyWindowEndsAt: '-1m', lastMessageAt: '-49h' },
  ],
  messages: [
    ...(smallSeed.messages ?? []),
    {
      conversationId: 'conv-links',
      direction: 'inbound',
      text: 'Tracking: https://kestrel.example/track?id=1042. Or try javascript:alert(document.domain) and mailto:help@kestrel.example',
      sentAt: '-21m',
    },
    {
      conversationId: 'conv-links',
      direction: 'inbound',
      text: 'Files attached',
      sentAt: '-20m',
      attachments: [
        { name: 'photo.png', mimeType: 'image/png', size: 48_000, url: 'https://files.kestrel.example/photo.png' },
        { name: 'logo.svg', mimeType: 'image/svg+xml', size: 2_000, url: 'https://files.kestrel.example/logo.svg' },
        { name: 'page.html', mimeType: 'text/html', size: 900, url: 'https://files.kestrel.example/page.html' },
        { name: 'sneaky.png', mimeType: 'image/png', size: 10, url: 'javascript:alert(1)' },
      ],
    },
    {
      conversationId: 'conv-html',
      direction: 'inbound',
      text: 'Please see the invoice.',
      sentAt: '-30m',
      email: {
        subject: 'Invoice',
        from: 'ada@example.com',
        to: ['support@example.com', 'sales@example.com'],
        cc: ['boss@example.com'],
        html:
          '<p onclick="window.__xss=3">Hello <b>team</b>,</p><script>window.__xss=4</script>' +
          '<img src=x onerror="window.__xss=5"><img src="https://tracker.example/pixel.png" alt="logo">' +
          '<a href="javascript:window.__xss=6">click</a> <a href="https://kestrel.example/invoice">invoice</a>',
      },
    },
    { conversationId: 'conv-sms', direction: 'inbound', text: 'Is my parcel coming?', sentAt: '-40m' },
    { conversationId: 'conv-closed', direction: 'inbound', text: '还在吗？', sentAt: '-49h' },
  ],
  cannedReplies: [
    { id: 'cr-hello-en', shortcut: 'hello', title: 'Welcome', locale: 'en', text: 'Hi {customer.name}, this is {agent.name}.' },
    { id: 'cr-hello-zh', shortcut: 'hello', title: '问候', locale: 'zh-CN', text: '{customer.name}您好，我是{agent.name}。' },
    { id: 'cr-refund-en', shortcut: 'refund', title: 'Refund timeline', locale: 'en', text: 'Your refund arrives within 5 days.' },
    { id: 'cr-return-en', shortcut: 'return', title: 'Return label', locale: 'en', text: 'Here is your return label.' },
  ],
};

type Xss = { __xss?: number };

function shadow(view: CcConversation): ShadowRoot {
  const root = view.shadowRoot;
  if (!root) throw new Error('no shadow root');
  return root;
}

function $<E extends Element = HTMLElement>(view: CcConversation, selector: string): E {
  const element = shadow(view).querySelector<E>(selector);
  if (!element) throw new Error(`nothing matches ${selector}`);
  return element;
}

function articles(view: CcConversation): HTMLElement[] {
  return Array.from(shadow(view).querySelectorAll<HTMLElement>('article'));
}

function textarea(view: CcConversation): HTMLTextAreaElement {
  return $<HTMLTextAreaElement>(view, 'textarea');
}

function type(view: CcConversation, text: string): void {
  const box = textarea(view);
  box.focus();
  box.value = text;
  box.dispatchEvent(new InputEvent('input', { bubbles: true, composed: true }));
}

function press(view: CcConversation, key: string, init: KeyboardEventInit = {}): KeyboardEvent {
  const event = new KeyboardEvent('keydown', { key, bubbles: true, composed: true, cancelable: true, ...init });
  textarea(view).dispatchEvent(event);
  return event;
}

function buttonNamed(view: CcConversation, name: string): HTMLButtonElement {
  const button = Array.from(shadow(view).querySelectorAll('button')).find((candidate) => candidate.textContent?.trim() === name);
  if (!button) throw new Error(`no button "${name}"`);
  return button;
}

function setField(view: CcConversation, selector: string, value: string): void {
  const field = $<HTMLInputElement | HTMLSelectElement>(view, selector);
  field.value = value;
  field.dispatchEvent(new Event('change', { bubbles: true }));
}

async function messagesOf(connector: MemoryConnector, conversationId: string): Promise<readonly Message[]> {
  return (await connector.listMessages(conversationId, { limit: 200 })).items;
}

/** Like `waitFor`, for a check that asks the backend. */
async function eventually<T>(check: () => Promise<T | null | undefined | false>, what: string, timeoutMs = 5000): Promise<T> {
  const started = performance.now();
  for (;;) {
    const value = await check();
    if (value) return value;
    if (performance.now() - started > timeoutMs) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('cc-conversation', () => {
  let store: DeskStore;
  let connector: MemoryConnector;
  let view: CcConversation;

  afterEach(() => {
    view?.remove();
    store?.destroy();
    delete (window as Xss).__xss;
  });

  async function open(conversationId: string, desk: Seed = smallSeed): Promise<void> {
    ({ store, connector } = await liveDesk({ seed: desk }));
    view = new CcConversation();
    view.store = store;
    await mount(view);
    store.dispatch(conversationSelected({ conversationId }));
    await waitFor(() => articles(view).length > 0, 'messages to render');
    await settle(view);
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
    expect((window as Xss).__xss).to.equal(undefined);
  });

  describe('links and attachments', () => {
    it('links http, https and mailto URLs in chat text, and leaves javascript: as text', async () => {
      await open('conv-links', seed);
      const text = articles(view)[0]?.querySelector('.text');
      const links = Array.from(text?.querySelectorAll('a') ?? []);
      expect(links.map((link) => link.getAttribute('href'))).to.deep.equal([
        'https://kestrel.example/track?id=1042',
        'mailto:help@kestrel.example',
      ]);
      for (const link of links) {
        expect(link.getAttribute('rel')).to.equal('noopener noreferrer');
        expect(link.getAttribute('target')).to.equal('_blank');
      }
      // The full stop after the URL is the sentence's, not the link's; the javascript: text stays text.
      expect(text?.textContent).to.equal(seed.messages?.find((message) => message.conversationId === 'conv-links')?.text);
      expect(text?.querySelector('a[href^="javascript"]')).to.equal(null);
    });

    it('splits text into links only where safeLinkUrl accepts them', () => {
      expect(splitLinks('see (https://a.example/x_(y)) and https://b.example/退货，谢谢')).to.deep.equal([
        { kind: 'text', text: 'see (' },
        { kind: 'link', text: 'https://a.example/x_(y)', href: 'https://a.example/x_(y)' },
        { kind: 'text', text: ') and ' },
        { kind: 'link', text: 'https://b.example/退货', href: 'https://b.example/%E9%80%80%E8%B4%A7' },
        { kind: 'text', text: '，谢谢' },
      ]);
      expect(splitLinks('javascript:alert(1) data:text/html,<b>x</b> tel:+15550100')).to.deep.equal([
        { kind: 'text', text: 'javascript:alert(1) data:text/html,<b>x</b> ' },
        { kind: 'link', text: 'tel:+15550100', href: 'tel:+15550100' },
      ]);
    });

    it('shows a raster image as a thumbnail and SVG or HTML files only as download links', async () => {
      await open('conv-links', seed);
      const files = Array.from(articles(view)[1]?.querySelectorAll('.attachment') ?? []);
      expect(files).to.have.length(4);
      const [photo, svg, page, sneaky] = files;
      const thumbnail = photo?.querySelector('img');
      expect(thumbnail?.getAttribute('alt')).to.equal('photo.png');
      expect(thumbnail?.getAttribute('src')).to.equal('https://files.kestrel.example/photo.png');
      expect(photo?.querySelector('a')?.getAttribute('download')).to.equal('photo.png');
      expect(photo?.textContent).to.contain('photo.png (48 kB)');

      expect(svg?.querySelector('img, object, embed, iframe, svg')).to.equal(null);
      expect(svg?.querySelector('a')?.getAttribute('href')).to.equal('https://files.kestrel.example/logo.svg');
      expect(svg?.querySelector('a')?.hasAttribute('download')).to.equal(true);
      expect(page?.querySelector('img, iframe')).to.equal(null);
      expect(page?.querySelector('a')?.getAttribute('download')).to.equal('page.html');

      // A file behind a javascript: URL is named, never linked or shown.
      expect(sneaky?.querySelector('a, img')).to.equal(null);
      expect(sneaky?.textContent).to.contain('sneaky.png');
    });
  });

  describe('email', () => {
    function frame(): HTMLIFrameElement {
      return $<HTMLIFrameElement>(view, 'iframe.email-frame');
    }

    it('shows the sanitised body in a sandbox without scripts or same origin, remote images blocked', async () => {
      await open('conv-html', seed);
      const iframe = frame();
      const sandbox = iframe.sandbox;
      expect(iframe.hasAttribute('sandbox')).to.equal(true);
      expect(sandbox.contains('allow-scripts')).to.equal(false);
      expect(sandbox.contains('allow-same-origin')).to.equal(false);
      expect(iframe.title).to.equal('Email body: Invoice');

      const srcdoc = iframe.getAttribute('srcdoc') ?? '';
      expect(srcdoc).to.contain('<b>team</b>');
      expect(srcdoc).to.not.match(/<script/i);
      expect(srcdoc).to.not.match(/\son\w+=/i);
      expect(srcdoc).to.not.contain('javascript:');
      expect(srcdoc).to.contain(`content="default-src 'none'; img-src data:; style-src 'unsafe-inline'"`);
      expect(srcdoc).to.not.contain('tracker.example');
      expect(srcdoc).to.contain('href="https://kestrel.example/invoice"');
      // The plain-text part is not shown twice beside the HTML.
      expect(articles(view)[0]?.querySelector('.text')).to.equal(null);
      expect((window as Xss).__xss).to.equal(undefined);
      await expectAccessible(view);
    });

    it('loads remote images only after the agent allows them for that message', async () => {
      await open('conv-html', seed);
      const notice = $(view, '.remote-notice');
      expect(notice.textContent).to.contain('Remote images in this email are blocked');
      buttonNamed(view, 'Show remote images').click();
      await settle(view);
      const srcdoc = frame().getAttribute('srcdoc') ?? '';
      expect(srcdoc).to.contain(`img-src data: https:;`);
      expect(srcdoc).to.contain('src="https://tracker.example/pixel.png"');
      expect(shadow(view).querySelector('.remote-notice')).to.equal(null);
      expect(srcdoc).to.not.match(/<script|\son\w+=/i);
      expect((window as Xss).__xss).to.equal(undefined);
    });

    it('falls back to the plain text when the email has no HTML', async () => {
      await open('conv-email');
      expect(shadow(view).querySelector('iframe')).to.equal(null);
      expect(articles(view)[0]?.querySelector('.text')?.textContent).to.equal('<script>window.__xss=2</script> please refund');
    });

    it('replies with a prefilled "Re:" subject, reply-all copies and an edited subject', async () => {
      await open('conv-html', seed);
      expect($<HTMLInputElement>(view, '#email-subject').value).to.equal('Re: Invoice');
      expect($<HTMLInputElement>(view, '#email-to').value).to.equal('ada@example.com');
      expect($<HTMLInputElement>(view, '#email-cc').value).to.equal('');
      const replyAll = $<HTMLInputElement>(view, '.reply-all input');
      replyAll.checked = true;
      replyAll.dispatchEvent(new Event('change', { bubbles: true }));
      await settle(view);
      // Everyone the customer wrote to, except the desk's own address.
      expect($<HTMLInputElement>(view, '#email-cc').value).to.equal('sales@example.com, boss@example.com');
      setField(view, '#email-subject', 'Re: Invoice 1042');
      await settle(view);
      type(view, 'The corrected invoice is attached.');
      press(view, 'Enter');
      const sent = await eventually(
        async () => (await messagesOf(connector, 'conv-html')).find((message) => message.text === 'The corrected invoice is attached.'),
        'the email reply',
      );
      expect(sent.email).to.deep.include({ subject: 'Re: Invoice 1042', to: ['ada@example.com'], cc: ['sales@example.com', 'boss@example.com'] });
      await settle(view);
      // The next reply starts from the thread again.
      expect($<HTMLInputElement>(view, '#email-subject').value).to.equal('Re: Invoice');
    });

    it('refuses to send to an address that is not one, and says why', async () => {
      await open('conv-html', seed);
      setField(view, '#email-cc', 'boss@example.com, not-an-address');
      type(view, 'Copying my manager.');
      press(view, 'Enter');
      await settle(view);
      expect($(view, '#email-error').textContent).to.contain('“not-an-address” is not an email address.');
      expect(shadow(view).activeElement?.id).to.equal('email-cc');
      expect(textarea(view).value).to.equal('Copying my manager.');
      expect((await messagesOf(connector, 'conv-html')).some((message) => message.text === 'Copying my manager.')).to.equal(false);
    });
  });

  describe('composer by channel', () => {
    it('counts GSM-7 and UCS-2 SMS segments', () => {
      expect(smsSegments('')).to.deep.include({ segments: 0, remaining: 160 });
      expect(smsSegments('a'.repeat(160))).to.deep.include({ encoding: 'gsm-7', segments: 1, remaining: 0 });
      expect(smsSegments('a'.repeat(161))).to.deep.include({ segments: 2, perSegment: 153, remaining: 145 });
      expect(smsSegments('a'.repeat(307))).to.deep.include({ segments: 3 });
      expect(smsSegments('€'.repeat(80))).to.deep.include({ encoding: 'gsm-7', units: 160, segments: 1 });
      expect(smsSegments('你'.repeat(70))).to.deep.include({ encoding: 'ucs-2', segments: 1, remaining: 0 });
      expect(smsSegments('你'.repeat(71))).to.deep.include({ encoding: 'ucs-2', segments: 2, perSegment: 67 });
      // One Chinese character makes the whole English text UCS-2.
      expect(smsSegments(`${'a'.repeat(69)}好`)).to.deep.include({ encoding: 'ucs-2', segments: 1 });
      expect(smsSegments(`${'a'.repeat(70)}好`)).to.deep.include({ encoding: 'ucs-2', segments: 2 });
    });

    it('shows the SMS segment counter as the agent types, in English and Chinese', async () => {
      await open('conv-sms', seed);
      const counter = () => $(view, '.sms-counter');
      type(view, 'Your parcel is out for delivery and arrives today between 2 and 4 pm. Reply STOP to opt out of delivery updates from Kestrel Electronics, thank you.');
      await settle(view);
      expect(counter().textContent).to.contain('1 SMS');
      expect(counter().textContent).to.contain('GSM-7, 160 characters per SMS');
      type(view, `${'Your parcel is on its way. '.repeat(6)}`);
      await settle(view);
      expect(counter().textContent).to.contain('2 SMS');
      // 72 Chinese characters: more than the 70 of one UCS-2 SMS.
      type(view, '您的包裹已经发出了。'.repeat(8).slice(0, 72));
      await settle(view);
      expect(counter().textContent).to.contain('2 SMS');
      expect(counter().textContent).to.contain('Unicode, 67 characters per SMS');
      expect(textarea(view).getAttribute('aria-describedby')).to.contain('sms-counter');
    });

    it('shows an open WeChat reply window with a countdown', async () => {
      await open('conv-wechat');
      const notice = $(view, '#reply-window');
      expect(notice.textContent).to.match(/WeChat reply window: (1d 23h|47:\d\d:\d\d) left/);
      expect(buttonNamed(view, 'Send').disabled).to.equal(true);
      type(view, '您好');
      await settle(view);
      expect(buttonNamed(view, 'Send').disabled).to.equal(false);
    });

    it('disables replies once the WeChat reply window has passed, and still takes an internal note', async () => {
      await open('conv-closed', seed);
      const notice = $(view, '#reply-window');
      expect(notice.textContent).to.contain('The WeChat reply window has closed');
      type(view, '抱歉回复晚了');
      await settle(view);
      const send = $<HTMLButtonElement>(view, '.send');
      expect(send.disabled).to.equal(true);
      expect(send.getAttribute('aria-describedby')).to.equal('reply-window');
      press(view, 'Enter');
      await settle(view);
      expect(articles(view)).to.have.length(1);

      const note = $<HTMLInputElement>(view, '.composer-actions input[type="checkbox"]');
      note.click();
      await settle(view);
      expect(send.disabled).to.equal(false);
      expect(send.textContent?.trim()).to.equal('Add note');
      press(view, 'Enter');
      const sent = await eventually(
        async () => (await messagesOf(connector, 'conv-closed')).find((message) => message.text === '抱歉回复晚了'),
        'the internal note',
      );
      expect(sent.direction).to.equal('internal');
      await expectAccessible(view);
    });

    it('shows text inserted from knowledge in the reply box', async () => {
      await open('conv-chat');
      type(view, 'Thanks for waiting.');
      store.dispatch(composerTextInserted({ conversationId: 'conv-chat', text: 'Refunds take 5 days.', source: 'knowledge' }));
      await settle(view);
      expect(textarea(view).value).to.equal('Thanks for waiting.\n\nRefunds take 5 days.');
    });
  });

  describe('canned replies', () => {
    function options(): HTMLElement[] {
      return Array.from(shadow(view).querySelectorAll<HTMLElement>('[role="option"]'));
    }

    it('finds them after "/" and narrows them as the agent types', () => {
      expect(cannedTrigger('/', 1)).to.deep.equal({ start: 0, query: '' });
      expect(cannedTrigger('Hi /ref', 7)).to.deep.equal({ start: 3, query: 'ref' });
      expect(cannedTrigger('see https://x.example/a', 23)).to.equal(null);
      expect(cannedTrigger('on 3/4', 6)).to.equal(null);
      const replies = seed.cannedReplies?.map((reply) => ({ ...reply })) ?? [];
      expect(filterCannedReplies(replies, 're', 'en').map((reply) => reply.id)).to.deep.equal(['cr-refund-en', 'cr-return-en']);
      expect(filterCannedReplies(replies, 'hello', 'zh-CN').map((reply) => reply.id)).to.deep.equal(['cr-hello-zh', 'cr-hello-en']);
      expect(fillCannedReply('Hi {customer.name}, {agent.name} here. {ticket.id}', { customerName: 'Ada', agentName: '' })).to.equal(
        'Hi Ada, {agent.name} here. {ticket.id}',
      );
    });

    it('opens on "/", moves with the arrows, inserts with Enter and fills the names', async () => {
      await open('conv-chat', seed);
      type(view, 'Hello! /');
      await waitFor(() => options().length === 4, 'the canned replies to load');
      const box = textarea(view);
      expect(box.getAttribute('aria-controls')).to.equal('canned-list');
      expect(box.getAttribute('aria-activedescendant')).to.equal('canned-0');
      await expectAccessible(view);

      type(view, 'Hello! /re');
      await settle(view);
      expect(options().map((option) => option.querySelector('.shortcut')?.textContent)).to.deep.equal(['/refund', '/return']);
      press(view, 'ArrowDown');
      await settle(view);
      expect(box.getAttribute('aria-activedescendant')).to.equal('canned-1');
      expect(options()[1]?.getAttribute('aria-selected')).to.equal('true');
      press(view, 'ArrowUp');
      await settle(view);
      const enter = press(view, 'Enter');
      await settle(view);
      expect(enter.defaultPrevented).to.equal(true);
      expect(box.value).to.equal('Hello! Your refund arrives within 5 days.');
      expect(options()).to.have.length(0);
      expect(box.selectionStart).to.equal(box.value.length);
      // Enter chose the reply; it did not send the message.
      expect(articles(view)).to.have.length(2);

      type(view, '/hel');
      await settle(view);
      press(view, 'Enter');
      await settle(view);
      expect(box.value).to.equal('Hi Ada Lovelace, this is Lin Agent.');
    });

    it('closes with Escape and stays closed for that "/"', async () => {
      await open('conv-chat', seed);
      type(view, '/');
      await waitFor(() => options().length > 0, 'the canned replies');
      const escape = press(view, 'Escape');
      await settle(view);
      expect(escape.defaultPrevented).to.equal(true);
      expect(shadow(view).querySelector('[role="listbox"]')).to.equal(null);
      type(view, '/r');
      await settle(view);
      expect(shadow(view).querySelector('[role="listbox"]')).to.equal(null);
      type(view, '/r /');
      await settle(view);
      expect(options().length).to.be.greaterThan(0);
    });

    it('says so when nothing matches, and Enter then neither inserts nor sends', async () => {
      await open('conv-chat', seed);
      type(view, '/zzz');
      await waitFor(() => shadow(view).querySelector('.canned-status')?.textContent?.includes('No canned reply matches “/zzz”.'), 'the empty result');
      press(view, 'Enter');
      await settle(view);
      expect(textarea(view).value).to.equal('/zzz');
      expect(articles(view)).to.have.length(2);
    });
  });

  describe('attachments', () => {
    function choose(files: File[]): void {
      const input = $<HTMLInputElement>(view, '#attach-input');
      const transfer = new DataTransfer();
      for (const file of files) transfer.items.add(file);
      input.files = transfer.files;
      input.dispatchEvent(new Event('change', { bubbles: true }));
    }

    it('sends chosen files with the message; a file removed before sending is not sent', async () => {
      await open('conv-chat', seed);
      choose([new File(['x'.repeat(2048)], 'receipt.png', { type: 'image/png' }), new File(['y'], 'notes.txt', { type: 'text/plain' })]);
      await settle(view);
      const pending = () => Array.from(shadow(view).querySelectorAll('.pending-attachments li'));
      expect(pending().map((item) => item.textContent?.replace(/\s+/g, ' ').trim())).to.deep.equal(['receipt.png (2 kB) ×', 'notes.txt (1 byte) ×']);
      $<HTMLButtonElement>(view, 'button[aria-label="Remove notes.txt"]').click();
      await settle(view);
      expect(pending()).to.have.length(1);
      expect(shadow(view).activeElement).to.equal(textarea(view));

      // A file alone can be sent.
      expect(buttonNamed(view, 'Send').disabled).to.equal(false);
      press(view, 'Enter');
      const sent = await eventually(
        async () => (await messagesOf(connector, 'conv-chat')).find((message) => message.attachments.length > 0),
        'the message with its file',
      );
      expect(sent.attachments.map(({ name, mimeType, size }) => ({ name, mimeType, size }))).to.deep.equal([
        { name: 'receipt.png', mimeType: 'image/png', size: 2048 },
      ]);
      await settle(view);
      expect(pending()).to.have.length(0);
      const shown = await waitFor(() => articles(view).find((article) => article.querySelector('.attachment img')), 'the sent image');
      expect(shown.querySelector('img')?.getAttribute('alt')).to.equal('receipt.png');
      expect(shown.querySelector('img')?.getAttribute('src')).to.match(/^blob:/);
    });
  });

  describe('transfer, resolve and reopen', () => {
    async function openTransfer(): Promise<HTMLSelectElement> {
      buttonNamed(view, 'Transfer').click();
      await waitFor(() => shadow(view).querySelectorAll('#transfer-target option').length > 1, 'agents and queues');
      await settle(view);
      return $<HTMLSelectElement>(view, '#transfer-target');
    }

    it('transfers to a queue after telling the host, and the thread shows it', async () => {
      await open('conv-chat', seed);
      const select = await openTransfer();
      expect(shadow(view).activeElement).to.equal(select);
      expect(Array.from(select.querySelectorAll('option')).map((option) => option.textContent?.trim())).to.deep.equal([
        'Choose an agent or a queue',
        'Lin Agent (you)',
        'Grace Hopper (available)',
        'General',
        'VIP care',
      ]);
      setField(view, '#transfer-target', 'queue:q-vip');
      await settle(view);
      const intent = nextEvent<CcConversationTransferEvent>(view, 'cc-conversation-transfer');
      buttonNamed(view, 'Confirm transfer').click();
      const event = await intent;
      expect(event.detail).to.deep.equal({ conversationId: 'conv-chat', target: { kind: 'queue', queueId: 'q-vip' } });
      expect(event.cancelable && event.bubbles && event.composed).to.equal(true);
      await eventually(async () => (await connector.getConversation('conv-chat')).queueId === 'q-vip', 'the transfer');
      const conversation = await connector.getConversation('conv-chat');
      expect(conversation.assigneeId).to.equal(null);
      await waitFor(() => shadow(view).querySelector('.message.system')?.textContent?.includes('Transferred to the VIP care queue'), 'the system event');
      expect(shadow(view).querySelector('#transfer-panel')).to.equal(null);
      expect(shadow(view).activeElement?.id).to.equal('transfer-button');
    });

    it('transfers to another agent', async () => {
      await open('conv-chat', seed);
      await openTransfer();
      setField(view, '#transfer-target', 'agent:agent-2');
      await settle(view);
      buttonNamed(view, 'Confirm transfer').click();
      await eventually(async () => (await connector.getConversation('conv-chat')).assigneeId === 'agent-2', 'the assignment');
      await waitFor(() => shadow(view).querySelector('.message.system')?.textContent?.includes('Assigned to Grace Hopper'), 'the system event');
    });

    it('lets the host veto a transfer', async () => {
      await open('conv-chat', seed);
      view.addEventListener('cc-conversation-transfer', (event) => event.preventDefault(), { once: true });
      await openTransfer();
      setField(view, '#transfer-target', 'queue:q-general');
      await settle(view);
      buttonNamed(view, 'Confirm transfer').click();
      await settle(view);
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect((await connector.getConversation('conv-chat')).assigneeId).to.equal('agent-1');
      expect(store.getState().conversation.operations.get('conv-chat')).to.equal(undefined);
      expect(shadow(view).querySelector('#transfer-panel')).to.not.equal(null);
    });

    it('closes the transfer form with Escape and is accessible while it is open', async () => {
      await open('conv-chat', seed);
      const select = await openTransfer();
      await expectAccessible(view);
      select.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true, composed: true, cancelable: true }));
      await settle(view);
      expect(shadow(view).querySelector('#transfer-panel')).to.equal(null);
      expect(shadow(view).activeElement?.id).to.equal('transfer-button');
      expect($(view, '#transfer-button').getAttribute('aria-expanded')).to.equal('false');
    });

    it('shows a failed transfer inline with the reason', async () => {
      await open('conv-chat', seed);
      await openTransfer();
      setField(view, '#transfer-target', 'queue:q-general');
      await settle(view);
      await connector.disconnect();
      buttonNamed(view, 'Confirm transfer').click();
      const alert = await waitFor(() => shadow(view).querySelector('.operation.failed'), 'the failure');
      expect(alert.getAttribute('role')).to.equal('alert');
      expect(alert.textContent).to.contain('The transfer failed: The connector is not connected');
      buttonNamed(view, 'Dismiss').click();
      await settle(view);
      expect(shadow(view).querySelector('.operation.failed')).to.equal(null);
    });

    it('resolves and reopens the conversation', async () => {
      await open('conv-chat', seed);
      buttonNamed(view, 'Resolve').click();
      await waitFor(() => view.shadowRoot?.querySelector('.meta')?.textContent?.includes('Resolved'), 'the conversation to be resolved');
      expect((await connector.getConversation('conv-chat')).status).to.equal('resolved');
      const reopen = await waitFor(() => Array.from(shadow(view).querySelectorAll('button')).find((button) => button.textContent?.trim() === 'Reopen'), 'Reopen');
      await expectAccessible(view);
      reopen.click();
      await eventually(async () => (await connector.getConversation('conv-chat')).status === 'open', 'the conversation to reopen');
      await waitFor(() => shadow(view).querySelector('.meta')?.textContent?.includes('Open'), 'the header to say Open');
    });
  });

  describe('sending', () => {
    function pressEnter(init: KeyboardEventInit = {}): void {
      press(view, 'Enter', init);
    }

    it('sends a reply with Enter: it appears at once, then as delivered with an icon, and the box empties', async () => {
      await open('conv-chat');
      type(view, 'We are checking with the courier.');
      pressEnter();
      await settle(view);
      const reply = articles(view).find((article) => article.textContent?.includes('We are checking with the courier.'));
      expect(reply).to.not.equal(undefined);
      expect(textarea(view).value).to.equal('');
      const delivered = await waitFor(
        () => articles(view).find((article) => article.dataset.delivery === 'delivered' && article.textContent?.includes('We are checking with the courier.')),
        'the reply to be delivered',
      );
      expect(delivered.querySelector('.delivery')?.textContent?.replace(/\s+/g, ' ').trim()).to.equal('✓✓ Delivered');
      expect(delivered.querySelector('.delivery-icon')?.getAttribute('aria-hidden')).to.equal('true');
      const page = await connector.listMessages('conv-chat', {});
      expect(page.items.filter((message) => message.text === 'We are checking with the courier.')).to.have.length(1);
    });

    it('does not send while an input method is composing', async () => {
      await open('conv-wechat');
      type(view, 'ni hao');
      pressEnter({ isComposing: true });
      await settle(view);
      expect(textarea(view).value).to.equal('ni hao');
      expect(articles(view)).to.have.length(1);
    });

    it('keeps a failed reply in the thread with the reason and sends it on retry', async () => {
      await open('conv-chat');
      await connector.disconnect();
      type(view, 'Reply while the backend is away');
      pressEnter();
      const failed = await waitFor(() => articles(view).find((article) => article.dataset.delivery === 'failed'), 'the reply to fail');
      expect(failed.textContent).to.contain('Reply while the backend is away');
      expect(failed.querySelector('[role="alert"]')?.textContent).to.contain('Not sent');
      await connector.connect();
      failed.querySelector<HTMLButtonElement>('button')?.click();
      await waitFor(
        () =>
          articles(view).find(
            (article) =>
              article.textContent?.includes('Reply while the backend is away') && article.dataset.delivery !== 'failed' && article.dataset.delivery !== 'sending',
          ),
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
  });

  it('has no serious accessibility violations', async () => {
    await open('conv-email');
    await expectAccessible(view);
  });

  it('keeps note or reply mode per conversation', async () => {
    await open('conv-chat');
    const toggle = () => view.shadowRoot?.querySelector<HTMLInputElement>('input[type="checkbox"]');
    toggle()?.click();
    await settle(view);
    expect(toggle()?.checked).to.equal(true);
    store.dispatch(conversationSelected({ conversationId: 'conv-wechat' }));
    await settle(view);
    expect(toggle()?.checked, 'a new conversation starts as a reply').to.equal(false);
    store.dispatch(conversationSelected({ conversationId: 'conv-chat' }));
    await settle(view);
    expect(toggle()?.checked, 'the first one is still in note mode').to.equal(true);
  });
});
