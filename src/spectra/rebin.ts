/**
 * Exact rebinning of channel data between linear energy calibrations by bin-edge overlap.
 *
 * @module
 */
import { InvalidArgumentError } from '../errors.js';
import type { EnergyCalibration } from '../profile.js';

/**
 * Channel `ch` of a calibration covers [E(ch) − gain/2, E(ch) + gain/2), E(ch) = offset + gain·ch.
 * Adds `src` (per-channel totals, e.g. counts) onto the channels of `to`, splitting each source
 * channel in proportion to its overlap with the target channels (totals are conserved inside the
 * target range; parts outside it are dropped). Allocation-free; `out` is overwritten.
 */
export function rebinChannels(
  src: ArrayLike<number>,
  from: EnergyCalibration,
  to: EnergyCalibration,
  out: Float64Array | Float32Array,
): void {
  if (src.length !== from.nChannels) {
    throw new InvalidArgumentError(
      `src has ${src.length} channels, calibration says ${from.nChannels}.`,
    );
  }
  if (out.length !== to.nChannels) {
    throw new InvalidArgumentError(`out has length ${out.length}, expected ${to.nChannels}.`);
  }
  out.fill(0);
  const gs = from.gainKeVPerChannel;
  const gt = to.gainKeVPerChannel;
  const t0 = to.offsetKeV - gt / 2;
  for (let i = 0; i < src.length; i++) {
    const v = src[i];
    if (v === 0) continue;
    const lo = from.offsetKeV + gs * i - gs / 2;
    const hi = lo + gs;
    let k = Math.floor((lo - t0) / gt);
    if (k < 0) k = 0;
    for (; k < to.nChannels; k++) {
      const a = t0 + gt * k;
      const b = a + gt;
      if (a >= hi) break;
      const overlap = Math.min(b, hi) - Math.max(a, lo);
      if (overlap > 0) out[k] += (v * overlap) / gs;
    }
  }
}
