/**
 * A controllable in-memory `Connector` for store and component tests (in the spirit of SIP.js's
 * `transport-fake`): it records every command with its arguments and options, and leaves each one pending
 * until the test settles it, unless an automatic response was configured for that command.
 *
 * Aborting a command's signal rejects it with a `ConnectorError` whose code is `aborted`, as the contract says.
 */
import { BehaviorSubject, defer, Observable, Subject } from 'rxjs';
import type {
  CommandOptions,
  ConnectionState,
  Connector,
  ConnectorCapabilities,
  ConnectorEvent,
} from '../../src/connector/connector.js';
import { aborted } from '../../src/connector/errors.js';

/** The command methods of the contract (everything that returns a Promise). */
export type Commands = Required<Omit<Connector, 'capabilities' | 'state' | 'state$' | 'events$' | 'resync$' | 'resumesEvents'>>;
export type CommandName = keyof Commands;
export type CommandArgs<Name extends CommandName> = Parameters<Commands[Name]>;
export type CommandResult<Name extends CommandName> = Awaited<ReturnType<Commands[Name]>>;

/** Where each command takes its `CommandOptions`; `null` for `disconnect`, which takes none. */
const OPTIONS_INDEX: { readonly [Name in CommandName]: number | null } = {
  connect: 0,
  disconnect: null,
  snapshot: 0,
  getAgent: 0,
  setPresence: 1,
  setCapacity: 2,
  listQueues: 0,
  listAgents: 0,
  listConversations: 1,
  getConversation: 1,
  listMessages: 2,
  sendMessage: 1,
  markRead: 1,
  assignConversation: 2,
  setConversationStatus: 2,
  acceptOffer: 1,
  declineOffer: 1,
  getCustomer: 1,
  findCustomers: 1,
  updateCustomer: 2,
  listDuplicateCandidates: 1,
  mergeCustomers: 2,
  revealIdentity: 2,
  listCustomerConversations: 1,
  listTickets: 1,
  getTicket: 1,
  createTicket: 1,
  updateTicket: 2,
  commentTicket: 2,
  searchKnowledge: 1,
  getArticle: 1,
  rateArticle: 2,
  suggestArticles: 1,
  listCannedReplies: 0,
  getTelephonyConfig: 0,
  saveCallRecord: 1,
};

/** One recorded command call. */
export interface FakeCallOf<Name extends CommandName> {
  readonly name: Name;
  /** The arguments as passed, options included. */
  readonly args: CommandArgs<Name>;
  readonly options: CommandOptions | undefined;
  readonly signal: AbortSignal | undefined;
  readonly idempotencyKey: string | undefined;
  /** Settles the call; later settlements are ignored, like a promise's. */
  resolve(value: CommandResult<Name>): void;
  reject(error: unknown): void;
  /** True once resolved, rejected or aborted. */
  readonly settled: boolean;
  /** How it ended: `pending` until settled. */
  readonly outcome: 'pending' | 'resolved' | 'rejected' | 'aborted';
}

export type FakeCall = { [Name in CommandName]: FakeCallOf<Name> }[CommandName];

/**
 * An automatic answer to a command: return a value (or a promise of one) to resolve, throw to reject,
 * or return {@link PENDING} to leave that call for the test to settle.
 */
export type AutoResponse<Name extends CommandName> = (
  call: FakeCallOf<Name>,
) => CommandResult<Name> | Promise<CommandResult<Name>> | typeof PENDING;

export const PENDING: unique symbol = Symbol('pending');

export const ALL_CAPABILITIES: ConnectorCapabilities = {
  conversations: true,
  customers: true,
  customerMerge: true,
  tickets: true,
  knowledge: true,
  telephony: true,
  workOffers: true,
  cannedReplies: true,
  channels: ['phone', 'webchat', 'email', 'sms', 'wechat', 'douyin'],
};

export interface FakeConnectorOptions {
  readonly capabilities?: Partial<ConnectorCapabilities>;
  readonly state?: ConnectionState;
  /** Says the connector resumes its events after a drop (see `Connector.resumesEvents`). */
  readonly resumesEvents?: boolean;
}

interface Waiter {
  readonly name: CommandName;
  readonly index: number;
  readonly resolve: (call: FakeCall) => void;
}

type ResponderTable = { [Name in CommandName]?: AutoResponse<Name> };

export class FakeConnector implements Connector {
  readonly capabilities: ConnectorCapabilities;

  private readonly stateSubject: BehaviorSubject<ConnectionState>;
  private eventSubject = new Subject<ConnectorEvent>();
  private readonly recorded: FakeCall[] = [];
  private readonly responders: ResponderTable = {};
  private waiters: Waiter[] = [];
  private eventSubscriberCount = 0;
  private stateSubscriberCount = 0;

  readonly state$: Observable<ConnectionState>;
  readonly events$: Observable<ConnectorEvent>;
  /** Emit on it to say events were lost (see `Connector.resync$`). */
  readonly resync$ = new Subject<void>();
  readonly resumesEvents: boolean;

  constructor(options: FakeConnectorOptions = {}) {
    this.capabilities = { ...ALL_CAPABILITIES, ...options.capabilities };
    this.resumesEvents = options.resumesEvents ?? false;
    this.stateSubject = new BehaviorSubject<ConnectionState>(options.state ?? 'disconnected');
    this.state$ = this.counted(this.stateSubject, (delta) => (this.stateSubscriberCount += delta));
    // Each subscription reads the current subject, so a stream that failed can be subscribed to again.
    this.events$ = this.counted(defer(() => this.eventSubject), (delta) => (this.eventSubscriberCount += delta));
  }

  // ---- Test controls -------------------------------------------------------------------------------

  get state(): ConnectionState {
    return this.stateSubject.value;
  }

  /** Drives `state` and `state$`. */
  setState(state: ConnectionState): void {
    this.stateSubject.next(state);
  }

  /** Pushes a backend event on `events$`. */
  emit(...events: ConnectorEvent[]): void {
    for (const event of events) this.eventSubject.next(event);
  }

  /** Fails the event stream. */
  /** Fails the event stream for its current subscribers; a later subscription gets a working stream, as after a reconnect. */
  failEvents(error: unknown): void {
    const failed = this.eventSubject;
    this.eventSubject = new Subject<ConnectorEvent>();
    failed.error(error);
  }

  /** How many subscribers `events$` / `state$` have now, to check teardown. */
  get eventSubscribers(): number {
    return this.eventSubscriberCount;
  }
  get stateSubscribers(): number {
    return this.stateSubscriberCount;
  }

  /** Answers every later call of `name` automatically (see {@link AutoResponse}); `null` stops it. */
  respond<Name extends CommandName>(name: Name, response: AutoResponse<Name> | null): this {
    (this.responders as Record<CommandName, AutoResponse<Name> | undefined>)[name] = response ?? undefined;
    return this;
  }

  /** Every recorded call, in call order. */
  get allCalls(): readonly FakeCall[] {
    return this.recorded;
  }

  /** The recorded calls of one command, in call order. */
  calls<Name extends CommandName>(name: Name): FakeCallOf<Name>[] {
    return this.recorded.filter((call): call is FakeCallOf<Name> & FakeCall => call.name === name);
  }

  /** The last call of `name`; throws when there is none, so a test fails with a clear message. */
  lastCall<Name extends CommandName>(name: Name): FakeCallOf<Name> {
    const calls = this.calls(name);
    const last = calls[calls.length - 1];
    if (!last) throw new Error(`FakeConnector: ${name} was never called`);
    return last;
  }

  /**
   * Resolves with the `index`-th call of `name` (0-based; by default the next one not made yet), waiting for
   * it if needed; rejects after `timeoutMs`.
   */
  waitForCall<Name extends CommandName>(name: Name, index = this.calls(name).length, timeoutMs = 2000): Promise<FakeCallOf<Name>> {
    const existing = this.calls(name)[index];
    if (existing) return Promise.resolve(existing);
    return new Promise<FakeCallOf<Name>>((resolve, reject) => {
      const waiter: Waiter = {
        name,
        index,
        resolve: (call) => {
          clearTimeout(timer);
          resolve(call as FakeCallOf<Name>);
        },
      };
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((entry) => entry !== waiter);
        reject(new Error(`FakeConnector: ${name} call #${index + 1} did not happen within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiters.push(waiter);
    });
  }

  /** Commands still pending (not settled), optionally of one name. */
  pending(name?: CommandName): FakeCall[] {
    return this.recorded.filter((call) => !call.settled && (name === undefined || call.name === name));
  }

  // ---- Connector ---------------------------------------------------------------------------------

  connect(...args: CommandArgs<'connect'>) {
    return this.record('connect', args);
  }
  disconnect(...args: CommandArgs<'disconnect'>) {
    return this.record('disconnect', args);
  }
  snapshot(...args: CommandArgs<'snapshot'>) {
    return this.record('snapshot', args);
  }
  getAgent(...args: CommandArgs<'getAgent'>) {
    return this.record('getAgent', args);
  }
  setPresence(...args: CommandArgs<'setPresence'>) {
    return this.record('setPresence', args);
  }
  setCapacity(...args: CommandArgs<'setCapacity'>) {
    return this.record('setCapacity', args);
  }
  listQueues(...args: CommandArgs<'listQueues'>) {
    return this.record('listQueues', args);
  }
  listAgents(...args: CommandArgs<'listAgents'>) {
    return this.record('listAgents', args);
  }
  listConversations(...args: CommandArgs<'listConversations'>) {
    return this.record('listConversations', args);
  }
  getConversation(...args: CommandArgs<'getConversation'>) {
    return this.record('getConversation', args);
  }
  listMessages(...args: CommandArgs<'listMessages'>) {
    return this.record('listMessages', args);
  }
  sendMessage(...args: CommandArgs<'sendMessage'>) {
    return this.record('sendMessage', args);
  }
  markRead(...args: CommandArgs<'markRead'>) {
    return this.record('markRead', args);
  }
  assignConversation(...args: CommandArgs<'assignConversation'>) {
    return this.record('assignConversation', args);
  }
  setConversationStatus(...args: CommandArgs<'setConversationStatus'>) {
    return this.record('setConversationStatus', args);
  }
  acceptOffer(...args: CommandArgs<'acceptOffer'>) {
    return this.record('acceptOffer', args);
  }
  declineOffer(...args: CommandArgs<'declineOffer'>) {
    return this.record('declineOffer', args);
  }
  getCustomer(...args: CommandArgs<'getCustomer'>) {
    return this.record('getCustomer', args);
  }
  findCustomers(...args: CommandArgs<'findCustomers'>) {
    return this.record('findCustomers', args);
  }
  updateCustomer(...args: CommandArgs<'updateCustomer'>) {
    return this.record('updateCustomer', args);
  }
  listDuplicateCandidates(...args: CommandArgs<'listDuplicateCandidates'>) {
    return this.record('listDuplicateCandidates', args);
  }
  mergeCustomers(...args: CommandArgs<'mergeCustomers'>) {
    return this.record('mergeCustomers', args);
  }
  listCustomerConversations(...args: CommandArgs<'listCustomerConversations'>) {
    return this.record('listCustomerConversations', args);
  }
  listTickets(...args: CommandArgs<'listTickets'>) {
    return this.record('listTickets', args);
  }
  getTicket(...args: CommandArgs<'getTicket'>) {
    return this.record('getTicket', args);
  }
  createTicket(...args: CommandArgs<'createTicket'>) {
    return this.record('createTicket', args);
  }
  updateTicket(...args: CommandArgs<'updateTicket'>) {
    return this.record('updateTicket', args);
  }
  commentTicket(...args: CommandArgs<'commentTicket'>) {
    return this.record('commentTicket', args);
  }
  searchKnowledge(...args: CommandArgs<'searchKnowledge'>) {
    return this.record('searchKnowledge', args);
  }
  getArticle(...args: CommandArgs<'getArticle'>) {
    return this.record('getArticle', args);
  }
  rateArticle(...args: CommandArgs<'rateArticle'>) {
    return this.record('rateArticle', args);
  }
  suggestArticles(...args: CommandArgs<'suggestArticles'>) {
    return this.record('suggestArticles', args);
  }
  listCannedReplies(...args: CommandArgs<'listCannedReplies'>) {
    return this.record('listCannedReplies', args);
  }
  getTelephonyConfig(...args: CommandArgs<'getTelephonyConfig'>) {
    return this.record('getTelephonyConfig', args);
  }
  revealIdentity(...args: CommandArgs<'revealIdentity'>) {
    return this.record('revealIdentity', args);
  }
  saveCallRecord(...args: CommandArgs<'saveCallRecord'>) {
    return this.record('saveCallRecord', args);
  }

  // ---- Internals ---------------------------------------------------------------------------------

  private record<Name extends CommandName>(name: Name, args: CommandArgs<Name>): Promise<CommandResult<Name>> {
    const optionsIndex = OPTIONS_INDEX[name];
    const options = optionsIndex === null ? undefined : (args[optionsIndex] as CommandOptions | undefined);
    const signal = options?.signal;

    let settle!: { resolve: (value: CommandResult<Name>) => void; reject: (error: unknown) => void };
    const promise = new Promise<CommandResult<Name>>((resolve, reject) => {
      settle = { resolve, reject };
    });
    let outcome: FakeCallOf<Name>['outcome'] = 'pending';
    const finish = (next: 'resolved' | 'rejected' | 'aborted'): boolean => {
      if (outcome !== 'pending') return false;
      outcome = next;
      signal?.removeEventListener('abort', onAbort);
      return true;
    };
    const onAbort = (): void => {
      if (finish('aborted')) settle.reject(aborted());
    };
    const call: FakeCallOf<Name> = {
      name,
      args,
      options,
      signal,
      idempotencyKey: options?.idempotencyKey,
      resolve: (value) => {
        if (finish('resolved')) settle.resolve(value);
      },
      reject: (error) => {
        if (finish('rejected')) settle.reject(error);
      },
      get settled() {
        return outcome !== 'pending';
      },
      get outcome() {
        return outcome;
      },
    };
    this.recorded.push(call as FakeCall);
    if (signal?.aborted) onAbort();
    else signal?.addEventListener('abort', onAbort);

    this.answer(call);
    this.wake(name);
    return promise;
  }

  private answer<Name extends CommandName>(call: FakeCallOf<Name>): void {
    if (call.settled) return;
    const responder = this.responders[call.name] as AutoResponse<Name> | undefined;
    if (!responder) return;
    try {
      const response = responder(call);
      if (response === PENDING) return;
      Promise.resolve(response).then(call.resolve, call.reject);
    } catch (error: unknown) {
      call.reject(error);
    }
  }

  private wake(name: CommandName): void {
    const count = this.calls(name).length;
    const ready = this.waiters.filter((waiter) => waiter.name === name && waiter.index < count);
    if (ready.length === 0) return;
    this.waiters = this.waiters.filter((waiter) => !ready.includes(waiter));
    for (const waiter of ready) waiter.resolve(this.calls(name)[waiter.index] as FakeCall);
  }

  private counted<T>(source: Observable<T>, count: (delta: number) => void): Observable<T> {
    return new Observable<T>((subscriber) => {
      count(1);
      const subscription = source.subscribe(subscriber);
      return () => {
        count(-1);
        subscription.unsubscribe();
      };
    });
  }
}
