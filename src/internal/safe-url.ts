/** Schemes a link built from untrusted data may use. Everything else (javascript:, data:, vbscript:, …) is dropped. */
const SAFE_LINK_SCHEMES = new Set(['http:', 'https:', 'mailto:', 'tel:']);

/**
 * Returns the URL when it is absolute and uses a safe scheme; otherwise undefined, and the caller shows text only.
 * A URL with credentials (`https://bank.example∕@evil.test/`) is refused too: it reads as one host and goes to another.
 */
export function safeLinkUrl(candidate: string | null | undefined): string | undefined {
  if (!candidate) return undefined;
  try {
    const url = new URL(candidate.trim());
    if (url.username !== '' || url.password !== '') return undefined;
    return SAFE_LINK_SCHEMES.has(url.protocol) ? url.href : undefined;
  } catch {
    return undefined;
  }
}
