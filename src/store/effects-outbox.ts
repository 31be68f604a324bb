import { Observable, filter, firstValueFrom, switchMap, takeUntil } from 'rxjs';
import type { OutgoingMessage } from '../connector/connector.js';
import type { Message } from '../connector/model.js';
import type { DeskStorage } from '../storage/desk-storage.js';
import type { OutboxEntry } from '../storage/schema.js';
import type { Action } from './action.js';
import * as actions from './actions.js';
import { stopped, type Effect, type EffectDependencies } from './effect.js';
import { toErrorInfo } from './errors.js';
import { storageProblem } from './effects-storage.js';
import { TAB_TOPICS, sharedSocketTabs } from './effects-tabs.js';
import type { TabCoordinator } from '../tabs/tabs.js';

/** The first pause after the backend could not be reached; it doubles per attempt up to {@link MAX_RETRY_MS}. */
export const FIRST_RETRY_MS = 1000;
export const MAX_RETRY_MS = 60_000;
/**
 * How long a send waits for its outbox write before it is attempted anyway: storage held back by another tab (or
 * just slow) must not hold the agent's reply. The write still lands, and ahead of the removal that confirms it.
 */
export const STORE_WAIT_MS = 2000;

/**
 * The pause before attempt `attempts + 1`: 1 s, 2 s, 4 s … capped at 60 s, each drawn from its upper half so
 * that many desks that lost the same server do not all come back at the same instant.
 */
export function retryDelay(attempts: number, random: () => number = Math.random): number {
  const ceiling = Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** Math.max(0, attempts - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/** What a submission asks the backend to store, built once: every attempt sends exactly this. */
export function outgoingMessage(payload: ReturnType<typeof actions.messageSubmitted>['payload']): OutgoingMessage {
  const { conversationId, text, internal, attachments, email } = payload;
  return {
    conversationId,
    text,
    internal,
    ...(attachments && attachments.length > 0 ? { attachments } : {}),
    ...(email && !internal ? { email: { subject: email.subject, to: email.to, cc: email.cc } } : {}),
  };
}

interface Send {
  entry: OutboxEntry;
  /** Settles once the entry is stored, or storing it failed (then it lives in memory only, and is still sent). */
  readonly stored: Promise<void>;
  /**
   * Sent by this tab even while another leads: its outbox write failed, so the leader, which reads the sends of the
   * other tabs from the outbox, will never see it. Its client key still makes a repeated attempt harmless.
   */
  here: boolean;
}

/** How long sends wait for the outbox an earlier page left to be read back. */
const RESTORE_WAIT_MS = 5000;

/** The sends of one conversation: strictly one after the other, in submission order. */
interface Lane {
  readonly queue: Send[];
  running: boolean;
  /** The send whose request is out, if any. */
  current: Send | null;
  /** Ends the pause of a lane that waits (for its next attempt, or for the connection). */
  wake: (() => void) | null;
}

type Outcome = 'done' | 'refused' | 'deferred' | 'offline' | 'stopped' | 'overtaken';

/** What the leader tab tells the others about a send (and dispatches itself for the sends it shows). */
type SendOutcome =
  | ReturnType<typeof actions.messageSendAttempted>
  | ReturnType<typeof actions.messageSendDeferred>
  | ReturnType<typeof actions.messageSendFailed>
  | ReturnType<typeof actions.messageSent>;

/** A follower tab's word to the leader: the outbox holds something new; `retry`: sends the agent asked to retry. */
interface OutboxChange {
  readonly retry: readonly string[];
}

/** How many confirmed client keys the sender remembers, so an outbox read racing their removal cannot revive them. */
const REMEMBERED_DONE = 2000;

/**
 * The one path every message takes to the backend. Each send is an outbox entry keyed (and sent) by its client
 * key, so a repeated attempt can never deliver it twice.
 *
 * With storage the entry is written before the first attempt and deleted only once the backend confirmed it (its
 * answer, or the stream's copy); while the backend cannot be reached it waits, "not confirmed", and is sent again
 * after a growing pause or as soon as the connection is back; a refusal marks it failed for the agent's retry.
 * A conversation's sends go strictly in order: a later one waits until the earlier one is confirmed or refused.
 * Without storage every failure is shown at once with a retry, as nothing would survive a reload anyway.
 */
class OutboxSender {
  private readonly lanes = new Map<string, Lane>();
  /** Refused sends, waiting for the agent's retry. */
  private readonly failed = new Map<string, Send>();
  /** Sends the stream confirmed while they waited or were in flight, with the backend's copy. */
  private readonly confirmed = new Map<string, Message>();
  private readonly controller = new AbortController();
  private readonly storage: Promise<DeskStorage | null>;
  private lastSeq = 0;
  private stopped = false;
  /**
   * With tabs (see src/tabs/), only the leader tab sends: the others write their sends to the shared outbox and
   * tell the leader, which reads them from there; it tells them every outcome. Null without tabs: this tab sends.
   */
  private leading: boolean | null;
  private coordinator: TabCoordinator | null = null;
  /** Sends this tab shows (submitted here, or restored at start): the leader dispatches outcomes only for these. */
  private readonly shown = new Set<string>();
  /** Sends confirmed lately, oldest first (see REMEMBERED_DONE). */
  private readonly done = new Set<string>();
  /**
   * Sends wait for what an earlier page left in the outbox, so a reply typed right after a reload cannot overtake
   * older ones of the same conversation. It settles when the outbox was read back, when there is no storage, or
   * after RESTORE_WAIT_MS (a database another tab blocks must not hold every reply back).
   */
  private readonly restoreSettled: Promise<void>;
  private settleRestore: () => void = () => undefined;
  private restoreTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly dependencies: EffectDependencies,
    private readonly emit: (action: Action) => void,
  ) {
    const access = dependencies.storage;
    this.leading = sharedSocketTabs(dependencies.tabs) ? false : null;
    this.storage = access ? firstValueFrom(access.storage$, { defaultValue: null }) : Promise.resolve(null);
    // Nothing waits on it when it fails: the failure is reported where storage is used.
    this.storage.catch(() => undefined);
    this.restoreSettled = new Promise<void>((resolve) => {
      this.settleRestore = () => {
        clearTimeout(this.restoreTimer);
        resolve();
      };
    });
    if (!access) this.settleRestore();
    else {
      this.storage.then((storage) => storage === null && this.settleRestore(), () => this.settleRestore());
      this.restoreTimer = setTimeout(() => this.settleRestore(), RESTORE_WAIT_MS);
    }
  }

  private get durable(): boolean {
    return this.dependencies.storage !== null;
  }

  submit(payload: ReturnType<typeof actions.messageSubmitted>['payload']): void {
    const entry: OutboxEntry = {
      clientKey: payload.clientKey,
      conversationId: payload.conversationId,
      seq: this.nextSeq(),
      message: outgoingMessage(payload),
      authorName: payload.authorName,
      submittedAt: payload.submittedAt,
      attempts: 0,
      nextAttemptAt: null,
      state: 'pending',
      lastError: null,
    };
    // Stored before it is attempted: the lane waits for `stored`.
    const written = this.write((storage) => storage.addToOutbox(entry), entry.clientKey);
    const send: Send = {
      entry,
      here: false,
      stored: written.then((ok) => {
        // Not in the outbox (quota, a storage error): a follower sends it itself rather than lose it.
        if (ok) return;
        send.here = true;
        // A lane that stopped waiting for the write (STORE_WAIT_MS) and paused for the leader goes on now.
        this.lanes.get(entry.conversationId)?.wake?.();
      }),
    };
    this.shown.add(entry.clientKey);
    this.enqueue(send);
    if (this.leading === false) void written.then((ok) => ok && this.tellLeader([]));
  }

  /**
   * Entries an earlier page left (`shown`), or, in the leader tab, that other tabs wrote: sent again (same key) in
   * their order once the backend is reachable.
   */
  restore(entries: readonly OutboxEntry[], shown = true): void {
    for (const entry of [...entries].sort((a, b) => a.seq - b.seq)) {
      this.lastSeq = Math.max(this.lastSeq, entry.seq);
      if (shown) this.shown.add(entry.clientKey);
      if (this.holds(entry.clientKey)) continue;
      const send: Send = { entry, stored: Promise.resolve(), here: false };
      if (entry.state === 'failed') this.failed.set(entry.clientKey, send);
      else this.enqueue(send);
    }
    this.settleRestore();
  }

  stopWaitingForRestore(): void {
    this.settleRestore();
  }

  /**
   * Another tab deleted the storage (a sign-out there): the leader can no longer read this tab's sends from the
   * outbox, so this tab sends what it holds itself (same client keys: a send the leader also made lands once).
   */
  storageDeleted(): void {
    for (const lane of this.lanes.values()) for (const send of lane.queue) send.here = true;
    for (const send of this.failed.values()) send.here = true;
    this.wakeAll();
  }

  retry(clientKey: string): void {
    const send = this.failed.get(clientKey);
    if (!send) return;
    this.failed.delete(clientKey);
    send.entry = { ...send.entry, state: 'pending', lastError: null };
    const written = this.persist(send.entry);
    this.enqueue(send);
    // The leader retries its own copy; one that has none reads this tab's, once written, from the outbox (a send
    // this tab holds alone, it sends itself).
    if (this.leading === false && !send.here) void written.then(() => this.tellLeader([clientKey]));
  }

  /** The tab coordinator, once the agent is known. */
  join(coordinator: TabCoordinator): void {
    this.coordinator = coordinator;
  }

  /** This tab leads now (it sends, what it holds and what other tabs left in the outbox), or follows. */
  lead(leads: boolean): void {
    if (this.leading === null || this.stopped) return;
    this.leading = leads;
    if (leads) {
      void this.adopt([]);
      this.wakeAll();
    } else {
      // Whatever this tab wrote before it knew the leader, the leader now reads.
      this.tellLeader([]);
    }
  }

  /** In the leader tab: another tab wrote to the outbox (and asked for `retry`): send what it holds. */
  async adopt(retry: readonly string[]): Promise<void> {
    if (this.leading !== true) return;
    for (const clientKey of retry) this.retry(clientKey);
    let entries: OutboxEntry[];
    try {
      const storage = await this.storage;
      if (!storage) return;
      entries = await storage.listOutbox();
    } catch (error: unknown) {
      const problem = this.stopped ? null : storageProblem(error, 'outbox');
      if (problem) this.emit(problem);
      return;
    }
    if (this.leading !== true || this.stopped) return;
    this.restore(entries.filter((entry) => !this.done.has(entry.clientKey)), false);
  }

  /** In a follower tab: the leader's word on a send this tab shows. */
  follow(outcome: Action): void {
    if (this.leading !== false) return;
    if (actions.messageSent.match(outcome)) {
      const { clientKey } = outcome.payload;
      // Said once per send this tab shows, even when the stream's copy confirmed it here first.
      if (!this.shown.delete(clientKey)) return;
      this.remember(clientKey);
      const refused = this.failed.get(clientKey);
      if (refused) this.failed.delete(clientKey);
      else this.confirm(clientKey, outcome.payload.message);
      this.emit(outcome);
    } else if (actions.messageSendFailed.match(outcome)) {
      const { clientKey, error } = outcome.payload;
      const send = this.takeFromLane(clientKey);
      if (!send) return;
      send.entry = { ...send.entry, state: 'failed', nextAttemptAt: null, lastError: error };
      this.failed.set(clientKey, send);
      this.emit(outcome);
    } else if (actions.messageSendAttempted.match(outcome) || actions.messageSendDeferred.match(outcome)) {
      const { clientKey, attempts } = outcome.payload;
      const send = this.findInLane(clientKey);
      if (!send) return;
      send.entry = actions.messageSendDeferred.match(outcome)
        ? { ...send.entry, state: 'pending', attempts, nextAttemptAt: outcome.payload.nextAttemptAt, lastError: outcome.payload.error }
        : { ...send.entry, state: 'in-flight', attempts, nextAttemptAt: null };
      this.emit(outcome);
    }
  }

  private tellLeader(retry: readonly string[]): void {
    if (this.stopped) return;
    const change: OutboxChange = { retry };
    this.coordinator?.post(TAB_TOPICS.outboxChanged, change);
  }

  /** An outcome: told to the other tabs with tabs, and dispatched here for a send this tab shows. */
  private report(outcome: SendOutcome): void {
    if (this.leading !== null) this.coordinator?.post(TAB_TOPICS.outboxOutcome, outcome);
    const { clientKey } = outcome.payload;
    if (this.leading === null || this.shown.has(clientKey)) this.emit(outcome);
    if (actions.messageSent.match(outcome)) this.shown.delete(clientKey);
  }

  private findInLane(clientKey: string): Send | undefined {
    for (const lane of this.lanes.values()) {
      const send = lane.queue.find((held) => held.entry.clientKey === clientKey);
      if (send) return send;
    }
    return undefined;
  }

  /** Takes a waiting send out of its lane (a follower's sends never fly), and lets the lane go on. */
  private takeFromLane(clientKey: string): Send | undefined {
    for (const lane of this.lanes.values()) {
      const index = lane.queue.findIndex((held) => held.entry.clientKey === clientKey);
      const send = lane.queue[index];
      if (!send || send === lane.current) continue;
      lane.queue.splice(index, 1);
      lane.wake?.();
      return send;
    }
    return undefined;
  }

  private remember(clientKey: string): void {
    this.done.add(clientKey);
    if (this.done.size > REMEMBERED_DONE) {
      const oldest = this.done.values().next().value;
      if (oldest !== undefined) this.done.delete(oldest);
    }
  }

  /** The stream brought the backend's copy of a send. */
  confirm(clientKey: string, message: Message): void {
    const refused = this.failed.get(clientKey);
    if (refused) {
      this.failed.delete(clientKey);
      this.forget(refused);
      this.settleInStore(refused.entry, message);
      return;
    }
    for (const lane of this.lanes.values()) {
      if (!lane.queue.some((send) => send.entry.clientKey === clientKey)) continue;
      this.confirmed.set(clientKey, message);
      // A waiting lane looks at it now; one in flight sees it when its request answers.
      lane.wake?.();
    }
  }

  /** The connection is back (or a snapshot is in): waiting sends go now rather than after their pause. */
  wakeAll(): void {
    for (const lane of this.lanes.values()) lane.wake?.();
  }

  stop(): void {
    this.stopped = true;
    this.settleRestore();
    this.controller.abort();
    this.wakeAll();
  }

  private nextSeq(): number {
    this.lastSeq = Math.max(this.dependencies.now(), this.lastSeq + 1);
    return this.lastSeq;
  }

  private holds(clientKey: string): boolean {
    if (this.failed.has(clientKey)) return true;
    for (const lane of this.lanes.values()) if (lane.queue.some((send) => send.entry.clientKey === clientKey)) return true;
    return false;
  }

  private enqueue(send: Send): void {
    const { conversationId, seq } = send.entry;
    let lane = this.lanes.get(conversationId);
    if (!lane) {
      lane = { queue: [], running: false, current: null, wake: null };
      this.lanes.set(conversationId, lane);
    }
    // In submission order; a send already in flight keeps its place at the head.
    const first = lane.current ? 1 : 0;
    let index = lane.queue.length;
    while (index > first && (lane.queue[index - 1]?.entry.seq ?? 0) > seq) index -= 1;
    lane.queue.splice(index, 0, send);
    if (!lane.running) void this.run(conversationId, lane);
  }

  private async run(conversationId: string, lane: Lane): Promise<void> {
    lane.running = true;
    try {
      await this.restoreSettled;
      for (let send = lane.queue[0]; send && !this.stopped; send = lane.queue[0]) {
        const outcome = await this.attempt(lane, send);
        if (outcome === 'stopped') return;
        if (outcome === 'overtaken') continue;
        if (outcome === 'deferred') await this.pause(lane, (send.entry.nextAttemptAt ?? 0) - this.dependencies.now());
        else if (outcome === 'offline') await this.pause(lane, null);
        else lane.queue.splice(lane.queue.indexOf(send), 1);
      }
    } catch (error: unknown) {
      this.emit(actions.effectFailed({ effect: 'outboxEffect', error: toErrorInfo(error) }));
    } finally {
      lane.running = false;
      if (lane.queue.length === 0) this.lanes.delete(conversationId);
    }
  }

  private async attempt(lane: Lane, send: Send): Promise<Outcome> {
    let waited: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([send.stored, new Promise((resolve) => (waited = setTimeout(resolve, STORE_WAIT_MS)))]);
    clearTimeout(waited);
    if (this.stopped) return 'stopped';
    // An older send was put ahead of this one while it waited (restored from storage, say): that one goes first.
    if (lane.queue[0] !== send) return 'overtaken';
    if (this.settleConfirmed(send)) return 'done';
    // A follower tab leaves the sending to the leader (it wakes this lane if it comes to lead), unless the leader
    // cannot know of the send.
    if (this.leading === false && !send.here) return 'offline';
    // With an outbox to hold it, a send waits for the connection instead of failing against a backend that is not there.
    if (this.durable && this.dependencies.getState().connection.state !== 'connected') return 'offline';
    const { clientKey, conversationId } = send.entry;
    const attempts = send.entry.attempts + 1;
    send.entry = { ...send.entry, state: 'in-flight', attempts, nextAttemptAt: null };
    this.persist(send.entry);
    this.report(actions.messageSendAttempted({ conversationId, clientKey, attempts }));
    lane.current = send;
    try {
      const message = await this.dependencies.connector.sendMessage(send.entry.message, {
        signal: this.controller.signal,
        idempotencyKey: clientKey,
      });
      this.forget(send);
      this.report(actions.messageSent({ conversationId, clientKey, message }));
      return 'done';
    } catch (caught: unknown) {
      // Stopping aborts the request: the entry stays in flight in storage, and the next page finds it unconfirmed.
      if (this.stopped) return 'stopped';
      // The stream may have confirmed it while the request failed (its response was lost): it was delivered.
      if (this.settleConfirmed(send)) return 'done';
      const error = toErrorInfo(caught);
      if (this.durable && (error.code === 'unavailable' || error.code === 'aborted')) {
        const nextAttemptAt = this.dependencies.now() + retryDelay(attempts);
        send.entry = { ...send.entry, state: 'pending', nextAttemptAt, lastError: error };
        this.persist(send.entry);
        this.report(actions.messageSendDeferred({ conversationId, clientKey, error, attempts, nextAttemptAt }));
        return 'deferred';
      }
      send.entry = { ...send.entry, state: 'failed', nextAttemptAt: null, lastError: error };
      this.persist(send.entry);
      this.failed.set(clientKey, send);
      this.report(actions.messageSendFailed({ conversationId, clientKey, error }));
      return 'refused';
    } finally {
      lane.current = null;
    }
  }

  /**
   * A send the backend already has, by the stream's copy or by a copy in the thread (a page of messages brought it):
   * forgotten, and settled in the store (see settleInStore).
   */
  private settleConfirmed(send: Send): boolean {
    const { clientKey, conversationId } = send.entry;
    const held = this.dependencies
      .getState()
      .threads.byConversation.get(conversationId)
      ?.messages.find((message) => message.clientKey === clientKey && message.delivery !== 'sending' && message.delivery !== 'failed');
    const copy = this.confirmed.get(clientKey) ?? held;
    if (copy === undefined) return false;
    this.forget(send);
    this.settleInStore(send.entry, copy);
    return true;
  }

  /**
   * The store drops a send from its outbox when it applies the stream's copy; a copy it did not apply (it came
   * inside a gap, which a snapshot covered) or one that came with a page of the thread leaves it there, "not
   * confirmed" for ever: `messageSent` is said then, and only then (it counts and tells the host once).
   */
  private settleInStore(entry: OutboxEntry, message: Message): void {
    if (!this.dependencies.getState().outbox.entries.has(entry.clientKey)) return;
    this.report(actions.messageSent({ conversationId: entry.conversationId, clientKey: entry.clientKey, message }));
  }

  /** Waits `ms` (or, with null, until woken): whichever comes first of that, a wake-up and the store stopping. */
  private pause(lane: Lane, ms: number | null): Promise<void> {
    if (this.stopped) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        if (lane.wake === done) lane.wake = null;
        resolve();
      };
      const timer = ms === null ? undefined : setTimeout(done, Math.max(0, ms));
      lane.wake = done;
    });
  }

  private forget(send: Send): void {
    this.confirmed.delete(send.entry.clientKey);
    this.remember(send.entry.clientKey);
    void this.write((storage) => storage.removeFromOutbox(send.entry.clientKey));
  }

  private persist(entry: OutboxEntry): Promise<boolean> {
    return this.write((storage) => storage.updateOutboxEntry(entry), entry.clientKey);
  }

  /**
   * Runs a storage write; a failure becomes a visible warning, never a lost send. Resolves with whether it was
   * written (true without storage: nothing is missing).
   */
  private async write(work: (storage: DeskStorage) => Promise<void>, clientKey?: string): Promise<boolean> {
    if (!this.durable) return true;
    try {
      const storage = await this.storage;
      if (!storage) return false;
      await work(storage);
      return true;
    } catch (error: unknown) {
      if (this.stopped) return false;
      const problem = storageProblem(error, 'outbox', clientKey);
      if (problem) this.emit(problem);
      return false;
    }
  }
}

/**
 * Sends what the agent submits, through the outbox (see {@link OutboxSender}); the only effect that calls
 * `sendMessage`.
 */
export const outboxEffect: Effect = (actions$, dependencies) =>
  new Observable<Action>((subscriber) => {
    const sender = new OutboxSender(dependencies, (action) => subscriber.next(action));
    const reconnected = (action: Action): boolean =>
      (actions.connectionStateChanged.match(action) && action.payload.state === 'connected') ||
      actions.connected.match(action) ||
      actions.snapshotLoaded.match(action);
    const subscription = actions$.subscribe((action) => {
      if (actions.messageSubmitted.match(action)) sender.submit(action.payload);
      else if (actions.messageRetryRequested.match(action)) sender.retry(action.payload.clientKey);
      else if (actions.outboxRestored.match(action)) sender.restore(action.payload.entries);
      // Another tab holds the database: what it left cannot be read now, and replies must not wait for that tab.
      else if (actions.storageBlocked.match(action)) sender.stopWaitingForRestore();
      else if (reconnected(action)) sender.wakeAll();
      else if (actions.eventReceived.match(action)) {
        const { event } = action.payload;
        if (event.type !== 'message.added' && event.type !== 'message.updated') return;
        const { clientKey, delivery } = event.message;
        if (clientKey !== null && delivery !== 'sending' && delivery !== 'failed') sender.confirm(clientKey, event.message);
      }
    });
    subscription.add(
      dependencies.storage?.storage$
        .pipe(
          switchMap((storage) => storage.events$),
          filter((event) => event.type === 'deleted'),
        )
        .subscribe(() => sender.storageDeleted()),
    );
    // With tabs: the leader sends for every tab (see OutboxSender).
    subscription.add(
      sharedSocketTabs(dependencies.tabs)?.coordinator$.subscribe((coordinator) => {
        sender.join(coordinator);
        subscription.add(coordinator.isLeader$.subscribe((leads) => sender.lead(leads)));
        subscription.add(coordinator.messages<OutboxChange>(TAB_TOPICS.outboxChanged).subscribe(({ body }) => void sender.adopt(body.retry)));
        subscription.add(coordinator.messages<Action>(TAB_TOPICS.outboxOutcome).subscribe(({ body }) => sender.follow(body)));
      }),
    );
    return () => {
      subscription.unsubscribe();
      sender.stop();
    };
  }).pipe(takeUntil(stopped(actions$)));
