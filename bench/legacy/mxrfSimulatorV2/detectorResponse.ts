/**
 * FROZEN COPY of the simulator's `detectorResponse` module as it was before the spectrum speed-up (continuum
 * response read once for both spectra, Sherman numerators precomputed per shell, …), kept
 * unchanged so that the spectrum benchmark can time the current simulator against it on the same
 * sample and check that both give the same spectrum. Not part of the package; do not edit.
 */
/**
 * Detector stage of the simulator: turns the photons arriving at the detector (discrete peaks
 * and a smooth arrival spectrum) into expected counts per channel — per-peak response (Gaussian, tail, shelf, escape), continuum response,
 * lower-level discriminator — and carries the μ_in weighting through the same response.
 *
 * See docs/physics.md, "Detector".
 *
 * @module
 */
import type { EnergyCalibration } from '../../../src/profile.js';
import {
  addContinuumResponse,
  addPeak,
  createContinuumResponse,
  createDetectorResponse,
  type ContinuumResponse,
  type DetectorResponse,
} from './detector.js';
import type { SddDetector } from '../../../src/spectra/instrument.js';
import type { Arrival } from './scatter.js';

/** Growable list of discrete peaks arriving at the detector. @internal */
export class PeakList {
  energyKeV = new Float64Array(64);
  counts = new Float64Array(64);
  muIn = new Float64Array(64);
  extraSigmaKeV = new Float64Array(64);
  length = 0;

  /** Empties the list (keeps the storage). */
  clear(): void {
    this.length = 0;
  }

  /** Appends a peak. */
  push(energyKeV: number, counts: number, muIn: number, extraSigmaKeV: number): void {
    if (this.length === this.energyKeV.length) {
      const grow = (a: Float64Array) => {
        const b = new Float64Array(a.length * 2);
        b.set(a);
        return b;
      };
      this.energyKeV = grow(this.energyKeV);
      this.counts = grow(this.counts);
      this.muIn = grow(this.muIn);
      this.extraSigmaKeV = grow(this.extraSigmaKeV);
    }
    const i = this.length++;
    this.energyKeV[i] = energyKeV;
    this.counts[i] = counts;
    this.muIn[i] = muIn;
    this.extraSigmaKeV[i] = extraSigmaKeV;
  }
}

/** Per-instrument detector tables and scratch. @internal */
export interface DetectorStage {
  response: DetectorResponse;
  continuum: ContinuumResponse;
  lowerLevelChannel: number;
  scratch: Float64Array;
}

/** Prepares the detector stage. @internal */
export function prepareDetectorStage(
  det: SddDetector,
  cal: EnergyCalibration,
  lowerLevelKeV: number,
  maxEnergyKeV: number,
): DetectorStage {
  const response = createDetectorResponse(det, cal, { lowerLevelKeV, maxEnergyKeV });
  return {
    response,
    continuum: createContinuumResponse(response, 4),
    lowerLevelChannel: Math.ceil((lowerLevelKeV - cal.offsetKeV) / cal.gainKeVPerChannel),
    scratch: new Float64Array(cal.nChannels + 1),
  };
}

/**
 * Renders peaks and the arrival spectrum into `counts` and the μ_in-weighted `weighted`
 * (both zeroed by the caller); then the discriminator; then
 * `muIn[c] = weighted/counts` (or `muOutFallback[c]` where no counts).
 * @internal
 */
export function renderSpectrum(
  stage: DetectorStage,
  peaks: PeakList,
  arrival: Arrival | null,
  counts: Float64Array,
  weighted: Float64Array,
  muIn: Float64Array,
  muOutFallback: Float64Array,
): void {
  const n = counts.length;
  const shelf = new Float64Array(n + 1);
  const shelfW = new Float64Array(n + 1);
  for (let i = 0; i < peaks.length; i++) {
    addPeak(
      stage.response,
      peaks.energyKeV[i],
      peaks.counts[i],
      counts,
      weighted,
      peaks.muIn[i],
      shelf,
      shelfW,
      peaks.extraSigmaKeV[i],
    );
  }
  if (arrival) {
    addContinuumResponse(stage.response, stage.continuum, arrival.counts, counts, stage.scratch);
    addContinuumResponse(
      stage.response,
      stage.continuum,
      arrival.weighted,
      weighted,
      stage.scratch,
    );
  }
  let acc = 0;
  let accW = 0;
  for (let c = 0; c < n; c++) {
    acc += shelf[c];
    accW += shelfW[c];
    if (c < stage.lowerLevelChannel) {
      counts[c] = 0;
      weighted[c] = 0;
    } else {
      counts[c] += acc;
      weighted[c] += accW;
    }
    if (counts[c] < 0) counts[c] = 0; // rounding of the shelf prefix sum only (≥ −1e-12)
    muIn[c] = counts[c] > 0 ? weighted[c] / counts[c] : muOutFallback[c];
  }
}
