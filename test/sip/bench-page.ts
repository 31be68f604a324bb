// The page of `npm run bench:call` (bundled by scripts/bench-call.mjs): times INVITE → Established for the
// softphone (SipTelephony through loadSipTelephony, as hosts use it) and for a bare sip.js UserAgent, against the
// same auto-answering callee (another page), with the same ICE settings (no STUN, 1 s gathering timeout).
import { Inviter, Registerer, SessionState, UserAgent, type Session } from 'sip.js';
import type { TelephonyConfig } from '../../src/connector/model.js';
import { loadSipTelephony } from '../../src/telephony/load-sip-telephony.js';
import type { Telephony, TelephonyEvent } from '../../src/telephony/telephony.js';

const ice = { peerConnectionConfiguration: { iceServers: [] }, iceGatheringTimeout: 1000 };

function whenState(session: Session, state: SessionState): Promise<void> {
  return new Promise((resolve) => {
    if (session.state === state) resolve();
    session.stateChange.addListener((next) => {
      if (next === state) resolve();
    });
  });
}

async function bareUserAgent(server: string, user: string, onInvite?: UserAgent['delegate']): Promise<UserAgent> {
  const uri = UserAgent.makeURI(`sip:${user}@127.0.0.1`);
  if (!uri) throw new Error(`bad user ${user}`);
  const ua = new UserAgent({ uri, transportOptions: { server }, logLevel: 'error', sessionDescriptionHandlerFactoryOptions: ice, delegate: onInvite });
  await ua.start();
  const registerer = new Registerer(ua, { expires: 300 });
  await new Promise<void>((resolve, reject) => {
    void registerer.register({ requestDelegate: { onAccept: () => resolve(), onReject: (response) => reject(new Error(`REGISTER ${response.message.statusCode}`)) } });
  });
  return ua;
}

/** The callee page: answers every call at once and hangs up nothing (the callers do). */
async function startCallee(server: string, user: string): Promise<void> {
  await bareUserAgent(server, user, {
    onInvite: (invitation) => void invitation.accept(),
  });
}

let telephony: Telephony | null = null;
const events: TelephonyEvent[] = [];
let bare: UserAgent | null = null;

async function startCallers(server: string, agentUser: string, bareUser: string): Promise<void> {
  telephony = await loadSipTelephony();
  telephony.events$.subscribe((event) => events.push(event));
  const config: TelephonyConfig = {
    webSocketUrl: server,
    sipUri: `sip:${agentUser}@127.0.0.1`,
    authorizationUsername: null,
    authorizationPassword: null,
    authorizationToken: null,
    iceServers: [],
  };
  await telephony.start(config);
  bare = await bareUserAgent(server, bareUser);
}

function waitForCall(callId: string, state: string): Promise<void> {
  return new Promise((resolve) => {
    const check = () => events.some((event) => event.type === 'call' && event.call.id === callId && event.call.state === state);
    if (check()) return resolve();
    const subscription = telephony?.events$.subscribe(() => {
      if (!check()) return;
      subscription?.unsubscribe();
      resolve();
    });
  });
}

/** One softphone call: ms from `call()` to the `active` event; then hangs up and waits for the end. */
async function softphoneCall(callee: string): Promise<number> {
  if (!telephony) throw new Error('callers not started');
  const started = performance.now();
  const callId = await telephony.call(callee);
  await waitForCall(callId, 'active');
  const elapsed = performance.now() - started;
  await telephony.hangup(callId);
  await waitForCall(callId, 'ended');
  return elapsed;
}

/** One bare sip.js call: ms from `invite()` to Established; then BYE. */
async function bareCall(callee: string): Promise<number> {
  if (!bare) throw new Error('callers not started');
  const target = UserAgent.makeURI(`sip:${callee}@127.0.0.1`);
  if (!target) throw new Error(`bad callee ${callee}`);
  const started = performance.now();
  const inviter = new Inviter(bare, target);
  const established = whenState(inviter, SessionState.Established);
  await inviter.invite();
  await established;
  const elapsed = performance.now() - started;
  await inviter.bye();
  await whenState(inviter, SessionState.Terminated);
  return elapsed;
}

Object.assign(window, { bench: { startCallee, startCallers, softphoneCall, bareCall } });
