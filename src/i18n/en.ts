import { coreEn } from './parts/core.en.js';
import { conversationEn } from './parts/conversation.en.js';
import { customerPanelEn } from './parts/customer-panel.en.js';
import { agentStatusEn } from './parts/agent-status.en.js';
import { conversationListEn } from './parts/conversation-list.en.js';
import { knowledgeEn } from './parts/knowledge.en.js';
import { workspaceEn } from './parts/workspace.en.js';
import { ticketPaneEn } from './parts/ticket-pane.en.js';
import { storageEn } from './parts/storage.en.js';
import { softphoneEn } from './parts/softphone.en.js';
import { accessEn } from './parts/access.en.js';

/**
 * English, the source of every message key: the catalogs of each part, merged. A part keeps its strings in
 * `parts/<part>.en.ts` and `parts/<part>.zh-CN.ts`, the Chinese typed against the English keys.
 */
export const en = {
  ...coreEn,
  ...conversationEn,
  ...customerPanelEn,
  ...agentStatusEn,
  ...conversationListEn,
  ...knowledgeEn,
  ...workspaceEn,
  ...ticketPaneEn,
  ...storageEn,
  ...softphoneEn,
  ...accessEn,
} as const;

export type MessageKey = keyof typeof en;
