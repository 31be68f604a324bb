/**
 * PII masking at the source: what a backend applies to everything it sends to an agent whose role lacks
 * `view-pii`, so a clear phone number, email address or account id never reaches that agent's browser.
 *
 * What is masked:
 * - identities of every kind but `webchat` (an anonymous visitor key the chat widget issued): phones keep their
 *   first and last digits (`+86 138 **** 5678`), email addresses their first letter and domain (`j***@example.com`),
 *   account ids and social handles their first and last two characters (`M-****50`);
 * - email envelopes (from, to, cc);
 * - free text (message text and email HTML, list previews, subjects, customer names, tags and notes, message
 *   authors, attachment names and URLs, ticket fields and comments, call transcripts): every email address, every
 *   phone number the backend knows as a customer's identity or that is written in international form (`+…`) or as
 *   a mainland mobile number, payment cards (Luhn), PRC ids and labelled id numbers, and every other known identity
 *   value; matched as a reader sees them (Unicode spaces and dashes, zero-width characters, full-width digits; in
 *   email HTML after decoding references and across tags, see {@link PiiMasker.html}).
 *
 * Masking is deterministic, so the desk can send a masked value back (an email reply's recipient, notes that
 * contained a masked number) and the backend restores the clear value it stands for ({@link PiiMasker.restore}).
 * Unknown numbers in free text that look like order numbers are left alone on purpose.
 */
import type { ConnectorEvent } from './connector.js';
import { ConnectorError } from './errors.js';
import type { Attachment, Conversation, Customer, EmailEnvelope, Identity, IdentityKind, Message, Ticket, TicketComment } from './model.js';

/** Identity kinds whose values are personal data; `webchat` visitor keys are not. */
export const MASKED_IDENTITY_KINDS: readonly IdentityKind[] = ['phone', 'email', 'wechat', 'douyin', 'member'];

const MASK = '*';

/** `+86 138 0013 5678` → `+86 138 **** 5678`: the country and network prefix and the last four digits stay. */
export function maskPhone(value: string): string {
  const digits = value.replace(/\D/g, '').length;
  const back = digits >= 7 ? 4 : Math.floor(digits / 3);
  const front = digits >= 11 ? Math.min(digits - 8, 5) : digits >= 9 ? 2 : 0;
  let seen = 0;
  let result = '';
  for (const char of value) {
    if (char >= '0' && char <= '9') {
      result += seen < front || seen >= digits - back ? char : MASK;
      seen += 1;
    } else result += char;
  }
  return result;
}

/** `jane.doe@example.com` → `j***@example.com`. */
export function maskEmail(value: string): string {
  const at = value.lastIndexOf('@');
  if (at <= 0) return maskHandle(value);
  return `${value.slice(0, 1)}${MASK.repeat(3)}${value.slice(at)}`;
}

/** `wxid_hejy` → `wx*****jy`; four characters or fewer are masked whole. */
export function maskHandle(value: string): string {
  const chars = [...value];
  if (chars.length <= 4) return MASK.repeat(Math.max(3, chars.length));
  return `${chars.slice(0, 2).join('')}${MASK.repeat(Math.max(3, chars.length - 4))}${chars.slice(-2).join('')}`;
}

/** The masked form of an identity; `webchat` keys pass as they are. */
export function maskIdentity(identity: Identity): Identity {
  switch (identity.kind) {
    case 'phone':
      return { kind: 'phone', value: maskPhone(identity.value) };
    case 'email':
      return { kind: 'email', value: maskEmail(identity.value) };
    case 'webchat':
      return identity;
    default:
      return { kind: identity.kind, value: maskHandle(identity.value) };
  }
}

const EMAIL_PATTERN = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}.-]+\.[\p{L}]{2,}/gu;
/** A run of digits with the separators people write in phone numbers (matched on the normalised text). */
const PHONE_RUN = /\+?\d[\d ().-]{5,}\d/g;
const MAINLAND_MOBILE = /^(?:86)?1[3-9]\d{9}$/;
/** A payment card number: 13 to 19 digits, in groups or not (checked with Luhn before it is masked). */
const CARD_RUN = /(?<![\d])\d(?:[ -]?\d){12,18}(?![\d])/g;
/** An 18-digit PRC resident id: region, birth date, sequence, check digit (0-9 or X). */
const PRC_ID = /(?<![\p{L}\p{N}])\d{6}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx](?![\p{L}\p{N}])/gu;
/** A US social security number as it is written. */
const SSN = /(?<![\d-])\d{3}-\d{2}-\d{4}(?![\d-])/g;
/**
 * Any other id number written after what it is (`ID no. 123456789`, `护照号码 E12345678`): the label is what tells
 * an id from an order number, so only labelled runs of six or more characters with a digit are masked.
 */
const LABELLED_ID =
  /(?:身份证(?:号码?)?|证件(?:号码?)?|护照(?:号码?)?|社保号|passport(?:\s*(?:no\.?|number|#))?|national\s+id(?:\s*(?:no\.?|number|#))?|\bid\s*(?:no\.?|number|#|card)|\bssn)\s*[:：#]?\s*((?=[\dA-Za-z -]*\d)[\dA-Za-z][\dA-Za-z -]{4,}[\dA-Za-z])/giu;

const phoneKey = (digits: string): string => digits.replace(/^00/, '').slice(-8);

/** Masks the digits of `value` but the first `front` and last `back`, keeping every separator. */
function maskDigits(value: string, front: number, back: number): string {
  const digits = value.replace(/[^\dXx]/g, '').length;
  let seen = 0;
  let result = '';
  for (const char of value) {
    if (/[\dXx]/.test(char)) {
      result += seen < front || seen >= digits - back ? char : MASK;
      seen += 1;
    } else result += char;
  }
  return result;
}

/** `4111 1111 1111 1111` → `**** **** **** 1111`. */
export function maskCardNumber(value: string): string {
  return maskDigits(value, 0, 4);
}

/** `110101199003071234` → `11**************34`. */
export function maskIdNumber(value: string): string {
  return maskDigits(value, 2, 2);
}

function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let index = 0; index < digits.length; index += 1) {
    let digit = Number(digits[digits.length - 1 - index]);
    if (index % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}

/**
 * The form a character is matched in: Unicode spaces become a space, dashes a hyphen, full-width digits and
 * signs their ASCII forms, and invisible format characters (zero-width space, soft hyphen, direction marks)
 * nothing, so `138\u00a00013\u20135678` or `ada\u200b@example.com` are found as what a reader sees.
 */
function matchForm(char: string): string {
  if (char.length === 1 && char.charCodeAt(0) < 0x80) return char === '\t' ? ' ' : char;
  const code = char.codePointAt(0) ?? 0;
  if (code >= 0xff10 && code <= 0xff19) return String.fromCharCode(code - 0xff10 + 0x30);
  if (/\p{Cf}/u.test(char)) return '';
  if (/\p{Zs}/u.test(char)) return ' ';
  if (/\p{Pd}/u.test(char) || char === '\u2212') return '-';
  return FULL_WIDTH_SIGNS[char] ?? char;
}

const FULL_WIDTH_SIGNS: Readonly<Record<string, string>> = {
  '\uff0b': '+',
  '\uff08': '(',
  '\uff09': ')',
  '\uff20': '@',
  '\ufe6b': '@',
  '\uff0e': '.',
};

/**
 * Text split into units, each with what it is matched as and what it is written as: a character of plain text,
 * a character reference or a tag of HTML. Tags match as nothing and are always kept, so a value split by markup
 * (`ada@<b></b>example.com`) is still found and masked whole.
 */
interface Units {
  readonly match: string[];
  readonly raw: string[];
  readonly keep: boolean[];
}

function textUnits(text: string): Units {
  const units: Units = { match: [], raw: [], keep: [] };
  for (const char of text) {
    units.match.push(matchForm(char));
    units.raw.push(char);
    units.keep.push(false);
  }
  return units;
}

/** A found value: where it is in the joined match text, and what replaces it. */
interface Found {
  readonly start: number;
  readonly end: number;
  readonly masked: string;
}

/** Writes `units` back with every found value replaced (once, at its first unit), and tags kept. */
function rewrite(units: Units, starts: readonly number[], found: readonly Found[], escape: (text: string) => string): string {
  let result = '';
  let index = 0;
  const written = new Set<Found>();
  for (let unit = 0; unit < units.raw.length; unit += 1) {
    const start = starts[unit] ?? 0;
    const length = units.match[unit]?.length ?? 0;
    while (index < found.length && (found[index]?.end ?? 0) <= start && !(length === 0 && (found[index]?.end ?? 0) > start)) index += 1;
    const range = found[index];
    const inside = range !== undefined && (length > 0 ? start < range.end && start + length > range.start : start > range.start && start < range.end);
    if (!inside) result += units.raw[unit] ?? '';
    else {
      if (!written.has(range)) {
        written.add(range);
        result += escape(range.masked);
      }
      if (units.keep[unit]) result += units.raw[unit] ?? '';
    }
  }
  return result;
}

const escapeHtml = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Character references that can hide or join the characters of an email address or a number. */
const NAMED_REFERENCES: Readonly<Record<string, string>> = {
  amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0', NonBreakingSpace: '\u00a0', commat: '@', period: '.',
  plus: '+', lpar: '(', rpar: ')', hyphen: '\u2010', dash: '\u2010', ndash: '\u2013', mdash: '\u2014', minus: '\u2212',
  ensp: '\u2002', emsp: '\u2003', emsp13: '\u2004', emsp14: '\u2005', numsp: '\u2007', puncsp: '\u2008', thinsp: '\u2009',
  ThinSpace: '\u2009', hairsp: '\u200a', VeryThinSpace: '\u200a', MediumSpace: '\u205f', ZeroWidthSpace: '\u200b',
  NegativeVeryThinSpace: '\u200b', NegativeThinSpace: '\u200b', NegativeMediumSpace: '\u200b', NegativeThickSpace: '\u200b',
  zwnj: '\u200c', zwj: '\u200d', lrm: '\u200e', rlm: '\u200f', NoBreak: '\u2060', shy: '\u00ad', lowbar: '_', UnderBar: '_',
  percnt: '%', num: '#', colon: ':', Colon: '\u2237', semi: ';', sol: '/', bsol: '\\', excl: '!', quest: '?', comma: ',',
  equals: '=', Tab: '\t', NewLine: '\n', ast: '*', midast: '*', dollar: '$', verbar: '|', vert: '|', lsqb: '[', rsqb: ']',
  lcub: '{', rcub: '}', lbrack: '[', rbrack: ']', lbrace: '{', rbrace: '}', grave: '`', Hat: '^', tilde: '\u02dc',
};
/** The references a browser also reads without their semicolon (those that matter here). */
const LEGACY_REFERENCES = ['nbsp', 'amp', 'lt', 'gt', 'quot', 'shy'];
/** What a browser makes of `&#128;`–`&#159;` (windows-1252), where the dashes and quotes are. */
const C1_REFERENCES: Readonly<Record<number, string>> = {
  0x80: '\u20ac', 0x82: '\u201a', 0x83: '\u0192', 0x84: '\u201e', 0x85: '\u2026', 0x86: '\u2020', 0x87: '\u2021', 0x88: '\u02c6',
  0x89: '\u2030', 0x8a: '\u0160', 0x8b: '\u2039', 0x8c: '\u0152', 0x8e: '\u017d', 0x91: '\u2018', 0x92: '\u2019', 0x93: '\u201c',
  0x94: '\u201d', 0x95: '\u2022', 0x96: '\u2013', 0x97: '\u2014', 0x98: '\u02dc', 0x99: '\u2122', 0x9a: '\u0161', 0x9b: '\u203a',
  0x9c: '\u0153', 0x9e: '\u017e', 0x9f: '\u0178',
};

/**
 * The character reference at `index` (which holds `&`): what it decodes to and how long it is; null when it is
 * not one (a lone `&`). A named reference this table does not know, written with its semicolon, decodes to a
 * letter: it could stand for one inside an address, and a mask that covers too much is the safe mistake.
 */
function characterReference(html: string, index: number): { text: string; length: number } | null {
  const numeric = /^&#(?:[xX]([0-9a-fA-F]+)|(\d+));?/.exec(html.slice(index, index + 16));
  if (numeric) {
    const code = numeric[1] !== undefined ? parseInt(numeric[1], 16) : Number(numeric[2]);
    const text =
      C1_REFERENCES[code] ?? (code === 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff) ? '\ufffd' : String.fromCodePoint(code));
    return { text, length: numeric[0].length };
  }
  const named = /^&([A-Za-z][A-Za-z0-9]{0,31})(;?)/.exec(html.slice(index, index + 40));
  if (!named) return null;
  const [whole, name = '', semicolon] = named;
  const known = NAMED_REFERENCES[name];
  if (semicolon) return { text: known ?? 'x', length: whole.length };
  const legacy = LEGACY_REFERENCES.find((candidate) => name.startsWith(candidate));
  return legacy ? { text: NAMED_REFERENCES[legacy] ?? '', length: legacy.length + 1 } : null;
}

/** Decodes every character reference of `text` (an attribute value). */
function decodeReferences(text: string): string {
  if (!text.includes('&')) return text;
  let result = '';
  for (let index = 0; index < text.length; ) {
    const reference = text[index] === '&' ? characterReference(text, index) : null;
    if (reference) {
      result += reference.text;
      index += reference.length;
    } else {
      result += text[index] ?? '';
      index += 1;
    }
  }
  return result;
}

const safeDecodeUri = (value: string): string => {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
};

/** Where a tag ends (the index after its `>`, or the end of the markup), with quoted attribute values skipped. */
function tagEnd(html: string, from: number): number {
  let index = from;
  while (index < html.length) {
    const char = html[index];
    if (char === '>') return index + 1;
    if (char === '=') {
      index += 1;
      while (index < html.length && /\s/.test(html[index] ?? '')) index += 1;
      const quote = html[index];
      if (quote === '"' || quote === "'") {
        const close = html.indexOf(quote, index + 1);
        if (close < 0) return html.length;
        index = close + 1;
        continue;
      }
      continue;
    }
    index += 1;
  }
  return html.length;
}

const ATTRIBUTE = /([^\s"'>/=]+)(?:(\s*=\s*)(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?/g;
const LINK_SCHEME = /^[\s\u0000-\u001f]*(mailto|tel|sms|callto|facetime|facetime-audio|wtai):/i;

/**
 * Masks records for an agent who may not see PII, knowing the identities the backend holds (so a known phone
 * number is masked in free text however it is written). One instance per backend; {@link learn} every identity.
 */
export class PiiMasker {
  private readonly phones = new Set<string>();
  /** Clear values of account ids and social handles, longest first when matched. */
  private readonly handles = new Set<string>();
  private sortedHandles: string[] | null = null;

  /** Remembers identities so free text that repeats them is masked too. */
  learn(identities: readonly Identity[]): void {
    for (const identity of identities) {
      if (identity.kind === 'phone') {
        const digits = identity.value.replace(/\D/g, '');
        if (digits.length >= 7) this.phones.add(phoneKey(digits));
      } else if (identity.kind !== 'email' && identity.kind !== 'webchat' && identity.value.trim().length >= 3) {
        if (!this.handles.has(identity.value)) this.sortedHandles = null;
        this.handles.add(identity.value);
      }
    }
  }

  /**
   * Free text with every email address, payment card and id number, known or phone-like number and known
   * identity value masked, however it is spaced (Unicode spaces and dashes, zero-width characters, full-width
   * digits count as what they look like).
   */
  text(text: string): string {
    if (text === '') return text;
    return this.maskUnits(textUnits(text), (masked) => masked);
  }

  /**
   * Email HTML with the same values masked as a reader of the rendered email would see them. There is no DOM on a
   * server, so the markup is read by a small tokenizer: text is matched after character references are decoded
   * and across tags (`ada&#64;example.com`, `ada@<b></b>example.com`); a found value is written once, escaped, and
   * the markup around it is kept. Attribute values are decoded and masked too (`mailto:` and `tel:` links, with
   * percent-escapes decoded; the number of a `tel:` link is masked whatever it is), and comments are dropped.
   */
  html(html: string): string {
    if (html === '') return html;
    const units: Units = { match: [], raw: [], keep: [] };
    const push = (match: string, raw: string, keep: boolean): void => {
      units.match.push(match);
      units.raw.push(raw);
      units.keep.push(keep);
    };
    let index = 0;
    while (index < html.length) {
      const char = html[index] ?? '';
      const next = html[index + 1] ?? '';
      if (char === '<' && (html.startsWith('<!--', index) || next === '!' || next === '?')) {
        // Comments, doctypes and processing instructions show nothing: dropped (the sanitiser drops them too).
        const close = html.startsWith('<!--', index) ? html.indexOf('-->', index + 4) : html.indexOf('>', index);
        const end = close < 0 ? html.length : close + (html.startsWith('<!--', index) ? 3 : 1);
        push('', '', true);
        index = end;
      } else if (char === '<' && next === '/' && /[A-Za-z]/.test(html[index + 2] ?? '')) {
        // An end tag: its name only (a browser ignores anything else written in it).
        const end = tagEnd(html, index + 2);
        const name = /^[^\s/>]+/.exec(html.slice(index + 2, end))?.[0] ?? '';
        push('', `</${this.text(name)}>`, true);
        index = end;
      } else if (char === '<' && /[A-Za-z]/.test(next)) {
        const end = tagEnd(html, index + 1);
        push('', this.tag(html.slice(index, end)), true);
        index = end;
      } else if (char === '&') {
        const reference = characterReference(html, index);
        const raw = reference ? html.slice(index, index + reference.length) : '&';
        push(reference ? [...reference.text].map(matchForm).join('') : '&', raw, false);
        index += raw.length;
      } else {
        const codePoint = String.fromCodePoint(html.codePointAt(index) ?? 0);
        push(matchForm(codePoint), codePoint, false);
        index += codePoint.length;
      }
    }
    return this.maskUnits(units, escapeHtml);
  }

  /**
   * Puts back the clear values that masked tokens in `text` stand for, taking them from `sources` (the clear text
   * it was edited from, the clear addresses a reply may go to). Tokens that match nothing stay as they are. A
   * token that stands for more than one clear value here (`ada@example.com` and `anna@example.com` are both
   * `a***@example.com`) is refused with a `conflict`: guessing could send a reply to the wrong customer.
   */
  restore(text: string, sources: readonly string[]): string {
    const clearByMasked = new Map<string, Set<string>>();
    for (const source of sources) {
      const units = textUnits(source);
      const { starts, found } = this.find(units);
      for (const range of found) {
        let clear = '';
        for (let unit = 0; unit < units.raw.length; unit += 1) {
          const start = starts[unit] ?? 0;
          if (start >= range.start && start < range.end && (units.match[unit]?.length ?? 0) > 0) clear += units.raw[unit] ?? '';
        }
        if (clear === range.masked) continue;
        const known = clearByMasked.get(range.masked) ?? new Set<string>();
        known.add(clear);
        clearByMasked.set(range.masked, known);
      }
    }
    let result = text;
    // Longest first, so a masked token that contains a shorter one is restored whole.
    for (const [masked, clears] of [...clearByMasked].sort(([a], [b]) => b.length - a.length)) {
      if (!result.includes(masked)) continue;
      if (clears.size > 1) {
        throw new ConnectorError(
          'conflict',
          `The masked value "${masked}" stands for ${clears.size} different values here, and this role cannot tell which one is meant. Write the value out in full, or ask a colleague who may see it.`,
        );
      }
      const [clear = masked] = clears;
      result = result.split(masked).join(clear);
    }
    return result;
  }

  /** Masks the values found in `units` and writes them back. */
  private maskUnits(units: Units, escape: (text: string) => string): string {
    const { starts, found } = this.find(units);
    if (found.length === 0) return units.raw.join('');
    return rewrite(units, starts, found, escape);
  }

  /** Every value to mask in the text the units match as, in order, none overlapping. */
  private find(units: Units): { starts: number[]; found: Found[] } {
    const starts: number[] = [];
    let joined = '';
    for (const match of units.match) {
      starts.push(joined.length);
      joined += match;
    }
    const found: Found[] = [];
    const add = (start: number, end: number, masked: string): void => {
      if (found.some((range) => start < range.end && end > range.start)) return;
      found.push({ start, end, masked });
    };
    for (const match of joined.matchAll(EMAIL_PATTERN)) add(match.index, match.index + match[0].length, maskEmail(match[0]));
    for (const match of joined.matchAll(PRC_ID)) add(match.index, match.index + match[0].length, maskIdNumber(match[0]));
    for (const match of joined.matchAll(CARD_RUN)) {
      const digits = match[0].replace(/\D/g, '');
      if (luhnValid(digits)) add(match.index, match.index + match[0].length, maskCardNumber(match[0]));
    }
    for (const match of joined.matchAll(SSN)) add(match.index, match.index + match[0].length, maskDigits(match[0], 0, 4));
    for (const match of joined.matchAll(LABELLED_ID)) {
      const id = match[1] ?? '';
      const start = match.index + match[0].length - id.length;
      add(start, start + id.length, maskHandle(id));
    }
    for (const match of joined.matchAll(PHONE_RUN)) {
      if (this.isPhone(match[0])) add(match.index, match.index + match[0].length, maskPhone(match[0]));
    }
    for (const handle of this.handleList()) {
      for (let at = joined.indexOf(handle); at >= 0; at = joined.indexOf(handle, at + handle.length)) add(at, at + handle.length, maskHandle(handle));
    }
    found.sort((a, b) => a.start - b.start);
    return { starts, found };
  }

  /** A start tag with its name, attribute names and values masked; the values decoded first. */
  private tag(tag: string): string {
    const name = /^<([^\s/>]+)/.exec(tag)?.[1] ?? '';
    const rest = tag.slice(1 + name.length);
    const attributes = rest.replace(ATTRIBUTE, (whole: string, attribute: string, equals?: string, double?: string, single?: string, bare?: string) => {
      const value = double ?? single ?? bare;
      const maskedName = this.text(attribute);
      if (value === undefined || equals === undefined) return maskedName;
      const decoded = decodeReferences(value);
      const masked = this.attributeValue(decoded);
      if (masked === decoded && maskedName === attribute) return whole;
      return `${maskedName}="${escapeHtml(masked)}"`;
    });
    return `<${this.text(name)}${attributes}`;
  }

  private attributeValue(value: string): string {
    const scheme = LINK_SCHEME.exec(value);
    if (scheme) {
      const target = safeDecodeUri(value.slice(scheme[0].length));
      const kind = (scheme[1] ?? '').toLowerCase();
      return `${scheme[0]}${kind === 'mailto' ? this.text(target) : maskPhone(this.text(target))}`;
    }
    return this.url(value);
  }

  /**
   * A URL (or any attribute value) with the values masked, read with its percent-escapes decoded as well: a
   * changed one is given back decoded and masked (a link that no longer works is the price of not leaking).
   */
  url(value: string): string {
    const masked = this.text(value);
    const decoded = safeDecodeUri(masked);
    if (decoded === masked) return masked;
    const maskedDecoded = this.text(decoded);
    return maskedDecoded === decoded ? masked : maskedDecoded;
  }

  identity(identity: Identity): Identity {
    return maskIdentity(identity);
  }

  customer(customer: Customer): Customer {
    // The name too: a backend names a caller it did not know by their number (a call record from a new number).
    return {
      ...customer,
      name: this.text(customer.name),
      avatarUrl: customer.avatarUrl === null || this.url(customer.avatarUrl) === customer.avatarUrl ? customer.avatarUrl : null,
      identities: customer.identities.map(maskIdentity),
      tags: customer.tags.map((tag) => this.text(tag)),
      notes: this.text(customer.notes),
    };
  }

  conversation(conversation: Conversation): Conversation {
    return {
      ...conversation,
      subject: conversation.subject === null ? null : this.text(conversation.subject),
      lastMessagePreview: this.text(conversation.lastMessagePreview),
    };
  }

  message(message: Message): Message {
    return {
      ...message,
      authorName: this.text(message.authorName),
      text: this.text(message.text),
      attachments: message.attachments.map((attachment) => this.attachment(attachment)),
      email: message.email === null ? null : this.envelope(message.email),
      call:
        message.call === null
          ? null
          : {
              ...message.call,
              transcript: message.call.transcript === null ? null : this.text(message.call.transcript),
              recordingUrl: message.call.recordingUrl === null ? null : this.url(message.call.recordingUrl),
            },
    };
  }

  ticket(ticket: Ticket): Ticket {
    return { ...ticket, subject: this.text(ticket.subject), description: this.text(ticket.description), comments: ticket.comments.map((comment) => this.comment(comment)) };
  }

  comment(comment: TicketComment): TicketComment {
    return { ...comment, body: this.text(comment.body) };
  }

  event(event: ConnectorEvent): ConnectorEvent {
    switch (event.type) {
      case 'conversation.upserted':
        return { ...event, conversation: this.conversation(event.conversation) };
      case 'message.added':
      case 'message.updated':
        return { ...event, message: this.message(event.message) };
      case 'customer.updated':
        return { ...event, customer: this.customer(event.customer) };
      case 'ticket.upserted':
        return { ...event, ticket: this.ticket(event.ticket) };
      case 'ticket.commented':
        return { ...event, comment: this.comment(event.comment) };
      default:
        return event;
    }
  }

  /**
   * Masks any answer of the contract by its shape: customers, conversations, messages, tickets, comments and
   * events, alone, in lists, in pages (`items`) and in snapshots. Other values pass through unchanged.
   */
  any(value: unknown): unknown {
    if (Array.isArray(value)) return value.map((item: unknown) => this.any(item));
    if (typeof value !== 'object' || value === null) return value;
    const record = value as Record<string, unknown>;
    if (typeof record['type'] === 'string' && typeof record['stream'] === 'string' && typeof record['seq'] === 'number') {
      return this.event(value as ConnectorEvent);
    }
    if (Array.isArray(record['identities'])) return this.customer(value as Customer);
    if (typeof record['lastMessagePreview'] === 'string') return this.conversation(value as Conversation);
    if (typeof record['conversationId'] === 'string' && typeof record['direction'] === 'string' && typeof record['text'] === 'string') {
      return this.message(value as Message);
    }
    if (Array.isArray(record['comments']) && typeof record['version'] === 'number') return this.ticket(value as Ticket);
    if (typeof record['body'] === 'string' && typeof record['authorName'] === 'string' && typeof record['internal'] === 'boolean') {
      return this.comment(value as TicketComment);
    }
    if (Array.isArray(record['items']) || (typeof record['sequences'] === 'object' && record['sequences'] !== null)) {
      const copy: Record<string, unknown> = {};
      for (const [key, item] of Object.entries(record)) copy[key] = this.any(item);
      return copy;
    }
    return value;
  }

  private envelope(envelope: EmailEnvelope): EmailEnvelope {
    return {
      ...envelope,
      subject: this.text(envelope.subject),
      from: this.text(envelope.from),
      to: envelope.to.map((address) => this.text(address)),
      cc: envelope.cc.map((address) => this.text(address)),
      html: envelope.html === null ? null : this.html(envelope.html),
    };
  }

  private attachment(attachment: Attachment): Attachment {
    return { ...attachment, name: this.text(attachment.name), url: this.url(attachment.url) };
  }

  private isPhone(run: string): boolean {
    const digits = run.replace(/\D/g, '');
    if (digits.length < 7) return false;
    return this.phones.has(phoneKey(digits)) || (run.startsWith('+') && digits.length >= 8) || MAINLAND_MOBILE.test(digits);
  }

  private handleList(): readonly string[] {
    this.sortedHandles ??= [...this.handles].sort((a, b) => b.length - a.length);
    return this.sortedHandles;
  }
}
