import type { Channel, Customer } from '../connector/model.js';

/** A short glyph per channel for badges; the channel's name is always given beside it for assistive tech. */
export const CHANNEL_GLYPHS: Readonly<Record<Channel, string>> = {
  phone: '☎',
  webchat: '💬',
  email: '✉',
  sms: '✆',
  wechat: '微',
  douyin: '抖',
};

/** Initials for an avatar: first letters of the first two words, or the first two characters of a CJK name. */
export function initialsOf(name: string): string {
  const trimmed = name.trim();
  if (!trimmed) return '?';
  const words = trimmed.split(/\s+/u);
  if (words.length > 1) return words.slice(0, 2).map((word) => Array.from(word)[0] ?? '').join('').toUpperCase();
  return Array.from(trimmed).slice(0, 2).join('').toUpperCase();
}

export function customerName(customer: Customer | undefined, fallback: string): string {
  return customer?.name.trim() || fallback;
}
