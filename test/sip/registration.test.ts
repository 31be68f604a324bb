// SipTelephony registration against a real Kamailio: register, unregister, a server that cannot be reached (the
// phone keeps trying and registers once Kamailio is up), settings that can never work, and digest auth (right and
// wrong password) on the second Kamailio that challenges.
import { expect } from '@esm-bundle/chai';
import { executeServerCommand } from '@web/test-runner-commands';
import { SessionState } from 'sip.js';
import { TelephonyError } from '../../src/telephony/telephony.js';
import { waitFor } from '../helpers/events.js';
import { Peer, sipServer, sleep, uniqueUser } from './peer.js';
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

  it('started while Kamailio is down: reconnecting (unreachable), then registered within the backoff cap + 5 s of Kamailio starting', async function () {
    this.timeout(40_000);
    const backoffMaxMs = 2000;
    const agent = uniqueUser('agent');
    const phone = await Softphone.create({ reconnectBackoffMaxMs: backoffMaxMs, connectionTimeoutMs: 2000 });
    const caller = new Peer({ user: uniqueUser('caller') });
    await executeServerCommand('sip-server', { action: 'stop' });
    let serverUp = false;
    try {
      let settled = false;
      const started = phone.start({ user: agent }).finally(() => {
        settled = true;
      });
      await waitFor(() => phone.registration === 'reconnecting', 'reconnecting while the server is down', 8000);
      const reconnecting = phone.events.findLast((event) => event.type === 'registration');
      expect(reconnecting?.type === 'registration' && reconnecting.error?.code).to.equal('unreachable');
      await sleep(2500);
      expect(settled, 'start() waits while the server cannot be reached').to.equal(false);
      expect(phone.registrationStates()).not.to.include('failed');

      await executeServerCommand('sip-server', { action: 'start' });
      serverUp = true;
      const upAt = performance.now();
      await started;
      expect(performance.now() - upAt).to.be.lessThan(backoffMaxMs + 5000);
      expect(phone.registration).to.equal('registered');
      // Kamailio knows the agent: a call to it rings.
      await caller.start();
      await caller.call(`sip:${agent}@${sipServer.domain}`);
      await phone.waitForCall((call) => call.state === 'ringing', 'an inbound call once registered');
    } finally {
      if (!serverUp) await executeServerCommand('sip-server', { action: 'start' });
      await phone.stop();
      await caller.stop();
    }
  });

  it('stopped while it keeps trying an unreachable server: start() rejects with not-started, the phone is unregistered', async () => {
    const phone = await Softphone.create({ reconnectBackoffMaxMs: 1000, connectionTimeoutMs: 1000 });
    const started = rejection(phone.start({ user: uniqueUser('agent'), server: 'ws://127.0.0.1:9' }));
    await waitFor(() => phone.registration === 'reconnecting', 'reconnecting', 5000);
    await phone.stop();
    expect((await started).code).to.equal('not-started');
    expect(phone.registration).to.equal('unregistered');
  });

  it('a WebSocket URL that is no URL fails at once, with a readable message, after announcing registering', async () => {
    for (const server of ['not a url', 'http://127.0.0.1:5060']) {
      const phone = await Softphone.create();
      const error = await rejection(phone.start({ user: uniqueUser('agent'), server }));
      expect(error.code).to.equal('failed');
      expect(error.message).to.equal(`"${server}" is not a WebSocket URL (ws:// or wss://).`);
      // Tabs that follow this phone see it end: registering, then failed with the same message.
      expect(phone.registrationStates()).to.deep.equal(['registering', 'failed']);
      const last = phone.events.at(-1);
      expect(last?.type === 'registration' && last.error?.message).to.equal(error.message);
      // Nothing was left half started: the phone can be started again with good settings.
      await phone.start({ user: uniqueUser('agent') });
      expect(phone.registration).to.equal('registered');
      await phone.stop();
    }
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
