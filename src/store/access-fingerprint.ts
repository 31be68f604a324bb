import type { Agent } from '../connector/model.js';

/**
 * What the data a desk holds depends on: whether the agent's role sees PII in clear (`view-pii`) or masked. Data
 * written under one may only be shown under the same one: a cache written by a `view-pii` session holds clear
 * values, which a masked session of the same agent (another role, another token) must never paint, and a
 * `view-pii` tab's events must never reach a masked tab.
 */
export type AccessFingerprint = 'view-pii' | 'masked';

/** An agent whose backend reports no permissions restricts nothing (see `selectPermissions`): it sees PII. */
export function accessFingerprint(agent: Pick<Agent, 'permissions'>): AccessFingerprint {
  return agent.permissions === undefined || agent.permissions.includes('view-pii') ? 'view-pii' : 'masked';
}

/**
 * The tab coordinator's name for an agent: tabs of one agent and backend share a leader only when they see the
 * same data, so a masked tab never follows (and never gets the events of) a tab that sees PII in clear.
 */
export function tabCoordinatorName(base: string, agent: Pick<Agent, 'permissions'>): string {
  return `${base}:${accessFingerprint(agent)}`;
}

const markerKey = (storageName: string): string => `${storageName}:cache-access`;

/**
 * Whether the conversation cache of a database may hold clear PII (`view-pii`) or is known to hold none
 * (`masked`); null when unknown (written before fingerprints were kept, or localStorage not readable), which is
 * treated like `view-pii`. Kept in localStorage beside the database because it must be read before the agent is
 * known and is not personal. A `view-pii` session sets it before each cache write; `masked` is set only once the
 * cache was emptied under a masked session, so the marker never understates what the database holds.
 */
export function readCacheFingerprint(storageName: string): AccessFingerprint | null {
  try {
    const value = globalThis.localStorage?.getItem(markerKey(storageName));
    return value === 'view-pii' || value === 'masked' ? value : null;
  } catch {
    return null;
  }
}

export function writeCacheFingerprint(storageName: string, fingerprint: AccessFingerprint): void {
  try {
    globalThis.localStorage?.setItem(markerKey(storageName), fingerprint);
  } catch {
    // Without localStorage the next start finds no fingerprint and treats the cache as one that may hold clear PII.
  }
}
