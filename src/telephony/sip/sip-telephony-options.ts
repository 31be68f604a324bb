/**
 * Tuning of the SIP adapter. Every field is optional; the defaults suit a contact-center agent on a normal network.
 * The SIP account itself (server, URI, credentials, ICE servers) comes from `TelephonyConfig` in `start()`.
 */
export interface SipTelephonyOptions {
  /** Upper bound of the wait between two reconnect attempts after the WebSocket drops, in ms. Default 30 000. */
  readonly reconnectBackoffMaxMs?: number;
  /** Ceiling of the first wait; it doubles per attempt up to `reconnectBackoffMaxMs`. Default 500. */
  readonly reconnectBackoffBaseMs?: number;
  /**
   * How long a call in progress survives a lost connection: the WebSocket must come back and the ICE-restart
   * re-INVITE be answered within this time, or the call ends with `endReason: 'network'`. Default 20 000 ms.
   */
  readonly callRecoveryTimeoutMs?: number;
  /** How long one offer or answer waits for ICE candidates, in ms. Default 1 000 (sip.js itself waits 5 000). */
  readonly iceGatheringTimeoutMs?: number;
  /** Expiry asked for in REGISTER, in seconds; sip.js refreshes it before it runs out. Default 600. */
  readonly registerExpiresSeconds?: number;
  /** How long a REGISTER may wait for its final answer, in ms. Default 10 000. */
  readonly registerTimeoutMs?: number;
  /** How long to wait for the WebSocket to open, in ms. Default 5 000. */
  readonly connectionTimeoutMs?: number;
  /**
   * Seconds between two CRLF keep-alives on the WebSocket (RFC 5626 §3.5.1; sip.js sends each one 80–100 % of this
   * into the period). Keeps NAT and proxy bindings open and makes a dead TCP path error out instead of idling
   * forever. 0 turns them off. Default 15.
   */
  readonly keepAliveIntervalSeconds?: number;
  /**
   * How long a call's media may stay ICE `disconnected` before the adapter sends an ICE-restart re-INVITE, in ms
   * (ICE `failed` restarts at once). Short outages heal by themselves within this time. Default 4 000.
   */
  readonly iceDisconnectedGraceMs?: number;
  /** How often a call's media statistics are sampled into `quality` events, in ms. Default 1 000. */
  readonly qualityIntervalMs?: number;
  /** How long a consult transfer waits for the transfer target to answer, in ms. Default 30 000. */
  readonly transferTimeoutMs?: number;
  /** sip.js's own console logging. Default `'error'`. */
  readonly logLevel?: 'debug' | 'log' | 'warn' | 'error';
}
