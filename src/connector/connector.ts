import type { Observable } from 'rxjs';
import type {
  Agent,
  CannedReply,
  Channel,
  Conversation,
  ConversationStatus,
  Customer,
  Identity,
  KnowledgeArticle,
  KnowledgeHit,
  Message,
  Presence,
  Priority,
  Queue,
  TelephonyConfig,
  Ticket,
  TicketComment,
  TicketStatus,
  TicketType,
  WorkOffer,
  Attachment,
} from './model.js';

/**
 * The contract between the desk and a contact-center backend.
 *
 * It is shaped like a transport: `connect()`/`disconnect()`, a connection state with a change stream,
 * commands that return Promises and accept an `AbortSignal`, and one push stream (`events$`) whose
 * events carry a per-stream sequence number. Every command rejects with a `ConnectorError`.
 */
export interface Connector {
  /** What this backend supports; the desk hides what it lacks. Constant for the connector's lifetime. */
  readonly capabilities: ConnectorCapabilities;
  /** The current connection state; `disconnected` until `connect()` is called. */
  readonly state: ConnectionState;
  /** Emits the current state on subscribe, then every change. */
  readonly state$: Observable<ConnectionState>;
  /** Backend pushes. Within one `stream`, `seq` increases by exactly 1 per event. */
  readonly events$: Observable<ConnectorEvent>;
  /**
   * Optional. Emits when the connector knows events were lost that no later event will reveal (the backend no
   * longer holds them, say): the desk then loads a snapshot. Gaps a later event shows need no signal.
   */
  readonly resync$?: Observable<void>;
  /**
   * Optional. True when, while `reconnecting` after a drop, this connector delivers every event it missed, in
   * order (it resumes after the last event it delivered), and emits `resync$` when it cannot. The desk then stays
   * live through `reconnecting` instead of loading a whole snapshot when the link is back; a gap still triggers
   * one, and so does coming back from `disconnected`.
   */
  readonly resumesEvents?: boolean;

  connect(options?: CommandOptions): Promise<Session>;
  disconnect(): Promise<void>;

  /**
   * The current sequence number of every stream, and the state needed to catch up after a gap:
   * the store calls it when it sees a gap and replaces what it holds.
   */
  snapshot(options?: CommandOptions): Promise<Snapshot>;

  // Agent
  getAgent(options?: CommandOptions): Promise<Agent>;
  /** An unknown presence is `invalid`. Emits `agent.updated`. */
  setPresence(presence: Presence, options?: CommandOptions): Promise<Agent>;
  /** A negative or non-integer `max` is `invalid`. */
  setCapacity(channel: Channel, max: number, options?: CommandOptions): Promise<Agent>;
  listQueues(options?: CommandOptions): Promise<readonly Queue[]>;
  listAgents(options?: CommandOptions): Promise<readonly Pick<Agent, 'id' | 'name' | 'presence'>[]>;

  // Conversations
  listConversations(query: ConversationQuery, options?: CommandOptions): Promise<Page<Conversation>>;
  getConversation(id: string, options?: CommandOptions): Promise<Conversation>;
  listMessages(conversationId: string, query: MessageQuery, options?: CommandOptions): Promise<Page<Message>>;
  /** The returned message's `clientKey` is the idempotency key it was sent with (or null). Emits `message.added`. */
  sendMessage(draft: OutgoingMessage, options?: CommandOptions): Promise<Message>;
  markRead(conversationId: string, options?: CommandOptions): Promise<Conversation>;
  /** Assigning to a queue leaves `assigneeId` null; an unknown agent or queue is `not-found` or `invalid`. */
  assignConversation(conversationId: string, target: AssignTarget, options?: CommandOptions): Promise<Conversation>;
  setConversationStatus(
    conversationId: string,
    status: Extract<ConversationStatus, 'resolved' | 'open'>,
    options?: CommandOptions,
  ): Promise<Conversation>;
  acceptOffer(offerId: string, options?: CommandOptions): Promise<Conversation>;
  declineOffer(offerId: string, options?: CommandOptions): Promise<void>;

  // Customers
  getCustomer(id: string, options?: CommandOptions): Promise<Customer>;
  findCustomers(identity: Identity, options?: CommandOptions): Promise<readonly Customer[]>;
  updateCustomer(id: string, patch: CustomerPatch, options?: CommandOptions): Promise<Customer>;
  /** Profiles that may be the same person (a shared phone or email, a near-identical name); never the customer itself. */
  listDuplicateCandidates(id: string, options?: CommandOptions): Promise<readonly Customer[]>;
  /** Merges `sourceId` into `targetId`; the source's identities, tags and history move to the target. */
  mergeCustomers(targetId: string, sourceId: string, options?: CommandOptions): Promise<Customer>;
  /**
   * Optional: the clear value of one masked identity of a customer, for an agent whose role has `reveal-pii` (or
   * `view-pii`). `identity` is the identity as this connector delivered it (masked). A role without the permission
   * is `forbidden`; an identity the customer does not have is `not-found`. The backend records who revealed what.
   * A backend that never masks need not implement it.
   */
  revealIdentity?(customerId: string, identity: Identity, options?: CommandOptions): Promise<Identity>;
  listCustomerConversations(customerId: string, options?: CommandOptions): Promise<readonly Conversation[]>;

  // Tickets
  listTickets(customerId: string, options?: CommandOptions): Promise<readonly Ticket[]>;
  getTicket(id: string, options?: CommandOptions): Promise<Ticket>;
  /** A new ticket starts in status `new` at version 1. */
  createTicket(draft: TicketDraft, options?: CommandOptions): Promise<Ticket>;
  /** Every change increases `version`. Rejects with `conflict` when `baseVersion` is stale and with `invalid` for a transition the workflow refuses. */
  updateTicket(id: string, patch: TicketPatch, options?: CommandOptions): Promise<Ticket>;
  commentTicket(id: string, comment: TicketCommentDraft, options?: CommandOptions): Promise<Ticket>;

  // Knowledge
  searchKnowledge(query: KnowledgeQuery, options?: CommandOptions): Promise<readonly KnowledgeHit[]>;
  getArticle(id: string, options?: CommandOptions): Promise<KnowledgeArticle>;
  /**
   * Records whether an article helped: one vote per agent and article, a later vote replacing the earlier one.
   * An unknown article is `not-found`. A write: the same idempotency key records the vote once.
   */
  rateArticle(articleId: string, helpful: boolean, options?: CommandOptions): Promise<void>;
  suggestArticles(conversationId: string, options?: CommandOptions): Promise<readonly KnowledgeHit[]>;

  // Canned replies
  /** Every canned reply the agent may use, in every locale; `[]` when there are none. Needs `capabilities.cannedReplies`. */
  listCannedReplies(options?: CommandOptions): Promise<readonly CannedReply[]>;

  // Telephony
  /** SIP settings for the softphone, or null when this backend has no telephony. */
  getTelephonyConfig(options?: CommandOptions): Promise<TelephonyConfig | null>;
  /**
   * Records a finished call and its after-call work in the customer's history: a message with `call` set, added to
   * the phone conversation given, else to the customer's latest phone conversation that is not resolved, else to a
   * new (resolved) phone conversation. Without `customerId` the customer is found by `remoteNumber`, or created with
   * it. Emits `message.added` and `conversation.upserted` (and `customer.updated` for a new customer). A write: the
   * same idempotency key records the call once; the returned message's `clientKey` is that key.
   */
  saveCallRecord(record: CallRecordDraft, options?: CommandOptions): Promise<Message>;
}

/** A finished call as the softphone reports it after the agent's wrap-up. */
export interface CallRecordDraft {
  /** The customer the call was with, when the desk knows; null to let the backend match `remoteNumber`. */
  readonly customerId: string | null;
  /** The phone conversation the call belongs to, when the desk knows one. */
  readonly conversationId?: string | null;
  readonly direction: 'inbound' | 'outbound';
  /** The other party's number, as dialled or presented. */
  readonly remoteNumber: string;
  /** The name the caller presented; untrusted. Used for a customer the backend has to create. */
  readonly remoteDisplayName?: string | null;
  /** When the call started ringing or was dialled, epoch milliseconds. */
  readonly startedAt: number;
  /** When it was answered; null for a call nobody answered (its duration is 0). */
  readonly answeredAt: number | null;
  readonly endedAt: number;
  /** The wrap-up's disposition code, e.g. `resolved`; null when none was chosen. */
  readonly disposition: string | null;
  /** The agent's notes: the message's text (plain text). */
  readonly notes: string;
}

export interface CommandOptions {
  /** Aborting rejects the command with a `ConnectorError` whose code is `aborted`. */
  readonly signal?: AbortSignal;
  /** Writes carry one; the same key returns the first result instead of writing twice. */
  readonly idempotencyKey?: string;
}

export interface ConnectorCapabilities {
  readonly conversations: boolean;
  readonly customers: boolean;
  readonly customerMerge: boolean;
  readonly tickets: boolean;
  readonly knowledge: boolean;
  readonly telephony: boolean;
  readonly workOffers: boolean;
  /** Prepared answers for the composer's `/` shortcut (`listCannedReplies`). */
  readonly cannedReplies: boolean;
  /** The channels this backend can carry. */
  readonly channels: readonly Channel[];
}

export type ConnectionState = 'disconnected' | 'connecting' | 'connected' | 'reconnecting';

export interface Session {
  readonly agent: Agent;
}

export interface Page<T> {
  readonly items: readonly T[];
  /** Pass it back to get the next page; null on the last page. */
  readonly nextCursor: string | null;
}

export type ConversationScope = 'mine' | 'queue' | 'all';

export interface ConversationQuery {
  readonly cursor?: string | null;
  /** 1–200; connectors default to 50. */
  readonly limit?: number;
  readonly channels?: readonly Channel[];
  readonly statuses?: readonly ConversationStatus[];
  readonly scope?: ConversationScope;
  readonly customerId?: string;
  /** Matches the customer name, subject and last message preview, case-insensitively. */
  readonly text?: string;
}

export interface MessageQuery {
  /** Pages go from the newest backwards; the cursor points before the oldest message already held. */
  readonly cursor?: string | null;
  readonly limit?: number;
}

export interface OutgoingMessage {
  readonly conversationId: string;
  readonly text: string;
  /** Internal notes are visible to agents only. */
  readonly internal?: boolean;
  readonly attachments?: readonly Attachment[];
  readonly email?: { readonly subject: string; readonly to: readonly string[]; readonly cc: readonly string[] };
}

export type AssignTarget = { readonly kind: 'agent'; readonly agentId: string } | { readonly kind: 'queue'; readonly queueId: string };

export interface CustomerPatch {
  readonly tags?: readonly string[];
  readonly notes?: string;
}

export interface TicketDraft {
  readonly customerId: string;
  readonly subject: string;
  readonly description: string;
  readonly type?: TicketType;
  readonly priority?: Priority;
  readonly sourceChannel?: Channel | null;
  readonly conversationIds?: readonly string[];
  readonly assigneeId?: string | null;
  readonly groupId?: string | null;
  readonly dueAt?: number | null;
}

export interface TicketPatch {
  /** The version the edit was based on; a stale one is a conflict. */
  readonly baseVersion: number;
  readonly subject?: string;
  readonly description?: string;
  readonly type?: TicketType;
  readonly priority?: Priority;
  readonly status?: TicketStatus;
  readonly assigneeId?: string | null;
  readonly groupId?: string | null;
  readonly dueAt?: number | null;
}

export interface TicketCommentDraft {
  readonly body: string;
  readonly internal: boolean;
}

export interface KnowledgeQuery {
  readonly text: string;
  /** Articles in this locale rank first. */
  readonly locale?: string;
  readonly limit?: number;
}

export interface Snapshot {
  readonly agent: Agent;
  /** The first page of the agent's working set (mine and queue), newest first. */
  readonly conversations: readonly Conversation[];
  readonly offers: readonly WorkOffer[];
  /** The customers of those conversations and offers, so the desk can show names without a request per row. */
  readonly customers: readonly Customer[];
  /** The last sequence number of every stream at the time of the snapshot. */
  readonly sequences: Readonly<Record<string, number>>;
}

/** Fields common to every pushed event. */
interface EventBase {
  /** Which ordered stream it belongs to, e.g. `agent:a-1`. */
  readonly stream: string;
  /** 1 for the first event of a stream, then +1 per event. */
  readonly seq: number;
  readonly at: number;
}

export type ConnectorEvent =
  | (EventBase & { readonly type: 'agent.updated'; readonly agent: Agent })
  | (EventBase & { readonly type: 'conversation.upserted'; readonly conversation: Conversation })
  | (EventBase & { readonly type: 'conversation.removed'; readonly conversationId: string })
  | (EventBase & { readonly type: 'message.added'; readonly message: Message })
  | (EventBase & { readonly type: 'message.updated'; readonly message: Message })
  | (EventBase & { readonly type: 'offer.created'; readonly offer: WorkOffer })
  | (EventBase & { readonly type: 'offer.revoked'; readonly offerId: string; readonly reason: 'expired' | 'taken' | 'declined' | 'accepted' })
  | (EventBase & { readonly type: 'customer.updated'; readonly customer: Customer })
  | (EventBase & { readonly type: 'customer.merged'; readonly targetId: string; readonly sourceId: string })
  | (EventBase & { readonly type: 'ticket.upserted'; readonly ticket: Ticket })
  | (EventBase & { readonly type: 'ticket.commented'; readonly ticketId: string; readonly comment: TicketComment });

export type ConnectorEventType = ConnectorEvent['type'];
