import { coreEn } from './parts/core.en.js';
import { workspaceEn } from './parts/workspace.en.js';

/**
 * English, the source of every message key: the catalogs of each part, merged. A part keeps its strings in
 * `parts/<part>.en.ts` and `parts/<part>.zh-CN.ts`, the Chinese typed against the English keys.
 */
export const en = {
  ...coreEn,
  ...workspaceEn,
} as const;

export type MessageKey = keyof typeof en;
