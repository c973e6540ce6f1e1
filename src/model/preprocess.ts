/**
 * Preprocessing of a measured depth profile into the model input, exactly as the model card
 * prescribes (training/README.md, "Input normalisation"):
 *
 * 1. check shape, counts (finite, ≥ 0) and live times (finite, > 0);
 * 2. rebin every needed step onto the model's energy bins (exact bin overlap, counts conserved:
 *    {@link energyRebinPlan});
 * 3. divide by each step's live time (counts per second);
 * 4. resample along depth onto the model's steps by linear interpolation of the rates
 *    ({@link depthResamplePlan});
 * 5. `x = ln(1 + rateCps · referenceLiveTimeS) / scale` with the card's constants, as float32.
 *
 * @module
 */
import type { DepthProfile, EnergyCalibration } from '../profile';
import type { ModelCard, ModelGrid } from './card';
import { depthResamplePlan } from './depthResample';
import {
  applyEnergyRebin,
  calibrationRangeKeV,
  energyRebinPlan,
  type EnergyRebinPlan,
} from './energyRebin';
import { ProfileNotRepresentableError, type ProfileProblemDetail } from './errors';

/** Options of {@link preprocessProfile}. */
export interface PreprocessOptions {
  /** Output buffer of `nDepth · nChannels` float32 values, written from `outOffset`. */
  out?: Float32Array;
  /** Offset (in values) into `out`. @default 0 */
  outOffset?: number;
  /** Index of the profile in a batch, quoted in errors. */
  profileIndex?: number;
}

/** Scratch buffers and a calibration → plan cache; one per quantifier. Not thread-shared. */
export class Preprocessor {
  readonly grid: ModelGrid;
  readonly referenceLiveTimeS: number;
  readonly scale: number;
  private readonly plans = new Map<string, EnergyRebinPlan>();
  private rows = new Float64Array(0);
  private readonly lower: Int32Array;
  private readonly upperWeight: Float64Array;

  constructor(card: Pick<ModelCard, 'input'>) {
    this.grid = card.input.grid;
    this.referenceLiveTimeS = card.input.normalization.referenceLiveTimeS;
    this.scale = card.input.normalization.scale;
    this.lower = new Int32Array(this.grid.nDepth);
    this.upperWeight = new Float64Array(this.grid.nDepth);
  }

  /** The (cached) energy plan for a calibration, or a typed error when it does not cover the grid. */
  plan(
    c: EnergyCalibration,
    fail: (d: Omit<ProfileProblemDetail, 'source'>) => never,
  ): EnergyRebinPlan {
    const key = `${c.offsetKeV}|${c.gainKeVPerChannel}|${c.nChannels}`;
    let p = this.plans.get(key);
    if (p) return p;
    p = energyRebinPlan(c, this.grid);
    if (!p) {
      const { minKeV, maxKeV } = calibrationRangeKeV(c);
      const g = this.grid;
      fail({
        problem: 'energy-range',
        detail:
          `the model needs ${g.startKeV}–${+(g.startKeV + g.nChannels * g.binWidthKeV).toFixed(6)} keV; ` +
          `the calibration (offset ${c.offsetKeV} keV, gain ${c.gainKeVPerChannel} keV/channel, ` +
          `${c.nChannels} channels) covers ${+minKeV.toFixed(6)}–${+maxKeV.toFixed(6)} keV.`,
      });
    }
    if (this.plans.size >= 16) this.plans.delete(this.plans.keys().next().value as string);
    this.plans.set(key, p);
    return p;
  }

  /** Writes the normalised model input of `profile` (see the module docs). */
  run(profile: DepthProfile, options: PreprocessOptions = {}): Float32Array {
    const g = this.grid;
    const size = g.nDepth * g.nChannels;
    const out = options.out ?? new Float32Array(size);
    const off = options.outOffset ?? 0;
    const fail = (d: Omit<ProfileProblemDetail, 'source'>): never => {
      throw new ProfileNotRepresentableError({
        ...d,
        source: profile.source,
        profileIndex: options.profileIndex,
      });
    };
    if (out.length < off + size)
      fail({
        problem: 'shape',
        detail: `the output buffer must hold ${off + size} values.`,
        value: out.length,
      });
    checkProfile(profile, fail);
    const plan = this.plan(profile.calibration, fail);
    const dp = depthResamplePlan(profile.depthsUm, g.nDepth, g.depthStepUm, {
      lower: this.lower,
      upperWeight: this.upperWeight,
    });
    if ('problem' in dp)
      fail({ problem: 'depth-coverage', detail: `${dp.problem}.`, step: dp.step, value: dp.value });
    const { lower, upperWeight, lastUsedStep } = dp as Exclude<typeof dp, { problem: string }>;

    const nc = g.nChannels;
    if (this.rows.length < (lastUsedStep + 1) * nc)
      this.rows = new Float64Array((lastUsedStep + 1) * nc);
    const rows = this.rows;
    for (let j = 0; j <= lastUsedStep; j++) {
      applyEnergyRebin(
        plan,
        profile.counts,
        j * profile.nChannels,
        rows,
        j * nc,
        1 / profile.liveTimesS[j],
      );
    }
    const ref = this.referenceLiveTimeS;
    const invScale = 1 / this.scale;
    for (let m = 0; m < g.nDepth; m++) {
      const a = lower[m] * nc;
      const f = upperWeight[m];
      const o = off + m * nc;
      if (f === 0) {
        for (let k = 0; k < nc; k++) out[o + k] = Math.log1p(rows[a + k] * ref) * invScale;
      } else {
        const b = a + nc;
        const e = 1 - f;
        for (let k = 0; k < nc; k++)
          out[o + k] = Math.log1p((e * rows[a + k] + f * rows[b + k]) * ref) * invScale;
      }
    }
    return out;
  }
}

function checkProfile(
  p: DepthProfile,
  fail: (d: Omit<ProfileProblemDetail, 'source'>) => never,
): void {
  const { nSteps, nChannels, counts } = p;
  if (!Number.isInteger(nSteps) || nSteps < 1 || !Number.isInteger(nChannels) || nChannels < 1)
    fail({
      problem: 'shape',
      detail: `nSteps and nChannels must be positive integers (got ${nSteps} × ${nChannels}).`,
    });
  if (!counts || counts.length !== nSteps * nChannels)
    fail({
      problem: 'shape',
      detail: `counts must hold nSteps · nChannels = ${nSteps * nChannels} values.`,
      value: counts?.length,
    });
  if (!p.calibration || p.calibration.nChannels !== nChannels)
    fail({
      problem: 'shape',
      detail: `calibration.nChannels must equal nChannels = ${nChannels}.`,
      value: p.calibration?.nChannels,
    });
  if (!p.depthsUm || p.depthsUm.length !== nSteps)
    fail({
      problem: 'shape',
      detail: `depthsUm must hold nSteps = ${nSteps} values.`,
      value: p.depthsUm?.length,
    });
  if (!p.liveTimesS || p.liveTimesS.length !== nSteps)
    fail({
      problem: 'shape',
      detail: `liveTimesS must hold nSteps = ${nSteps} values.`,
      value: p.liveTimesS?.length,
    });
  for (let j = 0; j < nSteps; j++) {
    const t = p.liveTimesS[j];
    if (!(t > 0) || !Number.isFinite(t))
      fail({
        problem: 'live-time',
        detail: 'live times must be finite and > 0 s.',
        step: j,
        value: t,
      });
  }
  for (let i = 0; i < counts.length; i++) {
    const v = counts[i];
    // One comparison covers the common case; NaN fails `v >= 0`.
    if (v >= 0 && v !== Infinity) continue;
    const step = Math.floor(i / nChannels);
    const channel = i - step * nChannels;
    if (Number.isNaN(v) || !Number.isFinite(v))
      fail({
        problem: 'non-finite-counts',
        detail: 'counts must be finite.',
        step,
        channel,
        value: v,
      });
    fail({ problem: 'negative-counts', detail: 'counts must be ≥ 0.', step, channel, value: v });
  }
}

/**
 * Preprocesses one depth profile into the normalised model input `[nDepth][nChannels]`
 * (float32, row-major). For many profiles use a quantifier, which caches plans and buffers.
 *
 * @throws {ProfileNotRepresentableError} for an uncovered energy or depth range, non-finite or
 *   negative counts, bad live times or inconsistent array lengths.
 * @example
 * ```ts
 * const x = preprocessProfile(profile, card); // Float32Array(40 * 1024)
 * ```
 */
export function preprocessProfile(
  profile: DepthProfile,
  card: Pick<ModelCard, 'input'>,
  options: PreprocessOptions = {},
): Float32Array {
  return new Preprocessor(card).run(profile, options);
}
