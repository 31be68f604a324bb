import type { CallQuality } from '../telephony.js';

/** The cumulative counters of one `getStats()` report that a quality sample needs. */
export interface MediaCounters {
  readonly packetsReceived: number;
  readonly packetsLost: number;
  readonly packetsSent: number;
  /** Seconds, as `inbound-rtp.jitter` reports it; null before the first packet. */
  readonly jitterSeconds: number | null;
  /** Seconds; from `remote-inbound-rtp.roundTripTime`, else the selected pair's `currentRoundTripTime`. */
  readonly roundTripSeconds: number | null;
}

interface StatsEntry {
  readonly type: string;
  readonly kind?: string;
  readonly packetsReceived?: number;
  readonly packetsLost?: number;
  readonly packetsSent?: number;
  readonly jitter?: number;
  readonly roundTripTime?: number;
  readonly currentRoundTripTime?: number;
  readonly selectedCandidatePairId?: string;
  readonly nominated?: boolean;
  readonly state?: string;
}

/** Reads the audio counters out of an `RTCStatsReport`. */
export function readMediaCounters(report: RTCStatsReport): MediaCounters {
  let packetsReceived = 0;
  let packetsLost = 0;
  let packetsSent = 0;
  let jitterSeconds: number | null = null;
  let remoteRoundTrip: number | null = null;
  let selectedPairId: string | null = null;
  const pairs = new Map<string, StatsEntry>();
  report.forEach((value: unknown) => {
    const entry = value as StatsEntry & { readonly id: string };
    switch (entry.type) {
      case 'inbound-rtp':
        if (entry.kind !== 'audio') break;
        packetsReceived += entry.packetsReceived ?? 0;
        packetsLost += Math.max(0, entry.packetsLost ?? 0);
        if (entry.jitter !== undefined) jitterSeconds = Math.max(jitterSeconds ?? 0, entry.jitter);
        break;
      case 'outbound-rtp':
        if (entry.kind === 'audio') packetsSent += entry.packetsSent ?? 0;
        break;
      case 'remote-inbound-rtp':
        if (entry.kind === 'audio' && entry.roundTripTime !== undefined) remoteRoundTrip = entry.roundTripTime;
        break;
      case 'transport':
        if (entry.selectedCandidatePairId) selectedPairId = entry.selectedCandidatePairId;
        break;
      case 'candidate-pair':
        pairs.set(entry.id, entry);
        break;
      default:
        break;
    }
  });
  let pairRoundTrip: number | null = null;
  const selected = selectedPairId === null ? undefined : pairs.get(selectedPairId);
  const pair = selected ?? [...pairs.values()].find((candidate) => candidate.nominated && candidate.state === 'succeeded');
  if (pair?.currentRoundTripTime !== undefined) pairRoundTrip = pair.currentRoundTripTime;
  return { packetsReceived, packetsLost, packetsSent, jitterSeconds, roundTripSeconds: remoteRoundTrip ?? pairRoundTrip };
}

/**
 * Mean opinion score from a simplified ITU-T G.107 E-model, the form VoIP monitors commonly use:
 *
 *   effective latency  Le = RTT / 2 + 2 × jitter + 10 ms        (one-way delay, jitter buffer, codec)
 *   R = 93.2 − Id − Ie, where Id = Le / 40 when Le < 160 ms, else (Le − 120) / 10, and Ie = 2.5 × loss %
 *   MOS = 1 + 0.035 R + 7·10⁻⁶ R (R − 60) (100 − R), with R clamped to 0…100, so MOS is 1…4.5
 *
 * Without an RTT yet (no RTCP report so far) the one-way delay counts as 0.
 */
export function estimateMos(roundTripMs: number | null, jitterMs: number, packetLossPercent: number): number {
  const effectiveLatency = (roundTripMs ?? 0) / 2 + 2 * jitterMs + 10;
  const delayImpairment = effectiveLatency < 160 ? effectiveLatency / 40 : (effectiveLatency - 120) / 10;
  const rating = Math.min(100, Math.max(0, 93.2 - delayImpairment - 2.5 * packetLossPercent));
  const mos = 1 + 0.035 * rating + 7e-6 * rating * (rating - 60) * (100 - rating);
  return Math.round(Math.min(4.5, Math.max(1, mos)) * 100) / 100;
}

/** One quality sample; packet loss counts only what happened since `previous` (the last sample of this call). */
export function qualitySample(callId: string, at: number, current: MediaCounters, previous: MediaCounters | null): CallQuality {
  const received = current.packetsReceived - (previous?.packetsReceived ?? 0);
  const lost = current.packetsLost - (previous?.packetsLost ?? 0);
  const expected = Math.max(0, received) + Math.max(0, lost);
  const packetLossPercent = expected === 0 ? 0 : Math.round((Math.max(0, lost) / expected) * 10000) / 100;
  const jitterMs = Math.round((current.jitterSeconds ?? 0) * 100000) / 100;
  const roundTripMs = current.roundTripSeconds === null ? null : Math.round(current.roundTripSeconds * 100000) / 100;
  return {
    callId,
    at,
    mos: estimateMos(roundTripMs, jitterMs, packetLossPercent),
    jitterMs,
    packetLossPercent,
    roundTripMs,
    packetsReceived: current.packetsReceived,
    packetsSent: current.packetsSent,
  };
}
