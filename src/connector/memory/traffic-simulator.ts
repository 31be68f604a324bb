/**
 * Simulated contact-center traffic for the MemoryConnector: new conversations, customer messages on open
 * conversations, and work offers, at configurable rates. The simulator only decides what happens and when;
 * the connector it drives (a {@link TrafficTarget}) applies it and emits the events.
 */
import type { Channel, Priority } from '../model.js';

export interface TrafficOptions {
  /**
   * Total events per minute, split 30 % new conversations, 50 % customer messages, 20 % work offers.
   * The per-kind rates below override their share. Default 6 (one event every ten seconds on average).
   */
  readonly ratePerMinute?: number;
  readonly conversationsPerMinute?: number;
  readonly messagesPerMinute?: number;
  readonly offersPerMinute?: number;
  /** How long a work offer stays open; default 30 000 ms. Expired offers are revoked with reason `expired`. */
  readonly offerTtlMs?: number;
  /** A random source in [0, 1); pass `createSeededRandom(n)` for a reproducible run. Default `Math.random`. */
  readonly random?: () => number;
}

export type TrafficKind = 'conversation' | 'message' | 'offer';

/** What one simulated step did. */
export interface TrafficStep {
  readonly kind: TrafficKind;
  readonly conversationId: string;
}

export interface NewConversationDraft {
  readonly customerId: string;
  readonly channel: Channel;
  readonly subject: string | null;
  readonly text: string;
  readonly priority: Priority;
}

/** The backend side the simulator drives. */
export interface TrafficTarget {
  /** Channels new conversations may use. */
  readonly channels: readonly Channel[];
  /** False when the backend has no work offers; offers are then skipped. */
  readonly offersEnabled: boolean;
  customerIds(): readonly string[];
  /** The customer's preferred locale, e.g. `zh-CN`, or null. */
  customerLocale(customerId: string): string | null;
  /** Conversations a customer might write on again (not resolved). */
  activeConversationIds(): readonly string[];
  /** Queued, unassigned conversations that have no open offer. */
  offerableConversationIds(): readonly string[];
  conversationCustomerId(conversationId: string): string | null;
  /** Creates a queued conversation with its first customer message; returns its id. */
  createConversation(draft: NewConversationDraft): string;
  addInboundMessage(conversationId: string, text: string): void;
  createOffer(conversationId: string, ttlMs: number): void;
}

const DEFAULT_RATE_PER_MINUTE = 6;
const DEFAULT_OFFER_TTL_MS = 30_000;
const SHARES: Readonly<Record<TrafficKind, number>> = { conversation: 0.3, message: 0.5, offer: 0.2 };

/** A small, fast, seedable generator (mulberry32), so simulated traffic and demo data can be reproduced. */
export function createSeededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Topic {
  readonly subject: { readonly en: string; readonly zh: string };
  readonly opening: { readonly en: string; readonly zh: string };
}

const TOPICS: readonly Topic[] = [
  {
    subject: { en: 'Where is my order?', zh: '订单物流查询' },
    opening: { en: 'Hi, my order still shows "in transit" after five days. Can you check where it is?', zh: '你好，我的订单显示运输中已经五天了，能帮我查一下到哪了吗？' },
  },
  {
    subject: { en: 'Return request', zh: '申请退货' },
    opening: { en: 'I would like to return the earbuds I bought last week, they do not fit well.', zh: '上周买的耳机戴着不舒服，我想申请退货。' },
  },
  {
    subject: { en: 'Phone not charging', zh: '手机无法充电' },
    opening: { en: 'My K20 Pro stopped charging this morning. I tried another cable and it still does not work.', zh: '我的K20 Pro今天早上突然充不进电了，换了充电线也不行。' },
  },
  {
    subject: { en: 'Charged twice', zh: '重复扣款' },
    opening: { en: 'I was charged twice for the same order. Please refund the duplicate payment.', zh: '同一个订单被扣了两次钱，请帮我退回多扣的那笔。' },
  },
  {
    subject: { en: 'Invoice needed', zh: '开具发票' },
    opening: { en: 'Could you send me a VAT invoice for my laptop order? I need it for my company.', zh: '笔记本电脑的订单能开增值税专用发票吗？公司报销要用。' },
  },
  {
    subject: { en: 'Warranty repair', zh: '保修维修' },
    opening: { en: 'The screen of my tablet has a line of dead pixels. Is this covered by the warranty?', zh: '平板屏幕出现了一条坏点，这个在保修范围内吗？' },
  },
  {
    subject: { en: 'Bluetooth pairing', zh: '蓝牙配对问题' },
    opening: { en: 'My AirBeat earbuds will not pair with my new phone. The light just keeps flashing white.', zh: 'AirBeat耳机连不上新手机，指示灯一直闪白灯。' },
  },
  {
    subject: { en: 'Cannot log in', zh: '无法登录账户' },
    opening: { en: 'I cannot log in to my account, the password reset email never arrives.', zh: '账户登录不上，重置密码的邮件一直收不到。' },
  },
];

const FOLLOW_UPS: { readonly en: readonly string[]; readonly zh: readonly string[] } = {
  en: [
    'Any update on this?',
    'I have attached the order number: KS-20418.',
    'Is anyone there?',
    'Thanks, I will try that now.',
    'It still does not work, unfortunately.',
    'Can I get a call back instead?',
    'OK, the parcel arrived. Thank you!',
    'How long will the refund take?',
  ],
  zh: [
    '请问有进展了吗？',
    '订单号是 KS-20418。',
    '有人在吗？',
    '好的，我现在试一下。',
    '还是不行。',
    '可以给我回个电话吗？',
    '收到包裹了，谢谢！',
    '退款大概多久能到账？',
  ],
};

/** Emits simulated traffic into a {@link TrafficTarget} on a timer. */
export class TrafficSimulator {
  private readonly target: TrafficTarget;
  private readonly random: () => number;
  private readonly offerTtlMs: number;
  private readonly rates: Readonly<Record<TrafficKind, number>>;
  private timer: ReturnType<typeof setTimeout> | null = null;
  /** Bumped by stop(), so a step that stops the simulator does not schedule another. */
  private generation = 0;

  constructor(target: TrafficTarget, options: TrafficOptions = {}) {
    this.target = target;
    this.random = options.random ?? Math.random;
    this.offerTtlMs = options.offerTtlMs ?? DEFAULT_OFFER_TTL_MS;
    const total = options.ratePerMinute ?? DEFAULT_RATE_PER_MINUTE;
    const rateOptions = {
      ratePerMinute: options.ratePerMinute,
      conversationsPerMinute: options.conversationsPerMinute,
      messagesPerMinute: options.messagesPerMinute,
      offersPerMinute: options.offersPerMinute,
    };
    for (const [name, value] of Object.entries(rateOptions)) {
      if (value !== undefined && (!Number.isFinite(value) || value < 0)) {
        throw new RangeError(`Traffic option ${name} must be a number of events per minute, 0 or more; got ${String(value)}.`);
      }
    }
    this.rates = {
      conversation: options.conversationsPerMinute ?? total * SHARES.conversation,
      message: options.messagesPerMinute ?? total * SHARES.message,
      offer: target.offersEnabled ? (options.offersPerMinute ?? total * SHARES.offer) : 0,
    };
  }

  get running(): boolean {
    return this.timer !== null;
  }

  /** Starts emitting; calling it again while running does nothing. */
  start(): void {
    if (this.timer === null) this.scheduleNext();
  }

  /** Stops emitting; no timer is left behind. */
  stop(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.generation += 1;
  }

  /**
   * Performs one step right away: of the given kind, or one drawn by the configured rates.
   * Returns what happened, or null when there was nothing to do (no customers, for instance).
   */
  step(kind: TrafficKind = this.drawKind()): TrafficStep | null {
    switch (kind) {
      case 'conversation':
        return this.newConversation();
      case 'message':
        return this.inboundMessage() ?? this.newConversation();
      case 'offer':
        return this.offer();
    }
  }

  private scheduleNext(): void {
    const total = this.rates.conversation + this.rates.message + this.rates.offer;
    if (total <= 0) return;
    // Exponential gaps make arrivals look like a real (Poisson) queue rather than a metronome.
    const meanGapMs = 60_000 / total;
    const gap = Math.min(-Math.log(1 - this.random()) * meanGapMs, meanGapMs * 10);
    const generation = this.generation;
    this.timer = setTimeout(() => {
      this.timer = null;
      try {
        this.step();
      } finally {
        // The step may have stopped (or restarted) the simulator through its target; then leave the timer alone.
        if (generation === this.generation && this.timer === null) this.scheduleNext();
      }
    }, gap);
  }

  private drawKind(): TrafficKind {
    const total = this.rates.conversation + this.rates.message + this.rates.offer;
    const draw = this.random() * total;
    if (draw < this.rates.conversation) return 'conversation';
    if (draw < this.rates.conversation + this.rates.message) return 'message';
    return 'offer';
  }

  private pick<T>(items: readonly T[]): T | undefined {
    return items[Math.floor(this.random() * items.length)];
  }

  private isChinese(customerId: string): boolean {
    return (this.target.customerLocale(customerId) ?? '').toLowerCase().startsWith('zh');
  }

  private newConversation(): TrafficStep | null {
    const customerId = this.pick(this.target.customerIds());
    const channel = this.pick(this.target.channels);
    const topic = this.pick(TOPICS);
    if (customerId === undefined || channel === undefined || topic === undefined) return null;
    const zh = this.isChinese(customerId);
    const priorityDraw = this.random();
    const priority: Priority = priorityDraw < 0.05 ? 'urgent' : priorityDraw < 0.2 ? 'high' : priorityDraw < 0.9 ? 'normal' : 'low';
    const conversationId = this.target.createConversation({
      customerId,
      channel,
      subject: zh ? topic.subject.zh : topic.subject.en,
      text: zh ? topic.opening.zh : topic.opening.en,
      priority,
    });
    return { kind: 'conversation', conversationId };
  }

  private inboundMessage(): TrafficStep | null {
    const conversationId = this.pick(this.target.activeConversationIds());
    if (conversationId === undefined) return null;
    const customerId = this.target.conversationCustomerId(conversationId);
    const lines = customerId !== null && this.isChinese(customerId) ? FOLLOW_UPS.zh : FOLLOW_UPS.en;
    const text = this.pick(lines) ?? '';
    this.target.addInboundMessage(conversationId, text);
    return { kind: 'message', conversationId };
  }

  private offer(): TrafficStep | null {
    if (!this.target.offersEnabled) return null;
    const existing = this.pick(this.target.offerableConversationIds());
    const conversationId = existing ?? this.newConversation()?.conversationId;
    if (conversationId === undefined) return null;
    this.target.createOffer(conversationId, this.offerTtlMs);
    return { kind: 'offer', conversationId };
  }
}
