import { html, LitElement, nothing, type PropertyValues } from 'lit';
import { live } from 'lit/directives/live.js';
import { PRESENCES } from '../../connector/model.js';
import type { Channel, ChannelCapacity, Presence } from '../../connector/model.js';
import { StoreController } from '../../context/store-controller.js';
import { CcAgentStatusChangeEvent } from '../../events/agent-status-change.js';
import { formatDuration } from '../../i18n/i18n.js';
import { LocaleController } from '../../i18n/locale-controller.js';
import { ClockController } from '../../internal/clock-controller.js';
import { baseStyles } from '../../internal/shared-styles.js';
import { styleProperties } from '../../internal/style-properties.js';
import * as statusActions from '../../store/actions-agent-status.js';
import type { DeskStore } from '../../store/create-store.js';
import {
  selectCapacity,
  selectCapacityRequests,
  selectConnectionBanner,
  selectPresence,
  selectPresenceRequest,
  selectTodayMetrics,
} from '../../store/selectors-agent-status.js';
import { localDay } from '../../store/slices/agent-status.js';
import { agentStatusStyles } from './agent-status.styles.js';

/**
 * @summary The agent's own status: presence, per-channel capacity and load, the connection, and today's numbers.
 *
 * Presence is a native select (arrow keys pick, the change is sent to the backend); the desk shows the new
 * presence once the backend confirms it, and on a refusal keeps the old one and says why. Each channel's maximum
 * is a number field, sent on Enter or when focus leaves it. The banner tells online, reconnecting or offline, and
 * how many sends are not confirmed yet. Today's metrics are counted from what the desk sees this (local) day;
 * see docs/components/cc-agent-status.md for their definitions.
 *
 * @fires {CcAgentStatusChangeEvent} cc-agent-status-change - The agent's presence changed (by the agent or the backend).
 *
 * @csspart base - The component's container.
 * @csspart banner - The connection banner.
 * @csspart presence - The presence picker.
 * @csspart capacity - The per-channel capacity list.
 * @csspart metrics - Today's metrics.
 * @csspart details - In compact mode, the disclosure that holds capacity and metrics.
 *
 * @cssprop [--cc-agent-status-background=var(--cc-color-surface)] - The component's background.
 * @cssprop [--cc-agent-status-online-color=#1e7d32] - The banner's mark when online.
 * @cssprop [--cc-agent-status-reconnecting-color=#b26a00] - The banner's mark while reconnecting.
 * @cssprop [--cc-agent-status-offline-color=#b3261e] - The banner's mark when offline.
 * @cssprop [--cc-agent-status-load-color=var(--cc-color-accent)] - The capacity bars.
 */
export class CcAgentStatus extends LitElement {
  static override styles = [baseStyles, agentStatusStyles];

  static override properties = {
    store: { attribute: false },
    compact: { type: Boolean, reflect: true },
    capacityDrafts: { state: true },
  };

  /** The desk store, when used outside `<cc-workspace>`; inside it, the store comes from context. */
  declare store: DeskStore | undefined;
  /** One line for a header: the connection and presence, with capacity and today's numbers behind a disclosure. */
  declare compact: boolean;
  /** A maximum the agent typed that is not a valid number, kept in the field with a message until corrected. */
  declare private capacityDrafts: Readonly<Partial<Record<Channel, string>>>;

  private readonly i18n = new LocaleController(this);
  /** Only to notice a new day (metrics start from zero), so once a minute is plenty. */
  private readonly clock = new ClockController(this, 60_000);
  private readonly presence = new StoreController(this, selectPresence, null);
  private readonly presenceRequest = new StoreController(this, selectPresenceRequest, null);
  private readonly capacity = new StoreController(this, selectCapacity, [] as readonly ChannelCapacity[]);
  private readonly capacityRequests = new StoreController(this, selectCapacityRequests, {});
  private readonly banner = new StoreController(this, selectConnectionBanner, null);
  private readonly metrics = new StoreController(this, selectTodayMetrics, null);
  private readonly controllers = [this.presence, this.presenceRequest, this.capacity, this.capacityRequests, this.banner, this.metrics];
  /** The presence last rendered, to tell the host when it changes. */
  private shownPresence: Presence | null = null;
  private presenceChange: { presence: Presence; previous: Presence } | null = null;

  constructor() {
    super();
    this.store = undefined;
    this.compact = false;
    this.capacityDrafts = {};
  }

  /** Moves focus to the presence picker. */
  override focus(options?: FocusOptions): void {
    const select = this.renderRoot.querySelector<HTMLSelectElement>('#presence');
    if (select) select.focus(options);
    else super.focus(options);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('store')) for (const controller of this.controllers) controller.setStore(this.store);
    const presence = this.presence.value;
    if (presence !== null && this.shownPresence !== null && presence !== this.shownPresence) {
      this.presenceChange = { presence, previous: this.shownPresence };
    }
    this.shownPresence = presence;
  }

  protected override updated(): void {
    if (!this.presenceChange) return;
    const change = this.presenceChange;
    this.presenceChange = null;
    this.dispatchEvent(new CcAgentStatusChangeEvent(change));
  }

  private readonly onPresenceChange = (event: Event): void => {
    const presence = (event.target as HTMLSelectElement).value as Presence;
    if (!PRESENCES.includes(presence)) return;
    const request = this.presenceRequest.value;
    const current = request?.status === 'pending' ? request.value : this.presence.value;
    if (presence === current) return;
    this.presence.dispatch(statusActions.presenceChangeRequested({ presence }));
  };

  private readonly onDismissPresenceError = (): void => {
    this.presence.dispatch(statusActions.presenceErrorDismissed());
    this.focus();
  };

  private commitCapacity(channel: Channel, text: string): void {
    const trimmed = text.trim();
    if (!/^\d+$/.test(trimmed)) {
      this.capacityDrafts = { ...this.capacityDrafts, [channel]: text };
      return;
    }
    const drafts = { ...this.capacityDrafts };
    delete drafts[channel];
    this.capacityDrafts = drafts;
    const max = Number(trimmed);
    const request = this.capacityRequests.value[channel];
    const shown = request?.status === 'pending' ? request.value : this.capacity.value.find((entry) => entry.channel === channel)?.max;
    if (max === shown) return;
    this.presence.dispatch(statusActions.capacityChangeRequested({ channel, max }));
  }

  private onCapacityKeyDown(event: KeyboardEvent, channel: Channel): void {
    if (event.key !== 'Enter') return;
    event.preventDefault();
    this.commitCapacity(channel, (event.target as HTMLInputElement).value);
  }

  private renderBanner() {
    const t = this.i18n.t.bind(this.i18n);
    const banner = this.banner.value;
    const state = banner?.state ?? 'offline';
    const queued = banner?.queued ?? 0;
    return html`<div part="banner" class="banner ${state}" data-state=${state} role="status">
      <span class="mark" aria-hidden="true"></span>
      <span class="banner-state">${t(`agentStatus.banner.${state}`)}</span>
      ${queued > 0
        ? html`<span class="queued">${queued === 1 ? t('agentStatus.queuedOne') : t('agentStatus.queued', { count: queued })}</span>`
        : nothing}
    </div>`;
  }

  private renderPresence() {
    const t = this.i18n.t.bind(this.i18n);
    const current = this.presence.value;
    const request = this.presenceRequest.value;
    const shown = request?.status === 'pending' ? request.value : current;
    return html`<div part="presence" class="presence">
      <label for="presence">${t('agentStatus.presence')}</label>
      <span class="presence-mark ${shown ?? 'unknown'}" aria-hidden="true"></span>
      <select id="presence" ?disabled=${current === null} aria-busy=${request?.status === 'pending' ? 'true' : 'false'} @change=${this.onPresenceChange}>
        ${current === null ? html`<option value="" selected>${t('agentStatus.unknownAgent')}</option>` : nothing}
        ${PRESENCES.map(
          (presence) => html`<option value=${presence} .selected=${live(presence === shown)}>
            ${t(`agentStatus.presence.${presence}`)}
          </option>`,
        )}
      </select>
      ${request?.status === 'pending'
        ? html`<span class="pending" role="status">${t('agentStatus.presenceChanging', { presence: t(`agentStatus.presence.${request.value}`) })}</span>`
        : nothing}
      ${request?.status === 'failed'
        ? html`<div class="error" role="alert">
            <span>
              ${t('agentStatus.presenceFailed', {
                current: current ? t(`agentStatus.presence.${current}`) : t('agentStatus.unknownAgent'),
                presence: t(`agentStatus.presence.${request.value}`),
                message: request.error?.message ?? '',
              })}
            </span>
            <button type="button" @click=${this.onDismissPresenceError}>${t('agentStatus.dismiss')}</button>
          </div>`
        : nothing}
    </div>`;
  }

  private renderCapacityEntry(entry: ChannelCapacity) {
    const t = this.i18n.t.bind(this.i18n);
    const { channel, load, max } = entry;
    const name = t(`channel.${channel}`);
    const request = this.capacityRequests.value[channel];
    const shownMax = request?.status === 'pending' ? request.value : max;
    const draft = this.capacityDrafts[channel];
    const fill = shownMax === 0 ? (load > 0 ? 100 : 0) : Math.min(100, (load / shownMax) * 100);
    const errorId = `capacity-${channel}-error`;
    return html`<li class="capacity-entry ${load >= shownMax ? 'full' : ''}" data-channel=${channel}>
      <span class="channel-name">${name}</span>
      <span class="load">${t('agentStatus.capacityLoad', { load, max: shownMax })}</span>
      <span class="bar" aria-hidden="true"><span class="fill" ${styleProperties({ width: `${fill}%` })}></span></span>
      <input
        type="number"
        min="0"
        step="1"
        inputmode="numeric"
        aria-label=${t('agentStatus.capacityMax', { channel: name })}
        aria-invalid=${draft !== undefined ? 'true' : 'false'}
        aria-describedby=${draft !== undefined || request?.status === 'failed' ? errorId : nothing}
        .value=${live(draft ?? String(shownMax))}
        @change=${(event: Event) => this.commitCapacity(channel, (event.target as HTMLInputElement).value)}
        @keydown=${(event: KeyboardEvent) => this.onCapacityKeyDown(event, channel)}
      />
      ${request?.status === 'pending' ? html`<span class="saving" role="status">${t('agentStatus.capacitySaving')}</span>` : nothing}
      ${draft !== undefined
        ? html`<span class="error" id=${errorId} role="alert">${t('agentStatus.capacityInvalid')}</span>`
        : request?.status === 'failed'
          ? html`<span class="error" id=${errorId} role="alert"
              >${t('agentStatus.capacityFailed', { channel: name, max, message: request.error?.message ?? '' })}</span
            >`
          : nothing}
    </li>`;
  }

  private renderCapacity() {
    const t = this.i18n.t.bind(this.i18n);
    const capacity = this.capacity.value;
    return html`<section part="capacity" class="capacity" aria-labelledby="capacity-heading">
      <h3 id="capacity-heading">${t('agentStatus.capacity')}</h3>
      ${capacity.length === 0
        ? html`<p class="empty">${t('agentStatus.capacityEmpty')}</p>`
        : html`<ul>${capacity.map((entry) => this.renderCapacityEntry(entry))}</ul>`}
    </section>`;
  }

  private renderValue(value: string | null) {
    if (value !== null) return value;
    const t = this.i18n.t.bind(this.i18n);
    return html`<span aria-hidden="true">${t('agentStatus.noData')}</span><span class="visually-hidden">${t('agentStatus.noDataLabel')}</span>`;
  }

  private renderMetrics() {
    const t = this.i18n.t.bind(this.i18n);
    const locale = this.i18n.locale;
    const metrics = this.metrics.value;
    // Numbers from an earlier day are not today's: a new day starts at zero even before its first event.
    const today = metrics && metrics.day === localDay(this.clock.now) ? metrics : null;
    const handled = new Intl.NumberFormat(locale).format(today?.handled ?? 0);
    const average = today?.averageHandleMs == null ? null : formatDuration(today.averageHandleMs / 1000);
    const sla =
      today?.firstResponseSlaMet == null
        ? null
        : new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 0 }).format(today.firstResponseSlaMet);
    return html`<section part="metrics" class="metrics" aria-labelledby="metrics-heading">
      <h3 id="metrics-heading">${t('agentStatus.metrics')}</h3>
      <dl>
        <div class="metric" data-metric="handled"><dt>${t('agentStatus.handled')}</dt><dd>${handled}</dd></div>
        <div class="metric" data-metric="average-handle-time"><dt>${t('agentStatus.averageHandleTime')}</dt><dd>${this.renderValue(average)}</dd></div>
        <div class="metric" data-metric="first-response-sla"><dt>${t('agentStatus.firstResponseSla')}</dt><dd>${this.renderValue(sla)}</dd></div>
      </dl>
    </section>`;
  }

  protected override render() {
    if (this.compact) {
      return html`<section part="base" class="compact" aria-label=${this.i18n.t('agentStatus.label')}>
        ${this.renderBanner()} ${this.renderPresence()}
        <details part="details">
          <summary>${this.i18n.t('agentStatus.details')}</summary>
          <div class="details-body">${this.renderCapacity()} ${this.renderMetrics()}</div>
        </details>
      </section>`;
    }
    return html`<section part="base" aria-label=${this.i18n.t('agentStatus.label')}>
      ${this.renderBanner()} ${this.renderPresence()} ${this.renderCapacity()} ${this.renderMetrics()}
    </section>`;
  }
}
