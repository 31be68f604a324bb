import { Subject, type Observable } from 'rxjs';
import {
  Invitation,
  Inviter,
  Registerer,
  RegistererState,
  SessionState,
  UserAgent,
  Web,
  type Notification,
  type Session,
  type URI,
  type UserAgentOptions,
} from 'sip.js';
import type { TelephonyConfig } from '../../connector/model.js';
import {
  TelephonyError,
  type AudioDevice,
  type AudioDeviceSelection,
  type CallEndReason,
  type CallInfo,
  type RegistrationState,
  type Telephony,
  type TelephonyErrorCode,
  type TelephonyErrorInfo,
  type TelephonyEvent,
} from '../telephony.js';
import { defaultSelection, listAudioDevices, microphoneConstraints, withoutMissingDevices } from './audio-devices.js';
import { fullJitterDelay } from './backoff.js';
import { qualitySample, readMediaCounters, type MediaCounters } from './call-quality.js';
import { dtmfRelayBody, dtmfTonesPattern, offersTelephoneEvent } from './dtmf.js';
import { errorInfo, isAuthFailure, toTelephonyError } from './sip-errors.js';
import type { SipTelephonyOptions } from './sip-telephony-options.js';

/** One call: the sip.js session, what the port reports about it, and the media the adapter owns for it. */
interface SipCall {
  info: CallInfo;
  readonly session: Inviter | Invitation;
  /** Plays the remote party; owned by the adapter, never attached to the host's DOM. */
  readonly audio: HTMLAudioElement;
  /** Re-INVITEs, REFERs and track switches of this call run one after another. */
  queue: Promise<unknown>;
  /**
   * Settles once the dialog is confirmed (the ACK of our 200 OK arrived, for an inbound call): a re-INVITE sent
   * before that would cross the ACK, and sip.js ends a call that gets the ACK while its own offer is pending.
   */
  readonly confirmed: Promise<void>;
  confirm: () => void;
  /** Decided here before the session ends (hang-up, reject, transfer, network); wins over what sip.js reports. */
  endingReason: CallEndReason | null;
  remoteHungUp: boolean;
  remoteCancelled: boolean;
  rejectStatus: number | null;
  lastCounters: MediaCounters | null;
  qualityTimer: ReturnType<typeof setInterval> | undefined;
  recoveryTimer: ReturnType<typeof setTimeout> | undefined;
  /** Runs out `iceDisconnectedGraceMs` after the media went ICE `disconnected`; then the ICE restart goes out. */
  iceGraceTimer: ReturnType<typeof setTimeout> | undefined;
  /** ICE restarts sent for this call since its media last connected; capped, so a dead path ends the call. */
  iceRestarts: number;
  /** Stops watching the peer connection's ICE state. */
  unwatchIce: () => void;
  finished: boolean;
}

type CallUpdate = { -readonly [K in keyof CallInfo]?: CallInfo[K] };

const DTMF_TONE_MS = 100;
const DTMF_GAP_MS = 70;
const ENDED_IDS_KEPT = 100;
/** ICE restarts in a row that never got the media connected again: then the media path is gone, the call ends. */
const ICE_RESTARTS_MAX = 3;

/**
 * The telephony port on sip.js 0.21 (WebRTC, SIP over WebSocket). The only module of the product that imports
 * sip.js; hosts get it through `loadSipTelephony()`, a dynamic import.
 *
 * Behaviour worth knowing:
 * - No STUN/TURN unless `TelephonyConfig.iceServers` lists some (sip.js's Google STUN default is never used).
 * - When the WebSocket drops, or the browser reports `offline`: `registration: reconnecting`, then reconnect +
 *   REGISTER with exponential backoff and full jitter (capped by `reconnectBackoffMaxMs`), one REGISTER in flight at
 *   most. Calls not answered yet end at once (`network`); answered calls get an ICE-restart re-INVITE when the
 *   connection is back, or end (`network`) after `callRecoveryTimeoutMs`. A first start that cannot reach the
 *   server enters the same loop (start() then resolves once registered); refused credentials are final (`failed`).
 * - CRLF keep-alives every `keepAliveIntervalSeconds` keep the WebSocket's path alive (and let a dead one error).
 * - A call whose media goes ICE `failed` (or stays `disconnected` for `iceDisconnectedGraceMs`) while signalling is
 *   up gets an ICE-restart re-INVITE.
 * - A new call, an answer or a resume holds the active call first: one call talks, the others are held.
 * - `authorizationToken` (when no password is set) goes out as `Authorization: Bearer <token>` on REGISTER and on
 *   new INVITEs (RFC 8898 style), for proxies that accept bearer tokens.
 */
export class SipTelephony implements Telephony {
  readonly events$: Observable<TelephonyEvent>;

  private readonly events = new Subject<TelephonyEvent>();
  private readonly options: Required<SipTelephonyOptions>;
  private readonly calls = new Map<string, SipCall>();
  private readonly endedIds = new Set<string>();
  private selection: AudioDeviceSelection = defaultSelection;
  private registration: RegistrationState = 'unregistered';
  private ua: UserAgent | null = null;
  private config: TelephonyConfig | null = null;
  private localUri: URI | null = null;
  private registerer: Registerer | null = null;
  /** The one REGISTER this adapter is waiting for, if any. */
  private registering: Promise<void> | null = null;
  /** True once start() succeeded and until stop(): a dropped connection is then a loss to recover from. */
  private online = false;
  private stopping = false;
  private recovering = false;
  private wakeRecovery: (() => void) | null = null;
  private readonly onDeviceChange = () => void this.handleDeviceChange();
  private readonly onBrowserOnline = () => this.wakeRecovery?.();
  private readonly onBrowserOffline = () => this.dropConnection();

  constructor(options: SipTelephonyOptions = {}) {
    this.options = {
      reconnectBackoffMaxMs: options.reconnectBackoffMaxMs ?? 30_000,
      reconnectBackoffBaseMs: options.reconnectBackoffBaseMs ?? 500,
      callRecoveryTimeoutMs: options.callRecoveryTimeoutMs ?? 20_000,
      iceGatheringTimeoutMs: options.iceGatheringTimeoutMs ?? 1_000,
      registerExpiresSeconds: options.registerExpiresSeconds ?? 600,
      registerTimeoutMs: options.registerTimeoutMs ?? 10_000,
      connectionTimeoutMs: options.connectionTimeoutMs ?? 5_000,
      keepAliveIntervalSeconds: options.keepAliveIntervalSeconds ?? 15,
      iceDisconnectedGraceMs: options.iceDisconnectedGraceMs ?? 4_000,
      qualityIntervalMs: options.qualityIntervalMs ?? 1_000,
      transferTimeoutMs: options.transferTimeoutMs ?? 30_000,
      logLevel: options.logLevel ?? 'error',
    };
    this.events$ = this.events.asObservable();
  }

  // ---- registration -------------------------------------------------------------------------------------------

  async start(config: TelephonyConfig): Promise<void> {
    if (this.ua) throw new TelephonyError('invalid-state', 'The phone is already started; stop it first.');
    this.config = config;
    // Announced before anything can fail, so tabs that follow this phone always see it end in `failed` or `registered`.
    this.setRegistration('registering', null);
    let ua: UserAgent;
    try {
      const uri = UserAgent.makeURI(config.sipUri);
      if (!uri) throw new TelephonyError('failed', `"${config.sipUri}" is not a SIP URI.`);
      if (!isWebSocketUrl(config.webSocketUrl)) {
        throw new TelephonyError('failed', `"${config.webSocketUrl}" is not a WebSocket URL (ws:// or wss://).`);
      }
      this.localUri = uri;
      ua = new UserAgent(this.userAgentOptions(config, uri));
    } catch (error) {
      const failure = toTelephonyError(error, 'failed');
      this.setRegistration('failed', errorInfo(failure));
      throw failure;
    }
    this.ua = ua;
    this.registerer = this.createRegisterer(ua);
    // From here a lost or missing connection is recovered from: the first attempt too.
    this.online = true;
    navigator.mediaDevices?.addEventListener('devicechange', this.onDeviceChange);
    globalThis.addEventListener?.('online', this.onBrowserOnline);
    globalThis.addEventListener?.('offline', this.onBrowserOffline);
    try {
      await ua.start().catch((error: unknown) => {
        throw toTelephonyError(error, 'unreachable', `Cannot reach the SIP server at ${config.webSocketUrl}.`);
      });
      await this.register();
    } catch (error) {
      const failure = toTelephonyError(error, 'registration-failed');
      // The server is down or the network is: keep trying with backoff (`reconnecting`) until it answers.
      if ((failure.code === 'unreachable' || this.recovering) && this.online && !this.stopping) {
        const registered = this.untilRegistered();
        this.handleConnectionLost(errorInfo(failure));
        return registered;
      }
      if (this.stopping || !this.online) throw new TelephonyError('not-started', 'The phone was stopped before it registered.', { cause: error });
      this.online = false;
      await this.shutDown();
      this.setRegistration('failed', errorInfo(failure));
      throw failure;
    }
  }

  /** Settles with the next final registration: resolves on `registered`, rejects on `failed` or a stop. */
  private untilRegistered(): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const subscription = this.events.subscribe((event) => {
        if (event.type !== 'registration' || event.state === 'registering' || event.state === 'reconnecting') return;
        subscription.unsubscribe();
        if (event.state === 'registered') resolve();
        else reject(new TelephonyError(event.error?.code ?? 'not-started', event.error?.message ?? 'The phone was stopped before it registered.'));
      });
    });
  }

  async stop(): Promise<void> {
    if (!this.ua || this.stopping) return;
    this.stopping = true;
    this.online = false;
    this.wakeRecovery?.();
    for (const call of [...this.calls.values()]) {
      call.endingReason ??= 'hangup-local';
      await this.endSession(call).catch(() => undefined);
      this.finishCall(call);
    }
    const registerer = this.registerer;
    if (registerer && this.ua.isConnected() && registerer.state === RegistererState.Registered && !registerInFlight(registerer)) {
      await withTimeout(
        new Promise<void>((resolve) => {
          registerer.unregister({ requestDelegate: { onAccept: () => resolve(), onReject: () => resolve() } }).catch(() => resolve());
        }),
        2_000,
      ).catch(() => undefined);
    }
    await this.shutDown();
    this.stopping = false;
    this.setRegistration('unregistered', null);
  }

  private userAgentOptions(config: TelephonyConfig, uri: URI): UserAgentOptions {
    const mediaStreamFactory: Web.MediaStreamFactory = () => {
      if (!navigator.mediaDevices) return Promise.reject(new TelephonyError('media-denied', 'This page may not use the microphone (not a secure context).'));
      return navigator.mediaDevices.getUserMedia(microphoneConstraints(this.selection.microphoneId));
    };
    return {
      uri,
      transportOptions: {
        server: config.webSocketUrl,
        connectionTimeout: Math.ceil(this.options.connectionTimeoutMs / 1000),
        keepAliveInterval: this.options.keepAliveIntervalSeconds,
      },
      authorizationUsername: config.authorizationPassword === null ? undefined : (config.authorizationUsername ?? uri.user ?? undefined),
      authorizationPassword: config.authorizationPassword ?? undefined,
      // Our own reconnect loop runs instead of sip.js's (which has no backoff and no jitter).
      reconnectionAttempts: 0,
      // stop() ends calls and unregisters itself, with bounded waits; sip.js's graceful path can wait 32 s.
      gracefulShutdown: false,
      logLevel: this.options.logLevel,
      sessionDescriptionHandlerFactory: Web.defaultSessionDescriptionHandlerFactory(mediaStreamFactory),
      sessionDescriptionHandlerFactoryOptions: {
        // Replaces sip.js's default (stun:stun.l.google.com): an empty list means no STUN at all.
        peerConnectionConfiguration: { iceServers: config.iceServers.map((server) => ({ ...server, urls: typeof server.urls === 'string' ? server.urls : [...server.urls] })) },
        iceGatheringTimeout: this.options.iceGatheringTimeoutMs,
      },
      delegate: {
        onDisconnect: (error?: Error) => {
          if (error) this.handleConnectionLost();
        },
        onInvite: (invitation: Invitation) => this.handleInvitation(invitation),
      },
    };
  }

  private createRegisterer(ua: UserAgent): Registerer {
    const token = this.config?.authorizationPassword === null ? this.config.authorizationToken : null;
    const registerer = new Registerer(ua, {
      expires: this.options.registerExpiresSeconds,
      extraHeaders: token ? [`Authorization: Bearer ${token}`] : [],
    });
    registerer.stateChange.addListener((state) => {
      if (registerer !== this.registerer || !this.online || this.stopping) return;
      // sip.js refreshes the registration by itself; when such a refresh fails, recover like after a drop.
      if (state === RegistererState.Unregistered && !this.registering && !this.recovering) this.handleConnectionLost();
    });
    return registerer;
  }

  /** Sends REGISTER unless one is already in flight, in which case it waits for that one. */
  private register(): Promise<void> {
    this.registering ??= this.sendRegister().finally(() => {
      this.registering = null;
    });
    return this.registering;
  }

  private async sendRegister(): Promise<void> {
    const ua = this.requireUserAgent();
    const registerer = this.registerer ?? this.createRegisterer(ua);
    this.registerer = registerer;
    if (registerInFlight(registerer)) {
      // sip.js's own refresh is in flight on this connection: never send a second REGISTER, wait for its answer.
      await withTimeout(
        new Promise<void>((resolve) => (registerer as unknown as RegistererWaiting).waitingChange.addListener(() => resolve(), { once: true })),
        this.options.registerTimeoutMs,
      );
    }
    await withTimeout(
      new Promise<void>((resolve, reject) => {
        registerer
          .register({
            requestDelegate: {
              onAccept: () => resolve(),
              onReject: (response) => {
                const { statusCode = 0, reasonPhrase = '' } = response.message;
                const code: TelephonyErrorCode = isAuthFailure(statusCode) ? 'auth-failed' : statusCode === 503 ? 'unreachable' : 'registration-failed';
                reject(new TelephonyError(code, `The SIP server answered REGISTER with ${statusCode} ${reasonPhrase}`.trim()));
              },
            },
          })
          .catch((error: unknown) => reject(toTelephonyError(error, 'registration-failed')));
      }),
      this.options.registerTimeoutMs,
      // No answer at all is a server that cannot be reached (retried), not a refusal.
      () => new TelephonyError('unreachable', `No answer to REGISTER within ${this.options.registerTimeoutMs} ms.`),
    );
    this.setRegistration('registered', null);
  }

  private async shutDown(): Promise<void> {
    navigator.mediaDevices?.removeEventListener('devicechange', this.onDeviceChange);
    globalThis.removeEventListener?.('online', this.onBrowserOnline);
    globalThis.removeEventListener?.('offline', this.onBrowserOffline);
    const ua = this.ua;
    const registerer = this.registerer;
    this.ua = null;
    this.registerer = null;
    this.registering = null;
    if (registerer) void registerer.dispose().catch(() => undefined);
    if (ua) await ua.stop().catch(() => undefined);
  }

  private setRegistration(state: RegistrationState, error: TelephonyErrorInfo | null): void {
    if (state === this.registration && error === null) return;
    this.registration = state;
    this.events.next({ type: 'registration', state, error });
  }

  // ---- network loss -------------------------------------------------------------------------------------------

  private handleConnectionLost(reason: TelephonyErrorInfo = { code: 'unreachable', message: 'The connection to the SIP server was lost.' }): void {
    if (!this.online || this.stopping) return;
    if (this.registration !== 'reconnecting') this.setRegistration('reconnecting', reason);
    const registerer = this.registerer;
    if (this.ua && registerer && registerInFlight(registerer)) {
      // That REGISTER went out on the connection that just died and can never be answered; a fresh registerer
      // sends the next one (the old one ends quietly when its transaction times out).
      this.registerer = this.createRegisterer(this.ua);
      void registerer.dispose().catch(() => undefined);
    }
    for (const call of [...this.calls.values()]) {
      if (call.info.state === 'ringing' || call.info.state === 'dialing') {
        // An unanswered call cannot be answered or cancelled without signalling: end it now, never leave it ringing.
        call.endingReason = 'network';
        this.finishCall(call);
      } else {
        call.recoveryTimer ??= setTimeout(() => {
          call.endingReason = 'network';
          void this.endSession(call).catch(() => undefined);
          this.finishCall(call);
        }, this.options.callRecoveryTimeoutMs);
      }
    }
    void this.recover();
  }

  private async recover(): Promise<void> {
    if (this.recovering) return;
    this.recovering = true;
    try {
      for (let attempt = 0; this.online && !this.stopping; attempt += 1) {
        await this.pause(fullJitterDelay(attempt, this.options.reconnectBackoffBaseMs, this.options.reconnectBackoffMaxMs));
        const ua = this.ua;
        if (!ua || !this.online || this.stopping) return;
        try {
          if (!ua.isConnected()) await ua.reconnect();
          await this.register();
        } catch (error) {
          const failure = toTelephonyError(error, 'unreachable');
          if (failure.code === 'auth-failed') {
            await this.giveUp(failure);
            return;
          }
          continue;
        }
        for (const call of this.calls.values()) void this.restartIce(call);
        return;
      }
    } finally {
      this.recovering = false;
    }
  }

  /**
   * The browser says the network is gone: the WebSocket may still look open (TCP notices a dead path only after
   * minutes), so it is dropped now and the reconnect loop takes over, as after a visible drop.
   */
  private dropConnection(): void {
    const ua = this.ua;
    if (!ua || !this.online || this.stopping) return;
    // sip.js reports a disconnect it was asked for without an error: the loss is handled here instead.
    void ua.transport.disconnect().catch(() => undefined);
    this.handleConnectionLost({ code: 'unreachable', message: 'The browser lost its network connection.' });
  }

  /** Recovery is impossible (the server refuses the credentials): every call ends, the phone stops as `failed`. */
  private async giveUp(failure: TelephonyError): Promise<void> {
    this.online = false;
    for (const call of [...this.calls.values()]) {
      call.endingReason ??= 'network';
      this.finishCall(call);
    }
    await this.shutDown();
    this.setRegistration('failed', errorInfo(failure));
  }

  /** Waits `ms`, or less when the browser reports it is back online or the phone stops. */
  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wakeRecovery = null;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wakeRecovery = done;
    });
  }

  /** Renegotiates ICE over the new connection, so media finds its way again after the network changed. */
  private restartIce(call: SipCall): Promise<void> {
    if (call.session.state !== SessionState.Established) return Promise.resolve();
    clearTimeout(call.iceGraceTimer);
    call.iceGraceTimer = undefined;
    call.iceRestarts += 1;
    return this.enqueue(call, async () => {
      try {
        if (call.finished) return;
        await this.reinvite(call, call.info.state === 'held', true);
        clearTimeout(call.recoveryTimer);
        call.recoveryTimer = undefined;
      } catch {
        call.endingReason = 'network';
        await this.endSession(call).catch(() => undefined);
        this.finishCall(call);
      }
    });
  }

  // ---- calls --------------------------------------------------------------------------------------------------

  async call(target: string): Promise<string> {
    return this.placeCall(target, null);
  }

  async answer(callId: string): Promise<void> {
    const call = this.requireCall(callId);
    const session = call.session;
    if (!(session instanceof Invitation) || call.info.state !== 'ringing') throw new TelephonyError('invalid-state', 'Only a ringing inbound call can be answered.');
    await this.holdOthers(call);
    try {
      await session.accept();
    } catch (error) {
      throw toTelephonyError(error, 'failed');
    }
  }

  async reject(callId: string): Promise<void> {
    const call = this.requireCall(callId);
    const session = call.session;
    if (!(session instanceof Invitation) || call.info.state !== 'ringing' || session.state !== SessionState.Initial) {
      throw new TelephonyError('invalid-state', 'Only a ringing inbound call can be rejected.');
    }
    call.endingReason = 'rejected';
    await session.reject({ statusCode: 486 }).catch((error: unknown) => {
      throw toTelephonyError(error, 'failed');
    });
  }

  async hangup(callId: string): Promise<void> {
    if (this.endedIds.has(callId)) return;
    const call = this.requireCall(callId);
    call.endingReason ??=
      call.info.state === 'ringing' ? 'rejected' : call.info.state === 'dialing' ? 'cancelled' : 'hangup-local';
    await this.endSession(call).catch((error: unknown) => {
      throw toTelephonyError(error, 'failed');
    });
  }

  async hold(callId: string): Promise<void> {
    const call = this.requireCall(callId);
    if (call.info.state === 'held') return;
    if (call.info.state !== 'active') throw new TelephonyError('invalid-state', 'Only an answered call can be held.');
    await this.enqueue(call, () => this.reinvite(call, true, false));
    this.updateCall(call, { state: 'held' });
    this.applyTrackState(call);
  }

  async resume(callId: string): Promise<void> {
    const call = this.requireCall(callId);
    if (call.info.state === 'active') return;
    if (call.info.state !== 'held') throw new TelephonyError('invalid-state', 'Only a held call can be resumed.');
    await this.holdOthers(call);
    await this.enqueue(call, () => this.reinvite(call, false, false));
    this.updateCall(call, { state: 'active' });
    this.applyTrackState(call);
  }

  async setMuted(callId: string, muted: boolean): Promise<void> {
    const call = this.requireCall(callId);
    this.updateCall(call, { muted });
    this.applyTrackState(call);
  }

  async sendDtmf(callId: string, tones: string): Promise<void> {
    const call = this.requireCall(callId);
    const normalized = tones.toUpperCase();
    if (!dtmfTonesPattern.test(normalized)) throw new TelephonyError('invalid-target', `"${tones}" holds characters that are not DTMF tones.`);
    if (call.info.state !== 'active') throw new TelephonyError('invalid-state', 'DTMF needs an answered call that is not held.');
    const peerConnection = this.peerConnection(callId);
    const dtmfSender = peerConnection?.getSenders().find((sender) => sender.track?.kind === 'audio')?.dtmf;
    if (dtmfSender?.canInsertDTMF && offersTelephoneEvent(peerConnection?.remoteDescription?.sdp)) {
      await playDtmf(dtmfSender, normalized);
      return;
    }
    for (const tone of normalized) await this.enqueue(call, () => this.sendInfoTone(call, tone));
  }

  async blindTransfer(callId: string, target: string): Promise<void> {
    const call = this.requireEstablished(callId);
    const uri = this.targetUri(target);
    await this.enqueue(call, () => this.refer(call, uri, null));
    call.endingReason = 'transferred';
    await this.endSession(call).catch(() => this.finishCall(call));
  }

  async startConsult(callId: string, target: string): Promise<string> {
    const call = this.requireEstablished(callId);
    if (call.info.state === 'active') await this.hold(callId);
    return this.placeCall(target, callId);
  }

  async completeConsult(callId: string, consultCallId: string): Promise<void> {
    const original = this.requireEstablished(callId);
    const consult = this.requireEstablished(consultCallId);
    // The held party is asked to call the consult party with Replaces: the consult leg is swapped for it, and the
    // transfer target usually hangs that leg up before the success NOTIFY arrives. Either leg ending meanwhile
    // ends as transferred.
    original.endingReason = 'transferred';
    consult.endingReason = 'transferred';
    try {
      await this.enqueue(original, () => this.refer(original, consult.session, consult));
    } catch (error) {
      original.endingReason = null;
      consult.endingReason = null;
      throw error;
    }
    await this.endSession(original).catch(() => this.finishCall(original));
    // The transfer target ends the replaced consult leg itself; end it here if it does not.
    await waitUntil(() => consult.finished, 2_000);
    if (!consult.finished) await this.endSession(consult).catch(() => this.finishCall(consult));
  }

  async cancelConsult(callId: string, consultCallId: string): Promise<void> {
    const original = this.requireCall(callId);
    if (!this.endedIds.has(consultCallId)) {
      const consult = this.requireCall(consultCallId);
      consult.endingReason ??= consult.info.state === 'dialing' ? 'cancelled' : 'hangup-local';
      await this.endSession(consult).catch((error: unknown) => {
        throw toTelephonyError(error, 'failed');
      });
    }
    if (original.info.state === 'held') await this.resume(callId);
  }

  /** The call's RTCPeerConnection, for diagnostics and tests; undefined before media is negotiated or after the end. */
  peerConnection(callId: string): RTCPeerConnection | undefined {
    const handler = this.calls.get(callId)?.session.sessionDescriptionHandler;
    return handler instanceof Web.SessionDescriptionHandler ? handler.peerConnection : undefined;
  }

  private async placeCall(target: string, consultFor: string | null): Promise<string> {
    const ua = this.requireUserAgent();
    if (!ua.isConnected() || this.registration === 'reconnecting') throw new TelephonyError('unreachable', 'The SIP server is not reachable right now.');
    const uri = this.targetUri(target);
    await this.holdOthers(null);
    const token = this.config?.authorizationPassword === null ? this.config.authorizationToken : null;
    const inviter = new Inviter(ua, uri, { extraHeaders: token ? [`Authorization: Bearer ${token}`] : [] });
    const call = this.track(inviter, 'outbound', uri.user ?? target, null, consultFor);
    try {
      await inviter.invite({
        requestDelegate: {
          onReject: (response) => {
            call.rejectStatus = response.message.statusCode ?? 0;
          },
        },
      });
    } catch (error) {
      call.endingReason ??= 'failed';
      this.finishCall(call);
      throw toTelephonyError(error, 'failed');
    }
    return call.info.id;
  }

  private handleInvitation(invitation: Invitation): void {
    if (!this.online || this.stopping) {
      void invitation.reject({ statusCode: 480 }).catch(() => undefined);
      return;
    }
    const identity = invitation.remoteIdentity;
    this.track(invitation, 'inbound', identity.uri.user ?? identity.uri.toString(), identity.displayName || null, null);
  }

  private track(session: Inviter | Invitation, direction: CallInfo['direction'], remoteNumber: string, remoteDisplayName: string | null, consultFor: string | null): SipCall {
    const audio = document.createElement('audio');
    audio.autoplay = true;
    let confirm = () => {};
    const confirmed = new Promise<void>((resolve) => {
      confirm = resolve;
    });
    const call: SipCall = {
      info: {
        id: crypto.randomUUID(),
        direction,
        remoteNumber,
        remoteDisplayName,
        state: direction === 'inbound' ? 'ringing' : 'dialing',
        createdAt: Date.now(),
        answeredAt: null,
        endedAt: null,
        muted: false,
        endReason: null,
        consultFor,
      },
      session,
      audio,
      queue: Promise.resolve(),
      confirmed,
      confirm,
      endingReason: null,
      remoteHungUp: false,
      remoteCancelled: false,
      rejectStatus: null,
      lastCounters: null,
      qualityTimer: undefined,
      recoveryTimer: undefined,
      iceGraceTimer: undefined,
      iceRestarts: 0,
      unwatchIce: () => undefined,
      finished: false,
    };
    if (this.selection.speakerId !== null) void audio.setSinkId(this.selection.speakerId).catch(() => undefined);
    session.delegate = {
      onAck: () => call.confirm(),
      onBye: (bye) => {
        call.remoteHungUp = true;
        void bye.accept().catch(() => undefined);
      },
      onCancel: () => {
        call.remoteCancelled = true;
      },
      onInfo: (info) => void info.accept().catch(() => undefined),
      // This phone does not let the other party move the call elsewhere.
      onRefer: (referral) => void referral.reject().catch(() => undefined),
      onNotify: (notification: Notification) => void notification.accept().catch(() => undefined),
    };
    session.stateChange.addListener((state) => {
      if (state === SessionState.Established) this.handleEstablished(call);
      // sip.js reports a rejected INVITE's status (requestDelegate.onReject) just after this transition.
      if (state === SessionState.Terminated) queueMicrotask(() => this.finishCall(call));
    });
    this.calls.set(call.info.id, call);
    this.events.next({ type: 'call', call: call.info });
    return call;
  }

  private handleEstablished(call: SipCall): void {
    if (call.finished) return;
    // An outbound call is confirmed by our own ACK, which sip.js sends as it reaches Established.
    if (call.session instanceof Inviter) call.confirm();
    const handler = call.session.sessionDescriptionHandler;
    if (handler instanceof Web.SessionDescriptionHandler) {
      call.audio.srcObject = handler.remoteMediaStream;
      playWhenAllowed(call.audio);
      if (handler.peerConnection) this.watchIce(call, handler.peerConnection);
    }
    this.applyTrackState(call);
    call.qualityTimer = setInterval(() => void this.sampleQuality(call), this.options.qualityIntervalMs);
    this.updateCall(call, { state: 'active', answeredAt: Date.now() });
  }

  /**
   * Media lost with signalling up (the WebSocket never noticed): ICE `failed` restarts ICE at once, `disconnected`
   * after a grace period (it often heals by itself). While reconnecting, the recovery loop restarts ICE itself.
   */
  private watchIce(call: SipCall, peerConnection: RTCPeerConnection): void {
    const onChange = () => {
      if (call.finished) return;
      const state = peerConnection.iceConnectionState;
      if (state === 'connected' || state === 'completed') {
        clearTimeout(call.iceGraceTimer);
        call.iceGraceTimer = undefined;
        call.iceRestarts = 0;
      } else if (state === 'failed') {
        this.restartIceAfterMediaLoss(call);
      } else if (state === 'disconnected') {
        call.iceGraceTimer ??= setTimeout(() => {
          call.iceGraceTimer = undefined;
          const now = peerConnection.iceConnectionState;
          if (now === 'disconnected' || now === 'failed') this.restartIceAfterMediaLoss(call);
        }, this.options.iceDisconnectedGraceMs);
      }
    };
    peerConnection.addEventListener('iceconnectionstatechange', onChange);
    call.unwatchIce = () => peerConnection.removeEventListener('iceconnectionstatechange', onChange);
  }

  private restartIceAfterMediaLoss(call: SipCall): void {
    if (call.finished || this.registration !== 'registered' || !this.ua?.isConnected()) return;
    if (call.iceRestarts >= ICE_RESTARTS_MAX) {
      call.endingReason = 'network';
      void this.endSession(call).catch(() => undefined);
      this.finishCall(call);
      return;
    }
    void this.restartIce(call);
  }

  /** Emits the call's `ended` update once and releases its media; safe to call more than once. */
  private finishCall(call: SipCall): void {
    if (call.finished) return;
    call.finished = true;
    clearInterval(call.qualityTimer);
    clearTimeout(call.recoveryTimer);
    clearTimeout(call.iceGraceTimer);
    call.unwatchIce();
    call.audio.pause();
    call.audio.srcObject = null;
    this.calls.delete(call.info.id);
    this.endedIds.add(call.info.id);
    if (this.endedIds.size > ENDED_IDS_KEPT) this.endedIds.delete(this.endedIds.values().next().value as string);
    this.updateCall(call, { state: 'ended', endedAt: Date.now(), endReason: this.endReason(call) });
    // A call ended here without signalling (network loss) still holds a session and a peer connection.
    if (call.session.state !== SessionState.Terminated) void call.session.dispose().catch(() => undefined);
  }

  private endReason(call: SipCall): CallEndReason {
    if (call.endingReason) return call.endingReason;
    if (call.remoteHungUp) return 'hangup-remote';
    if (call.remoteCancelled) return 'cancelled';
    const status = call.rejectStatus;
    if (status === null) return 'failed';
    if (status === 486 || status === 600) return 'busy';
    if (status === 603) return 'rejected';
    if (status === 408 || status === 480 || status === 487) return 'no-answer';
    return 'failed';
  }

  private updateCall(call: SipCall, update: CallUpdate): void {
    call.info = { ...call.info, ...update };
    this.events.next({ type: 'call', call: call.info });
  }

  /** Ends the session whatever its state: CANCEL, 486 or BYE. */
  private async endSession(call: SipCall): Promise<void> {
    const session = call.session;
    switch (session.state) {
      case SessionState.Initial:
      case SessionState.Establishing:
        if (session instanceof Inviter) await session.cancel();
        else if (session.state === SessionState.Initial) await session.reject({ statusCode: 486 });
        else await session.bye();
        return;
      case SessionState.Established:
        await session.bye();
        return;
      default:
        this.finishCall(call);
    }
  }

  /** Holds every answered call but `except` (a new call, an answer or a resume takes the line). */
  private async holdOthers(except: SipCall | null): Promise<void> {
    for (const other of [...this.calls.values()]) {
      if (other !== except && other.info.state === 'active') await this.hold(other.info.id);
    }
  }

  private async reinvite(call: SipCall, hold: boolean, iceRestart: boolean): Promise<void> {
    const session = call.session;
    await withTimeout(call.confirmed, 5_000, () => new TelephonyError('invalid-state', 'The answered call was never confirmed (no ACK).'));
    // Kept on the session: sip.js also answers the other side's re-INVITEs with these options, so a held call
    // stays held when the other party renegotiates.
    const reinviteOptions: Web.SessionDescriptionHandlerOptions = iceRestart ? { hold, offerOptions: { iceRestart: true } } : { hold };
    session.sessionDescriptionHandlerOptionsReInvite = reinviteOptions;
    return new Promise<void>((resolve, reject) => {
      session
        .invite({
          requestDelegate: {
            onAccept: () => resolve(),
            onReject: (response) => reject(new TelephonyError('failed', `The other party answered the re-INVITE with ${response.message.statusCode ?? 0}.`)),
          },
        })
        .catch((error: unknown) => reject(toTelephonyError(error, 'failed')));
    }).finally(() => {
      const settled: Web.SessionDescriptionHandlerOptions = { hold };
      session.sessionDescriptionHandlerOptionsReInvite = settled;
    });
  }

  private sendInfoTone(call: SipCall, tone: string): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      call.session
        .info({
          requestOptions: { body: { contentDisposition: 'render', contentType: 'application/dtmf-relay', content: dtmfRelayBody(tone, DTMF_TONE_MS) } },
          requestDelegate: {
            onAccept: () => resolve(),
            onReject: (response) => reject(new TelephonyError('failed', `The other party refused the DTMF INFO with ${response.message.statusCode ?? 0}.`)),
          },
        })
        .catch((error: unknown) => reject(toTelephonyError(error, 'failed')));
    });
  }

  /**
   * Sends REFER. Blind (`consult` null): resolves on 202 Accepted. Attended (`referTo` is the consult session, so
   * sip.js adds Replaces): resolves when the transferee reports (NOTIFY sipfrag) that the target answered.
   */
  private refer(call: SipCall, referTo: URI | Session, consult: SipCall | null): Promise<void> {
    return withTimeout(
      new Promise<void>((resolve, reject) => {
        const fail = (message: string) => reject(new TelephonyError('transfer-failed', message));
        call.session
          .refer(referTo, {
            requestDelegate: {
              onAccept: () => {
                if (!consult) resolve();
              },
              onReject: (response) => fail(`The other party refused the transfer with ${response.message.statusCode ?? 0}.`),
            },
            onNotify: (notification) => {
              void notification.accept().catch(() => undefined);
              const status = /^SIP\/2\.0\s+(\d{3})/u.exec(notification.request.body ?? '')?.[1];
              const code = status === undefined ? 0 : Number(status);
              if (code >= 200 && code < 300) resolve();
              else if (code >= 300) fail(`The transfer target answered ${code}.`);
            },
          })
          .catch((error: unknown) => reject(toTelephonyError(error, 'transfer-failed')));
      }),
      this.options.transferTimeoutMs,
      () => new TelephonyError('transfer-failed', `The transfer did not complete within ${this.options.transferTimeoutMs} ms.`),
    );
  }

  /** Sender enabled unless muted or held; receiver enabled unless held (what the E-model and the ear expect). */
  private applyTrackState(call: SipCall): void {
    const peerConnection = this.peerConnection(call.info.id);
    if (!peerConnection) return;
    const held = call.info.state === 'held';
    for (const sender of peerConnection.getSenders()) if (sender.track) sender.track.enabled = !held && !call.info.muted;
    for (const receiver of peerConnection.getReceivers()) receiver.track.enabled = !held;
  }

  /** Never rejects: a peer connection closed between two samples (the call just ended) has no stats, nothing more. */
  private async sampleQuality(call: SipCall): Promise<void> {
    const peerConnection = this.peerConnection(call.info.id);
    if (!peerConnection || call.finished || peerConnection.signalingState === 'closed') return;
    let report: RTCStatsReport;
    try {
      report = await peerConnection.getStats();
    } catch {
      return;
    }
    const counters = readMediaCounters(report);
    if (call.finished) return;
    const quality = qualitySample(call.info.id, Date.now(), counters, call.lastCounters);
    call.lastCounters = counters;
    this.events.next({ type: 'quality', quality });
  }

  // ---- devices ------------------------------------------------------------------------------------------------

  async listDevices(): Promise<readonly AudioDevice[]> {
    if (!navigator.mediaDevices) throw new TelephonyError('device-unavailable', 'This page cannot list audio devices (not a secure context).');
    return listAudioDevices(navigator.mediaDevices).catch((error: unknown) => {
      throw toTelephonyError(error, 'device-unavailable');
    });
  }

  async setDevices(devices: Partial<AudioDeviceSelection>): Promise<void> {
    const next: AudioDeviceSelection = { ...this.selection, ...devices };
    if (next.microphoneId !== this.selection.microphoneId) await this.switchMicrophone(next.microphoneId);
    if (next.speakerId !== this.selection.speakerId) await this.switchSpeaker(next.speakerId);
    this.selection = next;
    this.events.next({ type: 'devices', devices: await this.listDevices(), selection: next });
  }

  /** Swaps the microphone track of every call in place (RTCRtpSender.replaceTrack: no renegotiation). */
  private async switchMicrophone(microphoneId: string | null): Promise<void> {
    const live = [...this.calls.values()].filter((call) => this.peerConnection(call.info.id));
    if (live.length === 0) return;
    let stream: MediaStream;
    try {
      stream = await navigator.mediaDevices.getUserMedia(microphoneConstraints(microphoneId));
    } catch (error) {
      throw toTelephonyError(error, 'device-unavailable');
    }
    const [track] = stream.getAudioTracks();
    // Each call gets a clone; the original goes in every case, so no microphone stays open unused (the light on).
    try {
      if (!track) throw new TelephonyError('device-unavailable', 'The microphone gave no audio track.');
      for (const call of live) {
        const callTrack = track.clone();
        await this.enqueue(call, async () => {
          let used = false;
          try {
            const handler = call.session.sessionDescriptionHandler;
            const sender = this.peerConnection(call.info.id)?.getSenders().find((candidate) => candidate.track?.kind === 'audio');
            if (!sender || !(handler instanceof Web.SessionDescriptionHandler)) return;
            const previous = sender.track;
            await sender.replaceTrack(callTrack).catch((error: unknown) => {
              throw toTelephonyError(error, 'device-unavailable');
            });
            used = true;
            // Keep sip.js's view of the local stream in step, so its own re-INVITEs send the new track too.
            if (previous) {
              handler.localMediaStream.removeTrack(previous);
              previous.stop();
            }
            handler.localMediaStream.addTrack(callTrack);
            this.applyTrackState(call);
          } finally {
            if (!used) callTrack.stop();
          }
        });
      }
    } finally {
      for (const unused of stream.getTracks()) unused.stop();
    }
  }

  private async switchSpeaker(speakerId: string | null): Promise<void> {
    try {
      for (const call of this.calls.values()) await call.audio.setSinkId(speakerId ?? '');
    } catch (error) {
      throw toTelephonyError(error, 'device-unavailable');
    }
  }

  private async handleDeviceChange(): Promise<void> {
    try {
      const devices = await this.listDevices();
      const next = withoutMissingDevices(this.selection, devices);
      // A removed device falls back to the system default, during a call too.
      if (next.microphoneId !== this.selection.microphoneId) await this.switchMicrophone(next.microphoneId).catch(() => undefined);
      if (next.speakerId !== this.selection.speakerId) await this.switchSpeaker(next.speakerId).catch(() => undefined);
      this.selection = next;
      this.events.next({ type: 'devices', devices, selection: next });
    } catch {
      // Listing failed (the page lost the permission): nothing to compare against; the next change retries.
    }
  }

  // ---- helpers ------------------------------------------------------------------------------------------------

  private enqueue<T>(call: SipCall, work: () => Promise<T>): Promise<T> {
    const run = call.queue.then(work, work);
    call.queue = run.catch(() => undefined);
    return run;
  }

  private requireUserAgent(): UserAgent {
    if (!this.ua || this.stopping) throw new TelephonyError('not-started', 'The phone is not started.');
    return this.ua;
  }

  private requireCall(callId: string): SipCall {
    this.requireUserAgent();
    const call = this.calls.get(callId);
    if (!call) throw new TelephonyError(this.endedIds.has(callId) ? 'invalid-state' : 'no-such-call', `No call ${callId} in progress.`);
    return call;
  }

  private requireEstablished(callId: string): SipCall {
    const call = this.requireCall(callId);
    if (call.session.state !== SessionState.Established) throw new TelephonyError('invalid-state', 'The call is not answered.');
    return call;
  }

  /** A number (`1002`, `+8613800000000`) becomes `sip:<number>@<our domain>`; a SIP URI is taken as it is. */
  private targetUri(target: string): URI {
    const trimmed = target.trim();
    const domain = this.localUri?.host ?? '';
    const text = /^sips?:/iu.test(trimmed) ? trimmed : trimmed.includes('@') ? `sip:${trimmed}` : `sip:${trimmed}@${domain}`;
    const uri = /^[^\s<>"]+$/u.test(trimmed) && trimmed !== '' ? UserAgent.makeURI(text) : undefined;
    if (!uri) throw new TelephonyError('invalid-target', `"${target}" is not a number or a SIP URI.`);
    return uri;
  }
}

/** sip.js 0.21 keeps these typed private although they are plain getters; this reads them, nothing more. */
interface RegistererWaiting {
  readonly waiting: boolean;
  readonly waitingChange: { addListener(listener: (waiting: boolean) => void, options?: { once?: boolean }): void };
}

/** True while the registerer waits for the final answer to a REGISTER (sip.js never sends a second one then). */
function registerInFlight(registerer: Registerer): boolean {
  return (registerer as unknown as RegistererWaiting).waiting;
}

/** What sip.js's transport accepts as a server: a ws:// or wss:// URL with a host. */
function isWebSocketUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return (url.protocol === 'ws:' || url.protocol === 'wss:') && url.hostname !== '';
  } catch {
    return false;
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number, timeoutError: () => Error = () => new TelephonyError('failed', `Timed out after ${ms} ms.`)): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(timeoutError()), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

async function waitUntil(check: () => boolean, ms: number): Promise<void> {
  const started = Date.now();
  while (!check() && Date.now() - started < ms) await new Promise((resolve) => setTimeout(resolve, 50));
}

/** Plays tones through RTCDTMFSender (RFC 4733) and resolves once the last one has been sent. */
function playDtmf(sender: RTCDTMFSender, tones: string): Promise<void> {
  return withTimeout(
    new Promise<void>((resolve) => {
      const onToneChange = (event: RTCDTMFToneChangeEvent) => {
        if (event.tone !== '') return;
        sender.removeEventListener('tonechange', onToneChange);
        resolve();
      };
      sender.addEventListener('tonechange', onToneChange);
      sender.insertDTMF(tones, DTMF_TONE_MS, DTMF_GAP_MS);
    }),
    tones.length * (DTMF_TONE_MS + DTMF_GAP_MS) + 2_000,
  );
}

/** Starts playback; when autoplay is blocked, retries on the agent's next click or key press. */
function playWhenAllowed(audio: HTMLAudioElement): void {
  audio.play().catch(() => {
    const retry = () => {
      document.removeEventListener('pointerdown', retry, true);
      document.removeEventListener('keydown', retry, true);
      if (audio.srcObject) void audio.play().catch(() => undefined);
    };
    document.addEventListener('pointerdown', retry, true);
    document.addEventListener('keydown', retry, true);
  });
}
