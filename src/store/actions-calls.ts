/**
 * Actions of the softphone. Sources: the `Softphone` part (intents), the phone itself (`Telephony`: registration,
 * calls, quality, devices, command outcomes) and the backend (`Connector`: the caller's lookup, the call record).
 */
import { defineAction, payload } from './action.js';
import type { ErrorInfo } from './errors.js';
import type { Customer, Message } from '../connector/model.js';
import type {
  AudioDevice,
  AudioDeviceSelection,
  CallInfo,
  CallQuality,
  RegistrationState,
  TelephonyErrorInfo,
} from '../telephony/telephony.js';

/** The phone commands the softphone asks for; a failure names the one that failed. */
export type CallCommand =
  | 'dial'
  | 'answer'
  | 'reject'
  | 'hangup'
  | 'hold'
  | 'resume'
  | 'mute'
  | 'dtmf'
  | 'blind-transfer'
  | 'consult'
  | 'complete-transfer'
  | 'cancel-transfer'
  | 'devices';

// The phone's lifecycle
/** The desk has a phone (it was created or loaded) and starts registering it. */
export const telephonyReady = defineAction('[Telephony] ready');
/** This desk has no phone: the host gave none and the backend has no telephony. */
export const telephonyAbsent = defineAction('[Telephony] absent');
/** The phone could not be loaded or did not register. */
export const telephonyStartFailed = defineAction('[Telephony] start failed', payload<{ error: TelephonyErrorInfo }>());
export const registrationChanged = defineAction(
  '[Telephony] registration changed',
  payload<{ state: RegistrationState; error: TelephonyErrorInfo | null }>(),
);
export const callUpdated = defineAction('[Telephony] call updated', payload<{ call: CallInfo }>());
export const qualitySampled = defineAction('[Telephony] quality sampled', payload<{ quality: CallQuality }>());
export const devicesChanged = defineAction(
  '[Telephony] devices changed',
  payload<{ devices: readonly AudioDevice[]; selection: AudioDeviceSelection | null }>(),
);
/** Whether this tab may ring: with several tabs open, one rings and the others only show the call. */
export const ringingAllowedChanged = defineAction('[Telephony] ringing allowed changed', payload<{ allowed: boolean }>());

// Intents of the agent
export const dialRequested = defineAction('[Softphone] dial requested', payload<{ target: string }>());
export const answerRequested = defineAction('[Softphone] answer requested', payload<{ callId: string }>());
export const rejectRequested = defineAction('[Softphone] reject requested', payload<{ callId: string }>());
export const hangupRequested = defineAction('[Softphone] hang up requested', payload<{ callId: string }>());
export const holdRequested = defineAction('[Softphone] hold requested', payload<{ callId: string }>());
/** Takes a held call back; the call in progress, if any, is held first (switching between calls). */
export const resumeRequested = defineAction('[Softphone] resume requested', payload<{ callId: string }>());
export const muteRequested = defineAction('[Softphone] mute requested', payload<{ callId: string; muted: boolean }>());
export const dtmfRequested = defineAction('[Softphone] DTMF requested', payload<{ callId: string; tones: string }>());
export const blindTransferRequested = defineAction('[Softphone] blind transfer requested', payload<{ callId: string; target: string }>());
/** Attended transfer, step one: hold the call and call the colleague to consult. */
export const consultRequested = defineAction('[Softphone] consult requested', payload<{ callId: string; target: string }>());
export const transferCompletionRequested = defineAction(
  '[Softphone] transfer completion requested',
  payload<{ callId: string; consultCallId: string }>(),
);
export const transferCancellationRequested = defineAction(
  '[Softphone] transfer cancellation requested',
  payload<{ callId: string; consultCallId: string }>(),
);
export const devicesChangeRequested = defineAction('[Softphone] devices change requested', payload<{ selection: Partial<AudioDeviceSelection> }>());
export const callErrorDismissed = defineAction('[Softphone] call error dismissed');
export const deviceFallbackDismissed = defineAction('[Softphone] device fallback dismissed');

// Outcomes of commands
export const callCommandCompleted = defineAction('[Telephony] command completed', payload<{ command: CallCommand; callId: string | null }>());
export const callCommandFailed = defineAction(
  '[Telephony] command failed',
  payload<{ command: CallCommand; callId: string | null; error: TelephonyErrorInfo }>(),
);

// Who is calling
export const callerMatched = defineAction(
  '[Connector] caller matched',
  payload<{ callId: string; customer: Customer; conversationId: string | null }>(),
);
export const callerUnknown = defineAction('[Connector] caller unknown', payload<{ callId: string }>());
export const callerLookupFailed = defineAction('[Connector] caller lookup failed', payload<{ callId: string; error: ErrorInfo }>());

// After-call work
export const wrapUpSubmitted = defineAction(
  '[Softphone] wrap-up submitted',
  payload<{ callId: string; disposition: string | null; notes: string; requestKey: string }>(),
);
export const wrapUpDiscarded = defineAction('[Softphone] wrap-up discarded', payload<{ callId: string }>());
/** The backend recorded the call: the message holds it (`call` set) in the customer's phone conversation. */
export const callRecordSaved = defineAction('[Softphone] call record saved', payload<{ callId: string; message: Message; customerId: string | null }>());
/** Another tab of the agent saved or discarded this call's wrap-up: its form here closes too. */
export const wrapUpClosedElsewhere = defineAction('[Tabs] wrap-up closed elsewhere', payload<{ callId: string; saved: boolean }>());
export const callRecordSaveFailed = defineAction('[Connector] call record save failed', payload<{ callId: string; error: ErrorInfo }>());
