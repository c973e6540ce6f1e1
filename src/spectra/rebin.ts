/**
 * Exact rebinning of channel data between linear energy calibrations by bin-edge overlap — the
 * same plan the inference preprocessing uses ({@link energyRebinPlan}).
 *
 * @module
 */
import { InvalidArgumentError } from '../errors.js';
import { applyEnergyRebin, energyRebinPlan, type EnergyRebinPlan } from '../model/energyRebin.js';
import type { EnergyCalibration } from '../profile.js';

/**
 * The exact-overlap plan from the channels of `from` onto those of `to` (channel `ch` of a
 * calibration covers [E(ch) − gain/2, E(ch) + gain/2), E(ch) = offset + gain·ch). Build it once
 * and apply it with `applyEnergyRebin` to several arrays on the same calibrations.
 * @throws {@link InvalidArgumentError} if `from` does not cover `to`.
 */
export function rebinPlan(from: EnergyCalibration, to: EnergyCalibration): EnergyRebinPlan {
  const plan = energyRebinPlan(from, {
    startKeV: to.offsetKeV - to.gainKeVPerChannel / 2,
    binWidthKeV: to.gainKeVPerChannel,
    nChannels: to.nChannels,
  });
  if (!plan) {
    throw new InvalidArgumentError(
      `the source calibration (offset ${from.offsetKeV} keV, gain ${from.gainKeVPerChannel} keV, ${from.nChannels} channels) does not cover the target range.`,
    );
  }
  return plan;
}

/**
 * Writes `src` (per-channel totals, e.g. counts) rebinned from the channels of `from` onto the
 * channels of `to` into `out`, splitting each source channel in proportion to its overlap with
 * the target channels (totals are conserved; source channels outside the target range are
 * dropped). See {@link rebinPlan} for the channel convention.
 * @throws {@link InvalidArgumentError} if lengths disagree or `from` does not cover `to`.
 */
export function rebinChannels(
  src: ArrayLike<number>,
  from: EnergyCalibration,
  to: EnergyCalibration,
  out: Float64Array,
): void {
  if (src.length !== from.nChannels) {
    throw new InvalidArgumentError(
      `src has ${src.length} channels, calibration says ${from.nChannels}.`,
    );
  }
  if (out.length !== to.nChannels) {
    throw new InvalidArgumentError(`out has length ${out.length}, expected ${to.nChannels}.`);
  }
  applyEnergyRebin(rebinPlan(from, to), src, 0, out, 0);
}
