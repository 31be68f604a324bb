/** How an SMS text travels: GSM-7 when every character is in the GSM 03.38 alphabet, else UCS-2. */
export type SmsEncoding = 'gsm-7' | 'ucs-2';

export interface SmsSegments {
  readonly encoding: SmsEncoding;
  /** Septets (GSM-7; extension characters take two) or UTF-16 code units (UCS-2). */
  readonly units: number;
  /** How many SMS the text is sent as; 0 for an empty text. */
  readonly segments: number;
  /** Units that fit in one SMS at this length: 160/70 for a single one, 153/67 per part of a longer one. */
  readonly perSegment: number;
  /** Units left before another SMS is needed. */
  readonly remaining: number;
}

const GSM_BASIC = new Set(
  Array.from(
    '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà',
  ),
);
/** Characters reached through the escape code: two septets each. */
const GSM_EXTENSION = new Set(Array.from('^{}\\[~]|€\f'));

const LIMITS: Readonly<Record<SmsEncoding, { readonly single: number; readonly part: number }>> = {
  'gsm-7': { single: 160, part: 153 },
  'ucs-2': { single: 70, part: 67 },
};

function gsmSeptets(text: string): number | null {
  let septets = 0;
  for (const character of text) {
    if (GSM_BASIC.has(character)) septets += 1;
    else if (GSM_EXTENSION.has(character)) septets += 2;
    else return null;
  }
  return septets;
}

/** Counts the SMS a text is sent as: one character outside GSM-7 (Chinese, an emoji) makes the whole text UCS-2. */
export function smsSegments(text: string): SmsSegments {
  const septets = gsmSeptets(text);
  const encoding: SmsEncoding = septets === null ? 'ucs-2' : 'gsm-7';
  const units = septets ?? text.length;
  const { single, part } = LIMITS[encoding];
  const segments = units === 0 ? 0 : units <= single ? 1 : Math.ceil(units / part);
  const perSegment = segments > 1 ? part : single;
  const remaining = units === 0 ? single : segments * perSegment - units;
  return { encoding, units, segments, perSegment, remaining };
}
