import '@lit-labs/virtualizer';
import type { RangeChangedEvent } from '@lit-labs/virtualizer';
import type { LitVirtualizer } from '@lit-labs/virtualizer/LitVirtualizer.js';
import { html, LitElement, nothing, type PropertyValues } from 'lit';
import { live } from 'lit/directives/live.js';
import type { ConversationScope } from '../../connector/connector.js';
import { CHANNELS, CONVERSATION_STATUSES } from '../../connector/model.js';
import type { Channel, Conversation, ConversationStatus, Customer, WorkOffer } from '../../connector/model.js';
import { StoreController } from '../../context/store-controller.js';
import { CcConversationSelectEvent } from '../../events/conversation-select.js';
import { CcOfferAcceptedEvent } from '../../events/offer-accepted.js';
import { CcOfferDeclinedEvent } from '../../events/offer-declined.js';
import { formatCountdown, formatTimestamp } from '../../i18n/i18n.js';
import { LocaleController } from '../../i18n/locale-controller.js';
import { CHANNEL_GLYPHS, customerName } from '../../internal/channel.js';
import { ClockController } from '../../internal/clock-controller.js';
import type { PersistentMap } from '../../store/persistent-map.js';
import { baseStyles } from '../../internal/shared-styles.js';
import * as actions from '../../store/actions.js';
import * as offerActions from '../../store/actions-offers.js';
import type { DeskStore } from '../../store/create-store.js';
import { createSelector } from '../../store/select.js';
import {
  selectCapabilities,
  selectConversationEntities,
  selectConversationPaging,
  selectCustomerEntities,
  selectSelectedConversationId,
} from '../../store/selectors.js';
import { selectFailedOfferRequests, selectOfferOutcomes, selectOfferRequests, selectOffers } from '../../store/selectors-offers.js';
import type { OfferRequest } from '../../store/slices/offers.js';
import type { DeskState } from '../../store/state.js';
import { applyFilters, hasFilters, LIST_SCOPES, LIST_SORTS, NO_FILTERS, type ListFilters, type ListSort, reorderChanged } from './list-filter.js';
import { readSla } from './sla.js';
import { conversationListStyles } from './conversation-list.styles.js';

/** Beyond this many changed conversations at once (a page, a snapshot), sorting again is cheaper than moving each. */
const INCREMENTAL_LIMIT = 256;

/** Ask for the next page when the visible range comes this close to the end. */
const LOAD_MORE_THRESHOLD = 10;
/** Typing pauses this long before the list is searched again. */
const SEARCH_DEBOUNCE_MS = 200;
/** An offer this close to expiring is marked as such. */
const OFFER_EXPIRING_MS = 10_000;

const selectAgentId = (state: DeskState): string | null => state.agent.agent?.id ?? null;
/** The agent's queues as one string, so an `agent.updated` that only changes the load does not re-filter the list. */
const selectAgentQueuesKey = createSelector([(state: DeskState) => state.agent.agent], (agent) => (agent ? agent.queues.join('\n') : ''));

/** True when a keydown is the combination written as `Alt+A` (modifiers Ctrl, Alt, Shift, Meta; letters by key position). */
function matchesCombo(event: KeyboardEvent, combo: string): boolean {
  const parts = combo.split('+').map((part) => part.trim().toLowerCase());
  const key = parts.pop();
  if (!key) return false;
  const wants = (modifier: string) => parts.includes(modifier);
  if (event.altKey !== wants('alt') || event.ctrlKey !== wants('ctrl') || event.shiftKey !== wants('shift') || event.metaKey !== wants('meta')) {
    return false;
  }
  // With Alt held, macOS reports a symbol as `key` (Alt+A → "å"); the physical key is in `code`.
  const pressed = /^Key[A-Z]$/.test(event.code) ? event.code.slice(3).toLowerCase() : /^Digit\d$/.test(event.code) ? event.code.slice(5) : event.key.toLowerCase();
  return pressed === key;
}

/**
 * @summary Every conversation on every channel in one virtualized list, with filters, search, live SLA timers and work offers.
 *
 * Arrow keys move through the list, Home and End jump to its ends, Enter opens the active conversation. Work
 * offers wait above the list with Accept and Decline; Alt+A (see `accept-offer-key`) accepts the first one from
 * anywhere in the list. Each waiting conversation shows how long is left for the first response, and how long it
 * is overdue once it is.
 *
 * @fires {CcConversationSelectEvent} cc-conversation-select - The agent picked a conversation. Cancelable.
 * @fires {CcOfferAcceptedEvent} cc-offer-accepted - The backend gave the agent an offered conversation; it is opened.
 * @fires {CcOfferDeclinedEvent} cc-offer-declined - The backend took back an offer the agent declined.
 *
 * @csspart base - The list's container.
 * @csspart heading - The list's heading.
 * @csspart filters - The search box and filters.
 * @csspart offers - The work offers above the list.
 * @csspart offer - One work offer.
 * @csspart offer-accept - An offer's Accept button.
 * @csspart offer-decline - An offer's Decline button.
 * @csspart row - One conversation row.
 * @csspart sla - A row's first-response timer.
 *
 * @cssprop [--cc-conversation-list-background=var(--cc-color-surface)] - The list's background.
 * @cssprop [--cc-conversation-list-selected-background=var(--cc-color-selected)] - The selected row's background.
 * @cssprop [--cc-conversation-list-offer-background=#eef5ff] - A work offer's background.
 * @cssprop [--cc-conversation-list-sla-warning-color=#8a4b00] - The text of a timer about to run out.
 * @cssprop [--cc-conversation-list-sla-warning-background=#fff1d6] - The background of a timer about to run out.
 * @cssprop [--cc-conversation-list-sla-breach-color=#fff] - The text of an overdue timer.
 * @cssprop [--cc-conversation-list-sla-breach-background=#b3261e] - The background of an overdue timer.
 */
export class CcConversationList extends LitElement {
  static override styles = [baseStyles, conversationListStyles];

  static override properties = {
    store: { attribute: false },
    acceptOfferKey: { attribute: 'accept-offer-key' },
    activeIndex: { state: true },
    filters: { state: true },
    searchInput: { state: true },
  };

  /** The desk store, when the list is used outside `<cc-workspace>`; inside it, the store comes from context. */
  declare store: DeskStore | undefined;
  /** The keys that accept the first work offer while focus is in the list, as `Alt+A`; empty turns them off. */
  declare acceptOfferKey: string;
  declare private activeIndex: number;
  /** The conversation under the keyboard cursor: the index follows it when the order changes. */
  private activeId: string | null = null;
  /** How many times the whole list was sorted; read by tests to show that an event moves rows without a sort. */
  private orderComputations = 0;
  declare private filters: ListFilters;
  /** What is in the search box; it becomes `filters.text` once typing pauses. */
  declare private searchInput: string;

  private readonly i18n = new LocaleController(this);
  private readonly clock = new ClockController(this, 1000);
  private readonly entities = new StoreController(this, selectConversationEntities, null as PersistentMap<Conversation> | null);
  private readonly customers = new StoreController(this, selectCustomerEntities, null as PersistentMap<Customer> | null);
  private readonly selectedId = new StoreController(this, selectSelectedConversationId, null);
  private readonly paging = new StoreController(this, selectConversationPaging, null);
  private readonly capabilities = new StoreController(this, selectCapabilities, null);
  private readonly agentId = new StoreController(this, selectAgentId, null);
  private readonly agentQueues = new StoreController(this, selectAgentQueuesKey, '');
  private readonly offers = new StoreController(this, selectOffers, [] as readonly WorkOffer[]);
  private readonly offerRequests = new StoreController(this, selectOfferRequests, null as PersistentMap<OfferRequest> | null);
  private readonly failedOffers = new StoreController(this, selectFailedOfferRequests, []);
  private readonly offerOutcomes = new StoreController(this, selectOfferOutcomes, []);
  private readonly controllers = [
    this.entities,
    this.customers,
    this.selectedId,
    this.paging,
    this.capabilities,
    this.agentId,
    this.agentQueues,
    this.offers,
    this.offerRequests,
    this.failedOffers,
    this.offerOutcomes,
  ];

  private ordered: readonly Conversation[] = [];
  /** The inputs `ordered` was computed from; the clock is not among them, so ticking never re-sorts. */
  private orderedFrom: readonly unknown[] = [];
  private seenSelectedId: string | null = null;
  /** Offers this element asked to accept or decline, so it reports their outcome (and only theirs) to the host. */
  private readonly requestedOffers = new Set<string>();
  private seenOutcome = 0;
  /** The offer the agent acted on from the offers area: once it is gone, focus goes somewhere useful instead of the page. */
  private offerFocusToRestore: string | null = null;
  private searchTimer: ReturnType<typeof setTimeout> | undefined;

  constructor() {
    super();
    this.store = undefined;
    this.acceptOfferKey = 'Alt+A';
    this.activeIndex = 0;
    this.filters = NO_FILTERS;
    this.searchInput = '';
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.addEventListener('keydown', this.onHostKeyDown);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.removeEventListener('keydown', this.onHostKeyDown);
    clearTimeout(this.searchTimer);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('store')) for (const controller of this.controllers) controller.setStore(this.store);
    this.updateOrder();
    const selectedId = this.selectedId.value;
    if (selectedId !== this.seenSelectedId) {
      this.seenSelectedId = selectedId;
      // Follow a selection made elsewhere (an accepted offer, a shortcut), so the keys carry on from there.
      const index = selectedId === null ? -1 : this.ordered.findIndex((conversation) => conversation.id === selectedId);
      if (index !== -1) this.setActive(index);
    }
  }

  protected override updated(): void {
    this.reportOfferOutcomes();
    this.restoreOfferFocus();
  }

  /** Opens the conversation at `index` (in the order shown) as if the agent had picked it. */
  selectIndex(index: number): void {
    const conversation = this.ordered[index];
    if (!conversation) return;
    this.setActive(index);
    const event = new CcConversationSelectEvent({ conversationId: conversation.id, customerId: conversation.customerId });
    if (!this.dispatchEvent(event)) return;
    this.entities.dispatch(actions.conversationSelected({ conversationId: conversation.id }));
  }

  /**
   * Accepts the work offer at the top (the first to expire), as the Accept button would. Returns false when no
   * offer is waiting. Does nothing more while that offer's answer is still on its way.
   */
  acceptTopOffer(): boolean {
    const top = this.liveOffers(Date.now())[0];
    if (!top) return false;
    if (this.renderRoot.querySelector('[part="offers"]')?.contains(this.shadowRoot?.activeElement ?? null)) this.offerFocusToRestore = top.id;
    this.requestOffer(top.id, 'accept');
    return true;
  }

  /** Moves focus to the list of conversations. */
  override focus(options?: FocusOptions): void {
    const listbox = this.listbox;
    if (listbox) listbox.focus(options);
    else super.focus(options);
  }

  private get listbox(): HTMLElement | null {
    return this.renderRoot.querySelector<HTMLElement>('[role="listbox"]');
  }

  private get virtualizer(): LitVirtualizer | null {
    return this.renderRoot.querySelector('lit-virtualizer');
  }

  /** Filters and sorts only when what they depend on changed: entities, filters, the viewer, names (when searching). */
  private setActive(index: number): void {
    this.activeIndex = index;
    this.activeId = this.ordered[index]?.id ?? null;
  }

  /**
   * Keeps the loaded conversations filtered and in order. A full sort costs O(n log n), milliseconds at
   * 10,000, so when only some conversations changed (the common case: one event) the changed ones are moved
   * to their places instead, found by diffing the two versions of the conversation map.
   */
  private updateOrder(): void {
    const entities = this.entities.value;
    const inputs = [
      entities,
      this.filters,
      this.agentId.value,
      this.agentQueues.value,
      this.filters.text.trim() === '' ? null : this.customers.value,
    ];
    if (inputs.length === this.orderedFrom.length && inputs.every((input, index) => Object.is(input, this.orderedFrom[index]))) return;
    const previous = this.orderedFrom[0] as PersistentMap<Conversation> | null | undefined;
    const onlyConversationsChanged =
      this.orderedFrom.length === inputs.length && inputs.every((input, index) => index === 0 || Object.is(input, this.orderedFrom[index]));
    this.orderedFrom = inputs;
    const customers = this.customers.value;
    const unknown = this.i18n.t('list.unknownCustomer');
    const viewer = {
      agentId: this.agentId.value,
      queues: new Set(this.agentQueues.value === '' ? [] : this.agentQueues.value.split('\n')),
      customerName: (customerId: string) => customerName(customers?.get(customerId), unknown),
    };
    const changes: Array<readonly [Conversation | undefined, Conversation | undefined]> = [];
    if (onlyConversationsChanged && previous && entities) {
      entities.diff(previous, (_id, before, after) => {
        if (changes.length <= INCREMENTAL_LIMIT) changes.push([before, after]);
      });
    }
    if (onlyConversationsChanged && previous && entities && changes.length <= INCREMENTAL_LIMIT) {
      const ordered = this.ordered.slice();
      reorderChanged(ordered, changes, this.filters, viewer);
      this.ordered = ordered;
    } else {
      this.orderComputations += 1;
      this.ordered = entities ? applyFilters(entities.values(), this.filters, viewer) : [];
    }
    // The cursor stays on its conversation when the order moves under it.
    const followed = this.activeId === null ? -1 : this.ordered.findIndex((conversation) => conversation.id === this.activeId);
    this.setActive(followed !== -1 ? followed : Math.min(this.activeIndex, Math.max(0, this.ordered.length - 1)));
  }

  private setFilters(change: Partial<ListFilters>): void {
    this.filters = { ...this.filters, ...change };
    this.activeId = null;
    this.activeIndex = 0;
  }

  /** Offers still open at `now`; an expired one is gone even before the backend says so. */
  private liveOffers(now: number): readonly WorkOffer[] {
    return this.offers.value.filter((offer) => offer.expiresAt > now);
  }

  private requestOffer(offerId: string, kind: 'accept' | 'decline'): void {
    if (this.offerRequests.value?.get(offerId)?.status === 'pending') return;
    this.requestedOffers.add(offerId);
    this.entities.dispatch(
      kind === 'accept' ? offerActions.offerAcceptRequested({ offerId }) : offerActions.offerDeclineRequested({ offerId }),
    );
  }

  /** Tells the host about offers this element settled, once each. */
  private reportOfferOutcomes(): void {
    for (const outcome of this.offerOutcomes.value) {
      if (outcome.n <= this.seenOutcome) continue;
      this.seenOutcome = outcome.n;
      if (!this.requestedOffers.delete(outcome.offerId)) continue;
      if (outcome.outcome === 'accepted' && outcome.conversationId !== null) {
        this.dispatchEvent(new CcOfferAcceptedEvent({ offerId: outcome.offerId, conversationId: outcome.conversationId }));
      } else if (outcome.outcome === 'declined') {
        this.dispatchEvent(new CcOfferDeclinedEvent({ offerId: outcome.offerId, conversationId: outcome.conversationId }));
      }
    }
    // A refused request is over too: only a new click asks again.
    for (const offerId of this.requestedOffers) {
      if (this.offerRequests.value?.get(offerId)?.status !== 'pending') this.requestedOffers.delete(offerId);
    }
  }

  private moveActive(index: number): void {
    if (this.ordered.length === 0) return;
    this.setActive(Math.min(Math.max(index, 0), this.ordered.length - 1));
    this.virtualizer?.element(this.activeIndex)?.scrollIntoView({ block: 'nearest' });
  }

  private readonly onHostKeyDown = (event: KeyboardEvent): void => {
    if (!this.acceptOfferKey || event.defaultPrevented || !matchesCombo(event, this.acceptOfferKey)) return;
    if (this.liveOffers(Date.now()).length === 0) return;
    event.preventDefault();
    this.acceptTopOffer();
  };

  private readonly onKeyDown = (event: KeyboardEvent): void => {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    const page = 10;
    const moves: Record<string, () => void> = {
      ArrowDown: () => this.moveActive(this.activeIndex + 1),
      ArrowUp: () => this.moveActive(this.activeIndex - 1),
      PageDown: () => this.moveActive(this.activeIndex + page),
      PageUp: () => this.moveActive(this.activeIndex - page),
      Home: () => this.moveActive(0),
      End: () => this.moveActive(this.ordered.length - 1),
      Enter: () => this.selectIndex(this.activeIndex),
      ' ': () => this.selectIndex(this.activeIndex),
    };
    const move = moves[event.key];
    if (!move) return;
    event.preventDefault();
    move();
  };

  private readonly onRangeChanged = (event: RangeChangedEvent): void => {
    const paging = this.paging.value;
    if (!paging || !paging.hasMore || paging.status === 'loading' || paging.status === 'failed') return;
    if (event.last >= this.ordered.length - LOAD_MORE_THRESHOLD) this.entities.dispatch(actions.moreConversationsRequested());
  };

  private readonly onRetry = (): void => {
    this.entities.dispatch(actions.moreConversationsRequested());
  };

  private readonly onSearchInput = (event: InputEvent): void => {
    this.searchInput = (event.target as HTMLInputElement).value;
    clearTimeout(this.searchTimer);
    this.searchTimer = setTimeout(() => this.setFilters({ text: this.searchInput }), SEARCH_DEBOUNCE_MS);
  };

  private readonly onSearchKeyDown = (event: KeyboardEvent): void => {
    if (event.key === 'Escape' && this.searchInput !== '') {
      event.preventDefault();
      clearTimeout(this.searchTimer);
      this.searchInput = '';
      this.setFilters({ text: '' });
    } else if (event.key === 'ArrowDown' && this.ordered.length > 0) {
      // From the search box straight into the results.
      event.preventDefault();
      clearTimeout(this.searchTimer);
      if (this.filters.text !== this.searchInput) this.setFilters({ text: this.searchInput });
      void this.updateComplete.then(() => this.listbox?.focus());
    }
  };

  private readonly onScopeChange = (event: Event): void => {
    this.setFilters({ scope: (event.target as HTMLInputElement).value as ConversationScope });
  };

  private readonly onStatusChange = (event: Event): void => {
    this.setFilters({ status: (event.target as HTMLSelectElement).value as ConversationStatus | 'any' });
  };

  private readonly onSortChange = (event: Event): void => {
    this.setFilters({ sort: (event.target as HTMLSelectElement).value as ListSort });
  };

  private readonly onChannelToggle = (event: Event): void => {
    const input = event.target as HTMLInputElement;
    const channel = input.value as Channel;
    const others = this.filters.channels.filter((existing) => existing !== channel);
    this.setFilters({ channels: input.checked ? [...others, channel] : others });
  };

  private readonly onClearFilters = (): void => {
    clearTimeout(this.searchTimer);
    this.searchInput = '';
    this.filters = { ...NO_FILTERS, sort: this.filters.sort };
    this.activeId = null;
    this.activeIndex = 0;
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLInputElement>('input[type="search"]')?.focus());
  };

  private onOfferButton(offerId: string, kind: 'accept' | 'decline'): void {
    this.offerFocusToRestore = offerId;
    this.requestOffer(offerId, kind);
  }

  private restoreOfferFocus(): void {
    const offerId = this.offerFocusToRestore;
    if (offerId === null) return;
    const request = this.offerRequests.value?.get(offerId);
    if (request?.status === 'failed') {
      // The offer stays, with the reason beside it: focus stays where the agent is.
      this.offerFocusToRestore = null;
      return;
    }
    if (this.renderRoot.querySelector(`[part="offer"][data-offer-id="${CSS.escape(offerId)}"]`)) return;
    this.offerFocusToRestore = null;
    const active = this.shadowRoot?.activeElement;
    // Focus went with the offer's buttons (or was never moved by a click): the next offer, else the list.
    if (!active || !active.isConnected) (this.renderRoot.querySelector<HTMLElement>('[part="offer-accept"]') ?? this.listbox)?.focus();
  }

  private readonly renderRow = (conversation: Conversation, index: number, now: number) => {
    const t = this.i18n.t.bind(this.i18n);
    const locale = this.i18n.locale;
    const customer = this.customers.value?.get(conversation.customerId);
    const name = customerName(customer, t('list.unknownCustomer'));
    const selected = conversation.id === this.selectedId.value;
    const channel = t(`channel.${conversation.channel}`);
    const sla = readSla(conversation, now);
    const important = conversation.priority === 'urgent' || conversation.priority === 'high';
    const vip = customer !== undefined && customer.vipLevel > 0;
    return html`<div
      part="row"
      role="option"
      id=${`row-${index}`}
      class="row priority-${conversation.priority} ${index === this.activeIndex ? 'active' : ''}"
      aria-selected=${selected ? 'true' : 'false'}
      aria-posinset=${index + 1}
      aria-setsize=${this.ordered.length}
      data-conversation-id=${conversation.id}
      @click=${() => this.selectIndex(index)}
    >
      <span class="channel" title=${channel} aria-hidden="true">${CHANNEL_GLYPHS[conversation.channel]}</span>
      <span class="name"><span class="visually-hidden">${channel}: </span>${name}</span>
      <span class="time">${formatTimestamp(locale, conversation.lastMessageAt)}</span>
      <span class="preview">${conversation.lastMessagePreview || t('list.noMessages')}</span>
      <span class="badges">
        ${conversation.unreadCount > 0
          ? html`<span class="unread" aria-label=${t('list.unread', { count: conversation.unreadCount })}>${conversation.unreadCount}</span>`
          : nothing}
      </span>
      ${sla || important || vip
        ? html`<span class="meta">
            ${vip ? html`<span class="vip">${t('list.vip', { level: customer.vipLevel })}</span>` : nothing}
            ${important ? html`<span class="priority">${t(`priority.${conversation.priority}`)}</span>` : nothing}
            ${sla
              ? html`<span part="sla" class="sla sla-${sla.level}" data-level=${sla.level}
                  >${sla.level === 'breach'
                    ? t('conversationList.slaBreach', { time: formatCountdown(locale, sla.remainingMs) })
                    : sla.level === 'warning'
                      ? t('conversationList.slaWarning', { time: formatCountdown(locale, sla.remainingMs) })
                      : t('conversationList.slaDue', { time: formatCountdown(locale, sla.remainingMs) })}</span
                >`
              : nothing}
          </span>`
        : nothing}
    </div>`;
  };

  private renderOffer(offer: WorkOffer, index: number, now: number) {
    const t = this.i18n.t.bind(this.i18n);
    const request = this.offerRequests.value?.get(offer.id);
    const pending = request?.status === 'pending';
    const channel = t(`channel.${offer.channel}`);
    const name = customerName(this.customers.value?.get(offer.customerId), t('list.unknownCustomer'));
    const conversation = this.entities.value?.get(offer.conversationId);
    const remaining = offer.expiresAt - now;
    const describedBy = `offer-${index}-text offer-${index}-timer`;
    return html`<li part="offer" class="offer" data-offer-id=${offer.id}>
      <span class="channel" aria-hidden="true">${CHANNEL_GLYPHS[offer.channel]}</span>
      <span class="offer-text" id=${`offer-${index}-text`}>
        <span class="offer-from">${t('conversationList.offerFrom', { channel, name })}</span>
        ${conversation?.lastMessagePreview ? html`<span class="preview">${conversation.lastMessagePreview}</span>` : nothing}
      </span>
      <span class="offer-timer ${remaining < OFFER_EXPIRING_MS ? 'expiring' : ''}" id=${`offer-${index}-timer`}
        >${t('conversationList.offerExpires', { time: formatCountdown(this.i18n.locale, remaining) })}</span
      >
      <span class="offer-actions">
        <button
          type="button"
          part="offer-accept"
          class="accept"
          aria-describedby=${describedBy}
          aria-disabled=${pending ? 'true' : 'false'}
          aria-keyshortcuts=${index === 0 && this.acceptOfferKey ? this.acceptOfferKey : nothing}
          @click=${() => this.onOfferButton(offer.id, 'accept')}
        >
          ${pending && request.kind === 'accept' ? t('conversationList.offerAccepting') : t('conversationList.offerAccept')}
        </button>
        <button
          type="button"
          part="offer-decline"
          class="decline"
          aria-describedby=${describedBy}
          aria-disabled=${pending ? 'true' : 'false'}
          @click=${() => this.onOfferButton(offer.id, 'decline')}
        >
          ${pending && request.kind === 'decline' ? t('conversationList.offerDeclining') : t('conversationList.offerDecline')}
        </button>
      </span>
    </li>`;
  }

  private renderOfferFailure(offerId: string, request: OfferRequest) {
    const t = this.i18n.t.bind(this.i18n);
    const offer = request.offer;
    const name = offer
      ? t('conversationList.offerFrom', {
          channel: t(`channel.${offer.channel}`),
          name: customerName(this.customers.value?.get(offer.customerId), t('list.unknownCustomer')),
        })
      : offerId;
    const key = request.kind === 'accept' ? 'conversationList.offerAcceptFailed' : 'conversationList.offerDeclineFailed';
    return html`<div class="offer-error" role="alert" data-offer-id=${offerId}>
      <span>${t(key, { name, message: request.error?.message ?? '' })}</span>
      <button type="button" @click=${() => this.entities.dispatch(offerActions.offerErrorDismissed({ offerId }))}>
        ${t('conversationList.dismiss')}
      </button>
    </div>`;
  }

  private renderOffers(now: number) {
    const t = this.i18n.t.bind(this.i18n);
    const offers = this.liveOffers(now);
    const failures = this.failedOffers.value;
    return html`<section class="offers" part="offers" aria-labelledby="offers-heading" ?hidden=${offers.length === 0 && failures.length === 0}>
      <div class="offers-header">
        <h3 id="offers-heading">${t('conversationList.offers')}</h3>
        ${offers.length > 0 && this.acceptOfferKey ? html`<span class="hint">${t('conversationList.offerShortcut', { keys: this.acceptOfferKey })}</span>` : nothing}
      </div>
      <div class="visually-hidden" role="status">
        ${offers.length === 0 ? t('conversationList.offersNone') : offers.length === 1 ? t('conversationList.offersOne') : t('conversationList.offersCount', { count: offers.length })}
      </div>
      ${offers.length > 0 ? html`<ul class="offer-list">${offers.map((offer, index) => this.renderOffer(offer, index, now))}</ul>` : nothing}
      ${failures.map(({ offerId, request }) => this.renderOfferFailure(offerId, request))}
    </section>`;
  }

  private renderFilters() {
    const t = this.i18n.t.bind(this.i18n);
    const filters = this.filters;
    const channels = this.capabilities.value?.channels ?? CHANNELS;
    return html`<div class="filters" part="filters" role="search" aria-label=${t('conversationList.filters')}>
      <label class="search">
        <span class="visually-hidden">${t('conversationList.search')}</span>
        <input
          type="search"
          .value=${live(this.searchInput)}
          placeholder=${t('conversationList.searchPlaceholder')}
          autocomplete="off"
          @input=${this.onSearchInput}
          @keydown=${this.onSearchKeyDown}
        />
      </label>
      <div class="filter-row">
        <fieldset class="scope">
          <legend class="visually-hidden">${t('conversationList.scope')}</legend>
          ${LIST_SCOPES.map(
            (scope) => html`<label class="segment">
              <input type="radio" name="scope" value=${scope} .checked=${live(filters.scope === scope)} @change=${this.onScopeChange} />
              <span>${t(`conversationList.scope.${scope}`)}</span>
            </label>`,
          )}
        </fieldset>
        <label class="select">
          <span class="visually-hidden">${t('conversationList.status')}</span>
          <select name="status" .value=${live(filters.status)} @change=${this.onStatusChange}>
            <option value="any" ?selected=${filters.status === 'any'}>${t('conversationList.status.any')}</option>
            ${CONVERSATION_STATUSES.map(
              (status) => html`<option value=${status} ?selected=${filters.status === status}>${t(`status.${status}`)}</option>`,
            )}
          </select>
        </label>
        <label class="select">
          <span class="visually-hidden">${t('conversationList.sort')}</span>
          <select name="sort" .value=${live(filters.sort)} @change=${this.onSortChange}>
            ${LIST_SORTS.map((sort) => html`<option value=${sort} ?selected=${filters.sort === sort}>${t(`conversationList.sort.${sort}`)}</option>`)}
          </select>
        </label>
        <details class="channels">
          <summary>
            ${filters.channels.length === 0
              ? t('conversationList.channelsAll')
              : t('conversationList.channelsSome', { count: filters.channels.length })}
          </summary>
          <fieldset>
            <legend class="visually-hidden">${t('conversationList.channels')}</legend>
            ${channels.map(
              (channel) => html`<label class="channel-option">
                <input
                  type="checkbox"
                  name="channel"
                  value=${channel}
                  .checked=${live(filters.channels.includes(channel))}
                  @change=${this.onChannelToggle}
                />
                <span aria-hidden="true">${CHANNEL_GLYPHS[channel]}</span>
                ${t(`channel.${channel}`)}
              </label>`,
            )}
          </fieldset>
        </details>
      </div>
    </div>`;
  }

  private renderStatus() {
    const paging = this.paging.value;
    if (paging?.status === 'loading') return html`<div class="status" role="status">${this.i18n.t('list.loadingMore')}</div>`;
    if (paging?.status === 'failed') {
      return html`<div class="status" role="alert">
        ${this.i18n.t('list.loadMoreFailed', { message: paging.error?.message ?? '' })}
        <button @click=${this.onRetry}>${this.i18n.t('list.retry')}</button>
      </div>`;
    }
    return nothing;
  }

  private renderList(now: number) {
    const t = this.i18n.t.bind(this.i18n);
    if (this.ordered.length === 0 && this.entities.value) {
      return hasFilters(this.filters)
        ? html`<div class="empty">
            ${t('conversationList.noMatch')}
            <button type="button" @click=${this.onClearFilters}>${t('conversationList.clearFilters')}</button>
          </div>`
        : html`<div class="empty">${t('list.empty')}</div>`;
    }
    // A new renderItem each render (each clock tick) makes the virtualizer re-render its visible rows only.
    return html`<lit-virtualizer
      scroller
      role="listbox"
      tabindex="0"
      aria-labelledby="heading"
      aria-activedescendant=${this.ordered.length > 0 ? `row-${this.activeIndex}` : nothing}
      .items=${this.ordered}
      .keyFunction=${(conversation: Conversation) => conversation.id}
      .renderItem=${(conversation: Conversation, index: number) => this.renderRow(conversation, index, now)}
      @keydown=${this.onKeyDown}
      @rangeChanged=${this.onRangeChanged}
    ></lit-virtualizer>`;
  }

  protected override render() {
    const t = this.i18n.t.bind(this.i18n);
    const now = this.clock.now;
    return html`<section part="base" aria-labelledby="heading">
      <div class="header">
        <h2 part="heading" id="heading">${t('list.label')}</h2>
        ${this.entities.value ? html`<span class="count">${t('conversationList.shown', { count: this.ordered.length })}</span>` : nothing}
      </div>
      ${this.renderOffers(now)} ${this.renderFilters()} ${this.renderList(now)} ${this.renderStatus()}
    </section>`;
  }
}
