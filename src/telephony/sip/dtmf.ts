/** DTMF tones the port accepts: `0-9 * # A-D`. */
export const dtmfTonesPattern = /^[0-9A-D*#]+$/u;

/** True when an SDP offers RFC 4733 telephone-events (`a=rtpmap:<pt> telephone-event/8000`). */
export function offersTelephoneEvent(sdp: string | undefined): boolean {
  return sdp !== undefined && /^a=rtpmap:\d+ telephone-event\/\d+/imu.test(sdp);
}

/** The body of a SIP INFO carrying one tone (application/dtmf-relay, the de-facto format). */
export function dtmfRelayBody(tone: string, durationMs: number): string {
  return `Signal=${tone}\r\nDuration=${durationMs}\r\n`;
}

