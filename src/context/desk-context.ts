import { createContext } from '@lit/context';
import type { DeskStore } from '../store/create-store.js';
import type { Locale } from '../i18n/i18n.js';

/** The store `<cc-workspace>` hands down to every part. A stable reference for the workspace's lifetime. */
export const deskStoreContext = createContext<DeskStore>(Symbol.for('cc-workspace.store'));

/** The locale `<cc-workspace>` hands down; a part on its own falls back to the nearest `lang` attribute. */
export const localeContext = createContext<Locale>(Symbol.for('cc-workspace.locale'));
