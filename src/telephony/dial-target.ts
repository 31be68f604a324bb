/** Why a typed number cannot be dialled: nothing typed, a character a phone cannot send, a wrong length, a bad SIP URI. */
export type DialTargetProblem = 'empty' | 'characters' | 'length' | 'uri';

export type DialTargetCheck = { readonly ok: true; readonly target: string } | { readonly ok: false; readonly problem: DialTargetProblem };

/** Digits a number may hold: 2 covers a short extension, 15 is the E.164 maximum. */
const MIN_DIGITS = 2;
const MAX_DIGITS = 15;
/** `sip:` or `sips:`, a user part, `@`, and a host (a name, an IPv4 address or a bracketed IPv6 one) with an optional port. */
const SIP_URI = /^sips?:[A-Za-z0-9\-_.!~*'()&=+$,;?/%]+@(?:[A-Za-z0-9](?:[A-Za-z0-9\-.]*[A-Za-z0-9])?|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/u;

/**
 * Checks what the agent typed on the dial pad and returns what to dial: a number (E.164-like: an optional `+`,
 * then digits, `*` and `#`; spaces, dashes, dots and brackets are dropped) or a SIP URI (`sip:user@host`).
 */
export function checkDialTarget(text: string): DialTargetCheck {
  const trimmed = text.trim();
  if (trimmed === '') return { ok: false, problem: 'empty' };
  if (/^sips?:/iu.test(trimmed)) {
    const uri = `${trimmed.slice(0, trimmed.indexOf(':')).toLowerCase()}${trimmed.slice(trimmed.indexOf(':'))}`;
    return SIP_URI.test(uri) ? { ok: true, target: uri } : { ok: false, problem: 'uri' };
  }
  const compact = trimmed.replace(/[\s\-.()]/gu, '');
  if (!/^\+?[0-9*#]+$/u.test(compact)) return { ok: false, problem: 'characters' };
  const digits = compact.replace(/\D/gu, '').length;
  if (digits < MIN_DIGITS && !/[*#]/u.test(compact)) return { ok: false, problem: 'length' };
  if (digits > MAX_DIGITS) return { ok: false, problem: 'length' };
  return { ok: true, target: compact };
}

/** DTMF tones a call can send. */
export const DTMF_TONES = /^[0-9*#A-D]+$/u;
