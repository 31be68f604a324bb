import { toConnectorError, type ConnectorErrorCode } from '../connector/errors.js';

/** A failure as the store keeps it: plain data, readable by a person. */
export interface ErrorInfo {
  readonly code: ConnectorErrorCode;
  readonly message: string;
}

export function toErrorInfo(error: unknown): ErrorInfo {
  const connectorError = toConnectorError(error);
  return { code: connectorError.code, message: connectorError.message };
}

/** How one request is going: the status the UI shows next to what it loads. */
export type RequestStatus = 'idle' | 'loading' | 'loaded' | 'failed';
