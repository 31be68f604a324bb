// Transfers through a real Kamailio: the customer (a bare sip.js UA) follows the softphone's REFER like a phone
// does. Blind: it calls the colleague. Attended: the softphone first consults the colleague, then the customer
// calls the colleague with Replaces and the colleague swaps the consult call for it. Cancel: back to the customer.
import { expect } from '@esm-bundle/chai';
import { SessionState, type Invitation } from 'sip.js';
import { waitFor } from '../helpers/events.js';
import { expectAudioBothWays, Peer, uniqueUser } from './peer.js';
import { Softphone } from './softphone.js';

describe('SipTelephony transfers (Kamailio)', function () {
  this.timeout(40_000);
  let phone: Softphone;
  let customer: Peer;
  let colleague: Peer;

  beforeEach(async () => {
    phone = await Softphone.create();
    await phone.start({ user: uniqueUser('agent') });
    customer = new Peer({ user: uniqueUser('customer') });
    colleague = new Peer({ user: uniqueUser('colleague') });
    await customer.start();
    await colleague.start();
  });

  afterEach(async () => {
    await phone.stop();
    await customer.stop();
    await colleague.stop();
  });

  async function callCustomer(): Promise<string> {
    const callId = await phone.telephony.call(customer.user);
    await customer.answer(await customer.nextInvitation());
    await phone.waitForState(callId, 'active');
    return callId;
  }

  /** The agent consults the colleague about `callId`; the colleague answers. */
  async function consultColleague(callId: string): Promise<{ consultId: string; consultInvitation: Invitation }> {
    const consultPromise = phone.telephony.startConsult(callId, colleague.user);
    const consultInvitation = await colleague.nextInvitation();
    await colleague.answer(consultInvitation);
    const consultId = await consultPromise;
    await phone.waitForState(consultId, 'active');
    return { consultId, consultInvitation };
  }

  it('blind transfer: REFER to the colleague, the call ends here as transferred, customer and colleague talk', async () => {
    const callId = await callCustomer();
    const agentLeg = customer.established();
    await phone.telephony.blindTransfer(callId, colleague.user);
    const ended = await phone.waitForState(callId, 'ended');
    expect(ended.endReason).to.equal('transferred');
    expect(customer.referTargets).to.have.length(1);
    expect(customer.referTargets[0]).to.contain(`sip:${colleague.user}@`);

    const invitation = await colleague.nextInvitation();
    await colleague.answer(invitation);
    const customerLeg = await waitFor(() => customer.established(), 'the customer talking to the colleague');
    expect(customerLeg).not.to.equal(agentLeg);
    expect(agentLeg?.state).to.equal(SessionState.Terminated);
    await expectAudioBothWays(customer.peerConnection(customerLeg), colleague.peerConnection(invitation));
  });

  it('attended transfer: consult holds the customer, complete joins customer and colleague (Replaces), both legs end here', async () => {
    const callId = await callCustomer();
    const { consultId, consultInvitation } = await consultColleague(callId);
    expect(phone.call(consultId)?.consultFor).to.equal(callId);
    expect(phone.call(callId)?.state).to.equal('held');
    expect(phone.peerConnection(callId).getTransceivers()[0]?.currentDirection).to.equal('sendonly');
    const agentLeg = customer.established();

    await phone.telephony.completeConsult(callId, consultId);
    expect((await phone.waitForState(callId, 'ended')).endReason).to.equal('transferred');
    expect((await phone.waitForState(consultId, 'ended')).endReason).to.equal('transferred');
    expect(customer.referTargets[0]).to.match(/Replaces=/iu);

    // The colleague's consult session was replaced by the customer's new call.
    await colleague.waitState(consultInvitation, SessionState.Terminated);
    const colleagueLeg = await waitFor(() => colleague.established(), 'the colleague talking to the customer');
    expect(colleagueLeg.replacee).to.equal(consultInvitation);
    const customerLeg = await waitFor(() => customer.established() !== agentLeg && customer.established(), 'the customer talking to the colleague');
    await expectAudioBothWays(customer.peerConnection(customerLeg), colleague.peerConnection(colleagueLeg));
    await customer.waitState(agentLeg as NonNullable<typeof agentLeg>, SessionState.Terminated);
  });

  it('cancel consult: the consult call ends, the customer is resumed and hears the agent again', async () => {
    const callId = await callCustomer();
    const { consultId, consultInvitation } = await consultColleague(callId);

    await phone.telephony.cancelConsult(callId, consultId);
    expect((await phone.waitForState(consultId, 'ended')).endReason).to.equal('hangup-local');
    await colleague.waitState(consultInvitation, SessionState.Terminated);
    expect(phone.call(callId)?.state).to.equal('active');
    const customerLeg = customer.established();
    if (!customerLeg) throw new Error('the customer lost the call');
    expect(customer.peerConnection(customerLeg).getTransceivers()[0]?.currentDirection).to.equal('sendrecv');
    await expectAudioBothWays(phone.peerConnection(callId), customer.peerConnection(customerLeg));
  });
});
