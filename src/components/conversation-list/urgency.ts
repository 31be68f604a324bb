import type { Conversation, Priority } from '../../connector/model.js';

const PRIORITY_RANK: Readonly<Record<Priority, number>> = { urgent: 0, high: 1, normal: 2, low: 3 };

/**
 * Orders conversations the way an agent should work them: anything awaiting a first response by its due
 * time, then by priority, then the most recent activity; resolved ones last.
 */
export function compareUrgency(a: Conversation, b: Conversation): number {
  const resolvedA = a.status === 'resolved' ? 1 : 0;
  const resolvedB = b.status === 'resolved' ? 1 : 0;
  if (resolvedA !== resolvedB) return resolvedA - resolvedB;
  const dueA = a.firstResponseDueAt ?? Number.POSITIVE_INFINITY;
  const dueB = b.firstResponseDueAt ?? Number.POSITIVE_INFINITY;
  if (dueA !== dueB) return dueA < dueB ? -1 : 1;
  const priority = PRIORITY_RANK[a.priority] - PRIORITY_RANK[b.priority];
  if (priority !== 0) return priority;
  if (a.lastMessageAt !== b.lastMessageAt) return b.lastMessageAt - a.lastMessageAt;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

export function sortByUrgency(conversations: Conversation[]): Conversation[] {
  return conversations.sort(compareUrgency);
}
