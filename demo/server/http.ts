/**
 * The REST half of docs/protocol.md: routes, bearer authentication, CORS for the demo origins, idempotency keys
 * on writes, and the protocol's error bodies.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CommandOptions } from '../../src/connector/connector.js';
import { invalid } from '../../src/connector/errors.js';
import type { MemoryConnector } from '../../src/connector/memory/memory-connector.js';
import type { Permission } from '../../src/connector/model.js';
import { errorAnswer, fingerprintOf } from './backend.js';
import type { Answer, Backend, WriteResult } from './backend.js';
import type { TokenVerdict } from './events.js';

export interface HttpOptions {
  readonly backend: Backend;
  /** The path prefix, e.g. `/api/v1`. */
  readonly basePath: string;
  readonly checkToken: (token: string) => TokenVerdict;
  /** Origins allowed besides any `http://127.0.0.1:<port>` and `http://localhost:<port>`. */
  readonly allowedOrigins: readonly string[];
  readonly log: (line: string) => void;
  /** The permissions of a valid token's role (null: every permission); answers are masked and commands enforced for it. */
  readonly permissionsOf?: (token: string) => readonly Permission[] | null;
}

type Json = Record<string, unknown>;

interface Context {
  readonly params: readonly string[];
  readonly query: URLSearchParams;
  readonly body: Json;
  readonly options: CommandOptions;
  readonly log: (line: string) => void;
}

interface Route {
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  readonly pattern: RegExp;
  /** Reads answer `200` with the result; writes say their status themselves. */
  readonly read?: (engine: MemoryConnector, context: Context) => Promise<unknown>;
  readonly write?: (engine: MemoryConnector, context: Context) => Promise<WriteResult>;
}

const MAX_BODY_BYTES = 1024 * 1024;
const MAX_KEY_LENGTH = 200;

/** `/conversations/:id/messages` → a RegExp with one group per parameter. */
function path(template: string): RegExp {
  const source = template
    .split('/')
    .map((segment) => (segment.startsWith(':') ? '([^/]+)' : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('/');
  return new RegExp(`^${source}$`);
}

const param = (context: Context, index: number): string => context.params[index] ?? '';
const optional = (query: URLSearchParams, name: string): string | undefined => query.get(name) ?? undefined;
/** A number parameter; anything that is not a whole number reaches the engine as NaN and is refused there. */
const numberParam = (query: URLSearchParams, name: string): number | undefined => {
  const value = query.get(name);
  return value === null ? undefined : value.trim() === '' ? Number.NaN : Number(value);
};
const listParam = <T extends string>(query: URLSearchParams, name: string): T[] | undefined => {
  const value = query.get(name);
  return value === null ? undefined : (value.split(',').map((item) => item.trim()).filter(Boolean) as T[]);
};
const ok = (body: unknown): WriteResult => ({ status: 200, body });

const ROUTES: readonly Route[] = [
  // Sessions
  {
    method: 'GET',
    pattern: path('/session'),
    read: async (engine, { options }) => ({ agent: await engine.getAgent(options), capabilities: engine.capabilities }),
  },
  { method: 'GET', pattern: path('/snapshot'), read: (engine, { options }) => engine.snapshot(options) },
  // Agent
  { method: 'GET', pattern: path('/agent'), read: (engine, { options }) => engine.getAgent(options) },
  {
    method: 'PUT',
    pattern: path('/agent/presence'),
    write: async (engine, { body, options }) => ok(await engine.setPresence(body['presence'] as never, options)),
  },
  {
    method: 'PUT',
    pattern: path('/agent/capacity/:channel'),
    write: async (engine, context) => ok(await engine.setCapacity(param(context, 0) as never, context.body['max'] as never, context.options)),
  },
  { method: 'GET', pattern: path('/queues'), read: (engine, { options }) => engine.listQueues(options) },
  { method: 'GET', pattern: path('/agents'), read: (engine, { options }) => engine.listAgents(options) },
  // Conversations
  {
    method: 'GET',
    pattern: path('/conversations'),
    read: (engine, { query, options }) =>
      engine.listConversations(
        {
          cursor: query.get('cursor'),
          limit: numberParam(query, 'limit'),
          channels: listParam(query, 'channels'),
          statuses: listParam(query, 'statuses'),
          scope: optional(query, 'scope') as never,
          customerId: optional(query, 'customerId'),
          text: optional(query, 'text'),
        },
        options,
      ),
  },
  { method: 'GET', pattern: path('/conversations/:id'), read: (engine, context) => engine.getConversation(param(context, 0), context.options) },
  {
    method: 'GET',
    pattern: path('/conversations/:id/messages'),
    read: (engine, context) =>
      engine.listMessages(param(context, 0), { cursor: context.query.get('cursor'), limit: numberParam(context.query, 'limit') }, context.options),
  },
  {
    method: 'POST',
    pattern: path('/conversations/:id/messages'),
    write: async (engine, context) => {
      const { text, internal, attachments, email } = context.body;
      return ok(await engine.sendMessage({ conversationId: param(context, 0), text, internal, attachments, email } as never, context.options));
    },
  },
  {
    method: 'POST',
    pattern: path('/conversations/:id/read'),
    write: async (engine, context) => ok(await engine.markRead(param(context, 0), context.options)),
  },
  {
    method: 'POST',
    pattern: path('/conversations/:id/assign'),
    write: async (engine, context) => ok(await engine.assignConversation(param(context, 0), context.body as never, context.options)),
  },
  {
    method: 'POST',
    pattern: path('/conversations/:id/status'),
    write: async (engine, context) => ok(await engine.setConversationStatus(param(context, 0), context.body['status'] as never, context.options)),
  },
  {
    method: 'GET',
    pattern: path('/conversations/:id/suggestions'),
    read: (engine, context) => engine.suggestArticles(param(context, 0), context.options),
  },
  {
    method: 'POST',
    pattern: path('/offers/:id/accept'),
    write: async (engine, context) => ok(await engine.acceptOffer(param(context, 0), context.options)),
  },
  {
    method: 'POST',
    pattern: path('/offers/:id/decline'),
    write: async (engine, context) => {
      await engine.declineOffer(param(context, 0), context.options);
      return { status: 204 };
    },
  },
  // Customers
  {
    method: 'GET',
    pattern: path('/customers'),
    read: async (engine, { query, options, log }) => {
      const found = await engine.findCustomers({ kind: query.get('kind'), value: query.get('value') } as never, options);
      // A lookup by a clear value answers whether it belongs to a customer, whatever the role may see: audited
      // (never the value) for a role without view-pii, the one use it has being the phone's caller lookup.
      if (!engine.mayViewPii()) log(`Audit: ${(await engine.getAgent()).id} looked up customers by ${String(query.get('kind'))} (${found.length} found).`);
      return found;
    },
  },
  { method: 'GET', pattern: path('/customers/:id'), read: (engine, context) => engine.getCustomer(param(context, 0), context.options) },
  {
    method: 'PATCH',
    pattern: path('/customers/:id'),
    write: async (engine, context) => ok(await engine.updateCustomer(param(context, 0), context.body as never, context.options)),
  },
  {
    method: 'GET',
    pattern: path('/customers/:id/duplicates'),
    read: (engine, context) => engine.listDuplicateCandidates(param(context, 0), context.options),
  },
  {
    method: 'POST',
    pattern: path('/customers/:id/merge'),
    write: async (engine, context) => {
      const sourceId = context.body['sourceId'];
      if (typeof sourceId !== 'string' || sourceId === '') {
        throw invalid('sourceId', 'Say which profile to merge into this one: { "sourceId": "<customer id>" }.');
      }
      return ok(await engine.mergeCustomers(param(context, 0), sourceId, context.options));
    },
  },
  {
    method: 'POST',
    pattern: path('/customers/:id/reveal'),
    write: async (engine, context) => {
      const identity = await engine.revealIdentity(param(context, 0), { kind: context.body['kind'], value: context.body['value'] } as never, context.options);
      const agent = await engine.getAgent();
      // The audit trail of the server: who saw which identity in clear (never the value itself).
      context.log(`Audit: ${agent.id} revealed the ${identity.kind} of customer ${param(context, 0)}.`);
      // Never stored under the idempotency key: a replay asks the engine again (and is audited again).
      return { ...ok(identity), keepBody: false };
    },
  },
  {
    method: 'GET',
    pattern: path('/customers/:id/conversations'),
    read: (engine, context) => engine.listCustomerConversations(param(context, 0), context.options),
  },
  { method: 'GET', pattern: path('/customers/:id/tickets'), read: (engine, context) => engine.listTickets(param(context, 0), context.options) },
  // Tickets
  { method: 'POST', pattern: path('/tickets'), write: async (engine, context) => ok(await engine.createTicket(context.body as never, context.options)) },
  { method: 'GET', pattern: path('/tickets/:id'), read: (engine, context) => engine.getTicket(param(context, 0), context.options) },
  {
    method: 'PATCH',
    pattern: path('/tickets/:id'),
    write: async (engine, context) => ok(await engine.updateTicket(param(context, 0), context.body as never, context.options)),
  },
  {
    method: 'POST',
    pattern: path('/tickets/:id/comments'),
    write: async (engine, context) => ok(await engine.commentTicket(param(context, 0), context.body as never, context.options)),
  },
  // Knowledge
  {
    method: 'GET',
    pattern: path('/knowledge/search'),
    read: (engine, { query, options }) =>
      engine.searchKnowledge({ text: query.get('text'), locale: optional(query, 'locale'), limit: numberParam(query, 'limit') } as never, options),
  },
  { method: 'GET', pattern: path('/knowledge/articles/:id'), read: (engine, context) => engine.getArticle(param(context, 0), context.options) },
  {
    method: 'POST',
    pattern: path('/knowledge/articles/:id/rating'),
    write: async (engine, context) => {
      const articleId = param(context, 0);
      const helpful = context.body['helpful'] as boolean;
      await engine.rateArticle(articleId, helpful, context.options);
      const agentId = (await engine.getAgent()).id;
      return { status: 204, votes: [{ articleId, agentId, helpful }] };
    },
  },
  // Canned replies and telephony
  { method: 'GET', pattern: path('/canned-replies'), read: (engine, { options }) => engine.listCannedReplies(options) },
  { method: 'GET', pattern: path('/telephony'), read: (engine, { options }) => engine.getTelephonyConfig(options) },
  { method: 'POST', pattern: path('/call-records'), write: async (engine, context) => ok(await engine.saveCallRecord(context.body as never, context.options)) },
];

/**
 * Whose idempotency keys a request uses: the server has one agent, so callers differ by what their token's role
 * may do (the same permissions see the same answers). The seed agent's own tokens (no role of their own) share one.
 */
function callerScope(permissions: readonly string[] | null): string {
  return permissions === null ? 'all' : [...permissions].sort().join(',');
}

/** Whether a browser page on `origin` may call the server. */
export function originAllowed(origin: string, extra: readonly string[]): boolean {
  if (extra.includes(origin) || extra.includes('*')) return true;
  return /^http:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d{1,5})?$/.test(origin);
}

/** The request handler of the HTTP server. */
export function createRequestHandler(options: HttpOptions): (request: IncomingMessage, response: ServerResponse) => void {
  const { backend, basePath, checkToken, allowedOrigins } = options;

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<Answer> => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const method = request.method ?? 'GET';
    if (url.pathname !== basePath && !url.pathname.startsWith(`${basePath}/`)) {
      return errorAnswer(404, 'not-found', `Nothing is served at ${url.pathname}; the API is under ${basePath}.`);
    }
    const token = bearerToken(request.headers.authorization);
    const verdict = checkToken(token);
    if (verdict !== 'valid') {
      response.setHeader('WWW-Authenticate', `Bearer realm="cc-workspace"${verdict === 'expired' ? ', error="invalid_token"' : ''}`);
      return errorAnswer(
        401,
        'unauthenticated',
        verdict === 'expired' ? 'The access token has expired; get a new one and repeat the request.' : 'Send a valid access token: Authorization: Bearer <token>.',
      );
    }

    const routePath = url.pathname.slice(basePath.length) || '/';
    let segments: string[] | null = null;
    const allowed: string[] = [];
    let route: Route | undefined;
    for (const candidate of ROUTES) {
      const match = candidate.pattern.exec(routePath);
      if (!match) continue;
      allowed.push(candidate.method);
      if (candidate.method !== method) continue;
      route = candidate;
      segments = match.slice(1);
      break;
    }
    if (!route || !segments) {
      if (allowed.length > 0) {
        response.setHeader('Allow', allowed.join(', '));
        return errorAnswer(405, 'invalid', `${method} is not allowed on ${routePath}; use ${allowed.join(' or ')}.`);
      }
      return errorAnswer(404, 'not-found', `There is no ${routePath} in this API.`);
    }
    let params: string[];
    try {
      params = segments.map((segment) => decodeURIComponent(segment));
    } catch {
      return errorAnswer(400, 'invalid', `The path ${routePath} is not correctly URL-encoded.`, 'path');
    }

    const permissions = options.permissionsOf?.(token) ?? null;
    if (route.read) {
      const read = route.read;
      return backend.read((engine) => engine.runAs(permissions, () => read(engine, { params, query: url.searchParams, body: {}, options: {}, log: options.log })));
    }

    const key = headerValue(request.headers['idempotency-key']);
    if (key === undefined || key.trim() === '') {
      return errorAnswer(400, 'invalid', `Every ${method} needs an Idempotency-Key header: a new unique string per intended write.`, 'Idempotency-Key');
    }
    if (key.length > MAX_KEY_LENGTH) {
      return errorAnswer(400, 'invalid', `The Idempotency-Key is ${key.length} characters long; the limit is ${MAX_KEY_LENGTH}.`, 'Idempotency-Key');
    }
    const text = await readBody(request);
    if (text === null) return errorAnswer(400, 'invalid', `The request body is larger than ${MAX_BODY_BYTES / 1024} KiB.`, 'body');
    let body: unknown = {};
    if (text.trim() !== '') {
      try {
        body = JSON.parse(text);
      } catch {
        return errorAnswer(400, 'invalid', 'The request body is not valid JSON.', 'body');
      }
    }
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      return errorAnswer(400, 'invalid', 'The request body must be a JSON object.', 'body');
    }
    const write = route.write;
    if (!write) return errorAnswer(405, 'invalid', `${method} is not allowed on ${routePath}.`);
    const json = body as Json;
    const fingerprint = fingerprintOf(method, routePath, json);
    return backend.write(
      key,
      fingerprint,
      `${method} ${routePath}`,
      (engine) =>
        engine.runAs(permissions, () => write(engine, { params, query: url.searchParams, body: json, options: { idempotencyKey: key }, log: options.log })),
      callerScope(permissions),
    );
  };

  return (request, response) => {
    const origin = headerValue(request.headers.origin);
    if (origin !== undefined && originAllowed(origin, allowedOrigins)) {
      response.setHeader('Access-Control-Allow-Origin', origin);
      response.setHeader('Access-Control-Expose-Headers', 'WWW-Authenticate');
    }
    response.setHeader('Vary', 'Origin');
    if (request.method === 'OPTIONS') {
      if (origin !== undefined && originAllowed(origin, allowedOrigins)) {
        response.setHeader('Access-Control-Allow-Methods', 'GET, POST, PUT, PATCH, DELETE, OPTIONS');
        response.setHeader('Access-Control-Allow-Headers', 'Authorization, Content-Type, Idempotency-Key');
        response.setHeader('Access-Control-Max-Age', '600');
      }
      response.writeHead(204).end();
      return;
    }
    handle(request, response).then(
      (answer) => send(response, answer),
      (error: unknown) => {
        options.log(`Request ${request.method} ${request.url} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
        send(response, errorAnswer(500, 'unavailable', 'The server failed while handling the request.'));
      },
    );
  };
}

function send(response: ServerResponse, answer: Answer): void {
  if (response.headersSent || response.destroyed) return;
  response.setHeader('Cache-Control', 'no-store');
  if (answer.json === null || answer.status === 204) {
    response.writeHead(answer.status).end();
    return;
  }
  const body = Buffer.from(answer.json, 'utf8');
  response.writeHead(answer.status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': body.length });
  response.end(body);
}

function bearerToken(header: string | undefined): string {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return match?.[1] ?? '';
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** The body as text, or null when it is larger than the limit. */
function readBody(request: IncomingMessage): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) tooLarge = true;
      else chunks.push(chunk);
    });
    request.on('end', () => resolve(tooLarge ? null : Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}
