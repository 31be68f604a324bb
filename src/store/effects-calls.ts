import {
  EMPTY,
  Observable,
  catchError,
  concatMap,
  defer,
  exhaustMap,
  filter,
  map,
  merge,
  mergeMap,
  of,
  takeUntil,
} from 'rxjs';
import type { Presence, TelephonyConfig } from '../connector/model.js';
import { TelephonyError, type Telephony, type TelephonyErrorInfo, type TelephonyEvent } from '../telephony/telephony.js';
import type { Action } from './action.js';
import * as actions from './actions.js';
import * as statusActions from './actions-agent-status.js';
import * as calls from './actions-calls.js';
import type { CallCommand } from './actions-calls.js';
import { command, stopped, type Effect, type EffectDependencies } from './effect.js';
import { leading$ } from './effects-tabs.js';
import { toErrorInfo } from './errors.js';

/**
 * Where the desk's phone comes from. `create` is called once, after the desk first connects (so it can look at the
 * backend's capabilities); it resolves with the phone, or null when this desk has none. The tabs part wraps it so
 * that only the leader tab registers, and passes `ringsHere$` so that only one tab rings.
 */
export interface TelephonyOption {
  readonly create: () => Promise<Telephony | null>;
  /** SIP settings; when it gives null, the connector's `getTelephonyConfig()` is asked (if it has telephony). */
  readonly config?: () => TelephonyConfig | null;
  /** Whether this tab may ring; default: always. */
  readonly ringsHere$?: Observable<boolean>;
}

/** What an adapter that carries its own settings (DemoTelephony, a follower tab's TabTelephony) is started with. */
export const UNCONFIGURED_TELEPHONY: TelephonyConfig = {
  webSocketUrl: '',
  sipUri: '',
  authorizationUsername: null,
  authorizationPassword: null,
  authorizationToken: null,
  iceServers: [],
};

/** Any failure of a phone command as plain data; the port rejects with `TelephonyError`, anything else is `failed`. */
export function toTelephonyErrorInfo(error: unknown): TelephonyErrorInfo {
  if (error instanceof TelephonyError) return { code: error.code, message: error.message };
  return { code: 'failed', message: error instanceof Error && error.message ? error.message : String(error) };
}

function toAction(event: TelephonyEvent): Action {
  switch (event.type) {
    case 'registration':
      return calls.registrationChanged({ state: event.state, error: event.error });
    case 'call':
      return calls.callUpdated({ call: event.call });
    case 'quality':
      return calls.qualitySampled({ quality: event.quality });
    case 'devices':
      return calls.devicesChanged({ devices: event.devices, selection: event.selection });
  }
}

/** Runs one phone command; its outcome is `callCommandCompleted` or `callCommandFailed`. */
function run(name: CallCommand, callId: string | null, work: () => Promise<unknown>): Observable<Action> {
  return defer(() => work()).pipe(
    map(() => calls.callCommandCompleted({ command: name, callId })),
    catchError((error: unknown) => of(calls.callCommandFailed({ command: name, callId, error: toTelephonyErrorInfo(error) }))),
  );
}

/** Everything the desk does with a phone it has. */
function phoneEffects(phone: Telephony, actions$: Observable<Action>, dependencies: EffectDependencies, option: TelephonyOption): Observable<Action> {
  const { connector, getState } = dependencies;
  const callsNow = () => getState().calls.calls;
  /** Holds the call in progress (other than `except`) before another one takes the line. */
  const holdOthers = async (except: string | null): Promise<void> => {
    for (const entry of callsNow()) {
      if (entry.info.state === 'active' && entry.info.id !== except) await phone.hold(entry.info.id);
    }
  };

  const start = defer(async () => {
    const config = option.config?.() ?? (connector.capabilities.telephony ? await connector.getTelephonyConfig() : null);
    await phone.start(config ?? UNCONFIGURED_TELEPHONY);
    return phone.listDevices();
  }).pipe(
    map((devices) => calls.devicesChanged({ devices, selection: null })),
    catchError((error: unknown) => of(calls.telephonyStartFailed({ error: toTelephonyErrorInfo(error) }))),
  );

  const commands = actions$.pipe(
    mergeMap((action): Observable<Action> => {
      if (calls.dialRequested.match(action)) {
        return run('dial', null, async () => {
          await holdOthers(null);
          await phone.call(action.payload.target);
        });
      }
      if (calls.answerRequested.match(action)) {
        const { callId } = action.payload;
        return run('answer', callId, async () => {
          await holdOthers(callId);
          await phone.answer(callId);
        });
      }
      if (calls.rejectRequested.match(action)) return run('reject', action.payload.callId, () => phone.reject(action.payload.callId));
      if (calls.hangupRequested.match(action)) return run('hangup', action.payload.callId, () => phone.hangup(action.payload.callId));
      if (calls.holdRequested.match(action)) return run('hold', action.payload.callId, () => phone.hold(action.payload.callId));
      if (calls.resumeRequested.match(action)) {
        const { callId } = action.payload;
        return run('resume', callId, async () => {
          await holdOthers(callId);
          await phone.resume(callId);
        });
      }
      if (calls.muteRequested.match(action)) {
        const { callId, muted } = action.payload;
        return run('mute', callId, () => phone.setMuted(callId, muted));
      }
      if (calls.dtmfRequested.match(action)) {
        const { callId, tones } = action.payload;
        return run('dtmf', callId, () => phone.sendDtmf(callId, tones));
      }
      if (calls.blindTransferRequested.match(action)) {
        const { callId, target } = action.payload;
        return run('blind-transfer', callId, () => phone.blindTransfer(callId, target));
      }
      if (calls.consultRequested.match(action)) {
        const { callId, target } = action.payload;
        return run('consult', callId, () => phone.startConsult(callId, target));
      }
      if (calls.transferCompletionRequested.match(action)) {
        const { callId, consultCallId } = action.payload;
        return run('complete-transfer', callId, () => phone.completeConsult(callId, consultCallId));
      }
      if (calls.transferCancellationRequested.match(action)) {
        const { callId, consultCallId } = action.payload;
        return run('cancel-transfer', callId, () => phone.cancelConsult(callId, consultCallId));
      }
      if (calls.devicesChangeRequested.match(action)) {
        const { selection } = action.payload;
        return defer(() => phone.setDevices(selection)).pipe(
          mergeMap((): Observable<Action> => {
            const devices = getState().calls.devices;
            return of(
              calls.devicesChanged({ devices, selection: { ...getState().calls.selection, ...selection } }),
              calls.callCommandCompleted({ command: 'devices', callId: null }),
            );
          }),
          catchError((error: unknown) => of(calls.callCommandFailed({ command: 'devices', callId: null, error: toTelephonyErrorInfo(error) }))),
        );
      }
      return EMPTY;
    }),
  );

  // A selected device that went away: the store already shows the default; the phone is told to use it too.
  const deviceFallbacks = actions$.pipe(
    filter(calls.devicesChanged.match),
    mergeMap(({ payload }) => {
      const reported = payload.selection;
      if (!reported) return EMPTY;
      const now = getState().calls.selection;
      const change = {
        ...(reported.microphoneId !== now.microphoneId ? { microphoneId: now.microphoneId } : {}),
        ...(reported.speakerId !== now.speakerId ? { speakerId: now.speakerId } : {}),
        ...(reported.ringerId !== now.ringerId ? { ringerId: now.ringerId } : {}),
      };
      if (Object.keys(change).length === 0) return EMPTY;
      return defer(() => phone.setDevices(change)).pipe(
        mergeMap(() => EMPTY),
        catchError((error: unknown) => of(calls.callCommandFailed({ command: 'devices', callId: null, error: toTelephonyErrorInfo(error) }))),
      );
    }),
  );

  // Who is calling: looked up once per inbound call, while it rings. An ended call leaves the set, so it stays as
  // small as the calls in progress over a long shift.
  const looking = new Set<string>();
  const callerLookups = actions$.pipe(
    filter(calls.callUpdated.match),
    filter(({ payload: { call } }) => {
      if (call.state === 'ended') {
        looking.delete(call.id);
        return false;
      }
      const entry = callsNow().find((candidate) => candidate.info.id === call.id);
      return entry?.caller?.status === 'looking' && !looking.has(call.id);
    }),
    mergeMap(({ payload: { call } }) => {
      looking.add(call.id);
      if (!connector.capabilities.customers) return of(calls.callerUnknown({ callId: call.id }));
      return command(async (signal) => {
        const customers = await connector.findCustomers({ kind: 'phone', value: call.remoteNumber }, { signal });
        const customer = customers[0];
        if (!customer) return null;
        // The screen pop opens the customer's latest phone conversation, else their latest conversation of any kind.
        const phoneOnes = await connector.listConversations({ customerId: customer.id, channels: ['phone'], scope: 'all', limit: 1 }, { signal });
        const latest = phoneOnes.items[0] ?? (await connector.listConversations({ customerId: customer.id, scope: 'all', limit: 1 }, { signal })).items[0];
        return { customer, conversationId: latest?.id ?? null };
      }).pipe(
        mergeMap((match): Observable<Action> =>
          match === null
            ? of(calls.callerUnknown({ callId: call.id }))
            : of(actions.customersLoaded({ customers: [match.customer] }), calls.callerMatched({ callId: call.id, ...match })),
        ),
        catchError((error: unknown) => of(calls.callerLookupFailed({ callId: call.id, error: toErrorInfo(error) }))),
      );
    }),
  );

  return merge(
    of(calls.telephonyReady()),
    phone.events$.pipe(map(toAction)),
    (option.ringsHere$ ?? EMPTY).pipe(map((allowed) => calls.ringingAllowedChanged({ allowed }))),
    start,
    commands,
    deviceFallbacks,
    callerLookups,
  );
}

/**
 * The phone: created once the desk has connected (when the agent's role has `use-phone`), torn down (every call
 * ended, unregistered) when it stops.
 */
export const telephonyEffect: Effect = (actions$, dependencies) => {
  const option = dependencies.telephony;
  if (!option) return EMPTY;
  return actions$.pipe(
    filter(actions.connected.match),
    exhaustMap(({ payload: { agent } }) =>
      // A role without `use-phone` gets no phone at all: nothing registers, and the desk shows no phone area.
      (agent.permissions !== undefined && !agent.permissions.includes('use-phone') ? of(null) : defer(() => option.create())).pipe(
        mergeMap((phone) =>
          phone === null
            ? of(calls.telephonyAbsent())
            : new Observable<Action>((subscriber) => {
                const subscription = phoneEffects(phone, actions$, dependencies, option).subscribe(subscriber);
                return () => {
                  subscription.unsubscribe();
                  // Nobody is left to tell of a failure here; the desk is going away.
                  phone.stop().catch(() => undefined);
                };
              }),
        ),
        catchError((error: unknown) => of(calls.telephonyStartFailed({ error: toTelephonyErrorInfo(error) }))),
      ),
    ),
    takeUntil(stopped(actions$)),
  );
};

/** Saves each wrap-up as a call record, one at a time and in order, with the wrap-up's key (a retry saves once). */
export const callRecordEffect: Effect = (actions$, { connector, getState }) =>
  actions$.pipe(
    filter(calls.wrapUpSubmitted.match),
    concatMap(({ payload: { callId, disposition, notes, requestKey } }) => {
      const wrapUp = getState().calls.wrapUps.find((candidate) => candidate.call.id === callId && candidate.requestKey === requestKey);
      if (!wrapUp) return EMPTY;
      const { call } = wrapUp;
      return command((signal) =>
        connector.saveCallRecord(
          {
            customerId: wrapUp.customerId,
            // The screen pop may have opened a chat or an email; a call record belongs in a phone conversation,
            // which the backend finds or opens for the customer when given none.
            conversationId:
              wrapUp.conversationId !== null && getState().conversations.entities.get(wrapUp.conversationId)?.channel === 'phone'
                ? wrapUp.conversationId
                : null,
            direction: call.direction,
            remoteNumber: call.remoteNumber,
            remoteDisplayName: call.remoteDisplayName,
            startedAt: call.createdAt,
            answeredAt: call.answeredAt,
            endedAt: call.endedAt ?? call.answeredAt ?? call.createdAt,
            disposition,
            notes,
          },
          { signal, idempotencyKey: requestKey },
        ),
      ).pipe(
        map((message) => calls.callRecordSaved({ callId, message, customerId: wrapUp.customerId ?? getState().conversations.entities.get(message.conversationId)?.customerId ?? null })),
        catchError((error: unknown) => of(calls.callRecordSaveFailed({ callId, error: toErrorInfo(error) }))),
      );
    }),
    takeUntil(stopped(actions$)),
  );

/**
 * While a wrap-up is open the agent is in after-call work (no new calls are routed to them), and afterwards back in
 * the presence they had, unless they changed it themselves meanwhile. With several tabs every tab follows the
 * wrap-ups, and the leader alone asks for the presence, once for the agent.
 */
export const afterCallWorkEffect: Effect = (actions$, dependencies) => {
  const { getState } = dependencies;
  let before: Presence | null = null;
  let open = false;
  let leads = false;
  const presenceRequest = (presence: Presence): Observable<Action> => (leads ? of(statusActions.presenceChangeRequested({ presence })) : EMPTY);
  return merge(
    leading$(dependencies).pipe(
      mergeMap((leading) => {
        leads = leading;
        return EMPTY;
      }),
    ),
    actions$.pipe(
      filter(
        (action) =>
          calls.callUpdated.match(action) ||
          calls.callRecordSaved.match(action) ||
          calls.wrapUpDiscarded.match(action) ||
          calls.wrapUpClosedElsewhere.match(action),
      ),
      mergeMap((): Observable<Action> => {
        const hasWrapUps = getState().calls.wrapUps.length > 0;
        const presence = getState().agent.agent?.presence ?? null;
        if (hasWrapUps && !open) {
          open = true;
          if (presence === null || presence === 'after-call-work' || presence === 'offline') return EMPTY;
          before = presence;
          return presenceRequest('after-call-work');
        }
        if (!hasWrapUps && open) {
          open = false;
          const back = before;
          before = null;
          if (back === null || presence !== 'after-call-work') return EMPTY;
          return presenceRequest(back);
        }
        return EMPTY;
      }),
    ),
  ).pipe(takeUntil(stopped(actions$)));
};

export const callsEffects: readonly Effect[] = [telephonyEffect, callRecordEffect, afterCallWorkEffect];

/** Reads a `TelephonyOption` from the shorthand hosts may pass (just the factory). */
export function telephonyOption(value: TelephonyOption | (() => Promise<Telephony | null>) | undefined): TelephonyOption | null {
  if (value === undefined) return null;
  return typeof value === 'function' ? { create: value } : value;
}
