/** What a keyboard shortcut of the desk does. */
export type ShortcutAction = 'nextUrgent' | 'focusComposer' | 'acceptOffer' | 'focusList' | 'focusKnowledge';

/** Key combinations by action, as `Modifier+Key` (modifiers: Ctrl, Alt, Shift, Meta). Hosts may remap any of them. */
export type ShortcutMap = Readonly<Record<ShortcutAction, string>>;

export const DEFAULT_SHORTCUTS: ShortcutMap = {
  nextUrgent: 'Alt+N',
  focusComposer: 'Alt+R',
  acceptOffer: 'Alt+A',
  focusList: 'Alt+L',
  focusKnowledge: 'Alt+K',
};

interface Combo {
  readonly key: string;
  readonly ctrl: boolean;
  readonly alt: boolean;
  readonly shift: boolean;
  readonly meta: boolean;
}

/** Parses `Alt+Shift+N`; returns null for a string that names no key. */
export function parseCombo(text: string): Combo | null {
  const parts = text.split('+').map((part) => part.trim()).filter(Boolean);
  const key = parts.pop();
  if (!key) return null;
  const modifiers = new Set(parts.map((part) => part.toLowerCase()));
  return {
    key: key.length === 1 ? key.toLowerCase() : key,
    ctrl: modifiers.has('ctrl') || modifiers.has('control'),
    alt: modifiers.has('alt') || modifiers.has('option'),
    shift: modifiers.has('shift'),
    meta: modifiers.has('meta') || modifiers.has('cmd'),
  };
}

/**
 * The key a keydown means, independent of layout-dependent characters: with Alt held, macOS reports `event.key`
 * as a symbol (Alt+N → "˜"), so letters and digits are read from `event.code`.
 */
function keyOf(event: KeyboardEvent): string {
  const letter = /^Key([A-Z])$/.exec(event.code);
  if (letter?.[1]) return letter[1].toLowerCase();
  const digit = /^Digit(\d)$/.exec(event.code);
  if (digit?.[1]) return digit[1];
  return event.key.length === 1 ? event.key.toLowerCase() : event.key;
}

export function matchShortcut(event: KeyboardEvent, shortcuts: ShortcutMap): ShortcutAction | null {
  const key = keyOf(event);
  for (const [action, text] of Object.entries(shortcuts) as [ShortcutAction, string][]) {
    const combo = parseCombo(text);
    if (
      combo &&
      combo.key === key &&
      combo.ctrl === event.ctrlKey &&
      combo.alt === event.altKey &&
      combo.shift === event.shiftKey &&
      combo.meta === event.metaKey
    ) {
      return action;
    }
  }
  return null;
}
