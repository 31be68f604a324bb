/**
 * Shared helpers for the end-to-end job tests (`jobs.spec.ts`): the viewport × locale matrix, the desk's
 * visible names per locale (copied from src/i18n/parts/*.ts, so a renamed string shows up here as a failure),
 * seeds that set up each job precisely, and a `Desk` driver that works the desk by mouse or by keyboard alone.
 */
import { expect, test as base, type BrowserContext, type Locator, type Page, type Request } from '@playwright/test';

export type Locale = 'en' | 'zh-CN';
export type Panel = 'list' | 'conversation' | 'customer' | 'tickets' | 'knowledge';
export type Layout = 'narrow' | 'medium' | 'wide';

export const LOCALES: readonly Locale[] = ['en', 'zh-CN'];
export const WIDTHS = [360, 1440] as const;
export type Width = (typeof WIDTHS)[number];

/** Every viewport width × locale combination, for parameterised tests. */
export const MATRIX: ReadonlyArray<{ readonly width: Width; readonly locale: Locale }> = WIDTHS.flatMap((width) =>
  LOCALES.map((locale) => ({ width, locale })),
);

/** The keyboard-only runs: at least 1440 px in English and 360 px in Chinese. */
export const KEYBOARD_MATRIX: ReadonlyArray<{ readonly width: Width; readonly locale: Locale }> = [
  { width: 1440, locale: 'en' },
  { width: 360, locale: 'zh-CN' },
];

export const VIEWPORT_HEIGHT: Record<Width, number> = { 360: 780, 1440: 900 };

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The desk's visible names, per locale. */
export const LABELS = {
  en: {
    online: 'Online',
    tab: { list: 'Inbox', conversation: 'Conversation', customer: 'Customer', tickets: 'Tickets', knowledge: 'Knowledge' },
    webchat: 'Web chat',
    composer: 'Reply',
    send: 'Send',
    knowledgeSearch: 'Search articles',
    suggested: 'Suggested for this conversation',
    insert: 'Insert into reply',
    inserted: 'Inserted into the reply.',
    newTicket: 'New ticket from this conversation',
    createHeading: 'New ticket',
    createTicket: 'Create ticket',
    allTickets: 'All tickets',
    subject: 'Subject',
    description: 'Description',
    ticketSource: 'from Web chat',
    ticketKind: 'Ticket',
    history: 'History',
    mergeLabel: (source: string, target: string) => `Merge ${source} into ${target}`,
    mergeTitle: 'Merge these profiles?',
    mergeConfirm: 'Merge profiles',
    mergeCancel: 'Cancel',
    merged: (source: string) => `Merged ${source} into this profile.`,
    offers: 'Work offers',
    offerFrom: (channel: string, name: string) => `${channel} from ${name}`,
    accept: 'Accept',
    slaWarning: /^Reply soon: \d+:\d{2} left$/,
    slaBreach: /^Overdue by \d+:\d{2}$/,
  },
  'zh-CN': {
    online: '在线',
    tab: { list: '收件箱', conversation: '会话', customer: '客户', tickets: '工单', knowledge: '知识库' },
    webchat: '网页聊天',
    composer: '回复',
    send: '发送',
    knowledgeSearch: '搜索文章',
    suggested: '当前会话的推荐文章',
    insert: '插入回复',
    inserted: '已插入回复。',
    newTicket: '从此会话新建工单',
    createHeading: '新建工单',
    createTicket: '创建工单',
    allTickets: '全部工单',
    subject: '主题',
    description: '描述',
    ticketSource: '来自网页聊天',
    ticketKind: '工单',
    history: '历史记录',
    mergeLabel: (source: string, target: string) => `将 ${source} 合并到 ${target}`,
    mergeTitle: '合并这两个客户资料？',
    mergeConfirm: '合并资料',
    mergeCancel: '取消',
    merged: (source: string) => `已将 ${source} 合并到此资料。`,
    offers: '工作分配',
    offerFrom: (channel: string, name: string) => `来自${name}的${channel}`,
    accept: '接受',
    slaWarning: /^即将超时：剩余 \d+:\d{2}$/,
    slaBreach: /^已超时 \d+:\d{2}$/,
  },
} as const;
export type Labels = (typeof LABELS)[Locale];

// ---------------------------------------------------------------------------------------------------------------
// Seeds (docs/seed-format.md): one small world per job, in the locale's language.

const AGENT = { en: 'Lin Chen', 'zh-CN': '陈琳' } as const;
const QUEUES = [{ id: 'q-web', name: 'Web' }];

type Seed = Record<string, unknown>;

function world(locale: Locale, parts: Partial<Record<'customers' | 'conversations' | 'messages' | 'tickets' | 'articles', unknown[]>>): Seed {
  return {
    version: 1,
    agent: { id: 'agent-1', name: AGENT[locale] },
    queues: QUEUES,
    customers: [],
    conversations: [],
    messages: [],
    ...parts,
  };
}

/** A bystander conversation that was already answered, so it never counts as waiting (nothing due, nothing unread). */
function answered(locale: Locale) {
  const name = locale === 'en' ? 'Alan Turing' : '张伟';
  return {
    customer: { id: 'c-bystander', name, identities: [{ kind: 'email', value: 'bystander@example.com' }] },
    conversation: { id: 'conv-bystander', channel: 'email', customerId: 'c-bystander', assigneeId: 'agent-1', subject: locale === 'en' ? 'Thanks' : '感谢' },
    messages: [
      { conversationId: 'conv-bystander', direction: 'inbound', text: locale === 'en' ? 'All good now.' : '已经好了。', sentAt: '-3h' },
      { conversationId: 'conv-bystander', direction: 'outbound', text: locale === 'en' ? 'Glad to hear it!' : '很高兴听到这个消息！', sentAt: '-2h' },
    ],
  };
}

export interface KnowledgeJob {
  readonly seed: Seed;
  readonly customer: string;
  readonly agent: string;
  readonly conversationId: string;
  readonly query: string;
  readonly articleTitle: string;
  /** The first words of the article once its variables are filled in. */
  readonly filledOpening: string;
}

export function knowledgeJob(locale: Locale): KnowledgeJob {
  const en = locale === 'en';
  const customer = en ? 'Ada Lovelace' : '李娜';
  const bystander = answered(locale);
  const tags = ['return', 'refund', '退货', '退款'];
  const seed = world(locale, {
    customers: [
      { id: 'c-kb', name: customer, locale, identities: [{ kind: 'webchat', value: 'visitor-kb' }] },
      bystander.customer,
    ],
    conversations: [{ id: 'conv-kb', channel: 'webchat', customerId: 'c-kb', assigneeId: 'agent-1', queueId: 'q-web' }, bystander.conversation],
    messages: [
      {
        conversationId: 'conv-kb',
        direction: 'inbound',
        text: en ? 'The headphones do not fit. Can I return them and get a refund?' : '耳机戴着不合适，我想退货退款。',
        sentAt: '-1m',
      },
      ...bystander.messages,
    ],
    articles: [
      {
        id: 'kb-return-en',
        locale: 'en',
        title: 'Returns and refunds',
        body: 'Hi {customer.name}, you can return any product within 30 days of delivery for a full refund.\n\nBest regards, {agent.name}',
        tags,
      },
      {
        id: 'kb-return-zh',
        locale: 'zh-CN',
        title: '退货与退款',
        body: '{customer.name}您好，商品签收后30天内可以退货并全额退款。\n\n客服 {agent.name}',
        tags,
      },
      { id: 'kb-shipping-en', locale: 'en', title: 'Shipping times', body: 'Parcels arrive within 3 working days.', tags: ['shipping'] },
    ],
  });
  return {
    seed,
    customer,
    agent: AGENT[locale],
    conversationId: 'conv-kb',
    query: en ? 'refund' : '退货',
    articleTitle: en ? 'Returns and refunds' : '退货与退款',
    filledOpening: en ? `Hi ${customer}, you can return any product` : `${customer}您好，商品签收后30天内可以退货`,
  };
}

export interface TicketJob {
  readonly seed: Seed;
  readonly customer: string;
  readonly conversationId: string;
  /** The first customer message: the new ticket's subject (the conversation has none of its own). */
  readonly firstMessage: string;
  readonly latestMessage: string;
  readonly existingTicket: string;
}

export function ticketJob(locale: Locale): TicketJob {
  const en = locale === 'en';
  const customer = en ? 'Grace Hopper' : '王芳';
  const firstMessage = en ? 'My order KS-1234 arrived with a cracked screen.' : '我的订单 KS-1234 收到时屏幕碎了。';
  const latestMessage = en ? 'Can you send a replacement?' : '能给我换一台新的吗？';
  const existingTicket = en ? 'Invoice for order KS-0999' : '订单 KS-0999 开发票';
  const bystander = answered(locale);
  const seed = world(locale, {
    customers: [
      { id: 'c-tk', name: customer, locale, identities: [{ kind: 'webchat', value: 'visitor-tk' }, { kind: 'email', value: 'grace@example.com' }] },
      bystander.customer,
    ],
    conversations: [{ id: 'conv-tk', channel: 'webchat', customerId: 'c-tk', assigneeId: 'agent-1', queueId: 'q-web', priority: 'high' }, bystander.conversation],
    messages: [
      { conversationId: 'conv-tk', direction: 'inbound', text: firstMessage, sentAt: '-6m' },
      { conversationId: 'conv-tk', direction: 'outbound', text: en ? 'Sorry to hear that, let me check.' : '很抱歉，我帮您查一下。', sentAt: '-5m' },
      { conversationId: 'conv-tk', direction: 'inbound', text: latestMessage, sentAt: '-4m' },
      ...bystander.messages,
    ],
    tickets: [{ id: 'T-1001', customerId: 'c-tk', subject: existingTicket, status: 'open', createdAt: '-2d' }],
  });
  return { seed, customer, conversationId: 'conv-tk', firstMessage, latestMessage, existingTicket };
}

export interface MergeJob {
  readonly seed: Seed;
  /** The customer of the open conversation: the profile the duplicate merges into. */
  readonly target: string;
  readonly duplicate: string;
  readonly conversationId: string;
  readonly targetSubject: string;
  readonly duplicateSubject: string;
}

export function mergeJob(locale: Locale): MergeJob {
  const en = locale === 'en';
  // Two profiles of one person: the same email (en) or the same phone number written two ways (zh-CN).
  const target = en ? 'John Smith' : '王小明';
  const duplicate = en ? 'Jon Smith' : '王晓明';
  const targetSubject = en ? 'My account shows the wrong name' : '账户名字显示错误';
  const duplicateSubject = en ? 'Invoice for order KS-5773' : '订单 KS-5773 的发票';
  const seed = world(locale, {
    customers: [
      {
        id: 'c-target',
        name: target,
        locale,
        identities: en ? [{ kind: 'email', value: 'john.smith@example.com' }] : [{ kind: 'phone', value: '+86 138 0013 8001' }],
        createdAt: '-30d',
      },
      {
        id: 'c-duplicate',
        name: duplicate,
        locale,
        identities: en ? [{ kind: 'email', value: 'John.Smith@example.com' }] : [{ kind: 'phone', value: '13800138001' }],
        createdAt: '-200d',
      },
    ],
    conversations: [
      { id: 'conv-target', channel: 'webchat', customerId: 'c-target', assigneeId: 'agent-1', queueId: 'q-web', subject: targetSubject },
      { id: 'conv-duplicate', channel: 'email', customerId: 'c-duplicate', assigneeId: 'agent-1', status: 'resolved', subject: duplicateSubject },
    ],
    messages: [
      { conversationId: 'conv-target', direction: 'inbound', text: en ? 'My old account says "Jon". Can you fix that?' : '我以前的账户名字写错了，能改一下吗？', sentAt: '-2m' },
      { conversationId: 'conv-duplicate', direction: 'inbound', text: en ? 'Please send the invoice.' : '请把发票发给我。', sentAt: '-20d' },
      { conversationId: 'conv-duplicate', direction: 'outbound', text: en ? 'Here it is.' : '已发送。', sentAt: '-20d' },
    ],
  });
  return { seed, target, duplicate, conversationId: 'conv-target', targetSubject, duplicateSubject };
}

export interface OfferJob {
  readonly seed: Seed;
  readonly customer: string;
  readonly conversationId: string;
}

export function offerJob(locale: Locale): OfferJob {
  const en = locale === 'en';
  const customer = en ? 'Katherine Johnson' : '刘洋';
  const bystander = answered(locale);
  const seed = world(locale, {
    customers: [{ id: 'c-offer', name: customer, locale, identities: [{ kind: 'webchat', value: 'visitor-offer' }] }, bystander.customer],
    // Queued and unassigned in one of the agent's queues: the kind of conversation the backend offers.
    conversations: [{ id: 'conv-offer', channel: 'webchat', customerId: 'c-offer', queueId: 'q-web' }, bystander.conversation],
    messages: [
      { conversationId: 'conv-offer', direction: 'inbound', text: en ? 'Hello, is anyone there?' : '你好，有人在吗？', sentAt: '-20s' },
      ...bystander.messages,
    ],
  });
  return { seed, customer, conversationId: 'conv-offer' };
}

export interface SlaJob {
  readonly seed: Seed;
  readonly customer: string;
  readonly conversationId: string;
}

/** A web chat whose first response is due a few seconds after the desk loads. */
export function slaJob(locale: Locale, dueIn = '+6s'): SlaJob {
  const en = locale === 'en';
  const customer = en ? 'Dorothy Vaughan' : '赵敏';
  const bystander = answered(locale);
  const seed = world(locale, {
    customers: [{ id: 'c-sla', name: customer, locale, identities: [{ kind: 'webchat', value: 'visitor-sla' }] }, bystander.customer],
    conversations: [
      { id: 'conv-sla', channel: 'webchat', customerId: 'c-sla', assigneeId: 'agent-1', queueId: 'q-web', createdAt: '-1m', firstResponseDueAt: dueIn },
      bystander.conversation,
    ],
    messages: [{ conversationId: 'conv-sla', direction: 'inbound', text: en ? 'Hello? I need help.' : '你好？我需要帮助。', sentAt: '-1m' }, ...bystander.messages],
  });
  return { seed, customer, conversationId: 'conv-sla' };
}

/** The demo's address for a seed, traffic off, in a locale (`?seed=` takes a URL; a `data:` URL carries the seed). */
export function demoUrl(locale: Locale, seed?: Seed, extra: Record<string, string> = {}): string {
  const params = new URLSearchParams({ traffic: '0', locale, ...extra });
  if (seed) params.set('seed', `data:application/json,${encodeURIComponent(JSON.stringify(seed))}`);
  return `/?${params.toString()}`;
}

// ---------------------------------------------------------------------------------------------------------------
// The test fixture: every test fails on an uncaught page error; keyboard-only tests fail on any pointer input.

export const test = base.extend<{ pageErrors: string[] }>({
  pageErrors: [
    async ({ page, baseURL }, use) => {
      const errors: string[] = [];
      let loads = 0;
      page.on('pageerror', (error) => errors.push(`${error.name}: ${error.message}`));
      page.on('load', () => (loads += 1));
      // The demo is served by Vite's dev server, whose client reloads the page whenever a source file changes.
      // Its socket (`ws://<the dev server>/?token=…`) is answered here by a silent stand-in, so an edit elsewhere
      // in the repository cannot reload the desk in the middle of a test. Other sockets are left alone.
      const devServer = new URL(baseURL ?? 'http://127.0.0.1').host;
      await page.routeWebSocket((url) => url.host === devServer && url.pathname === '/' && url.searchParams.has('token'), () => undefined);
      await use(errors);
      expect(errors, 'uncaught errors in the page').toEqual([]);
      // Every job is one desk session: the page loaded once.
      expect(loads, 'page loads (more than one: the page reloaded mid-test)').toBeLessThanOrEqual(1);
    },
    { auto: true },
  ],
});
export { expect };

/** Counts trusted pointer presses in the page, so a keyboard-only test can prove it used no mouse. */
export async function countPointerPresses(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const counter = window as unknown as { __pointerPresses: number };
    counter.__pointerPresses = 0;
    for (const type of ['pointerdown', 'mousedown', 'touchstart']) {
      window.addEventListener(type, (event) => {
        if (event.isTrusted) counter.__pointerPresses += 1;
      }, true);
    }
  });
}

export async function pointerPresses(page: Page): Promise<number> {
  return page.evaluate(() => (window as unknown as { __pointerPresses?: number }).__pointerPresses ?? -1);
}

// ---------------------------------------------------------------------------------------------------------------
// The desk driver.

export type Mode = 'mouse' | 'keyboard';

export class Desk {
  readonly root: Locator;
  readonly t: Labels;

  constructor(
    readonly page: Page,
    readonly locale: Locale,
  ) {
    this.root = page.locator('cc-workspace');
    this.t = LABELS[locale];
  }

  /** Opens the demo on a seed and waits until the desk is online and lists its conversations. */
  async open(seed: Seed, extra: Record<string, string> = {}): Promise<void> {
    await this.page.goto(demoUrl(this.locale, seed, extra));
    await expect(this.root.getByRole('status').filter({ hasText: this.t.online }).first()).toBeVisible();
    await expect(this.rows.first()).toBeVisible();
  }

  async layout(): Promise<Layout> {
    return (await this.root.locator('.desk').getAttribute('data-layout')) as Layout;
  }

  get list(): Locator {
    return this.root.locator('cc-conversation-list');
  }

  get conversation(): Locator {
    return this.root.locator('cc-conversation');
  }

  get customerPanel(): Locator {
    return this.root.locator('cc-customer-panel');
  }

  get tickets(): Locator {
    return this.root.locator('cc-ticket-pane');
  }

  get knowledge(): Locator {
    return this.root.locator('cc-knowledge-search');
  }

  /** The inbox rows: the options of the conversation listbox. */
  get rows(): Locator {
    return this.list.getByRole('listbox').getByRole('option');
  }

  /** The inbox row of a conversation (rows are options of the list's listbox). */
  row(conversationId: string): Locator {
    return this.list.locator(`[role="option"][data-conversation-id="${conversationId}"]`);
  }

  get thread(): Locator {
    return this.conversation.getByRole('log');
  }

  get composer(): Locator {
    return this.conversation.getByRole('textbox', { name: this.t.composer, exact: true });
  }

  tab(panel: Panel): Locator {
    return this.root.getByRole('tab', { name: this.t.tab[panel], exact: true });
  }

  /** The area that holds a part (a tab panel, or a region when it is always shown). */
  panel(panel: Panel): Locator {
    return this.root.locator(`#panel-${panel}`);
  }

  /** Brings a part into view: nothing to do when the layout shows it, else its tab (clicked, or reached by keys). */
  async show(panel: Panel, mode: Mode): Promise<void> {
    if (await this.panel(panel).isVisible()) return;
    if (mode === 'mouse') await this.tab(panel).click();
    else await this.showByKeyboard(panel);
    await expect(this.panel(panel)).toBeVisible();
  }

  /**
   * The tab bar by keyboard: Alt+L focuses the inbox, the tab bar is the tab stop before it (Shift+Tab), and
   * the arrow keys move along the tabs (ARIA tab pattern).
   */
  private async showByKeyboard(panel: Panel): Promise<void> {
    await this.focusInbox();
    if (panel === 'list') return;
    await pressUntilFocused(this.page, 'Shift+Tab', this.root.locator('[role="tab"][aria-selected="true"]'));
    const target = this.tab(panel);
    for (let step = 0; step < 6 && (await target.getAttribute('aria-selected')) !== 'true'; step += 1) {
      await this.page.keyboard.press('ArrowRight');
    }
    await expect(target).toHaveAttribute('aria-selected', 'true');
    await expect(target).toBeFocused();
  }

  /**
   * Alt+L: "focus the inbox". The workspace focuses the first focusable thing in the inbox (its search box, or an
   * offer's Accept button while offers wait), not the conversation listbox itself.
   */
  async focusInbox(): Promise<void> {
    await this.page.keyboard.press('Alt+L');
    await expect(this.panel('list')).toBeVisible();
    await expect.poll(() => this.list.evaluate((list) => list.matches(':focus-within'))).toBe(true);
  }

  /** Alt+L, then ↓ from the inbox's search box into the conversations (the listbox). */
  async focusConversationList(): Promise<void> {
    await this.focusInbox();
    const listbox = this.list.getByRole('listbox');
    if (!(await isFocused(listbox))) {
      await expect(this.list.getByRole('searchbox')).toBeFocused();
      await this.page.keyboard.press('ArrowDown');
    }
    await expect(listbox).toBeFocused();
  }

  /** Opens a conversation from the inbox: a click on its row, or (keyboard) Alt+N, the next urgent one. */
  async openConversation(conversationId: string, customer: string, mode: Mode): Promise<void> {
    if (mode === 'mouse') {
      await this.show('list', 'mouse');
      await this.list.getByRole('listbox').getByRole('option', { name: customer }).click();
      // The host page hears of it (`cc-conversation-select`): the demo CRM shows the selected conversation.
      await expect(this.page.locator('#selected-conversation')).toHaveText(conversationId);
    } else {
      await this.page.keyboard.press('Alt+N');
    }
    await this.show('conversation', mode);
    await this.expectSelected(conversationId, customer);
  }

  /** The conversation is open: its customer heads the conversation part, and its row (when the inbox shows) is selected. */
  async expectSelected(conversationId: string, customer: string): Promise<void> {
    await expect(this.conversation.getByRole('heading', { level: 2, name: customer, exact: true })).toBeVisible();
    if (await this.panel('list').isVisible()) await expect(this.row(conversationId)).toHaveAttribute('aria-selected', 'true');
  }

  /** Keyboard only: Tab from the top of the page until focus is inside the desk. */
  async tabIntoDesk(): Promise<void> {
    for (let step = 0; step < 20; step += 1) {
      if (await this.page.evaluate(() => document.activeElement?.localName === 'cc-workspace')) return;
      await this.page.keyboard.press('Tab');
    }
    throw new Error('Tab never reached the desk');
  }
}

/** True when the element is the focused element of its document or shadow root. */
export async function isFocused(locator: Locator): Promise<boolean> {
  const count = await locator.count();
  if (count !== 1) return false;
  return locator.evaluate((element) => (element.getRootNode() as Document | ShadowRoot).activeElement === element);
}

/** Presses a key until the target has focus (Tab through a form, say); fails after `max` presses. */
export async function pressUntilFocused(page: Page, key: string, target: Locator, max = 40): Promise<void> {
  for (let step = 0; step <= max; step += 1) {
    if (await isFocused(target)) return;
    if (step === max) break;
    await page.keyboard.press(key);
  }
  const focused = await page.evaluate(() => {
    let element: Element | null = document.activeElement;
    while (element?.shadowRoot?.activeElement) element = element.shadowRoot.activeElement;
    return element ? `${element.localName}#${element.id} "${(element.textContent ?? '').trim().slice(0, 40)}"` : 'nothing';
  });
  throw new Error(`${key} ×${max} never focused ${target.toString()}; focus is on ${focused}`);
}

/** A row's first-response timer, as the agent reads it. */
export function slaOf(row: Locator): Locator {
  return row.locator('[part="sla"]');
}

export { escapeRegExp };

// ---------------------------------------------------------------------------------------------------------------
// Hostile data: what it must never make the desk do, observed from outside the page.

/** Hosts the desk may reach: the demo's own server. Everything else is foreign. */
const OWN_HOSTS = new Set(['127.0.0.1', 'localhost']);
/** Schemes that load nothing from the network. */
const LOCAL_SCHEMES = new Set(['data:', 'blob:', 'about:']);

export function isForeignUrl(address: string): boolean {
  try {
    const url = new URL(address);
    return !LOCAL_SCHEMES.has(url.protocol) && !OWN_HOSTS.has(url.hostname);
  } catch {
    return true;
  }
}

export interface HostileEffects {
  /** Ids passed to the sentinel function, with the URL of the frame that called it. */
  readonly sentinelCalls: string[];
  /** Every alert, confirm, prompt or beforeunload dialog (each is dismissed). */
  readonly dialogs: string[];
  /** Requests and sockets to foreign hosts, from any page or frame of the context (each is aborted). */
  readonly foreign: string[];
  /** Image loads of URLs the test allowed (an avatar or a thumbnail from an http(s) URL the backend gave). */
  readonly allowedImages: string[];
  /** Pages the context opened besides the test's own (popups, new tabs). */
  readonly popups: string[];
  /** Loads a frame's Content-Security-Policy refused: attempts that never left the browser. */
  readonly refusedByCsp: string[];
}

export interface WatchOptions {
  /** The name of the function a payload calls when it runs (defined in every frame that runs script). */
  readonly sentinel?: string;
  /** Absolute URLs the page may load as images from a foreign host, without a referrer. */
  readonly allowedImages?: ReadonlySet<string>;
}

async function describeRequest(request: Request): Promise<string> {
  const frame = (() => {
    try {
      return request.frame().url().slice(0, 60);
    } catch {
      return 'a worker';
    }
  })();
  return `${request.method()} ${request.url().slice(0, 200)} (${request.resourceType()} from ${frame})`;
}

/**
 * Watches a context for what hostile data must never cause: script running (the sentinel, dialogs), requests to
 * foreign hosts (which are also aborted, so nothing leaves the machine), popups. Call before the page loads.
 */
export async function watchHostileEffects(context: BrowserContext, page: Page, options: WatchOptions = {}): Promise<HostileEffects> {
  const effects: HostileEffects = { sentinelCalls: [], dialogs: [], foreign: [], allowedImages: [], popups: [], refusedByCsp: [] };
  if (options.sentinel) {
    await context.exposeBinding(options.sentinel, (source, id: unknown) => {
      effects.sentinelCalls.push(`${String(id)} (from ${source.frame.url().slice(0, 60)})`);
    });
  }
  page.on('dialog', (dialog) => {
    effects.dialogs.push(`${dialog.type()}: ${dialog.message().slice(0, 120)}`);
    void dialog.dismiss().catch(() => undefined);
  });
  context.on('page', (opened) => {
    if (opened !== page) effects.popups.push(opened.url());
  });
  context.on('request', (request) => {
    if (!isForeignUrl(request.url())) return;
    void (async () => {
      const allowed =
        request.resourceType() === 'image' && options.allowedImages?.has(request.url()) === true && (await request.headerValue('referer')) === null;
      (allowed ? effects.allowedImages : effects.foreign).push(await describeRequest(request));
    })();
  });
  page.on('websocket', (socket) => {
    if (isForeignUrl(socket.url().replace(/^ws/u, 'http'))) effects.foreign.push(`WebSocket ${socket.url()}`);
  });
  page.on('console', (message) => {
    if (/^Refused to (?:load|connect|frame|apply)/u.test(message.text())) effects.refusedByCsp.push(message.text().slice(0, 200));
  });
  await context.route((url) => isForeignUrl(url.href), (route) => route.abort('blockedbyclient'));
  return effects;
}
