/**
 * Which simulator (instrument) simulates each profile of a dataset. Nominal: one simulator for
 * all. Randomized: consecutive blocks of `blockSize` profiles share one instrument drawn from the
 * ranges with a seed derived from (dataset seed, block), so the instrument of a profile depends
 * only on the seed and its index (never on shard size or worker). A fresh simulator costs
 * ~2 s to create and ~0.3 s more per element the first time it meets one: 15–30 s in all on a
 * busy 2-core machine, the time of ~1000 warm profiles (`bench/dataset.bench.ts`), so
 * instruments are drawn per block of 1024 profiles by default, not per profile; the
 * calibration drift is drawn per profile (it costs nothing).
 *
 * @module
 * @internal
 */
import { instrumentFromDescription } from '../instrument/convert.js';
import type { InstrumentDescription } from '../instrument/description.js';
import {
  drawCalibrationDrift,
  drawInstrument,
  type CalibrationDrift,
  type InstrumentRanges,
} from '../instrument/ranges.js';
import { createRng, deriveSeed } from '../sampling/rng.js';
import type { InstrumentOverrides } from '../spectra/instrument.js';
import { createMxrfSimulator, type MxrfSimulator } from '../spectra/mxrfSimulator.js';

/** Default number of consecutive profiles that share one randomized instrument. */
export const DEFAULT_INSTRUMENT_BLOCK_SIZE = 1024;

/** What the generator needs to know about the instrument(s) of a dataset. */
export interface InstrumentPlan {
  /** Overrides of the default instrument (used when `description` is absent). */
  instrument?: InstrumentOverrides;
  /** The nominal instrument as a description. */
  description?: InstrumentDescription;
  /** Randomization ranges around `description`. */
  ranges?: InstrumentRanges;
}

/** The instrument drawn for one profile, as recorded in the samples sidecar. */
export interface ProfileInstrumentRecord {
  /** Block of profiles sharing the drawn instrument. */
  block: number;
  /** Drawn values by description field path. */
  values: Record<string, number>;
  /** Calibration error of this profile. */
  calibrationDrift: CalibrationDrift;
}

/** The simulator and calibration drift of one profile. */
export interface ProfileInstrument {
  sim: MxrfSimulator;
  drift?: CalibrationDrift;
  record?: ProfileInstrumentRecord;
}

/** Gives the simulator for each profile index (caches the current block's simulator). */
export interface SimulatorSource {
  forProfile(seed: string | number, index: number): ProfileInstrument;
}

/**
 * Creates the simulator source of a plan.
 * @throws {@link InstrumentDescriptionError} / {@link InvalidArgumentError} for an invalid
 *   instrument.
 */
export function createSimulatorSource(plan: InstrumentPlan): SimulatorSource {
  const base = plan.description;
  const ranges = plan.ranges;
  if (!ranges || !base) {
    const sim = createMxrfSimulator(
      base ? instrumentFromDescription(base).instrument : (plan.instrument ?? {}),
    );
    return { forProfile: () => ({ sim }) };
  }
  const blockSize = ranges.blockSize ?? DEFAULT_INSTRUMENT_BLOCK_SIZE;
  let cached: { seed: string | number; block: number; sim: MxrfSimulator; values: Record<string, number> } | undefined; // prettier-ignore
  return {
    forProfile(seed, index) {
      const block = Math.floor(index / blockSize);
      if (!cached || cached.block !== block || cached.seed !== seed) {
        const drawn = drawInstrument(base, ranges, deriveSeed(`${String(seed)}/instrument`, block));
        cached = {
          seed,
          block,
          sim: createMxrfSimulator(instrumentFromDescription(drawn.description).instrument),
          values: drawn.values,
        };
      }
      const drift = drawCalibrationDrift(
        ranges,
        createRng(deriveSeed(`${String(seed)}/calibration`, index)),
      );
      return {
        sim: cached.sim,
        drift,
        record: { block, values: cached.values, calibrationDrift: drift },
      };
    },
  };
}
