import { PiiMasker, maskPhone } from '../connector/masking.js';
import type { CallInfo } from '../telephony/telephony.js';
import { createSelector } from './select.js';
import { selectAccess } from './selectors-access.js';
import type { CallEntry, WrapUp } from './slices/calls.js';
import type { DeskState } from './state.js';

export const selectCallsSlice = (state: DeskState) => state.calls;
export const selectCallEntries = (state: DeskState): readonly CallEntry[] => state.calls.calls;
export const selectWrapUps = (state: DeskState) => state.calls.wrapUps;
export const selectCallError = (state: DeskState) => state.calls.error;
export const selectPendingCallCommand = (state: DeskState) => state.calls.pending;
export const selectRingsHere = (state: DeskState): boolean => state.calls.ringsHere;

/** Whether the desk has a phone to show (or is still finding out, once connected). */
export const selectTelephonyAvailable = (state: DeskState): boolean =>
  state.calls.availability === 'available' || state.calls.availability === 'failed';

/** The phone's registration as the softphone's banner shows it. */
export const selectRegistration = createSelector(
  [(state: DeskState) => state.calls.availability, (state: DeskState) => state.calls.registration, (state: DeskState) => state.calls.registrationError],
  (availability, registration, error) => ({ availability, registration, error }),
);

export const selectAudioDevices = createSelector(
  [(state: DeskState) => state.calls.devices, (state: DeskState) => state.calls.selection, (state: DeskState) => state.calls.fallback],
  (devices, selection, fallback) => ({ devices, selection, fallback }),
);

/** Inbound calls waiting for an answer, oldest first. */
export const selectRingingCalls = createSelector([selectCallEntries], (entries) =>
  entries.filter((entry) => entry.info.state === 'ringing' && entry.info.direction === 'inbound'),
);

/** The call the agent is talking on (or dialling), if any. */
export const selectCurrentCall = createSelector(
  [selectCallEntries],
  (entries) => entries.find((entry) => entry.info.state === 'active') ?? entries.find((entry) => entry.info.state === 'dialing') ?? null,
);

/** Whether the ringtone should sound here: a call is ringing and this tab is the one that rings. */
export const selectShouldRing = createSelector([selectRingingCalls, selectRingsHere], (ringing, here) => here && ringing.length > 0);

/**
 * A call as the signed-in agent may see it. The phone system presents an inbound caller's number in clear; for a
 * role without `view-pii` it is masked the way the backend masks a phone identity (`+86 138 **** 5678`), and so is
 * that number wherever it appears in the name the caller presented. Numbers the agent dialled stay as typed.
 */
export function presentCall(call: CallInfo, viewPii: boolean): CallInfo {
  if (viewPii || call.direction !== 'inbound') return call;
  const masker = new PiiMasker();
  masker.learn([{ kind: 'phone', value: call.remoteNumber }]);
  return {
    ...call,
    remoteNumber: maskPhone(call.remoteNumber),
    remoteDisplayName: call.remoteDisplayName === null ? null : masker.text(call.remoteDisplayName),
  };
}

const selectViewPii = (state: DeskState): boolean => selectAccess(state).viewPii;

/** The calls as the softphone shows them and reports them to the host: see {@link presentCall}. */
export const selectShownCallEntries = createSelector([selectCallEntries, selectViewPii], (entries, viewPii): readonly CallEntry[] =>
  viewPii ? entries : entries.map((entry) => ({ ...entry, info: presentCall(entry.info, false) })),
);

/** The wrap-ups as the softphone shows them: see {@link presentCall}. */
export const selectShownWrapUps = createSelector([selectWrapUps, selectViewPii], (wrapUps, viewPii): readonly WrapUp[] =>
  viewPii ? wrapUps : wrapUps.map((wrapUp) => ({ ...wrapUp, call: presentCall(wrapUp.call, false) })),
);
