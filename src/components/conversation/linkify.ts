import { html, type TemplateResult } from 'lit';
import { safeLinkUrl } from '../../internal/safe-url.js';

export type TextPart = { readonly kind: 'text'; readonly text: string } | { readonly kind: 'link'; readonly text: string; readonly href: string };

/**
 * Candidate links: http(s), mailto and tel URLs, up to whitespace, quotes, angle brackets or CJK punctuation
 * (Chinese text often runs straight on after a URL: `https://kestrel.example/退货，谢谢`).
 */
const CANDIDATE = /\b(?:https?:\/\/|mailto:|tel:)[^\s<>"'`，。！？、；：（）【】「」《》]+/giu;
/** Punctuation that ends a sentence rather than a URL. */
const TRAILING = /[.,;:!?'"”’»]+$/u;

/** Trims trailing punctuation, and a closing parenthesis the URL did not open (`(see https://x.example/a)`). */
function trimCandidate(candidate: string): string {
  let url = candidate.replace(TRAILING, '');
  while (url.endsWith(')') && (url.match(/\(/gu)?.length ?? 0) < (url.match(/\)/gu)?.length ?? 0)) {
    url = url.slice(0, -1).replace(TRAILING, '');
  }
  return url;
}

/** Splits plain text into text and links; only URLs that `safeLinkUrl` accepts become links. */
export function splitLinks(text: string): TextPart[] {
  const parts: TextPart[] = [];
  let last = 0;
  for (const match of text.matchAll(CANDIDATE)) {
    const start = match.index;
    const url = trimCandidate(match[0]);
    const href = safeLinkUrl(url);
    if (!href || url.length === 0) continue;
    if (start > last) parts.push({ kind: 'text', text: text.slice(last, start) });
    parts.push({ kind: 'link', text: url, href });
    last = start + url.length;
  }
  if (last < text.length) parts.push({ kind: 'text', text: text.slice(last) });
  return parts;
}

/** Plain text with its safe links as anchors; everything is bound as text. */
export function renderLinkedText(text: string): (string | TemplateResult)[] {
  return splitLinks(text).map((part) =>
    part.kind === 'text' ? part.text : html`<a href=${part.href} rel="noopener noreferrer" target="_blank">${part.text}</a>`,
  );
}
