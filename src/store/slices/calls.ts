import type { Customer } from '../../connector/model.js';
import type {
  AudioDevice,
  AudioDeviceSelection,
  CallInfo,
  CallQuality,
  RegistrationState,
  TelephonyErrorInfo,
} from '../../telephony/telephony.js';
import type { Action } from '../action.js';
import * as actions from '../actions.js';
import * as calls from '../actions-calls.js';
import type { CallCommand } from '../actions-calls.js';
import type { ErrorInfo } from '../errors.js';

/** Who is calling, as far as the backend could tell from the number. */
export interface CallerMatch {
  readonly status: 'looking' | 'matched' | 'unknown' | 'failed';
  readonly customer: Customer | null;
  /** The customer's phone conversation (or latest conversation) that a screen pop opens. */
  readonly conversationId: string | null;
}

export interface CallEntry {
  readonly info: CallInfo;
  /** Null for outbound calls, which the agent placed knowingly. */
  readonly caller: CallerMatch | null;
  readonly quality: CallQuality | null;
}

/** A call that ended after it was answered, waiting for the agent's disposition and notes. */
export interface WrapUp {
  readonly call: CallInfo;
  readonly customerId: string | null;
  readonly customerName: string | null;
  readonly conversationId: string | null;
  readonly status: 'open' | 'saving' | 'failed';
  readonly requestKey: string | null;
  /** What the last save sent, and how often the agent changed it after a save: see {@link wrapUpRequestKey}. */
  readonly submitted: WrapUpBody | null;
  readonly revision: number;
  readonly error: ErrorInfo | null;
}

/** What the agent writes in a wrap-up. */
export interface WrapUpBody {
  readonly disposition: string | null;
  readonly notes: string;
}

/** The revision a save of `body` has: the last one's if the body is unchanged, else the next. */
function revisionFor(wrapUp: WrapUp, body: WrapUpBody): number {
  const { submitted } = wrapUp;
  return submitted === null || (submitted.disposition === body.disposition && submitted.notes === body.notes) ? wrapUp.revision : wrapUp.revision + 1;
}

/**
 * The idempotency key of a wrap-up's save, derived from the call (its id and start, the same in every tab of the
 * agent) and the revision of what is sent. Every tab's first save of a call has the same key, so two tabs cannot
 * record one call twice (the backend answers the second with the first record, or a conflict if the bodies
 * differ); a retry of an unchanged form repeats the key, so it records once; a retry with edited notes has a key
 * of its own, so the backend does not refuse it as a conflict with the earlier, failed body.
 */
export function wrapUpRequestKey(wrapUp: WrapUp, body: WrapUpBody): string {
  const revision = revisionFor(wrapUp, body);
  const base = `call-record:${wrapUp.call.id}:${wrapUp.call.createdAt}`;
  return revision === 0 ? base : `${base}:${revision}`;
}

export type DeviceRole = 'microphone' | 'speaker' | 'ringer';

/** A selected device that went away; the phone fell back to the system default. */
export interface DeviceFallback {
  readonly role: DeviceRole;
  /** The removed device's label (may be empty when the page could not read labels). */
  readonly label: string;
}

export interface CallsSlice {
  /** `unknown` until the desk has connected; `none` when this desk has no phone. */
  readonly availability: 'unknown' | 'available' | 'none' | 'failed';
  readonly registration: RegistrationState;
  /** Why the phone did not register (or failed to start). */
  readonly registrationError: TelephonyErrorInfo | null;
  /** Calls that have not ended, oldest first. Few at a time, so an array. */
  readonly calls: readonly CallEntry[];
  /** The command in flight and the call it is about. */
  readonly pending: { readonly command: CallCommand; readonly callId: string | null } | null;
  /** The last command that failed, shown until dismissed or until the next command. */
  readonly error: { readonly command: CallCommand; readonly callId: string | null; readonly error: TelephonyErrorInfo } | null;
  readonly devices: readonly AudioDevice[];
  readonly selection: AudioDeviceSelection;
  readonly fallback: DeviceFallback | null;
  readonly wrapUps: readonly WrapUp[];
  readonly ringsHere: boolean;
}

const defaultSelection: AudioDeviceSelection = { microphoneId: null, speakerId: null, ringerId: null };

export const initialCalls: CallsSlice = {
  availability: 'unknown',
  registration: 'unregistered',
  registrationError: null,
  calls: [],
  pending: null,
  error: null,
  devices: [],
  selection: defaultSelection,
  fallback: null,
  wrapUps: [],
  ringsHere: true,
};

const ROLES: readonly { role: DeviceRole; key: keyof AudioDeviceSelection; kind: AudioDevice['kind'] }[] = [
  { role: 'microphone', key: 'microphoneId', kind: 'audioinput' },
  { role: 'speaker', key: 'speakerId', kind: 'audiooutput' },
  { role: 'ringer', key: 'ringerId', kind: 'audiooutput' },
];

/** A selected device that is no longer listed falls back to the default (null), and the agent is told which. */
function withDevices(slice: CallsSlice, devices: readonly AudioDevice[], reported: AudioDeviceSelection | null): CallsSlice {
  const wanted = reported ?? slice.selection;
  let selection = wanted;
  let fallback = slice.fallback;
  for (const { role, key, kind } of ROLES) {
    const previousId = slice.selection[key];
    const id = wanted[key];
    const present = id === null || devices.some((device) => device.id === id && device.kind === kind);
    if (!present) selection = { ...selection, [key]: null };
    const gone = previousId !== null && !devices.some((device) => device.id === previousId);
    if (gone && (selection[key] === null || !present)) {
      fallback = { role, label: slice.devices.find((device) => device.id === previousId)?.label ?? '' };
    }
  }
  return { ...slice, devices, selection, fallback };
}

function replaceCall(slice: CallsSlice, callId: string, change: (entry: CallEntry) => CallEntry): CallsSlice {
  const index = slice.calls.findIndex((entry) => entry.info.id === callId);
  const entry = slice.calls[index];
  if (!entry) return slice;
  const next = change(entry);
  if (next === entry) return slice;
  const list = [...slice.calls];
  list[index] = next;
  return { ...slice, calls: list };
}

function onCall(slice: CallsSlice, call: CallInfo): CallsSlice {
  const existing = slice.calls.find((entry) => entry.info.id === call.id);
  if (call.state === 'ended') {
    const calls = slice.calls.filter((entry) => entry.info.id !== call.id);
    const pending = slice.pending?.callId === call.id ? null : slice.pending;
    // A consultation is part of the transfer it serves; a call nobody answered has nothing to wrap up.
    const needsWrapUp = call.answeredAt !== null && call.consultFor === null && !slice.wrapUps.some((wrapUp) => wrapUp.call.id === call.id);
    const match = existing?.caller?.status === 'matched' ? existing.caller : null;
    const wrapUps = needsWrapUp
      ? [
          ...slice.wrapUps,
          {
            call,
            customerId: match?.customer?.id ?? null,
            customerName: match?.customer?.name ?? null,
            conversationId: match?.conversationId ?? null,
            status: 'open' as const,
            requestKey: null,
            submitted: null,
            revision: 0,
            error: null,
          },
        ]
      : slice.wrapUps;
    return existing || needsWrapUp ? { ...slice, calls, pending, wrapUps } : slice;
  }
  if (existing) return replaceCall(slice, call.id, (entry) => ({ ...entry, info: call }));
  const caller: CallerMatch | null = call.direction === 'inbound' ? { status: 'looking', customer: null, conversationId: null } : null;
  return { ...slice, calls: [...slice.calls, { info: call, caller, quality: null }] };
}

function withCaller(slice: CallsSlice, callId: string, caller: CallerMatch): CallsSlice {
  return replaceCall(slice, callId, (entry) => ({ ...entry, caller }));
}

function settleWrapUp(slice: CallsSlice, clientKey: string | null): CallsSlice {
  // Saves run one at a time, in order: the answer is for the save whose key it carries, else the oldest one saving.
  const byKey = slice.wrapUps.findIndex((wrapUp) => wrapUp.status === 'saving' && wrapUp.requestKey !== null && wrapUp.requestKey === clientKey);
  const target = byKey >= 0 ? byKey : slice.wrapUps.findIndex((wrapUp) => wrapUp.status === 'saving');
  if (target < 0) return slice;
  return { ...slice, wrapUps: slice.wrapUps.filter((_, position) => position !== target) };
}

export function callsReducer(slice: CallsSlice, action: Action): CallsSlice {
  if (calls.telephonyReady.match(action)) return { ...slice, availability: 'available', registrationError: null };
  if (calls.telephonyAbsent.match(action)) return { ...slice, availability: 'none' };
  if (calls.telephonyStartFailed.match(action)) {
    return { ...slice, availability: slice.availability === 'available' ? 'available' : 'failed', registration: 'failed', registrationError: action.payload.error };
  }
  if (calls.registrationChanged.match(action)) {
    const { state, error } = action.payload;
    return { ...slice, registration: state, registrationError: state === 'registered' ? null : (error ?? slice.registrationError) };
  }
  if (calls.callUpdated.match(action)) return onCall(slice, action.payload.call);
  if (calls.qualitySampled.match(action)) {
    const { quality } = action.payload;
    return replaceCall(slice, quality.callId, (entry) => ({ ...entry, quality }));
  }
  if (calls.devicesChanged.match(action)) return withDevices(slice, action.payload.devices, action.payload.selection);
  if (calls.ringingAllowedChanged.match(action)) {
    return slice.ringsHere === action.payload.allowed ? slice : { ...slice, ringsHere: action.payload.allowed };
  }

  if (
    calls.dialRequested.match(action) ||
    calls.answerRequested.match(action) ||
    calls.rejectRequested.match(action) ||
    calls.hangupRequested.match(action) ||
    calls.holdRequested.match(action) ||
    calls.resumeRequested.match(action) ||
    calls.muteRequested.match(action) ||
    calls.dtmfRequested.match(action) ||
    calls.blindTransferRequested.match(action) ||
    calls.consultRequested.match(action) ||
    calls.transferCompletionRequested.match(action) ||
    calls.transferCancellationRequested.match(action) ||
    calls.devicesChangeRequested.match(action)
  ) {
    return { ...slice, pending: pendingOf(action), error: null };
  }
  if (calls.callCommandCompleted.match(action)) {
    const { command, callId } = action.payload;
    const settled = slice.pending?.command === command && slice.pending.callId === callId;
    return settled ? { ...slice, pending: null } : slice;
  }
  if (calls.callCommandFailed.match(action)) {
    const { command, callId, error } = action.payload;
    const settled = slice.pending?.command === command && slice.pending.callId === callId;
    return { ...slice, pending: settled ? null : slice.pending, error: { command, callId, error } };
  }
  if (calls.callErrorDismissed.match(action)) return slice.error === null ? slice : { ...slice, error: null };
  if (calls.deviceFallbackDismissed.match(action)) return slice.fallback === null ? slice : { ...slice, fallback: null };

  if (calls.callerMatched.match(action)) {
    const { callId, customer, conversationId } = action.payload;
    return withCaller(slice, callId, { status: 'matched', customer, conversationId });
  }
  if (calls.callerUnknown.match(action)) return withCaller(slice, action.payload.callId, { status: 'unknown', customer: null, conversationId: null });
  if (calls.callerLookupFailed.match(action)) return withCaller(slice, action.payload.callId, { status: 'failed', customer: null, conversationId: null });

  if (calls.wrapUpSubmitted.match(action)) {
    const { callId, requestKey, disposition, notes } = action.payload;
    const index = slice.wrapUps.findIndex((wrapUp) => wrapUp.call.id === callId && wrapUp.status !== 'saving');
    if (index < 0) return slice;
    const submitted: WrapUpBody = { disposition, notes };
    return {
      ...slice,
      wrapUps: slice.wrapUps.map((wrapUp, position) =>
        position === index ? { ...wrapUp, status: 'saving', requestKey, submitted, revision: revisionFor(wrapUp, submitted), error: null } : wrapUp,
      ),
    };
  }
  if (calls.wrapUpClosedElsewhere.match(action)) {
    const wrapUps = slice.wrapUps.filter((wrapUp) => wrapUp.call.id !== action.payload.callId);
    return wrapUps.length === slice.wrapUps.length ? slice : { ...slice, wrapUps };
  }
  if (calls.callRecordSaved.match(action)) return settleWrapUp(slice, action.payload.message.clientKey);
  if (calls.callRecordSaveFailed.match(action)) {
    const { callId, error } = action.payload;
    return { ...slice, wrapUps: slice.wrapUps.map((wrapUp) => (wrapUp.call.id === callId ? { ...wrapUp, status: 'failed', error } : wrapUp)) };
  }
  if (calls.wrapUpDiscarded.match(action)) {
    const wrapUps = slice.wrapUps.filter((wrapUp) => wrapUp.call.id !== action.payload.callId || wrapUp.status === 'saving');
    return wrapUps.length === slice.wrapUps.length ? slice : { ...slice, wrapUps };
  }
  if (actions.workspaceStopped.match(action)) return initialCalls;
  return slice;
}

function pendingOf(action: Action & { payload: object }): CallsSlice['pending'] {
  const callId = 'callId' in action.payload && typeof action.payload.callId === 'string' ? action.payload.callId : null;
  return { command: COMMAND_OF[action.type] ?? 'dial', callId };
}

const COMMAND_OF: Readonly<Record<string, CallCommand>> = {
  [calls.dialRequested.type]: 'dial',
  [calls.answerRequested.type]: 'answer',
  [calls.rejectRequested.type]: 'reject',
  [calls.hangupRequested.type]: 'hangup',
  [calls.holdRequested.type]: 'hold',
  [calls.resumeRequested.type]: 'resume',
  [calls.muteRequested.type]: 'mute',
  [calls.dtmfRequested.type]: 'dtmf',
  [calls.blindTransferRequested.type]: 'blind-transfer',
  [calls.consultRequested.type]: 'consult',
  [calls.transferCompletionRequested.type]: 'complete-transfer',
  [calls.transferCancellationRequested.type]: 'cancel-transfer',
  [calls.devicesChangeRequested.type]: 'devices',
};

/** The command an intent action asks for. */
export function commandOf(action: Action): CallCommand | undefined {
  return COMMAND_OF[action.type];
}
