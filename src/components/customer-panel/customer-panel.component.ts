import { html, LitElement, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { live } from 'lit/directives/live.js';
import { CHANNELS, type Channel, type Customer, type Identity, type Ticket } from '../../connector/model.js';
import { MASKED_IDENTITY_KINDS } from '../../connector/masking.js';
import { identityRevealRequested } from '../../store/actions-access.js';
import { NO_ACCESS, selectAccess, selectPanelReveals } from '../../store/selectors-access.js';
import type { RevealedIdentity } from '../../store/slices/access.js';
import { StoreController } from '../../context/store-controller.js';
import { CcConversationSelectEvent } from '../../events/conversation-select.js';
import { CcCustomerMergedEvent } from '../../events/customer-merged.js';
import { CcScreenPopEvent } from '../../events/screen-pop.js';
import { formatTimestamp, type MessageKey } from '../../i18n/i18n.js';
import { LocaleController } from '../../i18n/locale-controller.js';
import { CHANNEL_GLYPHS, customerName, initialsOf } from '../../internal/channel.js';
import { PersistentMap } from '../../store/persistent-map.js';
import { baseStyles } from '../../internal/shared-styles.js';
import * as actions from '../../store/actions.js';
import * as customer360 from '../../store/actions-customer360.js';
import type { DeskStore } from '../../store/create-store.js';
import type { ErrorInfo } from '../../store/errors.js';
import {
  resolveMergedCustomerId,
  selectCustomerFeatures,
  selectMergedInto,
  selectPanelCustomer,
  selectPanelCustomerId,
  selectPanelDetail,
  selectPanelOpenTickets,
  selectPanelTimeline,
  selectScreenPopTarget,
  selectSelectedElsewhereError,
  type TimelineEntry,
} from '../../store/selectors-customer360.js';
import { selectSelectedConversationId } from '../../store/selectors.js';
import type { CustomerDetail, SaveState } from '../../store/slices/customer360.js';
import { rasterAvatarUrl } from './avatar.js';
import { customerPanelStyles } from './customer-panel.styles.js';

/** The longest tag the panel accepts; the MemoryConnector's limit, and a sensible one for any backend. */
const MAX_TAG_LENGTH = 50;

const sinceFormats = new Map<string, Intl.DateTimeFormat>();
function formatSince(locale: string, epochMs: number): string {
  let format = sinceFormats.get(locale);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, { dateStyle: 'medium' });
    sinceFormats.set(locale, format);
  }
  return format.format(epochMs);
}

/**
 * @summary The 360 profile of the selected conversation's customer: identities on every channel, VIP level,
 * tags, notes, the cross-channel history, open tickets, and possible duplicate profiles to merge.
 *
 * Selecting a conversation or a call brings its customer up (a screen pop). Choosing an entry of the history opens
 * that conversation. The panel hides itself when the backend has no customer profiles, and offers no merge when
 * it cannot merge.
 *
 * @slot crm-fields - The host's own CRM fields for the customer, shown below the profile.
 *
 * @fires {CcScreenPopEvent} cc-screen-pop - A newly selected conversation or call brought up a customer; once per customer change.
 * @fires {CcConversationSelectEvent} cc-conversation-select - The agent opened a conversation from the history. Cancelable.
 * @fires {CcCustomerMergedEvent} cc-customer-merged - The agent merged a duplicate profile into the customer shown.
 *
 * @csspart base - The panel's container.
 * @csspart header - The avatar, name and VIP level.
 * @csspart avatar - The avatar: initials, or the customer's picture.
 * @csspart name - The customer's name.
 * @csspart vip - The VIP badge.
 * @csspart identities - The list of identities across channels.
 * @csspart reveal-button - The button that reveals a masked identity (for a role that may).
 * @csspart tags - The list of tags.
 * @csspart tag - One tag.
 * @csspart tag-editor - The form that adds a tag.
 * @csspart notes - The notes editor.
 * @csspart open-tickets - The list of open tickets.
 * @csspart timeline - The cross-channel history.
 * @csspart timeline-filter - The history's channel filter.
 * @csspart timeline-entry - One entry of the history.
 * @csspart duplicates - The list of possible duplicate profiles.
 * @csspart merge-button - The button that offers to merge a duplicate.
 * @csspart merge-dialog - The merge confirmation dialog.
 * @csspart crm-fields - The container of the `crm-fields` slot.
 *
 * @cssprop [--cc-customer-panel-background=var(--cc-color-surface)] - The panel's background.
 * @cssprop [--cc-customer-panel-avatar-background=#dbe6ff] - The initials avatar's background.
 * @cssprop [--cc-customer-panel-avatar-color=#1a3f8f] - The initials' colour.
 * @cssprop [--cc-customer-panel-tag-background=var(--cc-color-badge)] - A tag's background.
 * @cssprop [--cc-customer-panel-vip-background=var(--cc-color-vip)] - The VIP badge's background.
 * @cssprop [--cc-customer-panel-current-background=var(--cc-color-selected)] - The history entry of the open conversation.
 */
export class CcCustomerPanel extends LitElement {
  static override styles = [baseStyles, customerPanelStyles];

  static override properties = {
    store: { attribute: false },
    channelFilter: { state: true },
    tagText: { state: true },
    tagProblem: { state: true },
    mergeSourceId: { state: true },
    mergedNotice: { state: true },
    failedAvatarUrl: { state: true },
  };

  /** The desk store, when the panel is used outside `<cc-workspace>`; inside it, the store comes from context. */
  declare store: DeskStore | undefined;
  declare private channelFilter: Channel | 'all';
  declare private tagText: string;
  declare private tagProblem: string | null;
  /** The duplicate the merge dialog is about, while it is open. */
  declare private mergeSourceId: string | null;
  /** The name of the profile the agent just merged into this one, for the confirmation shown after the dialog. */
  declare private mergedNotice: string | null;
  /** An avatar URL that did not load, so initials show instead. */
  declare private failedAvatarUrl: string | null;

  private readonly i18n = new LocaleController(this);
  private readonly features = new StoreController(this, selectCustomerFeatures, null);
  private readonly customerId = new StoreController(this, selectPanelCustomerId, null);
  private readonly customer = new StoreController(this, selectPanelCustomer, null);
  private readonly detail = new StoreController(this, selectPanelDetail, null);
  private readonly timeline = new StoreController(this, selectPanelTimeline, [] as readonly TimelineEntry[]);
  private readonly openTickets = new StoreController(this, selectPanelOpenTickets, [] as readonly Ticket[]);
  private readonly popTarget = new StoreController(this, selectScreenPopTarget, null);
  private readonly mergedInto = new StoreController(this, selectMergedInto, PersistentMap.empty<string>());
  private readonly selectedId = new StoreController(this, selectSelectedConversationId, null);
  private readonly selectionError = new StoreController(this, selectSelectedElsewhereError, null);
  private readonly access = new StoreController(this, selectAccess, NO_ACCESS);
  private readonly reveals = new StoreController(this, selectPanelReveals, [] as readonly RevealedIdentity[]);
  private readonly controllers = [
    this.access,
    this.reveals,
    this.features,
    this.customerId,
    this.customer,
    this.detail,
    this.timeline,
    this.openTickets,
    this.popTarget,
    this.mergedInto,
    this.selectedId,
    this.selectionError,
  ];
  /** What the agent typed in the notes and has not saved, per customer, so switching customers loses nothing. */
  private readonly notesDrafts = new Map<string, string>();
  private poppedCustomerId: string | null = null;
  /** The merge this panel asked for and has not reported yet. */
  private pendingMergeRequestId: string | null = null;
  /** The duplicate's name as the agent confirmed it; the record itself is gone once merged. */
  private mergingSourceName = '';
  /** Where focus goes back to when the merge dialog closes. */
  private mergeOpener: HTMLElement | null = null;
  private hiddenByCapability = false;
  /** The store this panel told it is attached (so that store loads customer details), if any. */
  private attachedStore: DeskStore | undefined;
  private shownCustomerId: string | null = null;

  constructor() {
    super();
    this.store = undefined;
    this.channelFilter = 'all';
    this.tagText = '';
    this.tagProblem = null;
    this.mergeSourceId = null;
    this.failedAvatarUrl = null;
    this.mergedNotice = null;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    // The store may be the same as before the panel was moved; the next update attaches to it again.
    this.requestUpdate();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.attachedStore?.dispatch(customer360.customerPanelDetached());
    this.attachedStore = undefined;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('store')) for (const controller of this.controllers) controller.setStore(this.store);
    const store = this.isConnected ? this.features.store : undefined;
    if (store !== this.attachedStore) {
      this.attachedStore?.dispatch(customer360.customerPanelDetached());
      this.attachedStore = store;
      store?.dispatch(customer360.customerPanelAttached());
    }
    const features = this.features.value;
    const hide = features !== null && features.known && !features.customers;
    if (hide !== this.hiddenByCapability) {
      this.hiddenByCapability = hide;
      this.hidden = hide;
    }
    if (this.customerId.value !== this.shownCustomerId) {
      this.shownCustomerId = this.customerId.value;
      this.mergedNotice = null;
      this.tagProblem = null;
      // A dialog about the previous customer's duplicate must not confirm a merge into the new one.
      this.closeMergeDialog();
    }
    // A draft that matches what is saved is no longer a draft (the save went through, or the agent undid the edit).
    const customer = this.customer.value;
    if (customer && this.notesDrafts.get(customer.id) === customer.notes) this.notesDrafts.delete(customer.id);
    this.reportMerge();
  }

  protected override updated(): void {
    this.reportScreenPop();
  }

  /** Fires `cc-screen-pop` when the customer shown changes because a conversation or call was selected, not for a merge. */
  private reportScreenPop(): void {
    const target = this.popTarget.value;
    if (!target || !this.features.value?.customers) {
      if (!target) this.poppedCustomerId = null;
      return;
    }
    if (target.customerId === this.poppedCustomerId) return;
    const previous = this.poppedCustomerId;
    this.poppedCustomerId = target.customerId;
    const mergedAway = previous !== null && resolveMergedCustomerId(this.mergedInto.value, previous) === target.customerId;
    if (!mergedAway) this.dispatchEvent(new CcScreenPopEvent(target));
  }

  /** Fires `cc-customer-merged` once the merge this panel asked for has gone through, and closes the dialog. */
  private reportMerge(): void {
    const detail = this.detail.value;
    if (!detail || this.pendingMergeRequestId === null || detail.merge.requestId !== this.pendingMergeRequestId) return;
    const { status, sourceId } = detail.merge;
    if (status !== 'merged' || sourceId === null) return;
    this.pendingMergeRequestId = null;
    this.mergedNotice = this.mergingSourceName;
    this.closeMergeDialog();
    this.dispatchEvent(new CcCustomerMergedEvent({ targetId: detail.customerId, sourceId }));
  }

  private t(key: MessageKey, params?: Readonly<Record<string, string | number>>): string {
    return this.i18n.t(key, params);
  }

  // Tags

  private readonly onTagInput = (event: InputEvent): void => {
    this.tagText = (event.target as HTMLInputElement).value;
    this.tagProblem = null;
  };

  private readonly onTagSubmit = (event: SubmitEvent): void => {
    event.preventDefault();
    const customer = this.customer.value;
    if (!customer) return;
    const tag = this.tagText.trim();
    if (tag === '') {
      this.tagProblem = this.t('customerPanel.tagEmpty');
      return;
    }
    if (tag.length > MAX_TAG_LENGTH) {
      this.tagProblem = this.t('customerPanel.tagTooLong', { max: MAX_TAG_LENGTH });
      return;
    }
    if (customer.tags.some((held) => held.toLocaleLowerCase() === tag.toLocaleLowerCase())) {
      this.tagProblem = this.t('customerPanel.tagExists', { tag });
      return;
    }
    this.tagProblem = null;
    this.tagText = '';
    this.customer.dispatch(customer360.customerTagAdded({ customerId: customer.id, tag, requestId: crypto.randomUUID() }));
  };

  private removeTag(tag: string): void {
    const customer = this.customer.value;
    if (!customer) return;
    this.customer.dispatch(customer360.customerTagRemoved({ customerId: customer.id, tag, requestId: crypto.randomUUID() }));
    // The tag's button goes away once the backend confirms; focus waits in the tag field rather than on the page.
    this.renderRoot.querySelector<HTMLInputElement>('#new-tag')?.focus();
  }

  // Notes

  private readonly onNotesInput = (event: InputEvent): void => {
    const customer = this.customer.value;
    if (!customer) return;
    this.notesDrafts.set(customer.id, (event.target as HTMLTextAreaElement).value);
    this.requestUpdate();
  };

  private readonly onNotesKeyDown = (event: KeyboardEvent): void => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      this.saveNotes();
    }
  };

  private saveNotes(): void {
    const customer = this.customer.value;
    if (!customer) return;
    const notes = this.notesDrafts.get(customer.id);
    if (notes === undefined) return;
    this.customer.dispatch(customer360.customerNotesSubmitted({ customerId: customer.id, notes, requestId: crypto.randomUUID() }));
  }

  // History

  private selectEntry(entry: TimelineEntry): void {
    if (entry.conversationId === null) return;
    const event = new CcConversationSelectEvent({ conversationId: entry.conversationId, customerId: this.customerId.value });
    if (!this.dispatchEvent(event)) return;
    this.customer.dispatch(actions.conversationSelected({ conversationId: entry.conversationId }));
  }

  private readonly onFilterChange = (event: Event): void => {
    this.channelFilter = (event.target as HTMLSelectElement).value as Channel | 'all';
  };

  private readonly onRetry = (): void => {
    const customerId = this.customerId.value;
    const selectedId = this.selectedId.value;
    if (customerId) this.customer.dispatch(customer360.customerDetailRetryRequested({ customerId }));
    // Whose the selected conversation is could not be found out: selecting it again asks once more.
    else if (selectedId) this.customer.dispatch(actions.conversationSelected({ conversationId: selectedId }));
  };

  // Merge

  private async openMergeDialog(sourceId: string, opener: HTMLElement): Promise<void> {
    this.mergeOpener = opener;
    this.mergeSourceId = sourceId;
    await this.updateComplete;
    const dialog = this.renderRoot.querySelector('dialog');
    if (!dialog || dialog.open) return;
    dialog.showModal();
    // The safe choice has focus first: Enter on a dialog that just appeared must not merge.
    dialog.querySelector<HTMLButtonElement>('.cancel')?.focus();
  }

  private closeMergeDialog(): void {
    const dialog = this.renderRoot.querySelector('dialog');
    if (dialog?.open) dialog.close();
  }

  private readonly onDialogClose = (): void => {
    this.mergeSourceId = null;
    const opener = this.mergeOpener;
    this.mergeOpener = null;
    // After a merge the duplicate's row (and its button) is gone: focus goes to the profile's name instead.
    if (opener?.isConnected) opener.focus();
    else this.renderRoot.querySelector<HTMLElement>('#customer-name')?.focus();
  };

  private confirmMerge(): void {
    const targetId = this.customerId.value;
    const sourceId = this.mergeSourceId;
    const candidate = this.detail.value?.duplicates.find((duplicate) => duplicate.id === sourceId);
    if (!targetId || !sourceId || !candidate || this.detail.value?.merge.status === 'merging') return;
    this.mergingSourceName = customerName(candidate, this.t('customerPanel.unknownCustomer'));
    const requestId = crypto.randomUUID();
    this.pendingMergeRequestId = requestId;
    this.customer.dispatch(customer360.customerMergeConfirmed({ targetId, sourceId, requestId }));
  }

  // Masked identities

  private reveal(customer: Customer, identity: Identity): void {
    this.customer.dispatch(identityRevealRequested({ customerId: customer.id, identity }));
  }

  // Rendering

  private renderProblem(messageKey: MessageKey, error: ErrorInfo | null): TemplateResult {
    return html`<div class="problem" role="alert">
      ${this.t(messageKey, { message: error?.message ?? '' })}
      <button type="button" @click=${this.onRetry}>${this.t('customerPanel.retry')}</button>
    </div>`;
  }

  private renderAvatar(customer: Customer) {
    const url = rasterAvatarUrl(customer.avatarUrl);
    const showImage = url !== undefined && url !== this.failedAvatarUrl;
    return html`<div class="avatar" part="avatar" aria-hidden="true">
      ${showImage
        ? html`<img src=${url} alt="" referrerpolicy="no-referrer" @error=${() => (this.failedAvatarUrl = url)} />`
        : html`<span class="initials">${initialsOf(customer.name)}</span>`}
    </div>`;
  }

  private renderHeader(customer: Customer) {
    const name = customerName(customer, this.t('customerPanel.unknownCustomer'));
    return html`<header part="header">
      ${this.renderAvatar(customer)}
      <div class="who">
        <h2 id="customer-name" part="name" tabindex="-1">${name}</h2>
        <div class="meta">
          ${customer.vipLevel > 0 ? html`<span class="vip" part="vip">${this.t('customerPanel.vip', { level: customer.vipLevel })}</span>` : nothing}
          <span class="since">${this.t('customerPanel.since', { date: formatSince(this.i18n.locale, customer.createdAt) })}</span>
        </div>
      </div>
    </header>`;
  }

  private renderIdentities(customer: Customer) {
    return html`<section class="block" aria-labelledby="identities-heading">
      <h3 id="identities-heading">${this.t('customerPanel.identities')}</h3>
      ${customer.identities.length === 0
        ? html`<p class="muted">${this.t('customerPanel.noIdentities')}</p>`
        : html`<dl part="identities" class="identities">
            ${customer.identities.map((identity) => this.renderIdentity(customer, identity))}
          </dl>`}
    </section>`;
  }

  /** An identity; a masked one offers to reveal it when the role may, and shows the clear value in place until the agent leaves. */
  private renderIdentity(customer: Customer, identity: Identity) {
    const access = this.access.value;
    const kind = this.t(`customerPanel.identity.${identity.kind}`);
    const masked = !access.viewPii && MASKED_IDENTITY_KINDS.includes(identity.kind);
    const reveal = masked ? this.reveals.value.find((entry) => entry.kind === identity.kind && entry.masked === identity.value) : undefined;
    const shown = reveal?.status === 'revealed' && reveal.value !== null ? reveal.value : identity.value;
    const stillMasked = masked && shown === identity.value;
    return html`<div class="identity" data-kind=${identity.kind} data-masked=${stillMasked ? 'true' : 'false'}>
      <dt>${kind}</dt>
      <dd>
        <span class="identity-value" aria-label=${stillMasked ? this.t('access.masked', { kind }) : nothing}>${shown}</span>
        ${stillMasked && access.revealPii
          ? html`<button
              type="button"
              class="reveal"
              part="reveal-button"
              aria-label=${this.t('access.revealLabel', { kind })}
              ?disabled=${reveal?.status === 'revealing'}
              @click=${() => this.reveal(customer, identity)}
            >
              ${reveal?.status === 'revealing' ? this.t('access.revealing') : this.t('access.reveal')}
            </button>`
          : nothing}
        ${reveal?.status === 'failed'
          ? html`<span class="problem-text" role="alert">${this.t('access.revealFailed', { message: reveal.error?.message ?? '' })}</span>`
          : nothing}
      </dd>
    </div>`;
  }

  private renderTags(customer: Customer, detail: CustomerDetail | null) {
    const editable = this.access.value.editCustomer;
    const save = detail?.saves.tags;
    return html`<section class="block" aria-labelledby="tags-heading">
      <h3 id="tags-heading">${this.t('customerPanel.tags')}</h3>
      ${customer.tags.length === 0
        ? html`<p class="muted">${this.t('customerPanel.noTags')}</p>`
        : html`<ul part="tags" class="tags" aria-labelledby="tags-heading">
            ${customer.tags.map(
              (tag) => html`<li part="tag" class="tag">
                <span class="tag-text">${tag}</span>
                ${editable ? this.renderRemoveTag(tag) : nothing}
              </li>`,
            )}
          </ul>`}
      ${editable ? this.renderTagEditor(save) : nothing}
    </section>`;
  }

  private renderRemoveTag(tag: string) {
    return html`<button
      type="button"
      class="remove-tag"
      aria-label=${this.t('customerPanel.removeTag', { tag })}
      title=${this.t('customerPanel.removeTag', { tag })}
      @click=${() => this.removeTag(tag)}
    >
      <span aria-hidden="true">×</span>
    </button>`;
  }

  private renderTagEditor(save: SaveState | undefined) {
    return html`<form part="tag-editor" class="tag-editor" @submit=${this.onTagSubmit}>
        <label class="visually-hidden" for="new-tag">${this.t('customerPanel.newTag')}</label>
        <input
          id="new-tag"
          type="text"
          autocomplete="off"
          placeholder=${this.t('customerPanel.newTag')}
          .value=${live(this.tagText)}
          aria-invalid=${this.tagProblem ? 'true' : 'false'}
          aria-describedby="tag-problem"
          @input=${this.onTagInput}
        />
        <button type="submit">${this.t('customerPanel.addTag')}</button>
      </form>
      <div id="tag-problem" class="problem-text" role="alert">${this.tagProblem ?? nothing}</div>
      <div class="save-status" role="status">
        ${save?.status === 'saving' ? this.t('customerPanel.tagsSaving') : save?.status === 'saved' ? this.t('customerPanel.tagsSaved') : nothing}
      </div>
      ${save?.status === 'failed'
        ? html`<div class="problem-text" role="alert">${this.t('customerPanel.tagsFailed', { message: save.error?.message ?? '' })}</div>`
        : nothing}`;
  }

  private renderNotes(customer: Customer, detail: CustomerDetail | null) {
    const draft = this.notesDrafts.get(customer.id);
    const dirty = draft !== undefined && draft !== customer.notes;
    const save = detail?.saves.notes;
    let status: string | typeof nothing = nothing;
    if (save?.status === 'saving') status = this.t('customerPanel.notesSaving');
    else if (save?.status !== 'failed' && dirty) status = this.t('customerPanel.notesUnsaved');
    else if (save?.status === 'saved') status = this.t('customerPanel.notesSaved');
    if (!this.access.value.editCustomer) {
      return html`<section class="block notes" part="notes" aria-labelledby="notes-heading">
        <h3 id="notes-heading"><label for="notes">${this.t('customerPanel.notes')}</label></h3>
        <textarea id="notes" rows="3" readonly aria-describedby="notes-read-only" .value=${live(customer.notes)}></textarea>
        <p id="notes-read-only" class="muted read-only">${this.t('access.profileReadOnly')}</p>
      </section>`;
    }
    return html`<section class="block notes" part="notes" aria-labelledby="notes-heading">
      <h3 id="notes-heading"><label for="notes">${this.t('customerPanel.notes')}</label></h3>
      <textarea
        id="notes"
        rows="3"
        .value=${live(draft ?? customer.notes)}
        aria-describedby="notes-status"
        @input=${this.onNotesInput}
        @keydown=${this.onNotesKeyDown}
      ></textarea>
      <div class="notes-actions">
        <span id="notes-status" class="save-status" role="status">${status}</span>
        <button type="button" class="save-notes" ?disabled=${!dirty || save?.status === 'saving'} @click=${() => this.saveNotes()}>
          ${this.t('customerPanel.saveNotes')}
        </button>
      </div>
      ${save?.status === 'failed' && dirty
        ? html`<div class="problem-text" role="alert">${this.t('customerPanel.notesFailed', { message: save.error?.message ?? '' })}</div>`
        : nothing}
    </section>`;
  }

  private renderOpenTickets(detail: CustomerDetail | null) {
    const request = detail?.requests.tickets;
    const tickets = this.openTickets.value;
    return html`<section class="block" aria-labelledby="tickets-heading">
      <h3 id="tickets-heading">${this.t('customerPanel.openTickets', { count: tickets.length })}</h3>
      ${request?.status === 'failed'
        ? this.renderProblem('customerPanel.ticketsFailed', request.error)
        : request?.status === 'loading' && tickets.length === 0
          ? html`<p class="muted" role="status">${this.t('customerPanel.ticketsLoading')}</p>`
          : tickets.length === 0
            ? html`<p class="muted">${this.t('customerPanel.noOpenTickets')}</p>`
            : html`<ul part="open-tickets" class="open-tickets">
                ${tickets.map(
                  (ticket) => html`<li class="ticket" data-ticket-id=${ticket.id}>
                    <span class="ticket-subject">${ticket.subject}</span>
                    <span class="muted">${this.t(`customerPanel.ticketStatus.${ticket.status}`)} · ${this.t(`priority.${ticket.priority}`)}</span>
                  </li>`,
                )}
              </ul>`}
    </section>`;
  }

  private renderEntryContent(entry: TimelineEntry) {
    const locale = this.i18n.locale;
    const channel = entry.channel ? this.t(`channel.${entry.channel}`) : this.t('customerPanel.noChannel');
    const status =
      entry.kind === 'ticket'
        ? this.t(`customerPanel.ticketStatus.${entry.status as Ticket['status']}`)
        : this.t(`status.${entry.status as 'open'}`);
    return html`<span class="glyph" aria-hidden="true">${entry.channel ? CHANNEL_GLYPHS[entry.channel] : '#'}</span>
      <span class="entry-kind">${channel} · ${this.t(`customerPanel.kind.${entry.kind}`)}</span>
      <span class="entry-title">${entry.title.trim() || this.t('customerPanel.untitled')}</span>
      <span class="entry-meta">${status} · <time datetime=${new Date(entry.at).toISOString()}>${formatTimestamp(locale, entry.at)}</time></span>`;
  }

  private renderTimeline(detail: CustomerDetail | null) {
    const request = detail?.requests.conversations;
    const all = this.timeline.value;
    const present = new Set(all.map((entry) => entry.channel).filter((channel): channel is Channel => channel !== null));
    if (this.channelFilter !== 'all') present.add(this.channelFilter);
    const channels = CHANNELS.filter((channel) => present.has(channel));
    const entries = this.channelFilter === 'all' ? all : all.filter((entry) => entry.channel === this.channelFilter);
    const selectedId = this.selectedId.value;
    return html`<section class="block" aria-labelledby="timeline-heading">
      <div class="section-head">
        <h3 id="timeline-heading">${this.t('customerPanel.timeline')}</h3>
        <label class="filter">
          <span>${this.t('customerPanel.timelineFilter')}</span>
          <select part="timeline-filter" .value=${live(this.channelFilter)} @change=${this.onFilterChange}>
            <option value="all" ?selected=${this.channelFilter === 'all'}>${this.t('customerPanel.allChannels')}</option>
            ${channels.map(
              (channel) => html`<option value=${channel} ?selected=${this.channelFilter === channel}>${this.t(`channel.${channel}`)}</option>`,
            )}
          </select>
        </label>
      </div>
      ${request?.status === 'failed' ? this.renderProblem('customerPanel.timelineFailed', request.error) : nothing}
      ${request?.status === 'loading' && all.length === 0 ? html`<p class="muted" role="status">${this.t('customerPanel.timelineLoading')}</p>` : nothing}
      ${request?.status === 'loaded' && entries.length === 0
        ? html`<p class="muted">${this.t(all.length === 0 ? 'customerPanel.timelineEmpty' : 'customerPanel.timelineFilteredEmpty')}</p>`
        : nothing}
      ${entries.length > 0
        ? html`<ol part="timeline" class="timeline" aria-labelledby="timeline-heading">
            ${entries.map(
              (entry) => html`<li data-kind=${entry.kind} data-entry-id=${entry.id}>
                ${entry.conversationId === null
                  ? html`<div class="entry">${this.renderEntryContent(entry)}</div>`
                  : html`<button
                      type="button"
                      class="entry"
                      part="timeline-entry"
                      aria-current=${entry.conversationId === selectedId ? 'true' : 'false'}
                      @click=${() => this.selectEntry(entry)}
                    >
                      ${this.renderEntryContent(entry)}
                    </button>`}
              </li>`,
            )}
          </ol>`
        : nothing}
    </section>`;
  }

  private renderDuplicates(customer: Customer, detail: CustomerDetail | null, canMerge: boolean) {
    const request = detail?.requests.duplicates;
    const duplicates = detail?.duplicates ?? [];
    const target = customerName(customer, this.t('customerPanel.unknownCustomer'));
    return html`<section class="block" aria-labelledby="duplicates-heading">
      <h3 id="duplicates-heading">${this.t('customerPanel.duplicates')}</h3>
      ${request?.status === 'failed' ? this.renderProblem('customerPanel.duplicatesFailed', request.error) : nothing}
      ${request?.status === 'loading' && duplicates.length === 0
        ? html`<p class="muted" role="status">${this.t('customerPanel.duplicatesLoading')}</p>`
        : nothing}
      ${request?.status === 'loaded' && duplicates.length === 0 ? html`<p class="muted">${this.t('customerPanel.noDuplicates')}</p>` : nothing}
      ${duplicates.length > 0
        ? html`<ul part="duplicates" class="duplicates">
            ${duplicates.map((candidate) => {
              const source = customerName(candidate, this.t('customerPanel.unknownCustomer'));
              return html`<li class="duplicate" data-customer-id=${candidate.id}>
                <span class="duplicate-name">${source}</span>
                <span class="muted duplicate-identities">${candidate.identities.map((identity) => identity.value).join(' · ')}</span>
                ${canMerge
                  ? html`<button
                      type="button"
                      part="merge-button"
                      class="merge"
                      aria-label=${this.t('customerPanel.mergeLabel', { source, target })}
                      @click=${(event: Event) => void this.openMergeDialog(candidate.id, event.currentTarget as HTMLElement)}
                    >
                      ${this.t('customerPanel.merge')}
                    </button>`
                  : nothing}
              </li>`;
            })}
          </ul>`
        : nothing}
      <div class="save-status" role="status">${this.mergedNotice ? this.t('customerPanel.merged', { source: this.mergedNotice }) : nothing}</div>
    </section>`;
  }

  private renderMergeDialog(customer: Customer, detail: CustomerDetail | null) {
    const candidate = detail?.duplicates.find((duplicate) => duplicate.id === this.mergeSourceId);
    const source = candidate ? customerName(candidate, this.t('customerPanel.unknownCustomer')) : this.mergingSourceName;
    const target = customerName(customer, this.t('customerPanel.unknownCustomer'));
    const merge = detail?.merge;
    const ours = merge !== undefined && merge.requestId !== null && merge.requestId === this.pendingMergeRequestId;
    const merging = ours && merge.status === 'merging';
    return html`<dialog part="merge-dialog" aria-labelledby="merge-title" aria-describedby="merge-body" @close=${this.onDialogClose}>
      <h2 id="merge-title">${this.t('customerPanel.mergeTitle')}</h2>
      <p id="merge-body">${this.t('customerPanel.mergeBody', { source, target })}</p>
      ${ours && merge.status === 'failed'
        ? html`<p class="problem-text" role="alert">${this.t('customerPanel.mergeFailed', { message: merge.error?.message ?? '' })}</p>`
        : nothing}
      <div class="dialog-actions">
        <button type="button" class="cancel" @click=${() => this.closeMergeDialog()}>${this.t('customerPanel.mergeCancel')}</button>
        <button type="button" class="confirm" ?disabled=${merging} @click=${() => this.confirmMerge()}>
          ${merging ? this.t('customerPanel.merging') : this.t('customerPanel.mergeConfirm')}
        </button>
      </div>
    </dialog>`;
  }

  private renderProfile(customer: Customer) {
    const detail = this.detail.value;
    const features = this.features.value;
    return html`${this.renderHeader(customer)} ${this.renderIdentities(customer)} ${this.renderTags(customer, detail)}
      ${this.renderNotes(customer, detail)} ${features?.tickets ? this.renderOpenTickets(detail) : nothing} ${this.renderTimeline(detail)}
      ${this.renderDuplicates(customer, detail, (features?.merge ?? false) && this.access.value.mergeCustomers)}
      <div class="crm-fields" part="crm-fields"><slot name="crm-fields"></slot></div>
      ${this.renderMergeDialog(customer, detail)}`;
  }

  protected override render() {
    if (this.hiddenByCapability) return nothing;
    const customerId = this.customerId.value;
    const customer = this.customer.value;
    const profileRequest = this.detail.value?.requests.profile;
    let body;
    const selectionError = this.selectionError.value;
    if (!customerId && selectionError) body = this.renderProblem('customerPanel.profileFailed', selectionError);
    else if (!customerId) body = html`<p class="muted empty">${this.t('customerPanel.none')}</p>`;
    else if (!customer) {
      body =
        profileRequest?.status === 'failed'
          ? this.renderProblem('customerPanel.profileFailed', profileRequest.error)
          : html`<p class="muted empty" role="status">${this.t('customerPanel.loadingProfile')}</p>`;
    } else body = this.renderProfile(customer);
    return html`<section part="base" aria-label=${this.t('customerPanel.label')}>${body}</section>`;
  }
}
