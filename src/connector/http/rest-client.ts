/**
 * The REST half of the HttpConnector: bearer token (in memory only), idempotency keys on writes, one token
 * refresh on a 401, error bodies mapped to `ConnectorError`, and aborts.
 */
import { ConnectorError, aborted, unavailable } from '../errors.js';
import { readErrorBody } from './protocol.js';

/** The host's token source; `forceRefresh` asks for a new token because the last one was refused. */
export type TokenProvider = (request: { readonly forceRefresh: boolean }) => Promise<string>;

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

type QueryValue = string | number | boolean | readonly string[] | null | undefined;

export interface RestRequest {
  readonly query?: Readonly<Record<string, QueryValue>>;
  /** JSON body of a write; `{}` when left out. */
  readonly body?: unknown;
  readonly signal?: AbortSignal;
  /** For writes: the caller's key; a fresh UUID per call otherwise. */
  readonly idempotencyKey?: string;
}

const WRITE_METHODS: ReadonlySet<HttpMethod> = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

const SERVER = 'The contact-center server';

/** A fresh idempotency key: a random UUID (also outside secure contexts, where `crypto.randomUUID` is missing). */
export function newIdempotencyKey(): string {
  const cryptoApi = globalThis.crypto;
  if (typeof cryptoApi?.randomUUID === 'function') return cryptoApi.randomUUID();
  const bytes = new Uint8Array(16);
  cryptoApi.getRandomValues(bytes);
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x40;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = [...bytes].map((byte) => byte.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** `https://host/api/v1/` → `https://host/api/v1`; a relative base resolves against the page. */
export function normalizeBaseUrl(baseUrl: string): string {
  let url = baseUrl.trim();
  const location = (globalThis as { location?: { href?: string } }).location;
  if (!/^[a-z][a-z0-9+.-]*:/i.test(url) && typeof location?.href === 'string') url = new URL(url, location.href).href;
  return url.replace(/\/+$/, '');
}

/** Path segments are URL-encoded: `path\`/conversations/${id}\`` keeps a `/` in an id from changing the route. */
export function path(strings: TemplateStringsArray, ...segments: readonly string[]): string {
  return strings.reduce((result, text, index) => result + text + (index < segments.length ? encodeURIComponent(segments[index] ?? '') : ''), '');
}

function queryString(query: Readonly<Record<string, QueryValue>> | undefined): string {
  if (query === undefined) return '';
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value === undefined || value === null) continue;
    params.append(name, Array.isArray(value) ? value.join(',') : String(value));
  }
  const text = params.toString();
  return text === '' ? '' : `?${text}`;
}

function describeCause(error: unknown): string {
  if (error instanceof Error && error.message) return error.message;
  return String(error);
}

function isAbortError(error: unknown): boolean {
  return (error instanceof DOMException || error instanceof Error) && error.name === 'AbortError';
}

/** Rejects with an AbortError as soon as `signal` aborts; otherwise settles as `promise` does. */
function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(new DOMException('The request was cancelled.', 'AbortError'));
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(new DOMException('The request was cancelled.', 'AbortError'));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

/** Maps a failed answer to the connector error the protocol's table names. */
export function errorFromResponse(status: number, statusText: string, body: unknown, where: string): ConnectorError {
  const parsed = readErrorBody(body);
  const message = parsed?.message ?? null;
  const field = parsed?.field ?? undefined;
  const detail = message ?? (statusText.trim() || null);
  switch (status) {
    case 400:
      return new ConnectorError('invalid', message ?? `${SERVER} refused the request as invalid (${where}).`, field === undefined ? {} : { field });
    case 401:
      return new ConnectorError(
        'forbidden',
        `${SERVER} did not accept the access token, even after it was refreshed${message === null ? '' : `: ${message}`}`,
      );
    case 403:
      return new ConnectorError('forbidden', message ?? `You are not allowed to do this (${where}).`);
    case 404:
      return new ConnectorError('not-found', message ?? `${SERVER} does not know ${where}.`);
    case 409:
      return new ConnectorError('conflict', message ?? `${SERVER} refused ${where} as a conflict: it was changed by someone else, or the request was already made differently.`);
    case 429:
      return unavailable(`${SERVER} is busy (HTTP 429)${detail === null ? '' : `: ${detail}`}; try again shortly.`);
    default:
      break;
  }
  if (status >= 500) return unavailable(`${SERVER} failed to answer (HTTP ${status})${detail === null ? '' : `: ${detail}`}.`);
  // A status the table does not name: trust the body's code, else a client error is the request's fault.
  const code = parsed?.code ?? (status >= 400 && status < 500 ? 'invalid' : 'unavailable');
  const text = message ?? `${SERVER} answered HTTP ${status} to ${where}.`;
  if (code === 'aborted' || code === 'unavailable') return unavailable(text);
  return new ConnectorError(code, text, field === undefined ? {} : { field });
}

interface InFlight {
  close(): void;
}

export class RestClient {
  readonly baseUrl: string;
  readonly #getToken: TokenProvider;
  readonly #fetch: typeof fetch;
  /** The token, in memory only; null until asked for and after `reset()`. */
  #token: string | null = null;
  /** One token request at a time; later callers join it. */
  #tokenRequest: Promise<string> | null = null;
  /** Bumped by `reset()`, so a token that arrives for an older epoch is not kept. */
  #epoch = 0;
  readonly #inFlight = new Set<InFlight>();

  constructor(baseUrl: string, getToken: TokenProvider, fetchImplementation: typeof fetch) {
    this.baseUrl = normalizeBaseUrl(baseUrl);
    this.#getToken = getToken;
    this.#fetch = fetchImplementation;
  }

  /** Forgets the token and fails every request in flight with `unavailable` (used by `disconnect()`). */
  reset(): void {
    this.#epoch += 1;
    this.#token = null;
    this.#tokenRequest = null;
    for (const request of [...this.#inFlight]) request.close();
    this.#inFlight.clear();
  }

  /** The current token, asking the host only when none is held. */
  token(): Promise<string> {
    if (this.#token !== null) return Promise.resolve(this.#token);
    return this.#askToken(false);
  }

  /**
   * A new token because `refused` was refused. When another caller already replaced it, that token is used
   * without asking the host again; concurrent refreshes share one request.
   */
  refreshToken(refused: string | null): Promise<string> {
    if (this.#token !== null && this.#token !== refused) return Promise.resolve(this.#token);
    if (this.#token === refused) this.#token = null;
    return this.#askToken(true);
  }

  #askToken(forceRefresh: boolean): Promise<string> {
    if (this.#tokenRequest !== null) return this.#tokenRequest;
    const epoch = this.#epoch;
    const request = Promise.resolve()
      .then(() => this.#getToken({ forceRefresh }))
      .then(
        (token) => {
          if (typeof token !== 'string' || token === '') {
            throw unavailable('Could not sign in to the contact-center server: the host\'s getToken() returned no token.');
          }
          if (epoch === this.#epoch) this.#token = token;
          return token;
        },
        (error: unknown) => {
          if (error instanceof ConnectorError) throw error;
          throw unavailable(`Could not sign in to the contact-center server: getting an access token failed (${describeCause(error)}).`, error);
        },
      )
      .finally(() => {
        if (this.#tokenRequest === request) this.#tokenRequest = null;
      });
    this.#tokenRequest = request;
    return request;
  }

  /**
   * One REST call. Writes carry `Idempotency-Key` (the same key on the retry after a 401); the answer's JSON
   * is returned (`undefined` for 204). Every failure is a `ConnectorError`.
   *
   * Aborting: a read rejects with `aborted` at once. A write rejects with `aborted` only until its request has
   * been sent; after that the server may already have committed it, so the write waits for the answer and
   * reports it (resolving when it was committed), as the contract allows.
   */
  async request<T>(method: HttpMethod, route: string, request: RestRequest = {}): Promise<T> {
    const { signal } = request;
    if (signal?.aborted) throw aborted();
    const write = WRITE_METHODS.has(method);
    const url = `${this.baseUrl}${route}${queryString(request.query)}`;
    const headers: Record<string, string> = { Accept: 'application/json' };
    let body: string | undefined;
    if (write) {
      headers['Idempotency-Key'] = request.idempotencyKey ?? newIdempotencyKey();
      headers['Content-Type'] = 'application/json';
      body = JSON.stringify(request.body ?? {});
    }
    const controller = new AbortController();
    let closed = false;
    let sent = false;
    const entry: InFlight = {
      close: () => {
        closed = true;
        controller.abort();
      },
    };
    const onAbort = (): void => controller.abort();
    signal?.addEventListener('abort', onAbort, { once: true });
    const beforeSend = (): void => {
      if (signal?.aborted) throw new DOMException('The request was cancelled.', 'AbortError');
      if (!write) return;
      // From here on the server may commit the write: the caller's abort no longer cancels it.
      signal?.removeEventListener('abort', onAbort);
      sent = true;
    };
    const refused = (): void => {
      if (!sent) return;
      // A 401 wrote nothing: until the retry is sent, the caller may abort again.
      sent = false;
      signal?.addEventListener('abort', onAbort, { once: true });
    };
    this.#inFlight.add(entry);
    const where = `${method} ${route}`;
    try {
      return await this.#exchange<T>(method, url, headers, body, controller.signal, where, beforeSend, refused);
    } catch (error) {
      // The caller's abort wins over anything the abort caused (unless a write had left); then a disconnect.
      if (signal?.aborted && !sent && (isAbortError(error) || !(error instanceof ConnectorError))) throw aborted();
      if (closed && !(error instanceof ConnectorError && error.code !== 'unavailable')) {
        throw unavailable(
          sent
            ? 'The connection to the contact-center server was closed before it answered; the change may or may not have been made (repeat it with the same idempotency key).'
            : 'The connection to the contact-center server was closed while the request was in flight.',
          error,
        );
      }
      if (error instanceof ConnectorError) throw error;
      throw unavailable(`${SERVER} could not be reached: ${describeCause(error)}`, error);
    } finally {
      signal?.removeEventListener('abort', onAbort);
      this.#inFlight.delete(entry);
    }
  }

  async #exchange<T>(
    method: HttpMethod,
    url: string,
    headers: Record<string, string>,
    body: string | undefined,
    signal: AbortSignal,
    where: string,
    beforeSend: () => void,
    refused: () => void,
  ): Promise<T> {
    let token = await abortable(this.token(), signal);
    for (let attempt = 0; ; attempt += 1) {
      beforeSend();
      const response = await this.#fetch(url, { method, headers: { ...headers, Authorization: `Bearer ${token}` }, body, signal });
      if (response.status === 401 && attempt === 0) {
        // The token expired: refresh it once and repeat the same request (with the same idempotency key).
        refused();
        await discardBody(response);
        token = await abortable(this.refreshToken(token), signal);
        continue;
      }
      if (!response.ok) throw errorFromResponse(response.status, response.statusText, await readJson(response, signal, true), where);
      if (response.status === 204) {
        await discardBody(response);
        return undefined as T;
      }
      return (await readJson(response, signal, false)) as T;
    }
  }
}

async function discardBody(response: Response): Promise<void> {
  try {
    await response.body?.cancel();
  } catch {
    // Nothing to release.
  }
}

/** The body as JSON; an empty body is `undefined`. An unreadable success body is `unavailable`. */
async function readJson(response: Response, signal: AbortSignal, lenient: boolean): Promise<unknown> {
  // Not every fetch ties the body to the signal (a polyfill, a test double): stop waiting on abort regardless.
  const text = await abortable(response.text(), signal);
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    if (signal.aborted || lenient) return undefined;
    throw unavailable(`${SERVER} sent an answer that is not JSON (HTTP ${response.status}).`, error);
  }
}
