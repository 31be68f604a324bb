import type { Conversation, Message, Priority } from '../../connector/model.js';
import type { NewTicketForm } from '../../store/actions-tickets.js';

/** How long a new ticket is given by priority, unless the agent sets another due time. */
export const DEFAULT_DUE_HOURS: Readonly<Record<Priority, number>> = { urgent: 4, high: 8, normal: 24, low: 72 };

/** Subjects are cut here (the backend takes up to 200 characters); the full text stays in the description. */
const SUBJECT_LENGTH = 120;
/** How many of the latest messages the description quotes. */
const RECENT_MESSAGES = 10;
const DESCRIPTION_LENGTH = 10_000;

function truncate(text: string, length: number): string {
  const characters = Array.from(text);
  return characters.length <= length ? text : `${characters.slice(0, length - 1).join('').trimEnd()}…`;
}

/** The first line of a text with runs of white space made single. */
function firstLine(text: string): string {
  return (text.split(/\r?\n/u).find((line) => line.trim() !== '') ?? '').replace(/\s+/gu, ' ').trim();
}

function messageText(message: Message): string {
  return message.text.trim() || message.email?.subject.trim() || message.call?.transcript?.trim() || '';
}

export interface PrefillInput {
  readonly conversation: Conversation;
  /** The conversation's messages as held, oldest first; empty when the thread is not loaded. */
  readonly messages: readonly Message[];
  readonly agentId: string | null;
  readonly now: number;
  /** The subject when the conversation has neither a subject nor a customer message. */
  readonly fallbackSubject: string;
  /** The line that introduces the quoted messages in the description. */
  readonly transcriptHeading: string;
}

/**
 * A new ticket filled in from a conversation: its customer and channel, the subject from the conversation's
 * subject or else its first customer message, the description quoting the latest messages, assigned to the
 * agent in the conversation's queue, due by the conversation's priority.
 */
export function prefillNewTicket(input: PrefillInput): NewTicketForm {
  const { conversation, messages, agentId, now } = input;
  const quoted = messages.filter((message) => (message.direction === 'inbound' || message.direction === 'outbound') && messageText(message) !== '');
  const firstCustomerMessage = quoted.find((message) => message.direction === 'inbound');
  const subject =
    conversation.subject?.trim() ||
    (firstCustomerMessage ? firstLine(messageText(firstCustomerMessage)) : '') ||
    firstLine(conversation.lastMessagePreview) ||
    input.fallbackSubject;
  const recent = quoted.slice(-RECENT_MESSAGES).map((message) => `${message.authorName}: ${messageText(message)}`);
  const description =
    recent.length > 0 ? [input.transcriptHeading, ...recent].join('\n') : conversation.lastMessagePreview.trim();
  return {
    customerId: conversation.customerId,
    conversationId: conversation.id,
    sourceChannel: conversation.channel,
    subject: truncate(subject, SUBJECT_LENGTH),
    description: truncate(description, DESCRIPTION_LENGTH),
    type: 'question',
    priority: conversation.priority,
    assigneeId: agentId,
    groupId: conversation.queueId,
    dueAt: now + DEFAULT_DUE_HOURS[conversation.priority] * 60 * 60 * 1000,
  };
}

const pad = (value: number): string => String(value).padStart(2, '0');

/** A time as the value of an `<input type="datetime-local">` in the agent's time zone; '' for none. */
export function toDateTimeLocal(epochMs: number | null): string {
  if (epochMs === null) return '';
  const date = new Date(epochMs);
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** The time an `<input type="datetime-local">` holds; null when it is empty or not a time. */
export function fromDateTimeLocal(value: string): number | null {
  if (value.trim() === '') return null;
  const time = new Date(value).getTime();
  return Number.isNaN(time) ? null : time;
}
