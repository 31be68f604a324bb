import { expect } from '@esm-bundle/chai';
import { en } from './en.js';
import { catalogKeys, formatDuration, LOCALES, resolveLocale, translate } from './i18n.js';

describe('i18n', () => {
  it('has every key in every locale, and no key that English lacks', () => {
    const english = Object.keys(en).sort();
    for (const locale of LOCALES) {
      const keys = catalogKeys(locale).sort();
      const missing = english.filter((key) => !keys.includes(key));
      const extra = keys.filter((key) => !english.includes(key));
      expect({ locale, missing, extra }).to.deep.equal({ locale, missing: [], extra: [] });
    }
  });

  it('has no empty message and keeps the placeholders of the English text', () => {
    for (const locale of LOCALES) {
      for (const key of catalogKeys(locale) as (keyof typeof en)[]) {
        const text = translate(locale, key);
        expect(text.trim(), `${locale} ${key}`).to.not.equal('');
        const placeholders = (value: string) => (value.match(/\{\w+\}/g) ?? []).sort();
        expect(placeholders(text), `${locale} ${key}`).to.deep.equal(placeholders(en[key]));
      }
    }
  });

  it('fills placeholders and resolves locale tags', () => {
    expect(translate('en', 'list.unread', { count: 3 })).to.equal('3 unread');
    expect(translate('zh-CN', 'list.unread', { count: 3 })).to.equal('3 条未读');
    expect(resolveLocale('zh-Hans-CN')).to.equal('zh-CN');
    expect(resolveLocale('fr')).to.equal('en');
    expect(formatDuration(3725)).to.equal('1:02:05');
  });
});
