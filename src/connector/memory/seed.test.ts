import { expect } from '@esm-bundle/chai';
import { CHANNELS } from '../model.js';
import { createDemoSeed } from './demo-seed.js';
import { CHANNEL_POLICIES, SeedError, validateSeed } from './seed.js';
import type { Seed } from './seed.js';

const NOW = Date.UTC(2024, 4, 1, 9, 30, 0);
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

function minimalSeed(): Seed {
  return {
    version: 1,
    customers: [{ id: 'cust-1', name: 'Ada', identities: [{ kind: 'email', value: 'ada@example.com' }] }],
    conversations: [{ id: 'conv-1', channel: 'wechat', customerId: 'cust-1' }],
    messages: [{ conversationId: 'conv-1', direction: 'inbound', text: 'Hello', sentAt: '-15m' }],
  };
}

/** Runs the validator and returns the SeedError it throws. */
function seedError(input: unknown): SeedError {
  try {
    validateSeed(input, { now: NOW });
  } catch (error) {
    expect(error).to.be.instanceOf(SeedError);
    return error as SeedError;
  }
  throw new Error('validateSeed accepted an invalid seed');
}

describe('validateSeed', () => {
  it('fills in defaults so a small seed is enough', () => {
    const seed = validateSeed(minimalSeed(), { now: NOW });
    expect(seed.agent).to.deep.include({ id: 'agent', name: 'Agent', presence: 'available' });
    expect(seed.customers[0]).to.deep.include({ vipLevel: 0, tags: [], notes: '', locale: null, avatarUrl: null });
    const message = seed.messages[0];
    expect(message).to.deep.include({ delivery: 'delivered', attachments: [], email: null, call: null, clientKey: null, authorName: 'Ada' });
    expect(message?.id).to.be.a('string').and.not.equal('');
    const conversation = seed.conversations[0];
    expect(conversation).to.deep.include({ status: 'queued', priority: 'normal', assigneeId: null, unreadCount: 1, lastMessagePreview: 'Hello' });
  });

  it('resolves relative and ISO timestamps against the load time', () => {
    const seed = validateSeed(
      {
        ...minimalSeed(),
        messages: [
          { conversationId: 'conv-1', direction: 'inbound', text: 'a', sentAt: '-2h' },
          { conversationId: 'conv-1', direction: 'inbound', text: 'b', sentAt: '2024-05-01T09:00:00Z' },
          { conversationId: 'conv-1', direction: 'inbound', text: 'c', sentAt: '+30s' },
          { conversationId: 'conv-1', direction: 'inbound', text: 'd', sentAt: '-3d' },
          { conversationId: 'conv-1', direction: 'inbound', text: 'e', sentAt: NOW - 5 },
        ],
      },
      { now: NOW },
    );
    expect(seed.messages.map((message) => message.sentAt)).to.deep.equal([
      NOW - 2 * HOUR,
      NOW - 30 * MINUTE,
      NOW + 30_000,
      NOW - 72 * HOUR,
      NOW - 5,
    ]);
    expect(seed.conversations[0]?.lastMessageAt).to.equal(NOW + 30_000);
    expect(seed.conversations[0]?.createdAt).to.equal(NOW - 72 * HOUR);
  });

  it('sets first-response targets and reply windows from the channel policy', () => {
    const seed = validateSeed(minimalSeed(), { now: NOW });
    const conversation = seed.conversations[0];
    const sentAt = NOW - 15 * MINUTE;
    expect(conversation?.firstResponseDueAt).to.equal(sentAt + CHANNEL_POLICIES.wechat.firstResponseMs);
    expect(conversation?.replyWindowEndsAt).to.equal(sentAt + 48 * HOUR);
  });

  it('names the field, the expected type and what it found', () => {
    const input = minimalSeed();
    const error = seedError({
      ...input,
      customers: [
        { id: 'c0', name: 'A' },
        { id: 'c1', name: 'B' },
        { id: 'c2', name: 'C' },
        { id: 'c3', name: 'D', identities: [{ kind: 'fax', value: '123' }] },
        ...(input.customers ?? []),
      ],
    });
    expect(error.path).to.equal('customers[3].identities[0].kind');
    expect(error.message).to.equal(
      'Seed is invalid at customers[3].identities[0].kind: expected one of phone, email, wechat, douyin, member, webchat but found "fax"',
    );
  });

  it('reports a missing required field', () => {
    const error = seedError({ ...minimalSeed(), messages: [{ conversationId: 'conv-1', direction: 'inbound', text: 'x' }] });
    expect(error.path).to.equal('messages[0].sentAt');
    expect(error.message).to.contain('expected a timestamp').and.contain('but found nothing');
  });

  it('rejects a timestamp it cannot read', () => {
    const error = seedError({ ...minimalSeed(), messages: [{ conversationId: 'conv-1', direction: 'inbound', sentAt: 'yesterday' }] });
    expect(error.message).to.match(/^Seed is invalid at messages\[0\]\.sentAt: expected a timestamp .* but found "yesterday"$/);
  });

  it('rejects an unknown field, so a typo does not pass silently', () => {
    const error = seedError({ ...minimalSeed(), customers: [{ id: 'cust-1', nmae: 'Ada', name: 'Ada' }] });
    expect(error.path).to.equal('customers[0].nmae');
    expect(error.message).to.contain('this field is unknown');
  });

  it('checks that references point at something', () => {
    const orphanConversation = seedError({ ...minimalSeed(), conversations: [{ id: 'conv-1', channel: 'sms', customerId: 'nobody' }] });
    expect(orphanConversation.path).to.equal('conversations[0].customerId');
    expect(orphanConversation.message).to.equal(
      'Seed is invalid at conversations[0].customerId: expected the id of a customer in customers but found "nobody"',
    );

    const orphanMessage = seedError({ ...minimalSeed(), messages: [{ conversationId: 'conv-9', direction: 'inbound', sentAt: 'now' }] });
    expect(orphanMessage.path).to.equal('messages[0].conversationId');
    expect(orphanMessage.message).to.contain('expected the id of a conversation in conversations but found "conv-9"');

    const unknownAgent = seedError({
      ...minimalSeed(),
      conversations: [{ id: 'conv-1', channel: 'sms', customerId: 'cust-1', assigneeId: 'agent-x' }],
    });
    expect(unknownAgent.path).to.equal('conversations[0].assigneeId');
  });

  it('rejects duplicate ids and says which record already uses the id', () => {
    const input = minimalSeed();
    const error = seedError({ ...input, customers: [...(input.customers ?? []), { id: 'cust-1', name: 'Ada again' }] });
    expect(error.path).to.equal('customers[1].id');
    expect(error.message).to.equal(
      'Seed is invalid at customers[1].id: the customer id "cust-1" is already used by customers[0].id; ids must be unique',
    );
  });

  it('requires format version 1', () => {
    const error = seedError({ ...minimalSeed(), version: 2 });
    expect(error.message).to.equal('Seed is invalid at version: expected the format version 1 but found 2');
  });

  it('accepts JSON text and reports a parse error with its line, column and position', () => {
    expect(validateSeed(JSON.stringify(minimalSeed()), { now: NOW }).customers).to.have.length(1);
    const text = '{\n  "version": 1,\n  "customers": [ { "id": "c1", } ]\n}';
    const error = seedError(text);
    expect(error.path).to.equal('');
    expect(error.position).to.equal(text.indexOf('}'));
    expect(error.message).to.equal(
      'Seed is not valid JSON at line 3, column 32 (position 49): expected a property name in double quotes but found "}"',
    );
  });

  it('returns a seed that validates again to the same result', () => {
    const once = validateSeed(createDemoSeed(), { now: NOW });
    const twice = validateSeed(once, { now: NOW + 10 * HOUR });
    expect(twice).to.deep.equal(once);
  });
});

describe('createDemoSeed', () => {
  const seed = validateSeed(createDemoSeed(), { now: NOW });

  it('is deterministic', () => {
    expect(createDemoSeed()).to.deep.equal(createDemoSeed());
  });

  it('covers every channel with realistic volume', () => {
    expect(new Set(seed.conversations.map((conversation) => conversation.channel))).to.deep.equal(new Set(CHANNELS));
    expect(seed.customers.length).to.be.at.least(40);
    expect(seed.conversations.length).to.be.at.least(80);
    expect(seed.messages.length).to.be.at.least(2 * seed.conversations.length);
  });

  it('has customers reachable on several channels, VIP levels 0–3 and look-alike duplicates', () => {
    const multiChannel = seed.customers.filter((customer) => new Set(customer.identities.map((identity) => identity.kind)).size >= 3);
    expect(multiChannel.length).to.be.at.least(12);
    expect(new Set(seed.customers.map((customer) => customer.vipLevel))).to.deep.equal(new Set([0, 1, 2, 3]));
    const emails = seed.customers.flatMap((customer) => customer.identities.filter((identity) => identity.kind === 'email'));
    const lowered = emails.map((identity) => identity.value.toLowerCase());
    expect(new Set(lowered).size).to.be.lessThan(lowered.length, 'two profiles share an email address');
  });

  it('has customers with histories across channels', () => {
    const channelsByCustomer = new Map<string, Set<string>>();
    for (const conversation of seed.conversations) {
      const channels = channelsByCustomer.get(conversation.customerId) ?? new Set<string>();
      channels.add(conversation.channel);
      channelsByCustomer.set(conversation.customerId, channels);
    }
    expect([...channelsByCustomer.values()].filter((channels) => channels.size >= 3).length).to.be.at.least(3);
  });

  it('has email envelopes, call records, attachments and system events', () => {
    expect(seed.messages.some((message) => message.email?.html && message.email.cc.length > 0)).to.equal(true);
    expect(seed.messages.some((message) => message.call?.recordingUrl && message.call.transcript)).to.equal(true);
    expect(seed.messages.some((message) => message.attachments.some((attachment) => attachment.mimeType === 'application/pdf'))).to.equal(true);
    expect(seed.messages.some((message) => message.attachments.some((attachment) => attachment.mimeType.startsWith('image/')))).to.equal(true);
    expect(seed.messages.some((message) => message.direction === 'system')).to.equal(true);
    expect(seed.messages.some((message) => message.direction === 'internal')).to.equal(true);
  });

  it('has work waiting in queues, work assigned to the agent and SLA targets on unanswered conversations', () => {
    const queued = seed.conversations.filter((conversation) => conversation.status === 'queued' && conversation.assigneeId === null);
    const mine = seed.conversations.filter((conversation) => conversation.assigneeId === seed.agent.id && conversation.status !== 'resolved');
    expect(queued.length).to.be.at.least(5);
    expect(mine.length).to.be.at.least(8);
    expect(queued.every((conversation) => conversation.firstResponseDueAt !== null)).to.equal(true);
    const social = seed.conversations.filter((conversation) => conversation.channel === 'wechat' || conversation.channel === 'douyin');
    expect(social.every((conversation) => conversation.replyWindowEndsAt !== null)).to.equal(true);
    expect(seed.conversations.filter((conversation) => conversation.channel === 'email').every((conversation) => conversation.replyWindowEndsAt === null)).to.equal(true);
  });

  it('has open tickets with comments', () => {
    const open = seed.tickets.filter((ticket) => ticket.status !== 'closed' && ticket.status !== 'solved');
    expect(open.length).to.be.at.least(10);
    expect(open.filter((ticket) => ticket.comments.length > 0).length).to.be.at.least(5);
  });

  it('has at least 30 knowledge articles in English and Simplified Chinese, some with template variables', () => {
    expect(seed.articles.length).to.be.at.least(30);
    const english = seed.articles.filter((article) => article.locale === 'en');
    const chinese = seed.articles.filter((article) => article.locale === 'zh-CN');
    expect(english.length).to.equal(chinese.length);
    expect(chinese.every((article) => /[\u4e00-\u9fff]/.test(article.title))).to.equal(true);
    expect(seed.articles.some((article) => article.body.includes('{customer.name}'))).to.equal(true);
    expect(seed.articles.some((article) => article.body.includes('{ticket.id}'))).to.equal(true);
  });
});
