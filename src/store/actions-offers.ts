/**
 * Actions on work offers: the `Conversation List` part accepts or declines them, the backend (`Connector`) answers.
 * Offers themselves arrive as `offer.created` / `offer.revoked` events and in snapshots.
 */
import { defineAction, payload } from './action.js';
import type { ErrorInfo } from './errors.js';
import type { Conversation } from '../connector/model.js';

export const offerAcceptRequested = defineAction('[Conversation List] offer accept requested', payload<{ offerId: string }>());
export const offerDeclineRequested = defineAction('[Conversation List] offer decline requested', payload<{ offerId: string }>());
/** The conversation is the agent's now; the store selects it next. */
export const offerAccepted = defineAction('[Connector] offer accepted', payload<{ offerId: string; conversation: Conversation }>());
export const offerAcceptFailed = defineAction('[Connector] offer accept failed', payload<{ offerId: string; error: ErrorInfo }>());
export const offerDeclined = defineAction('[Connector] offer declined', payload<{ offerId: string; conversationId: string | null }>());
export const offerDeclineFailed = defineAction('[Connector] offer decline failed', payload<{ offerId: string; error: ErrorInfo }>());
export const offerErrorDismissed = defineAction('[Conversation List] offer error dismissed', payload<{ offerId: string }>());
