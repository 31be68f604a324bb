import type { ConnectionState, ConnectorCapabilities, ConnectorEvent } from '../../connector/connector.js';
import type { Action } from '../action.js';
import * as actions from '../actions.js';
import type { ErrorInfo } from '../errors.js';

/**
 * The link to the backend: its state, what it can do, and the sequence bookkeeping that tells an event to
 * apply from a duplicate or a gap.
 */
export interface ConnectionSlice {
  readonly state: ConnectionState;
  readonly capabilities: ConnectorCapabilities | null;
  readonly error: ErrorInfo | null;
  /** `syncing` until a snapshot is in; events are only applied while `live`. */
  readonly sync: 'idle' | 'syncing' | 'live';
  /** The last applied sequence number of every stream. */
  readonly sequences: Readonly<Record<string, number>>;
  /** Set when an event skipped ahead; the resync effect clears it by loading a snapshot. */
  readonly gap: { readonly stream: string; readonly expected: number; readonly received: number } | null;
  readonly duplicatesIgnored: number;
}

export const initialConnection: ConnectionSlice = {
  state: 'disconnected',
  capabilities: null,
  error: null,
  sync: 'idle',
  sequences: {},
  gap: null,
  duplicatesIgnored: 0,
};

export type SequenceVerdict = 'apply' | 'duplicate' | 'gap' | 'not-live';

/** Whether an event continues its stream. A stream first seen after the snapshot starts from 0. */
export function sequenceVerdict(slice: ConnectionSlice, event: ConnectorEvent): SequenceVerdict {
  if (slice.sync !== 'live') return 'not-live';
  const last = slice.sequences[event.stream] ?? 0;
  if (event.seq <= last) return 'duplicate';
  if (event.seq !== last + 1) return 'gap';
  return 'apply';
}

export function connectionReducer(slice: ConnectionSlice, action: Action): ConnectionSlice {
  if (actions.connectionStateChanged.match(action)) {
    const state = action.payload.state;
    if (state === slice.state) return slice;
    // After a drop the stream may have moved on without us: resync when it comes back.
    const sync = state === 'connected' ? slice.sync : state === 'disconnected' ? 'idle' : slice.sync === 'live' ? 'syncing' : slice.sync;
    return { ...slice, state, sync };
  }
  if (actions.connected.match(action)) {
    return { ...slice, state: 'connected', capabilities: action.payload.capabilities, error: null, sync: 'syncing' };
  }
  if (actions.connectFailed.match(action)) return { ...slice, error: action.payload.error, sync: 'idle' };
  if (actions.snapshotLoaded.match(action)) {
    return { ...slice, sync: 'live', sequences: action.payload.snapshot.sequences, gap: null, error: null };
  }
  if (actions.snapshotFailed.match(action) || actions.eventStreamFailed.match(action)) {
    return { ...slice, error: action.payload.error };
  }
  if (actions.eventReceived.match(action)) {
    const event = action.payload.event;
    switch (sequenceVerdict(slice, event)) {
      case 'apply':
        return { ...slice, sequences: { ...slice.sequences, [event.stream]: event.seq } };
      case 'duplicate':
        return { ...slice, duplicatesIgnored: slice.duplicatesIgnored + 1 };
      case 'gap':
        return {
          ...slice,
          sync: 'syncing',
          gap: { stream: event.stream, expected: (slice.sequences[event.stream] ?? 0) + 1, received: event.seq },
        };
      case 'not-live':
        return slice;
    }
  }
  if (actions.workspaceStopped.match(action)) return initialConnection;
  return slice;
}
