import { expect } from '@esm-bundle/chai';
import type { TelephonyConfig } from '../connector/model.js';
import { createTabCoordinator, type TabCoordinatorOptions } from '../tabs/tab-coordinator.js';
import type { TabCoordinator } from '../tabs/tabs.js';
import { waitFor } from '../../test/helpers/events.js';
import { DemoTelephony } from './demo/demo-telephony.js';
import { createTabTelephony, type TabTelephony } from './tab-telephony.js';
import { TelephonyError, type CallInfo, type TelephonyEvent } from './telephony.js';

// Several coordinators in one page stand for the tabs of one agent; the leader's phone is a DemoTelephony.

const CONFIG: TelephonyConfig = {
  webSocketUrl: 'wss://sip.example.test',
  sipUri: 'sip:agent@example.test',
  authorizationUsername: 'agent',
  authorizationPassword: 'secret',
  authorizationToken: null,
  iceServers: [],
};

interface PhoneTab {
  /** The election name: tabs of one agent share it. */
  readonly name: string;
  readonly coordinator: TabCoordinator;
  readonly phone: TabTelephony;
  readonly events: TelephonyEvent[];
  readonly rings: boolean[];
  /** The real phones this tab made while it led. */
  readonly made: DemoTelephony[];
}

const opened: PhoneTab[] = [];
let names = 0;

afterEach(async () => {
  for (const tab of opened.splice(0)) {
    await tab.phone.stop();
    tab.coordinator.close();
  }
});

function phoneTabs(count: number, options: Partial<TabCoordinatorOptions> = {}, name = `phone-tabs-${Date.now()}-${(names += 1)}`): PhoneTab[] {
  return Array.from({ length: count }, () => {
    const coordinator = createTabCoordinator({ name, ...options });
    const made: DemoTelephony[] = [];
    const phone = createTabTelephony(coordinator, async () => {
      const real = new DemoTelephony({ registerDelayMs: 50 });
      made.push(real);
      return real;
    });
    const tab: PhoneTab = { name, coordinator, phone, events: [], rings: [], made };
    phone.events$.subscribe((event) => tab.events.push(event));
    phone.ringsHere$.subscribe((rings) => tab.rings.push(rings));
    opened.push(tab);
    return tab;
  });
}

async function leaderOf(tabs: readonly PhoneTab[]): Promise<PhoneTab> {
  return waitFor(() => {
    const leading = tabs.filter((tab) => tab.coordinator.isLeader);
    return leading.length === 1 ? leading[0] : null;
  }, 'one leader tab');
}

/** The latest state of a call as the tab shows it. */
const shown = (tab: PhoneTab, callId: string): CallInfo | undefined =>
  tab.events.reduce<CallInfo | undefined>((last, event) => (event.type === 'call' && event.call.id === callId ? event.call : last), undefined);

const registration = (tab: PhoneTab): string | undefined =>
  tab.events.reduce<string | undefined>((last, event) => (event.type === 'registration' ? event.state : last), undefined);

describe('TabTelephony', () => {
  it('registers once, in the leader, and only the leader rings', async () => {
    const tabs = phoneTabs(3);
    const leader = await leaderOf(tabs);
    await Promise.all(tabs.map((tab) => tab.phone.start(CONFIG)));
    expect(tabs.map((tab) => tab.made.length)).to.deep.equal(tabs.map((tab) => (tab === leader ? 1 : 0)));
    for (const tab of tabs) {
      expect(registration(tab), 'every tab shows the registration').to.equal('registered');
      expect(tab.rings.at(-1)).to.equal(tab === leader);
    }
  });

  it("shows an inbound call in every tab, and a follower's answer, hold and hangup act on the leader's phone", async () => {
    const tabs = phoneTabs(2);
    const leader = await leaderOf(tabs);
    const follower = tabs.find((tab) => tab !== leader);
    if (!follower) throw new Error('no follower');
    await Promise.all(tabs.map((tab) => tab.phone.start(CONFIG)));
    const real = leader.made[0];
    if (!real) throw new Error('no phone in the leader');
    const callId = real.simulateInbound({ number: '+15550100', displayName: 'Ada' });
    await waitFor(() => shown(follower, callId)?.state === 'ringing', 'the ringing call in the follower');

    await follower.phone.answer(callId);
    await waitFor(() => shown(leader, callId)?.state === 'active' && shown(follower, callId)?.state === 'active', 'answered everywhere');
    await follower.phone.hold(callId);
    await waitFor(() => shown(follower, callId)?.state === 'held', 'held');
    await follower.phone.hangup(callId);
    await waitFor(() => shown(leader, callId)?.state === 'ended' && shown(follower, callId)?.state === 'ended', 'ended everywhere');
    expect(shown(follower, callId)?.endReason).to.equal('hangup-local');
    // The devices are the leader's.
    expect((await follower.phone.listDevices()).length).to.be.above(0);
  });

  it("rejects a follower's command with the leader's TelephonyError code", async () => {
    const tabs = phoneTabs(2);
    const leader = await leaderOf(tabs);
    const follower = tabs.find((tab) => tab !== leader);
    if (!follower) throw new Error('no follower');
    await Promise.all(tabs.map((tab) => tab.phone.start(CONFIG)));
    const error = await follower.phone.hold('no-such-call-id').catch((caught: unknown) => caught);
    expect(error).to.be.instanceOf(TelephonyError);
    expect((error as TelephonyError).code).to.equal('no-such-call');
    const target = await follower.phone.call('not a number!').catch((caught: unknown) => caught);
    expect((target as TelephonyError).code).to.equal('invalid-target');
  });

  it('sends the current calls and registration to a tab that joins', async () => {
    const [first] = phoneTabs(1);
    if (!first) throw new Error('no tab');
    await leaderOf([first]);
    await first.phone.start(CONFIG);
    const callId = first.made[0]?.simulateInbound({ number: '+15550101' }) ?? '';
    await waitFor(() => shown(first, callId)?.state === 'ringing', 'ringing in the first tab');
    // A second tab of the same agent opens now.
    const [joiner] = phoneTabs(1, {}, first.name);
    if (!joiner) throw new Error('no joiner');
    await joiner.phone.start(CONFIG);
    expect(registration(joiner)).to.equal('registered');
    expect(shown(joiner, callId)?.state).to.equal('ringing');
    expect(joiner.rings.at(-1)).to.equal(false);
  });

  for (const election of ['Web Locks', 'BroadcastChannel fallback'] as const) {
    it(`moves the phone when the leader closes: another tab registers within 3 s and rings for the next call (${election})`, async () => {
      const tabs = phoneTabs(3, election === 'Web Locks' ? {} : { locks: null });
      const leader = await leaderOf(tabs);
      await Promise.all(tabs.map((tab) => tab.phone.start(CONFIG)));
      const callId = leader.made[0]?.simulateInbound({ number: '+15550102' }) ?? '';
      const rest = tabs.filter((tab) => tab !== leader);
      await waitFor(() => rest.every((tab) => shown(tab, callId)?.state === 'ringing'), 'ringing shown in the others');

      const before = new Map(rest.map((tab) => [tab, tab.events.length]));
      const started = performance.now();
      await leader.phone.stop();
      leader.coordinator.close();
      const next = await leaderOf(rest);
      await waitFor(() => next.made.length === 1 && next.events.slice(before.get(next)).some((event) => event.type === 'registration' && event.state === 'registered'), 'the new leader registered', 3000);
      expect(performance.now() - started, 'takeover').to.be.below(3000);
      expect(next.rings.at(-1)).to.equal(true);
      // The call of the phone that went is over in every remaining tab.
      for (const tab of rest) await waitFor(() => shown(tab, callId)?.state === 'ended', 'the old call ended');

      const other = rest.find((tab) => tab !== next);
      if (!other) throw new Error('no other tab');
      await waitFor(() => registration(other) === 'registered', 'the other tab sees the new registration');
      const nextCall = next.made[0]?.simulateInbound({ number: '+15550103' }) ?? '';
      await waitFor(() => shown(other, nextCall)?.state === 'ringing', 'the next call shown in the other tab');
      await other.phone.answer(nextCall);
      await waitFor(() => shown(next, nextCall)?.state === 'active', 'answered through the new leader');
      expect(other.made).to.have.length(0);
    });
  }
});
