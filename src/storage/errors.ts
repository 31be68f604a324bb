/**
 * Why storage could not do what it was asked:
 * - `quota`: the browser refused to store more (QuotaExceededError);
 * - `outdated`: a newer version of the desk (another tab) upgraded the database; this page must reload to use it;
 * - `closed`: the database was closed (the store stopped, or it was deleted and not reopened yet);
 * - `unsent`: clearing the stored desk was refused: its outbox holds replies the backend has not confirmed;
 * - `failed`: anything else (IndexedDB missing, private mode, a broken database, an unusable storage key).
 */
export type StorageErrorReason = 'quota' | 'outdated' | 'closed' | 'unsent' | 'failed';

export class StorageError extends Error {
  readonly reason: StorageErrorReason;

  constructor(reason: StorageErrorReason, message: string, options: { cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'StorageError';
    this.reason = reason;
  }
}

/** True for the browser's "no space left" in any of its shapes (a DOMException, or a transaction aborted by one). */
export function isQuotaExceeded(error: unknown): boolean {
  if (error instanceof StorageError) return error.reason === 'quota';
  if (typeof error !== 'object' || error === null) return false;
  const named = error as { name?: unknown; code?: unknown; error?: unknown };
  // Legacy code 22 is QUOTA_EXCEEDED_ERR; an aborted transaction carries its cause in `error`.
  return named.name === 'QuotaExceededError' || named.code === 22 || (named.error !== undefined && named.error !== error && isQuotaExceeded(named.error));
}

/** Turns whatever IndexedDB threw into a StorageError with a readable message. */
export function toStorageError(error: unknown): StorageError {
  if (error instanceof StorageError) return error;
  if (isQuotaExceeded(error)) {
    return new StorageError('quota', 'The browser has no storage space left for the desk (QuotaExceededError).', { cause: error });
  }
  if (error instanceof DOMException && error.name === 'VersionError') {
    return new StorageError('outdated', 'A newer version of the desk has upgraded its storage; reload the page to use it.', { cause: error });
  }
  if (error instanceof DOMException && error.name === 'InvalidStateError') {
    return new StorageError('closed', 'The desk storage is closed.', { cause: error });
  }
  const detail = error instanceof Error && error.message ? error.message : String(error);
  return new StorageError('failed', `The desk storage failed: ${detail}`, { cause: error });
}
