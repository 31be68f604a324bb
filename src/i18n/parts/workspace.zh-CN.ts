import type { workspaceEn } from './workspace.en.js';

/** 工作台布局的简体中文文案。 */
export const workspaceZhCN: Record<keyof typeof workspaceEn, string> = {
  'workspace.tabs': '工作台分区',
  'workspace.tab.list': '收件箱',
  'workspace.tab.conversation': '会话',
  'workspace.tab.customer': '客户',
  'workspace.tab.tickets': '工单',
  'workspace.tab.knowledge': '知识库',
  'workspace.side': '客户详情',
  'workspace.shortcuts': '键盘快捷键：{list}',
  'workspace.shortcut.nextUrgent': '下一个紧急会话',
  'workspace.shortcut.focusComposer': '回复',
  'workspace.shortcut.acceptOffer': '接受分配',
  'workspace.shortcut.focusList': '收件箱',
  'workspace.shortcut.focusKnowledge': '知识库',
  'workspace.noUrgent': '暂无等待回复的会话。',
};
