import { expect } from '@esm-bundle/chai';
import { FakeConnector } from '../../test/fakes/fake-connector.js';
import { makeAgent, makeConversation, makeCustomer, makeEvent, makeMessage, makeSnapshot, T0 } from '../../test/fakes/fixtures.js';
import { unavailable } from '../connector/errors.js';
import type { KnowledgeArticle, KnowledgeHit, Message, Ticket, TicketStatus } from '../connector/model.js';
import type { Action } from './action.js';
import * as actions from './actions.js';
import { createDeskStore, type DeskStore } from './create-store.js';
import * as knowledge from './actions-knowledge.js';
import { fillTemplate, templateParts, templateVariables } from './knowledge-template.js';
import type { DeskState } from './state.js';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function until(condition: () => boolean, what: string, timeoutMs = 2000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error(`Timed out waiting for: ${what}`);
    await sleep(5);
  }
}

function makeArticle(id: string, overrides: Partial<KnowledgeArticle> = {}): KnowledgeArticle {
  return { id, locale: 'en', title: `Article ${id}`, body: `Body of ${id}`, tags: [], updatedAt: T0, ...overrides };
}

const hit = (article: KnowledgeArticle, score = 1): KnowledgeHit => ({ article, score });

function makeTicket(id: string, status: TicketStatus, updatedAt: number): Ticket {
  return {
    id,
    customerId: 'cu-c-1',
    subject: id,
    description: '',
    type: 'question',
    priority: 'normal',
    status,
    assigneeId: null,
    groupId: null,
    sourceChannel: null,
    conversationIds: [],
    dueAt: null,
    createdAt: T0,
    updatedAt,
    version: 1,
    comments: [],
  };
}

interface Harness {
  readonly fake: FakeConnector;
  readonly store: DeskStore;
  readonly seen: Action[];
  state(): DeskState;
  /** Pushes a `message.added` on the conversations stream with the next sequence number. */
  messageAdded(message: Message): void;
}

describe('knowledge store', () => {
  const stores: DeskStore[] = [];
  let problems: string[] = [];
  const onRejection = (event: PromiseRejectionEvent): void => {
    problems.push(`unhandled rejection: ${String(event.reason)}`);
  };

  beforeEach(() => {
    problems = [];
    window.addEventListener('unhandledrejection', onRejection);
  });

  afterEach(async () => {
    for (const store of stores.splice(0)) store.destroy();
    await sleep(30);
    window.removeEventListener('unhandledrejection', onRejection);
    expect(problems, 'no unhandled rejection').to.deep.equal([]);
  });

  /** A live store on a FakeConnector: Lin Agent, conversations c-1 (Ada Lovelace) and c-2. */
  async function live(): Promise<Harness> {
    const fake = new FakeConnector();
    const agent = makeAgent({ name: 'Lin Agent' });
    fake.respond('connect', () => ({ agent }));
    fake.respond('markRead', (call) => makeConversation(call.args[0]));
    fake.respond('listMessages', () => ({ items: [], nextCursor: null }));
    const store = createDeskStore({ connector: fake });
    stores.push(store);
    const seen: Action[] = [];
    store.actions$.subscribe((action) => seen.push(action));
    store.dispatch(actions.workspaceStarted());
    (await fake.waitForCall('snapshot', 0)).resolve(
      makeSnapshot({
        agent,
        conversations: [makeConversation('c-1'), makeConversation('c-2')],
        customers: [makeCustomer('cu-c-1', { name: 'Ada Lovelace' }), makeCustomer('cu-c-2')],
        sequences: { conversations: 5 },
      }),
    );
    await until(() => store.getState().connection.sync === 'live', 'the store to go live');
    let seq = 5;
    return {
      fake,
      store,
      seen,
      state: () => store.getState(),
      messageAdded: (message) => {
        seq += 1;
        fake.emit(makeEvent('conversations', seq, { type: 'message.added', message }));
      },
    };
  }

  describe('search', () => {
    it('waits for typing to pause, sends the desk locale, and aborts a search that newer text overtook', async () => {
      const h = await live();
      for (const text of ['r', 're', 'ref']) h.store.dispatch(knowledge.knowledgeQueryChanged({ text, locale: 'zh-CN' }));
      expect(h.state().knowledge.search).to.include({ text: 'ref', status: 'loading' });
      await sleep(150);
      expect(h.fake.calls('searchKnowledge'), 'nothing sent while typing').to.have.length(0);
      const first = await h.fake.waitForCall('searchKnowledge', 0);
      expect(first.args[0]).to.deep.equal({ text: 'ref', locale: 'zh-CN', limit: 20 });

      h.store.dispatch(knowledge.knowledgeQueryChanged({ text: 'refund ', locale: 'zh-CN' }));
      expect(first.outcome).to.equal('aborted');
      const second = await h.fake.waitForCall('searchKnowledge', 1);
      expect(second.args[0].text).to.equal('refund');
      const hits = [hit(makeArticle('kb-1'))];
      second.resolve(hits);
      await until(() => h.state().knowledge.search.status === 'loaded', 'the results');
      expect(h.state().knowledge.search.hits).to.deep.equal(hits);
      expect(h.fake.calls('searchKnowledge')).to.have.length(2);
    });

    it('clears at once on an empty query, aborting the search in flight, and ignores an answer to older text', async () => {
      const h = await live();
      h.store.dispatch(knowledge.knowledgeQueryChanged({ text: 'refund', locale: 'en' }));
      const call = await h.fake.waitForCall('searchKnowledge', 0);
      h.store.dispatch(knowledge.knowledgeQueryChanged({ text: '', locale: 'en' }));
      expect(call.outcome).to.equal('aborted');
      expect(h.state().knowledge.search).to.deep.equal({ text: '', status: 'idle', hits: [], error: null });

      h.store.dispatch(knowledge.knowledgeQueryChanged({ text: 'order', locale: 'en' }));
      h.store.dispatch(knowledge.knowledgeSearchLoaded({ query: 'refund', hits: [hit(makeArticle('stale'))] }));
      expect(h.state().knowledge.search).to.include({ text: 'order', status: 'loading' });
      expect(h.state().knowledge.search.hits).to.deep.equal([]);
    });

    it('keeps a failure with its readable message, and searches again on retry', async () => {
      const h = await live();
      h.store.dispatch(knowledge.knowledgeQueryChanged({ text: 'refund', locale: 'en' }));
      (await h.fake.waitForCall('searchKnowledge', 0)).reject(unavailable('Search is down.'));
      await until(() => h.state().knowledge.search.status === 'failed', 'the failure');
      expect(h.state().knowledge.search.error).to.deep.equal({ code: 'unavailable', message: 'Search is down.' });
      h.store.dispatch(knowledge.knowledgeQueryChanged({ text: 'refund', locale: 'en' }));
      expect(h.state().knowledge.search.status).to.equal('loading');
      (await h.fake.waitForCall('searchKnowledge', 1)).resolve([]);
      await until(() => h.state().knowledge.search.status === 'loaded', 'the retry');
    });
  });

  describe('suggestions', () => {
    it('suggests for the selected conversation and asks again when its customer writes', async () => {
      const h = await live();
      h.store.dispatch(actions.conversationSelected({ conversationId: 'c-1' }));
      const first = await h.fake.waitForCall('suggestArticles', 0);
      expect(first.args[0]).to.equal('c-1');
      const hits = [hit(makeArticle('kb-1'))];
      first.resolve(hits);
      await until(() => h.state().knowledge.suggestions.status === 'loaded', 'suggestions');
      expect(h.state().knowledge.suggestions).to.deep.equal({ conversationId: 'c-1', status: 'loaded', hits, error: null });

      // Not the selected conversation, and not the customer: nothing to refresh.
      h.messageAdded(makeMessage('m-1', 'c-2'));
      h.messageAdded(makeMessage('m-2', 'c-1', { direction: 'outbound' }));
      // A burst from the customer asks once, after it settles.
      h.messageAdded(makeMessage('m-3', 'c-1', { text: 'Where is my parcel?' }));
      h.messageAdded(makeMessage('m-4', 'c-1', { text: 'It has been a week.' }));
      const refresh = await h.fake.waitForCall('suggestArticles', 1);
      expect(refresh.args[0]).to.equal('c-1');
      // The earlier suggestions stay visible while they refresh.
      expect(h.state().knowledge.suggestions.hits).to.deep.equal(hits);
      await sleep(400);
      expect(h.fake.calls('suggestArticles')).to.have.length(2);

      h.store.dispatch(actions.conversationSelected({ conversationId: 'c-2' }));
      expect(refresh.outcome, 'the other conversation’s request is aborted').to.equal('aborted');
      expect(h.state().knowledge.suggestions).to.include({ conversationId: 'c-2', status: 'loading' });
      expect(h.state().knowledge.suggestions.hits).to.deep.equal([]);
      (await h.fake.waitForCall('suggestArticles', 2)).reject(unavailable('No suggestions today.'));
      await until(() => h.state().knowledge.suggestions.status === 'failed', 'the failure');
      expect(h.state().knowledge.suggestions.error?.message).to.equal('No suggestions today.');
    });
  });

  describe('insert', () => {
    const template = 'Hi {customer.name}, about ticket {ticket.id} on {conversation.id}: see {order.eta}. {name} stays. — {agent.name}';

    async function openArticle(h: Harness, article: KnowledgeArticle): Promise<void> {
      h.store.dispatch(knowledge.articleOpened({ articleId: article.id }));
      (await h.fake.waitForCall('getArticle', h.fake.calls('getArticle').length)).resolve(article);
      await until(() => h.state().knowledge.view?.status === 'loaded', 'the article');
    }

    it('fills the variables, naming the customer’s most recently updated open ticket, and appends to the draft', async () => {
      const h = await live();
      h.store.dispatch(actions.draftChanged({ conversationId: 'c-1', text: 'Typed already' }));
      await openArticle(h, makeArticle('kb-1', { body: template }));
      h.store.dispatch(knowledge.articleInsertRequested({ articleId: 'kb-1', conversationId: 'c-1' }));
      const lookup = await h.fake.waitForCall('listTickets', 0);
      expect(lookup.args[0]).to.equal('cu-c-1');
      lookup.resolve([makeTicket('T-1', 'solved', T0 + 50), makeTicket('T-2', 'open', T0 + 10), makeTicket('T-3', 'pending', T0 + 20), makeTicket('T-4', 'closed', T0 + 90)]);
      await until(() => h.state().knowledge.insert?.status === 'inserted', 'the insert');

      expect(h.state().ui.drafts.get('c-1')).to.equal(
        'Typed already\n\nHi Ada Lovelace, about ticket T-3 on c-1: see {order.eta}. {name} stays. — Lin Agent',
      );
      const inserted = h.seen.find(knowledge.articleInserted.match);
      expect(inserted?.payload).to.deep.equal({ articleId: 'kb-1', conversationId: 'c-1', unfilled: [{ name: 'order.eta', reason: 'unknown' }] });
      const composed = h.seen.find(actions.composerTextInserted.match);
      expect(composed?.payload.source).to.equal('knowledge');
    });

    it('leaves {ticket.id} in and says why when there is no open ticket or the lookup fails', async () => {
      const h = await live();
      await openArticle(h, makeArticle('kb-1', { body: 'Ticket {ticket.id}' }));
      h.store.dispatch(knowledge.articleInsertRequested({ articleId: 'kb-1', conversationId: 'c-1' }));
      (await h.fake.waitForCall('listTickets', 0)).resolve([makeTicket('T-1', 'solved', T0)]);
      await until(() => h.state().knowledge.insert?.sequence === 1, 'the first insert');
      expect(h.state().knowledge.insert?.unfilled).to.deep.equal([{ name: 'ticket.id', reason: 'no-open-ticket' }]);

      h.store.dispatch(knowledge.articleInsertRequested({ articleId: 'kb-1', conversationId: 'c-1' }));
      (await h.fake.waitForCall('listTickets', 1)).reject(unavailable('Tickets are down.'));
      await until(() => h.state().knowledge.insert?.sequence === 2, 'the second insert');
      expect(h.state().knowledge.insert?.unfilled).to.deep.equal([{ name: 'ticket.id', reason: 'lookup-failed' }]);
      expect(h.seen.find(knowledge.openTicketLookupFailed.match)?.payload).to.deep.equal({
        customerId: 'cu-c-1',
        error: { code: 'unavailable', message: 'Tickets are down.' },
      });
      expect(h.state().ui.drafts.get('c-1')).to.equal('Ticket {ticket.id}\n\nTicket {ticket.id}');
    });

    it('reads an article it does not hold, and asks for tickets only when the article names one', async () => {
      const h = await live();
      h.store.dispatch(knowledge.articleInsertRequested({ articleId: 'kb-9', conversationId: 'c-2' }));
      (await h.fake.waitForCall('getArticle', 0)).resolve(makeArticle('kb-9', { body: 'Hello {customer.name}' }));
      await until(() => h.state().knowledge.insert?.status === 'inserted', 'the insert');
      expect(h.state().ui.drafts.get('c-2')).to.equal('Hello Customer cu-c-2');
      expect(h.fake.calls('listTickets')).to.have.length(0);

      h.store.dispatch(knowledge.articleInsertRequested({ articleId: 'kb-gone', conversationId: 'c-2' }));
      (await h.fake.waitForCall('getArticle', 1)).reject(unavailable('The article is gone.'));
      await until(() => h.state().knowledge.insert?.status === 'failed', 'the failure');
      expect(h.state().knowledge.insert?.error?.message).to.equal('The article is gone.');
      expect(h.state().ui.drafts.get('c-2')).to.equal('Hello Customer cu-c-2');
    });
  });

  describe('feedback', () => {
    it('sends the vote with its client key, keeps a failure, and retries with the same key', async () => {
      const h = await live();
      h.store.dispatch(knowledge.articleRated({ articleId: 'kb-1', helpful: true, clientKey: 'vote-1' }));
      expect(h.state().knowledge.ratings.get('kb-1')).to.include({ helpful: true, status: 'saving' });
      const first = await h.fake.waitForCall('rateArticle', 0);
      expect(first.args.slice(0, 2)).to.deep.equal(['kb-1', true]);
      expect(first.idempotencyKey).to.equal('vote-1');
      first.reject(unavailable('Feedback is off.'));
      await until(() => h.state().knowledge.ratings.get('kb-1')?.status === 'failed', 'the failure');
      expect(h.state().knowledge.ratings.get('kb-1')?.error?.message).to.equal('Feedback is off.');

      h.store.dispatch(knowledge.articleRated({ articleId: 'kb-1', helpful: true, clientKey: 'vote-1' }));
      const retry = await h.fake.waitForCall('rateArticle', 1);
      expect(retry.idempotencyKey).to.equal('vote-1');
      retry.resolve(undefined);
      await until(() => h.state().knowledge.ratings.get('kb-1')?.status === 'saved', 'the vote');
    });

    it('lets a newer vote win over the answer to an older one', async () => {
      const h = await live();
      h.store.dispatch(knowledge.articleRated({ articleId: 'kb-1', helpful: true, clientKey: 'vote-1' }));
      h.store.dispatch(knowledge.articleRated({ articleId: 'kb-1', helpful: false, clientKey: 'vote-2' }));
      (await h.fake.waitForCall('rateArticle', 0)).reject(unavailable('Lost.'));
      await sleep(20);
      expect(h.state().knowledge.ratings.get('kb-1')).to.include({ helpful: false, clientKey: 'vote-2', status: 'saving' });
      (await h.fake.waitForCall('rateArticle', 1)).resolve(undefined);
      await until(() => h.state().knowledge.ratings.get('kb-1')?.status === 'saved', 'the newer vote');
    });
  });

  it('resets when the workspace stops', async () => {
    const h = await live();
    h.store.dispatch(knowledge.knowledgeQueryChanged({ text: 'refund', locale: 'en' }));
    h.store.dispatch(knowledge.articleOpened({ articleId: 'kb-1' }));
    h.store.dispatch(actions.workspaceStopped());
    expect(h.state().knowledge.search.text).to.equal('');
    expect(h.state().knowledge.view).to.equal(null);
  });
});

describe('knowledge templates', () => {
  it('fills known variables and leaves unknown or empty ones exactly as written', () => {
    const filled = fillTemplate('Hi {customer.name}, ticket {ticket.id}; {order.eta}; {plain} {"json": 1}', {
      'customer.name': 'Ada',
      'ticket.id': '  ',
    });
    expect(filled.text).to.equal('Hi Ada, ticket {ticket.id}; {order.eta}; {plain} {"json": 1}');
    expect(filled.unfilled).to.deep.equal(['ticket.id', 'order.eta']);
  });

  it('inserts values as they are, without reading variables or replacement patterns in them', () => {
    const filled = fillTemplate('{customer.name} / {agent.name}', { 'customer.name': '{agent.name} $& $1', 'agent.name': 'Lin' });
    expect(filled.text).to.equal('{agent.name} $& $1 / Lin');
    expect(filled.unfilled).to.deep.equal([]);
  });

  it('splits text into literal runs and variables', () => {
    expect(templateParts('a {x.y} b')).to.deep.equal([
      { kind: 'text', text: 'a ' },
      { kind: 'variable', text: '{x.y}', name: 'x.y' },
      { kind: 'text', text: ' b' },
    ]);
    expect(templateVariables('{a.b} {c.d} {a.b}')).to.deep.equal(['a.b', 'c.d']);
  });
});
