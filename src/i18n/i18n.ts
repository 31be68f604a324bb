import { en, type MessageKey } from './en.js';
import { zhCN } from './zh-CN.js';

export type { MessageKey };
export type Locale = 'en' | 'zh-CN';
export const LOCALES: readonly Locale[] = ['en', 'zh-CN'];

const catalogs: Readonly<Record<Locale, Readonly<Record<MessageKey, string>>>> = { en, 'zh-CN': zhCN };

/** Maps any BCP 47 tag to a supported locale: `zh`, `zh-Hans`, `zh-CN` → `zh-CN`; anything else → `en`. */
export function resolveLocale(tag: string | null | undefined): Locale {
  const lower = (tag ?? '').toLowerCase();
  if (lower === 'zh' || lower.startsWith('zh-cn') || lower.startsWith('zh-hans') || lower.startsWith('zh-sg')) return 'zh-CN';
  return 'en';
}

/** Looks up a message and fills its `{placeholders}`. Values are inserted as text by the caller's template. */
export function translate(locale: Locale, key: MessageKey, params?: Readonly<Record<string, string | number>>): string {
  const template = catalogs[locale][key] ?? en[key];
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

/** Every key of a catalog, for the completeness test. */
export function catalogKeys(locale: Locale): string[] {
  return Object.keys(catalogs[locale]);
}

const timeFormats = new Map<string, Intl.DateTimeFormat>();
function cachedFormat(locale: Locale, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const cacheKey = `${locale}|${JSON.stringify(options)}`;
  let format = timeFormats.get(cacheKey);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, options);
    timeFormats.set(cacheKey, format);
  }
  return format;
}

/** A time today as `14:05`, an earlier day as a short date with time. */
export function formatTimestamp(locale: Locale, epochMs: number, now: number = Date.now()): string {
  const sameDay = new Date(epochMs).toDateString() === new Date(now).toDateString();
  return sameDay
    ? cachedFormat(locale, { hour: '2-digit', minute: '2-digit' }).format(epochMs)
    : cachedFormat(locale, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' }).format(epochMs);
}

/** A duration in seconds as `1:05` or `1:02:05`. */
export function formatDuration(totalSeconds: number): string {
  const seconds = Math.max(0, Math.round(totalSeconds));
  const hours = Math.floor(seconds / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  const rest = String(seconds % 60).padStart(2, '0');
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${rest}` : `${minutes}:${rest}`;
}

const byteUnits = ['byte', 'kilobyte', 'megabyte', 'gigabyte'] as const;
/** A file size through `Intl.NumberFormat` units: `12 kB`, `3.4 MB`. */
export function formatBytes(locale: Locale, bytes: number): string {
  let value = Math.max(0, bytes);
  let unit = 0;
  while (value >= 1000 && unit < byteUnits.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return new Intl.NumberFormat(locale, {
    style: 'unit',
    unit: byteUnits[unit],
    unitDisplay: 'short',
    maximumFractionDigits: value < 10 && unit > 0 ? 1 : 0,
  }).format(value);
}

/** A countdown as `4:05`, `1:02:05` or, past a day, `2d 3h`; negative values count up how far past due it is. */
export function formatCountdown(locale: Locale, milliseconds: number): string {
  const totalSeconds = Math.floor(Math.abs(milliseconds) / 1000);
  if (totalSeconds >= 86400) {
    const days = Math.floor(totalSeconds / 86400);
    const hours = Math.floor((totalSeconds % 86400) / 3600);
    const format = (value: number, unit: 'day' | 'hour') =>
      new Intl.NumberFormat(locale, { style: 'unit', unit, unitDisplay: 'narrow' }).format(value);
    return `${format(days, 'day')} ${format(hours, 'hour')}`;
  }
  return formatDuration(totalSeconds);
}
