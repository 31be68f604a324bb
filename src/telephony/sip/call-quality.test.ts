import { expect } from '@esm-bundle/chai';
import { fullJitterDelay } from './backoff.js';
import { estimateMos, qualitySample, readMediaCounters, type MediaCounters } from './call-quality.js';

const counters = (overrides: Partial<MediaCounters>): MediaCounters => ({
  packetsReceived: 0,
  packetsLost: 0,
  packetsSent: 0,
  jitterSeconds: null,
  roundTripSeconds: null,
  ...overrides,
});

describe('call quality (SIP adapter)', () => {
  it('estimates MOS with the simplified E-model: best on a clean line, lower with loss and delay, 1 at worst', () => {
    expect(estimateMos(0, 0, 0)).to.equal(4.4);
    expect(estimateMos(20, 2, 0)).to.equal(4.4);
    expect(estimateMos(0, 0, 5)).to.equal(4.04);
    expect(estimateMos(400, 20, 0)).to.equal(4.03);
    expect(estimateMos(400, 20, 10)).to.be.lessThan(3.5);
    expect(estimateMos(0, 0, 100)).to.equal(1);
  });

  it('counts packet loss since the previous sample only, and converts seconds to ms', () => {
    const first = qualitySample('c1', 1000, counters({ packetsReceived: 100, packetsSent: 100, jitterSeconds: 0.004, roundTripSeconds: 0.02 }), null);
    expect(first).to.include({ callId: 'c1', at: 1000, packetLossPercent: 0, jitterMs: 4, roundTripMs: 20, packetsReceived: 100, packetsSent: 100 });
    const previous = counters({ packetsReceived: 100, packetsLost: 0 });
    const second = qualitySample('c1', 2000, counters({ packetsReceived: 190, packetsLost: 10 }), previous);
    expect(second.packetLossPercent).to.equal(10);
    expect(second.roundTripMs).to.equal(null);
    const idle = qualitySample('c1', 3000, counters({ packetsReceived: 190, packetsLost: 10 }), counters({ packetsReceived: 190, packetsLost: 10 }));
    expect(idle.packetLossPercent).to.equal(0);
  });

  it('reads audio counters and the round trip from a stats report (remote-inbound-rtp first, else the selected pair)', () => {
    const report = (entries: object[]) => new Map(entries.map((entry, index) => [(entry as { id?: string }).id ?? `s${index}`, entry])) as unknown as RTCStatsReport;
    const withPair = report([
      { type: 'inbound-rtp', kind: 'audio', packetsReceived: 50, packetsLost: 2, jitter: 0.003 },
      { type: 'inbound-rtp', kind: 'video', packetsReceived: 999 },
      { type: 'outbound-rtp', kind: 'audio', packetsSent: 51 },
      { type: 'transport', selectedCandidatePairId: 'p1' },
      { id: 'p1', type: 'candidate-pair', currentRoundTripTime: 0.001 },
    ]);
    expect(readMediaCounters(withPair)).to.deep.equal({ packetsReceived: 50, packetsLost: 2, packetsSent: 51, jitterSeconds: 0.003, roundTripSeconds: 0.001 });
    const withRemote = report([
      { type: 'remote-inbound-rtp', kind: 'audio', roundTripTime: 0.05 },
      { type: 'transport', selectedCandidatePairId: 'p1' },
      { id: 'p1', type: 'candidate-pair', currentRoundTripTime: 0.001 },
    ]);
    expect(readMediaCounters(withRemote).roundTripSeconds).to.equal(0.05);
  });

  it('backs off exponentially with full jitter, never above the cap', () => {
    expect(fullJitterDelay(0, 500, 30_000, () => 0.999)).to.equal(499);
    expect(fullJitterDelay(3, 500, 30_000, () => 0.5)).to.equal(2000);
    expect(fullJitterDelay(20, 500, 30_000, () => 0.999)).to.equal(29_970);
    expect(fullJitterDelay(5, 500, 30_000, () => 0)).to.equal(0);
  });
});
