/**
 * Domain guards of quantification: the warning codes a result can carry, and the training
 * domain they are checked against. Every guard is listed with its code in docs/quantify.md.
 *
 * @module
 */
import { MAX_DENSITY_G_PER_CM3, MIN_DENSITY_G_PER_CM3 } from '../sampling/density';
import type { ConfocalSetup } from '../profile';
import type { ModelCard } from './card';

/**
 * Codes of the warnings a {@link QuantifyWarning} can carry (docs/quantify.md, "Guards"). Other
 * stages (e.g. a refinement) may add their own codes.
 */
export type QuantifyWarningCode =
  /** Median scan step coarser than twice the model step: the model input is interpolated. */
  | 'step-coarse'
  /** Scan steps vary by more than a factor 1.5 along the scan. */
  | 'step-irregular'
  /** A live time of a step used by the model lies outside the training range. */
  | 'live-time-out-of-range'
  /** The peak total count rate lies outside the range seen in training. */
  | 'count-rate-out-of-range'
  /** The network's surface lies within 5 µm of the start or beyond 90 µm of the model window. */
  | 'surface-near-window-edge'
  /** The network's surface and the edge of the scan's count rate disagree. */
  | 'surface-disagreement'
  /** Behind the model window the count rate rises again (a layer or inclusion, not bulk). */
  | 'deeper-structure'
  /** The strongest peak moves along the scan: the energy calibration drifts. */
  | 'calibration-drift'
  /** Negative counts inside the model's energy range (rebinned rates below 0 were set to 0). */
  | 'negative-counts'
  /** Negative counts outside the model's energy range (not used by the model). */
  | 'negative-counts-ignored'
  /** Density or a setup parameter estimated outside the range the model was trained on. */
  | 'estimate-out-of-range'
  /** The file's tube anode differs from the model card's instrument. */
  | 'instrument-anode'
  /** The file's tube voltage lies outside the voltages the model was trained with. */
  | 'instrument-voltage'
  /** The file is an electron-excited spectrum, not X-ray tube excitation. */
  | 'instrument-excitation'
  /** The file's channels are so wide that the rebinned peaks are broader than any in training. */
  | 'instrument-calibration'
  /**
   * The scan ends inside the model window (a model with a depth mask): fewer measured steps
   * than the model's `nDepth`; the rest are masked.
   */
  | 'short-scan-padded'
  /**
   * In a padded window, the network's surface lies beyond the last measured step or less than
   * the card's `minMaterialUm` in front of it: the answer rests on the masked padding.
   */
  | 'surface-beyond-measured'
  /** Rates were scaled by the model instrument's tube current over the file's (a note). */
  | 'tube-current-normalized'
  /** The file's tube current differs from the model's but was not used (switched off or implausible). */
  | 'tube-current-not-normalized'
  /** Rates were divided by a given intensity scale k (a note). */
  | 'intensity-scaled';

/** A warning on a result: a stable code and a message with the values involved. */
export interface QuantifyWarning {
  /** Stable code, safe to switch on ({@link QuantifyWarningCode}, or a code of a later stage). */
  code: QuantifyWarningCode | (string & {});
  /** What was found, with the values and the expected range. */
  message: string;
}

/**
 * Largest step count `quantify` accepts by default. A confocal depth scan rarely exceeds a few
 * hundred positions (the probing depth is below 1 mm); a much longer "profile" is usually a line
 * or area scan read as a depth profile.
 */
export const DEFAULT_MAX_STEPS = 4096;

/** Scan steps (µm) outside this range are a unit mistake, not a confocal depth scan. */
export const PLAUSIBLE_STEP_UM = { min: 0.1, max: 50 } as const;

/**
 * Peak total count rate (counts/s per 5 µm step, within the model's energy range) of the
 * simulated training profiles: 0.5 % and 99.5 % quantiles over 400 profiles drawn like the
 * training set (`generateSample`, default instrument), rounded outwards. Outside this range
 * the instrument's intensity scale differs from the one the model learnt.
 */
export const TRAINING_PEAK_TOTAL_RATE_CPS = { min: 100, max: 125000 } as const;

/** Training ranges of the setup parameters (`sampleSetup` defaults). */
export const TRAINING_SETUP_RANGES: Readonly<
  Record<keyof ConfocalSetup, readonly [number, number]>
> = {
  tA: [0.5, 1.5],
  tB: [3, 8],
  tM: [8, 14],
  sigmaMaxUm: [10, 40],
  sigmaExpPerKeV: [0.05, 0.3],
  sigmaOffUm: [3, 12],
};

/** Training range of the density (g/cm³). */
export const TRAINING_DENSITY_G_PER_CM3 = [MIN_DENSITY_G_PER_CM3, MAX_DENSITY_G_PER_CM3] as const;

/**
 * Live-time range (s) of the training augmentation, from the card (1–60 s when absent).
 * @example
 * ```ts
 * import { trainingLiveTimeRangeS } from 'cmxrf/model';
 * trainingLiveTimeRangeS({ training: { augmentation: { liveTimeMinS: 5, liveTimeMaxS: 30 } } }); // [5, 30]
 * trainingLiveTimeRangeS({ training: {} }); // [1, 60]
 * ```
 */
export function trainingLiveTimeRangeS(card: Pick<ModelCard, 'training'>): [number, number] {
  const aug = (card.training as { augmentation?: Record<string, unknown> } | undefined)
    ?.augmentation;
  const lo = typeof aug?.liveTimeMinS === 'number' ? aug.liveTimeMinS : 1;
  const hi = typeof aug?.liveTimeMaxS === 'number' ? aug.liveTimeMaxS : 60;
  return [lo, hi];
}
