import type { storageEn } from './storage.en.js';

/** 浏览器存储：未确认的发送与存储警告。 */
export const storageZhCN: Record<keyof typeof storageEn, string> = {
  'delivery.unconfirmed': '未确认',
  'delivery.unconfirmedHint': '服务器尚未确认这条消息。它会自动重新发送，且不会重复送达。',
  'notice.lead.storageQuota': '浏览器存储空间已满：草稿和未发送的回复只在此页面打开期间保留。',
  'notice.lead.storageFailed': '离线存储不可用：重新加载页面后，草稿和未发送的回复将无法保留。',
  'notice.lead.storageBlocked': '另一个标签页仍在使用旧版本的工作台；请关闭或重新加载该标签页，以便此页完成存储升级。',
  'notice.lead.storageOutdated': '另一个标签页中较新版本的工作台已更新存储：请重新加载此页面，以确保草稿和未发送的回复得到保存。',
  'notice.lead.storageUnreadable': '此浏览器为工作台保存的部分数据无法读取，已不予显示；会话将重新从服务器加载。',
};
