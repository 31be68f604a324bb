/**
 * Oversized strings, NUL and control characters: the inputs that break length assumptions, layouts, regular
 * expressions and parsers rather than running script directly. A long unbroken word, thousands of tags or
 * nested elements (sanitiser recursion), a very long URL, a flood of combining marks and of line breaks, NUL,
 * C0 and C1 controls inside markup and schemes, CRLF header injection, and a template with hundreds of variables.
 */
import type { Vector } from './vector.js';

const C0 = Array.from({ length: 32 }, (_, code) => String.fromCharCode(code)).join('');
const C1 = Array.from({ length: 32 }, (_, code) => String.fromCharCode(0x80 + code)).join('');

export const oversizedControl: readonly Vector[] = [
  (tokens) => `${'A'.repeat(20_000)}${tokens.id}`,
  (tokens) => `${'x'.repeat(12_000)}<img src=x onerror=${tokens.x}>`,
  (tokens) => `${'<b>'.repeat(8_000)}<img src=x onerror=${tokens.x}>`,
  (tokens) => `${'<div>'.repeat(2_000)}<img src=x onerror=${tokens.x}>${'</div>'.repeat(2_000)}`,
  (tokens) => `${'<table><tr><td>'.repeat(600)}<svg onload=${tokens.x}>`,
  (tokens) => `https://evil.test/${tokens.id}/${'a'.repeat(8_000)}`,
  (tokens) => `a${'\u0301'.repeat(3_000)} ${tokens.id}`,
  (tokens) => `${'\n'.repeat(3_000)}${tokens.id}${'\r\n'.repeat(1_000)}`,
  (tokens) => `${'{customer.name} '.repeat(400)}${tokens.id}`,
  (tokens) => `${'😀'.repeat(4_000)}${tokens.id}`,
  (tokens) => `${'<!--'.repeat(2_000)}<img src=x onerror=${tokens.x}>`,
  (tokens) => `${'&amp;'.repeat(4_000)}&lt;img src=x onerror=${tokens.x}&gt;`,
  (tokens) => `${'('.repeat(5_000)}${tokens.id}${')'.repeat(5_000)}`,
  (tokens) => `${'https://a.example/ '.repeat(1_500)}${tokens.id}`,
  '\u0000',
  '\u0000§ID§\u0000',
  '<img src=x one\u0000rror=§X§>',
  '\u0000<script>§X§</script>',
  'java\u0000script:§X§',
  '<scr\u0000ipt>§X§</scr\u0000ipt>',
  '<img\u000csrc=x\u000conerror=§X§>',
  '<img\u000dsrc=x\u000donerror=§X§>',
  '<svg\u000bonload=§X§>',
  `${C0}§ID§`,
  `${C1}§ID§`,
  '\u007f\u007f\u007f DEL §ID§',
  '\u0085next line\u0085 §ID§',
  '\u0008\u0008\u0008backspaces over the name §ID§',
  '\u001b[31mred\u001b[0m ANSI escapes §ID§',
  'x\r\nSet-Cookie: session=§ID§\r\nLocation: §U§',
  '%00%0d%0a<img src=x onerror=§X§>',
  '\\x3cimg src=x onerror=§X§\\x3e',
  '\\u003cimg src=x onerror=§X§\\u003e',
  '&lt;img src=x onerror=§X§&gt;',
  '&#60;img src=x onerror=§X§&#62;',
  '%3Cimg%20src%3Dx%20onerror%3D§X§%3E',
  '%253Cimg%2520src%253Dx%2520onerror%253D§X§%253E',
  '+ADw-img src=x onerror=§X§+AD4-',
  '<img src=x onerror=§X§',
  '<',
  '>',
  '"',
  "'",
  '&',
];
