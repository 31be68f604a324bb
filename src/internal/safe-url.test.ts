import { expect } from '@esm-bundle/chai';
import { safeLinkUrl } from './safe-url.js';

describe('safeLinkUrl', () => {
  it('keeps absolute http, https, mailto and tel links', () => {
    expect(safeLinkUrl('https://example.com/a?b=1')).to.equal('https://example.com/a?b=1');
    expect(safeLinkUrl(' http://example.com ')).to.equal('http://example.com/');
    expect(safeLinkUrl('mailto:ada@example.com')).to.equal('mailto:ada@example.com');
    expect(safeLinkUrl('tel:+442079460001')).to.equal('tel:+442079460001');
  });

  it('drops other schemes, relative and malformed URLs', () => {
    for (const candidate of ['javascript:alert(1)', 'JaVaScRiPt:alert(1)', 'data:text/html,<script>1</script>', 'vbscript:x', '/relative', '//evil.test/x', 'not a url', '', null, undefined]) {
      expect(safeLinkUrl(candidate), String(candidate)).to.equal(undefined);
    }
  });

  it('drops a URL with credentials, which reads as one host and goes to another', () => {
    expect(safeLinkUrl('https://bank.example\u2215@evil.test/login')).to.equal(undefined);
    expect(safeLinkUrl('https://user:secret@example.com/')).to.equal(undefined);
  });
});
