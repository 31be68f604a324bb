import { html, LitElement, nothing, type PropertyValues } from 'lit';
import { live } from 'lit/directives/live.js';
import type { Message } from '../../connector/model.js';
import { StoreController } from '../../context/store-controller.js';
import { LocaleController } from '../../i18n/locale-controller.js';
import { customerName } from '../../internal/channel.js';
import { baseStyles } from '../../internal/shared-styles.js';
import * as actions from '../../store/actions.js';
import type { DeskStore } from '../../store/create-store.js';
import {
  selectAgent,
  selectConnectionState,
  selectSelectedConversation,
  selectSelectedCustomer,
  selectSelectedDraft,
  selectSelectedThread,
} from '../../store/selectors.js';
import { emptyThread } from '../../store/slices/threads.js';
import { conversationStyles } from './conversation.styles.js';
import { renderMessage } from './message-view.js';

/**
 * @summary The selected conversation: its thread across channels and a composer to reply or add a note.
 *
 * Enter sends, Shift+Enter adds a line. A reply that cannot be sent stays in the thread, marked, with a retry.
 *
 * @csspart base - The conversation's container.
 * @csspart header - The header with the customer and channel.
 * @csspart thread - The scrolling list of messages.
 * @csspart composer - The reply form.
 * @csspart send-button - The send button.
 *
 * @cssprop [--cc-conversation-background=var(--cc-color-surface-alt)] - The thread's background.
 * @cssprop [--cc-conversation-inbound-background=var(--cc-color-surface)] - Customer messages.
 * @cssprop [--cc-conversation-outbound-background=#e3edff] - Agent replies.
 * @cssprop [--cc-conversation-note-background=#fff6d6] - Internal notes.
 */
export class CcConversation extends LitElement {
  static override styles = [baseStyles, conversationStyles];

  static override properties = {
    store: { attribute: false },
    internalNote: { state: true },
  };

  /** The desk store, when used outside `<cc-workspace>`; inside it, the store comes from context. */
  declare store: DeskStore | undefined;
  declare private internalNote: boolean;

  private readonly i18n = new LocaleController(this);
  private readonly conversation = new StoreController(this, selectSelectedConversation, null);
  private readonly customer = new StoreController(this, selectSelectedCustomer, null);
  private readonly thread = new StoreController(this, selectSelectedThread, emptyThread);
  private readonly draft = new StoreController(this, selectSelectedDraft, '');
  private readonly agent = new StoreController(this, selectAgent, null);
  private readonly connection = new StoreController(this, selectConnectionState, 'disconnected');
  private stickToBottom = true;
  private renderedConversationId: string | null = null;

  constructor() {
    super();
    this.store = undefined;
    this.internalNote = false;
  }

  /** Moves focus to the reply box. */
  focusComposer(): void {
    this.renderRoot.querySelector('textarea')?.focus();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('store')) {
      for (const controller of [this.conversation, this.customer, this.thread, this.draft, this.agent, this.connection]) {
        controller.setStore(this.store);
      }
    }
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
  }

  private send(): void {
    const conversation = this.conversation.value;
    const text = this.draft.value.trim();
    if (!conversation || !text) return;
    this.conversation.dispatch(
      actions.messageSubmitted({
        conversationId: conversation.id,
        clientKey: crypto.randomUUID(),
        text,
        internal: this.internalNote,
        authorName: this.agent.value?.name ?? '',
        submittedAt: Date.now(),
      }),
    );
  }

  private readonly onInput = (event: InputEvent): void => {
    const conversation = this.conversation.value;
    if (!conversation) return;
    const text = (event.target as HTMLTextAreaElement).value;
    this.conversation.dispatch(actions.draftChanged({ conversationId: conversation.id, text }));
  };

  private readonly onKeyDown = (event: KeyboardEvent): void => {
    // While an input method is composing (pinyin, say), Enter picks a candidate; it must not send.
    if (event.key !== 'Enter' || event.shiftKey || event.isComposing || event.keyCode === 229) return;
    event.preventDefault();
    this.send();
  };

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

  private renderThread() {
    const t = this.i18n.t.bind(this.i18n);
    const thread = this.thread.value;
    const context = { locale: this.i18n.locale, t, onRetry: this.onRetry };
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
        renderMessage(message, { ...context, sendError: message.clientKey ? thread.sendErrors[message.clientKey] : undefined }),
      )}
    </div>`;
  }

  protected override render() {
    const t = this.i18n.t.bind(this.i18n);
    const conversation = this.conversation.value;
    if (!conversation) {
      return html`<section part="base" aria-label=${t('conversation.label')}><p class="status">${t('conversation.none')}</p></section>`;
    }
    const name = customerName(this.customer.value ?? undefined, t('list.unknownCustomer'));
    const offline = this.connection.value !== 'connected';
    return html`<section part="base" aria-labelledby="title">
      <header part="header">
        <h2 id="title">${name}</h2>
        <div class="meta">
          ${t(`channel.${conversation.channel}`)} · ${t(`status.${conversation.status}`)}${conversation.subject ? html` · ${conversation.subject}` : nothing}
        </div>
      </header>
      ${this.renderThread()}
      <form part="composer" @submit=${this.onSubmit}>
        <label class="visually-hidden" for="reply">${t('composer.label')}</label>
        <textarea
          id="reply"
          .value=${live(this.draft.value)}
          placeholder=${t(this.internalNote ? 'composer.notePlaceholder' : 'composer.placeholder')}
          @input=${this.onInput}
          @keydown=${this.onKeyDown}
        ></textarea>
        ${offline ? html`<div class="offline" role="status">${t('composer.offline')}</div>` : nothing}
        <div class="composer-actions">
          <label>
            <input type="checkbox" .checked=${this.internalNote} @change=${(event: Event) => (this.internalNote = (event.target as HTMLInputElement).checked)} />
            ${t('composer.internal')}
          </label>
          <button class="send" part="send-button" type="submit" ?disabled=${this.draft.value.trim() === ''}>
            ${t(this.internalNote ? 'composer.sendNote' : 'composer.send')}
          </button>
        </div>
      </form>
    </section>`;
  }
}
