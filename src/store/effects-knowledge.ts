import { EMPTY, Observable, catchError, debounceTime, exhaustMap, filter, map, merge, mergeMap, of, switchMap, takeUntil, timer } from 'rxjs';
import type { Connector } from '../connector/connector.js';
import type { KnowledgeArticle, Ticket, TicketStatus } from '../connector/model.js';
import type { Action } from './action.js';
import * as actions from './actions.js';
import * as knowledge from './actions-knowledge.js';
import type { UnfilledReason, UnfilledVariable } from './actions-knowledge.js';
import { command, stopped, type Effect } from './effect.js';
import { toErrorInfo } from './errors.js';
import { fillTemplate, templateVariables } from './knowledge-template.js';
import type { DeskState } from './state.js';

/** How long typing must pause before the search runs. */
export const KNOWLEDGE_SEARCH_DEBOUNCE_MS = 250;
/** A burst of customer messages asks for suggestions once, after it settles. */
const SUGGESTION_DEBOUNCE_MS = 300;
const SEARCH_LIMIT = 20;
/** Ticket statuses that still need work: `{ticket.id}` refers to the latest of these. */
const OPEN_TICKET_STATUSES: readonly TicketStatus[] = ['new', 'open', 'pending'];


/**
 * Searches the knowledge base as the agent types. Each keystroke restarts a short timer and aborts the search in
 * flight (through its AbortSignal), so rapid typing asks once and an answer to older text never lands; an empty
 * box asks nothing (the reducer clears the results). The desk's locale goes along so its articles rank first.
 */
export const knowledgeSearchEffect: Effect = (actions$, { connector }) =>
  actions$.pipe(
    filter(knowledge.knowledgeQueryChanged.match),
    switchMap(({ payload: { text, locale } }) => {
      const query = text.trim();
      if (query === '') return EMPTY;
      return timer(KNOWLEDGE_SEARCH_DEBOUNCE_MS).pipe(
        switchMap(() => command((signal) => connector.searchKnowledge({ text: query, locale, limit: SEARCH_LIMIT }, { signal }))),
        map((hits) => knowledge.knowledgeSearchLoaded({ query, hits })),
        catchError((error: unknown) => of(knowledge.knowledgeSearchFailed({ query, error: toErrorInfo(error) }))),
      );
    }),
    takeUntil(stopped(actions$)),
  );

/**
 * Suggests articles for the selected conversation from its latest customer message: when it is selected, when a
 * part asks (again), and when the customer writes on it. A newer request aborts the one in flight.
 */
export const articleSuggestionsEffect: Effect = (actions$, { connector, getState }) => {
  const knowledgeAvailable = (): boolean => getState().connection.capabilities?.knowledge !== false;
  const requested$ = actions$.pipe(
    filter((action) => actions.conversationSelected.match(action) || knowledge.articleSuggestionsRequested.match(action)),
    map((action) => (action as ReturnType<typeof knowledge.articleSuggestionsRequested>).payload.conversationId),
  );
  const customerWrote$ = actions$.pipe(
    filter(actions.eventReceived.match),
    map(({ payload: { event } }) => (event.type === 'message.added' && event.message.direction === 'inbound' ? event.message.conversationId : null)),
    filter((conversationId): conversationId is string => conversationId !== null && conversationId === getState().ui.selectedConversationId),
    debounceTime(SUGGESTION_DEBOUNCE_MS),
    // The agent may have moved on while the burst settled.
    filter((conversationId) => conversationId === getState().ui.selectedConversationId),
  );
  return merge(requested$, customerWrote$).pipe(
    filter(knowledgeAvailable),
    switchMap((conversationId) =>
      command((signal) => connector.suggestArticles(conversationId, { signal })).pipe(
        map((hits) => knowledge.articleSuggestionsLoaded({ conversationId, hits })),
        catchError((error: unknown) => of(knowledge.articleSuggestionsFailed({ conversationId, error: toErrorInfo(error) }))),
      ),
    ),
    takeUntil(stopped(actions$)),
  );
};

/** Loads the article the agent opened (fresh, even when a hit carried it); closing it cancels the request. */
export const articleViewEffect: Effect = (actions$, { connector }) =>
  actions$.pipe(
    filter((action) => knowledge.articleOpened.match(action) || knowledge.articleClosed.match(action)),
    switchMap((action) => {
      if (!knowledge.articleOpened.match(action)) return EMPTY;
      const { articleId } = action.payload;
      return command((signal) => connector.getArticle(articleId, { signal })).pipe(
        map((article) => knowledge.articleLoaded({ article })),
        catchError((error: unknown) => of(knowledge.articleLoadFailed({ articleId, error: toErrorInfo(error) }))),
      );
    }),
    takeUntil(stopped(actions$)),
  );

type TicketLookup = { readonly ticketId: string } | { readonly reason: UnfilledReason; readonly failure?: Action };

/** The customer's most recently updated open ticket, or why there is none to name. */
function lookUpOpenTicket(connector: Connector, state: DeskState, customerId: string | null): Observable<TicketLookup> {
  if (state.connection.capabilities?.tickets === false) return of({ reason: 'unsupported' });
  if (customerId === null) return of({ reason: 'missing' });
  return command((signal) => connector.listTickets(customerId, { signal })).pipe(
    map((tickets): TicketLookup => {
      const open = tickets.filter((ticket: Ticket) => OPEN_TICKET_STATUSES.includes(ticket.status));
      const latest = open.reduce<Ticket | null>((best, ticket) => (best === null || ticket.updatedAt > best.updatedAt ? ticket : best), null);
      return latest ? { ticketId: latest.id } : { reason: 'no-open-ticket' };
    }),
    catchError((error: unknown) =>
      of<TicketLookup>({ reason: 'lookup-failed', failure: knowledge.openTicketLookupFailed({ customerId, error: toErrorInfo(error) }) }),
    ),
  );
}

/** The article as the agent sees it, or from the backend when the view has moved on. */
function articleFor(connector: Connector, state: DeskState, articleId: string): Observable<KnowledgeArticle> {
  const { view, search, suggestions } = state.knowledge;
  const held =
    (view?.articleId === articleId ? view.article : null) ??
    [...search.hits, ...suggestions.hits].find((hit) => hit.article.id === articleId)?.article ??
    null;
  return held ? of(held) : command((signal) => connector.getArticle(articleId, { signal }));
}

/**
 * Inserts an article into a conversation's reply: fills `{customer.name}`, `{agent.name}`, `{conversation.id}`
 * and `{ticket.id}` (the customer's latest open ticket, looked up only when the article uses it), then appends
 * the text to the draft through `composerTextInserted`. A variable without a value stays visible in the text and
 * is listed in `articleInserted`, so the agent is told what is left to fill in. A second request while one is
 * being prepared is ignored (a double click inserts once).
 */
export const articleInsertEffect: Effect = (actions$, { connector, getState }) =>
  actions$.pipe(
    filter(knowledge.articleInsertRequested.match),
    exhaustMap(({ payload: { articleId, conversationId } }) =>
      articleFor(connector, getState(), articleId).pipe(
        mergeMap((article) => {
          const customerId = getState().conversations.entities.get(conversationId)?.customerId ?? null;
          const ticket$ = templateVariables(article.body).includes('ticket.id')
            ? lookUpOpenTicket(connector, getState(), customerId)
            : of<TicketLookup>({ reason: 'missing' });
          return ticket$.pipe(
            mergeMap((ticket) => {
              // Read at fill time: the customer may have arrived while the ticket was looked up.
              const state = getState();
              const customer = customerId === null ? undefined : state.customers.entities.get(customerId);
              const filled = fillTemplate(article.body, {
                'customer.name': customer?.name,
                'agent.name': state.agent.agent?.name,
                'conversation.id': conversationId,
                'ticket.id': 'ticketId' in ticket ? ticket.ticketId : null,
              });
              const unfilled = filled.unfilled.map((name): UnfilledVariable => {
                if (name === 'ticket.id' && 'reason' in ticket) return { name, reason: ticket.reason };
                const known = name === 'customer.name' || name === 'agent.name' || name === 'conversation.id';
                return { name, reason: known ? 'missing' : 'unknown' };
              });
              const failure = 'failure' in ticket && ticket.failure ? [ticket.failure] : [];
              return of(
                ...failure,
                actions.composerTextInserted({ conversationId, text: filled.text, source: 'knowledge' }),
                knowledge.articleInserted({ articleId, conversationId, unfilled }),
              );
            }),
          );
        }),
        catchError((error: unknown) => of(knowledge.articleInsertFailed({ articleId, conversationId, error: toErrorInfo(error) }))),
      ),
    ),
    takeUntil(stopped(actions$)),
  );

/** Sends the agent's helpful / not helpful vote with its client key as the idempotency key, so a retry counts once. */
export const articleRatingEffect: Effect = (actions$, { connector }) =>
  actions$.pipe(
    filter(knowledge.articleRated.match),
    mergeMap(({ payload: { articleId, helpful, clientKey } }) =>
      command((signal) => connector.rateArticle(articleId, helpful, { signal, idempotencyKey: clientKey })).pipe(
        map(() => knowledge.articleRatingSaved({ articleId, clientKey })),
        catchError((error: unknown) => of(knowledge.articleRatingFailed({ articleId, clientKey, error: toErrorInfo(error) }))),
      ),
    ),
    takeUntil(stopped(actions$)),
  );

export const knowledgeEffects: readonly Effect[] = [
  knowledgeSearchEffect,
  articleSuggestionsEffect,
  articleViewEffect,
  articleInsertEffect,
  articleRatingEffect,
];
