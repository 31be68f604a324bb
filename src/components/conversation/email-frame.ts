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

const SANITIZE_CONFIG: Config & { RETURN_DOM_FRAGMENT: true } = {
  USE_PROFILES: { html: true },
  // Nothing interactive or that reaches out beyond images and links: the frame could not submit a form anyway.
  FORBID_TAGS: ['form', 'input', 'button', 'textarea', 'select', 'option', 'base', 'link', 'meta', 'iframe', 'frame', 'object', 'embed', 'audio', 'video', 'source', 'track'],
  FORBID_ATTR: ['srcset', 'background', 'ping', 'formaction', 'action'],
  ALLOW_DATA_ATTR: false,
  // Keeps a leading <style> block, which emails often start with.
  FORCE_BODY: true,
  RETURN_DOM_FRAGMENT: true,
};

interface TrustedHtmlLike {
  toString(): string;
}
interface TrustedTypesLike {
  createPolicy(name: string, rules: { createHTML(input: string): string }): { createHTML(input: string): TrustedHtmlLike };
}

let policy: { createHTML(input: string): TrustedHtmlLike } | null | undefined;

/** The input was sanitised by DOMPurify and wrapped in a fixed document; the policy only vouches for that. */
function trusted(html: string): string | TrustedHtmlLike {
  if (policy === undefined) {
    const trustedTypes = (window as unknown as { trustedTypes?: TrustedTypesLike }).trustedTypes;
    try {
      policy = trustedTypes ? trustedTypes.createPolicy(EMAIL_TRUSTED_TYPES_POLICY, { createHTML: (input) => input }) : null;
    } catch {
      // The host's CSP does not list the policy: without enforcement a string works; with it, the frame stays empty.
      policy = null;
    }
  }
  return policy ? policy.createHTML(html) : html;
}

function isDataImage(url: string): boolean {
  return /^data:image\/(?:png|jpeg|gif|webp);/iu.test(url);
}

/** Keeps images the CSP would allow; takes out the rest, counting the remote ones. */
function holdBackImages(fragment: DocumentFragment, allowRemote: boolean): { blocked: number; shown: number } {
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

function estimateHeight(fragment: DocumentFragment, imagesShown: number): number {
  const text = (fragment.textContent ?? '').replace(/\s+/gu, ' ').trim();
  const lines = Math.ceil(text.length / CHARACTERS_PER_LINE) + fragment.querySelectorAll(BLOCK_ELEMENTS).length;
  const height = 24 + lines * LINE_HEIGHT + imagesShown * ALLOWED_IMAGE_HEIGHT;
  return Math.min(MAX_HEIGHT, Math.max(MIN_HEIGHT, height));
}

function contentSecurityPolicy(allowRemote: boolean): string {
  return `default-src 'none'; img-src data:${allowRemote ? ' https:' : ''}; style-src 'unsafe-inline'`;
}

let inert: Document | undefined;
function inertDocument(): Document {
  inert ??= document.implementation.createHTMLDocument('');
  return inert;
}

const cache = new Map<string, EmailDocument>();
const CACHE_SIZE = 64;

/** The document for one email body; the same body and setting give the same (cached) result. */
export function emailDocument(html: string, allowRemote: boolean): EmailDocument {
  const key = `${allowRemote ? 1 : 0}:${html}`;
  const cached = cache.get(key);
  if (cached) return cached;

  const fragment = purifier.sanitize(html, SANITIZE_CONFIG);
  const { blocked, shown } = holdBackImages(fragment, allowRemote);
  const estimatedHeight = estimateHeight(fragment, shown);
  for (const link of Array.from(fragment.querySelectorAll('a[href]'))) {
    link.setAttribute('target', '_blank');
    link.setAttribute('rel', 'noopener noreferrer');
  }
  // Serialised in a document without a browsing context: an image there never loads, not even for a moment.
  const container = inertDocument().createElement('div');
  container.append(fragment);
  const body = container.innerHTML;
  const documentText =
    '<!doctype html><html><head><meta charset="utf-8">' +
    `<meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy(allowRemote)}">` +
    '<meta name="referrer" content="no-referrer">' +
    '<style>html{color-scheme:light}body{margin:8px;font:14px/1.45 system-ui,sans-serif;color:#1d2433;background:#fff;overflow-wrap:anywhere}' +
    'img{max-width:100%;height:auto}img[data-blocked]{display:inline-block;min-width:16px;min-height:16px;outline:1px dashed #9aa3b5}' +
    'table{max-width:100%}pre{white-space:pre-wrap}</style>' +
    `</head><body>${body}</body></html>`;

  const result: EmailDocument = { srcdoc: trusted(documentText), blockedRemote: blocked, estimatedHeight };
  cache.set(key, result);
  if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value as string);
  return result;
}
