import type { Observable } from 'rxjs';
import type { TelephonyConfig } from '../connector/model.js';

/**
 * The telephony port: what the desk needs from a phone, whatever carries the calls.
 *
 * Adapters: `SipTelephony` (sip.js WebRTC against a SIP server; the only module that imports sip.js, loaded with a
 * dynamic import), `DemoTelephony` (simulated calls for the demo and unit tests) and `TabTelephony` (a follower
 * tab's view of the leader tab's phone). Effects alone call it; it reports everything on `events$`.
 * Every command rejects with a `TelephonyError`.
 */
export interface Telephony {
  /** Registration changes, call upserts and quality samples, in the order they happen. */
  readonly events$: Observable<TelephonyEvent>;

  /**
   * Connects and registers. Resolves once registered; rejects when the server refuses (credentials) or the settings
   * can never work. A server that cannot be reached yet is retried with backoff (`registration: reconnecting`).
   */
  start(config: TelephonyConfig): Promise<void>;
  /** Ends every call, unregisters and disconnects. Safe to call twice. */
  stop(): Promise<void>;

  /** Places an outbound call to a number or SIP URI; resolves with the new call's id once the INVITE is sent. */
  call(target: string): Promise<string>;
  answer(callId: string): Promise<void>;
  /** Declines a ringing inbound call (486 Busy Here). */
  reject(callId: string): Promise<void>;
  /** Ends a call in any state: cancels an unanswered outbound call, rejects a ringing one, hangs up an active one. */
  hangup(callId: string): Promise<void>;
  hold(callId: string): Promise<void>;
  resume(callId: string): Promise<void>;
  setMuted(callId: string, muted: boolean): Promise<void>;
  /** Tones `0-9 * # A-D`; RFC 4733 when the remote offers telephone-event, SIP INFO otherwise. */
  sendDtmf(callId: string, tones: string): Promise<void>;
  /** Hands the call to `target` (REFER) and ends it here. */
  blindTransfer(callId: string, target: string): Promise<void>;
  /** Holds `callId` and calls `target`; resolves with the consult call's id. */
  startConsult(callId: string, target: string): Promise<string>;
  /** Joins the held call to the consult call's party (REFER with Replaces) and ends both here. */
  completeConsult(callId: string, consultCallId: string): Promise<void>;
  /** Hangs up the consult call and resumes the original one. */
  cancelConsult(callId: string, consultCallId: string): Promise<void>;

  /** Audio inputs and outputs the browser reports now. */
  listDevices(): Promise<readonly AudioDevice[]>;
  /** Switches devices, during a call too, without dropping it; `null` means the system default. */
  setDevices(devices: Partial<AudioDeviceSelection>): Promise<void>;
}

export type RegistrationState = 'unregistered' | 'registering' | 'registered' | 'reconnecting' | 'failed';

export type CallDirection = 'inbound' | 'outbound';

/**
 * `ringing`: inbound, not answered yet. `dialing`: outbound, not answered yet. `active`: talking.
 * `held`: on hold by this side. `ended`: over; it stays in the list until the store removes it.
 */
export type CallState = 'ringing' | 'dialing' | 'active' | 'held' | 'ended';

export type CallEndReason =
  | 'hangup-local'
  | 'hangup-remote'
  | 'rejected'
  | 'busy'
  | 'no-answer'
  | 'cancelled'
  | 'transferred'
  | 'failed'
  | 'network';

export interface CallInfo {
  readonly id: string;
  readonly direction: CallDirection;
  /** The other party's number (the SIP URI's user part), as dialled or as presented. */
  readonly remoteNumber: string;
  /** The display name the other party presented; untrusted. */
  readonly remoteDisplayName: string | null;
  readonly state: CallState;
  readonly createdAt: number;
  readonly answeredAt: number | null;
  readonly endedAt: number | null;
  readonly muted: boolean;
  readonly endReason: CallEndReason | null;
  /** Set on a consult call: the call it consults about. */
  readonly consultFor: string | null;
}

/** One sample of a call's media, from `RTCPeerConnection.getStats()`. */
export interface CallQuality {
  readonly callId: string;
  readonly at: number;
  /** Mean opinion score estimate, 1 (bad) to 4.5 (excellent), from the E-model. */
  readonly mos: number;
  readonly jitterMs: number;
  /** Lost packets as a share of expected packets since the previous sample, 0–100. */
  readonly packetLossPercent: number;
  readonly roundTripMs: number | null;
  readonly packetsReceived: number;
  readonly packetsSent: number;
}

export interface AudioDevice {
  readonly id: string;
  readonly kind: 'audioinput' | 'audiooutput';
  /** Empty until the page may use the microphone. */
  readonly label: string;
}

export interface AudioDeviceSelection {
  readonly microphoneId: string | null;
  readonly speakerId: string | null;
  /** Where the ringtone plays, so a headset user hears it on the loudspeaker. */
  readonly ringerId: string | null;
}

export type TelephonyEvent =
  | { readonly type: 'registration'; readonly state: RegistrationState; readonly error: TelephonyErrorInfo | null }
  | { readonly type: 'call'; readonly call: CallInfo }
  | { readonly type: 'quality'; readonly quality: CallQuality }
  | { readonly type: 'devices'; readonly devices: readonly AudioDevice[]; readonly selection: AudioDeviceSelection };

export type TelephonyErrorCode =
  | 'not-started'
  | 'unreachable'
  | 'auth-failed'
  | 'registration-failed'
  | 'no-such-call'
  | 'invalid-state'
  | 'invalid-target'
  | 'media-denied'
  | 'device-unavailable'
  | 'transfer-failed'
  | 'failed';

export interface TelephonyErrorInfo {
  readonly code: TelephonyErrorCode;
  readonly message: string;
}

export class TelephonyError extends Error implements TelephonyErrorInfo {
  override readonly name = 'TelephonyError';
  readonly code: TelephonyErrorCode;

  constructor(code: TelephonyErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}
