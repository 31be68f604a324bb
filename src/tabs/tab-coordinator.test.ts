import { expect } from '@esm-bundle/chai';
import { waitFor } from '../../test/helpers/events.js';
import { createTabCoordinator, type TabCoordinatorOptions } from './tab-coordinator.js';
import { TabRequestError, type TabCoordinator, type TabMessage } from './tabs.js';

// Several coordinators in one page stand for several tabs: BroadcastChannel delivers to every other instance of
// the same name, and Web Locks queue the requests of one page like those of several.

const open: TabCoordinator[] = [];
let names = 0;
/** A fresh election name per test, so a test never sees the tabs of another. */
const uniqueName = (): string => `tabs-test-${Date.now()}-${(names += 1)}`;

function tabs(count: number, options: Partial<TabCoordinatorOptions> = {}, name = uniqueName()): TabCoordinator[] {
  const created = Array.from({ length: count }, () => createTabCoordinator({ name, ...options }));
  open.push(...created);
  return created;
}

const leaders = (list: readonly TabCoordinator[]): TabCoordinator[] => list.filter((tab) => tab.isLeader);
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits until exactly one of `list` leads, then checks it stays that way a little longer. */
async function soleLeader(list: readonly TabCoordinator[], timeoutMs = 3000): Promise<TabCoordinator> {
  const leader = await waitFor(() => (leaders(list).length === 1 ? leaders(list)[0] : null), 'exactly one leader', timeoutMs);
  await sleep(100);
  expect(leaders(list).map((tab) => tab.tabId)).to.deep.equal([leader.tabId]);
  return leader;
}

/** A BroadcastChannel whose posts can be silenced per instance: a tab that hangs (its heartbeats stop). */
class MutableChannel extends BroadcastChannel {
  static readonly muted = new Set<MutableChannel>();
  static readonly all: MutableChannel[] = [];
  constructor(name: string) {
    super(name);
    MutableChannel.all.push(this);
  }
  override postMessage(message: unknown): void {
    if (!MutableChannel.muted.has(this)) super.postMessage(message);
  }
}

afterEach(() => {
  for (const tab of open.splice(0)) tab.close();
  MutableChannel.muted.clear();
  MutableChannel.all.length = 0;
});

for (const election of ['Web Locks', 'BroadcastChannel fallback'] as const) {
  const options: Partial<TabCoordinatorOptions> = election === 'Web Locks' ? {} : { locks: null };

  describe(`TabCoordinator (${election})`, () => {
    it('elects exactly one leader among three tabs, and tells each tab through isLeader$', async () => {
      const list = tabs(3, options);
      const seen = list.map(() => [] as boolean[]);
      list.forEach((tab, index) => tab.isLeader$.subscribe((leading) => seen[index]?.push(leading)));
      const leader = await soleLeader(list);
      for (const [index, tab] of list.entries()) {
        expect(seen[index]?.[0], 'isLeader$ emits the current value first').to.equal(false);
        expect(seen[index]?.at(-1)).to.equal(tab === leader);
      }
      expect(new Set(list.map((tab) => tab.tabId)).size).to.equal(3);
    });

    it('hands leadership to another tab when the leader closes, within 3 s', async () => {
      const list = tabs(3, options);
      const first = await soleLeader(list);
      const started = performance.now();
      first.close();
      expect(first.isLeader).to.equal(false);
      const rest = list.filter((tab) => tab !== first);
      const second = await soleLeader(rest);
      expect(performance.now() - started).to.be.below(3000);
      second.close();
      const last = rest.find((tab) => tab !== second);
      await waitFor(() => last?.isLeader, 'the last tab to lead', 3000);
    });

    it('carries requests to the leader alone, and its answer back', async () => {
      const list = tabs(3, options);
      const leader = await soleLeader(list);
      const answeredBy: string[] = [];
      for (const tab of list) {
        tab.handle<{ a: number; b: number }, { sum: number; from: string }>('sum', ({ a, b }, from) => {
          answeredBy.push(tab.tabId);
          return { sum: a + b, from };
        });
      }
      const follower = list.find((tab) => tab !== leader);
      if (!follower) throw new Error('no follower');
      const answer = await follower.request<{ a: number; b: number }, { sum: number; from: string }>('sum', { a: 2, b: 3 });
      expect(answer).to.deep.equal({ sum: 5, from: follower.tabId });
      // In the leader the request is answered by its own handler, without the channel.
      const own = await leader.request<{ a: number; b: number }, { sum: number; from: string }>('sum', { a: 1, b: 1 });
      expect(own).to.deep.equal({ sum: 2, from: leader.tabId });
      expect(answeredBy).to.deep.equal([leader.tabId, leader.tabId]);
    });

    it("rejects with the leader's error (name, message, code), and with no-leader when nobody answers", async () => {
      const list = tabs(2, options);
      const leader = await soleLeader(list);
      const follower = list.find((tab) => tab !== leader);
      if (!follower) throw new Error('no follower');
      class PhoneError extends Error {
        override readonly name = 'PhoneError';
        readonly code = 'no-such-call';
      }
      leader.handle('hangup', async () => {
        await sleep(5);
        throw new PhoneError('There is no call c-9.');
      });
      const remote = await follower.request('hangup', { callId: 'c-9' }).then(
        () => null,
        (error: unknown) => error,
      );
      expect(remote).to.be.instanceOf(TabRequestError);
      expect(remote).to.include({ reason: 'remote', message: 'There is no call c-9.', remoteName: 'PhoneError', remoteCode: 'no-such-call' });

      const unhandled = await follower.request('nobody-handles-this', null).catch((error: unknown) => error);
      expect(unhandled).to.include({ reason: 'remote', remoteCode: 'no-handler' });

      const removeHandler = leader.handle('slow', () => new Promise(() => undefined));
      const started = performance.now();
      const silent = await follower.request('slow', null, { timeoutMs: 150 }).catch((error: unknown) => error);
      expect(silent).to.be.instanceOf(TabRequestError);
      expect(silent).to.include({ reason: 'no-leader', remoteName: null });
      expect(performance.now() - started).to.be.within(140, 1500);
      removeHandler();
    });

    it('delivers posted messages to every other tab, never to the sender', async () => {
      const [a, b, c] = tabs(3, options);
      if (!a || !b || !c) throw new Error('tabs missing');
      const received = new Map<string, TabMessage<{ n: number; at: Date }>[]>([[a.tabId, []], [b.tabId, []], [c.tabId, []]]);
      for (const tab of [a, b, c]) tab.messages<{ n: number; at: Date }>('ping').subscribe((message) => received.get(tab.tabId)?.push(message));
      const at = new Date(1_700_000_000_000);
      a.post('ping', { n: 1, at });
      b.post('other-topic', { n: 2, at });
      await waitFor(() => received.get(b.tabId)?.length && received.get(c.tabId)?.length, 'the message in b and c');
      await sleep(50);
      expect(received.get(a.tabId)).to.deep.equal([]);
      for (const tab of [b, c]) {
        const [message] = received.get(tab.tabId) ?? [];
        expect(message?.fromTabId).to.equal(a.tabId);
        expect(message?.topic).to.equal('ping');
        // Structured clone: a Date stays a Date.
        expect(message?.body.at).to.be.instanceOf(Date);
        expect(message?.body.at.getTime()).to.equal(at.getTime());
      }
    });

    it('rejects pending and later requests once closed, and close() is safe twice', async () => {
      const list = tabs(2, options);
      const leader = await soleLeader(list);
      const follower = list.find((tab) => tab !== leader);
      if (!follower) throw new Error('no follower');
      leader.handle('slow', () => new Promise(() => undefined));
      const pending = follower.request('slow', null).catch((error: unknown) => error);
      follower.close();
      follower.close();
      expect(await pending).to.include({ reason: 'closed' });
      expect(await follower.request('slow', null).catch((error: unknown) => error)).to.include({ reason: 'closed' });
    });
  });
}

describe('TabCoordinator (BroadcastChannel fallback) with a hung leader', () => {
  it('replaces a leader whose heartbeats stop, within 3 s, and settles on one leader when it comes back', async () => {
    const list = tabs(3, { locks: null, BroadcastChannel: MutableChannel });
    const hung = await soleLeader(list);
    const channel = MutableChannel.all[list.indexOf(hung)];
    if (!channel) throw new Error('no channel');
    MutableChannel.muted.add(channel);
    const started = performance.now();
    const others = list.filter((tab) => tab !== hung);
    const next = await soleLeader(others, 3000);
    const took = performance.now() - started;
    expect(took, 'takeover time').to.be.below(3000);
    expect(took, 'not before the leader timeout').to.be.above(1000);
    // The hung tab wakes up still believing it leads: two leaders for a moment, then the lower id keeps it.
    MutableChannel.muted.delete(channel);
    await waitFor(() => leaders(list).length === 1, 'a single leader again', 3000);
    expect(leaders(list)[0]?.tabId).to.equal([hung.tabId, next.tabId].sort()[0]);
  });

  it('does not take over from a leader that keeps beating', async () => {
    const list = tabs(2, { locks: null, heartbeatMs: 100, leaderTimeoutMs: 300, claimWindowMs: 50 });
    const leader = await soleLeader(list);
    await sleep(1000);
    expect(leaders(list)).to.deep.equal([leader]);
  });
});

describe('TabCoordinator (Web Locks) without a leader', () => {
  it('times out a request while the lock is held elsewhere and nobody answers', async () => {
    // A lock manager that never grants: this tab waits forever, and no tab answers on the channel.
    const never: LockManager = {
      request: () => new Promise(() => undefined),
      query: () => Promise.resolve({ held: [], pending: [] }),
    } as unknown as LockManager;
    const [tab] = tabs(1, { locks: never });
    if (!tab) throw new Error('no tab');
    await sleep(50);
    expect(tab.isLeader).to.equal(false);
    const error = await tab.request('anything', 1, { timeoutMs: 100 }).catch((caught: unknown) => caught);
    expect(error).to.be.instanceOf(TabRequestError);
    expect(error).to.include({ reason: 'no-leader' });
  });
});
