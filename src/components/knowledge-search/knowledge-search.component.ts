import { html, LitElement, nothing, type PropertyValues } from 'lit';
import { live } from 'lit/directives/live.js';
import type { KnowledgeArticle, KnowledgeHit } from '../../connector/model.js';
import { StoreController } from '../../context/store-controller.js';
import { CcArticleInsertedEvent } from '../../events/article-inserted.js';
import type { Locale, MessageKey } from '../../i18n/i18n.js';
import { LocaleController } from '../../i18n/locale-controller.js';
import { baseStyles } from '../../internal/shared-styles.js';
import * as knowledge from '../../store/actions-knowledge.js';
import type { UnfilledReason } from '../../store/actions-knowledge.js';
import type { DeskStore } from '../../store/create-store.js';
import { templateParts, templateVariables } from '../../store/knowledge-template.js';
import { selectSelectedConversationId } from '../../store/selectors.js';
import {
  selectArticleInsert,
  selectArticleSuggestions,
  selectArticleView,
  selectKnowledgeAvailable,
  selectKnowledgeSearch,
  selectViewedArticleRating,
} from '../../store/selectors-knowledge.js';
import { initialKnowledge, type ArticleView, type KnowledgeSearch } from '../../store/slices/knowledge.js';
import { knowledgeSearchStyles } from './knowledge-search.styles.js';

const UNFILLED_MESSAGES: Readonly<Record<UnfilledReason, MessageKey>> = {
  unknown: 'knowledge.unfilledUnknown',
  missing: 'knowledge.unfilledMissing',
  'no-open-ticket': 'knowledge.unfilledNoOpenTicket',
  'lookup-failed': 'knowledge.unfilledLookupFailed',
  unsupported: 'knowledge.unfilledUnsupported',
};

const SNIPPET_LENGTH = 180;

const dayFormats = new Map<Locale, Intl.DateTimeFormat>();
function formatDay(locale: Locale, epochMs: number): string {
  let format = dayFormats.get(locale);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, { dateStyle: 'medium' });
    dayFormats.set(locale, format);
  }
  return format.format(epochMs);
}

const languageNames = new Map<Locale, Intl.DisplayNames>();
/** The article's language in the agent's language ("Chinese (China)", "英语"); the raw tag when it is not a valid one. */
function languageName(locale: Locale, tag: string): string {
  let names = languageNames.get(locale);
  if (!names) {
    names = new Intl.DisplayNames([locale], { type: 'language' });
    languageNames.set(locale, names);
  }
  try {
    return names.of(tag) ?? tag;
  } catch {
    return tag;
  }
}

function paragraphsOf(body: string): string[] {
  return body
    .split(/\n[ \t]*\n/)
    .map((paragraph) => paragraph.trim())
    .filter((paragraph) => paragraph !== '');
}

function snippetOf(body: string): string {
  const first = paragraphsOf(body)[0] ?? '';
  return first.length > SNIPPET_LENGTH ? `${first.slice(0, SNIPPET_LENGTH).trimEnd()}…` : first;
}

/**
 * @summary Knowledge for the agent: articles suggested from the selected conversation's latest customer message,
 * search (in the agent's language first), the article itself, and inserting it into the reply with its variables
 * filled in for the customer.
 *
 * In the list, ↑/↓, Home and End move and Enter opens; ↓ in the search box goes to the list, and Escape there
 * clears it. In an article, Escape goes back to the list. Article text is always shown as text.
 *
 * @fires {CcArticleInsertedEvent} cc-article-inserted - An article was added to a conversation's reply.
 *
 * @csspart base - The part's container.
 * @csspart heading - The part's heading.
 * @csspart search - The search form.
 * @csspart search-input - The search box.
 * @csspart results - The list of suggested or found articles.
 * @csspart result - One article in the list.
 * @csspart article - The open article.
 * @csspart back-button - The button back to the list.
 * @csspart article-body - The open article's text.
 * @csspart insert-button - The button that inserts the article into the reply.
 * @csspart feedback - The helpful / not helpful question.
 *
 * @cssprop [--cc-knowledge-search-background=var(--cc-color-surface)] - The part's background.
 * @cssprop [--cc-knowledge-search-active-background=var(--cc-color-selected)] - The active article in the list.
 * @cssprop [--cc-knowledge-search-variable-background=#fff1c2] - Template variables in an article.
 */
export class CcKnowledgeSearch extends LitElement {
  static override styles = [baseStyles, knowledgeSearchStyles];

  static override properties = {
    store: { attribute: false },
    activeIndex: { state: true },
  };

  /** The desk store, when used outside `<cc-workspace>`; inside it, the store comes from context. */
  declare store: DeskStore | undefined;
  declare private activeIndex: number;

  private readonly i18n = new LocaleController(this);
  private readonly available = new StoreController(this, selectKnowledgeAvailable, true);
  private readonly search = new StoreController(this, selectKnowledgeSearch, initialKnowledge.search);
  private readonly suggestions = new StoreController(this, selectArticleSuggestions, initialKnowledge.suggestions);
  private readonly view = new StoreController(this, selectArticleView, null);
  private readonly insert = new StoreController(this, selectArticleInsert, null);
  private readonly rating = new StoreController(this, selectViewedArticleRating, null);
  private readonly selectedId = new StoreController(this, selectSelectedConversationId, null);
  /** The hits the list shows; a new list starts at its first article. */
  private listedHits: readonly KnowledgeHit[] = [];
  /** The locale the current search text was sent with; a change of locale searches again. */
  private searchedLocale: Locale | null = null;
  /** The store and insert count already reported to the host, so only inserts made while watching fire an event. */
  private reportedStore: DeskStore | undefined;
  private reportedInserts = 0;
  private pendingFocus: 'article' | 'list' | null = null;

  constructor() {
    super();
    this.store = undefined;
    this.activeIndex = 0;
  }

  /** Moves focus to the search box (going back from an open article first). */
  focusSearch(): void {
    if (this.view.value) this.view.dispatch(knowledge.articleClosed());
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLInputElement>('#query')?.focus());
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('store')) {
      for (const controller of [this.available, this.search, this.suggestions, this.view, this.insert, this.rating, this.selectedId]) {
        controller.setStore(this.store);
      }
    }
    this.searchAgainInNewLocale();
    this.reportInsert();
    const hits = this.hits;
    if (hits !== this.listedHits) {
      this.listedHits = hits;
      this.activeIndex = 0;
    }
  }

  protected override updated(): void {
    const focus = this.pendingFocus;
    this.pendingFocus = null;
    if (focus === 'article') this.renderRoot.querySelector<HTMLElement>('#article-title')?.focus();
    if (focus === 'list') (this.renderRoot.querySelector<HTMLElement>('[role="listbox"]') ?? this.renderRoot.querySelector<HTMLElement>('#query'))?.focus();
  }

  /** What the list shows: search results while there is search text, else the conversation's suggestions. */
  private get hits(): readonly KnowledgeHit[] {
    return this.isSearching ? this.search.value.hits : this.suggestions.value.hits;
  }

  private get isSearching(): boolean {
    return this.search.value.text.trim() !== '';
  }

  private searchAgainInNewLocale(): void {
    const { locale } = this.i18n;
    if (this.searchedLocale === null) this.searchedLocale = locale;
    if (locale === this.searchedLocale) return;
    this.searchedLocale = locale;
    if (this.isSearching) this.search.dispatch(knowledge.knowledgeQueryChanged({ text: this.search.value.text, locale }));
  }

  private reportInsert(): void {
    const store = this.insert.store;
    const insert = this.insert.value;
    const count = insert?.sequence ?? 0;
    if (store !== this.reportedStore) {
      this.reportedStore = store;
      this.reportedInserts = count;
      return;
    }
    if (!insert || count <= this.reportedInserts) return;
    this.reportedInserts = count;
    this.dispatchEvent(new CcArticleInsertedEvent({ articleId: insert.articleId, conversationId: insert.conversationId }));
  }

  private open(index: number): void {
    const hit = this.hits[index];
    if (!hit) return;
    this.activeIndex = index;
    this.pendingFocus = 'article';
    this.view.dispatch(knowledge.articleOpened({ articleId: hit.article.id }));
  }

  private readonly onBack = (): void => {
    this.pendingFocus = 'list';
    this.view.dispatch(knowledge.articleClosed());
  };

  private readonly onQueryInput = (event: InputEvent): void => {
    const { locale } = this.i18n;
    this.searchedLocale = locale;
    this.search.dispatch(knowledge.knowledgeQueryChanged({ text: (event.target as HTMLInputElement).value, locale }));
  };

  private readonly onQueryKeyDown = (event: KeyboardEvent): void => {
    if (event.isComposing) return;
    if (event.key === 'ArrowDown' && this.hits.length > 0) {
      event.preventDefault();
      this.renderRoot.querySelector<HTMLElement>('[role="listbox"]')?.focus();
    } else if (event.key === 'Escape' && this.search.value.text !== '') {
      event.preventDefault();
      this.search.dispatch(knowledge.knowledgeQueryChanged({ text: '', locale: this.i18n.locale }));
    }
  };

  private readonly onSubmit = (event: SubmitEvent): void => {
    event.preventDefault();
    // Enter in the search box takes the keyboard to the results.
    this.renderRoot.querySelector<HTMLElement>('[role="listbox"]')?.focus();
  };

  private readonly onListKeyDown = (event: KeyboardEvent): void => {
    const last = this.hits.length - 1;
    const moves: Record<string, () => void> = {
      ArrowDown: () => (this.activeIndex = Math.min(this.activeIndex + 1, last)),
      ArrowUp: () => {
        if (this.activeIndex === 0) this.renderRoot.querySelector<HTMLInputElement>('#query')?.focus();
        else this.activeIndex -= 1;
      },
      Home: () => (this.activeIndex = 0),
      End: () => (this.activeIndex = Math.max(last, 0)),
      Enter: () => this.open(this.activeIndex),
      ' ': () => this.open(this.activeIndex),
    };
    const move = moves[event.key];
    if (!move) return;
    event.preventDefault();
    move();
    void this.updateComplete.then(() => this.renderRoot.querySelector(`#hit-${this.activeIndex}`)?.scrollIntoView({ block: 'nearest' }));
  };

  private readonly onArticleKeyDown = (event: KeyboardEvent): void => {
    if (event.key !== 'Escape') return;
    event.preventDefault();
    this.onBack();
  };

  private readonly onInsert = (): void => {
    const articleId = this.view.value?.articleId;
    const conversationId = this.selectedId.value;
    if (!articleId || conversationId === null) return;
    this.view.dispatch(knowledge.articleInsertRequested({ articleId, conversationId }));
  };

  private rate(helpful: boolean): void {
    const articleId = this.view.value?.articleId;
    if (articleId) this.view.dispatch(knowledge.articleRated({ articleId, helpful, clientKey: crypto.randomUUID() }));
  }

  private readonly onRetryRating = (): void => {
    const articleId = this.view.value?.articleId;
    const rating = this.rating.value;
    // The same key again: if the first attempt did reach the backend, the vote still counts once.
    if (articleId && rating) this.view.dispatch(knowledge.articleRated({ articleId, helpful: rating.helpful, clientKey: rating.clientKey }));
  };

  private readonly onRetrySearch = (): void => {
    this.search.dispatch(knowledge.knowledgeQueryChanged({ text: this.search.value.text, locale: this.i18n.locale }));
  };

  private readonly onRetrySuggestions = (): void => {
    const conversationId = this.selectedId.value;
    if (conversationId !== null) this.selectedId.dispatch(knowledge.articleSuggestionsRequested({ conversationId }));
  };

  private readonly onRetryArticle = (): void => {
    const articleId = this.view.value?.articleId;
    if (articleId) this.view.dispatch(knowledge.articleOpened({ articleId }));
  };

  private renderList(labelledBy: string) {
    const hits = this.hits;
    if (hits.length === 0) return nothing;
    const { locale } = this.i18n;
    return html`<ul
      part="results"
      role="listbox"
      tabindex="0"
      aria-labelledby=${labelledBy}
      aria-activedescendant=${`hit-${this.activeIndex}`}
      @keydown=${this.onListKeyDown}
    >
      ${hits.map(
        ({ article }, index) => html`<li
          part="result"
          role="option"
          id=${`hit-${index}`}
          class=${index === this.activeIndex ? 'active' : ''}
          aria-selected=${index === this.activeIndex ? 'true' : 'false'}
          data-article-id=${article.id}
          @click=${() => this.open(index)}
        >
          <span class="title">${article.title}</span>
          <span class="hit-meta">${languageName(locale, article.locale)}${article.tags.length > 0 ? ` · ${article.tags.join(', ')}` : ''}</span>
          <span class="snippet">${snippetOf(article.body)}</span>
        </li>`,
      )}
    </ul>`;
  }

  private renderResults(search: KnowledgeSearch) {
    const t = this.i18n.t.bind(this.i18n);
    let status = '';
    if (search.status === 'loading') status = t('knowledge.searching');
    else if (search.status === 'loaded') {
      status = search.hits.length === 0 ? t('knowledge.noResults', { query: search.text.trim() }) : t('knowledge.resultCount', { count: search.hits.length });
    }
    return html`<h3 id="list-heading">${t('knowledge.resultsLabel')}</h3>
      <p class="status" role="status">${status}</p>
      ${search.status === 'failed'
        ? html`<p class="error" role="alert">
            ${t('knowledge.searchFailed', { message: search.error?.message ?? '' })}
            <button type="button" @click=${this.onRetrySearch}>${t('knowledge.retry')}</button>
          </p>`
        : nothing}
      ${this.renderList('list-heading')}`;
  }

  private renderSuggestions() {
    const t = this.i18n.t.bind(this.i18n);
    const suggestions = this.suggestions.value;
    const heading = html`<h3 id="list-heading">${t('knowledge.suggestedLabel')}</h3>`;
    if (this.selectedId.value === null) return html`${heading}<p class="status">${t('knowledge.noConversation')}</p>`;
    let status = '';
    if (suggestions.status === 'loading' && suggestions.hits.length === 0) status = t('knowledge.suggesting');
    else if (suggestions.status === 'loaded' && suggestions.hits.length === 0) status = t('knowledge.noSuggestions');
    return html`${heading}
      <p class="status" role="status">${status}</p>
      ${suggestions.status === 'failed'
        ? html`<p class="error" role="alert">
            ${t('knowledge.suggestionsFailed', { message: suggestions.error?.message ?? '' })}
            <button type="button" @click=${this.onRetrySuggestions}>${t('knowledge.retry')}</button>
          </p>`
        : nothing}
      ${this.renderList('list-heading')}`;
  }

  private renderBrowse() {
    const t = this.i18n.t.bind(this.i18n);
    const search = this.search.value;
    return html`<form part="search" role="search" @submit=${this.onSubmit}>
        <label class="visually-hidden" for="query">${t('knowledge.searchLabel')}</label>
        <input
          id="query"
          part="search-input"
          type="search"
          autocomplete="off"
          enterkeyhint="search"
          .value=${live(search.text)}
          placeholder=${t('knowledge.searchPlaceholder')}
          @input=${this.onQueryInput}
          @keydown=${this.onQueryKeyDown}
        />
      </form>
      <div class="scroll">${this.isSearching ? this.renderResults(search) : this.renderSuggestions()}</div>`;
  }

  private renderBody(article: KnowledgeArticle) {
    const t = this.i18n.t.bind(this.i18n);
    return html`<div part="article-body">
        ${paragraphsOf(article.body).map(
          (paragraph) =>
            html`<p>${templateParts(paragraph).map((part) => (part.kind === 'variable' ? html`<span class="variable">${part.text}</span>` : part.text))}</p>`,
        )}
      </div>
      ${templateVariables(article.body).length > 0 ? html`<p class="hint">${t('knowledge.variablesHint')}</p>` : nothing}`;
  }

  private renderInsert(article: KnowledgeArticle) {
    const t = this.i18n.t.bind(this.i18n);
    const conversationId = this.selectedId.value;
    const current = this.insert.value;
    const insert = current && current.articleId === article.id && current.conversationId === conversationId ? current : null;
    const inserting = insert?.status === 'inserting';
    return html`<div class="actions">
        <button
          part="insert-button"
          type="button"
          ?disabled=${conversationId === null || inserting}
          aria-describedby=${conversationId === null ? 'insert-hint' : nothing}
          @click=${this.onInsert}
        >
          ${t(inserting ? 'knowledge.inserting' : 'knowledge.insert')}
        </button>
      </div>
      ${conversationId === null ? html`<p class="hint" id="insert-hint">${t('knowledge.insertNeedsConversation')}</p>` : nothing}
      <div class="insert-status" role="status">
        ${insert?.status === 'inserted'
          ? html`<p class="hint">${t('knowledge.inserted')}</p>
              ${insert.unfilled.length > 0
                ? html`<ul class="notes">
                    ${insert.unfilled.map((variable) => html`<li>${t(UNFILLED_MESSAGES[variable.reason], { variable: `{${variable.name}}` })}</li>`)}
                  </ul>`
                : nothing}`
          : nothing}
      </div>
      ${insert?.status === 'failed'
        ? html`<p class="error" role="alert">
            ${t('knowledge.insertFailed', { message: insert.error?.message ?? '' })}
            <button type="button" @click=${this.onInsert}>${t('knowledge.retry')}</button>
          </p>`
        : nothing}`;
  }

  private renderFeedback() {
    const t = this.i18n.t.bind(this.i18n);
    const rating = this.rating.value;
    let status = '';
    if (rating?.status === 'saving') status = t('knowledge.feedbackSaving');
    else if (rating?.status === 'saved') status = t('knowledge.feedbackThanks');
    return html`<div part="feedback" role="group" aria-labelledby="feedback-question">
        <span id="feedback-question">${t('knowledge.feedbackQuestion')}</span>
        <button type="button" aria-pressed=${rating?.helpful === true ? 'true' : 'false'} @click=${() => this.rate(true)}>${t('knowledge.helpful')}</button>
        <button type="button" aria-pressed=${rating?.helpful === false ? 'true' : 'false'} @click=${() => this.rate(false)}>
          ${t('knowledge.notHelpful')}
        </button>
        <span class="feedback-status" role="status">${status}</span>
      </div>
      ${rating?.status === 'failed'
        ? html`<p class="error" role="alert">
            ${t('knowledge.feedbackFailed', { message: rating.error?.message ?? '' })}
            <button type="button" @click=${this.onRetryRating}>${t('knowledge.retry')}</button>
          </p>`
        : nothing}`;
  }

  private renderArticle(view: ArticleView) {
    const t = this.i18n.t.bind(this.i18n);
    const { article } = view;
    return html`<div class="scroll">
      <article part="article" aria-labelledby="article-title" @keydown=${this.onArticleKeyDown}>
        <button class="back" part="back-button" type="button" @click=${this.onBack}><span aria-hidden="true">← </span>${t('knowledge.back')}</button>
        ${article
          ? html`<h3 id="article-title" tabindex="-1">${article.title}</h3>
              <p class="meta">${languageName(this.i18n.locale, article.locale)} · ${t('knowledge.updated', { date: formatDay(this.i18n.locale, article.updatedAt) })}</p>`
          : html`<h3 id="article-title" tabindex="-1">${view.status === 'failed' ? t('knowledge.label') : t('knowledge.loadingArticle')}</h3>`}
        ${view.status === 'failed'
          ? html`<p class="error" role="alert">
              ${t('knowledge.articleFailed', { message: view.error?.message ?? '' })}
              <button type="button" @click=${this.onRetryArticle}>${t('knowledge.retry')}</button>
            </p>`
          : nothing}
        ${article ? html`${this.renderBody(article)} ${this.renderInsert(article)} ${this.renderFeedback()}` : nothing}
      </article>
    </div>`;
  }

  protected override render() {
    const t = this.i18n.t.bind(this.i18n);
    const view = this.view.value;
    let content;
    if (!this.available.value) content = html`<p class="status">${t('knowledge.unavailable')}</p>`;
    else content = view ? this.renderArticle(view) : this.renderBrowse();
    return html`<section part="base" aria-labelledby="knowledge-heading">
      <h2 part="heading" id="knowledge-heading">${t('knowledge.label')}</h2>
      ${content}
    </section>`;
  }
}
