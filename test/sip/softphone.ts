// The softphone under test (SipTelephony, through the same loader hosts use) with a recorder of its events.
import type { Subscription } from 'rxjs';
import type { TelephonyConfig } from '../../src/connector/model.js';
import { loadSipTelephony } from '../../src/telephony/load-sip-telephony.js';
import type { SipTelephony } from '../../src/telephony/sip/sip-telephony.js';
import type { SipTelephonyOptions } from '../../src/telephony/sip/sip-telephony-options.js';
import type { CallInfo, CallQuality, RegistrationState, TelephonyEvent } from '../../src/telephony/telephony.js';
import { waitFor } from '../helpers/events.js';
import { sipServer } from './peer.js';

export interface SoftphoneAccount {
  readonly user: string;
  readonly server?: string;
  readonly password?: string;
}

export function telephonyConfig({ user, server = sipServer.wsUrl, password }: SoftphoneAccount): TelephonyConfig {
  return {
    webSocketUrl: server,
    sipUri: `sip:${user}@${sipServer.domain}`,
    authorizationUsername: password === undefined ? null : user,
    authorizationPassword: password ?? null,
    authorizationToken: null,
    iceServers: [],
  };
}

export class Softphone {
  readonly events: TelephonyEvent[] = [];
  private subscription: Subscription | null = null;

  private constructor(readonly telephony: SipTelephony) {
    this.subscription = telephony.events$.subscribe((event) => this.events.push(event));
  }

  static async create(options: SipTelephonyOptions = {}): Promise<Softphone> {
    // The loader's type is the port; the tests also use the adapter's diagnostic peerConnection().
    return new Softphone((await loadSipTelephony(options)) as SipTelephony);
  }

  async start(account: SoftphoneAccount): Promise<void> {
    await this.telephony.start(telephonyConfig(account));
  }

  async stop(): Promise<void> {
    await this.telephony.stop();
    this.subscription?.unsubscribe();
    this.subscription = null;
  }

  /** The latest state of a call, as the events reported it. */
  call(callId: string): CallInfo | undefined {
    for (let index = this.events.length - 1; index >= 0; index -= 1) {
      const event = this.events[index];
      if (event?.type === 'call' && event.call.id === callId) return event.call;
    }
    return undefined;
  }

  /** Calls as last reported, first seen first. */
  calls(): CallInfo[] {
    const ids = [...new Set(this.events.flatMap((event) => (event.type === 'call' ? [event.call.id] : [])))];
    return ids.map((id) => this.call(id) as CallInfo);
  }

  waitForCall(check: (call: CallInfo) => boolean, what: string, timeoutMs = 10_000): Promise<CallInfo> {
    return waitFor(() => this.calls().find(check), what, timeoutMs);
  }

  waitForState(callId: string, state: CallInfo['state'], timeoutMs = 10_000): Promise<CallInfo> {
    return waitFor(() => (this.call(callId)?.state === state ? this.call(callId) : undefined), `call ${callId} ${state}`, timeoutMs);
  }

  registrationStates(): RegistrationState[] {
    return this.events.flatMap((event) => (event.type === 'registration' ? [event.state] : []));
  }

  get registration(): RegistrationState | undefined {
    return this.registrationStates().at(-1);
  }

  quality(callId: string): CallQuality[] {
    return this.events.flatMap((event) => (event.type === 'quality' && event.quality.callId === callId ? [event.quality] : []));
  }

  peerConnection(callId: string): RTCPeerConnection {
    const peerConnection = this.telephony.peerConnection(callId);
    if (!peerConnection) throw new Error(`no peer connection for call ${callId}`);
    return peerConnection;
  }
}
