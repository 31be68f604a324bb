/** Why a connector command failed. Every connector rejects with a {@link ConnectorError}. */
export type ConnectorErrorCode = 'not-found' | 'forbidden' | 'conflict' | 'invalid' | 'unavailable' | 'aborted';

export const CONNECTOR_ERROR_CODES: readonly ConnectorErrorCode[] = [
  'not-found',
  'forbidden',
  'conflict',
  'invalid',
  'unavailable',
  'aborted',
];

/**
 * A typed, readable connector failure. `message` is written for a person (an agent or a host developer);
 * `code` is for code.
 */
export class ConnectorError extends Error {
  readonly code: ConnectorErrorCode;
  /** For `invalid`: the offending field, when one is known. */
  readonly field: string | null;

  constructor(code: ConnectorErrorCode, message: string, options: { field?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ConnectorError';
    this.code = code;
    this.field = options.field ?? null;
  }
}

export const notFound = (what: string, id: string): ConnectorError =>
  new ConnectorError('not-found', `${what} "${id}" was not found.`);
export const forbidden = (message: string): ConnectorError => new ConnectorError('forbidden', message);
export const conflict = (message: string): ConnectorError => new ConnectorError('conflict', message);
export const invalid = (field: string, message: string): ConnectorError =>
  new ConnectorError('invalid', message, { field });
export const unavailable = (message: string, cause?: unknown): ConnectorError =>
  new ConnectorError('unavailable', message, { cause });
export const aborted = (): ConnectorError => new ConnectorError('aborted', 'The request was cancelled.');

export function isConnectorError(value: unknown): value is ConnectorError {
  return value instanceof ConnectorError;
}

/** Turns anything a connector threw into a ConnectorError, so the store can show a readable message. */
export function toConnectorError(error: unknown): ConnectorError {
  if (error instanceof ConnectorError) return error;
  if (error instanceof DOMException && error.name === 'AbortError') return aborted();
  const message = error instanceof Error && error.message ? error.message : String(error);
  return new ConnectorError('unavailable', `The backend failed: ${message}`, { cause: error });
}
