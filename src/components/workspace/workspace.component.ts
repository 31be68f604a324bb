import { ContextProvider } from '@lit/context';
import { html, LitElement, nothing, type PropertyValues } from 'lit';
import type { Subscription } from 'rxjs';
import type { Connector } from '../../connector/connector.js';
import { deskStoreContext, localeContext } from '../../context/desk-context.js';
import { StoreController } from '../../context/store-controller.js';
import { CcErrorEvent } from '../../events/error.js';
import { CcMessageSentEvent } from '../../events/message-sent.js';
import { resolveLocale, translate, type Locale, type MessageKey } from '../../i18n/i18n.js';
import { baseStyles } from '../../internal/shared-styles.js';
import type { Action } from '../../store/action.js';
import * as actions from '../../store/actions.js';
import { createDeskStore, type DeskStore } from '../../store/create-store.js';
import { selectAgent, selectConnectionStatus, selectNotices, selectSelectedConversationId } from '../../store/selectors.js';
import type { Notice } from '../../store/slices/ui.js';
import '../conversation-list/conversation-list.js';
import '../conversation/conversation.js';
import { workspaceStyles } from './workspace.styles.js';

/**
 * @summary The whole agent desk: the conversation list and the selected conversation, on one store.
 *
 * Give it a `connector`; without one it starts on the built-in MemoryConnector with demo data, loaded on
 * demand so hosts that bring their own backend never download it.
 *
 * @fires {CcConversationSelectEvent} cc-conversation-select - The agent picked a conversation. Cancelable.
 * @fires {CcMessageSentEvent} cc-message-sent - The backend accepted a message the agent sent.
 * @fires {CcErrorEvent} cc-error - A failure the agent was shown.
 *
 * @csspart base - The workspace's container.
 * @csspart header - The bar with the agent and the connection state.
 * @csspart notices - The list of problems shown to the agent.
 *
 * @cssprop [--cc-workspace-height=100%] - The desk's height.
 * @cssprop [--cc-workspace-background=var(--cc-color-surface)] - The desk's background.
 * @cssprop [--cc-workspace-header-background=#f3f5f9] - The header's background.
 */
export class CcWorkspace extends LitElement {
  static override styles = [baseStyles, workspaceStyles];

  static override properties = {
    connector: { attribute: false },
    locale: { reflect: true },
    startError: { state: true },
    view: { state: true },
  };

  /** The backend. Set it before or after the element is attached; changing it starts a new store. */
  declare connector: Connector | undefined;
  /** `en` or `zh-CN`; other tags resolve to the nearest supported one. Defaults to the page's language. */
  declare locale: string | undefined;
  declare private startError: string | null;
  /** Which pane a narrow desk shows. */
  declare private view: 'list' | 'conversation';

  private readonly storeProvider = new ContextProvider(this, { context: deskStoreContext });
  private readonly localeProvider = new ContextProvider(this, { context: localeContext, initialValue: 'en' });
  private readonly connection = new StoreController(this, selectConnectionStatus, null);
  private readonly agent = new StoreController(this, selectAgent, null);
  private readonly notices = new StoreController(this, selectNotices, []);
  private readonly selectedId = new StoreController(this, selectSelectedConversationId, null);
  private deskStore: DeskStore | undefined;
  private storeConnector: Connector | undefined;
  /** A connector this element created itself (the embedded default), so it disconnects it too. */
  private ownedConnector: Connector | undefined;
  private hostEvents: Subscription | undefined;
  private readonly reportedNotices = new Set<string>();
  private startToken = 0;

  constructor() {
    super();
    this.connector = undefined;
    this.locale = undefined;
    this.startError = null;
    this.view = 'list';
  }

  /** The store of the running desk, for hosts that want to observe it or dispatch. */
  get store(): DeskStore | undefined {
    return this.deskStore;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.start();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.stop();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('locale')) this.localeProvider.setValue(this.resolvedLocale);
    if (changed.has('connector') && this.isConnected && this.connector !== this.storeConnector && changed.get('connector') !== undefined) {
      this.stop();
      void this.start();
    } else if (changed.has('connector') && this.isConnected && !this.deskStore) {
      void this.start();
    }
  }

  private get resolvedLocale(): Locale {
    return resolveLocale(this.locale ?? (this.closest('[lang]')?.getAttribute('lang') || document.documentElement.lang));
  }

  private t(key: MessageKey, params?: Readonly<Record<string, string | number>>): string {
    return translate(this.resolvedLocale, key, params);
  }

  private async start(): Promise<void> {
    if (this.deskStore) return;
    const token = ++this.startToken;
    this.localeProvider.setValue(this.resolvedLocale);
    let connector = this.connector;
    if (!connector) {
      try {
        const { MemoryConnector } = await import('../../connector/memory/index.js');
        if (token !== this.startToken || this.connector) return;
        connector = new MemoryConnector({ traffic: { ratePerMinute: 6 } });
        this.ownedConnector = connector;
      } catch (error) {
        this.startError = error instanceof Error ? error.message : String(error);
        return;
      }
    }
    if (token !== this.startToken || this.deskStore) return;
    this.startError = null;
    const store = createDeskStore({ connector });
    this.deskStore = store;
    this.storeConnector = connector;
    this.reportedNotices.clear();
    this.hostEvents = store.actions$.subscribe((action) => this.forwardToHost(action));
    this.hostEvents.add(store.select(selectNotices).subscribe((notices) => this.reportNotices(notices)));
    this.storeProvider.setValue(store);
    // A provider does not answer its own host's context requests, so the workspace's own controllers are told directly.
    for (const controller of [this.connection, this.agent, this.notices, this.selectedId]) controller.setStore(store);
    store.dispatch(actions.workspaceStarted());
    this.requestUpdate();
  }

  private stop(): void {
    this.startToken += 1;
    this.hostEvents?.unsubscribe();
    this.hostEvents = undefined;
    for (const controller of [this.connection, this.agent, this.notices, this.selectedId]) controller.setStore(undefined);
    this.deskStore?.destroy();
    this.deskStore = undefined;
    this.storeConnector = undefined;
    if (this.ownedConnector) void this.ownedConnector.disconnect().catch(() => undefined);
    this.ownedConnector = undefined;
  }

  /** Outcome events for the host, from the store's actions. */
  private forwardToHost(action: Action): void {
    if (actions.messageSent.match(action)) {
      this.dispatchEvent(new CcMessageSentEvent({ conversationId: action.payload.conversationId, message: action.payload.message }));
    } else if (actions.conversationSelected.match(action)) {
      this.view = 'conversation';
    }
  }

  /** Every notice the agent is shown is also reported to the host, once. */
  private reportNotices(notices: readonly Notice[]): void {
    for (const notice of notices) {
      if (this.reportedNotices.has(notice.id)) continue;
      this.reportedNotices.add(notice.id);
      this.dispatchEvent(new CcErrorEvent({ source: notice.source, error: notice.error }));
    }
  }

  private readonly onBack = (): void => {
    this.view = 'list';
    void this.updateComplete.then(() => this.renderRoot.querySelector('cc-conversation-list')?.focus());
  };

  private renderConnection() {
    const connection = this.connection.value;
    const state = connection?.state ?? 'disconnected';
    const label = connection?.state === 'connected' && connection.sync === 'syncing' ? this.t('connection.syncing') : this.t(`connection.${state}`);
    return html`<span class="connection" data-state=${state} role="status"><span class="dot" aria-hidden="true"></span>${label}</span>`;
  }

  protected override render() {
    if (this.startError) {
      return html`<div part="base"><p class="status" role="alert">${this.t('workspace.loadFailed', { message: this.startError })}</p></div>`;
    }
    if (!this.deskStore) {
      return html`<div part="base"><p class="status" role="status">${this.t('workspace.loading')}</p></div>`;
    }
    const agent = this.agent.value;
    const notices = this.notices.value;
    return html`<div part="base" role="region" aria-label=${this.t('workspace.label')}>
      <header part="header">
        <span>${agent ? this.t('agent.signedInAs', { name: agent.name }) : nothing}</span>
        ${this.renderConnection()}
      </header>
      <div class="notices" part="notices" role="region" aria-label=${this.t('notice.region')} aria-live="assertive">
        ${notices.map(
          (notice) => html`<div class="notice" data-source=${notice.source}>
            <span>${notice.error.message}</span>
            <button type="button" @click=${() => this.deskStore?.dispatch(actions.noticeDismissed({ noticeId: notice.id }))}>
              ${this.t('notice.dismiss')}
            </button>
          </div>`,
        )}
      </div>
      <div class="panes" data-view=${this.selectedId.value ? this.view : 'list'}>
        <div class="pane list"><cc-conversation-list></cc-conversation-list></div>
        <div class="pane conversation">
          <button type="button" class="back" @click=${this.onBack}>← ${this.t('workspace.back')}</button>
          <cc-conversation></cc-conversation>
        </div>
      </div>
    </div>`;
  }
}
