// The other parties of the SIP tests: bare sip.js UserAgents (a customer, a colleague), registered on the same
// Kamailio as the softphone under test. They answer, call, hang up, hold, follow REFERs (blind and with Replaces)
// and record what they received (INFO DTMF, BYE), so the tests assert on what the far end observed.
import {
  Invitation,
  Inviter,
  Registerer,
  RegistererState,
  SessionState,
  SIPExtension,
  UserAgent,
  Web,
  type Referral,
  type Session,
  type SessionDescriptionHandlerModifier,
} from 'sip.js';
import { waitFor } from '../helpers/events.js';

/** What web-test-runner.sip.config.mjs hands to the page. */
export interface SipTestServer {
  /** Kamailio, no auth. */
  readonly wsUrl: string;
  /** The same Kamailio through a TCP proxy the tests can cut (network loss). */
  readonly proxyWsUrl: string;
  /** A second Kamailio with digest auth (users authagent/agent-secret, authpeer/peer-secret). */
  readonly authWsUrl: string;
  readonly domain: string;
  /** True inside `unshare --net` (only `lo`): every ICE pair must then be on 127.0.0.1. */
  readonly isolatedNetwork: boolean;
}

export const sipServer: SipTestServer = (window as unknown as { __CC_SIP__: SipTestServer }).__CC_SIP__;

let userCounter = 0;
/** A user name no other test registered, so Kamailio's location table never mixes two tests' UAs. */
export function uniqueUser(role: string): string {
  userCounter += 1;
  return `${role}${userCounter}x${Math.random().toString(36).slice(2, 8)}`;
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Removes RFC 4733 telephone-event from an SDP, so the other side must fall back to SIP INFO for DTMF. */
const withoutTelephoneEvent: SessionDescriptionHandlerModifier = async (description) => {
  const lines = (description.sdp ?? '').split('\r\n');
  const eventTypes = new Set(lines.flatMap((line) => /^a=rtpmap:(\d+) telephone-event\//u.exec(line)?.[1] ?? []));
  const kept = lines
    .filter((line) => ![...eventTypes].some((type) => line.startsWith(`a=rtpmap:${type} `) || line.startsWith(`a=fmtp:${type} `) || line.startsWith(`a=rtcp-fb:${type} `)))
    .map((line) => (line.startsWith('m=audio ') ? line.split(' ').filter((part, index) => index < 3 || !eventTypes.has(part)).join(' ') : line));
  return { type: description.type, sdp: kept.join('\r\n') };
};

export interface PeerOptions {
  readonly user: string;
  readonly server?: string;
  readonly password?: string;
  readonly displayName?: string;
  /** false: offer and answer without telephone-event (the softphone must then send DTMF as SIP INFO). */
  readonly telephoneEvent?: boolean;
}

export class Peer {
  readonly ua: UserAgent;
  readonly registerer: Registerer;
  readonly user: string;
  /** Every session of this UA, in the order they appeared (incoming, outgoing and REFER-followed ones). */
  readonly sessions: Session[] = [];
  /** Tones received as SIP INFO application/dtmf-relay. */
  readonly infoTones: string[] = [];
  /** Final non-2xx status codes this UA's own INVITEs got. */
  readonly rejections: number[] = [];
  /** REFERs received, with the Refer-To they carried. */
  readonly referTargets: string[] = [];
  private readonly invitations: Invitation[] = [];
  private readonly modifiers: SessionDescriptionHandlerModifier[];

  constructor(options: PeerOptions) {
    this.user = options.user;
    this.modifiers = options.telephoneEvent === false ? [withoutTelephoneEvent] : [];
    const uri = UserAgent.makeURI(`sip:${options.user}@${sipServer.domain}`);
    if (!uri) throw new Error(`bad user ${options.user}`);
    this.ua = new UserAgent({
      uri,
      displayName: options.displayName ?? '',
      transportOptions: { server: options.server ?? sipServer.wsUrl },
      authorizationUsername: options.password ? options.user : undefined,
      authorizationPassword: options.password,
      logLevel: 'error',
      // A transfer target swaps the consult call for the one that arrives with Replaces.
      sipExtensionReplaces: SIPExtension.Supported,
      sessionDescriptionHandlerFactoryOptions: { peerConnectionConfiguration: { iceServers: [] }, iceGatheringTimeout: 1000 },
      delegate: {
        onInvite: (invitation) => {
          this.watch(invitation);
          // INVITE with Replaces (an attended transfer): take it at once; sip.js then ends the replaced session.
          if (invitation.replacee) void this.answer(invitation);
          else this.invitations.push(invitation);
        },
      },
    });
    this.registerer = new Registerer(this.ua, { expires: 300 });
  }

  get uri(): string {
    return `sip:${this.user}@${sipServer.domain}`;
  }

  async start(): Promise<void> {
    await this.ua.start();
    await this.register();
  }

  async register(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      void this.registerer
        .register({
          requestDelegate: {
            onAccept: () => resolve(),
            onReject: (response) => reject(new Error(`REGISTER of ${this.user} answered ${response.message.statusCode}`)),
          },
        })
        .catch(reject);
    });
    await waitFor(() => this.registerer.state === RegistererState.Registered, `${this.user} registered`);
  }

  async stop(): Promise<void> {
    for (const session of this.sessions) if (session.state !== SessionState.Terminated) await session.dispose().catch(() => undefined);
    if (this.registerer.state === RegistererState.Registered) await this.registerer.unregister().catch(() => undefined);
    await this.ua.stop().catch(() => undefined);
  }

  /** The next INVITE that reached this UA (and has not been taken yet). */
  async nextInvitation(timeoutMs = 10_000): Promise<Invitation> {
    await waitFor(() => this.invitations.length > 0, `an INVITE at ${this.user}`, timeoutMs);
    return this.invitations.shift() as Invitation;
  }

  async answer(invitation: Invitation): Promise<Invitation> {
    await invitation.accept({ sessionDescriptionHandlerModifiers: this.modifiers });
    await this.waitState(invitation, SessionState.Established);
    return invitation;
  }

  /** Calls `target` (a SIP URI) and resolves when the call is answered. */
  async call(target: string): Promise<Inviter> {
    const uri = UserAgent.makeURI(target);
    if (!uri) throw new Error(`bad target ${target}`);
    const inviter = new Inviter(this.ua, uri, { sessionDescriptionHandlerModifiers: this.modifiers });
    this.watch(inviter);
    await inviter.invite({ requestDelegate: { onReject: (response) => this.rejections.push(response.message.statusCode ?? 0) } });
    return inviter;
  }

  /** Holds (a=sendonly) or resumes the session by re-INVITE. */
  async setHold(session: Session, hold: boolean): Promise<void> {
    const options: Web.SessionDescriptionHandlerOptions = { hold };
    session.sessionDescriptionHandlerOptionsReInvite = options;
    await new Promise<void>((resolve, reject) => {
      session
        .invite({
          requestDelegate: {
            onAccept: () => resolve(),
            onReject: (response) => reject(new Error(`re-INVITE answered ${response.message.statusCode}`)),
          },
        })
        .catch(reject);
    });
  }

  async hangup(session: Session): Promise<void> {
    if (session.state === SessionState.Established) await session.bye();
    else if (session instanceof Inviter) await session.cancel();
    else if (session instanceof Invitation) await session.reject();
    await this.waitState(session, SessionState.Terminated);
  }

  waitState(session: Session, state: SessionState, timeoutMs = 10_000): Promise<unknown> {
    return waitFor(() => session.state === state, `${this.user}'s session ${state}`, timeoutMs);
  }

  peerConnection(session: Session): RTCPeerConnection {
    const handler = session.sessionDescriptionHandler;
    if (!(handler instanceof Web.SessionDescriptionHandler) || !handler.peerConnection) throw new Error(`${this.user}: no peer connection`);
    return handler.peerConnection;
  }

  /** The newest session that is established now. */
  established(): Session | undefined {
    return [...this.sessions].reverse().find((session) => session.state === SessionState.Established);
  }

  private watch(session: Session): void {
    this.sessions.push(session);
    session.delegate = {
      onInfo: (info) => {
        const tone = /^Signal\s*=\s*([0-9A-D*#])\s*$/imu.exec(info.request.body ?? '')?.[1];
        if (tone) this.infoTones.push(tone);
        void info.accept();
      },
      onRefer: (referral: Referral) => this.followReferral(referral),
    };
  }

  /** What a phone does with REFER: accept (202), then call the Refer-To target (with its Replaces, if any). */
  private followReferral(referral: Referral): void {
    this.referTargets.push(referral.referTo.uri.toString());
    void referral.accept().then(() => {
      const inviter = referral.makeInviter({ sessionDescriptionHandlerModifiers: this.modifiers });
      this.watch(inviter);
      return inviter.invite();
    });
  }
}

export interface AudioCounters {
  readonly packetsReceived: number;
  readonly packetsSent: number;
}

/** Audio RTP counters of a peer connection (`inbound-rtp` / `outbound-rtp`). */
export async function audioCounters(peerConnection: RTCPeerConnection): Promise<AudioCounters> {
  let packetsReceived = 0;
  let packetsSent = 0;
  (await peerConnection.getStats()).forEach((value: unknown) => {
    const entry = value as { type: string; kind?: string; packetsReceived?: number; packetsSent?: number };
    if (entry.kind !== 'audio') return;
    if (entry.type === 'inbound-rtp') packetsReceived += entry.packetsReceived ?? 0;
    if (entry.type === 'outbound-rtp') packetsSent += entry.packetsSent ?? 0;
  });
  return { packetsReceived, packetsSent };
}

/** The selected ICE pair as "local -> remote", e.g. "127.0.0.1:50000 -> 127.0.0.1:50001". */
export async function selectedPair(peerConnection: RTCPeerConnection): Promise<string> {
  const report = await peerConnection.getStats();
  let pairId: string | undefined;
  report.forEach((value: unknown) => {
    const entry = value as { type: string; selectedCandidatePairId?: string };
    if (entry.type === 'transport' && entry.selectedCandidatePairId) pairId = entry.selectedCandidatePairId;
  });
  const pair = pairId ? (report.get(pairId) as { localCandidateId: string; remoteCandidateId: string } | undefined) : undefined;
  if (!pair) return 'none';
  const local = report.get(pair.localCandidateId) as { address?: string; port?: number } | undefined;
  const remote = report.get(pair.remoteCandidateId) as { address?: string; port?: number } | undefined;
  return `${local?.address}:${local?.port} -> ${remote?.address}:${remote?.port}`;
}

/** Waits until both ends have received more than `minimum` audio packets (media really flows both ways). */
export async function expectAudioBothWays(a: RTCPeerConnection, b: RTCPeerConnection, minimum = 10, timeoutMs = 8000): Promise<[AudioCounters, AudioCounters]> {
  const started = performance.now();
  for (;;) {
    const [countsA, countsB] = [await audioCounters(a), await audioCounters(b)];
    if (countsA.packetsReceived > minimum && countsB.packetsReceived > minimum) return [countsA, countsB];
    if (performance.now() - started > timeoutMs) {
      throw new Error(`audio did not flow both ways within ${timeoutMs} ms: ${JSON.stringify(countsA)} / ${JSON.stringify(countsB)}`);
    }
    await sleep(100);
  }
}
