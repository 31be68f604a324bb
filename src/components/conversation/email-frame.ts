import DOMPurify, { type Config } from 'dompurify';

/**
 * The HTML body of an email as the desk shows it: sanitised by DOMPurify, then put into a document of its own with
 * a Content-Security-Policy, for a sandboxed `<iframe srcdoc>` that runs no script and has an opaque origin.
 *
 * Remote content (images, CSS backgrounds, fonts) is blocked twice: the document's CSP allows only `data:` images
 * until the agent allows remote ones (then `https:` too), and remote image URLs are taken out of the markup, so
 * the desk knows whether anything was blocked and offers "Show remote images" only then.
 */
export interface EmailDocument {
  /** The `srcdoc` text; a TrustedHTML when the page enforces Trusted Types and the desk's policy exists. */
  readonly srcdoc: string | TrustedHtmlLike;
  /** Remote images and styles held back (0 when remote content is allowed or there was none). */
  readonly blockedRemote: number;
  /** A height that shows most bodies whole, in CSS pixels; longer ones scroll inside the frame. */
  readonly estimatedHeight: number;
}

/** The sandbox of the email frame: links may open a normal tab; no scripts, no same origin, no forms. */
export const EMAIL_FRAME_SANDBOX = 'allow-popups allow-popups-to-escape-sandbox';

/** The Trusted Types policy a host lists in its CSP (`trusted-types cc-workspace-email`) to show email bodies. */
export const EMAIL_TRUSTED_TYPES_POLICY = 'cc-workspace-email';

const MIN_HEIGHT = 80;
const MAX_HEIGHT = 480;
const LINE_HEIGHT = 20;
const CHARACTERS_PER_LINE = 80;
const ALLOWED_IMAGE_HEIGHT = 160;
const BLOCK_ELEMENTS = 'p, div, br, li, tr, h1, h2, h3, h4, h5, h6, blockquote, pre, hr, table';
const REMOTE_CSS_URL = /url\(\s*['"]?\s*(?:https?:)?\/\//iu;

// A private DOMPurify instance, so this configuration never leaks into another part that sanitises differently.
const purifier = DOMPurify(window);

const SANITIZE_CONFIG: Config & { IN_PLACE: true } = {
  USE_PROFILES: { html: true },
  // Nothing interactive or that reaches out beyond images and links: the frame could not submit a form anyway.
  FORBID_TAGS: ['form', 'input', 'button', 'textarea', 'select', 'option', 'base', 'link', 'meta', 'iframe', 'frame', 'object', 'embed', 'audio', 'video', 'source', 'track'],
  FORBID_ATTR: ['srcset', 'background', 'ping', 'formaction', 'action'],
  ALLOW_DATA_ATTR: false,
  // The body is parsed in an inert <template> (see parseInert) and sanitised there, in place.
  IN_PLACE: true,
};

interface TrustedHtmlLike {
  toString(): string;
}
/** A Trusted Types policy, as DOMPurify's types name it (the page's `trustedTypes.createPolicy` returns one). */
type EmailPolicy = NonNullable<Config['TRUSTED_TYPES_POLICY']>;
interface TrustedTypesLike {
  createPolicy(name: string, rules: { createHTML(input: string): string; createScriptURL(input: string): string }): EmailPolicy;
}

let policy: EmailPolicy | null | undefined;

/**
 * The strings this module asked its policy to vouch for, each for the one call that asked: the raw body on its way
 * into the inert <template> (see parseInert) and the finished document. Anything else is refused, so the policy
 * cannot bless arbitrary HTML even for code that gets hold of it.
 */
const vouchedFor = new Set<string>();

/** The policy's createHTML: only what this module is vouching for right now (and '', which DOMPurify asks for). */
function vettedHtml(input: string): string {
  if (input === '' || vouchedFor.has(input)) return input;
  throw new TypeError(`The ${EMAIL_TRUSTED_TYPES_POLICY} Trusted Types policy only passes HTML the desk's email frame prepared itself.`);
}

/** `html` as TrustedHTML from the email policy, vouched for this one call. */
function vouch(emailTrust: EmailPolicy, html: string): TrustedHtmlLike {
  vouchedFor.add(html);
  try {
    return emailTrust.createHTML(html);
  } finally {
    vouchedFor.delete(html);
  }
}

/**
 * The desk's one Trusted Types policy besides Lit's. It vouches for two things only, each when this module asks
 * (see vettedHtml): the finished email document (sanitised by DOMPurify, wrapped in a fixed document) and the raw
 * body, which is parsed only inside an inert <template> (no script runs and nothing loads there) to be sanitised in
 * place. DOMPurify gets this policy instead of creating its own (`dompurify`), so a host lists one name less. It
 * never vouches for a script URL.
 */
function emailPolicy(): EmailPolicy | null {
  if (policy === undefined) {
    const trustedTypes = (window as unknown as { trustedTypes?: TrustedTypesLike }).trustedTypes;
    try {
      policy = trustedTypes ? trustedTypes.createPolicy(EMAIL_TRUSTED_TYPES_POLICY, { createHTML: vettedHtml, createScriptURL: () => '' }) : null;
    } catch {
      // The host's CSP does not list the policy: without enforcement a string works; with it, the frame stays empty.
      policy = null;
    }
  }
  return policy;
}

function trusted(html: string): string | TrustedHtmlLike {
  const emailTrust = emailPolicy();
  return emailTrust ? vouch(emailTrust, html) : html;
}

/**
 * The page's style nonce, if the host set one (`window.litNonce`, see docs/security.md). The email frame is an
 * about:srcdoc document, which inherits the page's CSP: under a nonce-based `style-src` its <style> elements need
 * the nonce, or the email shows unstyled and every element is reported as a violation.
 */
function styleNonce(): string | undefined {
  const nonce = (window as unknown as { litNonce?: unknown }).litNonce;
  return typeof nonce === 'string' && nonce !== '' ? nonce : undefined;
}

/** A property value that is safe inside a <style> element: nothing that could end the rule or the element. */
const SAFE_CSS_VALUE = /^[^<>{}]*$/u;
/** A url() or src() in CSS as the browser serialises it, with its argument (quoted or not). */
const CSS_URL_FUNCTION = /\b(?:url|src)\(\s*(?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)'|([^'")\s]*))\s*\)/giu;
const CSS_URL_START = /\b(?:url|src)\(/giu;

/**
 * Whether a URL in the email's CSS may stay: a data image, or, once the agent allowed remote content, an absolute
 * https one. Nothing relative (it would resolve against the desk's page), no other scheme, no escapes left.
 */
function allowedCssUrl(url: string, allowRemote: boolean): boolean {
  const trimmed = url.trim();
  if (trimmed === '') return true;
  if (trimmed.includes('\\')) return false;
  return isDataImage(trimmed) || (allowRemote && /^https:\/\/[^/\\]/iu.test(trimmed));
}

/**
 * Whether a declaration value, as the browser serialised it (escapes such as `https\:` resolved, so the raw-text
 * filter could have missed it), may go into the frame's sheet: nothing that ends its rule or element, every url()
 * allowed by allowedCssUrl, and no image-set() (it takes bare strings as URLs).
 */
function safeDeclarationValue(value: string, allowRemote: boolean): boolean {
  if (!SAFE_CSS_VALUE.test(value) || /image-set\(|@import/iu.test(value)) return false;
  const references = [...value.matchAll(CSS_URL_FUNCTION)];
  if (references.length !== (value.match(CSS_URL_START)?.length ?? 0)) return false;
  return references.every((reference) => allowedCssUrl(reference[1] ?? reference[2] ?? reference[3] ?? '', allowRemote));
}

/** Takes out of a parsed rule list, in place and at any depth, every declaration safeDeclarationValue refuses. */
function dropUnsafeDeclarations(rules: CSSRuleList, allowRemote: boolean): void {
  for (const rule of Array.from(rules)) {
    const style = (rule as { style?: unknown }).style;
    if (style instanceof CSSStyleDeclaration) {
      const names = Array.from({ length: style.length }, (_, index) => style.item(index));
      for (const name of names) if (!safeDeclarationValue(style.getPropertyValue(name), allowRemote)) style.removeProperty(name);
    }
    const nested = (rule as { cssRules?: unknown }).cssRules;
    if (nested instanceof CSSRuleList) dropUnsafeDeclarations(nested, allowRemote);
  }
}

/**
 * The email's own stylesheet as the browser re-serialises it once parsed (a constructed sheet: no @import, no
 * load), with unsafe declarations taken out and rules that could end the <style> element dropped. Null without
 * constructed stylesheets (the raw-text filter and the frame's CSP are then all there is).
 */
function sanitisedStyleSheet(css: string, allowRemote: boolean): string | null {
  let sheet: CSSStyleSheet;
  try {
    sheet = new CSSStyleSheet();
    sheet.replaceSync(css);
  } catch {
    return null;
  }
  dropUnsafeDeclarations(sheet.cssRules, allowRemote);
  const kept = Array.from(sheet.cssRules, (rule) => rule.cssText).filter((text) => !text.includes('<'));
  return withoutRemoteCss(kept.join('\n'), allowRemote);
}

/**
 * Moves the email's style attributes into rules of the frame's own (nonce'd) stylesheet, so the page's CSP needs
 * no `'unsafe-inline'` for style attributes. Each attribute is parsed by a constructed stylesheet (the CSSOM, which
 * CSP does not govern; text that closes the rule early only adds rules that are never read), and each value is the
 * browser's own serialisation, kept only when it cannot break out of its rule. `!important` keeps the priority an
 * inline style has over the email's <style> rules. Browsers without constructed stylesheets keep the attributes.
 */
function styleAttributesAsRules(fragment: Element, allowRemote: boolean): string {
  const rules: string[] = [];
  let parser: CSSStyleSheet;
  try {
    parser = new CSSStyleSheet();
  } catch {
    return '';
  }
  for (const element of Array.from(fragment.querySelectorAll('[style]'))) {
    parser.replaceSync(`x{${element.getAttribute('style') ?? ''}}`);
    const first = parser.cssRules[0];
    const style = first instanceof CSSStyleRule ? first.style : null;
    const declarations: string[] = [];
    for (let index = 0; style && index < style.length; index += 1) {
      const name = style.item(index);
      const value = style.getPropertyValue(name);
      if (name.startsWith('--') || !safeDeclarationValue(value, allowRemote)) continue;
      declarations.push(`${name}:${value} !important`);
    }
    element.removeAttribute('style');
    if (declarations.length === 0) continue;
    element.setAttribute('data-cc-style', String(rules.length));
    rules.push(`[data-cc-style="${rules.length}"]{${declarations.join(';')}}`);
  }
  // Once more on the whole: what goes into the frame never names a remote URL the agent did not allow.
  return withoutRemoteCss(rules.join(''), allowRemote);
}

function isDataImage(url: string): boolean {
  return /^data:image\/(?:png|jpeg|gif|webp);/iu.test(url);
}

/** Keeps images the CSP would allow; takes out the rest, counting the remote ones. */
function holdBackImages(fragment: Element, allowRemote: boolean): { blocked: number; shown: number } {
  let blocked = 0;
  let shown = 0;
  for (const image of Array.from(fragment.querySelectorAll('img'))) {
    const source = (image.getAttribute('src') ?? '').trim();
    if (isDataImage(source) || (allowRemote && /^https:\/\//iu.test(source))) {
      shown += 1;
      continue;
    }
    image.removeAttribute('src');
    if (/^(?:https?:)?\/\//iu.test(source)) {
      blocked += 1;
      image.setAttribute('data-blocked', '');
    }
  }
  for (const element of Array.from(fragment.querySelectorAll('[style], style'))) {
    const css = element.tagName === 'STYLE' ? (element.textContent ?? '') : (element.getAttribute('style') ?? '');
    if (!allowRemote && REMOTE_CSS_URL.test(css)) blocked += 1;
    // The frame's CSP blocks these too; taking them out means the attempt is never even made.
    const kept = withoutRemoteCss(css, allowRemote);
    if (kept === css) continue;
    if (element.tagName === 'STYLE') element.textContent = kept;
    else element.setAttribute('style', kept);
  }
  return { blocked, shown };
}

/** Removes `@import` (never allowed) and remote `url()`s from CSS, except https ones once the agent allowed them. */
function withoutRemoteCss(css: string, allowRemote: boolean): string {
  return css
    .replace(/@import[^;]*;?/giu, '')
    .replace(/url\(\s*(['"]?)\s*((?:[a-z][a-z0-9+.-]*:)?\/\/[^'")]*)\1\s*\)/giu, (whole, _quote: string, url: string) =>
      allowRemote && /^https:/iu.test(url) ? whole : 'url()',
    );
}

function estimateHeight(fragment: Element, imagesShown: number): number {
  const text = (fragment.textContent ?? '').replace(/\s+/gu, ' ').trim();
  const lines = Math.ceil(text.length / CHARACTERS_PER_LINE) + fragment.querySelectorAll(BLOCK_ELEMENTS).length;
  const height = 24 + lines * LINE_HEIGHT + imagesShown * ALLOWED_IMAGE_HEIGHT;
  return Math.min(MAX_HEIGHT, Math.max(MIN_HEIGHT, height));
}

function contentSecurityPolicy(allowRemote: boolean): string {
  return `default-src 'none'; img-src data:${allowRemote ? ' https:' : ''}; style-src 'unsafe-inline'`;
}

/**
 * Parses the raw body inside an inert <template> and returns it under one element of the template's document.
 * Template content has no browsing context (an image there never loads, not even for a moment) and, unlike a
 * DOMParser document, never applies a <style>, so parsing an email's stylesheet reports no CSP violation on a
 * page whose `style-src` needs a nonce.
 */
function parseInert(html: string, emailTrust: EmailPolicy | null): Element {
  const template = document.createElement('template');
  template.innerHTML = (emailTrust ? vouch(emailTrust, html) : html) as string;
  const root = template.content.ownerDocument.createElement('div');
  root.append(...Array.from(template.content.childNodes));
  return root;
}

/** The sanitised body as markup, serialised inside a template for the same reasons. */
function serialise(root: Element): string {
  const holder = document.createElement('template');
  holder.content.append(...Array.from(root.childNodes));
  return holder.innerHTML;
}

const cache = new Map<string, EmailDocument>();
const CACHE_SIZE = 64;

/** The document for one email body; the same body and setting give the same (cached) result. */
export function emailDocument(html: string, allowRemote: boolean): EmailDocument {
  const key = `${allowRemote ? 1 : 0}:${styleNonce() ?? ''}:${html}`;
  const cached = cache.get(key);
  if (cached) return cached;

  const emailTrust = emailPolicy();
  const fragment = parseInert(html, emailTrust);
  purifier.sanitize(fragment, emailTrust ? { ...SANITIZE_CONFIG, TRUSTED_TYPES_POLICY: emailTrust } : SANITIZE_CONFIG);
  const { blocked, shown } = holdBackImages(fragment, allowRemote);
  const inlineRules = styleAttributesAsRules(fragment, allowRemote);
  for (const style of Array.from(fragment.querySelectorAll('style'))) {
    const sheet = sanitisedStyleSheet(style.textContent ?? '', allowRemote);
    if (sheet !== null) style.textContent = sheet;
  }
  const nonce = styleNonce();
  if (nonce) for (const style of Array.from(fragment.querySelectorAll('style'))) style.setAttribute('nonce', nonce);
  const estimatedHeight = estimateHeight(fragment, shown);
  for (const link of Array.from(fragment.querySelectorAll('a[href]'))) {
    link.setAttribute('target', '_blank');
    link.setAttribute('rel', 'noopener noreferrer');
  }
  const body = serialise(fragment);
  const documentText =
    '<!doctype html><html><head><meta charset="utf-8">' +
    `<meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy(allowRemote)}">` +
    '<meta name="referrer" content="no-referrer">' +
    `<style${nonce ? ` nonce="${nonce.replace(/[^A-Za-z0-9+/=_-]/gu, '')}"` : ''}>` +
    'html{color-scheme:light}body{margin:8px;font:14px/1.45 system-ui,sans-serif;color:#1d2433;background:#fff;overflow-wrap:anywhere}' +
    'img{max-width:100%;height:auto}img[data-blocked]{display:inline-block;min-width:16px;min-height:16px;outline:1px dashed #9aa3b5}' +
    `table{max-width:100%}pre{white-space:pre-wrap}${inlineRules}</style>` +
    `</head><body>${body}</body></html>`;

  const result: EmailDocument = { srcdoc: trusted(documentText), blockedRemote: blocked, estimatedHeight };
  cache.set(key, result);
  if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value as string);
  return result;
}
