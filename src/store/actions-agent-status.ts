/**
 * Actions of the agent's own status: presence, per-channel capacity. Sources: the `Agent Status` part (intents)
 * and the backend (`Connector`, outcomes).
 */
import { defineAction, payload } from './action.js';
import type { ErrorInfo } from './errors.js';
import type { Agent, Channel, Presence } from '../connector/model.js';

export const presenceChangeRequested = defineAction('[Agent Status] presence change requested', payload<{ presence: Presence }>());
/** The backend confirmed the new presence; `previous` is what the agent had when they asked. */
export const presenceChanged = defineAction('[Connector] presence changed', payload<{ agent: Agent; previous: Presence | null }>());
export const presenceChangeFailed = defineAction('[Connector] presence change failed', payload<{ presence: Presence; error: ErrorInfo }>());
export const presenceErrorDismissed = defineAction('[Agent Status] presence error dismissed');

export const capacityChangeRequested = defineAction('[Agent Status] capacity change requested', payload<{ channel: Channel; max: number }>());
export const capacityChanged = defineAction('[Connector] capacity changed', payload<{ channel: Channel; agent: Agent }>());
export const capacityChangeFailed = defineAction('[Connector] capacity change failed', payload<{ channel: Channel; max: number; error: ErrorInfo }>());
