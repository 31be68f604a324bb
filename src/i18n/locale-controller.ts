import { ContextConsumer } from '@lit/context';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { localeContext } from '../context/desk-context.js';
import { resolveLocale, translate, type Locale, type MessageKey } from './i18n.js';

/**
 * Gives a part its locale: from `<cc-workspace>` through context, else from the nearest `lang` attribute.
 * `t()` translates in that locale; the host re-renders when it changes.
 */
export class LocaleController implements ReactiveController {
  private fromContext: Locale | undefined;

  constructor(private readonly host: ReactiveControllerHost & HTMLElement) {
    host.addController(this);
    new ContextConsumer(host, {
      context: localeContext,
      subscribe: true,
      callback: (locale) => {
        this.fromContext = locale;
        host.requestUpdate();
      },
    });
  }

  get locale(): Locale {
    return this.fromContext ?? resolveLocale(this.host.closest('[lang]')?.getAttribute('lang') ?? document.documentElement.lang);
  }

  t(key: MessageKey, params?: Readonly<Record<string, string | number>>): string {
    return translate(this.locale, key, params);
  }

  hostConnected(): void {}
}
