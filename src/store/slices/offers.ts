import type { WorkOffer } from '../../connector/model.js';
import { PersistentMap } from '../../internal/persistent-map.js';
import type { Action } from '../action.js';
import * as actions from '../actions.js';
import type { AppliedEvent } from './applied-event.js';

export interface OffersSlice {
  readonly entities: PersistentMap<WorkOffer>;
}

export const initialOffers: OffersSlice = { entities: PersistentMap.empty() };

const withEntities = (slice: OffersSlice, entities: PersistentMap<WorkOffer>): OffersSlice =>
  entities === slice.entities ? slice : { entities };

export function offersReducer(slice: OffersSlice, action: Action, event: AppliedEvent): OffersSlice {
  if (event?.type === 'offer.created') return withEntities(slice, slice.entities.set(event.offer.id, event.offer));
  if (event?.type === 'offer.revoked') return withEntities(slice, slice.entities.delete(event.offerId));
  if (actions.snapshotLoaded.match(action)) return { entities: PersistentMap.fromEntities(action.payload.snapshot.offers) };
  if (actions.workspaceStopped.match(action)) return initialOffers;
  return slice;
}
