import { Observable, Subject, Subscription, distinctUntilChanged } from 'rxjs';
import type { TelephonyConfig } from '../connector/model.js';
import { TabRequestError, type TabCoordinator } from '../tabs/tabs.js';
import { TelephonyError, type CallInfo, type Telephony, type TelephonyErrorCode, type TelephonyEvent } from './telephony.js';

/** A Telephony shared by the tabs of one agent: see {@link createTabTelephony}. */
export interface TabTelephony extends Telephony {
  /** Whether this tab plays the ringtone and alerts for an inbound call: the leader alone, which holds the registration. */
  readonly ringsHere$: Observable<boolean>;
}

/** The phone commands a follower tab asks the leader to carry out. */
type Commands = Pick<
  Telephony,
  | 'call'
  | 'answer'
  | 'reject'
  | 'hangup'
  | 'hold'
  | 'resume'
  | 'setMuted'
  | 'sendDtmf'
  | 'blindTransfer'
  | 'startConsult'
  | 'completeConsult'
  | 'cancelConsult'
  | 'listDevices'
  | 'setDevices'
>;
type CommandName = keyof Commands;

const COMMANDS: readonly CommandName[] = [
  'call',
  'answer',
  'reject',
  'hangup',
  'hold',
  'resume',
  'setMuted',
  'sendDtmf',
  'blindTransfer',
  'startConsult',
  'completeConsult',
  'cancelConsult',
  'listDevices',
  'setDevices',
];

interface CommandRequest {
  readonly name: CommandName;
  readonly args: readonly unknown[];
}

/** Where the leader's phone stands: what a tab that joins (or whose leader changed) shows. */
interface PhoneState {
  readonly registration: Extract<TelephonyEvent, { type: 'registration' }> | null;
  readonly devices: Extract<TelephonyEvent, { type: 'devices' }> | null;
  readonly calls: readonly CallInfo[];
}

export const TAB_TELEPHONY_TOPICS = {
  event: 'phone.event',
  state: 'phone.state',
  command: 'phone.command',
} as const;

const TELEPHONY_CODES: ReadonlySet<string> = new Set<TelephonyErrorCode>([
  'not-started',
  'unreachable',
  'auth-failed',
  'registration-failed',
  'no-such-call',
  'invalid-state',
  'invalid-target',
  'media-denied',
  'device-unavailable',
  'transfer-failed',
  'failed',
]);

/** A failed request to the leader, as the port's `TelephonyError`. */
function asTelephonyError(error: unknown): TelephonyError {
  if (error instanceof TelephonyError) return error;
  if (error instanceof TabRequestError) {
    if (error.reason !== 'remote') return new TelephonyError('not-started', `No tab holds the phone now: ${error.message}`, { cause: error });
    const code = error.remoteCode !== null && TELEPHONY_CODES.has(error.remoteCode) ? (error.remoteCode as TelephonyErrorCode) : 'failed';
    return new TelephonyError(code, error.message, { cause: error });
  }
  return new TelephonyError('failed', error instanceof Error ? error.message : String(error), { cause: error });
}

/**
 * One phone for all the tabs of an agent. The leader tab creates the real Telephony (`createLeaderTelephony`: a
 * SipTelephony in production), starts it with the config this tab's `start()` was given, carries out the other
 * tabs' commands and passes its events on. In the other tabs every command is a request to the leader and
 * `events$` is the leader's events; a tab that joins is sent the current registration, devices and calls. When
 * the leader goes, the tab that takes over creates and starts its own phone (it registers again) and the calls of
 * the phone that went are reported ended. Only the leader rings (`ringsHere$`).
 */
export function createTabTelephony(coordinator: TabCoordinator, createLeaderTelephony: () => Promise<Telephony>): TabTelephony {
  return new SharedTelephony(coordinator, createLeaderTelephony);
}

class SharedTelephony implements TabTelephony {
  readonly events$: Observable<TelephonyEvent>;
  readonly ringsHere$: Observable<boolean>;

  readonly #coordinator: TabCoordinator;
  readonly #createLeaderTelephony: () => Promise<Telephony>;
  readonly #events = new Subject<TelephonyEvent>();
  readonly #subscription = new Subscription();
  #config: TelephonyConfig | null = null;
  #leading = false;
  #stopped = false;
  /** The leader's own phone, once made; `#phoneReady` settles with it. */
  #phone: Telephony | null = null;
  #phoneReady: Promise<Telephony> | null = null;
  #phoneSubscription: Subscription | null = null;
  /** What this tab shows, from whichever phone: the state a joining tab is sent, and what is ended when the phone goes. */
  #registration: PhoneState['registration'] = null;
  #devices: PhoneState['devices'] = null;
  readonly #calls = new Map<string, CallInfo>();

  constructor(coordinator: TabCoordinator, createLeaderTelephony: () => Promise<Telephony>) {
    this.#coordinator = coordinator;
    this.#createLeaderTelephony = createLeaderTelephony;
    this.events$ = this.#events.asObservable();
    this.ringsHere$ = coordinator.isLeader$.pipe(distinctUntilChanged());
    this.#subscription.add(coordinator.handle<null, PhoneState>(TAB_TELEPHONY_TOPICS.state, () => this.#state()));
    this.#subscription.add(coordinator.handle<CommandRequest, unknown>(TAB_TELEPHONY_TOPICS.command, (request) => this.#carryOut(request)));
    this.#subscription.add(
      coordinator.messages<TelephonyEvent>(TAB_TELEPHONY_TOPICS.event).subscribe(({ body }) => {
        if (!this.#leading) this.#show(body);
      }),
    );
    this.#subscription.add(
      coordinator.messages<PhoneState>(TAB_TELEPHONY_TOPICS.state).subscribe(({ body }) => {
        if (!this.#leading) this.#showState(body);
      }),
    );
    this.#subscription.add(coordinator.isLeader$.pipe(distinctUntilChanged()).subscribe((leads) => this.#setLeading(leads)));
  }

  start(config: TelephonyConfig): Promise<void> {
    if (this.#stopped) return Promise.reject(new TelephonyError('not-started', 'This tab stopped its phone.'));
    this.#config = config;
    if (this.#leading) return this.#startPhone();
    void this.#coordinator.request<null, PhoneState>(TAB_TELEPHONY_TOPICS.state, null).then(
      (state) => {
        if (!this.#leading) this.#showState(state);
      },
      // No leader phone yet: the leader posts its state once its phone starts.
      () => undefined,
    );
    return this.#registered();
  }

  async stop(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    this.#subscription.unsubscribe();
    await this.#dropPhone();
    this.#events.complete();
  }

  call(target: string): Promise<string> {
    return this.#command('call', [target]);
  }
  answer(callId: string): Promise<void> {
    return this.#command('answer', [callId]);
  }
  reject(callId: string): Promise<void> {
    return this.#command('reject', [callId]);
  }
  hangup(callId: string): Promise<void> {
    return this.#command('hangup', [callId]);
  }
  hold(callId: string): Promise<void> {
    return this.#command('hold', [callId]);
  }
  resume(callId: string): Promise<void> {
    return this.#command('resume', [callId]);
  }
  setMuted(callId: string, muted: boolean): Promise<void> {
    return this.#command('setMuted', [callId, muted]);
  }
  sendDtmf(callId: string, tones: string): Promise<void> {
    return this.#command('sendDtmf', [callId, tones]);
  }
  blindTransfer(callId: string, target: string): Promise<void> {
    return this.#command('blindTransfer', [callId, target]);
  }
  startConsult(callId: string, target: string): Promise<string> {
    return this.#command('startConsult', [callId, target]);
  }
  completeConsult(callId: string, consultCallId: string): Promise<void> {
    return this.#command('completeConsult', [callId, consultCallId]);
  }
  cancelConsult(callId: string, consultCallId: string): Promise<void> {
    return this.#command('cancelConsult', [callId, consultCallId]);
  }
  listDevices(): ReturnType<Telephony['listDevices']> {
    return this.#command('listDevices', []);
  }
  setDevices(devices: Parameters<Telephony['setDevices']>[0]): Promise<void> {
    return this.#command('setDevices', [devices]);
  }

  // -------------------------------------------------------------------------------------------------------

  /** In the leader, its own phone; elsewhere a request to the leader. Rejects with a `TelephonyError` either way. */
  async #command<R>(name: CommandName, args: readonly unknown[]): Promise<R> {
    if (this.#stopped) throw new TelephonyError('not-started', 'This tab stopped its phone.');
    try {
      if (this.#leading) return (await this.#carryOut({ name, args })) as R;
      return await this.#coordinator.request<CommandRequest, R>(TAB_TELEPHONY_TOPICS.command, { name, args });
    } catch (error: unknown) {
      throw asTelephonyError(error);
    }
  }

  /** The leader carries a command out on its phone (for itself or for another tab). */
  async #carryOut(request: CommandRequest): Promise<unknown> {
    if (!COMMANDS.includes(request.name)) throw new TelephonyError('failed', `"${String(request.name)}" is not a phone command.`);
    const phone = this.#phone;
    if (!phone) throw new TelephonyError('not-started', 'The phone of the leader tab is not started yet.');
    const method = phone[request.name] as (...args: readonly unknown[]) => Promise<unknown>;
    return method.apply(phone, [...request.args]);
  }

  #setLeading(leads: boolean): void {
    if (this.#stopped || leads === this.#leading) return;
    this.#leading = leads;
    // The calls shown lived in the phone of the tab that led before (or in this one's, which goes now): over.
    this.#endShownCalls();
    if (leads) {
      if (this.#config) void this.#startPhone().catch(() => undefined);
    } else {
      void this.#dropPhone();
    }
  }

  /** Makes (once) and starts this tab's phone; the other tabs hear of it through its state and events. */
  async #startPhone(): Promise<void> {
    const config = this.#config;
    if (!config) throw new TelephonyError('not-started', 'The phone has no settings yet.');
    this.#phoneReady ??= this.#createLeaderTelephony().then((phone) => {
      if (this.#stopped || !this.#leading) {
        void phone.stop();
        throw new TelephonyError('not-started', 'This tab no longer holds the phone.');
      }
      this.#phone = phone;
      this.#phoneSubscription = phone.events$.subscribe((event) => {
        this.#show(event);
        this.#coordinator.post(TAB_TELEPHONY_TOPICS.event, event);
      });
      this.#coordinator.post(TAB_TELEPHONY_TOPICS.state, this.#state());
      return phone;
    });
    const phone = await this.#phoneReady;
    await phone.start(config);
  }

  async #dropPhone(): Promise<void> {
    const phone = this.#phone;
    const ready = this.#phoneReady;
    this.#phone = null;
    this.#phoneReady = null;
    this.#phoneSubscription?.unsubscribe();
    this.#phoneSubscription = null;
    if (phone) await phone.stop().catch(() => undefined);
    else if (ready) await ready.then((made) => made.stop(), () => undefined).catch(() => undefined);
  }

  /** Resolves once the phone this tab shows is registered; rejects when its registration failed. */
  #registered(): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const settle = (event: TelephonyEvent | null): boolean => {
        const registration = event?.type === 'registration' ? event : null;
        if (registration?.state === 'registered') resolve();
        else if (registration?.state === 'failed') reject(new TelephonyError(registration.error?.code ?? 'registration-failed', registration.error?.message ?? 'The phone could not register.'));
        else return false;
        return true;
      };
      if (settle(this.#registration)) return;
      const subscription = this.#events.subscribe({
        next: (event) => {
          if (settle(event)) subscription.unsubscribe();
        },
        complete: () => reject(new TelephonyError('not-started', 'This tab stopped its phone.')),
      });
    });
  }

  #state(): PhoneState {
    return { registration: this.#registration, devices: this.#devices, calls: [...this.#calls.values()] };
  }

  /** Shows a phone event here and keeps what a joining tab needs. */
  #show(event: TelephonyEvent): void {
    if (event.type === 'registration') this.#registration = event;
    else if (event.type === 'devices') this.#devices = event;
    else if (event.type === 'call') {
      if (event.call.state === 'ended') this.#calls.delete(event.call.id);
      else this.#calls.set(event.call.id, event.call);
    }
    this.#events.next(event);
  }

  /** The leader's whole state: calls this tab shows that it no longer has are over. */
  #showState(state: PhoneState): void {
    const current = new Set(state.calls.map((call) => call.id));
    this.#endShownCalls((call) => !current.has(call.id));
    if (state.registration) this.#show(state.registration);
    if (state.devices) this.#show(state.devices);
    for (const call of state.calls) this.#show({ type: 'call', call });
  }

  #endShownCalls(which: (call: CallInfo) => boolean = () => true): void {
    for (const call of [...this.#calls.values()]) {
      if (!which(call)) continue;
      this.#show({ type: 'call', call: { ...call, state: 'ended', endedAt: Date.now(), endReason: 'network' } });
    }
  }
}
