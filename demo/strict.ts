// The demo under a strict Content-Security-Policy with Trusted Types (see docs/security.md and
// demo/strict-server.mjs, which serves it). No inline script may run, so the page's style nonce reaches Lit from a
// <meta> tag: this module reads it and sets `window.litNonce` BEFORE Lit is loaded (the demo host is imported
// dynamically, so no module of Lit is evaluated earlier). Browsers without adoptedStyleSheets then give every
// <style> Lit creates that nonce, and the email frame gives it to its own <style>.
declare global {
  interface Window {
    litNonce?: string;
  }
}

const nonce = document.querySelector<HTMLMetaElement>('meta[name="cc-style-nonce"]')?.nonce;
if (nonce && nonce !== '__CSP_NONCE__') window.litNonce = nonce;

await import('./main.js');

export {};
