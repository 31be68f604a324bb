import type { WorkOffer } from '../connector/model.js';
import { createSelector } from './select.js';
import type { OfferRequest } from './slices/offers.js';
import type { DeskState } from './state.js';

/** Offers awaiting the agent, soonest to expire first (whether one has expired is the viewer's clock to say). */
export const selectOffers = createSelector([(state: DeskState) => state.offers.entities], (entities): readonly WorkOffer[] =>
  entities.values().sort((a, b) => a.expiresAt - b.expiresAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)),
);
export const selectOfferRequests = (state: DeskState) => state.offers.requests;
export const selectOfferOutcomes = (state: DeskState) => state.offers.outcomes;

/** Requests that failed, with the offer they were about, for showing the reason even after the offer is gone. */
export const selectFailedOfferRequests = createSelector([selectOfferRequests], (requests) => {
  const failed: { readonly offerId: string; readonly request: OfferRequest }[] = [];
  requests.forEach((request, offerId) => {
    if (request.status === 'failed') failed.push({ offerId, request });
  });
  return failed;
});
