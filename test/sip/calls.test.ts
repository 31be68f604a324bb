// Calls between SipTelephony and bare sip.js peers through a real Kamailio: both directions, real audio both ways,
// hang-up from either side, reject, cancel, hold/resume (the media direction both ends see), mute, DTMF (SIP INFO
// and RFC 4733), several calls at once, quality samples, and switching the microphone during a call.
import { expect } from '@esm-bundle/chai';
import { SessionState } from 'sip.js';
import { TelephonyError } from '../../src/telephony/telephony.js';
import { waitFor } from '../helpers/events.js';
import { audioCounters, expectAudioBothWays, Peer, selectedPair, sipServer, sleep, uniqueUser } from './peer.js';
import { Softphone } from './softphone.js';

describe('SipTelephony calls (Kamailio)', function () {
  this.timeout(40_000);
  let phone: Softphone;
  let agent: string;
  let customer: Peer;

  before(async () => {
    agent = uniqueUser('agent');
    phone = await Softphone.create();
    await phone.start({ user: agent });
    customer = new Peer({ user: uniqueUser('customer'), displayName: 'Ada Customer' });
    await customer.start();
  });

  after(async () => {
    await phone?.stop();
    await customer?.stop();
  });

  /** The agent calls the customer, who answers. */
  async function outboundCall(peer = customer): Promise<string> {
    const callId = await phone.telephony.call(peer.user);
    await peer.answer(await peer.nextInvitation());
    await phone.waitForState(callId, 'active');
    return callId;
  }

  it('outbound: dialing → active, audio flows both ways, the agent hangs up and the customer sees the BYE', async () => {
    const callId = await phone.telephony.call(customer.user);
    expect(phone.call(callId)).to.include({ state: 'dialing', direction: 'outbound', remoteNumber: customer.user });
    const invitation = await customer.nextInvitation();
    await customer.answer(invitation);
    const active = await phone.waitForState(callId, 'active');
    expect(active.answeredAt).to.be.a('number');

    const [agentSide, customerSide] = await expectAudioBothWays(phone.peerConnection(callId), customer.peerConnection(invitation));
    expect(agentSide.packetsReceived).to.be.greaterThan(10);
    expect(customerSide.packetsReceived).to.be.greaterThan(10);
    if (sipServer.isolatedNetwork) expect(await selectedPair(phone.peerConnection(callId))).to.match(/^127\.0\.0\.1:\d+ -> 127\.0\.0\.1:\d+$/u);

    await phone.telephony.hangup(callId);
    await customer.waitState(invitation, SessionState.Terminated);
    const ended = await phone.waitForState(callId, 'ended');
    expect(ended.endReason).to.equal('hangup-local');
    expect(ended.endedAt).to.be.a('number');
  });

  it('inbound: rings with the caller number and display name, is answered, audio flows, the customer hangs up', async () => {
    const inviter = await customer.call(`sip:${agent}@${sipServer.domain}`);
    const ringing = await phone.waitForCall((call) => call.direction === 'inbound' && call.state === 'ringing', 'an inbound ringing call');
    expect(ringing).to.include({ remoteNumber: customer.user, remoteDisplayName: 'Ada Customer', consultFor: null });

    await phone.telephony.answer(ringing.id);
    await phone.waitForState(ringing.id, 'active');
    await customer.waitState(inviter, SessionState.Established);
    await expectAudioBothWays(phone.peerConnection(ringing.id), customer.peerConnection(inviter));

    await customer.hangup(inviter);
    const ended = await phone.waitForState(ringing.id, 'ended');
    expect(ended.endReason).to.equal('hangup-remote');
  });

  it('inbound: reject answers 486 Busy Here; an unanswered call the customer gives up on ends as cancelled', async () => {
    const first = await customer.call(`sip:${agent}@${sipServer.domain}`);
    const ringing = await phone.waitForCall((call) => call.state === 'ringing', 'a ringing call');
    await phone.telephony.reject(ringing.id);
    await customer.waitState(first, SessionState.Terminated);
    expect(customer.rejections.at(-1)).to.equal(486);
    expect((await phone.waitForState(ringing.id, 'ended')).endReason).to.equal('rejected');

    const second = await customer.call(`sip:${agent}@${sipServer.domain}`);
    const again = await phone.waitForCall((call) => call.state === 'ringing', 'a second ringing call');
    await customer.hangup(second);
    expect((await phone.waitForState(again.id, 'ended')).endReason).to.equal('cancelled');
  });

  it('outbound: hanging up before the answer cancels the INVITE; a busy callee ends it as busy', async () => {
    const callId = await phone.telephony.call(customer.user);
    const invitation = await customer.nextInvitation();
    await phone.telephony.hangup(callId);
    await customer.waitState(invitation, SessionState.Terminated);
    expect((await phone.waitForState(callId, 'ended')).endReason).to.equal('cancelled');

    const busyId = await phone.telephony.call(customer.user);
    await (await customer.nextInvitation()).reject({ statusCode: 486 });
    expect((await phone.waitForState(busyId, 'ended')).endReason).to.equal('busy');
  });

  it('rejects unknown calls with no-such-call and a bad target with invalid-target', async () => {
    const unknown = await phone.telephony.hold('no-such-id').then(() => null, (error: { code: string }) => error.code);
    expect(unknown).to.equal('no-such-call');
    const bad = await phone.telephony.call('not a number').then(() => null, (error: { code: string }) => error.code);
    expect(bad).to.equal('invalid-target');
  });

  it('hold and resume re-INVITE: sendonly/recvonly on the two ends while held, sendrecv again after, media flows again', async () => {
    const callId = await outboundCall();
    const customerSession = customer.established();
    if (!customerSession) throw new Error('customer has no call');
    await phone.telephony.hold(callId);
    expect(phone.call(callId)?.state).to.equal('held');
    const agentTransceiver = phone.peerConnection(callId).getTransceivers()[0];
    expect(agentTransceiver?.currentDirection).to.equal('sendonly');
    expect(phone.peerConnection(callId).localDescription?.sdp).to.contain('a=sendonly');
    expect(customer.peerConnection(customerSession).getTransceivers()[0]?.currentDirection).to.equal('recvonly');

    await phone.telephony.resume(callId);
    expect(phone.call(callId)?.state).to.equal('active');
    expect(phone.peerConnection(callId).getTransceivers()[0]?.currentDirection).to.equal('sendrecv');
    expect(customer.peerConnection(customerSession).getTransceivers()[0]?.currentDirection).to.equal('sendrecv');
    const before = await audioCounters(customer.peerConnection(customerSession));
    await sleep(600);
    expect((await audioCounters(customer.peerConnection(customerSession))).packetsReceived).to.be.greaterThan(before.packetsReceived);

    await phone.telephony.setMuted(callId, true);
    expect(phone.call(callId)?.muted).to.equal(true);
    expect(phone.peerConnection(callId).getSenders()[0]?.track?.enabled).to.equal(false);
    await phone.telephony.setMuted(callId, false);
    expect(phone.peerConnection(callId).getSenders()[0]?.track?.enabled).to.equal(true);
    await phone.telephony.hangup(callId);
    await phone.waitForState(callId, 'ended');
  });

  it('DTMF as SIP INFO when the other side offers no telephone-event: the peer receives each tone', async () => {
    const plain = new Peer({ user: uniqueUser('ivr'), telephoneEvent: false });
    await plain.start();
    try {
      const callId = await outboundCall(plain);
      expect(phone.peerConnection(callId).remoteDescription?.sdp).not.to.match(/telephone-event/u);
      await phone.telephony.sendDtmf(callId, '5#');
      expect(plain.infoTones).to.deep.equal(['5', '#']);
      await phone.telephony.hangup(callId);
    } finally {
      await plain.stop();
    }
  });

  it('DTMF as RFC 4733 when offered: the tones go out on the RTP sender (tonechange), no INFO reaches the peer', async () => {
    const callId = await outboundCall();
    expect(phone.peerConnection(callId).remoteDescription?.sdp).to.match(/a=rtpmap:\d+ telephone-event\/8000/u);
    const played: string[] = [];
    const dtmfSender = phone.peerConnection(callId).getSenders()[0]?.dtmf;
    dtmfSender?.addEventListener('tonechange', (event) => {
      if (event.tone) played.push(event.tone);
    });
    const infoBefore = customer.infoTones.length;
    await phone.telephony.sendDtmf(callId, '12');
    expect(played).to.deep.equal(['1', '2']);
    expect(customer.infoTones.length).to.equal(infoBefore);
    await phone.telephony.hangup(callId);
    await phone.waitForState(callId, 'ended');
  });

  it('quality events arrive every second with packet counts, jitter, loss and a MOS', async () => {
    const callId = await outboundCall();
    await waitFor(() => phone.quality(callId).length >= 3, 'three quality samples', 6000);
    const samples = phone.quality(callId);
    const last = samples.at(-1);
    expect(last?.packetsReceived).to.be.greaterThan(0);
    expect(last?.packetsSent).to.be.greaterThan(0);
    expect(last?.mos).to.be.within(1, 4.5);
    // On loopback nothing is lost and the delay is tiny: the estimate is near the E-model's best.
    expect(last?.mos).to.be.greaterThan(4);
    expect(last?.packetLossPercent).to.equal(0);
    expect(last?.jitterMs).to.be.at.least(0);
    const spacing = (samples[2]?.at ?? 0) - (samples[1]?.at ?? 0);
    expect(spacing).to.be.within(700, 1500);
    await phone.telephony.hangup(callId);
    await phone.waitForState(callId, 'ended');
    const count = phone.quality(callId).length;
    await sleep(1200);
    expect(phone.quality(callId).length).to.equal(count);
  });

  it('a second call holds the first; answering an inbound call holds the active one', async () => {
    const colleague = new Peer({ user: uniqueUser('colleague') });
    await colleague.start();
    try {
      const first = await outboundCall();
      const second = await outboundCall(colleague);
      expect(phone.call(first)?.state).to.equal('held');
      expect(phone.call(second)?.state).to.equal('active');

      const inviter = await customer.call(`sip:${agent}@${sipServer.domain}`);
      const ringing = await phone.waitForCall((call) => call.state === 'ringing', 'a third, ringing call');
      await phone.telephony.answer(ringing.id);
      await phone.waitForState(ringing.id, 'active');
      expect(phone.call(second)?.state).to.equal('held');
      expect(phone.call(first)?.state).to.equal('held');

      await phone.telephony.resume(first);
      expect(phone.call(first)?.state).to.equal('active');
      expect(phone.call(ringing.id)?.state).to.equal('held');
      for (const id of [first, second, ringing.id]) await phone.telephony.hangup(id);
      await customer.waitState(inviter, SessionState.Terminated);
    } finally {
      await colleague.stop();
    }
  });

  it('switches the microphone during a call without renegotiating; the call stays up and audio keeps flowing', async () => {
    const inputs = (await phone.telephony.listDevices()).filter((device) => device.kind === 'audioinput');
    expect(inputs.length).to.be.greaterThan(1);
    const callId = await outboundCall();
    const customerSession = customer.established();
    if (!customerSession) throw new Error('customer has no call');
    const sender = phone.peerConnection(callId).getSenders()[0];
    const before = sender?.track;
    const other = inputs.find((device) => device.id !== before?.getSettings().deviceId && device.id !== 'default') ?? inputs[1];
    const localSdp = phone.peerConnection(callId).localDescription?.sdp;

    await phone.telephony.setDevices({ microphoneId: other?.id ?? null });
    expect(sender?.track).not.to.equal(before);
    expect(sender?.track?.getSettings().deviceId).to.equal(other?.id);
    expect(before?.readyState).to.equal('ended');
    expect(phone.peerConnection(callId).localDescription?.sdp).to.equal(localSdp);
    expect(phone.call(callId)?.state).to.equal('active');
    const devicesEvent = phone.events.at(-1);
    expect(devicesEvent?.type === 'devices' && devicesEvent.selection.microphoneId).to.equal(other?.id);
    const counted = await audioCounters(customer.peerConnection(customerSession));
    await sleep(600);
    expect((await audioCounters(customer.peerConnection(customerSession))).packetsReceived).to.be.greaterThan(counted.packetsReceived);

    // The chosen microphone disappears: the adapter falls back to the default and says so.
    const mediaDevices = navigator.mediaDevices;
    const realEnumerate = mediaDevices.enumerateDevices.bind(mediaDevices);
    mediaDevices.enumerateDevices = async () => (await realEnumerate()).filter((device) => device.deviceId !== other?.id);
    try {
      mediaDevices.dispatchEvent(new Event('devicechange'));
      const fallback = await waitFor(
        () => phone.events.findLast((event) => event.type === 'devices' && event.selection.microphoneId === null),
        'a devices event falling back to the default microphone',
      );
      expect(fallback.type === 'devices' && fallback.devices.some((device) => device.id === other?.id)).to.equal(false);
      await waitFor(() => sender?.track?.getSettings().deviceId !== other?.id, 'the default microphone on the call');
      expect(phone.call(callId)?.state).to.equal('active');
    } finally {
      delete (mediaDevices as { enumerateDevices?: unknown }).enumerateDevices;
    }
    await phone.telephony.hangup(callId);
    await phone.waitForState(callId, 'ended');
  });

  it('a microphone switch the browser refuses keeps the call on its microphone and leaves no other microphone open', async () => {
    const mediaDevices = navigator.mediaDevices;
    const realGetUserMedia = mediaDevices.getUserMedia.bind(mediaDevices);
    const handedOut: MediaStreamTrack[] = [];
    mediaDevices.getUserMedia = async (constraints) => {
      const stream = await realGetUserMedia(constraints);
      handedOut.push(...stream.getTracks());
      return stream;
    };
    const realReplaceTrack = Object.getOwnPropertyDescriptor(RTCRtpSender.prototype, 'replaceTrack');
    try {
      const inputs = (await phone.telephony.listDevices()).filter((device) => device.kind === 'audioinput' && device.id !== 'default');
      const callId = await outboundCall();
      const sender = phone.peerConnection(callId).getSenders()[0];
      const inUse = sender?.track;
      const other = inputs.find((device) => device.id !== inUse?.getSettings().deviceId) ?? inputs[0];
      const fromNow = handedOut.length;

      RTCRtpSender.prototype.replaceTrack = () => Promise.reject(new DOMException('The track cannot be replaced.', 'InvalidModificationError'));
      let failure: unknown = null;
      await phone.telephony.setDevices({ microphoneId: other?.id ?? null }).catch((error: unknown) => {
        failure = error;
      });
      expect(failure).to.be.instanceOf(TelephonyError);
      expect((failure as TelephonyError).code).to.equal('device-unavailable');
      const opened = handedOut.slice(fromNow);
      expect(opened.length).to.be.greaterThan(0);
      expect(opened.map((track) => track.readyState)).to.deep.equal(opened.map(() => 'ended'));
      expect(sender?.track).to.equal(inUse);
      expect(inUse?.readyState).to.equal('live');
      expect(phone.call(callId)?.state).to.equal('active');
      await phone.telephony.hangup(callId);
      await phone.waitForState(callId, 'ended');
    } finally {
      if (realReplaceTrack) Object.defineProperty(RTCRtpSender.prototype, 'replaceTrack', realReplaceTrack);
      delete (mediaDevices as { getUserMedia?: unknown }).getUserMedia;
    }
  });

  it('a peer connection closed under a sampled call: sampling stops quietly, with no unhandled rejection', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (event: PromiseRejectionEvent) => {
      unhandled.push(event.reason);
      event.preventDefault();
    };
    window.addEventListener('unhandledrejection', onUnhandled);
    try {
      const callId = await outboundCall();
      await waitFor(() => phone.quality(callId).length >= 1, 'a first quality sample', 4000);
      // What happens for an instant whenever a call ends: the media is closed, the call is not reported ended yet.
      phone.peerConnection(callId).close();
      const count = phone.quality(callId).length;
      await sleep(2500);
      expect(unhandled).to.deep.equal([]);
      expect(phone.quality(callId).length).to.equal(count);
      await phone.telephony.hangup(callId);
      await phone.waitForState(callId, 'ended');
    } finally {
      window.removeEventListener('unhandledrejection', onUnhandled);
    }
  });
});
