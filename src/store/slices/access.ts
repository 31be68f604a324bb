import type { IdentityKind } from '../../connector/model.js';
import type { Action } from '../action.js';
import * as actions from '../actions.js';
import * as access from '../actions-access.js';
import type { ErrorInfo } from '../errors.js';

/** One identity the agent asked to see in clear. */
export interface RevealedIdentity {
  readonly kind: IdentityKind;
  /** The masked value shown, which this entry stands in for. */
  readonly masked: string;
  readonly status: 'revealing' | 'revealed' | 'failed';
  /** The clear value once revealed. Held in memory only: never cached, never reported to the host. */
  readonly value: string | null;
  readonly error: ErrorInfo | null;
}

/** Reveals for the customer shown, and for that customer only; the store clears them when the agent leaves it. */
export interface AccessSlice {
  readonly customerId: string | null;
  readonly revealed: readonly RevealedIdentity[];
}

export const initialAccess: AccessSlice = { customerId: null, revealed: [] };

function put(slice: AccessSlice, customerId: string, entry: RevealedIdentity): AccessSlice {
  const others = slice.customerId === customerId ? slice.revealed.filter((held) => held.kind !== entry.kind || held.masked !== entry.masked) : [];
  return { customerId, revealed: [...others, entry] };
}

export function accessReducer(slice: AccessSlice, action: Action): AccessSlice {
  if (access.identityRevealRequested.match(action)) {
    const { customerId, identity } = action.payload;
    return put(slice, customerId, { kind: identity.kind, masked: identity.value, status: 'revealing', value: null, error: null });
  }
  if (access.identityRevealed.match(action)) {
    const { customerId, masked, identity } = action.payload;
    // A reveal that answers after the agent moved on is dropped.
    if (slice.customerId !== customerId) return slice;
    return put(slice, customerId, { kind: masked.kind, masked: masked.value, status: 'revealed', value: identity.value, error: null });
  }
  if (access.identityRevealFailed.match(action)) {
    const { customerId, masked, error } = action.payload;
    if (slice.customerId !== customerId) return slice;
    return put(slice, customerId, { kind: masked.kind, masked: masked.value, status: 'failed', value: null, error });
  }
  if (access.revealsCleared.match(action) || access.accessChanged.match(action) || actions.workspaceStopped.match(action) || actions.connected.match(action)) {
    return slice.customerId === null && slice.revealed.length === 0 ? slice : initialAccess;
  }
  return slice;
}
