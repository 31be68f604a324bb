import '@lit-labs/virtualizer';
import type { RangeChangedEvent } from '@lit-labs/virtualizer';
import type { LitVirtualizer } from '@lit-labs/virtualizer/LitVirtualizer.js';
import { html, LitElement, nothing, type PropertyValues } from 'lit';
import type { Conversation, Customer } from '../../connector/model.js';
import { StoreController } from '../../context/store-controller.js';
import { CcConversationSelectEvent } from '../../events/conversation-select.js';
import { formatTimestamp } from '../../i18n/i18n.js';
import { LocaleController } from '../../i18n/locale-controller.js';
import { CHANNEL_GLYPHS, customerName } from '../../internal/channel.js';
import type { PersistentMap } from '../../internal/persistent-map.js';
import { baseStyles } from '../../internal/shared-styles.js';
import * as actions from '../../store/actions.js';
import type { DeskStore } from '../../store/create-store.js';
import {
  selectConversationEntities,
  selectConversationPaging,
  selectCustomerEntities,
  selectSelectedConversationId,
} from '../../store/selectors.js';
import { sortByUrgency } from './urgency.js';
import { conversationListStyles } from './conversation-list.styles.js';

/** Ask for the next page when the visible range comes this close to the end. */
const LOAD_MORE_THRESHOLD = 10;

/**
 * @summary Every conversation on every channel in one virtualized list, most urgent first.
 *
 * Arrow keys move through the list, Home and End jump to its ends, Enter opens the active conversation.
 *
 * @fires {CcConversationSelectEvent} cc-conversation-select - The agent picked a conversation. Cancelable.
 *
 * @csspart base - The list's container.
 * @csspart heading - The list's heading.
 * @csspart row - One conversation row.
 *
 * @cssprop [--cc-conversation-list-background=var(--cc-color-surface)] - The list's background.
 * @cssprop [--cc-conversation-list-selected-background=var(--cc-color-selected)] - The selected row's background.
 */
export class CcConversationList extends LitElement {
  static override styles = [baseStyles, conversationListStyles];

  static override properties = {
    store: { attribute: false },
    activeIndex: { state: true },
  };

  /** The desk store, when the list is used outside `<cc-workspace>`; inside it, the store comes from context. */
  declare store: DeskStore | undefined;
  declare private activeIndex: number;

  private readonly i18n = new LocaleController(this);
  private readonly entities = new StoreController(this, selectConversationEntities, null as PersistentMap<Conversation> | null);
  private readonly customers = new StoreController(this, selectCustomerEntities, null as PersistentMap<Customer> | null);
  private readonly selectedId = new StoreController(this, selectSelectedConversationId, null);
  private readonly paging = new StoreController(this, selectConversationPaging, null);
  private ordered: readonly Conversation[] = [];
  private orderedFrom: PersistentMap<Conversation> | null = null;

  constructor() {
    super();
    this.store = undefined;
    this.activeIndex = 0;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('store')) {
      for (const controller of [this.entities, this.customers, this.selectedId, this.paging]) controller.setStore(this.store);
    }
    const entities = this.entities.value;
    if (entities !== this.orderedFrom) {
      this.orderedFrom = entities;
      this.ordered = entities ? sortByUrgency(entities.values()) : [];
      if (this.activeIndex >= this.ordered.length) this.activeIndex = Math.max(0, this.ordered.length - 1);
    }
  }

  /** Opens the conversation at `index` as if the agent had picked it. */
  selectIndex(index: number): void {
    const conversation = this.ordered[index];
    if (!conversation) return;
    this.activeIndex = index;
    const event = new CcConversationSelectEvent({ conversationId: conversation.id, customerId: conversation.customerId });
    if (!this.dispatchEvent(event)) return;
    this.entities.dispatch(actions.conversationSelected({ conversationId: conversation.id }));
  }

  private get virtualizer(): LitVirtualizer | null {
    return this.renderRoot.querySelector('lit-virtualizer');
  }

  private moveActive(index: number): void {
    if (this.ordered.length === 0) return;
    this.activeIndex = Math.min(Math.max(index, 0), this.ordered.length - 1);
    this.virtualizer?.element(this.activeIndex)?.scrollIntoView({ block: 'nearest' });
  }

  private readonly onKeyDown = (event: KeyboardEvent): void => {
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

  private renderRow = (conversation: Conversation, index: number) => {
    const { t, locale } = { t: this.i18n.t.bind(this.i18n), locale: this.i18n.locale };
    const customer = this.customers.value?.get(conversation.customerId);
    const name = customerName(customer, t('list.unknownCustomer'));
    const selected = conversation.id === this.selectedId.value;
    const channel = t(`channel.${conversation.channel}`);
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
        ${customer && customer.vipLevel > 0 ? html`<span class="vip">${t('list.vip', { level: customer.vipLevel })}</span>` : nothing}
        ${conversation.priority === 'urgent' || conversation.priority === 'high'
          ? html`<span class="visually-hidden">${t(`priority.${conversation.priority}`)}</span>`
          : nothing}
        ${conversation.unreadCount > 0
          ? html`<span class="unread" aria-label=${t('list.unread', { count: conversation.unreadCount })}>${conversation.unreadCount}</span>`
          : nothing}
      </span>
    </div>`;
  };

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

  protected override render() {
    const t = this.i18n.t.bind(this.i18n);
    return html`<section part="base" aria-labelledby="heading">
      <h2 part="heading" id="heading">${t('list.label')}</h2>
      ${this.ordered.length === 0 && this.entities.value
        ? html`<div class="empty">${t('list.empty')}</div>`
        : html`<lit-virtualizer
            scroller
            role="listbox"
            tabindex="0"
            aria-labelledby="heading"
            aria-activedescendant=${this.ordered.length > 0 ? `row-${this.activeIndex}` : nothing}
            .items=${this.ordered}
            .keyFunction=${(conversation: Conversation) => conversation.id}
            .renderItem=${this.renderRow}
            @keydown=${this.onKeyDown}
            @rangeChanged=${this.onRangeChanged}
          ></lit-virtualizer>`}
      ${this.renderStatus()}
    </section>`;
  }
}
