import type { CannedReply } from '../../connector/model.js';

/** A `/query` the agent is typing: where the slash is and what follows it up to the caret. */
export interface CannedTrigger {
  readonly start: number;
  readonly query: string;
}

/** At most this many replies are listed; typing narrows them. */
export const MAX_LISTED_REPLIES = 8;

/**
 * The `/query` that ends at the caret, when the slash opens the box or follows whitespace; so a URL or a date
 * such as `3/4` never opens the list.
 */
export function cannedTrigger(text: string, caret: number): CannedTrigger | null {
  const before = text.slice(0, caret);
  const match = /(?:^|\s)\/([^\s/]*)$/u.exec(before);
  if (!match) return null;
  const query = match[1] ?? '';
  return { start: caret - query.length - 1, query };
}

function sameLanguage(a: string, b: string): boolean {
  return a.toLowerCase().split('-')[0] === b.toLowerCase().split('-')[0];
}

/**
 * The replies matching a query, best first: shortcut prefix before shortcut or title substring, and within each,
 * replies in the agent's language first.
 */
export function filterCannedReplies(replies: readonly CannedReply[], query: string, locale: string): CannedReply[] {
  const needle = query.toLocaleLowerCase();
  const ranked: { reply: CannedReply; rank: number }[] = [];
  replies.forEach((reply, index) => {
    const shortcut = reply.shortcut.toLocaleLowerCase();
    const match = shortcut.startsWith(needle) ? 0 : shortcut.includes(needle) || reply.title.toLocaleLowerCase().includes(needle) ? 1 : -1;
    if (match === -1) return;
    const language = sameLanguage(reply.locale, locale) ? 0 : 1;
    ranked.push({ reply, rank: (match * 2 + language) * replies.length + index });
  });
  return ranked
    .sort((a, b) => a.rank - b.rank)
    .slice(0, MAX_LISTED_REPLIES)
    .map((entry) => entry.reply);
}

/** Fills `{customer.name}` and `{agent.name}`; an unknown value and any other braces stay as written, for the agent to see. */
export function fillCannedReply(text: string, values: { readonly customerName: string; readonly agentName: string }): string {
  return text.replace(/\{(customer|agent)\.name\}/gu, (whole, who: string) => (who === 'customer' ? values.customerName : values.agentName).trim() || whole);
}
