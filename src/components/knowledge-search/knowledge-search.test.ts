import { expect } from '@esm-bundle/chai';
import { knowledgeSeed } from '../../../test/fixtures/knowledge-seed.js';
import { expectAccessible } from '../../../test/helpers/axe.js';
import { liveDesk, mount, settle } from '../../../test/helpers/desk.js';
import { nextEvent, waitFor } from '../../../test/helpers/events.js';
import type { KnowledgeQuery } from '../../connector/connector.js';
import { unavailable } from '../../connector/errors.js';
import type { MemoryConnector } from '../../connector/memory/index.js';
import type { CcArticleInsertedEvent } from '../../events/article-inserted.js';
import { conversationSelected } from '../../store/actions.js';
import type { DeskStore } from '../../store/create-store.js';
import { CcKnowledgeSearch } from './knowledge-search.js';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function query(element: CcKnowledgeSearch, selector: string): HTMLElement {
  const found = element.shadowRoot?.querySelector<HTMLElement>(selector);
  if (!found) throw new Error(`nothing matches ${selector}`);
  return found;
}

function options(element: CcKnowledgeSearch): HTMLElement[] {
  return Array.from(element.shadowRoot?.querySelectorAll<HTMLElement>('[role="option"]') ?? []);
}

function text(element: CcKnowledgeSearch): string {
  return element.shadowRoot?.textContent?.replace(/\s+/g, ' ') ?? '';
}

function button(element: CcKnowledgeSearch, label: string): HTMLButtonElement {
  const found = Array.from(element.shadowRoot?.querySelectorAll('button') ?? []).find((candidate) => candidate.textContent?.trim() === label);
  if (!found) throw new Error(`no button "${label}"`);
  return found;
}

function type(element: CcKnowledgeSearch, value: string): void {
  const input = query(element, '#query') as HTMLInputElement;
  input.value = value;
  input.dispatchEvent(new InputEvent('input', { bubbles: true, composed: true }));
}

function press(target: Element, key: string): void {
  target.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true, composed: true, cancelable: true }));
}

function focused(element: CcKnowledgeSearch): Element | null {
  return element.shadowRoot?.activeElement ?? null;
}

interface RecordedSearch {
  readonly query: KnowledgeQuery;
  readonly signal: AbortSignal | undefined;
}

/** Records every search the desk sends to the connector, with its abort signal. */
function recordSearches(connector: MemoryConnector): RecordedSearch[] {
  const searches: RecordedSearch[] = [];
  const search = connector.searchKnowledge.bind(connector);
  connector.searchKnowledge = (knowledgeQuery, options) => {
    searches.push({ query: knowledgeQuery, signal: options?.signal });
    return search(knowledgeQuery, options);
  };
  return searches;
}

describe('cc-knowledge-search', () => {
  let store: DeskStore;
  let connector: MemoryConnector;
  let element: CcKnowledgeSearch;

  afterEach(() => {
    element?.remove();
    store?.destroy();
    delete (window as unknown as { __kbxss?: number }).__kbxss;
  });

  async function render(lang = 'en', latencyMs = 0): Promise<void> {
    ({ store, connector } = await liveDesk({ seed: knowledgeSeed, latencyMs }));
    element = new CcKnowledgeSearch();
    element.setAttribute('lang', lang);
    element.store = store;
    await mount(element, 420, 700);
  }

  async function search(value: string): Promise<void> {
    type(element, value);
    await waitFor(() => store.getState().knowledge.search.status === 'loaded', `results for "${value}"`);
    await settle(element);
  }

  async function openArticle(articleId: string): Promise<void> {
    const option = options(element).find((candidate) => candidate.dataset.articleId === articleId);
    if (!option) throw new Error(`${articleId} is not listed`);
    option.click();
    await waitFor(() => store.getState().knowledge.view?.status === 'loaded', 'the article to load');
    await settle(element);
  }

  it('searches once when typing pauses, and aborts a search that newer typing overtook', async () => {
    await render('en', 150);
    const searches = recordSearches(connector);
    for (const value of ['r', 're', 'ref', 'refu', 'refund']) type(element, value);
    await waitFor(() => store.getState().knowledge.search.status === 'loaded', 'the results');
    await sleep(300);
    expect(searches.map((sent) => sent.query.text)).to.deep.equal(['refund']);
    expect(searches[0]?.query.locale).to.equal('en');

    type(element, 'return');
    await waitFor(() => searches.length === 2, 'the second search to start');
    type(element, 'returns');
    expect(searches[1]?.signal?.aborted, 'the overtaken search was aborted').to.equal(true);
    await waitFor(() => store.getState().knowledge.search.status === 'loaded', 'the newest results');
    expect(searches.map((sent) => sent.query.text)).to.deep.equal(['refund', 'return', 'returns']);
    expect(searches[2]?.signal?.aborted).to.equal(false);
    await settle(element);
    expect(options(element)[0]?.dataset.articleId).to.equal('kb-returns-en');

    type(element, '');
    await settle(element);
    expect(options(element)).to.have.length(0);
    expect(searches).to.have.length(3);
  });

  it('ranks articles in the agent’s language first', async () => {
    await render('zh-CN');
    await search('refund 退款');
    expect(options(element)[0]?.dataset.articleId).to.equal('kb-returns-zh');
    expect(text(element)).to.contain('搜索结果');
    element.remove();

    element = new CcKnowledgeSearch();
    element.setAttribute('lang', 'en');
    element.store = store;
    await mount(element, 420, 700);
    await search('退款 refund');
    expect(options(element)[0]?.dataset.articleId).to.equal('kb-returns-en');
  });

  it('says so when no conversation is selected, then suggests articles for the selected one', async () => {
    await render();
    expect(text(element)).to.contain('Select a conversation to see the articles suggested for it.');
    store.dispatch(conversationSelected({ conversationId: 'conv-chat' }));
    await waitFor(() => options(element).length > 0, 'suggestions');
    expect(text(element)).to.contain('Suggested for this conversation');
    expect(options(element)[0]?.dataset.articleId).to.equal('kb-delivery-en');
  });

  it('shows the suggestions the store already holds when it appears after a selection, without asking again', async () => {
    ({ store, connector } = await liveDesk({ seed: knowledgeSeed }));
    store.dispatch(conversationSelected({ conversationId: 'conv-wechat' }));
    await waitFor(() => store.getState().knowledge.suggestions.status === 'loaded', 'suggestions');
    const suggestArticles = connector.suggestArticles.bind(connector);
    let asked = 0;
    connector.suggestArticles = (conversationId, commandOptions) => {
      asked += 1;
      return suggestArticles(conversationId, commandOptions);
    };
    element = new CcKnowledgeSearch();
    element.store = store;
    await mount(element, 420, 700);
    await waitFor(() => options(element).length > 0, 'suggestions');
    expect(options(element)[0]?.dataset.articleId).to.equal('kb-returns-zh');
    expect(asked).to.equal(0);
  });

  it('works by keyboard: ↓ to the results, arrows, Enter opens, Escape goes back', async () => {
    await render();
    const input = query(element, '#query');
    input.focus();
    await search('order');
    expect(options(element).length).to.be.greaterThan(1);
    press(input, 'ArrowDown');
    const listbox = query(element, '[role="listbox"]');
    expect(focused(element)).to.equal(listbox);
    press(listbox, 'ArrowDown');
    await settle(element);
    expect(listbox.getAttribute('aria-activedescendant')).to.equal('hit-1');
    const second = options(element)[1];
    const secondTitle = second?.querySelector('.title')?.textContent;

    press(listbox, 'Enter');
    await waitFor(() => store.getState().knowledge.view?.status === 'loaded', 'the article');
    await settle(element);
    const heading = query(element, '#article-title');
    expect(heading.textContent).to.equal(secondTitle);
    expect(focused(element)).to.equal(heading);
    expect(query(element, '[part="insert-button"]').textContent?.trim()).to.equal('Insert into reply');

    press(heading, 'Escape');
    await settle(element);
    const listAgain = query(element, '[role="listbox"]');
    expect(focused(element)).to.equal(listAgain);
    expect(listAgain.getAttribute('aria-activedescendant')).to.equal('hit-1');
    expect((query(element, '#query') as HTMLInputElement).value).to.equal('order');
  });

  it('shows the article as paragraphs of text with its variables marked', async () => {
    await render();
    await search('late deliveries');
    await openArticle('kb-delivery-en');
    const paragraphs = Array.from(element.shadowRoot?.querySelectorAll('[part="article-body"] p') ?? []);
    expect(paragraphs).to.have.length(3);
    expect(paragraphs[0]?.textContent).to.equal('Hi {customer.name}, I am sorry your order has not arrived yet.');
    expect(Array.from(element.shadowRoot?.querySelectorAll('.variable') ?? []).map((variable) => variable.textContent)).to.deep.equal([
      '{customer.name}',
      '{ticket.id}',
      '{order.eta}',
      '{agent.name}',
    ]);
  });

  it('inserts the article into the selected conversation’s reply with the customer’s details filled in', async () => {
    await render();
    store.dispatch(conversationSelected({ conversationId: 'conv-chat' }));
    await waitFor(() => options(element).length > 0, 'suggestions');
    await openArticle('kb-delivery-en');
    const inserted = nextEvent<CcArticleInsertedEvent>(element, 'cc-article-inserted');
    query(element, '[part="insert-button"]').click();
    expect((await inserted).detail).to.deep.equal({ articleId: 'kb-delivery-en', conversationId: 'conv-chat' });

    const draft = store.getState().ui.drafts.get('conv-chat') ?? '';
    expect(draft).to.contain('Hi Ada Lovelace, I am sorry');
    // Ada's most recently updated open ticket; the solved one is newer but closed for this purpose.
    expect(draft).to.contain('logged it as ticket T-205');
    expect(draft).to.contain('Kind regards, Lin Agent');
    // Not a variable the desk knows: it stays in the text for the agent to complete.
    expect(draft).to.contain('by {order.eta}.');
    await settle(element);
    expect(text(element)).to.contain('Inserted into the reply.');
    expect(text(element)).to.contain('{order.eta} is not filled in automatically');
  });

  it('leaves {ticket.id} in the reply, and says why, when the customer has no open ticket', async () => {
    await render('zh-CN');
    store.dispatch(conversationSelected({ conversationId: 'conv-wechat' }));
    await search('订单送达');
    await openArticle('kb-delivery-zh');
    query(element, '[part="insert-button"]').click();
    await waitFor(() => store.getState().knowledge.insert?.status === 'inserted', 'the insert');
    const draft = store.getState().ui.drafts.get('conv-wechat') ?? '';
    expect(draft).to.contain('王小明您好');
    expect(draft).to.contain('我们已登记工单 {ticket.id}');
    await settle(element);
    expect(text(element)).to.contain('该客户没有未结工单，因此 {ticket.id} 已保留在回复中。');
  });

  it('records helpful / not helpful in the connector and thanks the agent', async () => {
    await render();
    await search('refund');
    await openArticle('kb-returns-en');
    button(element, 'Helpful').click();
    await waitFor(() => text(element).includes('Thanks for the feedback'), 'the thanks');
    expect(connector.articleRatings('kb-returns-en')).to.deep.equal({ helpful: 1, notHelpful: 0 });
    expect(button(element, 'Helpful').getAttribute('aria-pressed')).to.equal('true');

    button(element, 'Not helpful').click();
    await waitFor(() => connector.articleRatings('kb-returns-en').notHelpful === 1, 'the changed vote');
    expect(connector.articleRatings('kb-returns-en')).to.deep.equal({ helpful: 0, notHelpful: 1 });
  });

  it('shows failures as readable messages with a retry', async () => {
    await render();
    const searchKnowledge = connector.searchKnowledge.bind(connector);
    connector.searchKnowledge = () => Promise.reject(unavailable('The knowledge service is not answering.'));
    type(element, 'refund');
    await waitFor(() => element.shadowRoot?.querySelector('[role="alert"]'), 'the search error');
    expect(query(element, '[role="alert"]').textContent).to.contain('The search failed: The knowledge service is not answering.');
    connector.searchKnowledge = searchKnowledge;
    button(element, 'Try again').click();
    await waitFor(() => options(element).length > 0, 'results after the retry');

    await openArticle('kb-returns-en');
    const rateArticle = connector.rateArticle.bind(connector);
    connector.rateArticle = () => Promise.reject(unavailable('Feedback is switched off for maintenance.'));
    button(element, 'Helpful').click();
    await waitFor(() => element.shadowRoot?.querySelector('[role="alert"]'), 'the feedback error');
    expect(query(element, '[role="alert"]').textContent).to.contain('Your feedback could not be sent: Feedback is switched off for maintenance.');
    expect(connector.articleRatings('kb-returns-en')).to.deep.equal({ helpful: 0, notHelpful: 0 });
    connector.rateArticle = rateArticle;
    button(element, 'Try again').click();
    await waitFor(() => text(element).includes('Thanks for the feedback'), 'the thanks after the retry');
    expect(connector.articleRatings('kb-returns-en')).to.deep.equal({ helpful: 1, notHelpful: 0 });
  });

  it('renders hostile article text as text', async () => {
    await render();
    await search('pairing');
    const hostile = options(element).find((option) => option.dataset.articleId === 'kb-hostile');
    expect(hostile?.textContent).to.contain('<img src=x onerror="window.__kbxss=1">Pairing guide');
    await openArticle('kb-hostile');
    const body = query(element, '[part="article-body"]');
    expect(body.textContent).to.contain('<script>window.__kbxss=2</script>Hold the pairing button');
    expect(body.textContent).to.contain('<b onclick="window.__kbxss=3">Still stuck?</b>');
    expect(element.shadowRoot?.querySelectorAll('img, script, svg, b')).to.have.length(0);
    query(element, '#article-title').click();
    expect((window as unknown as { __kbxss?: number }).__kbxss).to.equal(undefined);
  });

  it('cannot insert without a conversation, and says so', async () => {
    await render();
    await search('refund');
    await openArticle('kb-returns-en');
    const insert = query(element, '[part="insert-button"]') as HTMLButtonElement;
    expect(insert.disabled).to.equal(true);
    expect(query(element, '#insert-hint').textContent).to.equal('Select a conversation to insert this article into its reply.');
  });

  it('has no serious accessibility violations in the results and in an article', async () => {
    await render();
    store.dispatch(conversationSelected({ conversationId: 'conv-chat' }));
    await waitFor(() => options(element).length > 0, 'suggestions');
    await expectAccessible(element);
    await search('order');
    await expectAccessible(element);
    await openArticle('kb-delivery-en');
    query(element, '[part="insert-button"]').click();
    await waitFor(() => store.getState().knowledge.insert?.status === 'inserted', 'the insert');
    button(element, 'Helpful').click();
    await waitFor(() => text(element).includes('Thanks for the feedback'), 'the thanks');
    await expectAccessible(element);
  });
});
