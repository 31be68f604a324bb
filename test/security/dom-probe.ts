/**
 * The in-page half of the hostile-corpus test (test/e2e/hostile-corpus.spec.ts): it reads what the desk shows
 * for one payload, field by field, across the parts' shadow roots, and says which fields show the payload.
 *
 * `installProbe` runs in the page (Playwright serialises it, so it is self-contained) and defines
 * `window.__ccProbe`. The payload texts are fetched in the page from the test's own route rather than passed as
 * arguments, so that strings Playwright's protocol would alter (lone surrogates, NUL) arrive exactly as seeded.
 *
 * "Shows the payload" means: the field's text (or a form control's value) contains the payload with all white
 * space removed on both sides, since layout collapses and trims white space and form controls normalise line
 * breaks. Fields that show a derived form say which (a snippet, a filled-in template).
 */

/** One field's verdict: whether the payload is shown there, and what was found when it is not. */
export interface FieldResult {
  readonly field: string;
  readonly ok: boolean;
  readonly found?: string;
}

export interface Inspection {
  readonly index: number;
  readonly results: readonly FieldResult[];
}

/** A store action, built in the test with the action creators (src/store/actions*.ts). */
export interface ProbeAction {
  readonly type: string;
  readonly payload?: unknown;
}

export interface ProbeApi {
  /** Dispatches to the desk's store, as a part would. */
  dispatch(action: ProbeAction): void;
  /** The payload index of the selected conversation (`v-<index>`), or -1. */
  selectedIndex(): number;
  /** The conversation, its customer and its tickets list: waits until every field shows, or until the timeout. */
  inspectConversation(index: number, timeoutMs: number): Promise<Inspection>;
  /** The open ticket `T-<index>`. */
  inspectTicket(index: number, timeoutMs: number): Promise<Inspection>;
  /** The search results for a group of articles. */
  inspectSearch(indexes: readonly number[], timeoutMs: number): Promise<Inspection[]>;
  /** The open article `kb-<index>`. */
  inspectArticle(index: number, timeoutMs: number): Promise<Inspection>;
  /** Presses the open article's Insert button (a DOM click). */
  pressInsert(): void;
  /** The reply box holds article `kb-<index>`, its variables filled in. */
  inspectArticleInsert(index: number, timeoutMs: number): Promise<Inspection>;
  /** The `/` list, after the reply box holds `/<prefix>`: titles and texts of these canned replies, in order. */
  inspectCannedList(indexes: readonly number[], timeoutMs: number): Promise<Inspection[]>;
  /** After Enter in the `/` list: the reply box holds this canned reply, filled in. */
  inspectCannedInsert(index: number, timeoutMs: number): Promise<Inspection>;
  /** The transfer list: every agent and queue name. */
  inspectTransfer(count: number, timeoutMs: number): Promise<Inspection[]>;
  /** Has the backend offer every queued conversation (`v-<index>`) and inspects the offers. */
  inspectOffers(count: number, timeoutMs: number): Promise<Inspection[]>;
  /** The signed-in agent's name in the desk's header. */
  inspectAgentName(timeoutMs: number): Promise<Inspection>;
  /**
   * Inbound calls on the demo phone (`desk.telephony.simulateInbound`), one per payload as the caller's display
   * name, from a number no customer has: the softphone shows each while it rings; each caller then hangs up.
   */
  inspectCalls(count: number, timeoutMs: number): Promise<Inspection[]>;
  /**
   * The selected conversation, then (unless `ticketOpenedType` is null) its ticket opened and closed again with
   * that action type: the work for one conversation in a single call.
   */
  inspectSelected(timeoutMs: number, ticketOpenedType: string | null): Promise<{ index: number; inspections: Inspection[] }>;
  /** A group of articles: each opened, inspected, inserted, the reply emptied, the article closed (these action types). */
  inspectArticles(
    indexes: readonly number[],
    timeoutMs: number,
    types: { readonly opened: string; readonly closed: string; readonly draftChanged: string; readonly conversationId: string },
  ): Promise<Inspection[]>;
}

/**
 * Runs in the page: fetches the payloads (a JSON array of strings) and defines `window.__ccProbe`. `articleSuffix`
 * is what the seed appends to a payload to make an article's body.
 */
export async function installProbe([payloadsUrl, articleSuffix]: readonly [string, string]): Promise<number> {
  const response = await fetch(payloadsUrl);
  const payloads = (await response.json()) as string[];

  interface Store {
    getState(): { ui: { selectedConversationId: string | null } };
    dispatch(action: { type: string; payload?: unknown }): void;
  }
  interface Workspace extends HTMLElement {
    readonly store?: Store;
    readonly connector?: { simulateOffer(conversationId: string, ttlMs: number): { id: string } };
    readonly telephony?: {
      simulateInbound(caller: { number: string; displayName: string }): string;
      simulateRemoteHangup(callId: string): void;
    };
  }

  const squash = (text: string): string => text.replace(/\s+/gu, '');
  const desk = (): Workspace | null => document.querySelector<Workspace>('cc-workspace');
  const part = (tag: string): Element | null => desk()?.shadowRoot?.querySelector(tag) ?? null;
  const within = (tag: string, selector: string): Element | null => part(tag)?.shadowRoot?.querySelector(selector) ?? null;
  const allWithin = (tag: string, selector: string): Element[] => Array.from(part(tag)?.shadowRoot?.querySelectorAll(selector) ?? []);
  const store = (): Store => {
    const found = desk()?.store;
    if (!found) throw new Error('the desk has no store');
    return found;
  };
  const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

  /** Text of a subtree, shadow roots included, as a reader gets it; plus the values of its form controls. */
  function shown(node: Node | null): string {
    if (!node) return '';
    let text = '';
    const visit = (current: Node): void => {
      if (current.nodeType === Node.TEXT_NODE) {
        text += (current as Text).data;
        return;
      }
      if (current instanceof HTMLTextAreaElement || (current instanceof HTMLInputElement && current.type !== 'checkbox' && current.type !== 'radio')) {
        text += ` ${current.value} `;
      }
      if (current instanceof Element && current.shadowRoot) visit(current.shadowRoot);
      for (const child of Array.from(current.childNodes)) visit(child);
    };
    visit(node);
    return text;
  }

  const contains = (node: Node | null, expected: string): boolean => squash(shown(node)).includes(squash(expected));
  const sample = (node: Node | null): string => squash(shown(node)).slice(0, 120);
  const check = (field: string, node: Node | null, expected: string): FieldResult =>
    contains(node, expected) ? { field, ok: true } : { field, ok: false, found: node ? sample(node) : '(no element)' };
  const exists = (field: string, node: Element | null, verdict: (element: Element) => string | null): FieldResult => {
    if (!node) return { field, ok: false, found: '(no element)' };
    const problem = verdict(node);
    return problem === null ? { field, ok: true } : { field, ok: false, found: problem };
  };

  /** The link schemes the desk may render; anything else in an href is a hole. */
  const SAFE_HREF = /^(?:https?:|mailto:|tel:|blob:)/iu;
  function unsafeLinks(root: Element): string | null {
    for (const link of Array.from(root.querySelectorAll('[href]'))) {
      const href = link.getAttribute('href') ?? '';
      if (!SAFE_HREF.test(href)) return `unsafe href ${href.slice(0, 60)}`;
      if (link.getAttribute('target') === '_blank' && !/noopener/u.test(link.getAttribute('rel') ?? '')) return `target=_blank without noopener: ${href.slice(0, 60)}`;
    }
    for (const image of Array.from(root.querySelectorAll('img[src]'))) {
      const source = image.getAttribute('src') ?? '';
      if (!/^(?:https?:|blob:)/iu.test(source)) return `unsafe img src ${source.slice(0, 60)}`;
    }
    return null;
  }

  /** The absolute http(s) URL a text stands for, or null: what a thumbnail or avatar may load. */
  function httpUrl(text: string): string | null {
    try {
      const url = new URL(text.trim());
      return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
    } catch {
      return null;
    }
  }

  /** Literal runs of a template, without its `{a.b}` variables: what must survive filling it in. */
  const literalRuns = (template: string): string[] =>
    template
      .split(/\{[A-Za-z][\w-]*(?:\.[A-Za-z][\w-]*)+\}/u)
      .map(squash)
      .filter((run) => run !== '');
  const containsRuns = (node: Node | null, template: string): boolean => {
    const text = squash(shown(node));
    let from = 0;
    for (const run of literalRuns(template)) {
      const at = text.indexOf(run, from);
      if (at === -1) return false;
      from = at + run.length;
    }
    return true;
  };

  async function until<T extends { results: readonly FieldResult[] }>(timeoutMs: number, attempt: () => T): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    let result = attempt();
    while (result.results.some((entry) => !entry.ok) && Date.now() < deadline) {
      await sleep(20);
      result = attempt();
    }
    return result;
  }

  const articleBody = (text: string): string => `${text}${articleSuffix}`;

  const payload = (index: number): string => {
    const text = payloads[index];
    if (text === undefined) throw new Error(`no payload ${index}`);
    return text;
  };

  function conversationFields(index: number): FieldResult[] {
    const text = payload(index);
    const message = (kind: string): Element | null => within('cc-conversation', `[data-message-id="m-${index}-${kind}"]`);
    const results: FieldResult[] = [];
    const selected = store().getState().ui.selectedConversationId === `v-${index}`;
    results.push({ field: 'selected', ok: selected, found: String(store().getState().ui.selectedConversationId) });
    // The inbox row of the selected conversation.
    const row = within('cc-conversation-list', `[role="option"][data-conversation-id="v-${index}"]`);
    results.push(check('list: customer name', row?.querySelector('.name') ?? null, text));
    results.push(check('list: preview', row?.querySelector('.preview') ?? null, text));
    // The conversation's header.
    results.push(check('conversation: customer name', within('cc-conversation', '#title'), text));
    results.push(check('conversation: subject', within('cc-conversation', '[part="header"] .meta'), text));
    // The thread.
    for (const kind of ['in', 'out', 'note', 'sys']) {
      const label = { in: 'inbound', out: 'outbound', note: 'internal note', sys: 'system' }[kind] ?? kind;
      results.push(check(`message: ${label} text`, message(kind), text));
      if (kind !== 'sys') results.push(check(`message: ${label} author`, message(kind)?.querySelector('.author') ?? null, text));
    }
    const mail = message('mail');
    const envelope = mail?.querySelector('.envelope') ?? null;
    const envelopeLines = Array.from(envelope?.children ?? []);
    results.push(check('email: subject', envelopeLines[0] ?? null, text));
    results.push(check('email: from', envelopeLines[1] ?? null, text));
    results.push(check('email: to', envelopeLines[2] ?? null, text));
    results.push(check('email: cc', envelopeLines[3] ?? null, text));
    results.push(check('email: author', mail?.querySelector('.author') ?? null, text));
    results.push(
      exists('email: html (sandboxed frame)', mail?.querySelector('iframe') ?? null, (frame) => {
        const sandbox = (frame.getAttribute('sandbox') ?? '').split(/\s+/u);
        if (!frame.hasAttribute('sandbox') || sandbox.includes('allow-scripts') || sandbox.includes('allow-same-origin')) return `sandbox="${frame.getAttribute('sandbox')}"`;
        const document = String((frame as HTMLIFrameElement).srcdoc);
        if (!document.includes("default-src 'none'")) return 'no CSP in the frame document';
        return null;
      }),
    );
    const attachments = Array.from(mail?.querySelectorAll('.attachment') ?? []);
    results.push(check('attachment: name', attachments[0] ?? null, text));
    results.push(
      exists('attachment: mimeType', attachments[0] ?? null, (item) =>
        item.querySelector('img') ? 'a thumbnail for an attachment whose type is not a raster image' : unsafeLinks(item),
      ),
    );
    results.push(
      exists('attachment: url', attachments[1] ?? null, (item) => {
        const problem = unsafeLinks(item);
        if (problem) return problem;
        const thumbnail = item.querySelector('img');
        const expected = httpUrl(text);
        if (thumbnail && thumbnail.getAttribute('src') !== expected) return `thumbnail ${thumbnail.getAttribute('src')} for ${text.slice(0, 40)}`;
        if (thumbnail && thumbnail.getAttribute('referrerpolicy') !== 'no-referrer') return 'thumbnail sends a referrer';
        return null;
      }),
    );
    results.push(exists('attachment: svg never shown live', attachments[2] ?? null, (item) => (item.querySelector('img, iframe, object, embed, svg') ? 'an SVG attachment rendered live' : unsafeLinks(item))));
    const call = message('call');
    results.push(check('call: disposition', call?.querySelector('.envelope') ?? null, text));
    results.push(check('call: transcript', call?.querySelector('details') ?? null, text));
    results.push(exists('call: recording url', call, (element) => unsafeLinks(element)));
    results.push(exists('thread: every link and image safe', within('cc-conversation', '.thread'), (element) => unsafeLinks(element)));
    // The customer panel.
    results.push(check('customer: name', within('cc-customer-panel', '#customer-name'), text));
    results.push(
      exists('customer: avatar url', within('cc-customer-panel', '[part="avatar"]'), (avatar) => {
        const image = avatar.querySelector('img');
        if (!image) return avatar.querySelector('.initials') ? null : 'neither initials nor an image';
        const source = image.getAttribute('src') ?? '';
        if (source !== httpUrl(text) || /\.svgz?$/iu.test(new URL(source).pathname)) return `avatar image ${source.slice(0, 60)}`;
        return image.getAttribute('referrerpolicy') === 'no-referrer' ? null : 'avatar sends a referrer';
      }),
    );
    const vipLevel = index % 11;
    results.push(
      exists('customer: VIP', within('cc-customer-panel', '[part="header"]'), (header) => {
        const vip = header.querySelector('[part="vip"]');
        if (vipLevel === 0) return vip ? 'a VIP badge for level 0' : null;
        return vip && squash(shown(vip)).includes(String(vipLevel)) ? null : 'no VIP badge';
      }),
    );
    for (const kind of ['phone', 'email', 'wechat', 'douyin', 'member', 'webchat']) {
      results.push(check(`customer: identity (${kind})`, within('cc-customer-panel', `.identity[data-kind="${kind}"] dd`), text));
    }
    const tags = allWithin('cc-customer-panel', '.tag-text');
    results.push(
      tags.some((tag) => contains(tag, text)) ? { field: 'customer: tag', ok: true } : { field: 'customer: tag', ok: false, found: tags.map(sample).join(' | ') },
    );
    results.push(check('customer: notes', within('cc-customer-panel', '[part="notes"]'), text));
    results.push(check('customer: open ticket subject', within('cc-customer-panel', `.ticket[data-ticket-id="T-${index}"]`), text));
    const timeline = allWithin('cc-customer-panel', '[part="timeline"] li');
    results.push(
      timeline.length >= 2 && timeline.every((entry) => contains(entry.querySelector('.entry-title'), text))
        ? { field: 'customer: timeline (conversation and ticket)', ok: true }
        : { field: 'customer: timeline (conversation and ticket)', ok: false, found: timeline.map(sample).join(' | ') },
    );
    results.push(exists('customer: every link and image safe', within('cc-customer-panel', '[part="base"]'), (element) => unsafeLinks(element)));
    // The ticket pane's list for this customer.
    results.push(check('ticket list: subject', within('cc-ticket-pane', `[part="ticket-row"][data-ticket-id="T-${index}"] .subject`), text));
    results.push(check('ticket list: assignee name', within('cc-ticket-pane', `[part="ticket-row"][data-ticket-id="T-${index}"] .row-meta`), text));
    return results;
  }

  function ticketFields(index: number): FieldResult[] {
    const text = payload(index);
    const ticket = within('cc-ticket-pane', `[part="ticket"][data-ticket-id="T-${index}"]`);
    if (!ticket) return [{ field: 'ticket: opened', ok: false, found: '(no ticket)' }];
    const history = Array.from(ticket.querySelectorAll('[part="history"] li.entry'));
    const comments = history.filter((entry) => entry.classList.contains('public') || entry.classList.contains('internal'));
    const assignee = ticket.querySelector<HTMLSelectElement>('#edit-assignee');
    const group = ticket.querySelector<HTMLSelectElement>('#edit-group');
    const optionShows = (select: HTMLSelectElement | null, value: string) =>
      select !== null && Array.from(select.options).some((option) => option.value === value && contains(option, text));
    return [
      check('ticket: subject (heading)', ticket.querySelector('#ticket-title'), text),
      check('ticket: subject (field)', ticket.querySelector('#edit-subject'), text),
      check('ticket: description', ticket.querySelector('#edit-description'), text),
      check('ticket: assignee and group names', ticket.querySelector('.owner'), text),
      { field: 'ticket: assignee option', ok: optionShows(assignee, `a-${index}`), found: assignee?.value ?? '(no select)' },
      { field: 'ticket: group option', ok: optionShows(group, `q-${index}`), found: group?.value ?? '(no select)' },
      check('ticket: linked conversation subject', ticket.querySelector(`.links [data-conversation-id="v-${index}"]`), text),
      comments.length === 2 && comments.every((entry) => contains(entry.querySelector('.body'), text))
        ? { field: 'ticket: comment bodies', ok: true }
        : { field: 'ticket: comment bodies', ok: false, found: comments.map(sample).join(' | ') },
      comments.length === 2 && comments.every((entry) => contains(entry.querySelector('.entry-title'), text))
        ? { field: 'ticket: comment authors', ok: true }
        : { field: 'ticket: comment authors', ok: false, found: comments.map(sample).join(' | ') },
      exists('ticket: every link and image safe', ticket, (element) => unsafeLinks(element)),
    ];
  }

  /** The reply box holds a template's literal runs, in order (its variables filled in by the desk). */
  const replyHolds = (index: number, template: string, field: string, timeoutMs: number): Promise<Inspection> =>
    until(timeoutMs, () => {
      const reply = within('cc-conversation', '#reply');
      return { index, results: [containsRuns(reply, template) ? { field, ok: true } : { field, ok: false, found: sample(reply) }] };
    });

  const probe: ProbeApi = {
    dispatch(action) {
      store().dispatch(action);
    },

    selectedIndex() {
      const id = store().getState().ui.selectedConversationId ?? '';
      return /^v-\d+$/u.test(id) ? Number(id.slice(2)) : -1;
    },

    inspectConversation(index, timeoutMs) {
      return until(timeoutMs, () => ({ index, results: conversationFields(index) }));
    },

    inspectTicket(index, timeoutMs) {
      return until(timeoutMs, () => ({ index, results: ticketFields(index) }));
    },

    async inspectSearch(indexes, timeoutMs) {
      const inspect = () => {
        const all = indexes.map((index) => {
          const text = payload(index);
          const hit = within('cc-knowledge-search', `li[data-article-id="kb-${index}"]`);
          const first = text.split(/\n[ \t]*\n/u).map((paragraph) => paragraph.trim()).find((paragraph) => paragraph !== '') ?? '';
          return {
            index,
            results: [
              check('knowledge result: title', hit?.querySelector('.title') ?? null, text),
              check('knowledge result: tags', hit?.querySelector('.hit-meta') ?? null, text),
              check('knowledge result: snippet', hit?.querySelector('.snippet') ?? null, first.slice(0, 180)),
            ],
          };
        });
        return { all, results: all.flatMap((entry) => entry.results) };
      };
      return (await until(timeoutMs, inspect)).all;
    },

    inspectArticle(index, timeoutMs) {
      const text = payload(index);
      return until(timeoutMs, () => ({
        index,
        results: [
          check('knowledge article: title', within('cc-knowledge-search', '#article-title'), text),
          check('knowledge article: body', within('cc-knowledge-search', '[part="article-body"]'), articleBody(text)),
        ],
      }));
    },

    pressInsert() {
      within('cc-knowledge-search', '[part="insert-button"]')?.dispatchEvent(new MouseEvent('click', { bubbles: true, composed: true }));
    },

    inspectArticleInsert(index, timeoutMs) {
      return replyHolds(index, articleBody(payload(index)), 'knowledge article: inserted into the reply', timeoutMs);
    },

    async inspectCannedList(indexes, timeoutMs) {
      const inspect = () => {
        const options = allWithin('cc-conversation', '#canned-list [role="option"]');
        const all = indexes.map((index, position) => {
          const text = payload(index);
          const option = options[position] ?? null;
          return {
            index,
            results: [check('canned reply: title', option?.querySelector('.canned-title') ?? null, text), check('canned reply: text', option?.querySelector('.canned-text') ?? null, text)],
          };
        });
        return { all, results: all.flatMap((entry) => entry.results) };
      };
      return (await until(timeoutMs, inspect)).all;
    },

    inspectCannedInsert(index, timeoutMs) {
      return replyHolds(index, payload(index), 'canned reply: inserted into the reply', timeoutMs);
    },

    async inspectTransfer(count, timeoutMs) {
      const inspect = () => {
        const select = within('cc-conversation', '#transfer-target') as HTMLSelectElement | null;
        const options = new Map(Array.from(select?.options ?? []).map((option) => [option.value, option]));
        const all = Array.from({ length: count }, (_, index) => ({
          index,
          results: [
            check('transfer: agent name', options.get(`agent:a-${index}`) ?? null, payload(index)),
            check('transfer: queue name', options.get(`queue:q-${index}`) ?? null, payload(index)),
          ],
        }));
        return { all, results: all.flatMap((entry) => entry.results) };
      };
      return (await until(timeoutMs, inspect)).all;
    },

    async inspectOffers(count, timeoutMs) {
      const connector = desk()?.connector;
      if (!connector) throw new Error('the desk has no connector');
      const offerIds = Array.from({ length: count }, (_, index) => connector.simulateOffer(`v-${index}`, 10 * 60_000).id);
      const inspect = () => {
        const all = offerIds.map((offerId, index) => {
          const offer = within('cc-conversation-list', `[part="offer"][data-offer-id="${CSS.escape(offerId)}"]`);
          return {
            index,
            results: [
              check('work offer: customer name', offer?.querySelector('.offer-from') ?? null, payload(index)),
              check('work offer: preview', offer?.querySelector('.preview') ?? null, payload(index)),
            ],
          };
        });
        return { all, results: all.flatMap((entry) => entry.results) };
      };
      return (await until(timeoutMs, inspect)).all;
    },

    async inspectSelected(timeoutMs, ticketOpenedType) {
      const index = probe.selectedIndex();
      if (index === -1) return { index, inspections: [] };
      const inspections = [await probe.inspectConversation(index, timeoutMs)];
      if (ticketOpenedType !== null) {
        store().dispatch({ type: ticketOpenedType, payload: { ticketId: `T-${index}` } });
        inspections.push(await probe.inspectTicket(index, timeoutMs));
        store().dispatch({ type: ticketOpenedType, payload: { ticketId: null } });
      }
      return { index, inspections };
    },

    async inspectArticles(indexes, timeoutMs, types) {
      const inspections: Inspection[] = [];
      for (const index of indexes) {
        store().dispatch({ type: types.opened, payload: { articleId: `kb-${index}` } });
        inspections.push(await probe.inspectArticle(index, timeoutMs));
        probe.pressInsert();
        inspections.push(await probe.inspectArticleInsert(index, timeoutMs));
        store().dispatch({ type: types.draftChanged, payload: { conversationId: types.conversationId, text: '' } });
        store().dispatch({ type: types.closed });
      }
      return inspections;
    },

    async inspectCalls(count, timeoutMs) {
      const phone = desk()?.telephony;
      if (!phone) throw new Error('the desk has no demo phone');
      const inspections: Inspection[] = [];
      for (let index = 0; index < count; index += 1) {
        const callId = phone.simulateInbound({ number: '+1 202 555 0148', displayName: payload(index) });
        inspections.push(await until(timeoutMs, () => ({ index, results: [check('softphone: caller display name', part('cc-softphone'), payload(index))] })));
        phone.simulateRemoteHangup(callId);
      }
      return inspections;
    },

    inspectAgentName(timeoutMs) {
      return until(timeoutMs, () => ({ index: 0, results: [check('signed-in agent name', desk()?.shadowRoot?.querySelector('[part="header"]') ?? null, payload(0))] }));
    },
  };

  (window as unknown as { __ccProbe: ProbeApi }).__ccProbe = probe;
  return payloads.length;
}
