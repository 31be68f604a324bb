import { expect } from '@esm-bundle/chai';
import { EMAIL_TRUSTED_TYPES_POLICY, emailDocument } from './email-frame.js';

interface Policy {
  createHTML(input: string): unknown;
}
interface Factory {
  createPolicy(name: string, rules: object): Policy;
}

/** The email frame's Trusted Types policy, caught as the module creates it (on its first email). */
function catchEmailPolicy(): Policy {
  const factory = (window as unknown as { trustedTypes: Factory }).trustedTypes;
  const create = factory.createPolicy.bind(factory);
  let caught: Policy | undefined;
  factory.createPolicy = (name, rules) => {
    const created = create(name, rules);
    if (name === EMAIL_TRUSTED_TYPES_POLICY) caught = created;
    return created;
  };
  try {
    emailDocument('<p>first email</p>', false);
  } finally {
    delete (factory as Partial<Factory>).createPolicy;
  }
  if (!caught) throw new Error('the email frame created no Trusted Types policy');
  return caught;
}

const srcdocOf = (html: string, allowRemote: boolean): string => String(emailDocument(html, allowRemote).srcdoc);

describe('email frame', () => {
  describe('its Trusted Types policy', () => {
    it('vouches for the documents the frame prepares, and refuses any other HTML', () => {
      const policy = catchEmailPolicy();
      for (const hostile of ['<img src=x onerror="window.__xss=1">', '<script>window.__xss=2</script>', '<p>harmless looking</p>']) {
        expect(() => policy.createHTML(hostile), hostile).to.throw(TypeError, /only passes HTML the desk's email frame prepared/);
      }
      // The frame still gets TrustedHTML for what it prepared itself.
      const { srcdoc } = emailDocument('<p>Hello <b>team</b><img src=x onerror="window.__xss=3"></p>', false);
      expect(Object.prototype.toString.call(srcdoc)).to.equal('[object TrustedHTML]');
      expect(String(srcdoc)).to.contain('<b>team</b>').and.not.contain('onerror');
      expect(() => policy.createHTML(String(srcdoc)), 'not even a document it made, once made').to.throw(TypeError);
      expect((window as { __xss?: unknown }).__xss).to.equal(undefined);
    });
  });

  describe('remote CSS', () => {
    // Each hides a remote URL from a filter that reads the raw text; the browser's serialisation reveals it.
    const hostileAttributes = [
      String.raw`<p style="color:red;background:url(https\:/\/evil.example/a.png)">a</p>`,
      String.raw`<p style="background:url(&quot;https\3a //evil.example/b.png&quot;)">b</p>`,
      `<p style="background-image:image-set(&quot;https://evil.example/c.png&quot; 1x)">c</p>`,
      `<p style="background-image:-webkit-image-set(&quot;https://evil.example/d.png&quot; 1x)">d</p>`,
      `<p style="background:url(HTTPS:evil.example/e.png)">e</p>`,
      `<p style="background:url(//evil.example/f.png)">f</p>`,
      `<p style="background:url(http://evil.example/g.png)">g</p>`,
      String.raw`<p style="list-style-image:url(h\74tps://evil.example/h.png)">h</p>`,
      `<p style="border-image:url(evil.example/i.png) 30">i</p>`,
    ];
    const hostileSheet =
      '<style>' +
      String.raw`.a{background:url(https\:/\/evil.example/j.png)}` +
      '.b{background-image:image-set("https://evil.example/k.png" 1x)}' +
      String.raw`@media screen{.c{background:url("https\3a //evil.example/l.png")}}` +
      String.raw`@font-face{font-family:z;src:url(https\3a //evil.example/m.woff)}` +
      '.d{color:blue}' +
      '</style><p class="d">styled</p>';

    it('keeps every hidden remote URL out of the frame while remote images are blocked', () => {
      for (const html of [...hostileAttributes, hostileSheet]) expect(srcdocOf(html, false), html).to.not.contain('evil.example');
      // What is harmless stays: the colour of the first, the email's own rule.
      expect(srcdocOf(hostileAttributes[0] ?? '', false)).to.match(/\{color:red !important;/u);
      expect(srcdocOf(hostileSheet, false)).to.match(/\.d\s*\{\s*color:\s*blue;?\s*\}/u);
    });

    it('once remote images are allowed, lets through absolute https URLs only, and never image-set()', () => {
      // Escaped https URLs are https URLs once resolved: allowed now, like any other.
      expect(srcdocOf(hostileAttributes[0] ?? '', true)).to.contain('url("https://evil.example/a.png")');
      const neverLoaded = [2, 3, 4, 5, 6, 8].map((index) => hostileAttributes[index] ?? '');
      for (const html of neverLoaded) expect(srcdocOf(html, true), html).to.not.contain('evil.example');
      const sheet = srcdocOf(hostileSheet, true);
      expect(sheet).to.not.contain('k.png');
      expect(sheet).to.contain('url("https://evil.example/l.png")');
    });

    it('keeps an https image in CSS only once the agent allowed remote images', () => {
      const html = '<p style="background:url(https://images.example/ok.png)">ok</p><style>.x{background:url(https://images.example/sheet.png)}</style>';
      expect(srcdocOf(html, false)).to.not.contain('images.example');
      const allowed = srcdocOf(html, true);
      expect(allowed).to.contain('url("https://images.example/ok.png")');
      expect(allowed).to.contain('url("https://images.example/sheet.png")');
    });

    it('drops a stylesheet rule that would end the <style> element', () => {
      // Escaped, the text is harmless in the raw sheet; the browser's serialisation writes the "<" out.
      const srcdoc = srcdocOf(String.raw`<style>p::after{content:"\3c/style>\3c img src=https://evil.example/n.png>"}.e{color:green}</style><p>x</p>`, true);
      expect(srcdoc).to.not.contain('evil.example');
      expect(srcdoc).to.match(/\.e\s*\{\s*color:\s*green;?\s*\}/u);
      expect(srcdoc.match(/<\/style>/gu)?.length, 'only the frame’s own and the email’s sheet close').to.equal(2);
    });
  });
});
