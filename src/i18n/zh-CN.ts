import type { MessageKey } from './en.js';
import { coreZhCN } from './parts/core.zh-CN.js';
import { workspaceZhCN } from './parts/workspace.zh-CN.js';

/** 简体中文: every part's catalog, merged. Typed against the English keys, so a missing key fails the build. */
export const zhCN: Record<MessageKey, string> = {
  ...coreZhCN,
  ...workspaceZhCN,
};
