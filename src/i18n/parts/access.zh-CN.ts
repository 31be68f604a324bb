import type { accessEn } from './access.en.js';

/** 最小权限相关的简体中文文案：显示被遮盖的数据，以及角色不能执行的操作。 */
export const accessZhCN: Record<keyof typeof accessEn, string> = {
  'access.reveal': '显示',
  'access.revealLabel': '完整显示{kind}',
  'access.revealing': '正在显示…',
  'access.revealFailed': '无法显示：{message}',
  'access.masked': '{kind}（部分隐藏）',
  'access.profileReadOnly': '您的角色无权修改此资料。',
  'access.ticketsReadOnly': '您的角色无权创建或修改工单。',
};
