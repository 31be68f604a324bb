import { ContextProvider } from '@lit/context';
import { html, LitElement, nothing, type PropertyValues } from 'lit';
import type { Subscription } from 'rxjs';
import type { Connector } from '../../connector/connector.js';
import { deskStoreContext, localeContext } from '../../context/desk-context.js';
import { StoreController } from '../../context/store-controller.js';
import { CcConversationSelectEvent } from '../../events/conversation-select.js';
import { CcErrorEvent } from '../../events/error.js';
import { CcMessageSentEvent } from '../../events/message-sent.js';
import { CcAuditEvent } from '../../events/audit.js';
import { auditRecorded } from '../../store/actions-access.js';
import { resolveLocale, translate, type Locale, type MessageKey } from '../../i18n/i18n.js';
import { baseStyles } from '../../internal/shared-styles.js';
import type { Action } from '../../store/action.js';
import * as actions from '../../store/actions.js';
import { ticketLoadFailed } from '../../store/actions-tickets.js';
import { storageRecordsUnreadable } from '../../store/actions-local-data.js';
import { createDeskStore, type DeskStore } from '../../store/create-store.js';
import { checkStorageKey } from '../../storage/crypto.js';
import { clearDeskStorage, countUnsentInDeskStorage, openDeskStorage, unsentError } from '../../storage/desk-storage.js';
import { callerMatched } from '../../store/actions-calls.js';
import { selectTelephonyAvailable } from '../../store/selectors-calls.js';
import type { Agent, TelephonyConfig } from '../../connector/model.js';
import type { Telephony } from '../../telephony/telephony.js';
import { createTabCoordinator } from '../../tabs/tab-coordinator.js';
import { tabCoordinatorName } from '../../store/access-fingerprint.js';
import type { TabCoordinator } from '../../tabs/tabs.js';
import type { StorageOption } from '../../store/effects-storage.js';
import { selectAgent, selectConnectionStatus, selectNotices, selectSelectedConversationId } from '../../store/selectors.js';
import type { Notice } from '../../store/slices/ui.js';
import { compareUrgency } from '../conversation-list/urgency.js';
import { DEFAULT_SHORTCUTS, matchShortcut, type ShortcutAction, type ShortcutMap } from './shortcuts.js';
import { workspaceStyles } from './workspace.styles.js';

/** The parts a workspace can hold; the `features` attribute names the ones to include. */
export type WorkspaceFeature = 'list' | 'conversation' | 'customer' | 'tickets' | 'knowledge' | 'agent-status';
export const WORKSPACE_FEATURES: readonly WorkspaceFeature[] = ['list', 'conversation', 'customer', 'tickets', 'knowledge', 'agent-status'];

/** How the desk arranges its parts: one column with tabs, two panes, or three panes. */
export type WorkspaceLayout = 'narrow' | 'medium' | 'wide';
type Panel = Exclude<WorkspaceFeature, 'agent-status'>;
const SIDE_PANELS: readonly Panel[] = ['customer', 'tickets', 'knowledge'];

/** Widths (of the element, not the window) at which the layout changes. */
const MEDIUM_MIN_WIDTH = 720;
const WIDE_MIN_WIDTH = 1080;

export function layoutForWidth(width: number): WorkspaceLayout {
  return width >= WIDE_MIN_WIDTH ? 'wide' : width >= MEDIUM_MIN_WIDTH ? 'medium' : 'narrow';
}

/** Parses `features="list conversation customer"` (spaces or commas); unknown names are ignored, empty means all. */
export function parseFeatures(value: string | null | undefined): ReadonlySet<WorkspaceFeature> {
  const names = (value ?? '').split(/[\s,]+/u).filter(Boolean);
  const known = names.filter((name): name is WorkspaceFeature => (WORKSPACE_FEATURES as readonly string[]).includes(name));
  return new Set(known.length > 0 ? known : WORKSPACE_FEATURES);
}

const NOT_RUNNING = Symbol('not running');

/** What failed, in the agent's language, by the action that reported it; the backend's own words follow as detail. */
const NOTICE_LEADS: Readonly<Record<string, MessageKey>> = {
  [actions.connectFailed.type]: 'notice.lead.connect',
  [actions.snapshotFailed.type]: 'notice.lead.sync',
  [actions.eventStreamFailed.type]: 'notice.lead.events',
  [actions.conversationsPageFailed.type]: 'notice.lead.page',
  [actions.messagesFailed.type]: 'notice.lead.messages',
  [actions.messageSendFailed.type]: 'notice.lead.send',
  [actions.markReadFailed.type]: 'notice.lead.markRead',
  [actions.customerLoadFailed.type]: 'notice.lead.customer',
  [ticketLoadFailed.type]: 'notice.lead.ticket',
  [actions.storageQuotaExceeded.type]: 'notice.lead.storageQuota',
  [actions.storageFailed.type]: 'notice.lead.storageFailed',
  [actions.storageBlocked.type]: 'notice.lead.storageBlocked',
  [actions.storageOutdated.type]: 'notice.lead.storageOutdated',
  [storageRecordsUnreadable.type]: 'notice.lead.storageUnreadable',
};

function noticeLead(source: string): MessageKey {
  return NOTICE_LEADS[source] ?? 'notice.lead.other';
}

interface OfferAccepting extends HTMLElement {
  acceptTopOffer?: () => void;
}

/**
 * @summary The whole agent desk on one store: inbox, conversation, customer, tickets, knowledge and agent status.
 *
 * Give it a `connector`; without one it starts on the built-in MemoryConnector with demo data, loaded on
 * demand so hosts that bring their own backend never download it. Below 720 px it is one column with tabs;
 * below 1080 px, the inbox beside a tabbed main area; wider, three panes (widths of the element itself).
 *
 * Unless `storage="none"`, it keeps the desk in this browser's IndexedDB (see docs/storage.md): a cache that paints
 * the desk at once on reload, the drafts, and an outbox that sends every reply until the backend confirms it. The
 * database is named after `storage-namespace`, or else the agent's id once connected. With a `storageKey` (a
 * non-extractable AES-GCM CryptoKey) every record is encrypted at rest; `clearLocalData()` is the sign-out path
 * (see docs/security.md).
 *
 * Keyboard shortcuts (remappable with the `shortcuts` property): Alt+N next urgent conversation, Alt+R reply,
 * Alt+A accept the offer at the top, Alt+L inbox, Alt+K knowledge.
 *
 * @fires {CcConversationSelectEvent} cc-conversation-select - The agent picked a conversation. Cancelable.
 * @fires {CcMessageSentEvent} cc-message-sent - The backend accepted a message the agent sent.
 * @fires {CcAuditEvent} cc-audit - The agent did something to keep an audit trail of (profile viewed, PII revealed, ticket changed, customers merged, call recorded).
 * @fires {CcErrorEvent} cc-error - A failure the agent was shown.
 * @fires {CcScreenPopEvent} cc-screen-pop - A call (or a conversation) brought up a customer's profile; on an incoming call the customer panel is shown.
 * @fires {CcCallStartedEvent} cc-call-started - A call was answered (from the phone area).
 * @fires {CcCallEndedEvent} cc-call-ended - A call ended, with its talk time and the reason.
 * @fires {CcCallTransferEvent} cc-call-transfer - The agent is about to transfer a call. Cancelable.
 * @fires {CcCallQualityEvent} cc-call-quality - A quality sample of a call in progress.
 *
 * @slot crm-fields - The host's CRM fields, shown in the customer panel.
 *
 * @csspart base - The workspace's container.
 * @csspart header - The bar with the agent and the connection state.
 * @csspart notices - The list of problems shown to the agent.
 * @csspart tabs - The tab bar of the narrow and medium layouts, and of the side panel in the wide one.
 * @csspart panel - Each area that holds a part.
 * @csspart phone - The phone area (shown when the desk has a phone: a `telephony`, a `telephonyConfig`, or a backend with telephony).
 *
 * @cssprop [--cc-color-accent=#1a5fd0] - Accent colour (buttons, selection, focus); every `--cc-color-*` token
 *   of the light theme can be overridden the same way, and `theme="dark"` switches them all.
 * @cssprop [--cc-font-family=system-ui] - The desk's font.
 * @cssprop [--cc-radius=6px] - Corner radius.
 * @cssprop [--cc-workspace-height=100%] - The desk's height.
 * @cssprop [--cc-workspace-background=var(--cc-color-surface)] - The desk's background.
 * @cssprop [--cc-workspace-header-background=#f3f5f9] - The header's background.
 */
export class CcWorkspace extends LitElement {
  static override styles = [baseStyles, workspaceStyles];

  static override properties = {
    connector: { attribute: false },
    telephony: { attribute: false },
    telephonyConfig: { attribute: false },
    locale: { reflect: true },
    features: {},
    layout: {},
    theme: { reflect: true },
    shortcuts: { attribute: false },
    storage: {},
    storageNamespace: { attribute: 'storage-namespace' },
    storageKey: { attribute: false },
    startError: { state: true },
    view: { state: true },
    sideView: { state: true },
    measuredLayout: { state: true },
  };

  /** The backend. Set it before or after the element is attached; changing it starts a new store. */
  declare connector: Connector | undefined;
  /**
   * The phone, e.g. a `DemoTelephony`. Without it, a SIP phone (sip.js, loaded on demand) is used when
   * `telephonyConfig` is set or the backend has telephony; otherwise the desk has no phone. Read when the desk connects.
   */
  declare telephony: Telephony | undefined;
  /** SIP settings for the phone; default: the backend's `getTelephonyConfig()`. Read when the desk connects. */
  declare telephonyConfig: TelephonyConfig | undefined;
  /** `en` or `zh-CN`; other tags resolve to the nearest supported one. Defaults to the page's language. */
  declare locale: string | undefined;
  /** The parts to include, space- or comma-separated: list conversation customer tickets knowledge agent-status. Default: all. */
  declare features: string | undefined;
  /** `narrow`, `medium` or `wide` to force a layout; by default it follows the element's own width. */
  declare layout: WorkspaceLayout | 'auto' | undefined;
  /** `light` (default), `dark`, or `auto` to follow the system's colour scheme. */
  declare theme: 'light' | 'dark' | 'auto' | undefined;
  /** Keyboard shortcuts by action; what is given replaces the defaults for those actions. */
  declare shortcuts: Partial<ShortcutMap> | undefined;
  /** `none` keeps nothing in the browser (no cache, drafts or outbox across reloads); default: IndexedDB. Read at start. */
  declare storage: 'indexeddb' | 'none' | undefined;
  /** Names the stored desk (`cc-workspace:<namespace>`); default: the agent's id. Set it when agent ids repeat across backends. */
  declare storageNamespace: string | undefined;
  /**
   * Encrypts the stored desk (cache, drafts, outbox) with this AES-GCM key. It must not be extractable: an
   * extractable key is refused and the desk does not start (it says why). Read at start.
   */
  declare storageKey: CryptoKey | undefined;
  declare private startError: string | null;
  /** The panel shown in the main area (narrow and medium layouts). */
  declare private view: Panel;
  /** The panel shown beside the conversation (wide layout). */
  declare private sideView: Panel;
  declare private measuredLayout: WorkspaceLayout;

  private readonly storeProvider = new ContextProvider(this, { context: deskStoreContext });
  private readonly localeProvider = new ContextProvider(this, { context: localeContext, initialValue: 'en' });
  private readonly connection = new StoreController(this, selectConnectionStatus, null);
  private readonly agent = new StoreController(this, selectAgent, null);
  private readonly notices = new StoreController(this, selectNotices, []);
  private readonly selectedId = new StoreController(this, selectSelectedConversationId, null);
  private readonly hasPhone = new StoreController(this, selectTelephonyAvailable, false);
  private deskStore: DeskStore | undefined;
  private storeConnector: Connector | undefined;
  /** A connector this element created itself (the embedded default), so it disconnects it too. */
  private ownedConnector: Connector | undefined;
  private hostEvents: Subscription | undefined;
  private readonly reportedNotices = new Set<string>();
  private startToken = 0;
  /** The host connector the running (or starting) store is for; `undefined` for the built-in one. */
  private runningFor: Connector | undefined | typeof NOT_RUNNING = NOT_RUNNING;
  /** The namespace of the storage the running desk opened, once it is known. */
  private openedNamespace: string | undefined;

  constructor() {
    super();
    this.connector = undefined;
    this.telephony = undefined;
    this.telephonyConfig = undefined;
    this.locale = undefined;
    this.features = undefined;
    this.layout = undefined;
    this.theme = 'light';
    this.shortcuts = undefined;
    this.storage = undefined;
    this.storageNamespace = undefined;
    this.storageKey = undefined;
    this.startError = null;
    this.view = 'list';
    this.sideView = 'customer';
    this.measuredLayout = 'wide';
  }

  private readonly resizeObserver = new ResizeObserver((entries) => {
    const width = entries[entries.length - 1]?.contentRect.width ?? 0;
    if (width > 0) this.measuredLayout = layoutForWidth(width);
  });

  /** The store of the running desk, for hosts that want to observe it or dispatch. */
  get store(): DeskStore | undefined {
    return this.deskStore;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.resizeObserver.observe(this);
    this.addEventListener('keydown', this.onKeyDown);
    void this.start();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.resizeObserver.disconnect();
    this.removeEventListener('keydown', this.onKeyDown);
    // Hosts move elements (keyed lists, tab containers): only a workspace that stays out of the page stops,
    // so a move keeps the store, its drafts and the sends in flight.
    queueMicrotask(() => {
      if (!this.isConnected) this.stop();
    });
  }

  /** The layout in use: forced by the `layout` attribute, or from the element's width. */
  get currentLayout(): WorkspaceLayout {
    return this.layout === 'narrow' || this.layout === 'medium' || this.layout === 'wide' ? this.layout : this.measuredLayout;
  }

  /** Runs a shortcut's action, as if its keys were pressed. */
  runShortcut(action: ShortcutAction): void {
    switch (action) {
      case 'nextUrgent':
        this.selectNextUrgent();
        break;
      case 'focusComposer':
        void this.show('conversation').then(() => this.findPart<HTMLElement & { focusComposer?: () => void }>('cc-conversation')?.focusComposer?.());
        break;
      case 'acceptOffer':
        this.findPart<OfferAccepting>('cc-conversation-list')?.acceptTopOffer?.();
        break;
      case 'focusList':
        void this.show('list').then(() => this.focusPart('cc-conversation-list'));
        break;
      case 'focusKnowledge':
        void this.show('knowledge').then(() => this.focusPart('cc-knowledge-search'));
        break;
    }
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('locale')) this.localeProvider.setValue(this.resolvedLocale);
    // A new connector (or going back to the built-in one) means a new store, even while the old one starts.
    if (changed.has('connector') && this.isConnected && this.connector !== this.runningFor) {
      this.stop();
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
    if (this.deskStore || this.runningFor !== NOT_RUNNING) return;
    const token = ++this.startToken;
    this.runningFor = this.connector;
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
    if (this.storage !== 'none' && this.storageKey) {
      try {
        checkStorageKey(this.storageKey);
      } catch (error) {
        // Never a silent fall back to storage in the clear: the host asked for encryption.
        this.startError = error instanceof Error ? error.message : String(error);
        this.runningFor = NOT_RUNNING;
        return;
      }
    }
    const store = createDeskStore({
      connector,
      ownsConnector: connector === this.ownedConnector,
      telephony: { create: () => this.createTelephony(connector), config: () => this.telephonyConfig ?? null },
      // The phone is shared by the agent's tabs even without storage: one registers and rings.
      tabs: this.tabsOption(connector === this.ownedConnector),
      ...(this.storage === 'none'
        ? {}
        : {
            storage: this.storageOption(connector === this.ownedConnector),
            ownsStorage: true,
          }),
    });
    this.deskStore = store;
    this.storeConnector = connector;
    this.reportedNotices.clear();
    this.hostEvents = store.actions$.subscribe((action) => this.forwardToHost(action));
    this.hostEvents.add(store.select(selectNotices).subscribe((notices) => this.reportNotices(notices)));
    this.storeProvider.setValue(store);
    // A provider does not answer its own host's context requests, so the workspace's own controllers are told directly.
    for (const controller of [this.connection, this.agent, this.notices, this.selectedId, this.hasPhone]) controller.setStore(store);
    store.dispatch(actions.workspaceStarted());
    this.requestUpdate();
  }

  /** The built-in demo backend gets its own database, so its data never mixes with a real backend's. */
  private storageOption(demo: boolean): StorageOption {
    const prefix = demo ? 'demo:' : '';
    const key = this.storageKey;
    const open = (namespace: string) => {
      this.openedNamespace = namespace;
      return openDeskStorage({ namespace, ...(key ? { key } : {}) });
    };
    const namespace = this.storageNamespace;
    return namespace ? open(`${prefix}${namespace}`) : (agentId) => open(`${prefix}${agentId}`);
  }

  /**
   * The sign-out path: stops the desk and deletes what it kept in this browser (the conversation cache, drafts
   * and the outbox). While replies wait for the backend's confirmation it refuses (rejects with a StorageError of
   * reason `unsent` whose message says how many) and the desk keeps running, unless `force` is set, which drops
   * them. After it resolves, give the workspace a new connector (the next agent) or remove it. Other tabs of the
   * desk on the same storage close theirs for good when it is deleted (they never write it back) and go on in
   * memory; sign them out too.
   */
  async clearLocalData(options: { readonly force?: boolean } = {}): Promise<void> {
    const namespace = this.openedNamespace;
    if (!options.force) {
      const stored = namespace ? await countUnsentInDeskStorage(namespace) : 0;
      // Read after the database was counted and right before the desk stops, with nothing awaited in between: a
      // reply the agent sent while the database was counted is in this count, so it is never deleted unseen.
      const inMemory = this.deskStore?.getState().outbox.entries.size ?? 0;
      if (inMemory + stored > 0) throw unsentError(Math.max(inMemory, stored));
    }
    // Synchronous: once stopped, this tab sends and stores nothing more before the delete.
    this.stop();
    if (namespace) await clearDeskStorage(namespace, { force: true });
    this.openedNamespace = undefined;
  }

  /**
   * One leader tab per agent and backend (named like the storage, the built-in demo apart) holds the phone's
   * registration, and, with storage and a connector that can share its socket (the HttpConnector), the event
   * socket and the outbox flush.
   */
  private tabsOption(demo: boolean): (agentId: string, agent: Agent) => TabCoordinator {
    const namespace = this.storageNamespace;
    const prefix = demo ? 'demo:' : '';
    // With the role's access in the name: a masked tab never follows (nor gets the events of) one that sees PII.
    return (agentId, agent) => createTabCoordinator({ name: tabCoordinatorName(`cc-workspace:${prefix}${namespace ?? agentId}`, agent) });
  }

  private stop(): void {
    this.startToken += 1;
    this.runningFor = NOT_RUNNING;
    this.hostEvents?.unsubscribe();
    this.hostEvents = undefined;
    for (const controller of [this.connection, this.agent, this.notices, this.selectedId, this.hasPhone]) controller.setStore(undefined);
    this.deskStore?.destroy();
    this.deskStore = undefined;
    this.storeConnector = undefined;
    this.ownedConnector = undefined;
  }

  /** The host's phone; else a SIP phone (loaded on demand) when there are SIP settings; else none. */
  private async createTelephony(connector: Connector): Promise<Telephony | null> {
    if (this.telephony) return this.telephony;
    if (!this.telephonyConfig && !connector.capabilities.telephony) return null;
    const { loadSipTelephony } = await import('../../telephony/load-sip-telephony.js');
    return loadSipTelephony();
  }

  /**
   * The screen pop of an incoming call: the caller's conversation is selected and the customer panel shown (in every
   * layout, the one-column one too); the panel then tells the host (`cc-screen-pop`).
   */
  private popCaller(conversationId: string | null, callId: string): void {
    const store = this.deskStore;
    const ringing = store?.getState().calls.calls.some((entry) => entry.info.id === callId && entry.info.state === 'ringing');
    if (!store || !ringing || conversationId === null || !this.enabled.has('customer')) return;
    // The panel first, so that selecting the conversation does not move the one-column view to the thread.
    this.sideView = 'customer';
    this.view = 'customer';
    if (store.getState().ui.selectedConversationId !== conversationId) store.dispatch(actions.conversationSelected({ conversationId }));
  }

  /** Outcome events for the host, from the store's actions. */
  private forwardToHost(action: Action): void {
    if (callerMatched.match(action)) this.popCaller(action.payload.conversationId, action.payload.callId);
    if (actions.messageSent.match(action)) {
      this.dispatchEvent(new CcMessageSentEvent({ conversationId: action.payload.conversationId, message: action.payload.message }));
    } else if (auditRecorded.match(action)) {
      this.dispatchEvent(new CcAuditEvent(action.payload.entry));
    } else if (actions.conversationSelected.match(action) && this.view === 'list') {
      this.view = 'conversation';
      // In one column the inbox, and the focus in it, goes away: the reply box is where the agent goes next.
      if (this.currentLayout === 'narrow') {
        void this.updateComplete.then(() => this.findPart<HTMLElement & { focusComposer?: () => void }>('cc-conversation')?.focusComposer?.());
      }
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

  private get enabled(): ReadonlySet<WorkspaceFeature> {
    const features = parseFeatures(this.features);
    const capabilities = this.deskStore?.getState().connection.capabilities;
    if (!capabilities) return features;
    // A backend without a capability has nothing to show in that part.
    const enabled = new Set(features);
    if (!capabilities.tickets) enabled.delete('tickets');
    if (!capabilities.knowledge) enabled.delete('knowledge');
    if (!capabilities.customers) enabled.delete('customer');
    return enabled;
  }

  /** The panels that take turns in the tab bar for the current layout. */
  private tabPanels(layout: WorkspaceLayout): Panel[] {
    const enabled = this.enabled;
    const candidates: readonly Panel[] =
      layout === 'narrow' ? ['list', 'conversation', ...SIDE_PANELS] : layout === 'medium' ? ['conversation', ...SIDE_PANELS] : SIDE_PANELS;
    return candidates.filter((panel) => enabled.has(panel));
  }

  /** The panel the tab bar shows, after falling back to one that exists in this layout. */
  private activeTab(layout: WorkspaceLayout): Panel | undefined {
    const tabs = this.tabPanels(layout);
    const wanted = layout === 'wide' ? this.sideView : this.view;
    return tabs.includes(wanted) ? wanted : tabs[0];
  }

  private isVisible(panel: Panel, layout: WorkspaceLayout): boolean {
    if (!this.enabled.has(panel)) return false;
    if (panel === 'list' && layout !== 'narrow') return true;
    if (panel === 'conversation' && layout === 'wide') return true;
    return this.activeTab(layout) === panel;
  }

  /** Brings a panel into view in whatever layout is in use. */
  private async show(panel: Panel): Promise<void> {
    if (SIDE_PANELS.includes(panel)) this.sideView = panel;
    this.view = panel;
    await this.updateComplete;
  }

  private findPart<E extends HTMLElement>(tag: string): E | null {
    return this.renderRoot.querySelector<E>(tag);
  }

  /** Focuses a part where its own API says (the list's rows, the knowledge search box). */
  private focusPart(tag: string): void {
    const element = this.findPart<HTMLElement & { focusSearch?: () => void }>(tag);
    if (element?.focusSearch) element.focusSearch();
    else element?.focus();
  }

  /** Opens the most urgent conversation waiting for the agent, other than the one open now. */
  private selectNextUrgent(): void {
    const state = this.deskStore?.getState();
    if (!state) return;
    let next: import('../../connector/model.js').Conversation | undefined;
    state.conversations.entities.forEach((conversation) => {
      const waiting = conversation.status !== 'resolved' && (conversation.firstResponseDueAt !== null || conversation.unreadCount > 0);
      if (!waiting || conversation.id === state.ui.selectedConversationId) return;
      if (!next || compareUrgency(conversation, next) < 0) next = conversation;
    });
    if (!next) return;
    // The same intent as picking it in the list: the host hears of it and may keep the current one.
    const intent = new CcConversationSelectEvent({ conversationId: next.id, customerId: next.customerId });
    if (!this.dispatchEvent(intent)) return;
    this.deskStore?.dispatch(actions.conversationSelected({ conversationId: next.id }));
    void this.show('conversation');
  }

  private readonly onKeyDown = (event: KeyboardEvent): void => {
    const action = matchShortcut(event, { ...DEFAULT_SHORTCUTS, ...this.shortcuts });
    if (!action) return;
    event.preventDefault();
    this.runShortcut(action);
  };

  private readonly onTabKeyDown = (event: KeyboardEvent, tabs: readonly Panel[]): void => {
    const current = tabs.indexOf(this.activeTab(this.currentLayout) ?? tabs[0] ?? 'list');
    const moves: Record<string, number> = { ArrowRight: current + 1, ArrowLeft: current - 1, Home: 0, End: tabs.length - 1 };
    const target = moves[event.key];
    if (target === undefined) return;
    event.preventDefault();
    const panel = tabs[(target + tabs.length) % tabs.length];
    if (!panel) return;
    void this.show(panel).then(() => this.renderRoot.querySelector<HTMLElement>(`#tab-${panel}`)?.focus());
  };

  private renderConnection() {
    const connection = this.connection.value;
    const state = connection?.state ?? 'disconnected';
    const label = connection?.state === 'connected' && connection.sync === 'syncing' ? this.t('connection.syncing') : this.t(`connection.${state}`);
    return html`<span class="connection" data-state=${state} role="status"><span class="dot" aria-hidden="true"></span>${label}</span>`;
  }

  private renderTabs(layout: WorkspaceLayout) {
    const tabs = this.tabPanels(layout);
    if (tabs.length < 2) return nothing;
    const active = this.activeTab(layout);
    return html`<div role="tablist" part="tabs" aria-label=${this.t(layout === 'wide' ? 'workspace.side' : 'workspace.tabs')}>
      ${tabs.map(
        (panel) => html`<button
          role="tab"
          id=${`tab-${panel}`}
          aria-selected=${panel === active ? 'true' : 'false'}
          aria-controls=${`panel-${panel}`}
          tabindex=${panel === active ? '0' : '-1'}
          @click=${() => void this.show(panel)}
          @keydown=${(event: KeyboardEvent) => this.onTabKeyDown(event, tabs)}
        >
          ${this.t(`workspace.tab.${panel}`)}
        </button>`,
      )}
    </div>`;
  }

  private renderPanel(panel: Panel, layout: WorkspaceLayout, content: unknown) {
    if (!this.enabled.has(panel)) return nothing;
    const inTabs = this.tabPanels(layout).length > 1 && this.tabPanels(layout).includes(panel);
    const side = SIDE_PANELS.includes(panel) ? 'side' : '';
    return html`<section
      class="panel ${panel} ${side}"
      part="panel"
      id=${`panel-${panel}`}
      role=${inTabs ? 'tabpanel' : 'region'}
      aria-labelledby=${inTabs ? `tab-${panel}` : nothing}
      aria-label=${inTabs ? nothing : this.t(`workspace.tab.${panel}`)}
      ?hidden=${!this.isVisible(panel, layout)}
    >
      ${content}
    </section>`;
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
    const layout = this.currentLayout;
    const enabled = this.enabled;
    return html`<div part="base" role="region" aria-label=${this.t('workspace.label')}>
      <header part="header">
        <span>${agent ? this.t('agent.signedInAs', { name: agent.name }) : nothing}</span>
        ${enabled.has('agent-status') ? html`<cc-agent-status compact></cc-agent-status>` : this.renderConnection()}
      </header>
      <div class="notices" part="notices" role="region" aria-label=${this.t('notice.region')} aria-live="assertive">${notices.map(
        (notice) => html`<div class="notice" data-source=${notice.source}>
          <span><strong>${this.t(noticeLead(notice.source))}</strong> ${this.t('notice.detail', { message: notice.error.message })}</span>
          <button type="button" @click=${() => this.deskStore?.dispatch(actions.noticeDismissed({ noticeId: notice.id }))}>
            ${this.t('notice.dismiss')}
          </button>
        </div>`,
      )}</div>
      ${this.hasPhone.value
        ? html`<section class="phone" part="phone" aria-label=${this.t('softphone.label')}><cc-softphone compact></cc-softphone></section>`
        : nothing}
      <div class="desk" data-layout=${layout}>
        ${this.renderTabs(layout)}
        ${this.renderPanel('list', layout, html`<cc-conversation-list></cc-conversation-list>`)}
        ${this.renderPanel('conversation', layout, html`<cc-conversation></cc-conversation>`)}
        ${this.renderPanel('customer', layout, html`<cc-customer-panel><slot name="crm-fields" slot="crm-fields"></slot></cc-customer-panel>`)}
        ${this.renderPanel('tickets', layout, html`<cc-ticket-pane></cc-ticket-pane>`)}
        ${this.renderPanel('knowledge', layout, html`<cc-knowledge-search></cc-knowledge-search>`)}
      </div>
    </div>`;
  }
}
