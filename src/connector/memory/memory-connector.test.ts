import { expect } from '@esm-bundle/chai';
import type { Subscription } from 'rxjs';
import type { ConnectionState, ConnectorEvent } from '../connector.js';
import { ConnectorError } from '../errors.js';
import type { ConnectorErrorCode } from '../errors.js';
import type { Conversation, Message } from '../model.js';
import { MemoryConnector } from './memory-connector.js';
import type { MemoryConnectorOptions } from './memory-connector.js';
import type { Seed } from './seed.js';

const NOW = Date.UTC(2024, 4, 1, 9, 30, 0);

function testSeed(): Seed {
  return {
    version: 1,
    agent: { id: 'a-1', name: 'Lin', queues: ['q-1'] },
    agents: [{ id: 'a-2', name: 'Sam' }],
    queues: [
      { id: 'q-1', name: 'General' },
      { id: 'q-2', name: 'Billing' },
    ],
    customers: [
      { id: 'c-ada', name: 'Ada Lovelace', identities: [{ kind: 'email', value: 'Ada@Example.com' }, { kind: 'phone', value: '+86 138 0013 8000' }], tags: ['vip'] },
      { id: 'c-ada2', name: 'Ada Lovelance', identities: [{ kind: 'phone', value: '13800138000' }], tags: ['new'] },
      { id: 'c-wang', name: '王小明', identities: [{ kind: 'wechat', value: 'wx_wang' }], locale: 'zh-CN' },
      { id: 'c-bob', name: 'Bob Stone', identities: [{ kind: 'email', value: 'bob@example.com' }] },
    ],
    conversations: [
      { id: 'conv-chat', channel: 'webchat', customerId: 'c-ada', status: 'open', assigneeId: 'a-1', queueId: 'q-1' },
      { id: 'conv-wechat', channel: 'wechat', customerId: 'c-wang', status: 'open', assigneeId: 'a-1' },
      { id: 'conv-queue', channel: 'sms', customerId: 'c-bob', queueId: 'q-1' },
      { id: 'conv-other', channel: 'email', customerId: 'c-bob', status: 'open', assigneeId: 'a-2', subject: 'Invoice copy' },
      { id: 'conv-done', channel: 'webchat', customerId: 'c-ada2', status: 'resolved', assigneeId: 'a-1' },
    ],
    messages: [
      { conversationId: 'conv-chat', direction: 'inbound', text: 'My order has not arrived.', sentAt: '-3m' },
      { conversationId: 'conv-chat', direction: 'inbound', text: 'Order #1042.', sentAt: '-2m' },
      { conversationId: 'conv-wechat', direction: 'inbound', text: '你好，我想退货，耳机戴着不舒服。', sentAt: '-50h' },
      { conversationId: 'conv-queue', direction: 'inbound', text: 'Where is my parcel?', sentAt: '-10m' },
      { conversationId: 'conv-other', direction: 'inbound', text: 'Please resend my invoice', sentAt: '-1h' },
      { conversationId: 'conv-done', direction: 'inbound', text: 'Thanks!', sentAt: '-1d' },
    ],
    tickets: [{ id: 'T-1', customerId: 'c-ada', subject: 'Late order', conversationIds: ['conv-chat'] }],
    articles: [
      { id: 'kb-returns-en', locale: 'en', title: 'Return policy', body: 'Return any product within 30 days.', tags: ['returns'] },
      { id: 'kb-returns-zh', locale: 'zh-CN', title: '退货政策', body: '30天内可以无理由退货。', tags: ['退货'] },
    ],
  };
}

interface Harness {
  readonly connector: MemoryConnector;
  readonly events: ConnectorEvent[];
  readonly clock: { now: number };
}

const harnesses: { connector: MemoryConnector; subscription: Subscription }[] = [];

async function connected(options: MemoryConnectorOptions = {}): Promise<Harness> {
  const clock = { now: NOW };
  const connector = new MemoryConnector({ seed: testSeed(), now: () => clock.now, deliveryDelayMs: 10, ...options });
  const events: ConnectorEvent[] = [];
  harnesses.push({ connector, subscription: connector.events$.subscribe((event) => events.push(event)) });
  await connector.connect();
  return { connector, events, clock };
}

async function rejection(promise: Promise<unknown>, code: ConnectorErrorCode, field?: string): Promise<ConnectorError> {
  try {
    await promise;
  } catch (error) {
    expect(error).to.be.instanceOf(ConnectorError);
    const connectorError = error as ConnectorError;
    expect(connectorError.code, connectorError.message).to.equal(code);
    if (field !== undefined) expect(connectorError.field).to.equal(field);
    return connectorError;
  }
  throw new Error(`Expected a "${code}" rejection, but the command succeeded`);
}

function ofType<T extends ConnectorEvent['type']>(events: readonly ConnectorEvent[], type: T): Extract<ConnectorEvent, { type: T }>[] {
  return events.filter((event): event is Extract<ConnectorEvent, { type: T }> => event.type === type);
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function until(check: () => boolean, what: string, timeoutMs = 2000): Promise<void> {
  const started = performance.now();
  while (!check()) {
    if (performance.now() - started > timeoutMs) throw new Error(`Timed out waiting for ${what}`);
    await sleep(5);
  }
}

afterEach(async () => {
  for (const { connector, subscription } of harnesses.splice(0)) {
    subscription.unsubscribe();
    await connector.disconnect();
  }
});

describe('MemoryConnector: connection', () => {
  it('goes from disconnected through connecting to connected, and commands need a connection', async () => {
    const connector = new MemoryConnector({ seed: testSeed(), latencyMs: 5 });
    const states: ConnectionState[] = [];
    const subscription = connector.state$.subscribe((state) => states.push(state));
    const error = await rejection(connector.getAgent(), 'unavailable');
    expect(error.message).to.equal('The connector is not connected; call connect() first.');

    const session = await connector.connect();
    expect(session.agent.id).to.equal('a-1');
    expect(connector.state).to.equal('connected');
    await connector.disconnect();
    expect(states).to.deep.equal(['disconnected', 'connecting', 'connected', 'disconnected']);
    await rejection(connector.listQueues(), 'unavailable');
    subscription.unsubscribe();
  });

  it('lets a caller that joined a connect in flight abort its own call without cancelling the connection', async () => {
    const connector = new MemoryConnector({ seed: testSeed(), latencyMs: 40 });
    const states: ConnectionState[] = [];
    const subscription = connector.state$.subscribe((state) => states.push(state));
    const first = connector.connect();
    const controller = new AbortController();
    const second = connector.connect({ signal: controller.signal });
    let firstSettled = false;
    void first.then(() => (firstSettled = true), () => (firstSettled = true));
    setTimeout(() => controller.abort(), 5);
    const started = performance.now();
    await rejection(second, 'aborted');
    expect(performance.now() - started, 'the second caller is released when it aborts, not when the attempt ends').to.be.below(35);
    expect(firstSettled).to.equal(false);
    expect(connector.state).to.equal('connecting');
    expect((await first).agent.id).to.equal('a-1');
    expect(connector.state).to.equal('connected');
    expect(states).to.deep.equal(['disconnected', 'connecting', 'connected']);
    subscription.unsubscribe();
    await connector.disconnect();
  });

  it('keeps connecting for a caller without a signal when the caller that started the attempt aborts', async () => {
    const connector = new MemoryConnector({ seed: testSeed(), latencyMs: 30 });
    const controller = new AbortController();
    const first = connector.connect({ signal: controller.signal });
    const second = connector.connect();
    setTimeout(() => controller.abort(), 5);
    await rejection(first, 'aborted');
    expect((await second).agent.id).to.equal('a-1');
    expect(connector.state).to.equal('connected');
    await connector.disconnect();
  });

  it('cancels the attempt once every caller has aborted, and connects afresh later', async () => {
    const connector = new MemoryConnector({ seed: testSeed(), latencyMs: 30 });
    const one = new AbortController();
    const two = new AbortController();
    const first = connector.connect({ signal: one.signal });
    const second = connector.connect({ signal: two.signal });
    one.abort();
    expect(connector.state, 'one caller is still waiting').to.equal('connecting');
    two.abort();
    await rejection(first, 'aborted');
    await rejection(second, 'aborted');
    expect(connector.state).to.equal('disconnected');
    await sleep(40);
    expect(connector.state, 'the cancelled attempt must not complete later').to.equal('disconnected');
    expect((await connector.connect()).agent.id).to.equal('a-1');
    expect(connector.state).to.equal('connected');
    await connector.disconnect();
  });

  it('fails a connect that is in flight when disconnect() closes it, and a new connect() starts afresh', async () => {
    const connector = new MemoryConnector({ seed: testSeed(), latencyMs: 30 });
    const first = connector.connect();
    await connector.disconnect();
    const second = connector.connect();
    const error = await rejection(first, 'unavailable');
    expect(error.message).to.equal('The connection was closed while it was being opened.');
    expect((await second).agent.id).to.equal('a-1');
    expect(connector.state).to.equal('connected');
    await connector.disconnect();
  });

  it('loads the demo seed by default', async () => {
    const connector = new MemoryConnector();
    await connector.connect();
    const page = await connector.listConversations({ limit: 200 });
    expect(page.items.length).to.be.at.least(80);
    await connector.disconnect();
  });

  it('rejects an invalid seed with the readable seed error', () => {
    expect(() => new MemoryConnector({ seed: { version: 1, customers: [{ id: 'c', name: 'C', identities: [{ kind: 'fax', value: '1' }] }] } })).to.throw(
      'Seed is invalid at customers[0].identities[0].kind',
    );
  });
});

describe('MemoryConnector: abort, copies and idempotency', () => {
  it('rejects a command whose signal is already aborted, and writes nothing', async () => {
    const { connector, events } = await connected();
    const controller = new AbortController();
    controller.abort();
    await rejection(connector.sendMessage({ conversationId: 'conv-chat', text: 'hi' }, { signal: controller.signal }), 'aborted');
    expect(events).to.have.length(0);
  });

  it('cancels a command aborted during its latency, and writes nothing', async () => {
    const { connector, events } = await connected({ latencyMs: 40 });
    const controller = new AbortController();
    const sending = connector.sendMessage({ conversationId: 'conv-chat', text: 'hi' }, { signal: controller.signal });
    setTimeout(() => controller.abort(), 5);
    await rejection(sending, 'aborted');
    await sleep(60);
    expect(events).to.have.length(0);
    const page = await connector.listMessages('conv-chat', {});
    expect(page.items.map((message) => message.text)).to.not.include('hi');
  });

  it('returns frozen records, so callers cannot change its state', async () => {
    const { connector } = await connected();
    const conversation = await connector.getConversation('conv-chat');
    expect(() => {
      (conversation as { unreadCount: number }).unreadCount = 99;
    }).to.throw(TypeError);
    const customer = await connector.getCustomer('c-ada');
    expect(() => (customer.tags as string[]).push('hacked')).to.throw(TypeError);
    expect((await connector.getCustomer('c-ada')).tags).to.deep.equal(['vip']);
  });

  it('returns the first result for a repeated idempotency key and does not write twice', async () => {
    const { connector, events } = await connected();
    const draft = { conversationId: 'conv-chat', text: 'On its way!' };
    const first = await connector.sendMessage(draft, { idempotencyKey: 'key-1' });
    const second = await connector.sendMessage({ text: 'On its way!', conversationId: 'conv-chat' }, { idempotencyKey: 'key-1' });
    expect(second).to.equal(first);
    expect(first.clientKey).to.equal('key-1');
    const thread = await connector.listMessages('conv-chat', {});
    expect(thread.items.filter((message) => message.text === 'On its way!')).to.have.length(1);
    expect(ofType(events, 'message.added')).to.have.length(1);
  });

  it('rejects the same idempotency key with a different request as a conflict', async () => {
    const { connector } = await connected();
    await connector.sendMessage({ conversationId: 'conv-chat', text: 'one' }, { idempotencyKey: 'key-2' });
    const error = await rejection(connector.sendMessage({ conversationId: 'conv-chat', text: 'two' }, { idempotencyKey: 'key-2' }), 'conflict');
    expect(error.message).to.contain('key-2');
  });
});

describe('MemoryConnector: events and snapshot', () => {
  it('numbers every stream from 1 without gaps, and the snapshot reports the last numbers', async () => {
    const { connector, events } = await connected();
    await connector.sendMessage({ conversationId: 'conv-chat', text: 'Hello' });
    await connector.setPresence('busy');
    await connector.updateCustomer('c-ada', { notes: 'Prefers email' });
    await connector.commentTicket('T-1', { body: 'Checking with the courier', internal: true });
    await until(() => ofType(events, 'message.updated').length === 1, 'the delivery receipt');

    const byStream = new Map<string, number[]>();
    for (const event of events) byStream.set(event.stream, [...(byStream.get(event.stream) ?? []), event.seq]);
    expect([...byStream.keys()].sort()).to.deep.equal(['agent', 'conversations', 'customers', 'tickets']);
    for (const sequence of byStream.values()) expect(sequence).to.deep.equal(sequence.map((_, index) => index + 1));

    const snapshot = await connector.snapshot();
    for (const [stream, sequence] of byStream) expect(snapshot.sequences[stream]).to.equal(sequence[sequence.length - 1]);
  });

  it('snapshots the working set: mine and my queues, not resolved, newest first, with their customers', async () => {
    const { connector } = await connected();
    const snapshot = await connector.snapshot();
    expect(snapshot.agent.id).to.equal('a-1');
    expect(snapshot.conversations.map((conversation) => conversation.id)).to.deep.equal(['conv-chat', 'conv-queue', 'conv-wechat']);
    expect(snapshot.customers.map((customer) => customer.id).sort()).to.deep.equal(['c-ada', 'c-bob', 'c-wang']);
    expect(snapshot.offers).to.deep.equal([]);
  });
});

describe('MemoryConnector: listing conversations', () => {
  it('pages through every conversation exactly once, newest first', async () => {
    const connector = new MemoryConnector();
    await connector.connect();
    const seen: Conversation[] = [];
    let cursor: string | null = null;
    do {
      const page = await connector.listConversations({ limit: 7, cursor });
      expect(page.items.length).to.be.at.most(7);
      seen.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor !== null);
    const all = await connector.listConversations({ limit: 200 });
    expect(seen.map((conversation) => conversation.id)).to.deep.equal(all.items.map((conversation) => conversation.id));
    expect(new Set(seen.map((conversation) => conversation.id)).size).to.equal(seen.length);
    const times = seen.map((conversation) => conversation.lastMessageAt);
    expect(times).to.deep.equal([...times].sort((a, b) => b - a));
    await connector.disconnect();
  });

  it('filters by scope, channel, status, customer and text', async () => {
    const { connector } = await connected();
    const ids = async (query: Parameters<MemoryConnector['listConversations']>[0]): Promise<string[]> =>
      (await connector.listConversations(query)).items.map((conversation) => conversation.id).sort();
    expect(await ids({ scope: 'mine' })).to.deep.equal(['conv-chat', 'conv-done', 'conv-wechat']);
    expect(await ids({ scope: 'queue' })).to.deep.equal(['conv-queue']);
    expect(await ids({ channels: ['webchat'], statuses: ['open'] })).to.deep.equal(['conv-chat']);
    expect(await ids({ customerId: 'c-bob' })).to.deep.equal(['conv-other', 'conv-queue']);
    expect(await ids({ text: 'ADA LOVEL' })).to.deep.equal(['conv-chat', 'conv-done']);
    expect(await ids({ text: 'invoice' })).to.deep.equal(['conv-other']);
    expect(await ids({ text: '小明' })).to.deep.equal(['conv-wechat']);
  });

  it('rejects a bad page size or cursor, naming the field', async () => {
    const { connector } = await connected();
    const tooSmall = await rejection(connector.listConversations({ limit: 0 }), 'invalid', 'limit');
    expect(tooSmall.message).to.contain('1 to 200');
    await rejection(connector.listConversations({ limit: 201 }), 'invalid', 'limit');
    await rejection(connector.listConversations({ cursor: 'not-a-cursor' }), 'invalid', 'cursor');
    const page = await connector.listConversations({ limit: 1 });
    await rejection(connector.listConversations({ limit: 1, cursor: page.nextCursor, channels: ['sms'] }), 'invalid', 'cursor');
  });

  it('pages messages from the newest backwards, each page in chronological order', async () => {
    const { connector, clock } = await connected();
    for (let index = 0; index < 5; index += 1) {
      clock.now += 1000;
      await connector.sendMessage({ conversationId: 'conv-chat', text: `reply ${index}` });
    }
    const first = await connector.listMessages('conv-chat', { limit: 3 });
    expect(first.items.map((message) => message.text)).to.deep.equal(['reply 2', 'reply 3', 'reply 4']);
    const second = await connector.listMessages('conv-chat', { limit: 3, cursor: first.nextCursor });
    expect(second.items.map((message) => message.text)).to.deep.equal(['Order #1042.', 'reply 0', 'reply 1']);
    const third = await connector.listMessages('conv-chat', { limit: 3, cursor: second.nextCursor });
    expect(third.items.map((message) => message.text)).to.deep.equal(['My order has not arrived.']);
    expect(third.nextCursor).to.equal(null);
    await rejection(connector.listMessages('conv-queue', { cursor: first.nextCursor }), 'invalid', 'cursor');
    await rejection(connector.listMessages('nope', {}), 'not-found');
  });
});

describe('MemoryConnector: sending', () => {
  it('returns a sent message, updates the conversation and later reports it delivered', async () => {
    const { connector, events } = await connected();
    const before = await connector.getConversation('conv-chat');
    expect(before.firstResponseDueAt).to.be.a('number');
    const message = await connector.sendMessage({ conversationId: 'conv-chat', text: 'It ships today.' });
    expect(message).to.deep.include({ delivery: 'sent', direction: 'outbound', authorName: 'Lin', clientKey: null, sentAt: NOW });
    expect(events.map((event) => event.type)).to.deep.equal(['message.added', 'conversation.upserted']);
    const upserted = ofType(events, 'conversation.upserted')[0]?.conversation;
    expect(upserted).to.deep.include({ lastMessagePreview: 'It ships today.', lastMessageAt: NOW, firstResponseDueAt: null, unreadCount: 0 });
    await until(() => ofType(events, 'message.updated').length === 1, 'the delivery receipt');
    expect(ofType(events, 'message.updated')[0]?.message).to.deep.include({ id: message.id, delivery: 'delivered' });
  });

  it('rejects an empty message and an unknown conversation', async () => {
    const { connector } = await connected();
    const empty = await rejection(connector.sendMessage({ conversationId: 'conv-chat', text: '   ' }), 'invalid', 'text');
    expect(empty.message).to.equal('Write a message or attach a file before sending.');
    const missing = await rejection(connector.sendMessage({ conversationId: 'conv-x', text: 'hi' }), 'not-found');
    expect(missing.message).to.equal('Conversation "conv-x" was not found.');
    const withFile = await connector.sendMessage({
      conversationId: 'conv-chat',
      text: '',
      attachments: [{ id: 'att-1', name: 'label.pdf', mimeType: 'application/pdf', size: 1200, url: 'https://files.example/label.pdf' }],
    });
    expect(withFile.attachments).to.have.length(1);
  });

  it('refuses a WeChat reply after the 48-hour window but allows an internal note', async () => {
    const { connector } = await connected();
    const error = await rejection(connector.sendMessage({ conversationId: 'conv-wechat', text: '您好' }), 'invalid', 'replyWindowEndsAt');
    expect(error.message).to.contain('WeChat reply window closed');
    expect(error.message).to.contain('48 hours');
    const note = await connector.sendMessage({ conversationId: 'conv-wechat', text: 'Customer wants a return', internal: true });
    expect(note.direction).to.equal('internal');
  });

  it('reopens a resolved conversation when the agent replies', async () => {
    const { connector } = await connected();
    await connector.sendMessage({ conversationId: 'conv-done', text: 'One more thing…' });
    expect((await connector.getConversation('conv-done')).status).to.equal('open');
  });

  it('replying to a queued conversation takes it', async () => {
    const { connector } = await connected();
    await connector.sendMessage({ conversationId: 'conv-queue', text: 'Let me check.' });
    expect(await connector.getConversation('conv-queue')).to.deep.include({ status: 'open', assigneeId: 'a-1' });
    const agent = await connector.getAgent();
    expect(agent.capacity.find((entry) => entry.channel === 'sms')?.load).to.equal(1);
  });
});

describe('MemoryConnector: conversation workflow', () => {
  it('marks read, assigns to agents and queues, and resolves with a system message', async () => {
    const { connector, events } = await connected();
    expect((await connector.markRead('conv-chat')).unreadCount).to.equal(0);
    expect(await connector.assignConversation('conv-chat', { kind: 'agent', agentId: 'a-2' })).to.deep.include({ assigneeId: 'a-2' });
    expect(await connector.assignConversation('conv-chat', { kind: 'queue', queueId: 'q-2' })).to.deep.include({
      assigneeId: null,
      queueId: 'q-2',
      status: 'queued',
    });
    await rejection(connector.assignConversation('conv-chat', { kind: 'agent', agentId: 'ghost' }), 'not-found');
    await rejection(connector.assignConversation('conv-chat', { kind: 'queue', queueId: 'q-none' }), 'not-found');

    const resolved = await connector.setConversationStatus('conv-other', 'resolved');
    expect(resolved.status).to.equal('resolved');
    const system = ofType(events, 'message.added').map((event) => event.message).filter((message: Message) => message.direction === 'system');
    expect(system.map((message) => message.text)).to.include('Resolved by Lin.');
    expect((await connector.setConversationStatus('conv-other', 'open')).status).to.equal('open');
  });

  it('offers work that the agent can accept or decline', async () => {
    const { connector, events } = await connected();
    const offer = connector.simulateOffer('conv-queue');
    expect(ofType(events, 'offer.created')[0]?.offer).to.deep.equal(offer);
    expect((await connector.snapshot()).offers).to.deep.equal([offer]);
    const accepted = await connector.acceptOffer(offer.id);
    expect(accepted).to.deep.include({ assigneeId: 'a-1', status: 'open' });
    expect(ofType(events, 'offer.revoked')[0]).to.deep.include({ offerId: offer.id, reason: 'accepted' });
    await rejection(connector.acceptOffer(offer.id), 'not-found');

    const second = connector.simulateOffer('conv-other');
    await connector.declineOffer(second.id);
    expect(ofType(events, 'offer.revoked')[1]).to.deep.include({ offerId: second.id, reason: 'declined' });
  });

  it('refuses an expired offer and revokes offers when they expire', async () => {
    const { connector, events, clock } = await connected();
    const stale = connector.simulateOffer('conv-queue', 30_000);
    clock.now += 31_000;
    const error = await rejection(connector.acceptOffer(stale.id), 'conflict');
    expect(error.message).to.contain('expired');
    expect(ofType(events, 'offer.revoked').map((event) => event.reason)).to.deep.equal(['expired']);

    clock.now = NOW;
    const quick = connector.simulateOffer('conv-queue', 20);
    await until(() => ofType(events, 'offer.revoked').some((event) => event.offerId === quick.id), 'the offer to expire');
    expect(ofType(events, 'offer.revoked').find((event) => event.offerId === quick.id)?.reason).to.equal('expired');
  });
});

describe('MemoryConnector: customers', () => {
  it('finds customers by identity: email ignoring case, phone by its digits', async () => {
    const { connector } = await connected();
    const byEmail = await connector.findCustomers({ kind: 'email', value: 'ada@example.COM' });
    expect(byEmail.map((customer) => customer.id)).to.deep.equal(['c-ada']);
    const byPhone = await connector.findCustomers({ kind: 'phone', value: '138-0013-8000' });
    expect(byPhone.map((customer) => customer.id).sort()).to.deep.equal(['c-ada', 'c-ada2']);
    expect(await connector.findCustomers({ kind: 'wechat', value: 'WX_WANG' })).to.deep.equal([]);
    await rejection(connector.findCustomers({ kind: 'email', value: ' ' }), 'invalid', 'value');
  });

  it('updates tags and notes and emits the customer', async () => {
    const { connector, events } = await connected();
    const updated = await connector.updateCustomer('c-bob', { tags: ['late delivery', 'late delivery', ' b2b '], notes: 'Call after 5 pm' });
    expect(updated).to.deep.include({ tags: ['late delivery', 'b2b'], notes: 'Call after 5 pm' });
    expect(ofType(events, 'customer.updated')[0]?.customer).to.deep.equal(updated);
  });

  it('lists look-alike profiles and merges them', async () => {
    const { connector, events } = await connected();
    const candidates = await connector.listDuplicateCandidates('c-ada');
    expect(candidates.map((customer) => customer.id)).to.deep.equal(['c-ada2']);

    await connector.createTicket({ customerId: 'c-ada2', subject: 'Warranty', description: '' });
    const merged = await connector.mergeCustomers('c-ada', 'c-ada2');
    expect(merged.tags).to.deep.equal(['vip', 'new']);
    expect(merged.identities).to.have.length(2, 'the same phone number is kept once');
    expect((await connector.listCustomerConversations('c-ada')).map((conversation) => conversation.id).sort()).to.deep.equal(['conv-chat', 'conv-done']);
    expect((await connector.listTickets('c-ada')).map((ticket) => ticket.subject).sort()).to.deep.equal(['Late order', 'Warranty']);
    await rejection(connector.getCustomer('c-ada2'), 'not-found');
    const customerEvents = events.filter((event) => event.stream === 'customers').map((event) => event.type);
    expect(customerEvents).to.deep.equal(['customer.merged', 'customer.updated']);
    expect(ofType(events, 'customer.merged')[0]).to.deep.include({ targetId: 'c-ada', sourceId: 'c-ada2' });

    const self = await rejection(connector.mergeCustomers('c-ada', 'c-ada'), 'invalid', 'sourceId');
    expect(self.message).to.contain('cannot be merged into itself');
  });

  it('finds the demo data duplicates: same phone without the country code, same email in other case', async () => {
    const connector = new MemoryConnector();
    await connector.connect();
    expect((await connector.listDuplicateCandidates('c-001')).map((customer) => customer.id)).to.include('c-002');
    expect((await connector.listDuplicateCandidates('c-004')).map((customer) => customer.id)).to.include('c-005');
    expect((await connector.listDuplicateCandidates('c-015')).map((customer) => customer.id)).to.include('c-016');
    await connector.disconnect();
  });
});

describe('MemoryConnector: tickets', () => {
  it('creates tickets and validates the draft', async () => {
    const { connector, events } = await connected();
    const ticket = await connector.createTicket({ customerId: 'c-bob', subject: ' Parcel lost ', description: 'No scan for 3 days', conversationIds: ['conv-queue'] });
    expect(ticket).to.deep.include({ subject: 'Parcel lost', status: 'new', version: 1, sourceChannel: 'sms', type: 'question', priority: 'normal' });
    expect(ofType(events, 'ticket.upserted')[0]?.ticket).to.deep.equal(ticket);
    const noSubject = await rejection(connector.createTicket({ customerId: 'c-bob', subject: '', description: '' }), 'invalid', 'subject');
    expect(noSubject.message).to.equal('A ticket needs a subject.');
    await rejection(connector.createTicket({ customerId: 'c-nobody', subject: 'x', description: '' }), 'not-found');
  });

  it('updates with optimistic versions and the workflow', async () => {
    const { connector } = await connected();
    const opened = await connector.updateTicket('T-1', { baseVersion: 1, status: 'open', priority: 'high' });
    expect(opened).to.deep.include({ status: 'open', priority: 'high', version: 2 });
    const stale = await rejection(connector.updateTicket('T-1', { baseVersion: 1, priority: 'low' }), 'conflict');
    expect(stale.message).to.contain('version 2').and.contain('based on version 1');

    const { connector: fresh } = await connected();
    const jump = await rejection(fresh.updateTicket('T-1', { baseVersion: 1, status: 'closed' }), 'invalid', 'status');
    expect(jump.message).to.match(/^A ticket cannot go from "new" to "closed"\./);
  });

  it('adds comments and emits them', async () => {
    const { connector, events } = await connected();
    const ticket = await connector.commentTicket('T-1', { body: 'Courier says tomorrow', internal: false });
    expect(ticket.comments.map((comment) => comment.body)).to.deep.equal(['Courier says tomorrow']);
    expect(ticket.version).to.equal(2);
    expect(ofType(events, 'ticket.commented')[0]).to.deep.include({ ticketId: 'T-1' });
    await rejection(connector.commentTicket('T-1', { body: '', internal: true }), 'invalid', 'body');
  });

  it('honours a backend without tickets', async () => {
    const { connector } = await connected({ capabilities: { tickets: false } });
    expect(connector.capabilities.tickets).to.equal(false);
    const error = await rejection(connector.listTickets('c-ada'), 'unavailable');
    expect(error.message).to.equal('This backend does not support tickets.');
    await rejection(connector.createTicket({ customerId: 'c-ada', subject: 'x', description: '' }), 'unavailable');
  });
});

describe('MemoryConnector: knowledge and telephony', () => {
  it('searches Chinese text and ranks the requested locale first', async () => {
    const connector = new MemoryConnector();
    await connector.connect();
    const chinese = await connector.searchKnowledge({ text: '我想退货', locale: 'zh-CN' });
    expect(chinese[0]?.article.locale).to.equal('zh-CN');
    expect(chinese.slice(0, 3).map((hit) => hit.article.id)).to.include('kb-return-policy-zh');

    const english = await connector.searchKnowledge({ text: 'earbuds bluetooth pairing', locale: 'en' });
    expect(english[0]?.article.id).to.equal('kb-earbuds-pairing-en');
    const scores = english.map((hit) => hit.score);
    expect(scores).to.deep.equal([...scores].sort((a, b) => b - a));

    const mixed = await connector.searchKnowledge({ text: 'refund 退款', locale: 'zh-CN' });
    const firstEnglish = mixed.findIndex((hit) => hit.article.locale === 'en');
    const lastChinese = mixed.map((hit) => hit.article.locale).lastIndexOf('zh-CN');
    expect(firstEnglish === -1 || lastChinese < firstEnglish).to.equal(true);
    await rejection(connector.getArticle('kb-none'), 'not-found');
    await connector.disconnect();
  });

  it('suggests articles from the latest customer message', async () => {
    const { connector } = await connected();
    const hits = await connector.suggestArticles('conv-wechat');
    expect(hits[0]?.article.id).to.equal('kb-returns-zh');
  });

  it('has no telephony unless configured', async () => {
    const { connector } = await connected();
    expect(await connector.getTelephonyConfig()).to.equal(null);
    expect(connector.capabilities.telephony).to.equal(false);
    const config = { webSocketUrl: 'wss://sip.example', sipUri: 'sip:lin@sip.example', authorizationUsername: 'lin', authorizationPassword: 'pw', authorizationToken: null, iceServers: [] };
    const { connector: withPhone } = await connected({ telephony: config });
    expect(await withPhone.getTelephonyConfig()).to.deep.equal(config);
    expect(withPhone.capabilities.telephony).to.equal(true);
  });
});

describe('MemoryConnector: timers and disconnect', () => {
  it('holds delivery receipts while disconnected and sends them after reconnecting', async () => {
    const { connector, events } = await connected({ deliveryDelayMs: 20 });
    await connector.sendMessage({ conversationId: 'conv-chat', text: 'bye' });
    await connector.disconnect();
    await sleep(50);
    expect(ofType(events, 'message.updated')).to.have.length(0);
    await connector.connect();
    await until(() => ofType(events, 'message.updated').length === 1, 'the held receipt');
  });

  it('builds a 10,000-conversation desk quickly and lists it without trouble', async () => {
    const customers = Array.from({ length: 1000 }, (_, index) => ({ id: `c-${index}`, name: `Customer ${index}` }));
    const conversations = Array.from({ length: 10_000 }, (_, index) => ({
      id: `v-${index}`,
      channel: 'sms' as const,
      customerId: `c-${index % 1000}`,
      assigneeId: index % 2 === 0 ? 'a-1' : null,
      lastMessageAt: NOW - index * 1000,
    }));
    const started = performance.now();
    const connector = new MemoryConnector({ seed: { version: 1, agent: { id: 'a-1', name: 'A' }, customers, conversations } });
    expect(performance.now() - started).to.be.lessThan(1000);
    await connector.connect();
    const listed = performance.now();
    const page = await connector.listConversations({ scope: 'mine', text: 'customer 99', limit: 200 });
    expect(page.items.every((conversation) => conversation.assigneeId === 'a-1')).to.equal(true);
    expect(performance.now() - listed).to.be.lessThan(200);
    await connector.disconnect();
  });
});
