// The desk's IndexedDB storage: conversation cache, drafts and the outbox. See docs/storage.md.
export { openDeskStorage, deleteDeskStorage, clearDeskStorage, countUnsentInDeskStorage } from './desk-storage.js';
export type { DeskStorage, OpenDeskStorageOptions, ClearDeskStorageOptions } from './desk-storage.js';
export { checkStorageKey } from './crypto.js';
export type { UnreadableRecord } from './crypto.js';
export { DATABASE_VERSION, databaseName } from './schema.js';
export type { DraftRecord, OutboxEntry, OutboxState } from './schema.js';
export type { CachedDesk, CachedThread, CacheWrite } from './conversation-cache.js';
export { CACHE_LIMITS } from './conversation-cache.js';
export type { DraftChange } from './drafts.js';
export { StorageError, isQuotaExceeded, toStorageError } from './errors.js';
export type { StorageErrorReason } from './errors.js';
export type { DatabaseEvent } from './open-db.js';
