/**
 * A mean opinion score estimate from network numbers, after the ITU-T G.107 E-model as simplified for VoIP
 * monitoring: the delay the listener feels (one way, plus the jitter buffer), and the packet loss, lower the
 * transmission rating R, which maps to a MOS between 1 and 4.5.
 */
export function estimateMos(roundTripMs: number | null, jitterMs: number, packetLossPercent: number): number {
  const oneWay = (roundTripMs ?? 0) / 2;
  // The jitter buffer adds about twice the jitter; codec and packetisation about 10 ms.
  const effectiveLatency = oneWay + 2 * Math.max(0, jitterMs) + 10;
  let rating = 93.2 - (effectiveLatency < 160 ? effectiveLatency / 40 : (effectiveLatency - 120) / 10);
  rating -= 2.5 * Math.max(0, packetLossPercent);
  rating = Math.min(100, Math.max(0, rating));
  const mos = 1 + 0.035 * rating + 0.000007 * rating * (rating - 60) * (100 - rating);
  return Math.round(Math.min(4.5, Math.max(1, mos)) * 100) / 100;
}
