import { expect } from '@esm-bundle/chai';
import { checkDialTarget } from '../dial-target.js';
import type { TelephonyEvent } from '../telephony.js';
import { TelephonyError } from '../telephony.js';
import { DemoTelephony, type DemoTimers } from './demo-telephony.js';
import { UNCONFIGURED_TELEPHONY } from '../../store/effects-calls.js';

/** A clock that only moves when the test says so. */
class ManualTimers implements DemoTimers {
  private time = 1_000_000;
  private readonly pending = new Map<number, { at: number; run: () => void }>();
  private next = 0;
  now = (): number => this.time;
  setTimeout = (callback: () => void, ms: number): number => {
    this.next += 1;
    this.pending.set(this.next, { at: this.time + ms, run: callback });
    return this.next;
  };
  clearTimeout = (handle: unknown): void => {
    this.pending.delete(handle as number);
  };
  /** Moves the clock forward, running what falls due in order. */
  advance(ms: number): void {
    const until = this.time + ms;
    for (;;) {
      const due = [...this.pending.entries()].filter(([, timer]) => timer.at <= until).sort((a, b) => a[1].at - b[1].at)[0];
      if (!due) break;
      this.pending.delete(due[0]);
      this.time = due[1].at;
      due[1].run();
    }
    this.time = until;
  }
}

describe('DemoTelephony', () => {
  let timers: ManualTimers;
  let phone: DemoTelephony;
  let events: TelephonyEvent[];

  async function registered(options: ConstructorParameters<typeof DemoTelephony>[0] = {}): Promise<void> {
    timers = new ManualTimers();
    phone = new DemoTelephony({ timers, random: () => 0.5, ...options });
    events = [];
    phone.events$.subscribe((event) => events.push(event));
    const started = phone.start(UNCONFIGURED_TELEPHONY);
    timers.advance(400);
    await started;
  }

  const states = (callId: string) => events.flatMap((event) => (event.type === 'call' && event.call.id === callId ? [event.call.state] : []));

  it('registers after its delay and refuses to call before', async () => {
    timers = new ManualTimers();
    phone = new DemoTelephony({ timers });
    const refused = await phone.call('1001').catch((error: unknown) => error);
    expect(refused).to.be.instanceOf(TelephonyError);
    expect((refused as TelephonyError).code).to.equal('not-started');
    await registered();
    expect(phone.registrationState).to.equal('registered');
  });

  it('rings an outbound call, answers it after the delay, and samples its quality on the fake clock', async () => {
    await registered({ answerDelayMs: 2500, qualityIntervalMs: 2000 });
    const callId = await phone.call('+1 555 0100');
    timers.advance(2499);
    expect(states(callId)).to.deep.equal(['dialing']);
    timers.advance(1);
    expect(states(callId)).to.deep.equal(['dialing', 'active']);
    timers.advance(4000);
    const samples = events.flatMap((event) => (event.type === 'quality' ? [event.quality] : []));
    expect(samples).to.have.length(2);
    expect(samples[1]?.packetsReceived).to.be.greaterThan(samples[0]?.packetsReceived ?? 0);
    expect(samples[0]?.mos).to.be.within(4, 4.5);
  });

  it('ends unanswered, busy and refused calls with their reasons', async () => {
    await registered({ busyNumbers: ['+15550199'], unansweredNumbers: ['2002'], refusingTransferTargets: ['3003'] });
    const busy = await phone.call('+1 555 0199');
    const unanswered = await phone.call('2002');
    timers.advance(30_000);
    const reasons = events.flatMap((event) => (event.type === 'call' && event.call.state === 'ended' ? [[event.call.id, event.call.endReason]] : []));
    expect(reasons).to.deep.equal([
      [busy, 'busy'],
      [unanswered, 'no-answer'],
    ]);
    const inbound = phone.simulateInbound({ number: '+1 555 0100' });
    await phone.answer(inbound);
    const refused = await phone.blindTransfer(inbound, '3003').catch((error: unknown) => error);
    expect((refused as TelephonyError).code).to.equal('transfer-failed');
    expect(phone.currentCalls.find((call) => call.id === inbound)?.state).to.equal('active');
  });

  it('loses the network for good: every call ends with reason network and the registration fails', async () => {
    await registered({ recoveryDelayMs: 3000 });
    const callId = phone.simulateInbound({ number: '+1 555 0100' });
    await phone.answer(callId);
    phone.simulateNetworkLoss({ recovers: false });
    expect(phone.registrationState).to.equal('reconnecting');
    timers.advance(3000);
    expect(phone.registrationState).to.equal('failed');
    expect(states(callId).at(-1)).to.equal('ended');
    const ended = events.find((event) => event.type === 'call' && event.call.state === 'ended');
    expect(ended?.type === 'call' ? ended.call.endReason : null).to.equal('network');
  });

  it('keeps the rules of a phone: no DTMF on a ringing call, no unknown tones, no unknown devices', async () => {
    await registered();
    const callId = phone.simulateInbound({ number: '+1 555 0100' });
    expect(((await phone.sendDtmf(callId, '1').catch((error: unknown) => error)) as TelephonyError).code).to.equal('invalid-state');
    await phone.answer(callId);
    expect(((await phone.sendDtmf(callId, '1x').catch((error: unknown) => error)) as TelephonyError).code).to.equal('invalid-target');
    await phone.sendDtmf(callId, '12#');
    expect(phone.dtmfSent(callId)).to.equal('12#');
    expect(((await phone.setDevices({ speakerId: 'nope' }).catch((error: unknown) => error)) as TelephonyError).code).to.equal('device-unavailable');
  });
});

describe('checkDialTarget', () => {
  it('accepts numbers, short codes and SIP addresses, and says what is wrong with the rest', () => {
    expect(checkDialTarget(' +86 (138) 0013-8001 ')).to.deep.equal({ ok: true, target: '+8613800138001' });
    expect(checkDialTarget('*67')).to.deep.equal({ ok: true, target: '*67' });
    expect(checkDialTarget('SIP:alice@pbx.example.com:5060')).to.deep.equal({ ok: true, target: 'sip:alice@pbx.example.com:5060' });
    expect(checkDialTarget('')).to.deep.equal({ ok: false, problem: 'empty' });
    expect(checkDialTarget('call me')).to.deep.equal({ ok: false, problem: 'characters' });
    expect(checkDialTarget('1')).to.deep.equal({ ok: false, problem: 'length' });
    expect(checkDialTarget('+1234567890123456')).to.deep.equal({ ok: false, problem: 'length' });
    expect(checkDialTarget('sip:alice')).to.deep.equal({ ok: false, problem: 'uri' });
  });
});
