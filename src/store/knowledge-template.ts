/**
 * Template variables in knowledge articles: dotted names in braces, such as `{customer.name}` or `{ticket.id}`.
 * Braces around anything else (`{name}`, JSON) are ordinary text.
 */

const VARIABLE = /\{([A-Za-z][\w-]*(?:\.[A-Za-z][\w-]*)+)\}/g;

/** A run of article text: literal, or a variable as written (`{customer.name}`) with its name. */
export type TemplatePart = { readonly kind: 'text'; readonly text: string } | { readonly kind: 'variable'; readonly text: string; readonly name: string };

/** Splits text into literal runs and variables, in order. */
export function templateParts(text: string): TemplatePart[] {
  const parts: TemplatePart[] = [];
  let last = 0;
  for (const match of text.matchAll(VARIABLE)) {
    const at = match.index;
    if (at > last) parts.push({ kind: 'text', text: text.slice(last, at) });
    parts.push({ kind: 'variable', text: match[0], name: match[1] ?? '' });
    last = at + match[0].length;
  }
  if (last < text.length) parts.push({ kind: 'text', text: text.slice(last) });
  return parts;
}

/** The distinct variable names a text uses, in order of first use. */
export function templateVariables(text: string): string[] {
  return [...new Set(templateParts(text).flatMap((part) => (part.kind === 'variable' ? [part.name] : [])))];
}

export interface FilledTemplate {
  readonly text: string;
  /** Variables left as written: unknown names, and known ones without a value. */
  readonly unfilled: readonly string[];
}

/**
 * Replaces each variable that has a non-empty value; every other one stays in the text exactly as written, so
 * the agent sees what is left to fill in. Values are inserted as they are and never scanned for variables again.
 */
export function fillTemplate(text: string, values: Readonly<Record<string, string | null | undefined>>): FilledTemplate {
  const unfilled = new Set<string>();
  const filled = templateParts(text)
    .map((part) => {
      if (part.kind === 'text') return part.text;
      const value = Object.hasOwn(values, part.name) ? values[part.name] : undefined;
      if (typeof value === 'string' && value.trim() !== '') return value;
      unfilled.add(part.name);
      return part.text;
    })
    .join('');
  return { text: filled, unfilled: [...unfilled] };
}
