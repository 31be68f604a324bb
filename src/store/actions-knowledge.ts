/**
 * Actions of the knowledge feature: intents of `<cc-knowledge-search>` (`[Knowledge Search] …`), answers of the
 * connector (`[Connector] …`) and what the store did with them (`[Store] …`).
 */
import { defineAction, payload } from './action.js';
import type { ErrorInfo } from './errors.js';
import type { KnowledgeArticle, KnowledgeHit } from '../connector/model.js';

/** Why a template variable was left in the inserted text as it was written. */
export type UnfilledReason =
  /** Not a variable the desk knows; the agent fills it in by hand. */
  | 'unknown'
  /** A known variable without a value here (the customer has no name on file, say). */
  | 'missing'
  /** `{ticket.id}`: the customer has no open ticket. */
  | 'no-open-ticket'
  /** `{ticket.id}`: the customer's tickets could not be looked up. */
  | 'lookup-failed'
  /** `{ticket.id}`: the backend has no tickets. */
  | 'unsupported';

export interface UnfilledVariable {
  /** The variable's name without braces, e.g. `ticket.id`. */
  readonly name: string;
  readonly reason: UnfilledReason;
}

// Search
/** The agent changed the search text; `locale` is the desk's, so articles in it rank first. Empty clears the results. */
export const knowledgeQueryChanged = defineAction('[Knowledge Search] query changed', payload<{ text: string; locale: string }>());
export const knowledgeSearchLoaded = defineAction('[Connector] knowledge search loaded', payload<{ query: string; hits: readonly KnowledgeHit[] }>());
export const knowledgeSearchFailed = defineAction('[Connector] knowledge search failed', payload<{ query: string; error: ErrorInfo }>());

// Suggestions for the selected conversation
/** Asks again for the suggestions of a conversation (the agent's retry after a failure). */
export const articleSuggestionsRequested = defineAction('[Knowledge Search] suggestions requested', payload<{ conversationId: string }>());
export const articleSuggestionsLoaded = defineAction(
  '[Connector] article suggestions loaded',
  payload<{ conversationId: string; hits: readonly KnowledgeHit[] }>(),
);
export const articleSuggestionsFailed = defineAction('[Connector] article suggestions failed', payload<{ conversationId: string; error: ErrorInfo }>());

// Article view
export const articleOpened = defineAction('[Knowledge Search] article opened', payload<{ articleId: string }>());
export const articleClosed = defineAction('[Knowledge Search] article closed');
export const articleLoaded = defineAction('[Connector] article loaded', payload<{ article: KnowledgeArticle }>());
export const articleLoadFailed = defineAction('[Connector] article load failed', payload<{ articleId: string; error: ErrorInfo }>());

// Insert into the reply
/** Fill the article's template for this conversation and append it to its draft. */
export const articleInsertRequested = defineAction(
  '[Knowledge Search] article insert requested',
  payload<{ articleId: string; conversationId: string }>(),
);
/** The filled text went into the draft (through `composerTextInserted`); `unfilled` lists what stayed as written. */
export const articleInserted = defineAction(
  '[Store] article inserted',
  payload<{ articleId: string; conversationId: string; unfilled: readonly UnfilledVariable[] }>(),
);
/** The article could not be read, so nothing was inserted. */
export const articleInsertFailed = defineAction(
  '[Connector] article insert failed',
  payload<{ articleId: string; conversationId: string; error: ErrorInfo }>(),
);
/** Looking up the customer's open ticket for `{ticket.id}` failed; the text is inserted with the variable left in. */
export const openTicketLookupFailed = defineAction('[Connector] open ticket lookup failed', payload<{ customerId: string; error: ErrorInfo }>());

// Feedback
/** The agent said whether an article helped. A retry sends the same `clientKey`, so the vote is recorded once. */
export const articleRated = defineAction('[Knowledge Search] article rated', payload<{ articleId: string; helpful: boolean; clientKey: string }>());
export const articleRatingSaved = defineAction('[Connector] article rating saved', payload<{ articleId: string; clientKey: string }>());
export const articleRatingFailed = defineAction('[Connector] article rating failed', payload<{ articleId: string; clientKey: string; error: ErrorInfo }>());
