import type { Observable } from 'rxjs';

/**
 * Coordination between the tabs one agent has open on the same origin.
 *
 * One tab is elected leader per `name` (Web Locks; a BroadcastChannel heartbeat election where Web Locks are
 * missing). The leader holds what must exist once per agent: the SIP registration, the event socket, the outbox
 * flush. The others follow: they receive what the leader posts and send it requests.
 */
export interface TabCoordinator {
  /** Unique per tab and per coordinator. */
  readonly tabId: string;
  readonly isLeader: boolean;
  /** Emits the current value on subscribe, then every change. */
  readonly isLeader$: Observable<boolean>;

  /** Messages other tabs posted on `topic` (never this tab's own). */
  messages<T>(topic: string): Observable<TabMessage<T>>;
  /** Posts to every other tab. `body` must be structured-cloneable. */
  post<T>(topic: string, body: T): void;

  /**
   * Asks the leader. Rejects with a `TabRequestError` when no leader answers within `timeoutMs` (default 5000),
   * or with the error the leader's handler threw (its `name` and `message` kept). In the leader tab it calls the
   * local handler directly.
   */
  request<Q, R>(topic: string, body: Q, options?: { readonly timeoutMs?: number }): Promise<R>;
  /**
   * Answers requests on `topic` while this tab leads (a follower never answers). Returns the function that
   * removes the handler.
   */
  handle<Q, R>(topic: string, handler: (body: Q, fromTabId: string) => R | Promise<R>): () => void;

  /** Gives up leadership (another tab takes over) and stops listening. Safe to call twice. */
  close(): void;
}

export interface TabMessage<T> {
  readonly topic: string;
  readonly fromTabId: string;
  readonly body: T;
}

export class TabRequestError extends Error {
  override readonly name = 'TabRequestError';
  /** `no-leader`: nobody answered in time. `remote`: the leader's handler failed. `closed`: this coordinator closed. */
  readonly reason: 'no-leader' | 'remote' | 'closed';
  /** The `name` of the error the leader's handler threw, e.g. `TelephonyError`, when `reason` is `remote`. */
  readonly remoteName: string | null;
  /** The `code` of that error when it had one. */
  readonly remoteCode: string | null;

  constructor(reason: TabRequestError['reason'], message: string, remote?: { name: string; code: string | null }) {
    super(message);
    this.reason = reason;
    this.remoteName = remote?.name ?? null;
    this.remoteCode = remote?.code ?? null;
  }
}
