import { BehaviorSubject, Observable, Subject, distinctUntilChanged, filter, map } from 'rxjs';
import { browserTimers, type Timers } from '../connector/http/event-channel.js';
import { TabRequestError, type TabCoordinator, type TabMessage } from './tabs.js';

export interface TabCoordinatorOptions {
  /** One leader per name among the tabs of this origin, e.g. `cc-workspace:<agent id>`. */
  readonly name: string;
  /**
   * The Web Locks manager; default `navigator.locks`. `null` (or a browser without Web Locks) elects the leader
   * over the BroadcastChannel instead: heartbeats, and the lowest tab id among the claimants when none is heard.
   */
  readonly locks?: LockManager | null;
  /** Default: the global `BroadcastChannel`. */
  readonly BroadcastChannel?: typeof BroadcastChannel;
  /** Default: the browser's timers. */
  readonly timers?: Timers;
  /** Without Web Locks: how often the leader says it is alive. Default 500 ms. */
  readonly heartbeatMs?: number;
  /** Without Web Locks: silence after which the leader counts as gone and the others elect a new one. Default 1500 ms. */
  readonly leaderTimeoutMs?: number;
  /** Without Web Locks: how long a claimant waits for a leader or a lower claimant to speak up. Default 250 ms. */
  readonly claimWindowMs?: number;
  /** Default: a random id. */
  readonly tabId?: string;
}

export const DEFAULT_HEARTBEAT_MS = 500;
export const DEFAULT_LEADER_TIMEOUT_MS = 1500;
export const DEFAULT_CLAIM_WINDOW_MS = 250;
export const DEFAULT_REQUEST_TIMEOUT_MS = 5000;

/** What travels on the channel. Every envelope names its sender; responses name their requester. */
type Envelope =
  | { readonly kind: 'message'; readonly from: string; readonly topic: string; readonly body: unknown }
  | { readonly kind: 'request'; readonly from: string; readonly id: number; readonly topic: string; readonly body: unknown }
  | { readonly kind: 'response'; readonly from: string; readonly to: string; readonly id: number; readonly value: unknown }
  | { readonly kind: 'failure'; readonly from: string; readonly to: string; readonly id: number; readonly error: RemoteError }
  // The election without Web Locks.
  | { readonly kind: 'heartbeat'; readonly from: string }
  | { readonly kind: 'claim'; readonly from: string }
  | { readonly kind: 'leaving'; readonly from: string };

interface RemoteError {
  readonly name: string;
  readonly message: string;
  readonly code: string | null;
}

interface PendingRequest {
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: TabRequestError) => void;
  readonly timer: unknown;
}

type Handler = (body: unknown, fromTabId: string) => unknown;

const isEnvelope = (data: unknown): data is Envelope =>
  typeof data === 'object' && data !== null && typeof (data as { kind?: unknown }).kind === 'string' && typeof (data as { from?: unknown }).from === 'string';

function randomTabId(): string {
  return typeof crypto.randomUUID === 'function' ? crypto.randomUUID() : `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
}

function remoteError(error: unknown): RemoteError {
  if (error instanceof Error) {
    // The leader's own "no handler" answer carries its code as remoteCode.
    const code = error instanceof TabRequestError ? error.remoteCode : (error as { code?: unknown }).code;
    return { name: error.name, message: error.message, code: typeof code === 'string' ? code : null };
  }
  return { name: 'Error', message: String(error), code: null };
}

/**
 * The tabs of one agent on one origin, coordinated: see {@link TabCoordinator}. The leader holds a Web Lock named
 * after `name` for as long as it lives, so when it closes or crashes the browser hands the lock to a waiting tab at
 * once. Without Web Locks the leader sends heartbeats over the BroadcastChannel; when they stop for
 * `leaderTimeoutMs`, the other tabs claim and the lowest tab id among the claimants leads.
 */
export function createTabCoordinator(options: TabCoordinatorOptions): TabCoordinator {
  return new BroadcastTabCoordinator(options);
}

class BroadcastTabCoordinator implements TabCoordinator {
  readonly tabId: string;
  readonly isLeader$: Observable<boolean>;

  readonly #leader = new BehaviorSubject(false);
  readonly #incoming = new Subject<TabMessage<unknown>>();
  readonly #channel: BroadcastChannel;
  readonly #timers: Timers;
  readonly #handlers = new Map<string, Handler>();
  readonly #pending = new Map<number, PendingRequest>();
  #nextRequestId = 1;
  #closed = false;
  /** Web Locks: aborts the lock request of a tab still waiting; releases the lock of the leader. */
  readonly #lockAbort = new AbortController();
  #releaseLock: () => void = () => undefined;
  // The election without Web Locks.
  readonly #fallback: { readonly heartbeatMs: number; readonly leaderTimeoutMs: number; readonly claimWindowMs: number } | null;
  #heartbeatTimer: unknown = undefined;
  #silenceTimer: unknown = undefined;
  #claimTimer: unknown = undefined;

  constructor(options: TabCoordinatorOptions) {
    if (typeof options?.name !== 'string' || options.name === '') throw new TypeError('createTabCoordinator: a name is required, e.g. "cc-workspace:<agent id>".');
    this.tabId = options.tabId ?? randomTabId();
    this.#timers = options.timers ?? browserTimers;
    const Channel = options.BroadcastChannel ?? globalThis.BroadcastChannel;
    this.#channel = new Channel(`cc-tabs:${options.name}`);
    this.#channel.onmessage = (event: MessageEvent) => this.#receive(event.data);
    this.isLeader$ = this.#leader.pipe(distinctUntilChanged());
    const locks = options.locks === undefined ? (globalThis.navigator?.locks ?? null) : options.locks;
    if (locks) {
      this.#fallback = null;
      this.#requestLock(locks, `cc-tabs:${options.name}`);
    } else {
      this.#fallback = {
        heartbeatMs: options.heartbeatMs ?? DEFAULT_HEARTBEAT_MS,
        leaderTimeoutMs: options.leaderTimeoutMs ?? DEFAULT_LEADER_TIMEOUT_MS,
        claimWindowMs: options.claimWindowMs ?? DEFAULT_CLAIM_WINDOW_MS,
      };
      this.#claim();
    }
  }

  get isLeader(): boolean {
    return this.#leader.value;
  }

  messages<T>(topic: string): Observable<TabMessage<T>> {
    return this.#incoming.pipe(
      filter((message) => message.topic === topic),
      map((message) => message as TabMessage<T>),
    );
  }

  post<T>(topic: string, body: T): void {
    if (this.#closed) return;
    this.#send({ kind: 'message', from: this.tabId, topic, body });
  }

  request<Q, R>(topic: string, body: Q, options: { readonly timeoutMs?: number } = {}): Promise<R> {
    if (this.#closed) return Promise.reject(new TabRequestError('closed', `The tab coordinator is closed; "${topic}" was not sent.`));
    if (this.isLeader) return this.#answerHere(topic, body, this.tabId) as Promise<R>;
    const id = this.#nextRequestId++;
    const timeoutMs = options.timeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
    return new Promise<R>((resolve, reject) => {
      const timer = this.#timers.setTimeout(() => {
        this.#pending.delete(id);
        reject(new TabRequestError('no-leader', `No leader tab answered "${topic}" within ${timeoutMs} ms.`));
      }, timeoutMs);
      this.#pending.set(id, { resolve: (value) => resolve(value as R), reject, timer });
      this.#send({ kind: 'request', from: this.tabId, id, topic, body });
    });
  }

  handle<Q, R>(topic: string, handler: (body: Q, fromTabId: string) => R | Promise<R>): () => void {
    const entry: Handler = (body, from) => handler(body as Q, from);
    this.#handlers.set(topic, entry);
    return () => {
      if (this.#handlers.get(topic) === entry) this.#handlers.delete(topic);
    };
  }

  close(): void {
    if (this.#closed) return;
    if (this.#fallback && this.isLeader) this.#send({ kind: 'leaving', from: this.tabId });
    this.#closed = true;
    for (const timer of [this.#heartbeatTimer, this.#silenceTimer, this.#claimTimer]) if (timer !== undefined) this.#timers.clearTimeout(timer);
    this.#releaseLock();
    this.#lockAbort.abort();
    for (const [id, pending] of this.#pending) {
      this.#pending.delete(id);
      this.#timers.clearTimeout(pending.timer);
      pending.reject(new TabRequestError('closed', 'The tab coordinator closed before the leader answered.'));
    }
    this.#handlers.clear();
    this.#channel.onmessage = null;
    this.#channel.close();
    this.#leader.next(false);
    this.#leader.complete();
    this.#incoming.complete();
  }

  // -------------------------------------------------------------------------------------------------------

  #send(envelope: Envelope): void {
    this.#channel.postMessage(envelope);
  }

  #receive(data: unknown): void {
    if (this.#closed || !isEnvelope(data) || data.from === this.tabId) return;
    switch (data.kind) {
      case 'message':
        this.#incoming.next({ topic: data.topic, fromTabId: data.from, body: data.body });
        return;
      case 'request':
        if (this.isLeader) void this.#answer(data);
        return;
      case 'response':
      case 'failure': {
        if (data.to !== this.tabId) return;
        const pending = this.#pending.get(data.id);
        if (!pending) return;
        this.#pending.delete(data.id);
        this.#timers.clearTimeout(pending.timer);
        if (data.kind === 'response') pending.resolve(data.value);
        else pending.reject(new TabRequestError('remote', data.error.message, { name: data.error.name, code: data.error.code }));
        return;
      }
      case 'heartbeat':
        this.#heardLeader(data.from);
        return;
      case 'claim':
        // A claimant backs off when it hears the leader, or a lower claimant; a claimant that opened later, and so
        // missed this one's claim, is told it again.
        if (this.#fallback && this.isLeader) this.#send({ kind: 'heartbeat', from: this.tabId });
        else if (this.#claimTimer !== undefined && data.from < this.tabId) this.#backOff();
        else if (this.#claimTimer !== undefined) this.#send({ kind: 'claim', from: this.tabId });
        return;
      case 'leaving':
        if (this.#fallback && !this.isLeader) this.#claim();
        return;
    }
  }

  /** A request for this tab as leader: the handler's value, or the error it threw (a missing handler is one too). */
  #answerHere(topic: string, body: unknown, from: string): Promise<unknown> {
    const handler = this.#handlers.get(topic);
    if (!handler) return Promise.reject(new TabRequestError('remote', `The leader tab has no handler for "${topic}".`, { name: 'TabRequestError', code: 'no-handler' }));
    try {
      return Promise.resolve(handler(body, from));
    } catch (error: unknown) {
      return Promise.reject(error);
    }
  }

  async #answer(request: Extract<Envelope, { kind: 'request' }>): Promise<void> {
    const reply = { from: this.tabId, to: request.from, id: request.id };
    let value: unknown;
    try {
      value = await this.#answerHere(request.topic, request.body, request.from);
    } catch (error: unknown) {
      if (!this.#closed) this.#send({ kind: 'failure', ...reply, error: remoteError(error) });
      return;
    }
    if (this.#closed) return;
    try {
      this.#send({ kind: 'response', ...reply, value });
    } catch (error: unknown) {
      // The value cannot be cloned (a DataCloneError): the requester hears why instead of waiting for the timeout.
      this.#send({ kind: 'failure', ...reply, error: remoteError(error) });
    }
  }

  // -------------------------------------------------------------------------------------------------------
  // Web Locks: the lock is held as long as this tab leads; the browser releases it when the tab goes.

  #requestLock(locks: LockManager, lockName: string): void {
    locks
      .request(lockName, { signal: this.#lockAbort.signal }, () => {
        if (this.#closed) return undefined;
        this.#leader.next(true);
        return new Promise<void>((resolve) => {
          this.#releaseLock = resolve;
        });
      })
      .catch(() => {
        // Aborted by close() while still waiting for the lock: nothing to give up.
      });
  }

  // -------------------------------------------------------------------------------------------------------
  // Without Web Locks: heartbeats, and claims when they stop.

  #claim(): void {
    const fallback = this.#fallback;
    if (!fallback || this.#closed || this.isLeader) return;
    this.#clearSilence();
    if (this.#claimTimer !== undefined) return;
    this.#send({ kind: 'claim', from: this.tabId });
    this.#claimTimer = this.#timers.setTimeout(() => {
      this.#claimTimer = undefined;
      this.#lead();
    }, fallback.claimWindowMs);
  }

  /** A leader or a lower claimant spoke: wait for the leader's heartbeats, and claim again if they stop. */
  #backOff(): void {
    if (this.#claimTimer !== undefined) this.#timers.clearTimeout(this.#claimTimer);
    this.#claimTimer = undefined;
    this.#watchSilence();
  }

  #lead(): void {
    const fallback = this.#fallback;
    if (!fallback || this.#closed) return;
    this.#clearSilence();
    this.#leader.next(true);
    const beat = (): void => {
      if (this.#closed || !this.isLeader) return;
      this.#send({ kind: 'heartbeat', from: this.tabId });
      this.#heartbeatTimer = this.#timers.setTimeout(beat, fallback.heartbeatMs);
    };
    beat();
  }

  #heardLeader(leaderId: string): void {
    if (!this.#fallback) return;
    if (this.isLeader) {
      // Two leaders (they claimed at once, or one was only slow): the lower id keeps it.
      if (leaderId < this.tabId) this.#stepDown();
      return;
    }
    this.#backOff();
  }

  #stepDown(): void {
    if (this.#heartbeatTimer !== undefined) this.#timers.clearTimeout(this.#heartbeatTimer);
    this.#heartbeatTimer = undefined;
    this.#leader.next(false);
    this.#watchSilence();
  }

  #watchSilence(): void {
    const fallback = this.#fallback;
    if (!fallback || this.#closed) return;
    this.#clearSilence();
    this.#silenceTimer = this.#timers.setTimeout(() => {
      this.#silenceTimer = undefined;
      this.#claim();
    }, fallback.leaderTimeoutMs);
  }

  #clearSilence(): void {
    if (this.#silenceTimer !== undefined) this.#timers.clearTimeout(this.#silenceTimer);
    this.#silenceTimer = undefined;
  }
}
