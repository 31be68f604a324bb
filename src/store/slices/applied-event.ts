import type { ConnectorEvent } from '../../connector/connector.js';

/** The backend event that the current action applies, once sequencing has accepted it; otherwise null. */
export type AppliedEvent = ConnectorEvent | null;
