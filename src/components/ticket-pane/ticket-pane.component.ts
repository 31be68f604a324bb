import { html, LitElement, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { live } from 'lit/directives/live.js';
import type { TicketDraft } from '../../connector/connector.js';
import {
  PRIORITIES,
  TICKET_TRANSITIONS,
  TICKET_TYPES,
  type Conversation,
  type Priority,
  type Ticket,
  type TicketStatus,
  type TicketType,
} from '../../connector/model.js';
import { StoreController } from '../../context/store-controller.js';
import { NO_ACCESS, selectAccess } from '../../store/selectors-access.js';
import { CcConversationSelectEvent } from '../../events/conversation-select.js';
import { CcTicketSavedEvent } from '../../events/ticket-saved.js';
import { formatCountdown, formatTimestamp, type MessageKey } from '../../i18n/i18n.js';
import { LocaleController } from '../../i18n/locale-controller.js';
import { CHANNEL_GLYPHS, customerName } from '../../internal/channel.js';
import { ClockController } from '../../internal/clock-controller.js';
import type { PersistentMap } from '../../store/persistent-map.js';
import { baseStyles } from '../../internal/shared-styles.js';
import * as actions from '../../store/actions.js';
import * as ticketActions from '../../store/actions-tickets.js';
import type { TicketEditableField, TicketFieldChanges } from '../../store/actions-tickets.js';
import type { DeskStore } from '../../store/create-store.js';
import { selectAgent, selectSelectedConversation, selectSelectedCustomer, selectSelectedThread } from '../../store/selectors.js';
import {
  customerTickets,
  selectOpenTicketLinks,
  selectTickets,
  selectTicketsEnabled,
  ticketConflict,
  ticketWriteInFlight,
  type CustomerTickets,
} from '../../store/selectors-tickets.js';
import { emptyThread } from '../../store/slices/threads.js';
import { initialTickets, ticketSaveKey, type CustomerTicketList, type TicketSave } from '../../store/slices/tickets.js';
import { ticketSla, type TicketSla } from './sla.js';
import { fromDateTimeLocal, prefillNewTicket, toDateTimeLocal } from './ticket-form.js';
import { ticketPaneStyles } from './ticket-pane.styles.js';

type FieldValues = Pick<Ticket, TicketEditableField>;

/** A write this pane asked for, so its success can be told to the host. */
interface OwnWrite {
  readonly requestKey: string;
  readonly created: boolean;
  /** Where focus goes once it is saved. */
  readonly focus: string | null;
}

/**
 * @summary The tickets of the selected conversation's customer: create one from the conversation, move it through
 * its workflow, assign it, watch its due time, comment, and see its history.
 *
 * "New ticket" fills in the customer, channel, subject and description from the conversation, so a ticket takes
 * two actions: open the form, create. Changes made elsewhere appear live; when they touch a ticket the agent is
 * editing, the pane says so and keeps what the agent typed. When the backend has no tickets the pane hides itself.
 *
 * @fires {CcTicketSavedEvent} cc-ticket-saved - The backend saved a ticket the agent created or changed here.
 * @fires {CcConversationSelectEvent} cc-conversation-select - The agent opened a linked conversation. Cancelable.
 *
 * @csspart base - The pane's container.
 * @csspart header - The header with the title and the "new ticket" button.
 * @csspart create-button - The button that starts a ticket from the conversation.
 * @csspart ticket-row - One ticket in the list.
 * @csspart create-form - The new ticket form.
 * @csspart ticket - The open ticket.
 * @csspart sla - The due time countdown.
 * @csspart ticket-form - The open ticket's fields.
 * @csspart history - The open ticket's history.
 * @csspart comment-form - The form that adds a comment.
 *
 * @cssprop [--cc-ticket-pane-background=var(--cc-color-surface)] - The pane's background.
 * @cssprop [--cc-ticket-pane-warning-background=#fff4d6] - A countdown with little time left.
 * @cssprop [--cc-ticket-pane-warning-color=#6b4e00] - Its text.
 * @cssprop [--cc-ticket-pane-breach-background=#fde8e8] - A countdown past due.
 * @cssprop [--cc-ticket-pane-breach-color=#a4161a] - Its text.
 * @cssprop [--cc-ticket-pane-internal-background=#fff6d6] - Internal notes in the history.
 */
export class CcTicketPane extends LitElement {
  static override styles = [baseStyles, ticketPaneStyles];

  static override properties = {
    store: { attribute: false },
  };

  /** The desk store, when the pane is used outside `<cc-workspace>`; inside it, the store comes from context. */
  declare store: DeskStore | undefined;

  private readonly i18n = new LocaleController(this);
  private readonly clock = new ClockController(this);
  private readonly enabled = new StoreController(this, selectTicketsEnabled, null);
  private readonly access = new StoreController(this, selectAccess, NO_ACCESS);
  private readonly conversation = new StoreController(this, selectSelectedConversation, null);
  private readonly customer = new StoreController(this, selectSelectedCustomer, null);
  private readonly thread = new StoreController(this, selectSelectedThread, emptyThread);
  private readonly agent = new StoreController(this, selectAgent, null);
  private readonly tickets = new StoreController(this, selectTickets, initialTickets);
  private readonly links = new StoreController(this, selectOpenTicketLinks, [] as readonly (Conversation | string)[]);
  private readonly ownWrites = new Map<string, OwnWrite>();
  private pendingFocus: string | null = null;
  private listCache: { entities: PersistentMap<Ticket>; list: CustomerTicketList | undefined; view: CustomerTickets } | null = null;

  constructor() {
    super();
    this.store = undefined;
  }

  private get controllers() {
    return [this.enabled, this.access, this.conversation, this.customer, this.thread, this.agent, this.tickets, this.links];
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('store')) for (const controller of this.controllers) controller.setStore(this.store);
    const off = this.enabled.value === false;
    if (this.hidden !== off) this.hidden = off;
    if (this.enabled.value !== true) return;
    // Ask for what is shown and not held yet. The reducer marks each request, so this asks once.
    const slice = this.tickets.value;
    const customerId = this.conversation.value?.customerId;
    if (customerId && (slice.lists.get(customerId)?.status ?? 'idle') === 'idle') {
      this.tickets.dispatch(ticketActions.ticketListRequested({ customerId }));
    }
    if (customerId && this.tickets.value.directory.status === 'idle') this.tickets.dispatch(ticketActions.ticketDirectoryRequested());
    this.settleOwnWrites();
  }

  protected override updated(): void {
    if (this.pendingFocus === null) return;
    const target = this.renderRoot.querySelector<HTMLElement>(this.pendingFocus);
    this.pendingFocus = null;
    target?.focus();
  }

  /** Tells the host about writes of this pane that the backend confirmed. */
  private settleOwnWrites(): void {
    const slice = this.tickets.value;
    for (const [key, own] of this.ownWrites) {
      const save = slice.saves.get(key);
      if (!save || save.requestKey !== own.requestKey) {
        this.ownWrites.delete(key);
        continue;
      }
      if (save.status === 'saving') continue;
      this.ownWrites.delete(key);
      const ticket = save.ticketId === null ? undefined : slice.entities.get(save.ticketId);
      if (save.status === 'saved' && ticket) {
        this.pendingFocus = own.focus;
        this.dispatchEvent(new CcTicketSavedEvent({ ticket, created: own.created }));
      }
    }
  }

  private t(key: MessageKey, params?: Readonly<Record<string, string | number>>): string {
    return this.i18n.t(key, params);
  }

  private submit(key: string, own: Omit<OwnWrite, 'requestKey'>, dispatch: (requestKey: string) => void): void {
    const requestKey = crypto.randomUUID();
    this.ownWrites.set(key, { ...own, requestKey });
    dispatch(requestKey);
  }

  private currentTickets(): CustomerTickets {
    const slice = this.tickets.value;
    const customerId = this.conversation.value?.customerId;
    if (!customerId) return { status: 'idle', error: null, tickets: [] };
    const list = slice.lists.get(customerId);
    const cache = this.listCache;
    if (cache && cache.entities === slice.entities && cache.list === list) return cache.view;
    const view = customerTickets(slice, customerId);
    this.listCache = { entities: slice.entities, list, view };
    return view;
  }

  /** The open ticket, when it belongs to the customer shown. */
  private openTicket(): Ticket | null {
    const slice = this.tickets.value;
    const ticket = slice.openTicketId === null ? undefined : slice.entities.get(slice.openTicketId);
    return ticket && ticket.customerId === this.conversation.value?.customerId ? ticket : null;
  }

  private agentName(agentId: string): string {
    return this.tickets.value.directory.agents.find((agent) => agent.id === agentId)?.name ?? agentId;
  }

  private queueName(queueId: string): string {
    return this.tickets.value.directory.queues.find((queue) => queue.id === queueId)?.name ?? queueId;
  }

  // Handlers: the list

  private readonly onRetryList = (): void => {
    const customerId = this.conversation.value?.customerId;
    if (customerId) this.tickets.dispatch(ticketActions.ticketListRequested({ customerId }));
  };

  private readonly onRetryDirectory = (): void => {
    this.tickets.dispatch(ticketActions.ticketDirectoryRequested());
  };

  private openTicketById(ticketId: string): void {
    this.pendingFocus = '#ticket-title';
    this.tickets.dispatch(ticketActions.ticketOpened({ ticketId }));
  }

  private readonly onBack = (): void => {
    const ticketId = this.tickets.value.openTicketId;
    this.pendingFocus = ticketId === null ? null : `[data-ticket-id="${CSS.escape(ticketId)}"]`;
    this.tickets.dispatch(ticketActions.ticketOpened({ ticketId: null }));
  };

  // Handlers: a new ticket

  private readonly onStartNew = (): void => {
    const conversation = this.conversation.value;
    if (!conversation) return;
    const channel = this.t(`channel.${conversation.channel}`);
    const name = customerName(this.customer.value ?? undefined, this.t('list.unknownCustomer'));
    const thread = this.thread.value;
    const form = prefillNewTicket({
      conversation,
      messages: thread.messages.filter((message) => message.conversationId === conversation.id),
      agentId: this.agent.value?.id ?? null,
      now: Date.now(),
      fallbackSubject: this.t('ticketPane.defaultSubject', { channel, name }),
      transcriptHeading: this.t('ticketPane.transcriptHeading', { channel }),
    });
    this.pendingFocus = '#new-subject';
    this.tickets.dispatch(ticketActions.newTicketStarted({ form }));
  };

  private readonly onNewTicketChange = (changes: TicketFieldChanges): void => {
    const conversationId = this.conversation.value?.id;
    if (conversationId) this.tickets.dispatch(ticketActions.newTicketEdited({ conversationId, changes }));
  };

  private readonly onCreate = (event: SubmitEvent): void => {
    event.preventDefault();
    const conversationId = this.conversation.value?.id;
    const form = conversationId ? this.tickets.value.newTickets.get(conversationId) : undefined;
    if (!conversationId || !form || form.subject.trim() === '') return;
    const draft: TicketDraft = {
      customerId: form.customerId,
      subject: form.subject.trim(),
      description: form.description,
      type: form.type,
      priority: form.priority,
      sourceChannel: form.sourceChannel,
      conversationIds: [form.conversationId],
      assigneeId: form.assigneeId,
      groupId: form.groupId,
      dueAt: form.dueAt,
    };
    this.submit(ticketSaveKey('create', conversationId), { created: true, focus: '#ticket-title' }, (requestKey) =>
      this.tickets.dispatch(ticketActions.ticketCreateSubmitted({ conversationId, requestKey, draft })),
    );
  };

  private readonly onCancelNew = (): void => {
    const conversationId = this.conversation.value?.id;
    if (!conversationId) return;
    this.pendingFocus = '[part="create-button"]';
    this.tickets.dispatch(ticketActions.newTicketCancelled({ conversationId }));
  };

  // Handlers: the open ticket

  private onFieldsChange(ticket: Ticket, changes: TicketFieldChanges): void {
    this.tickets.dispatch(ticketActions.ticketFieldsEdited({ ticketId: ticket.id, changes }));
  }

  private onSaveFields(event: SubmitEvent, ticket: Ticket): void {
    event.preventDefault();
    const edit = this.tickets.value.edits.get(ticket.id);
    if (!edit || ticketConflict(this.tickets.value, ticket.id)) return;
    const patch = { baseVersion: edit.baseVersion, ...edit.changes };
    this.submit(ticketSaveKey('fields', ticket.id), { created: false, focus: null }, (requestKey) =>
      this.tickets.dispatch(ticketActions.ticketUpdateSubmitted({ ticketId: ticket.id, requestKey, kind: 'fields', patch })),
    );
  }

  private onMoveTo(ticket: Ticket, status: TicketStatus): void {
    this.submit(ticketSaveKey('status', ticket.id), { created: false, focus: '#current-status' }, (requestKey) =>
      this.tickets.dispatch(
        ticketActions.ticketUpdateSubmitted({ ticketId: ticket.id, requestKey, kind: 'status', patch: { baseVersion: ticket.version, status } }),
      ),
    );
  }

  private onDiscard(ticket: Ticket): void {
    this.pendingFocus = '#ticket-title';
    this.tickets.dispatch(ticketActions.ticketEditDiscarded({ ticketId: ticket.id }));
  }

  private onKeepEditing(ticket: Ticket): void {
    this.pendingFocus = '#edit-subject';
    this.tickets.dispatch(ticketActions.ticketEditKept({ ticketId: ticket.id }));
  }

  private onCommentChange(ticket: Ticket, change: { body?: string; internal?: boolean }): void {
    const current = this.tickets.value.comments.get(ticket.id) ?? { body: '', internal: false };
    this.tickets.dispatch(ticketActions.ticketCommentDraftChanged({ ticketId: ticket.id, ...current, ...change }));
  }

  private onAddComment(event: SubmitEvent, ticket: Ticket): void {
    event.preventDefault();
    const draft = this.tickets.value.comments.get(ticket.id);
    if (!draft || draft.body.trim() === '') return;
    const comment = { body: draft.body, internal: draft.internal };
    this.submit(ticketSaveKey('comment', ticket.id), { created: false, focus: '#comment-body' }, (requestKey) =>
      this.tickets.dispatch(ticketActions.ticketCommentSubmitted({ ticketId: ticket.id, requestKey, comment })),
    );
  }

  private onOpenConversation(conversationId: string, customerId: string | null): void {
    if (!this.dispatchEvent(new CcConversationSelectEvent({ conversationId, customerId }))) return;
    this.tickets.dispatch(actions.conversationSelected({ conversationId }));
  }

  // Rendering

  private renderSla(ticket: Ticket, sla: TicketSla | null, withAnnouncement: boolean) {
    const locale = this.i18n.locale;
    if (!sla) {
      if (ticket.dueAt === null) return nothing;
      return html`<span class="sla" part="sla" data-sla="stopped">${this.t('ticketPane.sla.stopped', { time: formatTimestamp(locale, ticket.dueAt, this.clock.now) })}</span>`;
    }
    const time = formatCountdown(locale, sla.remainingMs);
    const glyph = sla.state === 'breach' ? '⛔' : sla.state === 'warning' ? '⚠' : '⏱';
    const announcement =
      sla.state === 'breach'
        ? this.t('ticketPane.sla.announceBreach', { id: ticket.id })
        : sla.state === 'warning'
          ? this.t('ticketPane.sla.announceWarning', { id: ticket.id })
          : '';
    return html`<span class="sla" part="sla" data-sla=${sla.state}>
        <span aria-hidden="true">${glyph}</span>
        ${this.t(`ticketPane.sla.${sla.state}`, { time })}
      </span>
      ${withAnnouncement ? html`<span class="visually-hidden" role="status">${announcement}</span>` : nothing}`;
  }

  private renderError(message: string | null, id?: string) {
    return message === null ? nothing : html`<p class="error" role="alert" id=${id ?? nothing}>${message}</p>`;
  }

  /** The fields shared by the new ticket form and the open ticket's form; `prefix` keeps their ids apart. */
  private renderFields(prefix: string, values: FieldValues, onChange: (changes: TicketFieldChanges) => void, disabled: boolean) {
    const t = this.t.bind(this);
    const directory = this.tickets.value.directory;
    const agents = directory.agents.some((agent) => agent.id === values.assigneeId) || values.assigneeId === null
      ? directory.agents
      : [...directory.agents, { id: values.assigneeId, name: values.assigneeId, presence: 'offline' as const }];
    const queues = directory.queues.some((queue) => queue.id === values.groupId) || values.groupId === null
      ? directory.queues
      : [...directory.queues, { id: values.groupId, name: values.groupId }];
    const text = (field: 'subject' | 'description') => (event: Event) =>
      onChange({ [field]: (event.target as HTMLInputElement | HTMLTextAreaElement).value });
    const choice = <Field extends 'type' | 'priority' | 'assigneeId' | 'groupId'>(field: Field, read: (value: string) => FieldValues[Field]) =>
      (event: Event) => onChange({ [field]: read((event.target as HTMLSelectElement).value) });
    return html`<div class="field">
        <label for="${prefix}-subject">${t('ticketPane.field.subject')}</label>
        <input id="${prefix}-subject" required maxlength="200" .value=${live(values.subject)} ?disabled=${disabled} @input=${text('subject')} />
      </div>
      <div class="field-row">
        <div class="field">
          <label for="${prefix}-type">${t('ticketPane.field.type')}</label>
          <select id="${prefix}-type" .value=${live(values.type)} ?disabled=${disabled} @change=${choice('type', (value) => value as TicketType)}>
            ${TICKET_TYPES.map((type) => html`<option value=${type} ?selected=${type === values.type}>${t(`ticketPane.type.${type}`)}</option>`)}
          </select>
        </div>
        <div class="field">
          <label for="${prefix}-priority">${t('ticketPane.field.priority')}</label>
          <select id="${prefix}-priority" .value=${live(values.priority)} ?disabled=${disabled} @change=${choice('priority', (value) => value as Priority)}>
            ${PRIORITIES.map((priority) => html`<option value=${priority} ?selected=${priority === values.priority}>${t(`priority.${priority}`)}</option>`)}
          </select>
        </div>
      </div>
      <div class="field-row">
        <div class="field">
          <label for="${prefix}-assignee">${t('ticketPane.field.assignee')}</label>
          <select id="${prefix}-assignee" .value=${live(values.assigneeId ?? '')} ?disabled=${disabled} @change=${choice('assigneeId', (value) => value || null)}>
            <option value="" ?selected=${values.assigneeId === null}>${t('ticketPane.unassigned')}</option>
            ${agents.map((agent) => html`<option value=${agent.id} ?selected=${agent.id === values.assigneeId}>${agent.name}</option>`)}
          </select>
        </div>
        <div class="field">
          <label for="${prefix}-group">${t('ticketPane.field.group')}</label>
          <select id="${prefix}-group" .value=${live(values.groupId ?? '')} ?disabled=${disabled} @change=${choice('groupId', (value) => value || null)}>
            <option value="" ?selected=${values.groupId === null}>${t('ticketPane.noGroup')}</option>
            ${queues.map((queue) => html`<option value=${queue.id} ?selected=${queue.id === values.groupId}>${queue.name}</option>`)}
          </select>
        </div>
      </div>
      ${directory.status === 'failed'
        ? html`<p class="note" role="alert">
            ${t('ticketPane.directoryFailed', { message: directory.error?.message ?? '' })}
            <button type="button" @click=${this.onRetryDirectory}>${t('ticketPane.retry')}</button>
          </p>`
        : nothing}
      <div class="field">
        <label for="${prefix}-due">${t('ticketPane.field.due')}</label>
        <input
          id="${prefix}-due"
          type="datetime-local"
          aria-describedby="${prefix}-due-hint"
          .value=${live(toDateTimeLocal(values.dueAt))}
          ?disabled=${disabled}
          @change=${(event: Event) => onChange({ dueAt: fromDateTimeLocal((event.target as HTMLInputElement).value) })}
        />
        <span class="hint" id="${prefix}-due-hint">${t('ticketPane.dueHint')}</span>
      </div>
      <div class="field">
        <label for="${prefix}-description">${t('ticketPane.field.description')}</label>
        <textarea id="${prefix}-description" rows="6" .value=${live(values.description)} ?disabled=${disabled} @input=${text('description')}></textarea>
      </div>`;
  }

  private renderCreateForm(conversation: Conversation) {
    const t = this.t.bind(this);
    const slice = this.tickets.value;
    const form = slice.newTickets.get(conversation.id);
    if (!form) return nothing;
    const save = slice.saves.get(ticketSaveKey('create', conversation.id));
    const saving = save?.status === 'saving';
    const name = customerName(this.customer.value ?? undefined, t('list.unknownCustomer'));
    const channel = form.sourceChannel ? t(`channel.${form.sourceChannel}`) : '';
    return html`<form part="create-form" class="create-form" aria-labelledby="create-heading" @submit=${this.onCreate}>
      <h3 id="create-heading">${t('ticketPane.createHeading')}</h3>
      <p class="context">${t('ticketPane.createContext', { name, channel })}</p>
      ${this.renderFields('new', form, this.onNewTicketChange, saving)}
      ${this.renderError(save?.status === 'failed' ? t('ticketPane.createFailed', { message: save.error?.message ?? '' }) : null)}
      ${saving ? html`<p class="note" role="status">${t('ticketPane.creating')}</p>` : nothing}
      <div class="actions">
        <button type="submit" class="primary" ?disabled=${saving}>${t('ticketPane.create')}</button>
        <button type="button" ?disabled=${saving} @click=${this.onCancelNew}>${t('ticketPane.cancel')}</button>
      </div>
    </form>`;
  }

  private renderList() {
    const t = this.t.bind(this);
    const { status, error, tickets } = this.currentTickets();
    const now = this.clock.now;
    return html`${status === 'loading' && tickets.length === 0 ? html`<p class="note" role="status">${t('ticketPane.loading')}</p>` : nothing}
      ${status === 'failed'
        ? html`<p class="error" role="alert">
            ${t('ticketPane.loadFailed', { message: error?.message ?? '' })}
            <button type="button" @click=${this.onRetryList}>${t('ticketPane.retry')}</button>
          </p>`
        : nothing}
      ${status === 'loaded' && tickets.length === 0 ? html`<p class="note">${t('ticketPane.empty')}</p>` : nothing}
      ${tickets.length > 0
        ? html`<ul class="tickets" aria-labelledby="customer-heading">
            ${tickets.map((ticket) => {
              const owner = ticket.assigneeId ? this.agentName(ticket.assigneeId) : ticket.groupId ? this.queueName(ticket.groupId) : t('ticketPane.unassigned');
              return html`<li>
                <button type="button" part="ticket-row" class="ticket-row" data-ticket-id=${ticket.id} @click=${() => this.openTicketById(ticket.id)}>
                  <span class="subject">${ticket.subject}</span>
                  <span class="row-meta">
                    ${ticket.id} · <span class="status" data-status=${ticket.status}>${t(`ticketPane.status.${ticket.status}`)}</span> ·
                    ${t(`priority.${ticket.priority}`)} · ${owner}
                  </span>
                  ${this.renderSla(ticket, ticketSla(ticket, now), false)}
                </button>
              </li>`;
            })}
          </ul>`
        : nothing}`;
  }

  private renderWorkflow(ticket: Ticket, save: TicketSave | undefined, busy: boolean) {
    const t = this.t.bind(this);
    const next = TICKET_TRANSITIONS[ticket.status];
    const statusName = (status: TicketStatus) => t(`ticketPane.status.${status}`);
    return html`<section class="workflow" aria-labelledby="workflow-heading">
      <h4 id="workflow-heading" class="visually-hidden">${t('ticketPane.workflow')}</h4>
      <p id="current-status" tabindex="-1">
        ${t('ticketPane.statusLabel')} <strong class="status" data-status=${ticket.status}>${statusName(ticket.status)}</strong>
      </p>
      ${next.length === 0
        ? html`<p class="note">${t('ticketPane.finalStatus')}</p>`
        : html`<div class="moves" role="group" aria-label=${t('ticketPane.moveTo')}>
            ${next.map(
              (status) => html`<button
                type="button"
                data-status=${status}
                aria-label=${t('ticketPane.moveToStatus', { status: statusName(status) })}
                ?disabled=${busy}
                @click=${() => this.onMoveTo(ticket, status)}
              >
                ${statusName(status)}
              </button>`,
            )}
          </div>`}
      ${this.renderError(save?.status === 'failed' ? t('ticketPane.statusFailed', { message: save.error?.message ?? '' }) : null)}
    </section>`;
  }

  private renderHistory(ticket: Ticket) {
    const t = this.t.bind(this);
    const locale = this.i18n.locale;
    const now = this.clock.now;
    const changes = this.tickets.value.statusChanges.get(ticket.id) ?? [];
    const status = (value: TicketStatus) => t(`ticketPane.status.${value}`);
    const entries: { at: number; kind: string; title: string; body: string | null }[] = [
      { at: ticket.createdAt, kind: 'created', title: t('ticketPane.history.created'), body: null },
      ...changes.map((change) => ({ at: change.at, kind: 'status', title: t('ticketPane.history.status', { from: status(change.from), to: status(change.to) }), body: null })),
      ...ticket.comments.map((comment) => ({
        at: comment.createdAt,
        kind: comment.internal ? 'internal' : 'public',
        title: t(comment.internal ? 'ticketPane.history.internal' : 'ticketPane.history.public', { author: comment.authorName }),
        body: comment.body,
      })),
    ];
    entries.sort((a, b) => a.at - b.at);
    return html`<section class="history" part="history" aria-labelledby="history-heading">
      <h4 id="history-heading">${t('ticketPane.history')}</h4>
      <ol>
        ${entries.map(
          (entry) => html`<li class="entry ${entry.kind}" data-kind=${entry.kind}>
            <span class="entry-title">${entry.title}</span>
            <time datetime=${new Date(entry.at).toISOString()}>${formatTimestamp(locale, entry.at, now)}</time>
            ${entry.body === null ? nothing : html`<p class="body">${entry.body}</p>`}
          </li>`,
        )}
      </ol>
    </section>`;
  }

  private renderLinks() {
    const t = this.t.bind(this);
    const links = this.links.value;
    return html`<section class="links" aria-labelledby="links-heading">
      <h4 id="links-heading">${t('ticketPane.linked')}</h4>
      ${links.length === 0
        ? html`<p class="note">${t('ticketPane.linkedNone')}</p>`
        : html`<ul>
            ${links.map((link) => {
              if (typeof link === 'string') {
                return html`<li>
                  <button type="button" class="link" data-conversation-id=${link} @click=${() => this.onOpenConversation(link, null)}>
                    ${t('ticketPane.linkedUnknown', { id: link })}
                  </button>
                </li>`;
              }
              const selected = link.id === this.conversation.value?.id;
              return html`<li>
                <button
                  type="button"
                  class="link"
                  data-conversation-id=${link.id}
                  aria-current=${selected ? 'true' : nothing}
                  @click=${() => this.onOpenConversation(link.id, link.customerId)}
                >
                  <span aria-hidden="true">${CHANNEL_GLYPHS[link.channel]}</span>
                  ${t('ticketPane.linkedConversation', { channel: t(`channel.${link.channel}`) })}${link.subject ? html` · ${link.subject}` : nothing}
                  · ${formatTimestamp(this.i18n.locale, link.lastMessageAt, this.clock.now)}
                </button>
              </li>`;
            })}
          </ul>`}
    </section>`;
  }

  private renderCommentForm(ticket: Ticket, save: TicketSave | undefined) {
    const t = this.t.bind(this);
    if (ticket.status === 'closed') return html`<p class="note">${t('ticketPane.comment.closed')}</p>`;
    const draft = this.tickets.value.comments.get(ticket.id) ?? { body: '', internal: false };
    const saving = save?.status === 'saving';
    return html`<form part="comment-form" class="comment-form" aria-labelledby="comment-heading" @submit=${(event: SubmitEvent) => this.onAddComment(event, ticket)}>
      <h4 id="comment-heading">${t('ticketPane.comment.heading')}</h4>
      <label class="visually-hidden" for="comment-body">${t('ticketPane.comment.label')}</label>
      <textarea
        id="comment-body"
        rows="3"
        class=${draft.internal ? 'internal' : ''}
        .value=${live(draft.body)}
        @input=${(event: Event) => this.onCommentChange(ticket, { body: (event.target as HTMLTextAreaElement).value })}
      ></textarea>
      <fieldset>
        <legend class="visually-hidden">${t('ticketPane.comment.visibility')}</legend>
        <label>
          <input type="radio" name="visibility" value="public" .checked=${live(!draft.internal)} @change=${() => this.onCommentChange(ticket, { internal: false })} />
          ${t('ticketPane.comment.public')}
        </label>
        <label>
          <input type="radio" name="visibility" value="internal" .checked=${live(draft.internal)} @change=${() => this.onCommentChange(ticket, { internal: true })} />
          ${t('ticketPane.comment.internal')}
        </label>
      </fieldset>
      ${this.renderError(save?.status === 'failed' ? t('ticketPane.comment.failed', { message: save.error?.message ?? '' }) : null)}
      <div class="actions">
        <button type="submit" class="primary" ?disabled=${saving || draft.body.trim() === ''}>
          ${t(draft.internal ? 'ticketPane.comment.sendInternal' : 'ticketPane.comment.sendPublic')}
        </button>
      </div>
    </form>`;
  }

  private renderTicket(ticket: Ticket) {
    const t = this.t.bind(this);
    const slice = this.tickets.value;
    const locale = this.i18n.locale;
    const now = this.clock.now;
    const edit = slice.edits.get(ticket.id);
    const values: FieldValues = { ...ticket, ...edit?.changes };
    const fieldsSave = slice.saves.get(ticketSaveKey('fields', ticket.id));
    const statusSave = slice.saves.get(ticketSaveKey('status', ticket.id));
    const commentSave = slice.saves.get(ticketSaveKey('comment', ticket.id));
    const busy = ticketWriteInFlight(slice, ticket.id);
    const conflict = ticketConflict(slice, ticket.id);
    const savingFields = fieldsSave?.status === 'saving';
    // A role without `edit-tickets` reads the ticket; it cannot move, change or comment on it.
    const editable = this.access.value.editTickets;
    const saveError = fieldsSave?.status === 'failed' && fieldsSave.error?.code !== 'conflict' ? fieldsSave.error : null;
    const meta = [
      ticket.id,
      t(`ticketPane.type.${ticket.type}`),
      t(`priority.${ticket.priority}`),
      ...(ticket.sourceChannel ? [t('ticketPane.source', { channel: t(`channel.${ticket.sourceChannel}`) })] : []),
      t('ticketPane.createdAt', { time: formatTimestamp(locale, ticket.createdAt, now) }),
    ].join(' · ');
    return html`<article part="ticket" class="ticket" aria-labelledby="ticket-title" data-ticket-id=${ticket.id} data-version=${ticket.version}>
      <button type="button" class="back" @click=${this.onBack}><span aria-hidden="true">←</span> ${t('ticketPane.back')}</button>
      <h3 id="ticket-title" tabindex="-1">${ticket.subject}</h3>
      <p class="meta">${meta}</p>
      <p class="owner">
        ${ticket.assigneeId ? t('ticketPane.assignedTo', { name: this.agentName(ticket.assigneeId) }) : t('ticketPane.unassigned')}${ticket.groupId
          ? html` · ${this.queueName(ticket.groupId)}`
          : nothing}
      </p>
      <p class="sla-line">${this.renderSla(ticket, ticketSla(ticket, now), true)}</p>
      ${conflict
        ? html`<div class="conflict" role="alert">
            <p>${t('ticketPane.conflict')}</p>
            <div class="actions">
              <button type="button" @click=${() => this.onDiscard(ticket)}>${t('ticketPane.reload')}</button>
              <button type="button" class="primary" @click=${() => this.onKeepEditing(ticket)}>${t('ticketPane.keepEditing')}</button>
            </div>
          </div>`
        : nothing}
      ${this.renderWorkflow(ticket, statusSave, busy || !editable)}
      <form part="ticket-form" class="fields" aria-labelledby="details-heading" @submit=${(event: SubmitEvent) => this.onSaveFields(event, ticket)}>
        <h4 id="details-heading">${t('ticketPane.details')}</h4>
        ${this.renderFields('edit', values, (changes) => this.onFieldsChange(ticket, changes), savingFields || !editable)}
        ${this.renderError(saveError ? t('ticketPane.saveFailed', { message: saveError.message }) : null)}
        ${editable
          ? html`<div class="actions">
              <button type="submit" class="primary" ?disabled=${!edit || busy || conflict}>${t(savingFields ? 'ticketPane.saving' : 'ticketPane.save')}</button>
              <button type="button" ?disabled=${!edit || savingFields} @click=${() => this.onDiscard(ticket)}>${t('ticketPane.discard')}</button>
              ${edit && !savingFields ? html`<span class="note">${t('ticketPane.unsaved')}</span>` : nothing}
            </div>`
          : html`<p class="note read-only">${t('access.ticketsReadOnly')}</p>`}
      </form>
      ${this.renderLinks()} ${this.renderHistory(ticket)} ${editable ? this.renderCommentForm(ticket, commentSave) : nothing}
    </article>`;
  }

  protected override render(): TemplateResult | typeof nothing {
    if (this.enabled.value === false) return nothing;
    const t = this.t.bind(this);
    const conversation = this.conversation.value;
    const creating = conversation ? this.tickets.value.newTickets.has(conversation.id) : false;
    const ticket = conversation && !creating ? this.openTicket() : null;
    const name = customerName(this.customer.value ?? undefined, t('list.unknownCustomer'));
    return html`<section part="base" aria-labelledby="heading">
      <header part="header">
        <h2 id="heading">${t('ticketPane.label')}</h2>
        ${conversation && !creating && this.access.value.editTickets
          ? html`<button type="button" part="create-button" class="primary" @click=${this.onStartNew}>${t('ticketPane.new')}</button>`
          : nothing}
      </header>
      <div class="body">
        ${!conversation
          ? html`<p class="note">${t('ticketPane.noConversation')}</p>`
          : creating
            ? this.renderCreateForm(conversation)
            : ticket
              ? this.renderTicket(ticket)
              : html`<h3 id="customer-heading" class="customer">${t('ticketPane.forCustomer', { name })}</h3>
                  ${this.renderList()}`}
      </div>
    </section>`;
  }
}
