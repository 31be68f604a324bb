import { noChange } from 'lit';
import { Directive, directive, PartType, type ElementPart, type PartInfo } from 'lit/directive.js';

/** CSS property names (dash-case, custom properties too) to values; `null` or `undefined` removes one. */
export type StyleProperties = Readonly<Record<string, string | null | undefined>>;

/**
 * Sets inline style properties through the CSSOM (`element.style.setProperty`), never through the `style`
 * attribute. Under a strict Content-Security-Policy (docs/security.md) the page allows no style attributes, and
 * Lit's `styleMap` writes the attribute on first render, which such a page refuses; the CSSOM is not governed by
 * CSP. Goes on the element itself: `<span ${styleProperties({ width: '40%' })}>`.
 */
class StylePropertiesDirective extends Directive {
  private readonly applied = new Set<string>();

  constructor(partInfo: PartInfo) {
    super(partInfo);
    if (partInfo.type !== PartType.ELEMENT) throw new Error('styleProperties() goes on an element, not in an attribute or as content.');
  }

  render(_properties: StyleProperties): typeof noChange {
    return noChange;
  }

  override update(part: ElementPart, [properties]: [StyleProperties]): typeof noChange {
    const { style } = part.element as HTMLElement;
    for (const name of this.applied) {
      if (properties[name] == null) {
        style.removeProperty(name);
        this.applied.delete(name);
      }
    }
    for (const [name, value] of Object.entries(properties)) {
      if (value == null) continue;
      style.setProperty(name, value);
      this.applied.add(name);
    }
    return noChange;
  }
}

export const styleProperties = directive(StylePropertiesDirective);
