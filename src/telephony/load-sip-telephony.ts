import type { Telephony } from './telephony.js';
import type { SipTelephonyOptions } from './sip/sip-telephony-options.js';

export type { SipTelephonyOptions };

/**
 * Creates the SIP (sip.js WebRTC) telephony adapter. sip.js is loaded here, on demand, with a dynamic import, so a
 * host that never uses the phone never downloads it. Call `start(config)` on the result to register.
 *
 * ```ts
 * const telephony = await loadSipTelephony();                          // defaults
 * const fast = await loadSipTelephony({ reconnectBackoffMaxMs: 5000 }); // tuning, see SipTelephonyOptions
 * ```
 */
export async function loadSipTelephony(options: SipTelephonyOptions = {}): Promise<Telephony> {
  const { SipTelephony } = await import('./sip/sip-telephony.js');
  return new SipTelephony(options);
}
