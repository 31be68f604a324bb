import type { Conversation, Customer, EmailEnvelope, Message } from '../../connector/model.js';
import type { EmailReplyFields } from '../../store/actions-conversation.js';

function lastInboundEmail(messages: readonly Message[]): EmailEnvelope | null {
  for (let index = messages.length - 1; index >= 0; index -= 1) {
    const message = messages[index];
    if (message?.direction === 'inbound' && message.email) return message.email;
  }
  return null;
}

const lower = (address: string): string => address.trim().toLowerCase();

/** Addresses as the agent types them: separated by commas, semicolons or spaces. */
export function parseAddresses(text: string): string[] {
  return text.split(/[,;\s]+/u).filter((address) => address !== '');
}

/** Whether an address looks deliverable enough to send to (one @, something on both sides, no spaces). */
export function isEmailAddress(address: string): boolean {
  return /^[^\s@]+@[^\s@]+$/u.test(address);
}

/**
 * A reply's header from the thread: "Re: " and the subject, to the customer's last mail's sender; with reply-all,
 * a copy to everyone else that mail went to, except the desk's own addresses.
 */
export function defaultEmailFields(
  conversation: Conversation,
  messages: readonly Message[],
  customer: Customer | null,
  replyAll: boolean,
): EmailReplyFields {
  const inbound = lastInboundEmail(messages);
  const base = (inbound?.subject ?? conversation.subject ?? '').trim();
  const subject = base === '' || /^re:/iu.test(base) ? base : `Re: ${base}`;
  const customerAddress = customer?.identities.find((identity) => identity.kind === 'email')?.value ?? '';
  const to = inbound?.from ?? customerAddress;
  let cc = '';
  if (replyAll && inbound) {
    const own = new Set<string>();
    // The desk's addresses: what the customer wrote to first, and what earlier replies were sent from.
    if (inbound.to[0]) own.add(lower(inbound.to[0]));
    for (const message of messages) if (message.direction === 'outbound' && message.email) own.add(lower(message.email.from));
    const seen = new Set([lower(to), ...own]);
    const copies: string[] = [];
    for (const address of [...inbound.to, ...inbound.cc]) {
      const key = lower(address);
      if (seen.has(key)) continue;
      seen.add(key);
      copies.push(address.trim());
    }
    cc = copies.join(', ');
  }
  return { subject, to, cc, replyAll };
}
