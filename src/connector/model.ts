/**
 * The domain model shared by every connector, the store and the components.
 * Timestamps are epoch milliseconds (numbers), so records stay JSON-serialisable.
 */

/** Every channel the desk knows how to render and reply on. */
export type Channel = 'phone' | 'webchat' | 'email' | 'sms' | 'wechat' | 'douyin';
export const CHANNELS: readonly Channel[] = ['phone', 'webchat', 'email', 'sms', 'wechat', 'douyin'];

export type Presence = 'available' | 'busy' | 'break' | 'after-call-work' | 'offline';
export const PRESENCES: readonly Presence[] = ['available', 'busy', 'break', 'after-call-work', 'offline'];

export interface ChannelCapacity {
  readonly channel: Channel;
  /** How many concurrent conversations the agent may hold on this channel. */
  readonly max: number;
  /** How many the agent holds now. */
  readonly load: number;
}

/**
 * What an agent's role lets them do. A backend enforces them (a command the role may not run is `forbidden`) and
 * masks PII at the source for a role without `view-pii`; the desk hides or disables what the role cannot do.
 * - `view-pii`: see phone numbers, email addresses and account ids in clear (else they arrive masked).
 * - `reveal-pii`: reveal one masked identity on request (`revealIdentity`); each reveal is audited.
 * - `edit-customer`: change a customer's tags and notes. `merge-customers`: merge duplicate profiles.
 * - `edit-tickets`: create tickets, change them and comment on them.
 * - `transfer-conversations`: assign a conversation to another agent or a queue.
 * - `use-phone`: place and take calls. `record-calls`: save call records.
 */
export type Permission =
  | 'view-pii'
  | 'reveal-pii'
  | 'edit-customer'
  | 'merge-customers'
  | 'edit-tickets'
  | 'transfer-conversations'
  | 'use-phone'
  | 'record-calls';
export const PERMISSIONS: readonly Permission[] = [
  'view-pii',
  'reveal-pii',
  'edit-customer',
  'merge-customers',
  'edit-tickets',
  'transfer-conversations',
  'use-phone',
  'record-calls',
];

export interface Agent {
  readonly id: string;
  readonly name: string;
  readonly presence: Presence;
  readonly capacity: readonly ChannelCapacity[];
  /** Queues (groups) the agent belongs to. */
  readonly queues: readonly string[];
  /**
   * What the signed-in agent's role allows in this session. Absent: the backend does not restrict its agents, and
   * every permission applies (backends written before permissions existed).
   */
  readonly permissions?: readonly Permission[];
}

export interface Queue {
  readonly id: string;
  readonly name: string;
}

export type ConversationStatus = 'queued' | 'open' | 'pending' | 'resolved';
export const CONVERSATION_STATUSES: readonly ConversationStatus[] = ['queued', 'open', 'pending', 'resolved'];

export type Priority = 'low' | 'normal' | 'high' | 'urgent';
export const PRIORITIES: readonly Priority[] = ['low', 'normal', 'high', 'urgent'];

export interface Conversation {
  readonly id: string;
  readonly channel: Channel;
  readonly customerId: string;
  readonly status: ConversationStatus;
  readonly priority: Priority;
  /** Agent id, or null while it waits in a queue. */
  readonly assigneeId: string | null;
  readonly queueId: string | null;
  /** Email subject, or a short topic for other channels. */
  readonly subject: string | null;
  readonly createdAt: number;
  readonly lastMessageAt: number;
  /** Plain text of the latest message, for list previews. */
  readonly lastMessagePreview: string;
  readonly unreadCount: number;
  /** When the first agent response is due by channel policy; null once answered. */
  readonly firstResponseDueAt: number | null;
  /** Channels such as WeChat and Douyin only allow free replies until this time; null when unlimited. */
  readonly replyWindowEndsAt: number | null;
}

export type MessageDirection = 'inbound' | 'outbound' | 'internal' | 'system';
export type DeliveryState = 'sending' | 'sent' | 'delivered' | 'read' | 'failed';

export interface Attachment {
  readonly id: string;
  readonly name: string;
  readonly mimeType: string;
  readonly size: number;
  readonly url: string;
}

export interface EmailEnvelope {
  readonly subject: string;
  readonly from: string;
  readonly to: readonly string[];
  readonly cc: readonly string[];
  /** Untrusted HTML; it must be sanitised before it is shown. */
  readonly html: string | null;
}

export interface CallRecord {
  readonly durationSeconds: number;
  readonly disposition: string | null;
  readonly recordingUrl: string | null;
  readonly transcript: string | null;
  readonly direction: 'inbound' | 'outbound';
}

export interface Message {
  readonly id: string;
  readonly conversationId: string;
  readonly direction: MessageDirection;
  /** Display name of the author (customer, agent or system). */
  readonly authorName: string;
  /** Plain text body; never interpreted as HTML. */
  readonly text: string;
  readonly sentAt: number;
  readonly delivery: DeliveryState;
  readonly attachments: readonly Attachment[];
  readonly email: EmailEnvelope | null;
  readonly call: CallRecord | null;
  /** The idempotency key the client sent it with, so an echo can be matched to its optimistic copy. */
  readonly clientKey: string | null;
}

export type IdentityKind = 'phone' | 'email' | 'wechat' | 'douyin' | 'member' | 'webchat';
export const IDENTITY_KINDS: readonly IdentityKind[] = ['phone', 'email', 'wechat', 'douyin', 'member', 'webchat'];

export interface Identity {
  readonly kind: IdentityKind;
  readonly value: string;
}

export interface Customer {
  readonly id: string;
  readonly name: string;
  /** Raster image URL or null; the desk falls back to initials. */
  readonly avatarUrl: string | null;
  readonly identities: readonly Identity[];
  /** 0 means not a VIP; higher is more important. */
  readonly vipLevel: number;
  readonly tags: readonly string[];
  readonly notes: string;
  readonly locale: string | null;
  readonly createdAt: number;
}

export type TicketStatus = 'new' | 'open' | 'pending' | 'solved' | 'closed';
export const TICKET_STATUSES: readonly TicketStatus[] = ['new', 'open', 'pending', 'solved', 'closed'];
export type TicketType = 'question' | 'incident' | 'problem' | 'task';
export const TICKET_TYPES: readonly TicketType[] = ['question', 'incident', 'problem', 'task'];

/** The ticket workflow: which status may follow which. */
export const TICKET_TRANSITIONS: Readonly<Record<TicketStatus, readonly TicketStatus[]>> = {
  new: ['open', 'pending', 'solved'],
  open: ['pending', 'solved'],
  pending: ['open', 'solved'],
  solved: ['open', 'closed'],
  closed: [],
};

export interface TicketComment {
  readonly id: string;
  readonly authorName: string;
  readonly body: string;
  readonly internal: boolean;
  readonly createdAt: number;
}

export interface Ticket {
  readonly id: string;
  readonly customerId: string;
  readonly subject: string;
  readonly description: string;
  readonly type: TicketType;
  readonly priority: Priority;
  readonly status: TicketStatus;
  readonly assigneeId: string | null;
  readonly groupId: string | null;
  readonly sourceChannel: Channel | null;
  readonly conversationIds: readonly string[];
  readonly dueAt: number | null;
  readonly createdAt: number;
  readonly updatedAt: number;
  /** Incremented on every change; updates carry the version they were based on. */
  readonly version: number;
  readonly comments: readonly TicketComment[];
}

export interface KnowledgeArticle {
  readonly id: string;
  readonly locale: string;
  readonly title: string;
  /** Plain text with blank-line paragraphs; may contain template variables such as `{customer.name}`. */
  readonly body: string;
  readonly tags: readonly string[];
  readonly updatedAt: number;
}

export interface KnowledgeHit {
  readonly article: KnowledgeArticle;
  readonly score: number;
}

/** A prepared answer the agent inserts with the composer's `/` shortcut. */
export interface CannedReply {
  readonly id: string;
  /** What the agent types after `/` to find it, e.g. `refund`; no spaces. */
  readonly shortcut: string;
  readonly title: string;
  /** Plain text; may contain `{customer.name}` and `{agent.name}`, filled in when it is inserted. */
  readonly text: string;
  /** The language of `text`, e.g. `en` or `zh-CN`. */
  readonly locale: string;
}

/** An offer of work that the agent may accept or decline before it expires. */
export interface WorkOffer {
  readonly id: string;
  readonly conversationId: string;
  readonly channel: Channel;
  readonly customerId: string;
  readonly offeredAt: number;
  readonly expiresAt: number;
}

export interface IceServer {
  readonly urls: string | readonly string[];
  readonly username?: string;
  readonly credential?: string;
}

export interface TelephonyConfig {
  readonly webSocketUrl: string;
  readonly sipUri: string;
  readonly authorizationUsername: string | null;
  readonly authorizationPassword: string | null;
  readonly authorizationToken: string | null;
  readonly iceServers: readonly IceServer[];
}
