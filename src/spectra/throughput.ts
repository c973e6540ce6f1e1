/**
 * Detector throughput (temporary: legacy survival model).
 * @module
 */
import type { PeakList } from './detectorResponse.js';

/** @internal */
export function pileUp(
  peaks: PeakList,
  continuumTotal: number,
  liveTimeS: number,
  tauS: number,
  nSum: number,
): { scale: number; ratePerS: number } {
  let total = continuumTotal;
  for (let i = 0; i < peaks.length; i++) total += peaks.counts[i];
  const rate = total / liveTimeS;
  const keep = tauS > 0 ? Math.exp(-2 * rate * tauS) : 1;
  if (tauS > 0 && nSum > 0 && total > 0) {
    const sumEvents = (total * (1 - keep)) / 2;
    const n = peaks.length;
    const order = Array.from({ length: n }, (_, i) => i)
      .sort((a, b) => peaks.counts[b] - peaks.counts[a])
      .slice(0, nSum);
    for (let x = 0; x < order.length; x++) {
      for (let y = x; y < order.length; y++) {
        const i = order[x];
        const j = order[y];
        const c =
          ((x === y ? 1 : 2) * peaks.counts[i] * peaks.counts[j] * sumEvents) / (total * total);
        peaks.push(
          peaks.energyKeV[i] + peaks.energyKeV[j],
          c / keep,
          0.5 * (peaks.muIn[i] + peaks.muIn[j]),
          0,
        );
      }
    }
  }
  return { scale: keep, ratePerS: rate };
}
