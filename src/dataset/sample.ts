/**
 * One training sample: sampled composition, density, setup, surface and live time, simulated
 * bulk spectrum and its noise-free confocal depth profile on the model grid (counts per second).
 *
 * @module
 */
import { LABEL_NAMES, PREDICTED_ELEMENTS } from '../predictedElements.js';
import type { ConfocalSetup } from '../profile.js';
import {
  type ArchetypeId,
  createRng,
  deriveSeed,
  sampleComposition,
  sampleDensity,
  sampleLiveTimeS,
  sampleSetup,
  sampleSurfaceUm,
} from '../sampling/index.js';
import { confocalProfileFromSpectrum } from '../spectra/confocalFromSpectrum.js';
import type { MxrfSimulator } from '../spectra/mxrfSimulator.js';
import type { ReferenceComposition } from './compositions.js';
import { MODEL_GRID, modelCalibration, modelDepthsUm } from './grid.js';
import type { ProfileInstrumentRecord } from './instrumentSource.js';

/** Everything sampled for one profile (the JSON sidecar entry). */
export interface SampleRecord {
  index: number;
  /** Archetype of the composition prior, or `reference:<name>` for a fixed composition. */
  archetype: string;
  massFractions: Record<string, number>;
  densityGPerCm3: number;
  surfaceUm: number;
  setup: ConfocalSetup;
  liveTimeS: number;
  /** Elements added by the composition prior's broad component (absent when it did not act). */
  broadElements?: string[];
  /** The randomized instrument of this profile (absent for a nominal-instrument dataset). */
  instrument?: ProfileInstrumentRecord;
}

/** Per-profile inputs of {@link generateSample} besides the seed. */
export interface SampleExtras {
  /** Randomized instrument and calibration drift of the profile (recorded in the sidecar). */
  instrument?: ProfileInstrumentRecord;
  /** A fixed composition and density instead of a draw from the composition prior. */
  composition?: ReferenceComposition;
}

/** Number of label columns. */
export const N_LABELS = LABEL_NAMES.length;
/** Values per profile (nDepth · nChannels). */
export const PROFILE_SIZE = MODEL_GRID.nDepth * MODEL_GRID.nChannels;

const CAL = modelCalibration();
const DEPTHS = modelDepthsUm();

/**
 * Generates sample `index` of the dataset with `seed` into `profileOut` (float32,
 * PROFILE_SIZE) and `labelOut` (float32, N_LABELS). Deterministic: depends only on
 * (seed, index) and the simulator's instrument, never on which worker runs it.
 * @example
 * ```ts
 * const sim = createMxrfSimulator();
 * const profile = new Float32Array(PROFILE_SIZE);
 * const labels = new Float32Array(N_LABELS);
 * const rec = generateSample(sim, 'train-1', 0, profile, labels); // deterministic per (seed, index)
 * ```
 */
export function generateSample(
  sim: MxrfSimulator,
  seed: string | number,
  index: number,
  profileOut: Float32Array,
  labelOut: Float32Array,
  extras: SampleExtras = {},
): SampleRecord {
  const rng = createRng(deriveSeed(seed, index));
  const fixed = extras.composition;
  const comp = fixed
    ? { massFractions: fixed.massFractions, archetype: `reference:${fixed.name}` }
    : sampleComposition(rng);
  const densityGPerCm3 = fixed
    ? fixed.densityGPerCm3
    : sampleDensity(rng, comp.archetype as ArchetypeId);
  const setup = sampleSetup(rng);
  const surfaceUm = sampleSurfaceUm(rng, {
    nSteps: MODEL_GRID.nDepth,
    stepUm: MODEL_GRID.depthStepUm,
  });
  const liveTimeS = sampleLiveTimeS(rng);
  const simulated = sim.simulate({ composition: comp.massFractions, densityGPerCm3 });
  // A calibration error: the channels are read with a slightly wrong energy scale.
  const drift = extras.instrument?.calibrationDrift;
  const c = simulated.calibration;
  const spectrum = drift
    ? {
        ...simulated,
        calibration: {
          offsetKeV: c.offsetKeV + drift.offsetKeV,
          gainKeVPerChannel: c.gainKeVPerChannel * drift.gainFactor,
          nChannels: c.nChannels,
        },
      }
    : simulated;
  confocalProfileFromSpectrum(spectrum, setup, surfaceUm, {
    rebinTo: CAL,
    depthsUm: DEPTHS,
    out: profileOut,
  });
  PREDICTED_ELEMENTS.forEach((el, i) => {
    labelOut[i] = comp.massFractions[el] ?? 0;
  });
  const n = PREDICTED_ELEMENTS.length;
  labelOut[n] = densityGPerCm3;
  labelOut[n + 1] = surfaceUm;
  labelOut[n + 2] = setup.tA;
  labelOut[n + 3] = setup.tB;
  labelOut[n + 4] = setup.tM;
  labelOut[n + 5] = setup.sigmaMaxUm;
  labelOut[n + 6] = setup.sigmaExpPerKeV;
  labelOut[n + 7] = setup.sigmaOffUm;
  labelOut[n + 8] = liveTimeS;
  return {
    index,
    archetype: comp.archetype,
    massFractions: comp.massFractions,
    densityGPerCm3,
    surfaceUm,
    setup,
    liveTimeS,
    ...('broadElements' in comp && comp.broadElements ? { broadElements: comp.broadElements } : {}),
    ...(extras.instrument ? { instrument: extras.instrument } : {}),
  };
}
