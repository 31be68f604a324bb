import type { ConnectionState, ConnectorCapabilities, ConnectorEvent } from '../../connector/connector.js';
import { PersistentMap } from '../persistent-map.js';
import type { Action } from '../action.js';
import * as actions from '../actions.js';
import * as accessActions from '../actions-access.js';
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
  /**
   * The last applied sequence number of every stream. A persistent map, because a backend may keep one stream
   * per conversation: copying a plain object of 10,000 streams on every event would make each event O(n).
   */
  readonly sequences: PersistentMap<number>;
  /** Set when an event skipped ahead; the resync effect clears it by loading a snapshot. */
  readonly gap: { readonly stream: string; readonly expected: number; readonly received: number } | null;
  readonly duplicatesIgnored: number;
  /** The connector resumes its events after a drop (see `Connector.resumesEvents`): a drop needs no snapshot. */
  readonly resumesEvents: boolean;
}

export const initialConnection: ConnectionSlice = {
  state: 'disconnected',
  capabilities: null,
  error: null,
  sync: 'idle',
  sequences: PersistentMap.empty(),
  gap: null,
  duplicatesIgnored: 0,
  resumesEvents: false,
};

export type SequenceVerdict = 'apply' | 'duplicate' | 'gap' | 'not-live';

/** Whether an event continues its stream. A stream first seen after the snapshot starts from 0. */
export function sequenceVerdict(slice: ConnectionSlice, event: ConnectorEvent): SequenceVerdict {
  if (slice.sync !== 'live') return 'not-live';
  const last = slice.sequences.get(event.stream) ?? 0;
  if (event.seq <= last) return 'duplicate';
  if (event.seq !== last + 1) return 'gap';
  return 'apply';
}

/** `verdict` lets the root reducer pass the sequence verdict it already computed for an `eventReceived`. */
export function connectionReducer(slice: ConnectionSlice, action: Action, verdict?: SequenceVerdict): ConnectionSlice {
  if (actions.connectionStateChanged.match(action)) {
    const state = action.payload.state;
    if (state === slice.state) return slice;
    // After a drop the stream may have moved on without us: once the desk has synced at all, any loss of the
    // link (reconnecting, or down and up again) means a snapshot when it comes back, unless the connector is
    // reconnecting to deliver what was missed (then a gap, or its `resync$`, still asks for one). Down is down: a
    // connector that was disconnected starts over from a snapshot of its own.
    const resuming = slice.resumesEvents && state === 'reconnecting';
    const sync = state === 'connected' || slice.sync === 'idle' || resuming ? slice.sync : 'syncing';
    return { ...slice, state, sync };
  }
  if (actions.connected.match(action)) {
    const { capabilities, resumesEvents = false } = action.payload;
    return { ...slice, state: 'connected', capabilities, error: null, sync: 'syncing', resumesEvents };
  }
  if (actions.connectFailed.match(action)) return { ...slice, error: action.payload.error, sync: 'idle' };
  if (actions.snapshotLoaded.match(action)) {
    const sequences = PersistentMap.from(Object.entries(action.payload.snapshot.sequences));
    return { ...slice, sync: 'live', sequences, gap: null, error: null };
  }
  if (actions.snapshotFailed.match(action)) return { ...slice, error: action.payload.error };
  if (actions.resyncRequested.match(action) || accessActions.accessChanged.match(action)) return slice.sync === 'live' ? { ...slice, sync: 'syncing' } : slice;
  if (actions.eventStreamFailed.match(action)) {
    // Events may be lost until the stream is back; the snapshot taken then covers them.
    return { ...slice, error: action.payload.error, sync: slice.sync === 'live' ? 'syncing' : slice.sync };
  }
  if (actions.eventReceived.match(action)) {
    const event = action.payload.event;
    switch (verdict ?? sequenceVerdict(slice, event)) {
      case 'apply':
        return { ...slice, sequences: slice.sequences.set(event.stream, event.seq) };
      case 'duplicate':
        return { ...slice, duplicatesIgnored: slice.duplicatesIgnored + 1 };
      case 'gap':
        return {
          ...slice,
          sync: 'syncing',
          gap: { stream: event.stream, expected: (slice.sequences.get(event.stream) ?? 0) + 1, received: event.seq },
        };
      case 'not-live':
        return slice;
    }
  }
  if (actions.workspaceStopped.match(action)) return initialConnection;
  return slice;
}
