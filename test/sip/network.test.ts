// Network loss against a real Kamailio: the softphone's WebSocket is cut (a TCP proxy between it and Kamailio)
// or Kamailio itself is stopped and restarted. Asserts what the agent and the far end observe: the registration
// states, re-registration within the backoff cap + 5 s, the ICE-restart re-INVITE keeping the call's audio, the
// clean `network` end when recovery fails, and never two REGISTERs in flight (counted on the WebSocket itself).
// Also the losses the WebSocket does not see: the browser's `offline` event, a call's media going ICE `failed` or
// staying `disconnected` (forced on the peer connection: loopback media cannot really break), and the CRLF
// keep-alives that keep the WebSocket's path alive.
import { expect } from '@esm-bundle/chai';
import { executeServerCommand } from '@web/test-runner-commands';
import { SessionState } from 'sip.js';
import { waitFor } from '../helpers/events.js';
import { audioCounters, expectAudioBothWays, Peer, sipServer, sleep, uniqueUser } from './peer.js';
import { Softphone } from './softphone.js';

const BACKOFF_MAX_MS = 2000;

function sipServerCommand(action: string, payload: Record<string, unknown> = {}): Promise<unknown> {
  return executeServerCommand('sip-server', { action, ...payload });
}

/**
 * Replaces window.WebSocket so every REGISTER the page sends to `url` is seen leaving and its final answer arriving.
 * A REGISTER counts as in flight from its send until a final (>= 200) answer with its CSeq, or until its socket
 * closes (a dead connection carries nothing).
 */
function spyOnRegisters(url: string) {
  const NativeWebSocket = window.WebSocket;
  const outstanding = new Map<WebSocket, Set<string>>();
  const counts = { sent: 0, maxInFlight: 0 };
  const inFlight = () => [...outstanding.values()].reduce((sum, set) => sum + set.size, 0);
  class SpyWebSocket extends NativeWebSocket {
    constructor(target: string | URL, protocols?: string | string[]) {
      super(target, protocols);
      if (String(target) !== url) return;
      outstanding.set(this, new Set());
      this.addEventListener('message', (event: MessageEvent) => {
        const text = String(event.data);
        const status = /^SIP\/2\.0 (\d{3})/u.exec(text)?.[1];
        const cseq = /^CSeq:\s*(\d+)\s+REGISTER/imu.exec(text)?.[1];
        if (status && cseq && Number(status) >= 200) outstanding.get(this)?.delete(cseq);
      });
      this.addEventListener('close', () => outstanding.delete(this));
    }

    override send(data: Parameters<WebSocket['send']>[0]): void {
      const set = outstanding.get(this);
      if (set && typeof data === 'string' && data.startsWith('REGISTER ')) {
        const cseq = /^CSeq:\s*(\d+)\s+REGISTER/imu.exec(data)?.[1] ?? '?';
        set.add(cseq);
        counts.sent += 1;
        counts.maxInFlight = Math.max(counts.maxInFlight, inFlight());
      }
      super.send(data);
    }
  }
  window.WebSocket = SpyWebSocket;
  return {
    counts,
    restore: () => {
      window.WebSocket = NativeWebSocket;
    },
  };
}

function iceUfrag(sdp: string | undefined): string | undefined {
  return /^a=ice-ufrag:(\S+)/mu.exec(sdp ?? '')?.[1];
}

/**
 * Records the sockets `user`'s phone opens to `url` (those that carry its REGISTER; the far ends' UAs in this page
 * open their own) and everything sent on them.
 */
function spyOnSockets(url: string, user: string) {
  const NativeWebSocket = window.WebSocket;
  const sentBy = new Map<WebSocket, string[]>();
  const isPhones = (messages: readonly string[]) => messages.some((data) => data.startsWith('REGISTER ') && data.includes(`sip:${user}@`));
  class SpyWebSocket extends NativeWebSocket {
    constructor(target: string | URL, protocols?: string | string[]) {
      super(target, protocols);
      if (String(target) === url) sentBy.set(this, []);
    }

    override send(data: Parameters<WebSocket['send']>[0]): void {
      if (typeof data === 'string') sentBy.get(this)?.push(data);
      super.send(data);
    }
  }
  window.WebSocket = SpyWebSocket;
  return {
    /** The phone's sockets, oldest first. */
    opened: () => [...sentBy].filter(([, messages]) => isPhones(messages)).map(([socket]) => socket),
    /** What the phone sent, on all its sockets. */
    sent: () => [...sentBy.values()].filter(isPhones).flat(),
    restore: () => {
      window.WebSocket = NativeWebSocket;
    },
  };
}

/**
 * Makes the peer connection report `state` as its ICE connection state and fires the change event, as the browser
 * does when the media path breaks. Loopback media never breaks by itself; the returned function ends the pretence.
 */
function pretendIceState(peerConnection: RTCPeerConnection, state: RTCIceConnectionState): () => void {
  Object.defineProperty(peerConnection, 'iceConnectionState', { configurable: true, get: () => state });
  peerConnection.dispatchEvent(new Event('iceconnectionstatechange'));
  return () => {
    delete (peerConnection as { iceConnectionState?: unknown }).iceConnectionState;
  };
}

describe('SipTelephony network loss (Kamailio)', function () {
  this.timeout(60_000);

  it('a cut connection during a call: reconnecting → registered, ICE-restart re-INVITE, the audio goes on', async () => {
    const spy = spyOnRegisters(sipServer.proxyWsUrl);
    const phone = await Softphone.create({ reconnectBackoffMaxMs: BACKOFF_MAX_MS, callRecoveryTimeoutMs: 15_000 });
    const customer = new Peer({ user: uniqueUser('customer') });
    try {
      await customer.start();
      await phone.start({ user: uniqueUser('agent'), server: sipServer.proxyWsUrl });
      const callId = await phone.telephony.call(customer.user);
      const invitation = await customer.nextInvitation();
      await customer.answer(invitation);
      await phone.waitForState(callId, 'active');
      await expectAudioBothWays(phone.peerConnection(callId), customer.peerConnection(invitation));
      const ufragBefore = iceUfrag(phone.peerConnection(callId).localDescription?.sdp);
      const remoteUfragBefore = iceUfrag(phone.peerConnection(callId).remoteDescription?.sdp);

      const cutAt = performance.now();
      expect(await sipServerCommand('cut')).to.be.greaterThan(0);
      await waitFor(() => phone.registration === 'reconnecting', 'reconnecting');
      await waitFor(() => phone.registration === 'registered', 're-registered', BACKOFF_MAX_MS + 5000);
      expect(performance.now() - cutAt).to.be.lessThan(BACKOFF_MAX_MS + 5000);

      // The ICE-restart re-INVITE went through: both ends hold new ICE credentials, the call never stopped.
      await waitFor(() => iceUfrag(phone.peerConnection(callId).localDescription?.sdp) !== ufragBefore, 'a new local ice-ufrag');
      await waitFor(() => iceUfrag(phone.peerConnection(callId).remoteDescription?.sdp) !== remoteUfragBefore, 'a new remote ice-ufrag');
      expect(phone.call(callId)?.state).to.equal('active');
      expect(invitation.state).to.equal(SessionState.Established);
      const before = [await audioCounters(phone.peerConnection(callId)), await audioCounters(customer.peerConnection(invitation))];
      await sleep(800);
      const after = [await audioCounters(phone.peerConnection(callId)), await audioCounters(customer.peerConnection(invitation))];
      expect(after[0]?.packetsReceived).to.be.greaterThan(before[0]?.packetsReceived ?? 0);
      expect(after[1]?.packetsReceived).to.be.greaterThan(before[1]?.packetsReceived ?? 0);

      // Hanging up over the new connection reaches the customer.
      await phone.telephony.hangup(callId);
      await customer.waitState(invitation, SessionState.Terminated);
      expect(spy.counts.sent).to.be.at.least(2);
      expect(spy.counts.maxInFlight).to.equal(1);
    } finally {
      spy.restore();
      await sipServerCommand('accept');
      await phone.stop();
      await customer.stop();
    }
  });

  it('recovery fails: a ringing call ends at once, the answered call after the recovery timeout, both as network', async () => {
    const phone = await Softphone.create({ reconnectBackoffMaxMs: 1000, callRecoveryTimeoutMs: 2000 });
    const agent = uniqueUser('agent');
    const customer = new Peer({ user: uniqueUser('customer') });
    const caller = new Peer({ user: uniqueUser('caller') });
    try {
      await customer.start();
      await caller.start();
      await phone.start({ user: agent, server: sipServer.proxyWsUrl });
      const callId = await phone.telephony.call(customer.user);
      await customer.answer(await customer.nextInvitation());
      await phone.waitForState(callId, 'active');
      await caller.call(`sip:${agent}@${sipServer.domain}`);
      const ringing = await phone.waitForCall((call) => call.state === 'ringing', 'an inbound ringing call');

      await sipServerCommand('refuse', { ms: 5000 });
      const cutAt = performance.now();
      await sipServerCommand('cut');
      const ringingEnded = await phone.waitForState(ringing.id, 'ended', 1000);
      expect(ringingEnded.endReason).to.equal('network');
      const activeEnded = await phone.waitForState(callId, 'ended', 6000);
      expect(activeEnded.endReason).to.equal('network');
      expect(performance.now() - cutAt).to.be.within(1800, 4000);
      expect(phone.calls().filter((call) => call.state !== 'ended')).to.deep.equal([]);

      // The connection comes back later: the phone registers again by itself.
      await waitFor(() => phone.registration === 'registered', 're-registered after the outage', 5000 + 1000 + 5000);
    } finally {
      await sipServerCommand('accept');
      await phone.stop();
      await customer.stop();
      await caller.stop();
    }
  });

  /** The agent calls a fresh customer, who answers; resolves once audio flows both ways. */
  async function answeredCall(phone: Softphone, customer: Peer) {
    await customer.start();
    const callId = await phone.telephony.call(customer.user);
    const invitation = await customer.nextInvitation();
    await customer.answer(invitation);
    await phone.waitForState(callId, 'active');
    await expectAudioBothWays(phone.peerConnection(callId), customer.peerConnection(invitation));
    return { callId, invitation };
  }

  async function expectAudioGoesOn(phone: Softphone, callId: string, customer: Peer, invitation: Parameters<Peer['peerConnection']>[0]) {
    const before = [await audioCounters(phone.peerConnection(callId)), await audioCounters(customer.peerConnection(invitation))];
    await sleep(800);
    const after = [await audioCounters(phone.peerConnection(callId)), await audioCounters(customer.peerConnection(invitation))];
    expect(after[0]?.packetsReceived).to.be.greaterThan(before[0]?.packetsReceived ?? 0);
    expect(after[1]?.packetsReceived).to.be.greaterThan(before[1]?.packetsReceived ?? 0);
  }

  it('sends CRLF keep-alives on the WebSocket at the configured interval', async () => {
    const agent = uniqueUser('agent');
    const spy = spyOnSockets(sipServer.wsUrl, agent);
    const phone = await Softphone.create({ keepAliveIntervalSeconds: 1 });
    try {
      await phone.start({ user: agent });
      await waitFor(() => spy.sent().filter((data) => data === '\r\n\r\n').length >= 2, 'two CRLF keep-alives', 4000);
      expect(phone.registration).to.equal('registered');
    } finally {
      spy.restore();
      await phone.stop();
    }
  });

  it('the browser going offline during a call: the WebSocket is replaced, reconnecting → registered, ICE restart, audio goes on', async () => {
    const agent = uniqueUser('agent');
    const spy = spyOnSockets(sipServer.wsUrl, agent);
    const phone = await Softphone.create({ reconnectBackoffMaxMs: BACKOFF_MAX_MS });
    const customer = new Peer({ user: uniqueUser('customer') });
    try {
      await phone.start({ user: agent });
      const { callId, invitation } = await answeredCall(phone, customer);
      const ufragBefore = iceUfrag(phone.peerConnection(callId).localDescription?.sdp);
      const firstSocket = spy.opened()[0];
      expect(spy.opened()).to.have.length(1);

      // The socket still looks open (a dead path takes TCP minutes to notice); the offline event alone must act.
      window.dispatchEvent(new Event('offline'));
      expect(phone.registration).to.equal('reconnecting');
      await waitFor(() => phone.registration === 'registered', 're-registered', BACKOFF_MAX_MS + 5000);
      expect(spy.opened()).to.have.length(2);
      expect(firstSocket?.readyState).to.be.oneOf([WebSocket.CLOSING, WebSocket.CLOSED]);
      await waitFor(() => iceUfrag(phone.peerConnection(callId).localDescription?.sdp) !== ufragBefore, 'a new local ice-ufrag');
      expect(phone.call(callId)?.state).to.equal('active');
      await expectAudioGoesOn(phone, callId, customer, invitation);
      await phone.telephony.hangup(callId);
      await customer.waitState(invitation, SessionState.Terminated);
    } finally {
      spy.restore();
      await phone.stop();
      await customer.stop();
    }
  });

  it('media ICE failed while signalling is up: an ICE-restart re-INVITE at once, the call and its audio go on', async () => {
    const agent = uniqueUser('agent');
    const spy = spyOnSockets(sipServer.wsUrl, agent);
    const phone = await Softphone.create({ iceDisconnectedGraceMs: 60_000 });
    const customer = new Peer({ user: uniqueUser('customer') });
    try {
      await phone.start({ user: agent });
      const { callId, invitation } = await answeredCall(phone, customer);
      const peerConnection = phone.peerConnection(callId);
      const ufragBefore = iceUfrag(peerConnection.localDescription?.sdp);
      const remoteUfragBefore = iceUfrag(peerConnection.remoteDescription?.sdp);
      const invitesBefore = spy.sent().filter((data) => data.startsWith('INVITE ')).length;

      pretendIceState(peerConnection, 'failed')();
      await waitFor(() => iceUfrag(peerConnection.localDescription?.sdp) !== ufragBefore, 'a new local ice-ufrag', 3000);
      await waitFor(() => iceUfrag(peerConnection.remoteDescription?.sdp) !== remoteUfragBefore, 'a new remote ice-ufrag', 3000);
      // One re-INVITE on the same WebSocket: the signalling was never touched.
      expect(spy.sent().filter((data) => data.startsWith('INVITE ')).length).to.equal(invitesBefore + 1);
      expect(spy.opened()).to.have.length(1);
      expect(phone.registrationStates()).not.to.include('reconnecting');
      expect(phone.call(callId)?.state).to.equal('active');
      expect(invitation.state).to.equal(SessionState.Established);
      await expectAudioGoesOn(phone, callId, customer, invitation);
      await phone.telephony.hangup(callId);
      await customer.waitState(invitation, SessionState.Terminated);
    } finally {
      spy.restore();
      await phone.stop();
      await customer.stop();
    }
  });

  it('media ICE disconnected: healed within the grace period nothing happens; still disconnected after it, ICE restarts', async () => {
    const graceMs = 1500;
    const phone = await Softphone.create({ iceDisconnectedGraceMs: graceMs });
    const customer = new Peer({ user: uniqueUser('customer') });
    try {
      await phone.start({ user: uniqueUser('agent') });
      const { callId, invitation } = await answeredCall(phone, customer);
      const peerConnection = phone.peerConnection(callId);
      const ufragBefore = iceUfrag(peerConnection.localDescription?.sdp);

      // A blip: disconnected, connected again before the grace period ends.
      const blip = pretendIceState(peerConnection, 'disconnected');
      await sleep(graceMs / 3);
      blip();
      pretendIceState(peerConnection, 'connected')();
      await sleep(graceMs + 500);
      expect(iceUfrag(peerConnection.localDescription?.sdp)).to.equal(ufragBefore);

      // Disconnected for good: the restart goes out after the grace period, not before.
      const lostAt = performance.now();
      const stillLost = pretendIceState(peerConnection, 'disconnected');
      try {
        await waitFor(() => iceUfrag(peerConnection.localDescription?.sdp) !== ufragBefore, 'a new local ice-ufrag', graceMs + 3000);
      } finally {
        stillLost();
      }
      expect(performance.now() - lostAt).to.be.at.least(graceMs - 50);
      expect(phone.call(callId)?.state).to.equal('active');
      await expectAudioGoesOn(phone, callId, customer, invitation);
      await phone.telephony.hangup(callId);
    } finally {
      await phone.stop();
      await customer.stop();
    }
  });

  it('Kamailio stopped and restarted: re-registers within the backoff cap + 5 s, and new calls work both ways', async () => {
    const spy = spyOnRegisters(sipServer.wsUrl);
    const phone = await Softphone.create({ reconnectBackoffMaxMs: BACKOFF_MAX_MS });
    const agent = uniqueUser('agent');
    let customer: Peer | null = null;
    try {
      await phone.start({ user: agent });
      await sipServerCommand('stop');
      await waitFor(() => phone.registration === 'reconnecting', 'reconnecting after the server stopped');
      await sleep(1500);
      await sipServerCommand('start');
      const restartedAt = performance.now();
      await waitFor(() => phone.registration === 'registered', 're-registered after the restart', BACKOFF_MAX_MS + 5000);
      const reRegisterMs = performance.now() - restartedAt;
      expect(reRegisterMs).to.be.lessThan(BACKOFF_MAX_MS + 5000);
      expect(spy.counts.maxInFlight).to.equal(1);

      // The restarted server knows the agent again: a call to the agent rings, and the agent's call goes out.
      customer = new Peer({ user: uniqueUser('customer') });
      await customer.start();
      const inviter = await customer.call(`sip:${agent}@${sipServer.domain}`);
      const ringing = await phone.waitForCall((call) => call.state === 'ringing', 'an inbound call after the restart');
      await phone.telephony.answer(ringing.id);
      await phone.waitForState(ringing.id, 'active');
      await expectAudioBothWays(phone.peerConnection(ringing.id), customer.peerConnection(inviter));
      await phone.telephony.hangup(ringing.id);

      const callId = await phone.telephony.call(customer.user);
      await customer.answer(await customer.nextInvitation());
      await phone.waitForState(callId, 'active');
      await phone.telephony.hangup(callId);
      await phone.waitForState(callId, 'ended');
    } finally {
      spy.restore();
      await phone.stop();
      await customer?.stop();
    }
  });
});
