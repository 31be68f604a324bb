import { html, LitElement, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { live } from 'lit/directives/live.js';
import type { Subscription } from 'rxjs';
import { StoreController } from '../../context/store-controller.js';
import { CcCallEndedEvent } from '../../events/call-ended.js';
import { CcCallQualityEvent } from '../../events/call-quality.js';
import { CcCallStartedEvent } from '../../events/call-started.js';
import { CcCallTransferEvent, type CallTransferKind } from '../../events/call-transfer.js';
import { formatDuration, type MessageKey } from '../../i18n/i18n.js';
import { LocaleController } from '../../i18n/locale-controller.js';
import { ClockController } from '../../internal/clock-controller.js';
import { baseStyles } from '../../internal/shared-styles.js';
import type { Action } from '../../store/action.js';
import * as calls from '../../store/actions-calls.js';
import type { DeskStore } from '../../store/create-store.js';
import type { ErrorInfo } from '../../store/errors.js';
import { NO_ACCESS, selectAccess } from '../../store/selectors-access.js';
import {
  presentCall,
  selectAudioDevices,
  selectCallError,
  selectPendingCallCommand,
  selectRegistration,
  selectShouldRing,
  selectShownCallEntries,
  selectShownWrapUps,
} from '../../store/selectors-calls.js';
import { wrapUpRequestKey, type CallEntry, type DeviceRole, type WrapUp } from '../../store/slices/calls.js';
import { checkDialTarget, type DialTargetProblem } from '../../telephony/dial-target.js';
import { Ringer, type RingerState } from '../../telephony/ringer.js';
import type { AudioDevice, AudioDeviceSelection, CallInfo, CallQuality, TelephonyErrorInfo } from '../../telephony/telephony.js';
import { softphoneStyles } from './softphone.styles.js';

/** The disposition codes the wrap-up offers unless the host sets its own. */
export const DEFAULT_DISPOSITIONS: readonly string[] = ['resolved', 'follow-up', 'callback', 'escalated', 'wrong-number', 'no-resolution'];

const KEYS: readonly (readonly [string, string])[] = [
  ['1', ''],
  ['2', 'ABC'],
  ['3', 'DEF'],
  ['4', 'GHI'],
  ['5', 'JKL'],
  ['6', 'MNO'],
  ['7', 'PQRS'],
  ['8', 'TUV'],
  ['9', 'WXYZ'],
  ['*', ''],
  ['0', '+'],
  ['#', ''],
];

const ROLE_KEYS: readonly { role: DeviceRole; key: keyof AudioDeviceSelection; kind: AudioDevice['kind']; label: MessageKey }[] = [
  { role: 'microphone', key: 'microphoneId', kind: 'audioinput', label: 'softphone.microphone' },
  { role: 'speaker', key: 'speakerId', kind: 'audiooutput', label: 'softphone.speaker' },
  { role: 'ringer', key: 'ringerId', kind: 'audiooutput', label: 'softphone.ringer' },
];

interface WrapUpDraft {
  readonly disposition: string;
  readonly notes: string;
  readonly problem: boolean;
}

/** How a call sounds, from its MOS estimate: 4 and above good, 3.1 and above fair, else poor. */
function qualityRating(quality: CallQuality): 'good' | 'fair' | 'poor' {
  return quality.mos >= 4 ? 'good' : quality.mos >= 3.1 ? 'fair' : 'poor';
}

/**
 * @summary The agent's phone: registration, dial pad, incoming calls with the caller's customer, call controls
 * (mute, hold, keypad, blind and attended transfer), several calls at once, audio devices, live call quality and the
 * wrap-up that records each call in the customer's history.
 *
 * Works on the desk store (from `<cc-workspace>` or the `store` property); the phone itself comes from the store's
 * `telephony` option. An incoming call is announced in a live region and rings on the ringer device; when the
 * browser blocks the ringtone, a visible alert (and a system notification, when allowed) shows the call instead.
 * Shortcuts anywhere on the page while a call rings or is in progress: Alt+Shift+A answer, Alt+Shift+D decline,
 * Alt+Shift+H hold or resume, Alt+Shift+E hang up.
 *
 * Least privilege: for a role without `view-pii` an inbound caller's number is masked, on screen and in the events
 * (the matched customer comes masked from the backend); without `use-phone` the part shows nothing; without
 * `record-calls` the wrap-up says that the call is not recorded and only closes.
 *
 * @fires {CcCallStartedEvent} cc-call-started - A call was answered.
 * @fires {CcCallEndedEvent} cc-call-ended - A call ended; with its talk time and the reason.
 * @fires {CcCallTransferEvent} cc-call-transfer - The agent is about to transfer a call. Cancelable.
 * @fires {CcCallQualityEvent} cc-call-quality - A new quality sample of a call in progress.
 *
 * @csspart base - The phone's container.
 * @csspart status - The registration line with the devices button.
 * @csspart banner - The reconnecting or offline banner.
 * @csspart error-detail - The failure's own text (often the server's, in English) after its translated reason.
 * @csspart alert - The alert shown when the ringtone is blocked.
 * @csspart ringing - An incoming call with its caller and the answer and decline buttons.
 * @csspart call - A call in progress, dialling or on hold, with its controls.
 * @csspart quality - A call's quality figures.
 * @csspart dial-pad - The number field and its keys.
 * @csspart dial-pad__key - One key of the dial pad or of the in-call keypad.
 * @csspart transfer - The transfer form of a call.
 * @csspart devices - The audio device pickers.
 * @csspart wrap-up - A wrap-up form.
 *
 * @cssprop [--cc-softphone-background=var(--cc-color-surface)] - The phone's background.
 * @cssprop [--cc-softphone-ringing-background=#e8f5e9] - An incoming call's background.
 * @cssprop [--cc-softphone-answer-background=#1e7d32] - The answer button.
 * @cssprop [--cc-softphone-hangup-background=#b3261e] - The hang-up and decline buttons.
 */
export class CcSoftphone extends LitElement {
  static override styles = [baseStyles, softphoneStyles];

  static override properties = {
    store: { attribute: false },
    compact: { type: Boolean, reflect: true },
    dispositions: { attribute: false },
    ringer: { attribute: false },
    dialText: { state: true },
    dialProblem: { state: true },
    dialPadOpen: { state: true },
    newCallOpen: { state: true },
    keypadFor: { state: true },
    tonesSent: { state: true },
    transferFor: { state: true },
    transferText: { state: true },
    transferProblem: { state: true },
    transferVetoed: { state: true },
    devicesOpen: { state: true },
    ringerState: { state: true },
    announcement: { state: true },
    wrapUpDrafts: { state: true },
    recordSaved: { state: true },
  };

  /** The desk store, when the phone is used outside `<cc-workspace>`; inside it, the store comes from context. */
  declare store: DeskStore | undefined;
  /** Keeps the dial pad behind a "New call" button while idle, so the phone takes one line of a busy desk. */
  declare compact: boolean;
  /** The disposition codes of the wrap-up, in order; known codes are shown translated, others as they are. */
  declare dispositions: readonly string[];
  /** The ringtone player; replace it to use another sound or, in tests, a fake audio output. */
  declare ringer: Ringer;
  declare private dialText: string;
  declare private dialProblem: DialTargetProblem | null;
  declare private dialPadOpen: boolean;
  declare private newCallOpen: boolean;
  declare private keypadFor: string | null;
  declare private tonesSent: Readonly<Record<string, string>>;
  declare private transferFor: string | null;
  declare private transferText: string;
  declare private transferProblem: DialTargetProblem | null;
  declare private transferVetoed: boolean;
  declare private devicesOpen: boolean;
  declare private ringerState: RingerState;
  declare private announcement: string;
  declare private wrapUpDrafts: Readonly<Record<string, WrapUpDraft>>;
  declare private recordSaved: boolean;

  private readonly i18n = new LocaleController(this);
  private readonly clock = new ClockController(this, 1000);
  private readonly registration = new StoreController(this, selectRegistration, null);
  /** Calls and wrap-ups as this agent may see them: an inbound caller's number masked without `view-pii`. */
  private readonly entries = new StoreController(this, selectShownCallEntries, [] as readonly CallEntry[]);
  private readonly wrapUps = new StoreController(this, selectShownWrapUps, [] as readonly WrapUp[]);
  private readonly access = new StoreController(this, selectAccess, NO_ACCESS);
  private readonly error = new StoreController(this, selectCallError, null);
  private readonly pending = new StoreController(this, selectPendingCallCommand, null);
  private readonly devices = new StoreController(this, selectAudioDevices, null);
  private readonly shouldRing = new StoreController(this, selectShouldRing, false);
  private readonly controllers = [this.registration, this.entries, this.wrapUps, this.access, this.error, this.pending, this.devices, this.shouldRing];
  private actionsStore: DeskStore | undefined;
  private actionsSubscription: Subscription | undefined;
  private stopRingerListener: (() => void) | undefined;
  /** The ringer this element made (closed when the element leaves the page); a host's own ringer is the host's to close. */
  private readonly ownRinger: Ringer;
  /** Calls whose start was reported to the host, and the customer each is with (for the end report). */
  private readonly started = new Set<string>();
  private readonly customerOf = new Map<string, string | null>();
  /** Ringing calls already announced (with what was known of the caller then) and notified. */
  private readonly announced = new Map<string, string>();
  private readonly notified = new Set<string>();
  private ringingIds = '';

  constructor() {
    super();
    this.store = undefined;
    this.compact = false;
    this.dispositions = DEFAULT_DISPOSITIONS;
    this.ownRinger = new Ringer();
    this.ringer = this.ownRinger;
    this.dialText = '';
    this.dialProblem = null;
    this.dialPadOpen = false;
    this.newCallOpen = false;
    this.keypadFor = null;
    this.tonesSent = {};
    this.transferFor = null;
    this.transferText = '';
    this.transferProblem = null;
    this.transferVetoed = false;
    this.devicesOpen = false;
    this.ringerState = 'silent';
    this.announcement = '';
    this.wrapUpDrafts = {};
    this.recordSaved = false;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener('keydown', this.onWindowKeyDown);
    // Back on the page (moved, or re-attached): hear the ringer and the store's actions again.
    this.listenToRinger();
    this.requestUpdate();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener('keydown', this.onWindowKeyDown);
    this.actionsSubscription?.unsubscribe();
    this.actionsSubscription = undefined;
    this.actionsStore = undefined;
    this.stopRingerListener?.();
    this.stopRingerListener = undefined;
    this.releaseRinger(this.ringer);
    // A call still ringing when the element is back rings again.
    this.ringingIds = '';
  }

  private listenToRinger(): void {
    this.stopRingerListener?.();
    this.ringerState = this.ringer.state;
    // The ringer changes state while this element updates (it is driven from `updated()`): render it afterwards.
    this.stopRingerListener = this.ringer.onChange((state) => queueMicrotask(() => (this.ringerState = state)));
  }

  /** Silences a ringer this element no longer uses; its own is closed too (its audio context released). */
  private releaseRinger(ringer: Ringer): void {
    if (ringer === this.ownRinger) ringer.close();
    else ringer.stop();
  }

  /** Moves focus into the phone: the answer button of a ringing call, else the current call's controls, else the number field. */
  override focus(options?: FocusOptions): void {
    const target = this.renderRoot.querySelector<HTMLElement>('.answer, [part="call"] button, #dial-number');
    if (target) target.focus(options);
    else super.focus(options);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('store')) for (const controller of this.controllers) controller.setStore(this.store);
    if (changed.has('ringer')) {
      const previous = changed.get('ringer');
      if (previous && previous !== this.ringer) this.releaseRinger(previous);
      if (this.isConnected) this.listenToRinger();
    }
    const store = this.isConnected ? this.registration.store : undefined;
    if (store !== this.actionsStore) {
      this.actionsSubscription?.unsubscribe();
      this.actionsStore = store;
      this.actionsSubscription = store?.actions$.subscribe((action) => this.onAction(action));
    }
    for (const entry of this.entries.value) {
      if (entry.caller?.customer) this.customerOf.set(entry.info.id, entry.caller.customer.id);
      else if (!this.customerOf.has(entry.info.id)) this.customerOf.set(entry.info.id, null);
    }
    this.announceRinging();
    // A transfer form or keypad of a call that is gone closes with it.
    const ids = new Set(this.entries.value.map((entry) => entry.info.id));
    if (this.transferFor !== null && !ids.has(this.transferFor)) this.transferFor = null;
    if (this.keypadFor !== null && !ids.has(this.keypadFor)) this.keypadFor = null;
  }

  protected override updated(): void {
    this.driveRinger();
  }

  // ---- Host events, from what the phone reports ---------------------------------------------------

  private onAction(action: Action): void {
    if (calls.callUpdated.match(action)) {
      // The host hears of the call as the agent sees it: without `view-pii`, never the caller's clear number.
      const state = this.registration.store?.getState();
      const call = presentCall(action.payload.call, state === undefined ? false : selectAccess(state).viewPii);
      if (call.state === 'active' && call.answeredAt !== null && !this.started.has(call.id)) {
        this.started.add(call.id);
        this.recordSaved = false;
        this.dispatchEvent(
          new CcCallStartedEvent({
            callId: call.id,
            direction: call.direction,
            remoteNumber: call.remoteNumber,
            customerId: this.customerOf.get(call.id) ?? null,
            startedAt: call.answeredAt,
          }),
        );
      } else if (call.state === 'ended') {
        this.reportEnded(call);
      }
    } else if (calls.qualitySampled.match(action)) {
      this.dispatchEvent(new CcCallQualityEvent(action.payload.quality));
    } else if (calls.callRecordSaved.match(action)) {
      this.recordSaved = true;
    } else if (calls.wrapUpClosedElsewhere.match(action)) {
      // Saved or discarded in another tab: what was typed here for it is moot.
      const drafts = { ...this.wrapUpDrafts };
      delete drafts[action.payload.callId];
      this.wrapUpDrafts = drafts;
    }
  }

  private reportEnded(call: CallInfo): void {
    const endedAt = call.endedAt ?? Date.now();
    const durationSeconds = call.answeredAt === null ? 0 : Math.max(0, Math.round((endedAt - call.answeredAt) / 1000));
    this.dispatchEvent(
      new CcCallEndedEvent({
        callId: call.id,
        direction: call.direction,
        remoteNumber: call.remoteNumber,
        customerId: this.customerOf.get(call.id) ?? null,
        reason: call.endReason ?? 'hangup-remote',
        durationSeconds,
        endedAt,
      }),
    );
    this.started.delete(call.id);
    this.customerOf.delete(call.id);
    this.announced.delete(call.id);
    this.notified.delete(call.id);
    const tones = { ...this.tonesSent };
    delete tones[call.id];
    this.tonesSent = tones;
  }

  // ---- Ringing: announcement, ringtone, notification -----------------------------------------------------

  private ringingEntries(): CallEntry[] {
    return this.entries.value.filter((entry) => entry.info.state === 'ringing');
  }

  private announceRinging(): void {
    for (const entry of this.ringingEntries()) {
      const caller = this.callerName(entry);
      const said = this.announced.get(entry.info.id);
      // Announced when it starts ringing, and again once the caller is known by name.
      if (said === caller || (said !== undefined && entry.caller?.status !== 'matched')) continue;
      this.announced.set(entry.info.id, caller);
      this.announcement = this.t('softphone.incomingAnnouncement', { caller, number: entry.info.remoteNumber });
    }
  }

  private driveRinger(): void {
    const ringing = this.ringingEntries();
    const ids = ringing.map((entry) => entry.info.id).join(',');
    const shouldRing = this.shouldRing.value;
    if (!shouldRing) {
      if (this.ringer.state !== 'silent') this.ringer.stop();
      this.ringingIds = '';
      return;
    }
    if (ids !== this.ringingIds) {
      this.ringingIds = ids;
      if (this.ringer.state === 'silent') void this.ringer.start(this.devices.value?.selection.ringerId ?? null);
    }
    if (this.ringerState === 'blocked') this.notifyRinging(ringing);
  }

  private notifyRinging(ringing: readonly CallEntry[]): void {
    if (typeof Notification !== 'function' || Notification.permission !== 'granted') return;
    for (const entry of ringing) {
      if (this.notified.has(entry.info.id)) continue;
      this.notified.add(entry.info.id);
      const notification = new Notification(this.t('softphone.notificationTitle'), {
        body: this.t('softphone.incomingFrom', { caller: this.callerName(entry) }),
        tag: `cc-call-${entry.info.id}`,
        requireInteraction: true,
      });
      notification.onclick = () => {
        window.focus();
        this.focus();
      };
    }
  }

  private readonly onEnableSound = (): void => {
    void this.ringer.unlock();
  };

  private readonly onAllowNotifications = (): void => {
    if (typeof Notification !== 'function') return;
    void Notification.requestPermission().then(() => this.requestUpdate());
  };

  // ---- Intents -------------------------------------------------------------------------------------

  private dispatch(action: Action): void {
    this.registration.dispatch(action);
  }

  private t(key: MessageKey, params?: Readonly<Record<string, string | number>>): string {
    return this.i18n.t(key, params);
  }

  private currentCall(): CallEntry | undefined {
    const mine = this.entries.value.filter((entry) => entry.info.consultFor === null || entry.info.state === 'active');
    return mine.find((entry) => entry.info.state === 'active') ?? mine.find((entry) => entry.info.state === 'dialing');
  }

  private answer(callId: string): void {
    void this.ringer.unlock();
    this.dispatch(calls.answerRequested({ callId }));
    // Focus follows the call, so the next keys (hold, hang up) are where the agent is.
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>(`[data-call-id="${callId}"] .hangup`)?.focus());
  }

  private readonly onWindowKeyDown = (event: KeyboardEvent): void => {
    if (!event.altKey || !event.shiftKey || event.ctrlKey || event.metaKey) return;
    const ringing = this.ringingEntries()[0];
    const current = this.currentCall();
    const held = this.entries.value.find((entry) => entry.info.state === 'held' && entry.info.consultFor === null);
    let handled = true;
    if (event.code === 'KeyA' && ringing) this.answer(ringing.info.id);
    else if (event.code === 'KeyD' && ringing) this.dispatch(calls.rejectRequested({ callId: ringing.info.id }));
    else if (event.code === 'KeyH' && current?.info.state === 'active') this.dispatch(calls.holdRequested({ callId: current.info.id }));
    else if (event.code === 'KeyH' && held) this.dispatch(calls.resumeRequested({ callId: held.info.id }));
    else if (event.code === 'KeyE' && current) this.dispatch(calls.hangupRequested({ callId: current.info.id }));
    else handled = false;
    if (handled) event.preventDefault();
  };

  private readonly onDialInput = (event: InputEvent): void => {
    this.dialText = (event.target as HTMLInputElement).value;
    this.dialProblem = null;
  };

  private readonly onDialSubmit = (event: SubmitEvent): void => {
    event.preventDefault();
    const checked = checkDialTarget(this.dialText);
    if (!checked.ok) {
      this.dialProblem = checked.problem;
      this.renderRoot.querySelector<HTMLInputElement>('#dial-number')?.focus();
      return;
    }
    this.dialProblem = null;
    this.dialText = '';
    this.newCallOpen = false;
    this.recordSaved = false;
    this.dispatch(calls.dialRequested({ target: checked.target }));
  };

  private pressDialKey(key: string): void {
    this.dialText += key;
    this.dialProblem = null;
    this.renderRoot.querySelector<HTMLInputElement>('#dial-number')?.focus();
  }

  private readonly onOpenNewCall = (): void => {
    this.newCallOpen = true;
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLInputElement>('#dial-number')?.focus());
  };

  private readonly onBackspace = (): void => {
    this.dialText = this.dialText.slice(0, -1);
    this.renderRoot.querySelector<HTMLInputElement>('#dial-number')?.focus();
  };

  private sendTone(callId: string, tone: string): void {
    this.tonesSent = { ...this.tonesSent, [callId]: `${this.tonesSent[callId] ?? ''}${tone}` };
    this.dispatch(calls.dtmfRequested({ callId, tones: tone }));
  }

  private onKeypadKeyDown(event: KeyboardEvent, callId: string): void {
    // Typing a tone while the keypad has focus sends it, as a desk phone's keys would.
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    const tone = event.key.toUpperCase();
    if (!/^[0-9*#A-D]$/u.test(tone)) return;
    event.preventDefault();
    this.sendTone(callId, tone);
  }

  private openTransfer(callId: string): void {
    this.transferFor = callId;
    this.transferText = '';
    this.transferProblem = null;
    this.transferVetoed = false;
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLInputElement>('#transfer-target')?.focus());
  }

  private submitTransfer(callId: string, kind: CallTransferKind): void {
    const checked = checkDialTarget(this.transferText);
    if (!checked.ok) {
      this.transferProblem = checked.problem;
      this.renderRoot.querySelector<HTMLInputElement>('#transfer-target')?.focus();
      return;
    }
    const intent = new CcCallTransferEvent({ callId, target: checked.target, kind });
    if (!this.dispatchEvent(intent)) {
      this.transferVetoed = true;
      return;
    }
    this.transferFor = null;
    this.dispatch(kind === 'blind' ? calls.blindTransferRequested({ callId, target: checked.target }) : calls.consultRequested({ callId, target: checked.target }));
  }

  private changeDevice(key: keyof AudioDeviceSelection, value: string): void {
    this.dispatch(calls.devicesChangeRequested({ selection: { [key]: value === '' ? null : value } }));
    // The ringer plays on its own device: a change while ringing moves the ringtone there.
    if (key === 'ringerId' && this.ringer.state === 'ringing') void this.ringer.start(value === '' ? null : value);
  }

  private draftOf(wrapUp: WrapUp): WrapUpDraft {
    return this.wrapUpDrafts[wrapUp.call.id] ?? { disposition: '', notes: '', problem: false };
  }

  private setDraft(callId: string, change: Partial<WrapUpDraft>): void {
    const current = this.wrapUpDrafts[callId] ?? { disposition: '', notes: '', problem: false };
    this.wrapUpDrafts = { ...this.wrapUpDrafts, [callId]: { ...current, ...change } };
  }

  private submitWrapUp(event: SubmitEvent, wrapUp: WrapUp): void {
    event.preventDefault();
    const draft = this.draftOf(wrapUp);
    if (draft.disposition === '') {
      this.setDraft(wrapUp.call.id, { problem: true });
      (event.currentTarget as HTMLFormElement).querySelector<HTMLSelectElement>('select')?.focus();
      return;
    }
    // The key comes from the call: a retry of the same form, or a save of it in another tab, records the call once.
    const body = { disposition: draft.disposition, notes: draft.notes };
    this.dispatch(calls.wrapUpSubmitted({ callId: wrapUp.call.id, ...body, requestKey: wrapUpRequestKey(wrapUp, body) }));
  }

  private discardWrapUp(wrapUp: WrapUp): void {
    const drafts = { ...this.wrapUpDrafts };
    delete drafts[wrapUp.call.id];
    this.wrapUpDrafts = drafts;
    this.dispatch(calls.wrapUpDiscarded({ callId: wrapUp.call.id }));
  }

  // ---- Rendering ---------------------------------------------------------------------------------------

  private callerName(entry: CallEntry): string {
    return entry.caller?.customer?.name.trim() || entry.info.remoteDisplayName?.trim() || entry.info.remoteNumber;
  }

  /** Why the phone failed, in the agent's language (the adapter's own text is often the SIP server's English). */
  private telephonyReason(error: TelephonyErrorInfo | null | undefined): string {
    return this.t(`softphone.reason.${error?.code ?? 'failed'}`);
  }

  /** The failure's own text, kept as a secondary detail for support; untrusted, bound as text. */
  private errorDetail(error: TelephonyErrorInfo | ErrorInfo | null | undefined) {
    return error?.message ? html` <span part="error-detail" class="error-detail">${this.t('softphone.errorDetail', { detail: error.message })}</span>` : nothing;
  }

  private dispositionLabel(code: string): string {
    const key = `softphone.disposition.${code}` as MessageKey;
    const text = this.t(key);
    return text === key ? code : text;
  }

  private problemText(problem: DialTargetProblem): string {
    return this.t(`softphone.problem.${problem}`);
  }

  private renderStatus() {
    const registration = this.registration.value;
    const state = registration?.availability === 'none' ? 'none' : (registration?.registration ?? 'unregistered');
    return html`<div part="status" class="status">
      <span class="registration" data-state=${state} role="status"><span class="mark" aria-hidden="true"></span>${this.t(`softphone.registration.${state}`)}</span>
      <button
        type="button"
        class="devices-toggle"
        aria-expanded=${this.devicesOpen ? 'true' : 'false'}
        aria-controls="devices"
        @click=${() => (this.devicesOpen = !this.devicesOpen)}
      >
        ${this.t('softphone.devices')}
      </button>
    </div>`;
  }

  private renderBanners() {
    const registration = this.registration.value;
    const fallback = this.devices.value?.fallback ?? null;
    const error = this.error.value;
    return html`${registration?.registration === 'reconnecting'
      ? html`<p part="banner" class="banner reconnecting" role="status">${this.t('softphone.reconnectingBanner')}</p>`
      : nothing}
    ${registration?.registration === 'failed'
      ? html`<p part="banner" class="banner failed" role="alert"><span>${this.t('softphone.failedBanner', { message: this.telephonyReason(registration.error) })}</span>${this.errorDetail(registration.error)}</p>`
      : nothing}
    ${this.ringerState === 'blocked' && this.ringingEntries().length > 0
      ? html`<div part="alert" class="alert autoplay" role="alert">
          <span>${this.t('softphone.autoplayBlocked')}</span>
          <button type="button" class="enable-sound" @click=${this.onEnableSound}>${this.t('softphone.enableSound')}</button>
          ${typeof Notification === 'function' && Notification.permission === 'default'
            ? html`<button type="button" class="allow-notifications" @click=${this.onAllowNotifications}>${this.t('softphone.allowNotifications')}</button>`
            : nothing}
        </div>`
      : nothing}
    ${fallback
      ? html`<div class="notice fallback" role="status">
          <span>${this.t(`softphone.fallback.${fallback.role}`, { label: fallback.label || this.t('softphone.fallbackUnnamed') })}</span>
          <button type="button" @click=${() => this.dispatch(calls.deviceFallbackDismissed())}>${this.t('softphone.dismiss')}</button>
        </div>`
      : nothing}
    ${error
      ? html`<div class="notice error" role="alert">
          <span>${this.t(`softphone.error.${error.command}`, { message: this.telephonyReason(error.error) })}${this.errorDetail(error.error)}</span>
          <button type="button" @click=${() => this.dispatch(calls.callErrorDismissed())}>${this.t('softphone.dismiss')}</button>
        </div>`
      : nothing}`;
  }

  private renderDevices() {
    if (!this.devicesOpen) return nothing;
    const view = this.devices.value;
    const devices = view?.devices ?? [];
    return html`<fieldset part="devices" id="devices" class="devices">
      <legend>${this.t('softphone.devices')}</legend>
      ${ROLE_KEYS.map(({ role, key, kind, label }) => {
        const options = devices.filter((device) => device.kind === kind);
        const selected = view?.selection[key] ?? null;
        return html`<label class="device" data-role=${role}>
          <span>${this.t(label)}</span>
          <select @change=${(event: Event) => this.changeDevice(key, (event.target as HTMLSelectElement).value)}>
            <option value="" .selected=${live(selected === null)}>${this.t('softphone.systemDefault')}</option>
            ${options.map(
              (device, index) =>
                html`<option value=${device.id} .selected=${live(device.id === selected)}>
                  ${device.label || this.t('softphone.unnamedDevice', { number: index + 1 })}
                </option>`,
            )}
          </select>
        </label>`;
      })}
    </fieldset>`;
  }

  private renderCaller(entry: CallEntry) {
    const caller = entry.caller;
    const customer = caller?.customer ?? null;
    return html`<div class="caller">
      <span class="caller-name">${this.callerName(entry)}</span>
      ${customer && customer.vipLevel > 0 ? html`<span class="vip">${this.t('softphone.vip', { level: customer.vipLevel })}</span>` : nothing}
      <span class="number">${entry.info.remoteNumber}</span>
      ${caller?.status === 'looking' ? html`<span class="muted">${this.t('softphone.lookingUp')}</span>` : nothing}
      ${caller?.status === 'unknown' ? html`<span class="muted">${this.t('softphone.unknownCaller')}</span>` : nothing}
      ${caller?.status === 'failed' ? html`<span class="muted">${this.t('softphone.lookupFailed')}</span>` : nothing}
    </div>`;
  }

  private renderRinging(entry: CallEntry) {
    const id = entry.info.id;
    const busy = this.pending.value?.callId === id;
    return html`<section part="ringing" class="ringing" data-call-id=${id} aria-labelledby=${`ringing-${id}`}>
      <h3 id=${`ringing-${id}`}>${this.t('softphone.incoming')}</h3>
      ${this.renderCaller(entry)}
      <div class="actions">
        <button type="button" class="answer" aria-keyshortcuts="Alt+Shift+A" ?disabled=${busy} @click=${() => this.answer(id)}>
          ${this.t('softphone.answer')}
        </button>
        <button type="button" class="decline" aria-keyshortcuts="Alt+Shift+D" ?disabled=${busy} @click=${() => this.dispatch(calls.rejectRequested({ callId: id }))}>
          ${this.t('softphone.decline')}
        </button>
      </div>
    </section>`;
  }

  private renderQuality(quality: CallQuality | null) {
    if (!quality) return nothing;
    const locale = this.i18n.locale;
    const number = (value: number, digits: number) => new Intl.NumberFormat(locale, { maximumFractionDigits: digits }).format(value);
    const rating = qualityRating(quality);
    return html`<div part="quality" class="quality" data-rating=${rating} role="group" aria-label=${this.t('softphone.quality')}>
      <span class="rating"><span class="rating-mark" aria-hidden="true"></span>${this.t('softphone.quality.summary', { rating: this.t(`softphone.quality.${rating}`), mos: number(quality.mos, 1) })}</span>
      <dl>
        <div data-metric="mos"><dt>${this.t('softphone.mos')}</dt><dd>${number(quality.mos, 2)}</dd></div>
        <div data-metric="jitter"><dt>${this.t('softphone.jitter')}</dt><dd>${this.t('softphone.milliseconds', { value: number(quality.jitterMs, 1) })}</dd></div>
        <div data-metric="loss"><dt>${this.t('softphone.loss')}</dt><dd>${this.t('softphone.percent', { value: number(quality.packetLossPercent, 1) })}</dd></div>
        <div data-metric="rtt">
          <dt>${this.t('softphone.rtt')}</dt>
          <dd>${quality.roundTripMs === null ? this.t('softphone.notAvailable') : this.t('softphone.milliseconds', { value: number(quality.roundTripMs, 0) })}</dd>
        </div>
      </dl>
    </div>`;
  }

  private renderKeypad(callId: string) {
    const sent = this.tonesSent[callId] ?? '';
    return html`<div class="keypad" role="group" aria-label=${this.t('softphone.keypadLabel')} @keydown=${(event: KeyboardEvent) => this.onKeypadKeyDown(event, callId)}>
      <div class="keys">
        ${KEYS.map(
          ([key]) => html`<button type="button" part="dial-pad__key" class="key" aria-label=${this.t('softphone.key', { key })} @click=${() => this.sendTone(callId, key)}>${key}</button>`,
        )}
      </div>
      <p class="muted" role="status">${sent ? this.t('softphone.tonesSent', { tones: sent }) : nothing}</p>
    </div>`;
  }

  private renderTransfer(callId: string) {
    return html`<form part="transfer" class="transfer" @submit=${(event: SubmitEvent) => {
      event.preventDefault();
      this.submitTransfer(callId, 'blind');
    }}>
      <label for="transfer-target">${this.t('softphone.transferTarget')}</label>
      <input
        id="transfer-target"
        type="text"
        inputmode="tel"
        autocomplete="off"
        .value=${live(this.transferText)}
        aria-invalid=${this.transferProblem ? 'true' : 'false'}
        aria-describedby="transfer-problem"
        @input=${(event: InputEvent) => {
          this.transferText = (event.target as HTMLInputElement).value;
          this.transferProblem = null;
          this.transferVetoed = false;
        }}
      />
      <div id="transfer-problem" class="problem" role="alert">
        ${this.transferProblem ? this.problemText(this.transferProblem) : this.transferVetoed ? this.t('softphone.transferVetoed') : nothing}
      </div>
      <div class="actions">
        <button type="submit" class="transfer-now">${this.t('softphone.transferNow')}</button>
        <button type="button" class="consult" @click=${() => this.submitTransfer(callId, 'attended')}>${this.t('softphone.consult')}</button>
        <button type="button" class="cancel" @click=${() => (this.transferFor = null)}>${this.t('softphone.cancel')}</button>
      </div>
    </form>`;
  }

  private renderConsult(entry: CallEntry, consult: CallEntry) {
    const callId = entry.info.id;
    const target = this.callerName(consult);
    const answered = consult.info.state !== 'dialing';
    return html`<div class="consult-panel" role="group" aria-label=${this.t('softphone.consulting', { target })}>
      <p role="status">${answered ? this.t('softphone.consulting', { target }) : this.t('softphone.consultCalling', { target })}</p>
      <div class="actions">
        <button
          type="button"
          class="complete-transfer"
          ?disabled=${!answered}
          @click=${() => this.dispatch(calls.transferCompletionRequested({ callId, consultCallId: consult.info.id }))}
        >
          ${this.t('softphone.completeTransfer')}
        </button>
        <button type="button" class="cancel-transfer" @click=${() => this.dispatch(calls.transferCancellationRequested({ callId, consultCallId: consult.info.id }))}>
          ${this.t('softphone.cancelTransfer')}
        </button>
      </div>
    </div>`;
  }

  private renderCall(entry: CallEntry, others: readonly CallEntry[]) {
    const { info } = entry;
    const id = info.id;
    const consult = this.entries.value.find((candidate) => candidate.info.consultFor === id);
    const talking = others.some((other) => other.info.state === 'active' && other.info.id !== id);
    const busy = this.pending.value?.callId === id;
    const elapsed = info.answeredAt === null ? null : Math.max(0, (this.clock.now - info.answeredAt) / 1000);
    return html`<li part="call" class="call" data-call-id=${id} data-state=${info.state} aria-labelledby=${`call-${id}`}>
      <div class="call-head">
        <span id=${`call-${id}`} class="caller-name">${this.callerName(entry)}</span>
        <span class="call-state">${this.t(`softphone.state.${info.state === 'ended' ? 'active' : info.state}`)}${info.muted ? html` · ${this.t('softphone.muted')}` : nothing}</span>
        ${elapsed === null
          ? nothing
          : html`<span class="timer"><span class="visually-hidden">${this.t('softphone.duration', { duration: formatDuration(elapsed) })}</span><span aria-hidden="true">${formatDuration(elapsed)}</span></span>`}
      </div>
      <div class="actions">
        ${info.state === 'dialing' || info.state === 'active'
          ? html`<button type="button" class="mute" aria-pressed=${info.muted ? 'true' : 'false'} ?disabled=${busy} @click=${() => this.dispatch(calls.muteRequested({ callId: id, muted: !info.muted }))}>
              ${this.t('softphone.mute')}
            </button>`
          : nothing}
        ${info.state === 'active'
          ? html`<button type="button" class="hold" aria-keyshortcuts="Alt+Shift+H" ?disabled=${busy} @click=${() => this.dispatch(calls.holdRequested({ callId: id }))}>
              ${this.t('softphone.hold')}
            </button>`
          : nothing}
        ${info.state === 'held'
          ? html`<button type="button" class="resume" ?disabled=${busy || consult !== undefined} @click=${() => this.dispatch(calls.resumeRequested({ callId: id }))}>
              ${talking ? this.t('softphone.switchTo') : this.t('softphone.resume')}
            </button>`
          : nothing}
        ${info.state === 'active'
          ? html`<button
              type="button"
              class="keypad-toggle"
              aria-expanded=${this.keypadFor === id ? 'true' : 'false'}
              @click=${() => (this.keypadFor = this.keypadFor === id ? null : id)}
            >
              ${this.t('softphone.keypad')}
            </button>`
          : nothing}
        ${(info.state === 'active' || info.state === 'held') && !consult
          ? html`<button
              type="button"
              class="transfer-toggle"
              aria-expanded=${this.transferFor === id ? 'true' : 'false'}
              @click=${() => (this.transferFor === id ? (this.transferFor = null) : this.openTransfer(id))}
            >
              ${this.t('softphone.transfer')}
            </button>`
          : nothing}
        <button type="button" class="hangup" aria-keyshortcuts="Alt+Shift+E" ?disabled=${busy} @click=${() => this.dispatch(calls.hangupRequested({ callId: id }))}>
          ${info.state === 'dialing' ? this.t('softphone.cancelCall') : this.t('softphone.hangUp')}
        </button>
      </div>
      ${this.keypadFor === id && info.state === 'active' ? this.renderKeypad(id) : nothing}
      ${this.transferFor === id && !consult ? this.renderTransfer(id) : nothing}
      ${consult ? this.renderConsult(entry, consult) : nothing}
      ${info.state === 'active' ? this.renderQuality(entry.quality) : nothing}
    </li>`;
  }

  private renderDialPad(idle: boolean) {
    const collapsible = !idle || this.compact;
    if (collapsible && !this.newCallOpen) {
      return html`<button type="button" class="new-call" aria-expanded="false" @click=${this.onOpenNewCall}>${this.t('softphone.newCall')}</button>`;
    }
    return html`<form part="dial-pad" class="dial-pad" aria-label=${this.t('softphone.dialPad')} @submit=${this.onDialSubmit}>
      <label for="dial-number">${this.t('softphone.number')}</label>
      <div class="dial-row">
        <input
          id="dial-number"
          type="text"
          inputmode="tel"
          autocomplete="off"
          placeholder=${this.t('softphone.numberHint')}
          .value=${live(this.dialText)}
          aria-invalid=${this.dialProblem ? 'true' : 'false'}
          aria-describedby="dial-problem"
          @input=${this.onDialInput}
        />
        <button type="submit" class="dial">${this.t('softphone.call')}</button>
      </div>
      <div id="dial-problem" class="problem" role="alert">${this.dialProblem ? this.problemText(this.dialProblem) : nothing}</div>
      <div class="dial-tools">
        <button type="button" class="keys-toggle" aria-expanded=${this.dialPadOpen ? 'true' : 'false'} aria-controls="dial-keys" @click=${() => (this.dialPadOpen = !this.dialPadOpen)}>
          ${this.t('softphone.dialPad')}
        </button>
        ${collapsible ? html`<button type="button" class="close-dial" @click=${() => (this.newCallOpen = false)}>${this.t('softphone.closeDialPad')}</button>` : nothing}
      </div>
      ${this.dialPadOpen
        ? html`<div class="keys" id="dial-keys">
            ${KEYS.map(
              ([key, letters]) => html`<button type="button" part="dial-pad__key" class="key" aria-label=${this.t('softphone.key', { key })} @click=${() => this.pressDialKey(key)}>
                ${key}<span class="letters" aria-hidden="true">${letters}</span>
              </button>`,
            )}
            <button type="button" class="key backspace" aria-label=${this.t('softphone.backspace')} @click=${this.onBackspace}>
              ⌫
            </button>
          </div>`
        : nothing}
    </form>`;
  }

  private renderWrapUp(wrapUp: WrapUp) {
    const { call } = wrapUp;
    const draft = this.draftOf(wrapUp);
    const id = call.id;
    const saving = wrapUp.status === 'saving';
    const duration = call.answeredAt === null || call.endedAt === null ? 0 : (call.endedAt - call.answeredAt) / 1000;
    const party = wrapUp.customerName?.trim() || call.remoteDisplayName?.trim() || call.remoteNumber;
    const heading = html`<h3 id=${`wrap-${id}`}>
      ${this.t('softphone.wrapUpFor', { direction: this.t(`softphone.direction.${call.direction}`), party, duration: formatDuration(duration) })}
    </h3>`;
    if (!this.access.value.recordCalls) {
      // The role may not save call records (the backend would refuse): the wrap-up only ends the after-call work.
      return html`<section part="wrap-up" class="wrap-up" data-call-id=${id} aria-labelledby=${`wrap-${id}`}>
        ${heading}
        <p class="muted">${this.t('softphone.recordNotAllowed')}</p>
        <div class="actions">
          <button type="button" class="close-wrap-up" @click=${() => this.discardWrapUp(wrapUp)}>${this.t('softphone.closeWrapUp')}</button>
        </div>
      </section>`;
    }
    const problemId = `wrap-problem-${id}`;
    return html`<form part="wrap-up" class="wrap-up" data-call-id=${id} aria-labelledby=${`wrap-${id}`} @submit=${(event: SubmitEvent) => this.submitWrapUp(event, wrapUp)}>
      ${heading}
      <p class="muted">${this.t('softphone.afterCallWork')}</p>
      <label for=${`disposition-${id}`}>${this.t('softphone.disposition')}</label>
      <select
        id=${`disposition-${id}`}
        aria-required="true"
        aria-invalid=${draft.problem ? 'true' : 'false'}
        aria-describedby=${problemId}
        ?disabled=${saving}
        @change=${(event: Event) => this.setDraft(id, { disposition: (event.target as HTMLSelectElement).value, problem: false })}
      >
        <option value="" .selected=${live(draft.disposition === '')}>${this.t('softphone.dispositionNone')}</option>
        ${this.dispositions.map((code) => html`<option value=${code} .selected=${live(draft.disposition === code)}>${this.dispositionLabel(code)}</option>`)}
      </select>
      <div id=${problemId} class="problem" role="alert">${draft.problem ? this.t('softphone.dispositionRequired') : nothing}</div>
      <label for=${`notes-${id}`}>${this.t('softphone.notes')}</label>
      <textarea
        id=${`notes-${id}`}
        rows="3"
        ?disabled=${saving}
        .value=${live(draft.notes)}
        @input=${(event: InputEvent) => this.setDraft(id, { notes: (event.target as HTMLTextAreaElement).value })}
      ></textarea>
      ${wrapUp.status === 'failed'
        ? html`<p class="problem" role="alert">${this.t('softphone.wrapUpFailed', { message: this.t(`softphone.saveReason.${wrapUp.error?.code ?? 'unavailable'}`) })}${this.errorDetail(wrapUp.error)}</p>`
        : nothing}
      <div class="actions">
        <button type="submit" class="save-wrap-up" ?disabled=${saving}>${saving ? this.t('softphone.savingWrapUp') : this.t('softphone.saveWrapUp')}</button>
        <button type="button" class="discard-wrap-up" ?disabled=${saving} @click=${() => this.discardWrapUp(wrapUp)}>${this.t('softphone.discardWrapUp')}</button>
      </div>
    </form>`;
  }

  protected override render(): TemplateResult {
    // A role without `use-phone` has no phone: the desk does not start one, and nothing of it is shown.
    if (this.access.value.known && !this.access.value.usePhone) return html``;
    const entries = this.entries.value;
    const ringing = entries.filter((entry) => entry.info.state === 'ringing');
    const inCall = entries.filter((entry) => entry.info.state !== 'ringing' && entry.info.consultFor === null);
    const wrapUps = this.wrapUps.value;
    return html`<section part="base" aria-label=${this.t('softphone.label')}>
      <div class="visually-hidden" aria-live="assertive" aria-atomic="true">${this.announcement}</div>
      ${this.renderStatus()} ${this.renderBanners()} ${this.renderDevices()} ${ringing.map((entry) => this.renderRinging(entry))}
      ${inCall.length > 0
        ? html`<ul class="calls" aria-label=${this.t('softphone.calls')}>${inCall.map((entry) => this.renderCall(entry, inCall))}</ul>`
        : nothing}
      ${this.renderDialPad(inCall.length === 0)} ${wrapUps.map((wrapUp) => this.renderWrapUp(wrapUp))}
      <p class="saved" role="status">${this.recordSaved && wrapUps.length === 0 ? this.t('softphone.wrapUpSaved') : nothing}</p>
    </section>`;
  }
}
