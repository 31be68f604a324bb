import { TelephonyError, type TelephonyErrorCode, type TelephonyErrorInfo } from '../telephony.js';

const mediaErrorCodes: Readonly<Record<string, TelephonyErrorCode>> = {
  NotAllowedError: 'media-denied',
  SecurityError: 'media-denied',
  NotFoundError: 'device-unavailable',
  OverconstrainedError: 'device-unavailable',
  NotReadableError: 'device-unavailable',
  AbortError: 'device-unavailable',
};

/** Turns anything thrown (sip.js errors, DOMExceptions from getUserMedia) into a TelephonyError. */
export function toTelephonyError(error: unknown, fallback: TelephonyErrorCode, message?: string): TelephonyError {
  if (error instanceof TelephonyError) return error;
  const name = error instanceof Error || error instanceof DOMException ? error.name : '';
  const detail = error instanceof Error || error instanceof DOMException ? error.message : String(error);
  const code = mediaErrorCodes[name] ?? fallback;
  return new TelephonyError(code, message ?? (detail || code), { cause: error });
}

/** The plain-data form carried by `registration` events. */
export function errorInfo(error: TelephonyError): TelephonyErrorInfo {
  return { code: error.code, message: error.message };
}

/** Status codes of a REGISTER answer that mean "these credentials are not accepted". */
export function isAuthFailure(statusCode: number): boolean {
  return statusCode === 401 || statusCode === 403 || statusCode === 407;
}
