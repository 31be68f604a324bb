/**
 * The WebSocket half of the HttpConnector: one socket to `/events` at a time, the auth and subscribe messages,
 * pings answered, a silent socket given up after the heartbeat timeout, and reconnects with exponential backoff
 * and full jitter. What the events mean (sequence numbers, resync) is the connector's business.
 */
import { ConnectorError, unavailable } from '../errors.js';
import { CLOSE_HEARTBEAT_TIMEOUT, CLOSE_NORMAL, CLOSE_UNAUTHENTICATED, readServerMessage, type ClientMessage, type ServerMessage } from './protocol.js';

/** The timer functions the channel uses; tests pass a fake clock. */
export interface Timers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const browserTimers: Timers = {
  setTimeout: (callback, ms) => globalThis.setTimeout(callback, ms),
  clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export interface EventChannelOptions {
  /** `ws(s)://…/events`. */
  readonly url: string;
  readonly WebSocket: typeof WebSocket;
  readonly timers: Timers;
  /** In [0, 1); the jitter. */
  readonly random: () => number;
  readonly initialDelayMs: number;
  readonly maxDelayMs: number;
  readonly heartbeatTimeoutMs: number;
  /** The token to authenticate with. */
  readonly token: () => Promise<string>;
  /** A new token, because the server closed the socket with 4401 for `refused`. */
  readonly refreshToken: (refused: string) => Promise<string>;
  /** The `since` of the next subscribe message. */
  readonly since: () => Readonly<Record<string, number>>;
  /** `event` and `too-old` messages (pings are answered here). */
  readonly onMessage: (message: Exclude<ServerMessage, { type: 'ping' }>) => void;
  /** `connected` when a socket is open and subscribed; `reconnecting` when it dropped and the next is pending. */
  readonly onStatus: (status: 'connected' | 'reconnecting') => void;
}

const OPEN = 1;
const CLOSED = 3;
/** 2^30 × the initial delay is far beyond any sensible maximum; the exponent stops there. */
const MAX_EXPONENT = 30;

interface PendingOpen {
  resolve(): void;
  reject(error: ConnectorError): void;
}

export class EventChannel {
  readonly #options: EventChannelOptions;
  #socket: WebSocket | null = null;
  #reconnectTimer: unknown = undefined;
  #watchdog: unknown = undefined;
  /** Failed attempts since the last socket that heard from the server; the backoff's exponent. */
  #attempt = 0;
  /** Bumped by `open()` and `stop()`, so work begun for an earlier run stops. */
  #run = 0;
  #running = false;
  /** The token the server refused with 4401; the next attempt refreshes it first. */
  #refused: string | null = null;
  /** The first `open()`'s promise, until its socket opens or fails. */
  #pendingOpen: PendingOpen | null = null;

  constructor(options: EventChannelOptions) {
    this.#options = options;
  }

  /**
   * Opens the first socket. Resolves once it is open and the auth and subscribe messages are sent; rejects
   * with `unavailable` when it cannot be opened (no reconnect then) or `stop()` runs first. After that, drops
   * are reconnected on their own until `stop()`.
   */
  open(): Promise<void> {
    this.stop();
    this.#running = true;
    this.#attempt = 0;
    this.#refused = null;
    const run = this.#run;
    return new Promise<void>((resolve, reject) => {
      this.#pendingOpen = { resolve, reject };
      void this.#connect(run);
    });
  }

  /** Closes the socket, cancels every timer and the pending open; nothing is called back afterwards. */
  stop(): void {
    this.#run += 1;
    this.#running = false;
    this.#clearReconnectTimer();
    this.#clearWatchdog();
    const socket = this.#socket;
    this.#socket = null;
    if (socket !== null) detachAndClose(socket, CLOSE_NORMAL, 'disconnect');
    const pending = this.#pendingOpen;
    this.#pendingOpen = null;
    pending?.reject(unavailable('The connection to the contact-center server was closed while it was being opened.'));
  }

  /** Sends a new subscribe message with the current `since` on the open socket (after a resync). */
  resubscribe(): void {
    const socket = this.#socket;
    if (socket !== null && socket.readyState === OPEN) this.#send(socket, { type: 'subscribe', since: this.#options.since() });
  }

  async #connect(run: number): Promise<void> {
    let token: string;
    try {
      const refused = this.#refused;
      token = refused === null ? await this.#options.token() : await this.#options.refreshToken(refused);
    } catch (error) {
      if (run !== this.#run) return;
      this.#failAttempt(error instanceof ConnectorError ? error : unavailable(`Could not sign in to the event stream: ${String(error)}`, error));
      return;
    }
    if (run !== this.#run) return;
    this.#refused = null;
    let socket: WebSocket;
    try {
      socket = new this.#options.WebSocket(this.#options.url);
    } catch (error) {
      this.#failAttempt(unavailable(`The event stream at ${this.#options.url} could not be opened: ${error instanceof Error ? error.message : String(error)}`, error));
      return;
    }
    this.#socket = socket;
    let opened = false;
    const gone = (refusedToken: string | null, reason: string): void => {
      if (this.#socket !== socket) return;
      this.#socket = null;
      this.#clearWatchdog();
      detachAndClose(socket, CLOSE_HEARTBEAT_TIMEOUT, reason);
      if (refusedToken !== null) this.#refused = refusedToken;
      if (!opened) {
        this.#failAttempt(unavailable(`The event stream of the contact-center server could not be opened (${reason}).`));
        return;
      }
      this.#options.onStatus('reconnecting');
      this.#scheduleReconnect();
    };
    // A socket that stays silent (also one whose handshake hangs) is given up and replaced.
    const silence = (): void => gone(null, `no message for ${this.#options.heartbeatTimeoutMs} ms`);
    this.#armWatchdog(socket, silence);
    socket.onopen = () => {
      if (this.#socket !== socket) return;
      opened = true;
      this.#armWatchdog(socket, silence);
      this.#send(socket, { type: 'auth', token });
      this.#send(socket, { type: 'subscribe', since: this.#options.since() });
      const pending = this.#pendingOpen;
      this.#pendingOpen = null;
      this.#options.onStatus('connected');
      pending?.resolve();
    };
    socket.onmessage = (event: MessageEvent) => {
      if (this.#socket !== socket) return;
      // The server answered after auth: this socket works, so the next drop starts the backoff afresh.
      this.#attempt = 0;
      this.#armWatchdog(socket, silence);
      const message = readServerMessage(event.data);
      if (message === null) return;
      if (message.type === 'ping') {
        this.#send(socket, { type: 'pong' });
        return;
      }
      this.#options.onMessage(message);
    };
    socket.onerror = () => {
      // A close event follows and decides what happens.
    };
    socket.onclose = (event: CloseEvent) => {
      const refusedToken = event.code === CLOSE_UNAUTHENTICATED ? token : null;
      gone(refusedToken, refusedToken !== null ? 'the server refused the access token' : `closed with code ${event.code}`);
    };
  }

  /** A connection attempt failed: the first `open()` rejects; a reconnect tries again later. */
  #failAttempt(error: ConnectorError): void {
    const pending = this.#pendingOpen;
    if (pending !== null) {
      this.#pendingOpen = null;
      this.#running = false;
      this.#run += 1;
      this.#clearWatchdog();
      pending.reject(error);
      return;
    }
    this.#options.onStatus('reconnecting');
    this.#scheduleReconnect();
  }

  #scheduleReconnect(): void {
    if (!this.#running) return;
    this.#clearReconnectTimer();
    const { initialDelayMs, maxDelayMs, random } = this.#options;
    const ceiling = Math.min(maxDelayMs, initialDelayMs * 2 ** Math.min(this.#attempt, MAX_EXPONENT));
    // Full jitter: anywhere between 0 and the ceiling, so a crowd of desks does not come back in step.
    const delay = Math.max(0, Math.min(1, random())) * ceiling;
    this.#attempt += 1;
    const run = this.#run;
    this.#reconnectTimer = this.#options.timers.setTimeout(() => {
      this.#reconnectTimer = undefined;
      if (run === this.#run) void this.#connect(run);
    }, delay);
  }

  #armWatchdog(socket: WebSocket, onSilence: () => void): void {
    this.#clearWatchdog();
    this.#watchdog = this.#options.timers.setTimeout(() => {
      this.#watchdog = undefined;
      if (this.#socket === socket) onSilence();
    }, this.#options.heartbeatTimeoutMs);
  }

  #clearWatchdog(): void {
    if (this.#watchdog === undefined) return;
    this.#options.timers.clearTimeout(this.#watchdog);
    this.#watchdog = undefined;
  }

  #clearReconnectTimer(): void {
    if (this.#reconnectTimer === undefined) return;
    this.#options.timers.clearTimeout(this.#reconnectTimer);
    this.#reconnectTimer = undefined;
  }

  #send(socket: WebSocket, message: ClientMessage): void {
    try {
      socket.send(JSON.stringify(message));
    } catch {
      // The socket is closing; its close event reconnects.
    }
  }
}

function detachAndClose(socket: WebSocket, code: number, reason: string): void {
  socket.onopen = null;
  socket.onmessage = null;
  socket.onerror = null;
  socket.onclose = null;
  if (socket.readyState === CLOSED) return;
  try {
    socket.close(code, reason.slice(0, 120));
  } catch {
    // Already closing.
  }
}
