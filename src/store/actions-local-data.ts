/**
 * Actions of the desk's local data (docs/security.md): records of the browser storage that could not be read
 * (encrypted with another key, altered, or not encrypted though a key is set). They are never shown; the agent
 * is told, and what the server has is loaded from it again.
 */
import { defineAction, payload } from './action.js';
import type { ErrorInfo } from './errors.js';

export const storageRecordsUnreadable = defineAction('[Storage] records unreadable', payload<{ error: ErrorInfo; count: number }>());
