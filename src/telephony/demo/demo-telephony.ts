import { Observable, Subject } from 'rxjs';
import type { TelephonyConfig } from '../../connector/model.js';
import { checkDialTarget, DTMF_TONES } from '../dial-target.js';
import {
  TelephonyError,
  type AudioDevice,
  type AudioDeviceSelection,
  type CallEndReason,
  type CallInfo,
  type CallQuality,
  type CallState,
  type RegistrationState,
  type Telephony,
  type TelephonyEvent,
} from '../telephony.js';
import { estimateMos } from './quality.js';

/** The clock and timers the simulation runs on; tests pass fake ones to step through a call. */
export interface DemoTimers {
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const realTimers: DemoTimers = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export interface DemoTelephonyOptions {
  readonly timers?: DemoTimers;
  /** Draws the quality numbers; default `Math.random`. */
  readonly random?: () => number;
  /** From `start()` to registered; default 400 ms. */
  readonly registerDelayMs?: number;
  /** How long an outbound call rings before the other side answers; default 2500 ms. */
  readonly answerDelayMs?: number;
  /** Between quality samples of a call in progress; default 2000 ms. */
  readonly qualityIntervalMs?: number;
  /** How long the network stays away after `simulateNetworkLoss()` before it comes back; default 3000 ms. */
  readonly recoveryDelayMs?: number;
  /** The audio devices the simulated browser has; default a built-in pair and a USB headset. */
  readonly devices?: readonly AudioDevice[];
  /** Numbers that answer busy (486). */
  readonly busyNumbers?: readonly string[];
  /** Numbers that never answer; their calls end `no-answer` after 30 s. */
  readonly unansweredNumbers?: readonly string[];
  /** Transfer targets that refuse the transfer. */
  readonly refusingTransferTargets?: readonly string[];
}

export const DEMO_DEVICES: readonly AudioDevice[] = [
  { id: 'default-mic', kind: 'audioinput', label: 'Built-in microphone' },
  { id: 'headset-mic', kind: 'audioinput', label: 'USB headset microphone' },
  { id: 'default-speaker', kind: 'audiooutput', label: 'Built-in speakers' },
  { id: 'headset-speaker', kind: 'audiooutput', label: 'USB headset' },
];

const NO_ANSWER_AFTER_MS = 30_000;

interface Media {
  jitterMs: number;
  packetLossPercent: number;
  roundTripMs: number;
  packetsReceived: number;
  packetsSent: number;
  lastSampleAt: number;
}

/**
 * Simulated calls for the demo and for tests: the `Telephony` port without a network. Outbound calls ring and are
 * answered after a delay, inbound calls arrive through `simulateInbound()`, and a call in progress reports quality
 * samples with plausible, varying numbers. Every command keeps the rules a real phone keeps (you cannot hold a call
 * that is ringing, DTMF needs a call in progress) and rejects with a `TelephonyError` otherwise.
 */
export class DemoTelephony implements Telephony {
  readonly events$: Observable<TelephonyEvent>;

  private readonly subject = new Subject<TelephonyEvent>();
  private readonly timers: DemoTimers;
  private readonly random: () => number;
  private readonly options: DemoTelephonyOptions;
  private registration: RegistrationState = 'unregistered';
  private readonly calls = new Map<string, CallInfo>();
  private readonly media = new Map<string, Media>();
  private readonly callTimers = new Map<string, unknown[]>();
  private readonly sentTones = new Map<string, string>();
  private devices: AudioDevice[];
  private selection: AudioDeviceSelection = { microphoneId: null, speakerId: null, ringerId: null };
  private counter = 0;
  private registerTimer: unknown = null;
  private qualityTimer: unknown = null;
  private startWaiters: { resolve: () => void; reject: (error: TelephonyError) => void }[] = [];

  constructor(options: DemoTelephonyOptions = {}) {
    this.options = options;
    this.timers = options.timers ?? realTimers;
    this.random = options.random ?? Math.random;
    this.devices = [...(options.devices ?? DEMO_DEVICES)];
    this.events$ = this.subject.asObservable();
  }

  // ---- The port -------------------------------------------------------------------------------------

  start(_config: TelephonyConfig): Promise<void> {
    if (this.registration === 'registered') return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      this.startWaiters.push({ resolve, reject });
      if (this.registration === 'registering' || this.registration === 'reconnecting') return;
      this.setRegistration('registering');
      this.registerTimer = this.timers.setTimeout(() => this.registered(), this.options.registerDelayMs ?? 400);
    });
  }

  async stop(): Promise<void> {
    this.clearTimer(this.registerTimer);
    this.registerTimer = null;
    for (const call of [...this.calls.values()]) {
      if (call.state !== 'ended') this.end(call.id, call.state === 'dialing' ? 'cancelled' : call.state === 'ringing' ? 'rejected' : 'hangup-local');
    }
    const waiters = this.startWaiters;
    this.startWaiters = [];
    for (const waiter of waiters) waiter.reject(new TelephonyError('not-started', 'The phone was stopped before it registered.'));
    if (this.registration !== 'unregistered') this.setRegistration('unregistered');
  }

  async call(target: string): Promise<string> {
    this.requireRegistered();
    const checked = checkDialTarget(target);
    if (!checked.ok) throw new TelephonyError('invalid-target', `"${target}" is not a number or SIP URI that can be dialled.`);
    return this.dial(checked.target, null);
  }

  async answer(callId: string): Promise<void> {
    const call = this.requireCall(callId, ['ringing']);
    this.update(call.id, { state: 'active', answeredAt: this.timers.now() });
    this.startMedia(call.id);
  }

  async reject(callId: string): Promise<void> {
    this.requireCall(callId, ['ringing']);
    this.end(callId, 'rejected');
  }

  async hangup(callId: string): Promise<void> {
    const call = this.requireCall(callId, ['ringing', 'dialing', 'active', 'held']);
    this.end(callId, call.state === 'dialing' ? 'cancelled' : call.state === 'ringing' ? 'rejected' : 'hangup-local');
  }

  async hold(callId: string): Promise<void> {
    const call = this.requireCall(callId, ['active', 'held']);
    if (call.state === 'active') this.update(callId, { state: 'held' });
  }

  async resume(callId: string): Promise<void> {
    const call = this.requireCall(callId, ['active', 'held']);
    if (call.state === 'held') this.update(callId, { state: 'active' });
  }

  async setMuted(callId: string, muted: boolean): Promise<void> {
    const call = this.requireCall(callId, ['dialing', 'active', 'held']);
    if (call.muted !== muted) this.update(callId, { muted });
  }

  async sendDtmf(callId: string, tones: string): Promise<void> {
    this.requireCall(callId, ['active']);
    if (!DTMF_TONES.test(tones)) throw new TelephonyError('invalid-target', `"${tones}" holds a tone a phone cannot send; use 0-9, *, # and A-D.`);
    this.sentTones.set(callId, (this.sentTones.get(callId) ?? '') + tones);
  }

  async blindTransfer(callId: string, target: string): Promise<void> {
    this.requireCall(callId, ['active', 'held']);
    this.checkTransferTarget(target);
    this.end(callId, 'transferred');
  }

  async startConsult(callId: string, target: string): Promise<string> {
    this.requireCall(callId, ['active', 'held']);
    const checked = checkDialTarget(target);
    if (!checked.ok) throw new TelephonyError('invalid-target', `"${target}" is not a number or SIP URI that can be dialled.`);
    await this.hold(callId);
    return this.dial(checked.target, callId);
  }

  async completeConsult(callId: string, consultCallId: string): Promise<void> {
    this.requireCall(callId, ['active', 'held']);
    const consult = this.requireCall(consultCallId, ['dialing', 'active', 'held']);
    if (consult.consultFor !== callId) throw new TelephonyError('invalid-state', `Call "${consultCallId}" is not a consultation about call "${callId}".`);
    if (consult.state === 'dialing') throw new TelephonyError('transfer-failed', 'The consulted party has not answered yet; wait for them or cancel.');
    this.checkTransferTarget(consult.remoteNumber);
    this.end(consultCallId, 'transferred');
    this.end(callId, 'transferred');
  }

  async cancelConsult(callId: string, consultCallId: string): Promise<void> {
    this.requireCall(callId, ['active', 'held']);
    const consult = this.requireCall(consultCallId, ['dialing', 'active', 'held']);
    if (consult.consultFor !== callId) throw new TelephonyError('invalid-state', `Call "${consultCallId}" is not a consultation about call "${callId}".`);
    this.end(consultCallId, consult.state === 'dialing' ? 'cancelled' : 'hangup-local');
    this.update(callId, { state: 'active' });
  }

  async listDevices(): Promise<readonly AudioDevice[]> {
    return [...this.devices];
  }

  async setDevices(devices: Partial<AudioDeviceSelection>): Promise<void> {
    const check = (id: string | null | undefined, kind: AudioDevice['kind']): void => {
      if (id === undefined || id === null) return;
      if (!this.devices.some((device) => device.id === id && device.kind === kind)) {
        throw new TelephonyError('device-unavailable', `The audio device "${id}" is not connected.`);
      }
    };
    check(devices.microphoneId, 'audioinput');
    check(devices.speakerId, 'audiooutput');
    check(devices.ringerId, 'audiooutput');
    this.selection = { ...this.selection, ...devices };
    this.emitDevices();
  }

  // ---- Simulation controls ------------------------------------------------------------------------------

  /** A call comes in from `number`; returns its id. */
  simulateInbound(caller: { readonly number: string; readonly displayName?: string | null }): string {
    this.requireRegistered();
    const id = this.newCallId();
    this.put({
      id,
      direction: 'inbound',
      remoteNumber: caller.number,
      remoteDisplayName: caller.displayName ?? null,
      state: 'ringing',
      createdAt: this.timers.now(),
      answeredAt: null,
      endedAt: null,
      muted: false,
      endReason: null,
      consultFor: null,
    });
    this.later(id, NO_ANSWER_AFTER_MS, () => {
      if (this.calls.get(id)?.state === 'ringing') this.end(id, 'no-answer');
    });
    return id;
  }

  /** The other side answers an outbound call now, instead of after `answerDelayMs`. */
  simulateRemoteAnswer(callId: string): void {
    const call = this.calls.get(callId);
    if (call?.state !== 'dialing') return;
    this.update(callId, { state: 'active', answeredAt: this.timers.now() });
    this.startMedia(callId);
  }

  /** The other side hangs up (or gives up ringing). */
  simulateRemoteHangup(callId: string): void {
    const call = this.calls.get(callId);
    if (!call || call.state === 'ended') return;
    this.end(callId, call.state === 'ringing' ? 'cancelled' : 'hangup-remote');
  }

  /**
   * The network goes away: the registration is `reconnecting` and calls in progress lose their media. With
   * `recovers` (the default) it comes back after `recoveryDelayMs` and registers again; otherwise registration
   * fails and every call ends with reason `network`.
   */
  simulateNetworkLoss(options: { readonly recovers?: boolean } = {}): void {
    if (this.registration === 'unregistered') return;
    this.setRegistration('reconnecting');
    for (const media of this.media.values()) {
      media.packetLossPercent = 35 + this.random() * 30;
      media.jitterMs = 80 + this.random() * 60;
    }
    const recovers = options.recovers ?? true;
    this.clearTimer(this.registerTimer);
    this.registerTimer = this.timers.setTimeout(() => {
      this.registerTimer = null;
      if (recovers) {
        for (const media of this.media.values()) {
          const fresh = freshMedia(this.random, media.lastSampleAt);
          media.jitterMs = fresh.jitterMs;
          media.packetLossPercent = fresh.packetLossPercent;
        }
        this.registered();
        return;
      }
      for (const call of [...this.calls.values()]) if (call.state !== 'ended') this.end(call.id, 'network');
      this.setRegistration('failed', { code: 'unreachable', message: 'The phone server cannot be reached.' });
    }, this.options.recoveryDelayMs ?? 3000);
  }

  /** A device is unplugged: it leaves the list, and a selection that used it falls back to the system default. */
  simulateDeviceRemoved(deviceId: string): void {
    const before = this.devices.length;
    this.devices = this.devices.filter((device) => device.id !== deviceId);
    if (this.devices.length === before) return;
    const fallBack = (id: string | null): string | null => (id === deviceId ? null : id);
    this.selection = {
      microphoneId: fallBack(this.selection.microphoneId),
      speakerId: fallBack(this.selection.speakerId),
      ringerId: fallBack(this.selection.ringerId),
    };
    this.emitDevices();
  }

  simulateDeviceAdded(device: AudioDevice): void {
    this.devices = [...this.devices.filter((held) => held.id !== device.id), device];
    this.emitDevices();
  }

  /** The tones sent on a call so far, for tests. */
  dtmfSent(callId: string): string {
    return this.sentTones.get(callId) ?? '';
  }

  /** The calls as the phone holds them now (ended ones included), for tests. */
  get currentCalls(): readonly CallInfo[] {
    return [...this.calls.values()];
  }

  get registrationState(): RegistrationState {
    return this.registration;
  }

  // ---- Internals ----------------------------------------------------------------------------------------

  private registered(): void {
    this.registerTimer = null;
    this.setRegistration('registered');
    const waiters = this.startWaiters;
    this.startWaiters = [];
    for (const waiter of waiters) waiter.resolve();
    this.emitDevices();
  }

  private dial(target: string, consultFor: string | null): string {
    const id = this.newCallId();
    this.put({
      id,
      direction: 'outbound',
      remoteNumber: target,
      remoteDisplayName: null,
      state: 'dialing',
      createdAt: this.timers.now(),
      answeredAt: null,
      endedAt: null,
      muted: false,
      endReason: null,
      consultFor,
    });
    const busy = this.options.busyNumbers?.includes(target) ?? false;
    const unanswered = this.options.unansweredNumbers?.includes(target) ?? false;
    if (unanswered) {
      this.later(id, NO_ANSWER_AFTER_MS, () => {
        if (this.calls.get(id)?.state === 'dialing') this.end(id, 'no-answer');
      });
    } else {
      this.later(id, this.options.answerDelayMs ?? 2500, () => {
        if (this.calls.get(id)?.state !== 'dialing') return;
        if (busy) this.end(id, 'busy');
        else this.simulateRemoteAnswer(id);
      });
    }
    return id;
  }

  private checkTransferTarget(target: string): string {
    const checked = checkDialTarget(target);
    if (!checked.ok) throw new TelephonyError('invalid-target', `"${target}" is not a number or SIP URI to transfer to.`);
    if (this.options.refusingTransferTargets?.includes(checked.target)) {
      throw new TelephonyError('transfer-failed', `${checked.target} refused the transfer.`);
    }
    return checked.target;
  }

  private requireRegistered(): void {
    if (this.registration !== 'registered') {
      throw new TelephonyError('not-started', this.registration === 'reconnecting' ? 'The phone is reconnecting; try again in a moment.' : 'The phone is not registered.');
    }
  }

  private requireCall(callId: string, states: readonly CallState[]): CallInfo {
    const call = this.calls.get(callId);
    if (!call) throw new TelephonyError('no-such-call', `There is no call "${callId}".`);
    if (!states.includes(call.state)) throw new TelephonyError('invalid-state', `Call "${callId}" is ${call.state}; this needs a call that is ${states.join(' or ')}.`);
    return call;
  }

  private newCallId(): string {
    this.counter += 1;
    return `demo-call-${this.counter}`;
  }

  private put(call: CallInfo): void {
    this.calls.set(call.id, call);
    this.subject.next({ type: 'call', call });
  }

  private update(callId: string, change: Partial<CallInfo>): void {
    const call = this.calls.get(callId);
    if (!call) return;
    this.put({ ...call, ...change });
  }

  private end(callId: string, reason: CallEndReason): void {
    for (const handle of this.callTimers.get(callId) ?? []) this.clearTimer(handle);
    this.callTimers.delete(callId);
    this.media.delete(callId);
    this.update(callId, { state: 'ended', endedAt: this.timers.now(), endReason: reason });
    // An ended call is reported once; the phone forgets it so a long session does not grow.
    this.calls.delete(callId);
    this.sentTones.delete(callId);
    if (this.media.size === 0) {
      this.clearTimer(this.qualityTimer);
      this.qualityTimer = null;
    }
  }

  private later(callId: string, ms: number, run: () => void): void {
    const handle = this.timers.setTimeout(run, ms);
    this.callTimers.set(callId, [...(this.callTimers.get(callId) ?? []), handle]);
  }

  private startMedia(callId: string): void {
    this.media.set(callId, freshMedia(this.random, this.timers.now()));
    this.qualityTimer ??= this.timers.setTimeout(this.sampleQuality, this.options.qualityIntervalMs ?? 2000);
  }

  private readonly sampleQuality = (): void => {
    this.qualityTimer = null;
    const now = this.timers.now();
    for (const [callId, media] of this.media) {
      const call = this.calls.get(callId);
      if (!call || call.state === 'ended') continue;
      const reconnecting = this.registration === 'reconnecting';
      // A random walk within plausible bounds, so the numbers move like a real line's do.
      if (!reconnecting) {
        media.jitterMs = clamp(media.jitterMs + (this.random() - 0.5) * 6, 1, 40);
        media.packetLossPercent = clamp(media.packetLossPercent + (this.random() - 0.55) * 0.8, 0, 5);
        media.roundTripMs = clamp(media.roundTripMs + (this.random() - 0.5) * 20, 15, 250);
      }
      const elapsedMs = Math.max(0, now - media.lastSampleAt);
      // 50 packets a second each way (20 ms frames); none arrive while held or while the network is gone.
      const flowing = call.state === 'active' && !reconnecting;
      const packets = Math.round((elapsedMs / 20) * (1 - media.packetLossPercent / 100));
      if (flowing) media.packetsReceived += packets;
      if (call.state === 'active' && !call.muted) media.packetsSent += Math.round(elapsedMs / 20);
      media.lastSampleAt = now;
      const quality: CallQuality = {
        callId,
        at: now,
        mos: estimateMos(media.roundTripMs, media.jitterMs, media.packetLossPercent),
        jitterMs: Math.round(media.jitterMs * 10) / 10,
        packetLossPercent: Math.round(media.packetLossPercent * 100) / 100,
        roundTripMs: Math.round(media.roundTripMs),
        packetsReceived: media.packetsReceived,
        packetsSent: media.packetsSent,
      };
      this.subject.next({ type: 'quality', quality });
    }
    if (this.media.size > 0) this.qualityTimer = this.timers.setTimeout(this.sampleQuality, this.options.qualityIntervalMs ?? 2000);
  };

  private setRegistration(state: RegistrationState, error: { code: 'unreachable'; message: string } | null = null): void {
    this.registration = state;
    this.subject.next({ type: 'registration', state, error });
  }

  private emitDevices(): void {
    this.subject.next({ type: 'devices', devices: [...this.devices], selection: this.selection });
  }

  private clearTimer(handle: unknown): void {
    if (handle !== null && handle !== undefined) this.timers.clearTimeout(handle);
  }
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}

function freshMedia(random: () => number, now: number): Media {
  return {
    jitterMs: 4 + random() * 10,
    packetLossPercent: random() * 0.6,
    roundTripMs: 40 + random() * 80,
    packetsReceived: 0,
    packetsSent: 0,
    lastSampleAt: now,
  };
}
