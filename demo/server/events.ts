/**
 * The event socket (`GET /events` upgraded to a WebSocket), as docs/protocol.md describes it:
 * `auth` first (a bad token closes with 4401), then `subscribe` with `since`, a replay from the event log (or
 * `too-old`), then live events; a `ping` every 15 s.
 *
 * Live events reach a socket only after they are committed to the database, and each socket remembers the last
 * seq it was sent per stream, so a socket never gets an event twice or out of order. A socket that closes loses
 * nothing: the events stay in the log for the next `subscribe since`.
 */
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer } from 'ws';
import type { RawData } from 'ws';
import type { ConnectorEvent } from '../../src/connector/connector.js';
import type { Permission } from '../../src/connector/model.js';
import type { Store } from './store.js';

export type TokenVerdict = 'valid' | 'expired' | 'invalid';

export interface EventHubOptions {
  readonly store: Store;
  /** The path the socket is served on, e.g. `/api/v1/events`. */
  readonly path: string;
  readonly checkToken: (token: string) => TokenVerdict;
  readonly log: (line: string) => void;
  /** Default 15 000 ms. */
  readonly pingMs?: number;
  /** A socket that has said nothing (not even `pong`) for this long is dropped; default three pings. */
  readonly idleMs?: number;
  /** A socket that has not authenticated within this time is closed with 4401; default 10 000 ms. */
  readonly authTimeoutMs?: number;
  /** The permissions of a valid token's role (null: every permission). */
  readonly permissionsOf?: (token: string) => readonly Permission[] | null;
  /** An event as a role with these permissions may see it (PII masked without `view-pii`). */
  readonly present?: (event: ConnectorEvent, permissions: readonly Permission[] | null) => ConnectorEvent;
}

/** Close codes. */
export const CLOSE_UNAUTHENTICATED = 4401;
export const CLOSE_BAD_MESSAGE = 4400;
const CLOSE_GOING_AWAY = 1001;
/** A socket this far behind is dropped rather than buffered without end; its client resumes from its last seq. */
const MAX_BUFFERED_BYTES = 16 * 1024 * 1024;

interface Client {
  readonly socket: WebSocket;
  authenticated: boolean;
  subscribed: boolean;
  /** The last seq sent on each stream. */
  readonly sent: Map<string, number>;
  /** What the token's role may see; events are masked for it before they are sent. */
  permissions: readonly Permission[] | null;
  lastHeard: number;
  authTimer: ReturnType<typeof setTimeout> | null;
}

export class EventHub {
  private readonly options: EventHubOptions;
  private readonly server = new WebSocketServer({ noServer: true, maxPayload: 1024 * 1024 });
  private readonly clients = new Set<Client>();
  private readonly pingTimer: ReturnType<typeof setInterval>;
  private closing = false;

  constructor(options: EventHubOptions) {
    this.options = options;
    const pingMs = options.pingMs ?? 15_000;
    this.pingTimer = setInterval(() => this.ping(), pingMs);
  }

  get size(): number {
    return this.clients.size;
  }

  /** Serves the socket on `options.path` of an HTTP server. */
  attach(http: Server): void {
    http.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
      const path = new URL(request.url ?? '/', 'http://localhost').pathname;
      if (path !== this.options.path || this.closing) {
        socket.end(`HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
        return;
      }
      this.server.handleUpgrade(request, socket, head, (ws) => this.accept(ws));
    });
  }

  /** Sends committed events to every subscribed socket, in order. */
  broadcast(events: readonly ConnectorEvent[]): void {
    if (events.length === 0) return;
    for (const client of this.clients) {
      if (!client.subscribed) continue;
      for (const event of events) this.sendEvent(client, event);
    }
  }

  /** Closes every socket (1001) and stops the timers. */
  close(): void {
    this.closing = true;
    clearInterval(this.pingTimer);
    for (const client of this.clients) {
      if (client.authTimer) clearTimeout(client.authTimer);
      client.socket.close(CLOSE_GOING_AWAY, 'The server is shutting down.');
    }
    // Sockets that do not finish the closing handshake promptly are cut.
    const sockets = [...this.clients].map((client) => client.socket);
    setTimeout(() => {
      for (const socket of sockets) socket.terminate();
    }, 1_000).unref();
    this.server.close();
  }

  // -------------------------------------------------------------------------------------------------------

  private accept(socket: WebSocket): void {
    const client: Client = { socket, authenticated: false, subscribed: false, sent: new Map(), permissions: null, lastHeard: Date.now(), authTimer: null };
    this.clients.add(client);
    client.authTimer = setTimeout(() => {
      if (!client.authenticated) socket.close(CLOSE_UNAUTHENTICATED, 'Send { "type": "auth", "token" } first.');
    }, this.options.authTimeoutMs ?? 10_000);
    socket.on('message', (data: RawData, isBinary: boolean) => this.receive(client, data, isBinary));
    socket.on('close', () => {
      if (client.authTimer) clearTimeout(client.authTimer);
      this.clients.delete(client);
    });
    socket.on('error', () => {
      // A broken socket closes; the client reconnects and resumes.
    });
  }

  private receive(client: Client, data: RawData, isBinary: boolean): void {
    client.lastHeard = Date.now();
    let message: unknown;
    try {
      message = isBinary ? undefined : JSON.parse(String(data));
    } catch {
      message = undefined;
    }
    if (typeof message !== 'object' || message === null || Array.isArray(message) || typeof (message as { type?: unknown }).type !== 'string') {
      client.socket.close(CLOSE_BAD_MESSAGE, 'Every message is a JSON object with a "type".');
      return;
    }
    const typed = message as { type: string; token?: unknown; since?: unknown };
    if (typed.type === 'auth') {
      const verdict = typeof typed.token === 'string' ? this.options.checkToken(typed.token) : 'invalid';
      if (verdict !== 'valid') {
        client.socket.close(CLOSE_UNAUTHENTICATED, verdict === 'expired' ? 'The token has expired.' : 'The token is not valid.');
        return;
      }
      client.authenticated = true;
      client.permissions = this.options.permissionsOf?.(typed.token as string) ?? null;
      if (client.authTimer) clearTimeout(client.authTimer);
      client.authTimer = null;
      return;
    }
    if (!client.authenticated) {
      client.socket.close(CLOSE_UNAUTHENTICATED, 'Send { "type": "auth", "token" } first.');
      return;
    }
    if (typed.type === 'subscribe') {
      const since = readSince(typed.since);
      if (since === null) {
        client.socket.close(CLOSE_BAD_MESSAGE, '"since" must map stream names to sequence numbers (whole numbers, 0 or more).');
        return;
      }
      this.subscribe(client, since);
      return;
    }
    // `pong` only proves the client is alive; unknown types are ignored, so clients may add their own.
  }

  /**
   * Replays every retained event after `since[stream]`, and every retained event of a stream the client did not
   * name (one created while it was away). Streams whose next event the log no longer holds are listed in one
   * `too-old`, and continue live from now. A later `subscribe` on the same socket starts over from its `since`.
   */
  private subscribe(client: Client, since: ReadonlyMap<string, number>): void {
    const { store } = this.options;
    client.subscribed = true;
    client.sent.clear();
    const streams = new Set([...Object.keys(store.sequences()), ...since.keys()]);
    const tooOld: string[] = [];
    const replay: ConnectorEvent[] = [];
    for (const stream of streams) {
      const named = since.get(stream);
      const from = named ?? store.firstRetained(stream) - 1;
      const result = store.replay(stream, from);
      if (result.kind === 'too-old') {
        tooOld.push(stream);
        client.sent.set(stream, store.lastSequence(stream));
      } else {
        client.sent.set(stream, from);
        replay.push(...result.events);
      }
    }
    if (tooOld.length > 0) this.send(client, { type: 'too-old', streams: tooOld });
    for (const event of replay) this.sendEvent(client, event);
  }

  private sendEvent(client: Client, event: ConnectorEvent): void {
    const last = client.sent.get(event.stream) ?? 0;
    if (event.seq <= last) return;
    client.sent.set(event.stream, event.seq);
    this.send(client, { type: 'event', event: this.options.present ? this.options.present(event, client.permissions) : event });
  }

  private send(client: Client, message: unknown): void {
    const { socket } = client;
    if (socket.readyState !== WebSocket.OPEN) return;
    if (socket.bufferedAmount > MAX_BUFFERED_BYTES) {
      this.options.log('Dropping an event socket that fell too far behind; its client will resume from its last seq.');
      socket.terminate();
      return;
    }
    socket.send(JSON.stringify(message));
  }

  private ping(): void {
    const now = Date.now();
    const idleMs = this.options.idleMs ?? 3 * (this.options.pingMs ?? 15_000);
    for (const client of this.clients) {
      if (now - client.lastHeard > idleMs) {
        client.socket.terminate();
        continue;
      }
      this.send(client, { type: 'ping' });
    }
  }
}

/** `since` as a map, or null when it is malformed. A missing `since` is the same as `{}`: every stream replays whole. */
function readSince(value: unknown): Map<string, number> | null {
  if (value === undefined || value === null) return new Map();
  if (typeof value !== 'object' || Array.isArray(value)) return null;
  const since = new Map<string, number>();
  for (const [stream, seq] of Object.entries(value)) {
    if (typeof seq !== 'number' || !Number.isInteger(seq) || seq < 0) return null;
    since.set(stream, seq);
  }
  return since;
}
