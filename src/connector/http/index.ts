/** The network connector: REST for commands, one WebSocket for events (docs/protocol.md). */
export {
  HttpConnector,
  DEFAULT_HTTP_CAPABILITIES,
  DEFAULT_RECONNECT_INITIAL_DELAY_MS,
  DEFAULT_RECONNECT_MAX_DELAY_MS,
  DEFAULT_HEARTBEAT_TIMEOUT_MS,
} from './http-connector.js';
export type { HttpConnectorOptions } from './http-connector.js';
export type { TokenProvider } from './rest-client.js';
export type { Timers } from './event-channel.js';
