/**
 * A MemoryConnector seed (docs/seed-format.md) that puts every payload of a batch into every untrusted field the
 * desk shows. Payload `i` of the batch owns: customer `c-i` (name, avatar URL, an identity of every kind, tags,
 * notes, a VIP level), conversation `v-i` (subject, list preview) with six messages (inbound, outbound, internal
 * note and system text; an email with subject, from, to, cc, HTML and three attachments; a call record), ticket
 * `T-i` (subject, description, a public and an internal comment, assigned to agent `a-i` and queue `q-i`),
 * article `kb-i` (title, body, tags), canned reply `cr-i` (title, text), agent `a-i` and queue `q-i` (names).
 *
 * Articles come in groups of {@link ARTICLES_PER_GROUP} sharing a search keyword, and canned replies in groups of
 * {@link CANNED_PER_GROUP} sharing a shortcut prefix, so one search or one `/` query lists a whole group.
 * A bystander conversation (`v-home`) with a plain customer takes the inserted articles and canned replies.
 */
import { CHANNELS, IDENTITY_KINDS } from '../../src/connector/model.js';
import type { Seed, SeedMessage } from '../../src/connector/memory/seed.js';
import type { Payload } from './corpus/index.js';

/** The knowledge search shows 20 hits at most. */
export const ARTICLES_PER_GROUP = 20;
/** The `/` menu lists 8 canned replies at most. */
export const CANNED_PER_GROUP = 8;
export const HOME_CONVERSATION = 'v-home';
export const HOME_CUSTOMER_NAME = 'Ada Lovelace';

export const MESSAGE_KINDS = ['in', 'out', 'note', 'sys', 'mail', 'call'] as const;
export type MessageKind = (typeof MESSAGE_KINDS)[number];

export const messageId = (index: number, kind: MessageKind): string => `m-${index}-${kind}`;
export const articleKeyword = (group: number): string => `kbg${String(group).padStart(2, '0')}`;
export const cannedPrefix = (group: number): string => `cq${String(group).padStart(2, '0')}`;

/** What follows the payload in an article's body: a paragraph of template variables. */
export const ARTICLE_SUFFIX = '\n\n{customer.name} / {agent.name}';

/** The MIME type of the second attachment: a raster image, so a safe http(s) URL may show as a thumbnail. */
export const THUMBNAIL_MIME = 'image/png';

/** The seed for one batch; the signed-in agent is named after the batch's first payload. */
export function corpusSeed(payloads: readonly Payload[]): Seed {
  const home = { id: 'c-home', name: HOME_CUSTOMER_NAME, identities: [{ kind: 'email' as const, value: 'ada@example.com' }] };
  const customers = payloads.map((payload, index) => ({
    id: `c-${index}`,
    name: payload.text,
    avatarUrl: payload.text,
    identities: IDENTITY_KINDS.map((kind) => ({ kind, value: payload.text })),
    vipLevel: index % 11,
    tags: [payload.text, `tag-${index}`],
    notes: payload.text,
  }));
  const conversations = payloads.map((payload, index) => ({
    id: `v-${index}`,
    channel: CHANNELS[index % CHANNELS.length] ?? 'webchat',
    customerId: `c-${index}`,
    // Queued in the agent's queue and unassigned: what the backend offers as work.
    status: 'queued' as const,
    queueId: 'q-home',
    subject: payload.text,
    lastMessagePreview: payload.text,
    lastMessageAt: `-${index + 2}m`,
  }));
  const messages = payloads.flatMap((payload, index): SeedMessage[] => {
    const conversationId = `v-${index}`;
    const at = (secondsBefore: number) => `-${(index + 2) * 60 + secondsBefore}s`;
    const text = payload.text;
    return [
      { id: messageId(index, 'in'), conversationId, direction: 'inbound', authorName: text, text, sentAt: at(6) },
      { id: messageId(index, 'out'), conversationId, direction: 'outbound', authorName: text, text, sentAt: at(5) },
      { id: messageId(index, 'note'), conversationId, direction: 'internal', authorName: text, text, sentAt: at(4) },
      { id: messageId(index, 'sys'), conversationId, direction: 'system', text, sentAt: at(3) },
      {
        id: messageId(index, 'mail'),
        conversationId,
        direction: 'inbound',
        authorName: text,
        sentAt: at(2),
        email: { subject: text, from: text, to: [text], cc: [text], html: text },
        attachments: [
          { name: text, mimeType: text, size: 1, url: text },
          { name: `thumbnail-${index}.png`, mimeType: THUMBNAIL_MIME, size: 2, url: text },
          { name: `vector-${index}.svg`, mimeType: 'image/svg+xml', size: 3, url: text },
        ],
      },
      {
        id: messageId(index, 'call'),
        conversationId,
        direction: 'inbound',
        sentAt: at(1),
        call: { durationSeconds: 42, disposition: text, transcript: text, recordingUrl: text },
      },
    ];
  });
  const tickets = payloads.map((payload, index) => ({
    id: `T-${index}`,
    customerId: `c-${index}`,
    subject: payload.text,
    description: payload.text,
    status: 'open' as const,
    assigneeId: `a-${index}`,
    groupId: `q-${index}`,
    conversationIds: [`v-${index}`],
    createdAt: '-1h',
    comments: [
      { authorName: payload.text, body: payload.text, createdAt: '-40m' },
      { authorName: payload.text, body: payload.text, internal: true, createdAt: '-30m' },
    ],
  }));
  const articles = payloads.map((payload, index) => ({
    id: `kb-${index}`,
    locale: 'en',
    title: payload.text,
    body: `${payload.text}${ARTICLE_SUFFIX}`,
    tags: [payload.text, articleKeyword(Math.floor(index / ARTICLES_PER_GROUP))],
  }));
  const cannedReplies = payloads.map((payload, index) => ({
    id: `cr-${index}`,
    shortcut: `${cannedPrefix(Math.floor(index / CANNED_PER_GROUP))}x${index % CANNED_PER_GROUP}`,
    title: payload.text,
    text: payload.text,
    locale: 'en',
  }));
  return {
    version: 1,
    agent: { id: 'agent-1', name: payloads[0]?.text ?? 'Agent', queues: ['q-home'] },
    agents: payloads.map((payload, index) => ({ id: `a-${index}`, name: payload.text })),
    queues: [{ id: 'q-home', name: 'Home queue' }, ...payloads.map((payload, index) => ({ id: `q-${index}`, name: payload.text }))],
    customers: [home, ...customers],
    conversations: [
      { id: HOME_CONVERSATION, channel: 'webchat', customerId: 'c-home', assigneeId: 'agent-1', queueId: 'q-home', lastMessageAt: '-1m' },
      ...conversations,
    ],
    messages: [{ conversationId: HOME_CONVERSATION, direction: 'inbound', text: 'Hello, can you help me?', sentAt: '-1m' }, ...messages],
    tickets,
    articles,
    cannedReplies,
  };
}
