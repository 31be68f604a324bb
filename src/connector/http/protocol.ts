/**
 * The wire shapes of the HTTP + WebSocket protocol (docs/protocol.md): what the REST answers and the socket
 * messages look like, and tolerant readers for what arrives from the network.
 */
import type { Agent, Channel } from '../model.js';
import { CHANNELS } from '../model.js';
import type { ConnectorCapabilities, ConnectorEvent } from '../connector.js';
import { CONNECTOR_ERROR_CODES, type ConnectorErrorCode } from '../errors.js';

/** `GET /session`. */
export interface SessionAnswer {
  readonly agent: Agent;
  readonly capabilities: ConnectorCapabilities;
}

/** The body of a failed call. */
export interface ErrorBody {
  readonly error: { readonly code: string; readonly message: string; readonly field?: string };
}

/** Client → server. */
export type ClientMessage =
  | { readonly type: 'auth'; readonly token: string }
  | { readonly type: 'subscribe'; readonly since: Readonly<Record<string, number>> }
  | { readonly type: 'pong' };

/** Server → client. Unknown types are ignored, so a backend may add its own. */
export type ServerMessage =
  | { readonly type: 'event'; readonly event: ConnectorEvent }
  | { readonly type: 'too-old'; readonly streams: readonly string[] }
  | { readonly type: 'ping' };

/** The WebSocket close code for a refused token: refresh it and reconnect. */
export const CLOSE_UNAUTHENTICATED = 4401;
/** The close code the client uses when it gives up on a silent socket. */
export const CLOSE_HEARTBEAT_TIMEOUT = 4000;
/** A normal close (`disconnect()`). */
export const CLOSE_NORMAL = 1000;

const CAPABILITY_FLAGS = ['conversations', 'customers', 'customerMerge', 'tickets', 'knowledge', 'telephony', 'workOffers', 'cannedReplies'] as const;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Reads `{ error: { code, message, field? } }`; null for anything else (a proxy's HTML page, say). */
export function readErrorBody(value: unknown): { code: ConnectorErrorCode | null; message: string | null; field: string | null } | null {
  if (!isRecord(value) || !isRecord(value.error)) return null;
  const { code, message, field } = value.error;
  return {
    code: typeof code === 'string' && (CONNECTOR_ERROR_CODES as readonly string[]).includes(code) ? (code as ConnectorErrorCode) : null,
    message: typeof message === 'string' && message.trim() !== '' ? message : null,
    field: typeof field === 'string' && field !== '' ? field : null,
  };
}

/**
 * Reads the capabilities of a `GET /session` answer over the fallback: flags that are not booleans and
 * channels the desk does not know are left as the fallback has them.
 */
export function readCapabilities(value: unknown, fallback: ConnectorCapabilities): ConnectorCapabilities {
  if (!isRecord(value)) return fallback;
  const flags: Record<string, boolean> = {};
  for (const flag of CAPABILITY_FLAGS) {
    const given = value[flag];
    flags[flag] = typeof given === 'boolean' ? given : fallback[flag];
  }
  const channels = Array.isArray(value.channels)
    ? [...new Set(value.channels.filter((channel): channel is Channel => (CHANNELS as readonly unknown[]).includes(channel)))]
    : fallback.channels;
  return { ...(flags as Omit<ConnectorCapabilities, 'channels'>), channels };
}

/** Parses one socket message; null for anything that is not a message this client understands. */
export function readServerMessage(data: unknown): ServerMessage | null {
  if (typeof data !== 'string') return null;
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch {
    return null;
  }
  if (!isRecord(value)) return null;
  switch (value.type) {
    case 'ping':
      return { type: 'ping' };
    case 'too-old':
      return { type: 'too-old', streams: Array.isArray(value.streams) ? value.streams.filter((stream): stream is string => typeof stream === 'string') : [] };
    case 'event': {
      const event = value.event;
      if (!isRecord(event) || typeof event.type !== 'string' || typeof event.stream !== 'string' || event.stream === '') return null;
      if (typeof event.seq !== 'number' || !Number.isInteger(event.seq) || event.seq < 1) return null;
      return { type: 'event', event: event as unknown as ConnectorEvent };
    }
    default:
      return null;
  }
}
