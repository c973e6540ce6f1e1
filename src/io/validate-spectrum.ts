/**
 * Argument validation of spectra and depth profiles handed to the writers.
 *
 * @module
 */
import { InvalidArgumentError } from '../errors';
import type { DepthProfile, EnergyCalibration } from '../profile';
import type { Spectrum } from './types';

function finite(name: string, v: unknown, min?: number, exclusive = false): void {
  if (
    typeof v !== 'number' ||
    !Number.isFinite(v) ||
    (min !== undefined && (exclusive ? v <= min : v < min))
  ) {
    const bound = min === undefined ? '' : ` ${exclusive ? '>' : '≥'} ${min}`;
    throw new InvalidArgumentError(
      `${name} must be a finite number${bound}. Value: \`${String(v)}\`.`,
    );
  }
}

function checkCalibration(name: string, c: EnergyCalibration | undefined): void {
  if (c === undefined || c === null || typeof c !== 'object') {
    throw new InvalidArgumentError(
      `${name} must be an EnergyCalibration. Value: \`${String(c)}\`.`,
    );
  }
  finite(`${name}.offsetKeV`, c.offsetKeV);
  finite(`${name}.gainKeVPerChannel`, c.gainKeVPerChannel, 0, true);
  if (!Number.isInteger(c.nChannels) || c.nChannels < 1) {
    throw new InvalidArgumentError(
      `${name}.nChannels must be an integer ≥ 1. Value: \`${String(c.nChannels)}\`.`,
    );
  }
}

function checkCounts(name: string, counts: ArrayLike<number>, n: number): void {
  if (counts === undefined || counts === null || counts.length !== n) {
    throw new InvalidArgumentError(
      `${name} must have ${n} entries. Value: \`length ${counts?.length}\`.`,
    );
  }
  for (let i = 0; i < n; i++) {
    const v = counts[i];
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      throw new InvalidArgumentError(`${name}[${i}] must be finite. Value: \`${String(v)}\`.`);
    }
  }
}

/** @throws {InvalidArgumentError} if the spectrum is not self-consistent. */
export function validateSpectrum(s: Spectrum): void {
  if (s === undefined || s === null || typeof s !== 'object') {
    throw new InvalidArgumentError(`spectrum must be a Spectrum. Value: \`${String(s)}\`.`);
  }
  checkCalibration('spectrum.calibration', s.calibration);
  checkCounts('spectrum.counts', s.counts, s.calibration.nChannels);
  finite('spectrum.liveTimeS', s.liveTimeS, 0, true);
  if (s.realTimeS !== undefined) finite('spectrum.realTimeS', s.realTimeS, 0);
}

/** @throws {InvalidArgumentError} if the profile is not self-consistent. */
export function validateDepthProfile(p: DepthProfile): void {
  if (p === undefined || p === null || typeof p !== 'object') {
    throw new InvalidArgumentError(`profile must be a DepthProfile. Value: \`${String(p)}\`.`);
  }
  checkCalibration('profile.calibration', p.calibration);
  if (!Number.isInteger(p.nSteps) || p.nSteps < 1) {
    throw new InvalidArgumentError(
      `profile.nSteps must be an integer ≥ 1. Value: \`${String(p.nSteps)}\`.`,
    );
  }
  if (p.nChannels !== p.calibration.nChannels) {
    throw new InvalidArgumentError(
      `profile.nChannels must equal profile.calibration.nChannels (${p.calibration.nChannels}). Value: \`${String(p.nChannels)}\`.`,
    );
  }
  checkCounts('profile.counts', p.counts, p.nSteps * p.nChannels);
  if (p.depthsUm?.length !== p.nSteps || p.liveTimesS?.length !== p.nSteps) {
    throw new InvalidArgumentError(
      `profile.depthsUm and profile.liveTimesS must have nSteps (${p.nSteps}) entries.`,
    );
  }
  for (let s = 0; s < p.nSteps; s++) {
    finite(`profile.depthsUm[${s}]`, p.depthsUm[s]);
    if (s > 0 && !(p.depthsUm[s] > p.depthsUm[s - 1])) {
      throw new InvalidArgumentError(
        `profile.depthsUm must be strictly increasing. Value: \`${p.depthsUm[s - 1]}, ${p.depthsUm[s]}\`.`,
      );
    }
    finite(`profile.liveTimesS[${s}]`, p.liveTimesS[s], 0, true);
  }
}
