import { expect } from '@esm-bundle/chai';
import type { ConnectorEvent } from '../connector.js';
import type { Channel } from '../model.js';
import { MemoryConnector } from './memory-connector.js';
import { TrafficSimulator, createSeededRandom } from './traffic-simulator.js';
import type { NewConversationDraft, TrafficTarget } from './traffic-simulator.js';

/** A target that records what the simulator asked for. */
class RecordingTarget implements TrafficTarget {
  readonly channels: readonly Channel[] = ['webchat', 'wechat', 'email'];
  readonly offersEnabled: boolean;
  readonly calls: string[] = [];
  private readonly active: string[] = ['conv-a', 'conv-b'];
  private queued: string[] = ['conv-q'];
  private created = 0;

  constructor(offersEnabled = true) {
    this.offersEnabled = offersEnabled;
  }

  customerIds(): readonly string[] {
    return ['cust-en', 'cust-zh'];
  }
  customerLocale(customerId: string): string | null {
    return customerId === 'cust-zh' ? 'zh-CN' : 'en';
  }
  activeConversationIds(): readonly string[] {
    return this.active;
  }
  offerableConversationIds(): readonly string[] {
    return this.queued;
  }
  conversationCustomerId(conversationId: string): string | null {
    return conversationId === 'conv-b' ? 'cust-zh' : 'cust-en';
  }
  createConversation(draft: NewConversationDraft): string {
    this.created += 1;
    const id = `conv-new-${this.created}`;
    this.active.push(id);
    this.calls.push(`conversation ${id} ${draft.customerId} ${draft.channel} ${draft.priority} ${draft.text}`);
    return id;
  }
  addInboundMessage(conversationId: string, text: string): void {
    this.calls.push(`message ${conversationId} ${text}`);
  }
  createOffer(conversationId: string, ttlMs: number): void {
    this.queued = this.queued.filter((id) => id !== conversationId);
    this.calls.push(`offer ${conversationId} ${ttlMs}`);
  }
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function until(check: () => boolean, what: string, timeoutMs = 3000): Promise<void> {
  const started = performance.now();
  while (!check()) {
    if (performance.now() - started > timeoutMs) throw new Error(`Timed out waiting for ${what}`);
    await sleep(5);
  }
}

describe('TrafficSimulator', () => {
  it('is deterministic with a seeded random source', () => {
    const run = (): string[] => {
      const target = new RecordingTarget();
      const simulator = new TrafficSimulator(target, { random: createSeededRandom(42) });
      for (let index = 0; index < 30; index += 1) simulator.step();
      return target.calls;
    };
    const first = run();
    expect(first.length).to.be.at.least(30);
    expect(run()).to.deep.equal(first);
    const kinds = new Set(first.map((call) => call.split(' ')[0]));
    expect(kinds).to.deep.equal(new Set(['conversation', 'message', 'offer']));
  });

  it('writes in the customer\'s language', () => {
    const target = new RecordingTarget();
    const simulator = new TrafficSimulator(target, { random: createSeededRandom(7) });
    for (let index = 0; index < 40; index += 1) simulator.step('message');
    const chinese = target.calls.filter((call) => call.startsWith('message conv-b'));
    const english = target.calls.filter((call) => call.startsWith('message conv-a'));
    expect(chinese.length).to.be.greaterThan(0);
    expect(english.length).to.be.greaterThan(0);
    expect(chinese.every((call) => /[\u4e00-\u9fff]/.test(call))).to.equal(true);
    expect(english.every((call) => !/[\u4e00-\u9fff]/.test(call))).to.equal(true);
  });

  it('offers queued work first, then new work, with the configured lifetime', () => {
    const target = new RecordingTarget();
    const simulator = new TrafficSimulator(target, { random: createSeededRandom(1), offerTtlMs: 12_000 });
    expect(simulator.step('offer')).to.deep.equal({ kind: 'offer', conversationId: 'conv-q' });
    expect(simulator.step('offer')?.conversationId).to.equal('conv-new-1');
    expect(target.calls.filter((call) => call.startsWith('offer'))).to.deep.equal(['offer conv-q 12000', 'offer conv-new-1 12000']);
  });

  it('runs on a timer at the configured rates and stops cleanly', async () => {
    const target = new RecordingTarget();
    const simulator = new TrafficSimulator(target, { random: createSeededRandom(3), messagesPerMinute: 6000, conversationsPerMinute: 0, offersPerMinute: 0 });
    simulator.start();
    expect(simulator.running).to.equal(true);
    await until(() => target.calls.length >= 5, 'five simulated messages');
    simulator.stop();
    expect(simulator.running).to.equal(false);
    expect(target.calls.every((call) => call.startsWith('message'))).to.equal(true);
    const count = target.calls.length;
    await sleep(100);
    expect(target.calls.length).to.equal(count);
  });

  it('skips offers when the backend has none, and rejects a negative rate', () => {
    const target = new RecordingTarget(false);
    const simulator = new TrafficSimulator(target, { random: createSeededRandom(5) });
    for (let index = 0; index < 30; index += 1) simulator.step();
    expect(target.calls.some((call) => call.startsWith('offer'))).to.equal(false);
    expect(() => new TrafficSimulator(target, { ratePerMinute: -1 })).to.throw(RangeError, 'ratePerMinute');
  });
});

describe('MemoryConnector traffic', () => {
  it('creates conversations, customer messages and offers that expire, and stops on disconnect', async () => {
    const connector = new MemoryConnector({ deliveryDelayMs: 10 });
    const events: ConnectorEvent[] = [];
    const subscription = connector.events$.subscribe((event) => events.push(event));
    await connector.connect();
    connector.startTraffic({ ratePerMinute: 12_000, offerTtlMs: 40, random: createSeededRandom(11) });
    expect(connector.trafficRunning).to.equal(true);

    await until(
      () =>
        events.some((event) => event.type === 'offer.revoked' && event.reason === 'expired') &&
        events.some((event) => event.type === 'message.added' && event.message.direction === 'inbound') &&
        events.some((event) => event.type === 'conversation.upserted' && event.conversation.id.startsWith('conv-') && event.conversation.status === 'queued'),
      'new conversations, customer messages and an expired offer',
    );
    const offer = events.find((event) => event.type === 'offer.created');
    expect(offer?.type === 'offer.created' && offer.offer.expiresAt - offer.offer.offeredAt).to.equal(40);

    await connector.disconnect();
    expect(connector.trafficRunning).to.equal(false);
    const count = events.length;
    await sleep(150);
    expect(events.length, 'no events after disconnect').to.equal(count);
    subscription.unsubscribe();
  });

  it('starts traffic from the constructor option on connect and keeps it off after stopTraffic()', async () => {
    const connector = new MemoryConnector({ traffic: { ratePerMinute: 6000, random: createSeededRandom(2) } });
    const events: ConnectorEvent[] = [];
    const subscription = connector.events$.subscribe((event) => events.push(event));
    expect(connector.trafficRunning).to.equal(false);
    await connector.connect();
    expect(connector.trafficRunning).to.equal(true);
    await until(() => events.length > 0, 'traffic');
    connector.stopTraffic();
    await connector.disconnect();
    await connector.connect();
    expect(connector.trafficRunning).to.equal(false);
    await connector.disconnect();
    subscription.unsubscribe();
  });
});
