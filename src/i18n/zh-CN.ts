import type { MessageKey } from './en.js';
import { coreZhCN } from './parts/core.zh-CN.js';
import { conversationZhCN } from './parts/conversation.zh-CN.js';
import { customerPanelZhCN } from './parts/customer-panel.zh-CN.js';
import { agentStatusZhCN } from './parts/agent-status.zh-CN.js';
import { conversationListZhCN } from './parts/conversation-list.zh-CN.js';
import { knowledgeZhCN } from './parts/knowledge.zh-CN.js';
import { workspaceZhCN } from './parts/workspace.zh-CN.js';
import { ticketPaneZhCN } from './parts/ticket-pane.zh-CN.js';
import { storageZhCN } from './parts/storage.zh-CN.js';
import { softphoneZhCN } from './parts/softphone.zh-CN.js';
import { accessZhCN } from './parts/access.zh-CN.js';

/** 简体中文: every part's catalog, merged. Typed against the English keys, so a missing key fails the build. */
export const zhCN: Record<MessageKey, string> = {
  ...coreZhCN,
  ...conversationZhCN,
  ...customerPanelZhCN,
  ...agentStatusZhCN,
  ...conversationListZhCN,
  ...knowledgeZhCN,
  ...workspaceZhCN,
  ...ticketPaneZhCN,
  ...storageZhCN,
  ...softphoneZhCN,
  ...accessZhCN,
};
