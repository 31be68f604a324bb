// SipTelephony registration against a real Kamailio: register, unregister, a server that cannot be reached, and
// digest auth (right and wrong password) on the second Kamailio that challenges.
import { expect } from '@esm-bundle/chai';
import { SessionState } from 'sip.js';
import { TelephonyError } from '../../src/telephony/telephony.js';
import { Peer, sipServer, uniqueUser } from './peer.js';
import { Softphone } from './softphone.js';

async function rejection(promise: Promise<unknown>): Promise<TelephonyError> {
  try {
    await promise;
  } catch (error) {
    expect(error).to.be.instanceOf(TelephonyError);
    return error as TelephonyError;
  }
  throw new Error('expected a rejection');
}

describe('SipTelephony registration (Kamailio)', () => {
  it('registers, reports registering → registered, and unregisters on stop (a call to it then finds nobody)', async () => {
    const agent = uniqueUser('agent');
    const phone = await Softphone.create();
    const caller = new Peer({ user: uniqueUser('caller') });
    await caller.start();
    try {
      await phone.start({ user: agent });
      expect(phone.registrationStates()).to.deep.equal(['registering', 'registered']);
      await phone.stop();
      expect(phone.registration).to.equal('unregistered');
      // Kamailio no longer knows the agent: the INVITE is answered 404.
      const inviter = await caller.call(`sip:${agent}@${sipServer.domain}`);
      await caller.waitState(inviter, SessionState.Terminated);
      expect(caller.rejections).to.deep.equal([404]);
    } finally {
      await phone.stop();
      await caller.stop();
    }
  });

  it('stop() is safe to call twice, and commands after it reject with not-started', async () => {
    const phone = await Softphone.create();
    await phone.start({ user: uniqueUser('agent') });
    await phone.stop();
    await phone.stop();
    const error = await rejection(phone.telephony.call('1002'));
    expect(error.code).to.equal('not-started');
  });

  it('rejects with unreachable (and reports failed) when nothing listens at the WebSocket URL', async () => {
    const phone = await Softphone.create({ connectionTimeoutMs: 3000 });
    const error = await rejection(phone.start({ user: uniqueUser('agent'), server: 'ws://127.0.0.1:9' }));
    expect(error.code).to.equal('unreachable');
    expect(phone.registration).to.equal('failed');
  });

  it('digest auth: the right password registers, a wrong one rejects with auth-failed', async () => {
    const good = await Softphone.create();
    await good.start({ user: 'authagent', password: 'agent-secret', server: sipServer.authWsUrl });
    expect(good.registration).to.equal('registered');
    await good.stop();

    const bad = await Softphone.create();
    const error = await rejection(bad.start({ user: 'authagent', password: 'wrong', server: sipServer.authWsUrl }));
    expect(error.code).to.equal('auth-failed');
    const last = bad.events.at(-1);
    expect(last?.type === 'registration' && last.state).to.equal('failed');
    expect(last?.type === 'registration' && last.error?.code).to.equal('auth-failed');
  });

  it('digest auth: an outbound call through the challenging server is answered (407 handled)', async () => {
    const phone = await Softphone.create();
    const peer = new Peer({ user: 'authpeer', password: 'peer-secret', server: sipServer.authWsUrl });
    await peer.start();
    try {
      await phone.start({ user: 'authagent', password: 'agent-secret', server: sipServer.authWsUrl });
      const callId = await phone.telephony.call('authpeer');
      await peer.answer(await peer.nextInvitation());
      await phone.waitForState(callId, 'active');
      await phone.telephony.hangup(callId);
      const ended = await phone.waitForState(callId, 'ended');
      expect(ended.endReason).to.equal('hangup-local');
    } finally {
      await phone.stop();
      await peer.stop();
    }
  });
});
