import { safeLinkUrl } from '../../internal/safe-url.js';

/**
 * The URL of a customer's avatar when it may be shown as an image: absolute http(s) and not an SVG (an SVG is a
 * document that can carry script and links). Anything else (javascript:, data:, relative, .svg) gives undefined,
 * and the panel shows initials.
 */
export function rasterAvatarUrl(candidate: string | null | undefined): string | undefined {
  const safe = safeLinkUrl(candidate);
  if (!safe) return undefined;
  const url = new URL(safe);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  if (/\.svgz?$/i.test(url.pathname)) return undefined;
  return url.href;
}
