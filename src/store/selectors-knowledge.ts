import { createSelector, type Selector } from './select.js';
import type { ArticleRating } from './slices/knowledge.js';
import type { DeskState } from './state.js';

export const selectKnowledgeSearch = (state: DeskState) => state.knowledge.search;
export const selectArticleSuggestions = (state: DeskState) => state.knowledge.suggestions;
export const selectArticleView = (state: DeskState) => state.knowledge.view;
export const selectArticleInsert = (state: DeskState) => state.knowledge.insert;
export const selectArticleRatings = (state: DeskState) => state.knowledge.ratings;

/** False only when the backend says it has no knowledge base; unknown (not connected yet) counts as available. */
export const selectKnowledgeAvailable = (state: DeskState) => state.connection.capabilities?.knowledge !== false;

/** The agent's vote on the article being read, if any. */
export const selectViewedArticleRating: Selector<DeskState, ArticleRating | null> = createSelector(
  [selectArticleRatings, selectArticleView],
  (ratings, view) => (view ? ratings.get(view.articleId) ?? null : null),
);
