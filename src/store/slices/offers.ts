import type { WorkOffer } from '../../connector/model.js';
import { PersistentMap } from '../persistent-map.js';
import type { Action } from '../action.js';
import * as actions from '../actions.js';
import * as accessActions from '../actions-access.js';
import * as offerActions from '../actions-offers.js';
import type { ErrorInfo } from '../errors.js';
import type { AppliedEvent } from './applied-event.js';

/** What the agent asked for an offer and how it is going; a failure stays (with its reason) until dismissed. */
export interface OfferRequest {
  readonly kind: 'accept' | 'decline';
  readonly status: 'pending' | 'failed';
  readonly error: ErrorInfo | null;
  /** The offer as it was asked about, so a failure can still name it after the backend withdrew the offer. */
  readonly offer: WorkOffer | null;
}

/** An offer the agent settled; numbered so a part can tell the outcomes it has not reported yet. */
export interface OfferOutcome {
  readonly n: number;
  readonly offerId: string;
  readonly conversationId: string | null;
  readonly outcome: 'accepted' | 'declined';
}

export interface OffersSlice {
  readonly entities: PersistentMap<WorkOffer>;
  /** Accept or decline requests by offer id; an entry leaves when its command succeeds or its error is dismissed. */
  readonly requests: PersistentMap<OfferRequest>;
  /** The latest settled offers, newest last (at most {@link MAX_OUTCOMES}). */
  readonly outcomes: readonly OfferOutcome[];
  readonly outcomeCount: number;
}

export const initialOffers: OffersSlice = { entities: PersistentMap.empty(), requests: PersistentMap.empty(), outcomes: [], outcomeCount: 0 };

const MAX_OUTCOMES = 20;

const withEntities = (slice: OffersSlice, entities: PersistentMap<WorkOffer>): OffersSlice =>
  entities === slice.entities ? slice : { ...slice, entities };

function settle(slice: OffersSlice, offerId: string, conversationId: string | null, outcome: OfferOutcome['outcome']): OffersSlice {
  const n = slice.outcomeCount + 1;
  return {
    entities: slice.entities.delete(offerId),
    requests: slice.requests.delete(offerId),
    outcomes: [...slice.outcomes, { n, offerId, conversationId, outcome }].slice(-MAX_OUTCOMES),
    outcomeCount: n,
  };
}

function request(slice: OffersSlice, offerId: string, kind: OfferRequest['kind']): OffersSlice {
  // One command per offer at a time: a second click (or accept after decline) waits for the first to settle.
  if (slice.requests.get(offerId)?.status === 'pending') return slice;
  const offer = slice.entities.get(offerId) ?? null;
  return { ...slice, requests: slice.requests.set(offerId, { kind, status: 'pending', error: null, offer }) };
}

function fail(slice: OffersSlice, offerId: string, error: ErrorInfo): OffersSlice {
  const current = slice.requests.get(offerId);
  if (!current) return slice;
  return { ...slice, requests: slice.requests.set(offerId, { ...current, status: 'failed', error }) };
}

export function offersReducer(slice: OffersSlice, action: Action, event: AppliedEvent): OffersSlice {
  if (event?.type === 'offer.created') return withEntities(slice, slice.entities.set(event.offer.id, event.offer));
  // The request (if any) stays: its command is still running, or its failure is still shown.
  if (event?.type === 'offer.revoked') return withEntities(slice, slice.entities.delete(event.offerId));
  if (offerActions.offerAcceptRequested.match(action)) return request(slice, action.payload.offerId, 'accept');
  if (offerActions.offerDeclineRequested.match(action)) return request(slice, action.payload.offerId, 'decline');
  if (offerActions.offerAccepted.match(action)) {
    return settle(slice, action.payload.offerId, action.payload.conversation.id, 'accepted');
  }
  if (offerActions.offerDeclined.match(action)) return settle(slice, action.payload.offerId, action.payload.conversationId, 'declined');
  if (offerActions.offerAcceptFailed.match(action) || offerActions.offerDeclineFailed.match(action)) {
    return fail(slice, action.payload.offerId, action.payload.error);
  }
  if (offerActions.offerErrorDismissed.match(action)) {
    const current = slice.requests.get(action.payload.offerId);
    if (current?.status !== 'failed') return slice;
    return { ...slice, requests: slice.requests.delete(action.payload.offerId) };
  }
  if (actions.snapshotLoaded.match(action)) return { ...slice, entities: PersistentMap.fromEntities(action.payload.snapshot.offers) };
  if (accessActions.accessChanged.match(action) && !action.payload.viewPii) return { ...slice, entities: PersistentMap.empty() };
  if (actions.workspaceStopped.match(action)) return initialOffers;
  return slice;
}
