import type { KnowledgeArticle, KnowledgeHit } from '../../connector/model.js';
import { PersistentMap } from '../persistent-map.js';
import type { Action } from '../action.js';
import * as actions from '../actions.js';
import * as knowledge from '../actions-knowledge.js';
import type { UnfilledVariable } from '../actions-knowledge.js';
import type { ErrorInfo, RequestStatus } from '../errors.js';
import type { AppliedEvent } from './applied-event.js';

export interface KnowledgeSearch {
  /** The search text as the agent typed it. */
  readonly text: string;
  /** `loading` from the first keystroke, while the search waits for typing to pause and while it runs. */
  readonly status: RequestStatus;
  /** The latest results; kept while a newer search runs, so the list does not flicker. */
  readonly hits: readonly KnowledgeHit[];
  readonly error: ErrorInfo | null;
}

/** Articles suggested from the latest customer message of one conversation. */
export interface ArticleSuggestions {
  readonly conversationId: string | null;
  readonly status: RequestStatus;
  readonly hits: readonly KnowledgeHit[];
  readonly error: ErrorInfo | null;
}

/** The article open for reading. `article` is known at once when it came with a hit, and refreshed from the backend. */
export interface ArticleView {
  readonly articleId: string;
  readonly article: KnowledgeArticle | null;
  readonly status: RequestStatus;
  readonly error: ErrorInfo | null;
}

/** The agent's helpful / not helpful vote on an article and how sending it went. */
export interface ArticleRating {
  readonly helpful: boolean;
  readonly clientKey: string;
  readonly status: 'saving' | 'saved' | 'failed';
  readonly error: ErrorInfo | null;
}

/** The latest insert into a reply. `sequence` grows with every finished insert, so a part can tell a new one. */
export interface ArticleInsert {
  readonly articleId: string;
  readonly conversationId: string;
  readonly status: 'inserting' | 'inserted' | 'failed';
  readonly unfilled: readonly UnfilledVariable[];
  readonly error: ErrorInfo | null;
  readonly sequence: number;
}

export interface KnowledgeSlice {
  readonly search: KnowledgeSearch;
  readonly suggestions: ArticleSuggestions;
  readonly view: ArticleView | null;
  readonly insert: ArticleInsert | null;
  readonly ratings: PersistentMap<ArticleRating>;
}

const idleSearch: KnowledgeSearch = { text: '', status: 'idle', hits: [], error: null };
const noSuggestions: ArticleSuggestions = { conversationId: null, status: 'idle', hits: [], error: null };

export const initialKnowledge: KnowledgeSlice = {
  search: idleSearch,
  suggestions: noSuggestions,
  view: null,
  insert: null,
  ratings: PersistentMap.empty(),
};

/** The article of a hit the agent can see, so opening it shows the text at once. */
function heldArticle(slice: KnowledgeSlice, articleId: string): KnowledgeArticle | null {
  const hit = slice.search.hits.find((candidate) => candidate.article.id === articleId) ?? slice.suggestions.hits.find((candidate) => candidate.article.id === articleId);
  return hit?.article ?? null;
}

function suggestionsLoading(slice: KnowledgeSlice, conversationId: string): KnowledgeSlice {
  const current = slice.suggestions;
  // A burst of customer messages marks it once, not once per message.
  if (current.conversationId === conversationId && current.status === 'loading') return slice;
  // Another conversation's suggestions say nothing about this one; the same one's stay visible while they refresh.
  const hits = current.conversationId === conversationId ? current.hits : [];
  return { ...slice, suggestions: { conversationId, status: 'loading', hits, error: null } };
}

function searchReducer(slice: KnowledgeSlice, action: Action): KnowledgeSlice {
  if (knowledge.knowledgeQueryChanged.match(action)) {
    const { text } = action.payload;
    // The same text again changes nothing, unless it failed: then it is the agent's retry.
    if (text === slice.search.text && slice.search.status !== 'failed') return slice;
    const search: KnowledgeSearch = text.trim() === '' ? { ...idleSearch, text } : { text, status: 'loading', hits: slice.search.hits, error: null };
    return { ...slice, search };
  }
  // An answer counts only for the text still in the box; an older search's late answer is dropped.
  if (knowledge.knowledgeSearchLoaded.match(action)) {
    if (action.payload.query !== slice.search.text.trim()) return slice;
    return { ...slice, search: { ...slice.search, status: 'loaded', hits: action.payload.hits, error: null } };
  }
  if (knowledge.knowledgeSearchFailed.match(action)) {
    if (action.payload.query !== slice.search.text.trim() || action.payload.error.code === 'aborted') return slice;
    return { ...slice, search: { ...slice.search, status: 'failed', error: action.payload.error } };
  }
  return slice;
}

function suggestionsReducer(slice: KnowledgeSlice, action: Action, event: AppliedEvent): KnowledgeSlice {
  if (event?.type === 'message.added') {
    const { message } = event;
    if (message.direction !== 'inbound' || message.conversationId !== slice.suggestions.conversationId) return slice;
    return suggestionsLoading(slice, message.conversationId);
  }
  if (actions.conversationSelected.match(action) || knowledge.articleSuggestionsRequested.match(action)) {
    return suggestionsLoading(slice, action.payload.conversationId);
  }
  if (knowledge.articleSuggestionsLoaded.match(action)) {
    if (action.payload.conversationId !== slice.suggestions.conversationId) return slice;
    return { ...slice, suggestions: { ...slice.suggestions, status: 'loaded', hits: action.payload.hits, error: null } };
  }
  if (knowledge.articleSuggestionsFailed.match(action)) {
    if (action.payload.conversationId !== slice.suggestions.conversationId || action.payload.error.code === 'aborted') return slice;
    return { ...slice, suggestions: { ...slice.suggestions, status: 'failed', error: action.payload.error } };
  }
  return slice;
}

function viewReducer(slice: KnowledgeSlice, action: Action): KnowledgeSlice {
  if (knowledge.articleOpened.match(action)) {
    const { articleId } = action.payload;
    const article = slice.view?.articleId === articleId ? slice.view.article : heldArticle(slice, articleId);
    return { ...slice, view: { articleId, article, status: 'loading', error: null } };
  }
  if (knowledge.articleClosed.match(action)) return slice.view === null ? slice : { ...slice, view: null };
  if (knowledge.articleLoaded.match(action)) {
    const { article } = action.payload;
    if (slice.view?.articleId !== article.id) return slice;
    return { ...slice, view: { ...slice.view, article, status: 'loaded', error: null } };
  }
  if (knowledge.articleLoadFailed.match(action)) {
    if (slice.view?.articleId !== action.payload.articleId || action.payload.error.code === 'aborted') return slice;
    return { ...slice, view: { ...slice.view, status: 'failed', error: action.payload.error } };
  }
  return slice;
}

function insertReducer(slice: KnowledgeSlice, action: Action): KnowledgeSlice {
  const sequence = slice.insert?.sequence ?? 0;
  if (knowledge.articleInsertRequested.match(action)) {
    const { articleId, conversationId } = action.payload;
    return { ...slice, insert: { articleId, conversationId, status: 'inserting', unfilled: [], error: null, sequence } };
  }
  if (knowledge.articleInserted.match(action)) {
    const { articleId, conversationId, unfilled } = action.payload;
    return { ...slice, insert: { articleId, conversationId, status: 'inserted', unfilled, error: null, sequence: sequence + 1 } };
  }
  if (knowledge.articleInsertFailed.match(action)) {
    const { articleId, conversationId, error } = action.payload;
    return { ...slice, insert: { articleId, conversationId, status: 'failed', unfilled: [], error, sequence } };
  }
  return slice;
}

function ratingsReducer(slice: KnowledgeSlice, action: Action): KnowledgeSlice {
  if (knowledge.articleRated.match(action)) {
    const { articleId, helpful, clientKey } = action.payload;
    return { ...slice, ratings: slice.ratings.set(articleId, { helpful, clientKey, status: 'saving', error: null }) };
  }
  const settle = (articleId: string, clientKey: string, change: Pick<ArticleRating, 'status' | 'error'>): KnowledgeSlice => {
    const rating = slice.ratings.get(articleId);
    // A newer vote replaced this one; its own answer will settle it.
    if (!rating || rating.clientKey !== clientKey) return slice;
    return { ...slice, ratings: slice.ratings.set(articleId, { ...rating, ...change }) };
  };
  if (knowledge.articleRatingSaved.match(action)) {
    return settle(action.payload.articleId, action.payload.clientKey, { status: 'saved', error: null });
  }
  if (knowledge.articleRatingFailed.match(action)) {
    return settle(action.payload.articleId, action.payload.clientKey, { status: 'failed', error: action.payload.error });
  }
  return slice;
}

export function knowledgeReducer(slice: KnowledgeSlice, action: Action, event: AppliedEvent): KnowledgeSlice {
  if (actions.workspaceStopped.match(action)) return initialKnowledge;
  let next = searchReducer(slice, action);
  next = suggestionsReducer(next, action, event);
  next = viewReducer(next, action);
  next = insertReducer(next, action);
  return ratingsReducer(next, action);
}
