/**
 * The engine of the reference server: a MemoryConnector (the same validation, workflow, paging, merge,
 * search, offers and traffic simulator as the in-browser backend) with the {@link Store} around it.
 *
 * Rules:
 * - Every command, read or write, runs alone ({@link Backend.exclusive}), so writes apply one at a time in the
 *   order they arrived and a read never sees a change that is not on disk yet.
 * - A write commits the events it caused, its idempotency record and its article vote in one transaction, and
 *   the file is written, before the answer is returned. Events then go out to the sockets; nothing leaves the
 *   process before it is on disk.
 * - Events the engine emits on its own (delivery receipts, offer expiry, simulated traffic) are committed the
 *   same way right after they happen.
 */
import { createHash } from 'node:crypto';
import type { ConnectorEvent } from '../../src/connector/connector.js';
import { ConnectorError } from '../../src/connector/errors.js';
import { MemoryConnector } from '../../src/connector/memory/memory-connector.js';
import { PERMISSIONS, type Permission } from '../../src/connector/model.js';
import type { ResolvedSeed } from '../../src/connector/memory/seed.js';
import { Store } from './store.js';
import type { ArticleVote, StoredState } from './store.js';

/** An HTTP answer: a status and its JSON text (null when there is no body). */
export interface Answer {
  readonly status: number;
  readonly json: string | null;
}

export interface BackendOptions {
  readonly dbPath: string;
  /** Builds the data of a new database (the seed); not called when the database exists. */
  readonly createSeed: () => ResolvedSeed;
  /** Simulated inbound traffic in events per minute; null for none. */
  readonly trafficPerMinute: number | null;
  readonly eventRetention: number;
  /** Keep this many work offers open for the agent (on queued conversations), as a routing engine would; 0 for none. */
  readonly offers: number;
  readonly fsync: boolean;
  readonly log: (line: string) => void;
  /** Called when the database cannot be written: the process must stop, memory is ahead of the disk. */
  readonly onFatal: (error: unknown) => void;
}

/** What a write command did, for the idempotency record and the vote table. */
export interface WriteResult {
  readonly status: 200 | 204;
  readonly body?: unknown;
  readonly votes?: readonly ArticleVote[];
  /**
   * False for an answer that carries a clear value (a revealed identity): only its status is kept under the key,
   * never the value, and a replay runs the command again, as its caller, with its checks and its audit line.
   */
  readonly keepBody?: false;
}

/** How long an offer made for `--offers` stays open. */
const STANDING_OFFER_TTL_MS = 10 * 60_000;

/** Idempotency records are kept this long (the protocol asks for at least 24 hours). */
const KEY_RETENTION_MS = 48 * 3_600_000;

export function errorAnswer(status: number, code: string, message: string, field?: string | null): Answer {
  return { status, json: JSON.stringify({ error: { code, message, ...(field ? { field } : {}) } }) };
}

const STATUS_OF: Readonly<Record<ConnectorError['code'], number>> = {
  invalid: 400,
  forbidden: 403,
  'not-found': 404,
  conflict: 409,
  unavailable: 503,
  aborted: 503,
};

/** A command's failure as the protocol's error body. */
export function toErrorAnswer(error: unknown): Answer {
  if (error instanceof ConnectorError || (error instanceof Error && error.name === 'ConnectorError')) {
    const typed = error as ConnectorError;
    const status = STATUS_OF[typed.code] ?? 500;
    return errorAnswer(status, status >= 500 ? 'unavailable' : typed.code, typed.message, typed.field);
  }
  const detail = error instanceof Error ? error.message : String(error);
  return errorAnswer(500, 'unavailable', `The server failed: ${detail}`);
}

/** JSON with sorted keys, so equal requests have equal fingerprints whatever their key order or spacing. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((item) => canonicalJson(item ?? null)).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

export function fingerprintOf(method: string, path: string, body: unknown): string {
  return createHash('sha256').update(`${method} ${path}\n${canonicalJson(body)}`).digest('base64url');
}

export class Backend {
  readonly engine: MemoryConnector;
  readonly store: Store;
  /** Receives committed events, in order; the socket hub sets it. */
  onCommitted: (events: readonly ConnectorEvent[]) => void = () => {};

  private readonly options: BackendOptions;
  private pending: ConnectorEvent[] = [];
  private tail: Promise<unknown> = Promise.resolve();
  private busy = false;
  private flushQueued = false;
  private topUpQueued = false;
  private failed = false;
  private closing = false;
  private pruneTimer: ReturnType<typeof setInterval> | null = null;

  /** The seed agent's role: what a token without a role of its own signs in with. */
  readonly agentRole: string | null;

  private constructor(engine: MemoryConnector, store: Store, options: BackendOptions, agentRole: string | null) {
    this.engine = engine;
    this.store = store;
    this.options = options;
    this.agentRole = agentRole;
  }

  /**
   * The permissions of a role of the seed (the agent's own for null); null when the agent has no role and may do
   * everything. Throws for a role the seed does not define.
   */
  permissionsOf(role: string | null): readonly Permission[] | null {
    const name = role ?? this.agentRole;
    if (name === null) return null;
    const permissions = this.engine.permissionsOfRole(name);
    if (!permissions) throw new Error(`The role ${JSON.stringify(name)} is not one of the seed's roles.`);
    return permissions;
  }

  static async open(options: BackendOptions): Promise<Backend> {
    const { store, created } = await Store.open(options.dbPath, options.createSeed, { retention: options.eventRetention, fsync: options.fsync });
    try {
      if (!created) reconcileAfterRestart(store, options.log);
      const state = store.readState();
      const engine = new MemoryConnector({
        seed: state.seed,
        initialSequences: state.sequences,
        // The engine sees everything; each request and each socket gets what its token's role may see (http.ts, events.ts).
        permissions: PERMISSIONS,
        traffic: options.trafficPerMinute ? { ratePerMinute: options.trafficPerMinute } : false,
      });
      const backend = new Backend(engine, store, options, state.seed.agent?.role ?? null);
      engine.events$.subscribe((event) => backend.collect(event));
      await engine.connect();
      await backend.restoreVotes(state);
      await backend.exclusive(() => backend.topUpOffers());
      backend.exclusive(() => backend.store.commit({ forgetKeysBefore: Date.now() - KEY_RETENTION_MS })).catch(options.onFatal);
      backend.pruneTimer = setInterval(() => {
        void backend.exclusive(() => backend.store.commit({ forgetKeysBefore: Date.now() - KEY_RETENTION_MS })).catch(options.onFatal);
      }, 3_600_000);
      backend.pruneTimer.unref();
      const counts = store.counts();
      options.log(
        `${created ? 'Created' : 'Opened'} ${options.dbPath}: ${counts.conversations} conversations, ${counts.messages} messages, ` +
          `${counts.customers} customers, ${counts.tickets} tickets; sequences ${JSON.stringify(store.sequences())}`,
      );
      return backend;
    } catch (error) {
      store.close();
      throw error;
    }
  }

  /**
   * Runs `work` alone: after every command that came before it, and before any that comes after. Each command
   * waits for a turn of the event loop first, so a long queue never starves signals, timers, pings or new requests.
   */
  exclusive<T>(work: () => T | Promise<T>): Promise<T> {
    const run = this.tail.then(async () => {
      await new Promise<void>((resolve) => setImmediate(resolve));
      this.busy = true;
      try {
        // Events the engine emitted on its own since the last command are committed before this one looks.
        if (this.pending.length > 0) this.flush();
        return await work();
      } finally {
        this.busy = false;
        // Events a command caused but did not commit itself (there should be none) are committed now.
        if (this.pending.length > 0) this.flush();
      }
    });
    this.tail = run.catch(() => undefined);
    return run;
  }

  /** A read: runs alone; failures become error answers. */
  read(work: (engine: MemoryConnector) => Promise<unknown>): Promise<Answer> {
    return this.exclusive(async () => {
      const stopped = this.stoppedAnswer();
      if (stopped) return stopped;
      try {
        return { status: 200, json: JSON.stringify(await work(this.engine)) ?? 'null' };
      } catch (error) {
        return toErrorAnswer(error);
      }
    });
  }

  /**
   * A write under an idempotency key: the same key and fingerprint answer the first answer again without
   * running anything; the same key with another fingerprint is a conflict. The first answer (success or a
   * 4xx refusal) is stored with the write's effects; a 5xx is not, so a retry can still succeed.
   */
  write(
    key: string,
    fingerprint: string,
    label: string,
    work: (engine: MemoryConnector) => Promise<WriteResult>,
    caller = '',
  ): Promise<Answer> {
    return this.exclusive(async () => {
      const stopped = this.stoppedAnswer();
      if (stopped) return stopped;
      // Keys are the caller's own: another token's request under the same key is a request of its own, and never
      // gets this caller's answer (which may hold values its role may not see).
      const storedKey = caller === '' ? key : `${caller}\u0000${key}`;
      const first = this.store.idempotency(storedKey);
      if (first && !(first.status === 200 && first.body === null)) {
        if (first.fingerprint !== fingerprint) {
          return errorAnswer(
            409,
            'conflict',
            `The idempotency key "${key}" was already used for a different request; ${label} needs a new key.`,
          );
        }
        return { status: first.status, json: first.body };
      }
      if (first && first.fingerprint !== fingerprint) {
        return errorAnswer(409, 'conflict', `The idempotency key "${key}" was already used for a different request; ${label} needs a new key.`);
      }
      let answer: Answer;
      let votes: readonly ArticleVote[] = [];
      let keepBody = true;
      try {
        const result = await work(this.engine);
        answer = { status: result.status, json: result.status === 204 ? null : (JSON.stringify(result.body) ?? 'null') };
        votes = result.votes ?? [];
        keepBody = result.keepBody !== false;
      } catch (error) {
        answer = toErrorAnswer(error);
      }
      const events = this.takePending();
      // A status 200 kept without its body marks an answer that is run again on replay (see WriteResult.keepBody).
      const remember = answer.status < 500 && first === null;
      try {
        this.store.commit({
          events,
          votes,
          idempotency: remember
            ? { key: storedKey, fingerprint, status: answer.status, body: keepBody ? answer.json : null, createdAt: Date.now() }
            : null,
        });
      } catch (error) {
        this.fail(error);
        return errorAnswer(503, 'unavailable', 'The server could not save the change; it is restarting. Retry with the same key.');
      }
      this.afterCommit(events);
      return answer;
    });
  }

  /** Commits what is pending and stops the engine (traffic, timers). */
  async close(): Promise<void> {
    if (this.pruneTimer) clearInterval(this.pruneTimer);
    // The command running now finishes; those still queued are refused with 503 (a client retries them later).
    this.closing = true;
    await this.exclusive(async () => {
      await this.engine.disconnect();
    });
    await this.exclusive(() => undefined);
    this.store.close();
  }

  private stoppedAnswer(): Answer | null {
    if (this.failed) return errorAnswer(503, 'unavailable', 'The server is stopping after a storage failure.');
    if (this.closing) return errorAnswer(503, 'unavailable', 'The server is stopping; try again in a moment.');
    return null;
  }

  // -------------------------------------------------------------------------------------------------------

  private collect(event: ConnectorEvent): void {
    this.pending.push(event);
    if (this.busy || this.flushQueued) return;
    // An event the engine emitted on its own (a timer): commit it soon. Every command commits what is pending
    // before it looks at the engine, so nothing uncommitted is ever read or answered meanwhile.
    this.flushQueued = true;
    void this.exclusive(() => {
      this.flushQueued = false;
    });
  }

  private flush(): void {
    const events = this.takePending();
    if (events.length === 0 || this.failed || this.store.isClosed) return;
    try {
      this.store.commit({ events });
    } catch (error) {
      this.fail(error);
      return;
    }
    this.afterCommit(events);
  }

  private afterCommit(events: readonly ConnectorEvent[]): void {
    this.onCommitted(events);
    if (this.options.offers > 0 && !this.topUpQueued && events.some((event) => event.type === 'offer.revoked')) {
      this.topUpQueued = true;
      setImmediate(() => {
        this.topUpQueued = false;
        void this.exclusive(() => this.topUpOffers());
      });
    }
  }

  /** With `--offers n`: offers queued, unassigned conversations to the agent until n offers are open. */
  private topUpOffers(): void {
    if (this.options.offers <= 0 || this.closing || this.failed || this.engine.state !== 'connected') return;
    const open = this.store.openOffers();
    const offered = new Set(open.map((offer) => offer.conversationId));
    const candidates = this.store.queuedConversationIds().filter((id) => !offered.has(id));
    for (const conversationId of candidates.slice(0, Math.max(0, this.options.offers - open.length - this.pendingOffers()))) {
      this.engine.simulateOffer(conversationId, STANDING_OFFER_TTL_MS);
    }
  }

  /** Offers created or revoked but not committed yet, as a net count. */
  private pendingOffers(): number {
    let count = 0;
    for (const event of this.pending) {
      if (event.type === 'offer.created') count += 1;
      if (event.type === 'offer.revoked') count -= 1;
    }
    return count;
  }

  private takePending(): ConnectorEvent[] {
    const events = this.pending;
    this.pending = [];
    return events;
  }

  private fail(error: unknown): void {
    if (this.failed) return;
    this.failed = true;
    this.options.onFatal(error);
  }

  private async restoreVotes(state: StoredState): Promise<void> {
    const agentId = (await this.engine.getAgent()).id;
    for (const vote of state.votes) {
      // rateArticle records the signed-in agent's vote and emits nothing, so replaying it writes nothing new.
      if (vote.agentId === agentId) await this.engine.rateArticle(vote.articleId, vote.helpful).catch(() => undefined);
    }
  }
}

/**
 * What a restart changes, written as events before the engine starts so clients hear of it:
 * - open work offers are withdrawn (`offer.revoked`, reason `expired`): their expiry timers died with the process;
 * - messages the agent sent that were waiting for their delivery receipt are reported `delivered`.
 */
function reconcileAfterRestart(store: Store, log: (line: string) => void): void {
  const state = store.readState();
  const now = Date.now();
  const events: ConnectorEvent[] = [];
  // The MemoryConnector's streams: offers are on `agent`, messages on `conversations`.
  let agentSeq = store.lastSequence('agent');
  let conversationSeq = store.lastSequence('conversations');
  for (const offer of state.offers) {
    events.push({ type: 'offer.revoked', offerId: offer.id, reason: 'expired', stream: 'agent', seq: (agentSeq += 1), at: now });
  }
  for (const message of state.undelivered) {
    if (message.clientKey === null) continue;
    events.push({ type: 'message.updated', message: { ...message, delivery: 'delivered' }, stream: 'conversations', seq: (conversationSeq += 1), at: now });
  }
  if (events.length === 0) return;
  store.commit({ events });
  log(`Restart: withdrew ${state.offers.length} open offer(s) and confirmed delivery of ${events.length - state.offers.length} message(s).`);
}
