import type { QuantificationResult } from '../../src/model/result';
import { PREDICTED_ELEMENTS } from '../../src/predictedElements';
import type { DepthProfile } from '../../src/profile';

/** Standard normal CDF difference helper: erf via Abramowitz–Stegun 7.1.26 is not needed here. */
export const ERF_SQRT2 = 0.9544997361036416; // erf(√2) = P(|Z| < 2), tabulated

/**
 * A synthetic profile: linear background `b0 + b1·E` counts per channel plus Gaussian peaks
 * (area in counts per step), 20 eV channels from 0, 40 steps of 5 µm, live time 2 s.
 */
export function syntheticProfile(
  peaks: { energyKeV: number; sigmaKeV: number; areaPerStep: (step: number) => number }[],
  background = { b0: 3, b1: 0.5 },
): DepthProfile {
  const nSteps = 40;
  const nChannels = 2048;
  const gain = 0.02;
  const counts = new Float64Array(nSteps * nChannels);
  for (let s = 0; s < nSteps; s++)
    for (let c = 0; c < nChannels; c++) {
      const e = c * gain;
      let v = background.b0 + background.b1 * e;
      for (const p of peaks) {
        const z = (e - p.energyKeV) / p.sigmaKeV;
        v +=
          ((p.areaPerStep(s) * gain) / (p.sigmaKeV * Math.sqrt(2 * Math.PI))) *
          Math.exp(-0.5 * z * z);
      }
      counts[s * nChannels + c] = v;
    }
  return {
    counts,
    nSteps,
    nChannels,
    depthsUm: Float64Array.from({ length: nSteps }, (_, i) => 5 * i),
    calibration: { offsetKeV: 0, gainKeVPerChannel: gain, nChannels },
    liveTimesS: new Float64Array(nSteps).fill(2),
    source: 'synthetic',
  };
}

/** A result with the given detected elements (mass fractions), everything else absent. */
export function fakeResult(detected: Record<string, number>): QuantificationResult {
  return {
    modelId: 'test@000000000000',
    source: 'synthetic',
    threshold: 0.5,
    elements: PREDICTED_ELEMENTS.map((element) => {
      const w = detected[element];
      return {
        element,
        massFraction: w ?? 0,
        massFractionRaw: w ?? 1e-6,
        presenceProbability: w !== undefined ? 0.99 : 0.01,
        detected: w !== undefined,
      };
    }),
    densityGPerCm3: 2.5,
    surfaceUm: 42,
    setup: { tA: 1, tB: 5.5, tM: 11, sigmaMaxUm: 24, sigmaExpPerKeV: 0.12, sigmaOffUm: 6 },
    warnings: [],
    scan: {
      nSteps: 40,
      firstUm: 0,
      lastUm: 195,
      medianStepUm: 5,
      minStepUm: 5,
      maxStepUm: 5,
      surfaceEdgeUm: 42,
      peakTotalRateCps: 1e4,
    },
    window: {
      startUm: 0,
      endUm: 195,
      stepUm: 5,
      nSteps: 40,
      firstStep: 0,
      lastStep: 39,
      passes: 1,
    },
    intensityConvention: 'per-step',
  };
}
