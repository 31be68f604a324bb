import { html, LitElement, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { guard } from 'lit/directives/guard.js';
import { live } from 'lit/directives/live.js';
import type { AssignTarget } from '../../connector/connector.js';
import type { Attachment, CannedReply, Conversation, Message } from '../../connector/model.js';
import { StoreController } from '../../context/store-controller.js';
import { CcConversationTransferEvent } from '../../events/conversation-transfer.js';
import { NO_ACCESS, selectAccess } from '../../store/selectors-access.js';
import { formatBytes, formatCountdown } from '../../i18n/i18n.js';
import { LocaleController } from '../../i18n/locale-controller.js';
import { customerName } from '../../internal/channel.js';
import { ClockController } from '../../internal/clock-controller.js';
import { baseStyles } from '../../internal/shared-styles.js';
import * as actions from '../../store/actions.js';
import * as conversationActions from '../../store/actions-conversation.js';
import type { EmailReplyFields } from '../../store/actions-conversation.js';
import type { DeskStore } from '../../store/create-store.js';
import {
  selectAgent,
  selectCapabilities,
  selectConnectionState,
  selectSelectedConversation,
  selectSelectedCustomer,
  selectSelectedDraft,
  selectSelectedThread,
} from '../../store/selectors.js';
import {
  selectCannedReplies,
  selectSelectedComposerExtras,
  selectSelectedOperation,
  selectTransferTargets,
} from '../../store/selectors-conversation.js';
import { emptyComposerExtras, initialConversationSlice } from '../../store/slices/conversation.js';
import { emptyThread } from '../../store/slices/threads.js';
import { cannedTrigger, fillCannedReply, filterCannedReplies, type CannedTrigger } from './canned-replies.js';
import { conversationStyles } from './conversation.styles.js';
import { defaultEmailFields, isEmailAddress, parseAddresses } from './email-reply.js';
import { renderAttachment, renderMessage } from './message-view.js';
import { smsSegments } from './sms-segments.js';

/** What the agent picked in the transfer list: `agent:<id>` or `queue:<id>`. */
function targetFromValue(value: string): AssignTarget | null {
  const separator = value.indexOf(':');
  const kind = value.slice(0, separator);
  const id = value.slice(separator + 1);
  if (id === '') return null;
  if (kind === 'agent') return { kind: 'agent', agentId: id };
  if (kind === 'queue') return { kind: 'queue', queueId: id };
  return null;
}

/**
 * @summary The selected conversation: its thread across channels and a composer that knows the channel.
 *
 * Chat text shows its web links; images show as thumbnails and every other file as a download link; an email's
 * HTML is sanitised and shown in a sandboxed frame with remote images blocked until the agent allows them.
 * The composer adds subject, recipients and reply-all on email, a segment counter on SMS, and the reply window
 * on WeChat and Douyin (after it closes only internal notes can be sent). Typing `/` lists canned replies
 * (arrows and Enter insert one, Escape closes). Enter sends, Shift+Enter adds a line. The header transfers the
 * conversation to an agent or a queue, and resolves or reopens it.
 *
 * @fires {CcConversationTransferEvent} cc-conversation-transfer - The agent is about to transfer the conversation. Cancelable.
 *
 * @csspart base - The conversation's container.
 * @csspart header - The header with the customer, channel and actions.
 * @csspart actions - The transfer and resolve/reopen buttons.
 * @csspart transfer-panel - The form to pick an agent or a queue.
 * @csspart thread - The scrolling list of messages.
 * @csspart composer - The reply form.
 * @csspart canned-replies - The list of canned replies under the reply box.
 * @csspart send-button - The send button.
 *
 * @cssprop [--cc-conversation-background=var(--cc-color-surface-alt)] - The thread's background.
 * @cssprop [--cc-conversation-inbound-background=var(--cc-color-surface)] - Customer messages.
 * @cssprop [--cc-conversation-outbound-background=#e3edff] - Agent replies.
 * @cssprop [--cc-conversation-note-background=#fff6d6] - Internal notes.
 * @cssprop [--cc-conversation-thumbnail-size=160px] - The largest side of an image attachment's thumbnail.
 */
export class CcConversation extends LitElement {
  static override styles = [baseStyles, conversationStyles];

  static override properties = {
    store: { attribute: false },
    internalNote: { state: true },
    remoteImagesAllowed: { state: true },
    canned: { state: true },
    cannedActive: { state: true },
    transferOpen: { state: true },
    transferChoice: { state: true },
    emailError: { state: true },
  };

  /** The desk store, when used outside `<cc-workspace>`; inside it, the store comes from context. */
  declare store: DeskStore | undefined;
  declare private internalNote: boolean;
  /** Whether the composer was in note mode, per conversation the agent left. */
  private readonly noteModes = new Map<string, boolean>();
  /** Messages whose remote images the agent allowed. */
  declare private remoteImagesAllowed: ReadonlySet<string>;
  /** The `/query` being typed, while the canned reply list is open. */
  declare private canned: CannedTrigger | null;
  declare private cannedActive: number;
  declare private transferOpen: boolean;
  declare private transferChoice: string;
  declare private emailError: string | null;

  private readonly i18n = new LocaleController(this);
  private readonly conversation = new StoreController(this, selectSelectedConversation, null);
  private readonly customer = new StoreController(this, selectSelectedCustomer, null);
  private readonly thread = new StoreController(this, selectSelectedThread, emptyThread);
  private readonly draft = new StoreController(this, selectSelectedDraft, '');
  private readonly agent = new StoreController(this, selectAgent, null);
  private readonly connection = new StoreController(this, selectConnectionState, 'disconnected');
  private readonly capabilities = new StoreController(this, selectCapabilities, null);
  private readonly extras = new StoreController(this, selectSelectedComposerExtras, emptyComposerExtras);
  private readonly operation = new StoreController(this, selectSelectedOperation, null);
  private readonly cannedReplies = new StoreController(this, selectCannedReplies, initialConversationSlice.cannedReplies);
  private readonly transferTargets = new StoreController(this, selectTransferTargets, initialConversationSlice.transferTargets);
  private readonly access = new StoreController(this, selectAccess, NO_ACCESS);
  /** Ticks only while a reply window is counting down. */
  private clock: ClockController | null = null;
  private stickToBottom = true;
  private renderedConversationId: string | null = null;
  /** Where the slash was when the agent closed the list with Escape; that `/query` does not open it again. */
  private cannedDismissedAt: number | null = null;
  private caretAfterUpdate: number | null = null;
  private focusAfterUpdate: 'transfer-target' | 'transfer-button' | 'reply' | null = null;

  constructor() {
    super();
    this.store = undefined;
    this.internalNote = false;
    this.remoteImagesAllowed = new Set();
    this.canned = null;
    this.cannedActive = 0;
    this.transferOpen = false;
    this.transferChoice = '';
    this.emailError = null;
  }

  /** Moves focus to the reply box. */
  focusComposer(): void {
    this.renderRoot.querySelector('textarea')?.focus();
  }

  private get controllers() {
    return [
      this.conversation, this.customer, this.thread, this.draft, this.agent, this.connection, this.capabilities,
      this.extras, this.operation, this.cannedReplies, this.transferTargets, this.access,
    ];
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('store')) {
      for (const controller of this.controllers) controller.setStore(this.store);
    }
    const conversationId = this.conversation.value?.id ?? null;
    if (conversationId !== this.renderedConversationId) {
      // Another conversation: nothing the agent had open in the composer or header belongs to it.
      this.canned = null;
      this.cannedDismissedAt = null;
      this.transferOpen = false;
      this.emailError = null;
      // Note or reply is a choice per conversation: a note meant for one must not become the mode of the next.
      if (this.renderedConversationId !== null) this.noteModes.set(this.renderedConversationId, this.internalNote);
      this.internalNote = conversationId !== null && (this.noteModes.get(conversationId) ?? false);
    }
    this.syncClock();
    const threadElement = this.renderRoot.querySelector('.thread');
    if (threadElement) {
      this.stickToBottom = threadElement.scrollHeight - threadElement.scrollTop - threadElement.clientHeight < 40;
    }
  }

  protected override updated(): void {
    const conversationId = this.conversation.value?.id ?? null;
    const threadElement = this.renderRoot.querySelector('.thread');
    // Follow the newest message unless the agent scrolled up to read older ones; a newly opened one starts at the end.
    if (threadElement && (this.stickToBottom || conversationId !== this.renderedConversationId)) {
      threadElement.scrollTop = threadElement.scrollHeight;
    }
    this.renderedConversationId = conversationId;
    if (this.caretAfterUpdate !== null) {
      const box = this.textarea;
      box?.focus();
      box?.setSelectionRange(this.caretAfterUpdate, this.caretAfterUpdate);
      this.caretAfterUpdate = null;
    }
    if (this.focusAfterUpdate !== null) {
      const target = this.focusAfterUpdate === 'reply' ? this.textarea : this.renderRoot.querySelector<HTMLElement>(`#${this.focusAfterUpdate}`);
      target?.focus();
      this.focusAfterUpdate = null;
    }
  }

  private get textarea(): HTMLTextAreaElement | null {
    return this.renderRoot.querySelector('textarea');
  }

  /** Adds the clock while a reply window counts down and takes it away after, so a quiet thread never re-renders. */
  private syncClock(): void {
    const endsAt = this.conversation.value?.replyWindowEndsAt ?? null;
    const counting = endsAt !== null && endsAt > Date.now();
    if (counting && !this.clock) {
      this.clock = new ClockController(this);
    } else if (!counting && this.clock) {
      this.clock.hostDisconnected();
      this.removeController(this.clock);
      this.clock = null;
    }
  }

  private get now(): number {
    return this.clock?.now ?? Date.now();
  }

  private replyWindowClosed(conversation: Conversation): boolean {
    return conversation.replyWindowEndsAt !== null && this.now > conversation.replyWindowEndsAt;
  }

  private emailFields(conversation: Conversation): EmailReplyFields {
    return this.extras.value.email ?? defaultEmailFields(conversation, this.thread.value.messages, this.customer.value, false);
  }

  private usesEmailHeader(conversation: Conversation): boolean {
    return conversation.channel === 'email' && !this.internalNote;
  }

  // ---- Sending ----------------------------------------------------------------------------------

  private send(): void {
    const conversation = this.conversation.value;
    if (!conversation) return;
    const text = this.draft.value.trim();
    const attachments = this.extras.value.attachments;
    if (!text && attachments.length === 0) return;
    if (!this.internalNote && this.replyWindowClosed(conversation)) return;
    let email: { subject: string; to: string[]; cc: string[] } | undefined;
    if (this.usesEmailHeader(conversation)) {
      const fields = this.emailFields(conversation);
      const to = parseAddresses(fields.to);
      const cc = parseAddresses(fields.cc);
      const invalid = [...to, ...cc].find((address) => !isEmailAddress(address));
      const t = this.i18n.t.bind(this.i18n);
      this.emailError = to.length === 0 ? t('conversation.email.missingTo') : invalid ? t('conversation.email.invalidAddress', { address: invalid }) : null;
      if (this.emailError) {
        const field = to.length === 0 || (invalid !== undefined && to.includes(invalid)) ? '#email-to' : '#email-cc';
        this.renderRoot.querySelector<HTMLInputElement>(field)?.focus();
        return;
      }
      email = { subject: fields.subject.trim(), to, cc };
    }
    this.canned = null;
    this.conversation.dispatch(
      actions.messageSubmitted({
        conversationId: conversation.id,
        clientKey: crypto.randomUUID(),
        text,
        internal: this.internalNote,
        authorName: this.agent.value?.name ?? '',
        submittedAt: Date.now(),
        ...(attachments.length > 0 ? { attachments } : {}),
        ...(email ? { email } : {}),
      }),
    );
  }

  private readonly onSubmit = (event: SubmitEvent): void => {
    event.preventDefault();
    this.send();
  };

  private readonly onRetry = (message: Message): void => {
    if (message.clientKey === null) return;
    this.conversation.dispatch(actions.messageRetryRequested({ conversationId: message.conversationId, clientKey: message.clientKey }));
  };

  private readonly onRetryLoad = (): void => {
    const conversation = this.conversation.value;
    if (conversation) this.conversation.dispatch(actions.olderMessagesRequested({ conversationId: conversation.id }));
  };

  private readonly onAllowRemoteImages = (message: Message): void => {
    this.remoteImagesAllowed = new Set([...this.remoteImagesAllowed, message.id]);
  };

  // ---- Reply box and canned replies -------------------------------------------------------------

  private get cannedEnabled(): boolean {
    return this.capabilities.value?.cannedReplies === true;
  }

  private matchingReplies(): CannedReply[] {
    const trigger = this.canned;
    if (!trigger) return [];
    return filterCannedReplies(this.cannedReplies.value.items, trigger.query, this.i18n.locale);
  }

  /** Opens, narrows or closes the canned reply list from the text before the caret. */
  private updateCannedTrigger(box: HTMLTextAreaElement): void {
    const trigger = this.cannedEnabled ? cannedTrigger(box.value, box.selectionStart ?? box.value.length) : null;
    if (!trigger) {
      this.canned = null;
      this.cannedDismissedAt = null;
      return;
    }
    if (trigger.start === this.cannedDismissedAt) return;
    if (this.canned?.query !== trigger.query || this.canned.start !== trigger.start) this.cannedActive = 0;
    this.canned = trigger;
    const status = this.cannedReplies.value.status;
    if (status === 'idle' || status === 'failed') this.conversation.dispatch(conversationActions.cannedRepliesRequested());
  }

  private insertCannedReply(reply: CannedReply): void {
    const conversation = this.conversation.value;
    const trigger = this.canned;
    if (!conversation || !trigger) return;
    const text = fillCannedReply(reply.text, {
      customerName: this.customer.value?.name ?? '',
      agentName: this.agent.value?.name ?? '',
    });
    const current = this.draft.value;
    const end = trigger.start + 1 + trigger.query.length;
    const next = current.slice(0, trigger.start) + text + current.slice(end);
    this.canned = null;
    this.caretAfterUpdate = trigger.start + text.length;
    this.conversation.dispatch(actions.draftChanged({ conversationId: conversation.id, text: next }));
  }

  private readonly onInput = (event: InputEvent): void => {
    const conversation = this.conversation.value;
    if (!conversation) return;
    const box = event.target as HTMLTextAreaElement;
    this.conversation.dispatch(actions.draftChanged({ conversationId: conversation.id, text: box.value }));
    this.updateCannedTrigger(box);
  };

  /** Handles the canned reply list's keys; true when the key was for the list. */
  private handleCannedKey(event: KeyboardEvent): boolean {
    if (!this.canned) return false;
    const replies = this.matchingReplies();
    switch (event.key) {
      case 'ArrowDown':
      case 'ArrowUp': {
        if (replies.length === 0) return false;
        const step = event.key === 'ArrowDown' ? 1 : -1;
        this.cannedActive = (this.cannedActive + step + replies.length) % replies.length;
        return true;
      }
      case 'Enter':
      case 'Tab': {
        const reply = replies[this.cannedActive];
        if (reply) {
          this.insertCannedReply(reply);
          return true;
        }
        // Enter on "/something" that matches nothing closes the list rather than sending the slash text.
        if (event.key === 'Enter') {
          this.closeCanned();
          return true;
        }
        return false;
      }
      case 'Escape':
        this.closeCanned();
        return true;
      default:
        return false;
    }
  }

  private closeCanned(): void {
    this.cannedDismissedAt = this.canned?.start ?? null;
    this.canned = null;
  }

  private readonly onKeyDown = (event: KeyboardEvent): void => {
    // While an input method is composing (pinyin, say), Enter and the arrows belong to it.
    if (event.isComposing || event.keyCode === 229) return;
    if (this.handleCannedKey(event)) {
      event.preventDefault();
      event.stopPropagation();
      return;
    }
    if (event.key !== 'Enter' || event.shiftKey) return;
    event.preventDefault();
    this.send();
  };

  private readonly onBlur = (): void => {
    this.canned = null;
  };

  // ---- Email fields -----------------------------------------------------------------------------

  private changeEmailFields(change: Partial<EmailReplyFields>): void {
    const conversation = this.conversation.value;
    if (!conversation) return;
    let fields = { ...this.emailFields(conversation), ...change };
    if (change.replyAll !== undefined) {
      // Reply-all decides who is copied; what the agent wrote in the other fields stays.
      const defaults = defaultEmailFields(conversation, this.thread.value.messages, this.customer.value, change.replyAll);
      fields = { ...fields, cc: defaults.cc };
    }
    this.emailError = null;
    this.conversation.dispatch(conversationActions.emailFieldsChanged({ conversationId: conversation.id, fields }));
  }

  // ---- Attachments ------------------------------------------------------------------------------

  private readonly onPickFiles = (): void => {
    this.renderRoot.querySelector<HTMLInputElement>('#attach-input')?.click();
  };

  private readonly onFilesChosen = (event: Event): void => {
    const conversation = this.conversation.value;
    const input = event.target as HTMLInputElement;
    if (!conversation || !input.files) return;
    const attachments: Attachment[] = Array.from(input.files, (file) => ({
      id: crypto.randomUUID(),
      name: file.name,
      mimeType: file.type || 'application/octet-stream',
      size: file.size,
      url: URL.createObjectURL(file),
    }));
    // The same file may be picked again after it was removed.
    input.value = '';
    this.conversation.dispatch(conversationActions.attachmentsAdded({ conversationId: conversation.id, attachments }));
  };

  private removeAttachment(attachment: Attachment): void {
    const conversation = this.conversation.value;
    if (!conversation) return;
    if (attachment.url.startsWith('blob:')) URL.revokeObjectURL(attachment.url);
    this.focusAfterUpdate = 'reply';
    this.conversation.dispatch(conversationActions.attachmentRemoved({ conversationId: conversation.id, attachmentId: attachment.id }));
  }

  // ---- Transfer, resolve, reopen ----------------------------------------------------------------

  /** While an operation is on its way the buttons stay focusable (focus is not lost) but do nothing. */
  private get operationPending(): boolean {
    return this.operation.value?.status === 'pending';
  }

  private readonly onToggleTransfer = (): void => {
    if (this.operationPending) return;
    this.transferOpen = !this.transferOpen;
    if (this.transferOpen) {
      this.transferChoice = '';
      this.focusAfterUpdate = 'transfer-target';
      this.conversation.dispatch(conversationActions.transferTargetsRequested());
    }
  };

  private closeTransfer(): void {
    this.transferOpen = false;
    this.focusAfterUpdate = 'transfer-button';
  }

  private readonly onConfirmTransfer = (): void => {
    const conversation = this.conversation.value;
    const target = targetFromValue(this.transferChoice);
    if (!conversation || !target) return;
    const intent = new CcConversationTransferEvent({ conversationId: conversation.id, target });
    if (!this.dispatchEvent(intent)) return;
    this.conversation.dispatch(conversationActions.transferRequested({ conversationId: conversation.id, target }));
    this.closeTransfer();
  };

  private readonly onTransferKeyDown = (event: KeyboardEvent): void => {
    if (event.key !== 'Escape') return;
    event.preventDefault();
    event.stopPropagation();
    this.closeTransfer();
  };

  private readonly onToggleStatus = (): void => {
    const conversation = this.conversation.value;
    if (!conversation || this.operationPending) return;
    const status = conversation.status === 'resolved' ? 'open' : 'resolved';
    this.conversation.dispatch(conversationActions.statusChangeRequested({ conversationId: conversation.id, status }));
  };

  private readonly onDismissFailure = (): void => {
    const conversation = this.conversation.value;
    if (conversation) this.conversation.dispatch(conversationActions.operationFailureDismissed({ conversationId: conversation.id }));
  };

  // ---- Rendering --------------------------------------------------------------------------------

  private renderThread() {
    const t = this.i18n.t.bind(this.i18n);
    const thread = this.thread.value;
    const allowed = this.remoteImagesAllowed;
    const base = { locale: this.i18n.locale, t, onRetry: this.onRetry, onAllowRemoteImages: this.onAllowRemoteImages };
    return html`<div class="thread" part="thread" role="log" aria-live="polite" aria-label=${t('conversation.thread')} tabindex="0">
      ${thread.nextCursor && thread.status === 'loaded'
        ? html`<button type="button" @click=${this.onRetryLoad}>${t('conversation.olderMessages')}</button>`
        : nothing}
      ${thread.status === 'loading' && thread.messages.length === 0 ? html`<div class="status" role="status">${t('conversation.loading')}</div>` : nothing}
      ${thread.status === 'failed'
        ? html`<div class="status" role="alert">
            ${t('conversation.loadFailed', { message: thread.error?.message ?? '' })}
            <button type="button" @click=${this.onRetryLoad}>${t('conversation.retryLoad')}</button>
          </div>`
        : nothing}
      ${thread.status === 'loaded' && thread.messages.length === 0 ? html`<div class="status">${t('conversation.empty')}</div>` : nothing}
      ${thread.messages.map((message) =>
        renderMessage(message, {
          ...base,
          sendError: message.clientKey ? thread.sendErrors[message.clientKey] : undefined,
          remoteImagesAllowed: allowed.has(message.id),
        }),
      )}
    </div>`;
  }

  private renderActions(conversation: Conversation): TemplateResult {
    const t = this.i18n.t.bind(this.i18n);
    const operation = this.operation.value;
    const pending = operation?.status === 'pending';
    const resolved = conversation.status === 'resolved';
    const pendingText = { transfer: 'conversation.actions.transferring', resolve: 'conversation.actions.resolving', reopen: 'conversation.actions.reopening' } as const;
    const failedText = { transfer: 'conversation.actions.transferFailed', resolve: 'conversation.actions.resolveFailed', reopen: 'conversation.actions.reopenFailed' } as const;
    // A role without `transfer-conversations` is not offered the transfer.
    const canTransfer = this.access.value.transferConversations;
    return html`<div class="actions" part="actions" role="group" aria-label=${t('conversation.actions.label')}>
        ${canTransfer
          ? html`<button
              id="transfer-button"
              type="button"
              aria-expanded=${this.transferOpen ? 'true' : 'false'}
              aria-controls="transfer-panel"
              aria-disabled=${pending ? 'true' : 'false'}
              @click=${this.onToggleTransfer}
            >${t('conversation.actions.transfer')}</button>`
          : nothing}
        <button id="status-button" type="button" aria-disabled=${pending ? 'true' : 'false'} @click=${this.onToggleStatus}>
          ${t(resolved ? 'conversation.actions.reopen' : 'conversation.actions.resolve')}
        </button>
      </div>
      ${this.transferOpen && canTransfer ? this.renderTransferPanel() : nothing}
      <div class="operation" role="status">${pending && operation ? t(pendingText[operation.kind]) : nothing}</div>
      ${operation?.status === 'failed'
        ? html`<div class="operation failed" role="alert">
            ${t(failedText[operation.kind], { message: operation.error?.message ?? '' })}
            <button type="button" @click=${this.onDismissFailure}>${t('conversation.actions.dismiss')}</button>
          </div>`
        : nothing}`;
  }

  private renderTransferPanel(): TemplateResult {
    const t = this.i18n.t.bind(this.i18n);
    const targets = this.transferTargets.value;
    const selfId = this.agent.value?.id;
    const agentLabel = (agent: (typeof targets.agents)[number]) =>
      agent.id === selfId
        ? t('conversation.transfer.you', { name: agent.name })
        : t('conversation.transfer.agentOption', { name: agent.name, presence: t(`conversation.presence.${agent.presence}`) });
    return html`<div id="transfer-panel" class="transfer" part="transfer-panel" role="group" aria-labelledby="transfer-heading" @keydown=${this.onTransferKeyDown}>
      <h3 id="transfer-heading">${t('conversation.transfer.heading')}</h3>
      <label for="transfer-target">${t('conversation.transfer.target')}</label>
      <select id="transfer-target" .value=${live(this.transferChoice)} @change=${(event: Event) => (this.transferChoice = (event.target as HTMLSelectElement).value)}>
        <option value="">${t('conversation.transfer.choose')}</option>
        ${targets.agents.length > 0
          ? html`<optgroup label=${t('conversation.transfer.agents')}>
              ${targets.agents.map((agent) => html`<option value=${`agent:${agent.id}`}>${agentLabel(agent)}</option>`)}
            </optgroup>`
          : nothing}
        ${targets.queues.length > 0
          ? html`<optgroup label=${t('conversation.transfer.queues')}>
              ${targets.queues.map((queue) => html`<option value=${`queue:${queue.id}`}>${queue.name}</option>`)}
            </optgroup>`
          : nothing}
      </select>
      ${targets.status === 'loading' ? html`<span class="hint" role="status">${t('conversation.transfer.loading')}</span>` : nothing}
      ${targets.status === 'failed'
        ? html`<span class="hint failed" role="alert">
            ${t('conversation.transfer.loadFailed', { message: targets.error?.message ?? '' })}
            <button type="button" @click=${() => this.conversation.dispatch(conversationActions.transferTargetsRequested())}>
              ${t('conversation.transfer.retry')}
            </button>
          </span>`
        : nothing}
      <div class="transfer-actions">
        <button type="button" class="primary" ?disabled=${targetFromValue(this.transferChoice) === null} @click=${this.onConfirmTransfer}>
          ${t('conversation.transfer.confirm')}
        </button>
        <button type="button" @click=${() => this.closeTransfer()}>${t('conversation.transfer.cancel')}</button>
      </div>
    </div>`;
  }

  private renderEmailFields(conversation: Conversation): TemplateResult {
    const t = this.i18n.t.bind(this.i18n);
    const fields = this.emailFields(conversation);
    const invalid = this.emailError !== null;
    return html`<fieldset class="email-fields">
      <legend class="visually-hidden">${t('conversation.email.fields')}</legend>
      <label for="email-to">${t('conversation.email.to')}</label>
      <input id="email-to" type="text" inputmode="email" autocomplete="off" .value=${live(fields.to)} aria-invalid=${invalid ? 'true' : 'false'}
        aria-describedby=${invalid ? 'email-error' : nothing}
        @change=${(event: Event) => this.changeEmailFields({ to: (event.target as HTMLInputElement).value })} />
      <label for="email-cc">${t('conversation.email.cc')}</label>
      <input id="email-cc" type="text" inputmode="email" autocomplete="off" .value=${live(fields.cc)}
        @change=${(event: Event) => this.changeEmailFields({ cc: (event.target as HTMLInputElement).value })} />
      <label for="email-subject">${t('conversation.email.subject')}</label>
      <input id="email-subject" type="text" autocomplete="off" .value=${live(fields.subject)}
        @change=${(event: Event) => this.changeEmailFields({ subject: (event.target as HTMLInputElement).value })} />
      <label class="reply-all">
        <input type="checkbox" .checked=${live(fields.replyAll)}
          @change=${(event: Event) => this.changeEmailFields({ replyAll: (event.target as HTMLInputElement).checked })} />
        ${t('conversation.email.replyAll')}
      </label>
      ${invalid ? html`<p id="email-error" class="field-error" role="alert">${this.emailError}</p>` : nothing}
    </fieldset>`;
  }

  private renderReplyWindow(conversation: Conversation): TemplateResult | typeof nothing {
    const endsAt = conversation.replyWindowEndsAt;
    if (endsAt === null) return nothing;
    const t = this.i18n.t.bind(this.i18n);
    const channel = t(`channel.${conversation.channel}`);
    if (this.replyWindowClosed(conversation)) {
      return html`<p id="reply-window" class="reply-window closed" role="status">${t('conversation.window.closed', { channel })}</p>`;
    }
    return html`<p id="reply-window" class="reply-window">
      ${t('conversation.window.open', { channel, countdown: formatCountdown(this.i18n.locale, endsAt - this.now) })}
    </p>`;
  }

  private renderSmsCounter(): TemplateResult {
    const t = this.i18n.t.bind(this.i18n);
    const count = smsSegments(this.draft.value);
    const encoding = t(count.encoding === 'gsm-7' ? 'conversation.sms.gsm' : 'conversation.sms.unicode', { limit: count.perSegment });
    return html`<p id="sms-counter" class="sms-counter" data-segments=${count.segments} data-encoding=${count.encoding}>
      ${t('conversation.sms.counter', { segments: count.segments, remaining: count.remaining })} · ${encoding}
    </p>`;
  }

  private renderCannedList(): TemplateResult | typeof nothing {
    const trigger = this.canned;
    if (!trigger) return nothing;
    const t = this.i18n.t.bind(this.i18n);
    const state = this.cannedReplies.value;
    const replies = this.matchingReplies();
    let status: string;
    if (state.status === 'failed') status = t('conversation.canned.failed', { message: state.error?.message ?? '' });
    else if (state.status !== 'loaded') status = t('conversation.canned.loading');
    else if (replies.length === 0) status = t('conversation.canned.none', { query: trigger.query });
    else status = t('conversation.canned.hint', { count: replies.length });
    return html`<div class="canned" part="canned-replies">
      ${replies.length > 0
        ? html`<ul id="canned-list" role="listbox" aria-label=${t('conversation.canned.label')}>
            ${replies.map(
              (reply, index) => html`<li
                id=${`canned-${index}`}
                role="option"
                aria-selected=${index === this.cannedActive ? 'true' : 'false'}
                class=${index === this.cannedActive ? 'active' : ''}
                @mousedown=${(event: MouseEvent) => event.preventDefault()}
                @click=${() => this.insertCannedReply(reply)}
              >
                <span class="shortcut">/${reply.shortcut}</span>
                <span class="canned-title">${reply.title}</span>
                <span class="canned-text">${reply.text}</span>
              </li>`,
            )}
          </ul>`
        : nothing}
      <p class="canned-status" role="status">${status}</p>
    </div>`;
  }

  private renderPendingAttachments(attachments: readonly Attachment[]): TemplateResult | typeof nothing {
    if (attachments.length === 0) return nothing;
    const t = this.i18n.t.bind(this.i18n);
    const locale = this.i18n.locale;
    return html`<ul class="pending-attachments" aria-label=${t('conversation.attach.list')}>
      ${attachments.map(
        (attachment) => html`<li>
          <span>${t('conversation.attachment', { name: attachment.name, size: formatBytes(locale, attachment.size) })}</span>
          <button type="button" class="remove" aria-label=${t('conversation.attach.remove', { name: attachment.name })} @click=${() => this.removeAttachment(attachment)}>
            <span aria-hidden="true">×</span>
          </button>
        </li>`,
      )}
    </ul>`;
  }

  private renderComposer(conversation: Conversation): TemplateResult {
    const t = this.i18n.t.bind(this.i18n);
    const offline = this.connection.value !== 'connected';
    const attachments = this.extras.value.attachments;
    const blockedByWindow = !this.internalNote && this.replyWindowClosed(conversation);
    const empty = this.draft.value.trim() === '' && attachments.length === 0;
    const showSms = conversation.channel === 'sms' && !this.internalNote;
    const cannedOpen = this.canned !== null;
    const replies = cannedOpen ? this.matchingReplies() : [];
    const describedBy = [conversation.replyWindowEndsAt !== null ? 'reply-window' : '', showSms ? 'sms-counter' : ''].filter(Boolean).join(' ');
    return html`<form part="composer" @submit=${this.onSubmit}>
      ${this.usesEmailHeader(conversation) ? this.renderEmailFields(conversation) : nothing}
      ${this.renderReplyWindow(conversation)}
      <div class="reply-box">
        <label class="visually-hidden" for="reply">${t('composer.label')}</label>
        <textarea
          id="reply"
          .value=${live(this.draft.value)}
          placeholder=${t(this.internalNote ? 'composer.notePlaceholder' : this.cannedEnabled ? 'conversation.composer.placeholder' : 'composer.placeholder')}
          aria-autocomplete=${this.cannedEnabled ? 'list' : nothing}
          aria-controls=${replies.length > 0 ? 'canned-list' : nothing}
          aria-activedescendant=${replies.length > 0 ? `canned-${this.cannedActive}` : nothing}
          aria-describedby=${describedBy || nothing}
          @input=${this.onInput}
          @keydown=${this.onKeyDown}
          @blur=${this.onBlur}
        ></textarea>
        ${this.renderCannedList()}
      </div>
      ${this.renderPendingAttachments(attachments)}
      ${showSms ? this.renderSmsCounter() : nothing}
      ${offline ? html`<div class="offline" role="status">${t('composer.offline')}</div>` : nothing}
      <div class="composer-actions">
        <label>
          <input type="checkbox" .checked=${this.internalNote} @change=${(event: Event) => (this.internalNote = (event.target as HTMLInputElement).checked)} />
          ${t('composer.internal')}
        </label>
        <span class="composer-buttons">
          <button type="button" class="attach" @click=${this.onPickFiles}>${t('conversation.attach.button')}</button>
          <input id="attach-input" type="file" multiple hidden @change=${this.onFilesChosen} />
          <button class="send" part="send-button" type="submit" ?disabled=${empty || blockedByWindow} aria-describedby=${blockedByWindow ? 'reply-window' : nothing}>
            ${t(this.internalNote ? 'composer.sendNote' : 'composer.send')}
          </button>
        </span>
      </div>
    </form>`;
  }

  protected override render() {
    const t = this.i18n.t.bind(this.i18n);
    const conversation = this.conversation.value;
    if (!conversation) {
      return html`<section part="base" aria-label=${t('conversation.label')}><p class="status">${t('conversation.none')}</p></section>`;
    }
    const name = customerName(this.customer.value ?? undefined, t('list.unknownCustomer'));
    return html`<section part="base" aria-labelledby="title">
      <header part="header">
        <div class="heading">
          <h2 id="title">${name}</h2>
          <div class="meta">
            ${t(`channel.${conversation.channel}`)} · ${t(`status.${conversation.status}`)}${conversation.subject ? html` · ${conversation.subject}` : nothing}
          </div>
        </div>
        ${this.renderActions(conversation)}
      </header>
      ${guard([this.thread.value, this.i18n.locale, this.remoteImagesAllowed], () => this.renderThread())}
      ${this.renderComposer(conversation)}
    </section>`;
  }
}
