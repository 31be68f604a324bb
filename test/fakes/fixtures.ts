/**
 * Small builders for domain records, so tests state only the fields they care about.
 * Every record is complete and valid; timestamps are fixed so results are reproducible.
 */
import type { ConnectorEvent, Snapshot } from '../../src/connector/connector.js';
import type { Agent, Conversation, Customer, Message, WorkOffer } from '../../src/connector/model.js';

export const T0 = Date.UTC(2025, 0, 6, 9, 0, 0);

export function makeAgent(overrides: Partial<Agent> = {}): Agent {
  return {
    id: 'a-1',
    name: 'Ada Agent',
    presence: 'available',
    capacity: [{ channel: 'webchat', max: 3, load: 0 }],
    queues: ['q-1'],
    ...overrides,
  };
}

export function makeConversation(id: string, overrides: Partial<Conversation> = {}): Conversation {
  return {
    id,
    channel: 'webchat',
    customerId: `cu-${id}`,
    status: 'open',
    priority: 'normal',
    assigneeId: 'a-1',
    queueId: 'q-1',
    subject: null,
    createdAt: T0,
    lastMessageAt: T0,
    lastMessagePreview: 'Hello',
    unreadCount: 0,
    firstResponseDueAt: null,
    replyWindowEndsAt: null,
    ...overrides,
  };
}

export function makeCustomer(id: string, overrides: Partial<Customer> = {}): Customer {
  return {
    id,
    name: `Customer ${id}`,
    avatarUrl: null,
    identities: [{ kind: 'email', value: `${id}@example.com` }],
    vipLevel: 0,
    tags: [],
    notes: '',
    locale: 'en',
    createdAt: T0,
    ...overrides,
  };
}

export function makeMessage(id: string, conversationId: string, overrides: Partial<Message> = {}): Message {
  return {
    id,
    conversationId,
    direction: 'inbound',
    authorName: 'Customer',
    text: `Message ${id}`,
    sentAt: T0,
    delivery: 'delivered',
    attachments: [],
    email: null,
    call: null,
    clientKey: null,
    ...overrides,
  };
}

export function makeOffer(id: string, overrides: Partial<WorkOffer> = {}): WorkOffer {
  return {
    id,
    conversationId: `c-${id}`,
    channel: 'webchat',
    customerId: `cu-${id}`,
    offeredAt: T0,
    expiresAt: T0 + 30_000,
    ...overrides,
  };
}

export function makeSnapshot(overrides: Partial<Snapshot> = {}): Snapshot {
  return {
    agent: makeAgent(),
    conversations: [],
    offers: [],
    customers: [],
    sequences: {},
    ...overrides,
  };
}

/** Distributes `Omit` over the event union, so each event type keeps its own fields. */
type WithoutEnvelope<Event> = Event extends ConnectorEvent ? Omit<Event, 'stream' | 'seq' | 'at'> : never;
export type EventBody = WithoutEnvelope<ConnectorEvent>;

/** Builds an event of `stream` with an explicit `seq`. */
export function makeEvent(stream: string, seq: number, body: EventBody, at = T0): ConnectorEvent {
  return { ...body, stream, seq, at } as ConnectorEvent;
}

/** Numbers events per stream the way a backend does: 1, 2, 3… starting after `start`. */
export class EventSequencer {
  private readonly last = new Map<string, number>();

  constructor(start: Readonly<Record<string, number>> = {}) {
    for (const [stream, seq] of Object.entries(start)) this.last.set(stream, seq);
  }

  next(stream: string, body: EventBody, at = T0): ConnectorEvent {
    const seq = (this.last.get(stream) ?? 0) + 1;
    this.last.set(stream, seq);
    return makeEvent(stream, seq, body, at);
  }

  /** The last sequence number handed out per stream, in the shape of `Snapshot.sequences`. */
  sequences(): Record<string, number> {
    return Object.fromEntries(this.last);
  }
}
