/**
 * Preprocessing of a measured depth profile into the model input, as the model card prescribes
 * (training/README.md, "Input normalisation"), with the scan handling and domain guards of
 * docs/quantify.md:
 *
 * 1. check shape, live times (finite, > 0), scan positions (finite, strictly increasing, a
 *    plausible step), the step count (≤ `maxSteps`) and the counts (finite; negative counts are
 *    reported, see below);
 * 2. total count rate per µm of scan within the model's energy range → the surface edge estimate
 *    ({@link surfaceEdge}) → the model window ({@link chooseModelWindow}): `nDepth` model steps
 *    with the surface in the range the model was trained on. With a model that declares a depth
 *    mask (`input.depthMask`), a scan that ends inside the window is accepted when it gives at
 *    least `minSteps` measured steps and `minMaterialUm` of scan behind the surface; the steps
 *    past its end are written as 0 (the mask, `window.measuredSteps`, is the caller's to feed);
 * 3. rebin every step the window uses onto the model's energy bins (exact bin overlap, counts
 *    conserved: {@link energyRebinPlan}) and divide by its live time (counts per second);
 * 4. resample along depth onto the model's steps under the intensity convention
 *    ({@link depthResamplePlan}): a rate per model step of 5 µm whatever the scan's step;
 * 5. `x = ln(1 + rateCps · referenceLiveTimeS) / scale` with the card's constants, as float32
 *    (a table logarithm equal to `Math.log1p` in float32, about four times faster).
 *
 * Rebinned rates below 0 (from negative counts, which some detector software writes after
 * background subtraction) are set to 0 with a `negative-counts` warning; negative counts outside
 * the model's energy range are ignored with a `negative-counts-ignored` note.
 *
 * @module
 */
import type { DepthProfile, EnergyCalibration } from '../profile';
import type { ModelCard, ModelDepthMaskSpec, ModelGrid } from './card';
import { type IntensityConvention, depthResamplePlan } from './depthResample';
import {
  applyEnergyRebinRunsWithStats,
  applyEnergyRebinRunsWithStats2,
  calibrationRangeKeV,
  energyRebinPlan,
  energyRebinRuns,
  type EnergyRebinRuns,
} from './energyRebin';
import { ProfileNotRepresentableError, type ProfileProblemDetail } from './errors';
import { Log1pRow } from './fastLog';
import {
  DEFAULT_MAX_STEPS,
  PLAUSIBLE_STEP_UM,
  type QuantifyWarning,
  TRAINING_PEAK_TOTAL_RATE_CPS,
  trainingLiveTimeRangeS,
} from './guards';
import {
  type ModelWindow,
  type ScanFacts,
  WINDOW_LEAD_UM,
  chooseModelWindow,
  measuredModelSteps,
  stepStats,
  surfaceEdge,
} from './scan';

/** Options of {@link preprocessProfile}. */
export interface PreprocessOptions {
  /** Output buffer of `nDepth · nChannels` float32 values, written from `outOffset`. */
  out?: Float32Array;
  /** Offset (in values) into `out`. @default 0 */
  outOffset?: number;
  /** Index of the profile in a batch, quoted in errors. */
  profileIndex?: number;
  /**
   * How counts scale with the scan step (docs/quantify.md, "Intensity convention").
   * @default 'per-step'
   */
  intensityConvention?: IntensityConvention;
  /** Largest accepted number of scan positions. @default {@link DEFAULT_MAX_STEPS} */
  maxSteps?: number;
  /**
   * A better surface estimate (µm, scan axis) than the edge of the count rate, e.g. the
   * network's from a first pass; the window is then placed with the surface 45 µm into it.
   */
  surfaceHintUm?: number;
}

/** What the preprocessing found and chose, besides the model input. */
export interface PreprocessReport {
  /** Facts about the whole scan. */
  scan: ScanFacts;
  /** The model window. */
  window: ModelWindow;
  /** Warnings of the input guards. */
  warnings: QuantifyWarning[];
}

/** Where the surface lands in the window when it is placed from a network estimate (µm). */
export const HINT_LEAD_UM = 45;

const fmt = (v: number, digits = 3): string => String(+v.toPrecision(digits));

/** Scratch buffers and a calibration → plan cache; one per quantifier. Not thread-shared. */
export class Preprocessor {
  readonly grid: ModelGrid;
  readonly referenceLiveTimeS: number;
  readonly scale: number;
  /** The card's depth-mask input, where the model takes scans shorter than its window. */
  readonly depthMask: ModelDepthMaskSpec | undefined;
  private readonly liveTimeRangeS: [number, number];
  private readonly plans = new Map<string, EnergyRebinRuns>();
  private rows = new Float64Array(0);
  private windowRows = new Float64Array(0);
  private totals = new Float64Array(0);
  private density = new Float64Array(0);
  private readonly acc: Float64Array;
  private readonly sums = new Float64Array(4);
  /** Sum and smallest count of two steps rebinned in one pass. */
  private readonly pair = new Float64Array(4);
  private readonly log: Log1pRow;

  constructor(card: Pick<ModelCard, 'input'> & Partial<Pick<ModelCard, 'training'>>) {
    this.grid = card.input.grid;
    this.referenceLiveTimeS = card.input.normalization.referenceLiveTimeS;
    this.scale = card.input.normalization.scale;
    this.depthMask = card.input.depthMask;
    this.liveTimeRangeS = trainingLiveTimeRangeS(card);
    this.acc = new Float64Array(this.grid.nChannels);
    this.log = new Log1pRow(this.grid.nChannels);
  }

  /** The (cached) energy plan for a calibration, or a typed error when it does not cover the grid. */
  plan(
    c: EnergyCalibration,
    fail: (d: Omit<ProfileProblemDetail, 'source'>) => never,
  ): EnergyRebinRuns {
    const key = `${c.offsetKeV}|${c.gainKeVPerChannel}|${c.nChannels}`;
    let p = this.plans.get(key);
    if (p) return p;
    const plan = energyRebinPlan(c, this.grid);
    if (!plan) {
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
    p = energyRebinRuns(plan!);
    if (this.plans.size >= 16) this.plans.delete(this.plans.keys().next().value as string);
    this.plans.set(key, p);
    return p;
  }

  /** Writes the normalised model input of `profile` (see the module docs). */
  run(profile: DepthProfile, options: PreprocessOptions = {}): Float32Array {
    return this.prepare(profile, options).input;
  }

  /**
   * Writes the normalised model input of `profile` and reports the scan facts, the window and
   * the input warnings.
   *
   * @throws {ProfileNotRepresentableError} for a profile the model cannot represent.
   */
  prepare(
    profile: DepthProfile,
    options: PreprocessOptions = {},
  ): PreprocessReport & { input: Float32Array } {
    const g = this.grid;
    const size = g.nDepth * g.nChannels;
    const out = options.out ?? new Float32Array(size);
    const off = options.outOffset ?? 0;
    const convention = options.intensityConvention ?? 'per-step';
    const warnings: QuantifyWarning[] = [];
    const fail = (d: Omit<ProfileProblemDetail, 'source'>): never => {
      throw new ProfileNotRepresentableError({
        ...d,
        source: profile?.source,
        profileIndex: options.profileIndex,
      });
    };
    if (out.length < off + size)
      fail({
        problem: 'shape',
        detail: `the output buffer must hold ${off + size} values.`,
        value: out.length,
      });
    checkProfile(profile, fail, options.maxSteps ?? DEFAULT_MAX_STEPS);
    const { nSteps, nChannels, counts, depthsUm, liveTimesS } = profile;
    checkPositions(depthsUm, g, fail);
    const steps = stepStats(depthsUm);
    const runs = this.plan(profile.calibration, fail);

    // Totals within the model's energy range, finiteness and sign of every count.
    const gEnd = g.startKeV + g.nChannels * g.binWidthKeV;
    if (this.totals.length < nSteps) {
      this.totals = new Float64Array(nSteps);
      this.density = new Float64Array(nSteps);
    }
    const totals = this.totals.subarray(0, nSteps);
    const density = this.density.subarray(0, nSteps);
    // One pass over the counts: rebin every step (rates) and check the counts.
    const nc = g.nChannels;
    if (this.rows.length < nSteps * nc) this.rows = new Float64Array(nSteps * nc);
    const sums = this.sums;
    const readLo = runs.firstChannel;
    const readHi = runs.endChannel;
    let negInside = 0;
    let negOutside = 0;
    let minInside = 0;
    const pair = this.pair;
    for (let j = 0; j < nSteps; j++) {
      const o = j * nChannels;
      // Two steps per pass over the plan; the second one's checks follow in the next iteration.
      if (j % 2 === 0 && j + 1 < nSteps) {
        const scale0 = 1 / liveTimesS[j];
        const scale1 = 1 / liveTimesS[j + 1];
        const r = j * nc;
        applyEnergyRebinRunsWithStats2(
          runs,
          counts,
          o,
          o + nChannels,
          this.rows,
          r,
          r + nc,
          scale0,
          scale1,
          pair,
        );
      } else if (j % 2 === 0) {
        applyEnergyRebinRunsWithStats(runs, counts, o, this.rows, j * nc, 1 / liveTimesS[j], pair);
      }
      const total = pair[2 * (j % 2)];
      const mnIn = pair[2 * (j % 2) + 1];
      stepSums(counts, o, readLo, readHi, nChannels, sums, false);
      if (!Number.isFinite(total + sums[1])) failNonFinite(counts, o, nChannels, j, fail);
      if (mnIn < 0) {
        for (let i = o + readLo; i < o + readHi; i++) if (counts[i] < 0) negInside++;
        minInside = Math.min(minInside, mnIn);
      }
      if (sums[3] < 0) negOutside++;
      totals[j] = total;
    }
    if (negInside > 0)
      warnings.push({
        code: 'negative-counts',
        message:
          `${negInside} channel(s) inside the model's energy range hold negative counts ` +
          `(lowest ${fmt(minInside)}); rebinned rates below 0 were set to 0.`,
      });
    if (negOutside > 0)
      warnings.push({
        code: 'negative-counts-ignored',
        message: `${negOutside} step(s) hold negative counts outside the model's energy range (${g.startKeV}–${fmt(gEnd, 6)} keV); those channels are not used.`,
      });

    // Rate per µm of scan (the intensity convention), the surface edge, the window.
    for (let j = 0; j < nSteps; j++) {
      const w =
        convention === 'per-position'
          ? g.depthStepUm
          : j === 0
            ? depthsUm[1] - depthsUm[0]
            : j === nSteps - 1
              ? depthsUm[j] - depthsUm[j - 1]
              : 0.5 * (depthsUm[j + 1] - depthsUm[j - 1]);
      density[j] = totals[j] / w;
    }
    const edge = surfaceEdge(depthsUm, density);
    const scan: ScanFacts = {
      nSteps,
      firstUm: depthsUm[0],
      lastUm: depthsUm[nSteps - 1],
      ...steps,
      surfaceEdgeUm: edge.edgeUm,
      peakTotalRateCps: edge.peak * g.depthStepUm,
    };
    if (!(edge.peak > 0))
      fail({
        problem: 'no-signal',
        detail: `no counts within the model's energy range (${g.startKeV}–${fmt(gEnd, 6)} keV) at any of the ${nSteps} positions.`,
      });
    const span = (g.nDepth - 1) * g.depthStepUm;
    const mask = this.depthMask;
    if (!mask && scan.lastUm - scan.firstUm < span - 1e-6 * g.depthStepUm) {
      const need = Math.ceil(span / steps.medianStepUm - 1e-9) + 1;
      fail({
        problem: 'short-scan',
        detail:
          `the model needs a scan over ${span} µm (${g.nDepth} steps of ${g.depthStepUm} µm) ` +
          `with the surface in its first ${g.nDepth * g.depthStepUm * 0.5} µm; this scan has ` +
          `${nSteps} positions over ${fmt(scan.lastUm - scan.firstUm, 4)} µm ` +
          `(${need} positions at its ${fmt(steps.medianStepUm)} µm step would do, ${need - nSteps} more). ` +
          'A model whose card declares input.depthMask takes shorter scans (CLI --model <card>).',
        value: nSteps,
      });
    }
    if (mask && measuredModelSteps(scan.firstUm, scan.lastUm, g) < mask.minSteps) {
      const needUm = (mask.minSteps - 1) * g.depthStepUm;
      const need = Math.ceil(needUm / steps.medianStepUm - 1e-9) + 1;
      fail({
        problem: 'short-scan',
        detail:
          `the model needs at least ${mask.minSteps} measured steps of ${g.depthStepUm} µm ` +
          `(a scan over ${needUm} µm; model card input.depthMask.minSteps); this scan has ` +
          `${nSteps} positions over ${fmt(scan.lastUm - scan.firstUm, 4)} µm, ` +
          `${measuredModelSteps(scan.firstUm, scan.lastUm, g)} steps of ${g.depthStepUm} µm ` +
          `(${need} positions at its ${fmt(steps.medianStepUm)} µm step would do, ${need - nSteps} more). ` +
          'Measure a longer scan; if the step was read wrongly, give it with --depth-step-um ' +
          '(API: depthsUm).',
        value: nSteps,
      });
    }
    if (edge.contrast < 1.1)
      fail({
        problem: 'no-surface',
        detail:
          `the count rate varies by only ${fmt((edge.contrast - 1) * 100, 2)} % along the ` +
          'scan: no surface edge (air → sample) found.',
      });
    if (edge.peakIndex === 0)
      fail({
        problem: 'no-surface',
        detail:
          `the count rate is highest at the first position (${fmt(scan.firstUm, 6)} µm) and ` +
          'falls from there: the scan starts at or behind the surface. Start the scan in ' +
          'air, at least 20 µm in front of the surface.',
      });
    const hint = options.surfaceHintUm;
    const useHint = hint !== undefined && Number.isFinite(hint);
    const { startUm, measuredSteps } = chooseModelWindow(
      depthsUm,
      useHint ? hint : edge.edgeUm,
      g,
      { leadUm: useHint ? HINT_LEAD_UM : WINDOW_LEAD_UM, minSteps: mask?.minSteps },
    );
    if (mask && measuredSteps < g.nDepth) {
      // A padded window: the model was trained with at least minMaterialUm of scan behind the
      // surface, i.e. the last measured step at least that far behind it.
      const behindUm = startUm + (measuredSteps - 1) * g.depthStepUm - edge.edgeUm;
      if (behindUm < mask.minMaterialUm - 1e-6 * g.depthStepUm) {
        const toUm = edge.edgeUm + mask.minMaterialUm;
        const more = Math.max(1, Math.ceil((toUm - scan.lastUm) / steps.medianStepUm - 1e-9));
        fail({
          problem: 'insufficient-depth',
          detail:
            `the surface lies at about ${fmt(edge.edgeUm, 4)} µm and the scan ends at ` +
            `${fmt(scan.lastUm, 6)} µm: the window's measured steps reach ${fmt(behindUm, 3)} µm ` +
            `behind the surface; the model needs at least ${mask.minMaterialUm} µm of scan behind the ` +
            `surface (model card input.depthMask.minMaterialUm). Extend the scan to at least ` +
            `${fmt(toUm, 4)} µm (${more} more position(s) at its ${fmt(steps.medianStepUm)} µm ` +
            'step). If the scan ran from inside the sample out into air, reverse the axis ' +
            '(--invert-axis, API invertAxis).',
          value: scan.lastUm - edge.edgeUm,
        });
      }
      if (measuredSteps < mask.minSteps)
        fail({
          problem: 'short-scan',
          detail:
            `the model window from ${fmt(startUm, 6)} µm holds ${measuredSteps} measured steps of ` +
            `${g.depthStepUm} µm; the model needs at least ${mask.minSteps} ` +
            '(model card input.depthMask.minSteps). Measure a longer scan.',
          value: measuredSteps,
        });
    }
    const trained = 0.5 * g.nDepth * g.depthStepUm;
    if (edge.edgeUm - startUm >= trained)
      fail({
        problem: 'insufficient-depth',
        detail:
          `the surface lies at about ${fmt(edge.edgeUm, 4)} µm and the scan ends at ` +
          `${fmt(scan.lastUm, 6)} µm; the model needs the scan to go on at least ` +
          `${span - trained + g.depthStepUm} µm behind the surface (a ${span} µm window with the ` +
          `surface in its first ${trained} µm). Extend the scan to at least ` +
          `${fmt(edge.edgeUm + span - trained + g.depthStepUm + 20, 4)} µm.`,
        value: scan.lastUm - edge.edgeUm,
      });
    const dp = depthResamplePlan(depthsUm, {
      startUm,
      nDepth: measuredSteps,
      stepUm: g.depthStepUm,
      convention,
    });
    if ('problem' in dp)
      return fail({
        problem: 'depth-coverage',
        detail: `${dp.problem}.`,
        step: dp.step,
        value: dp.value,
      });
    const window: ModelWindow = {
      startUm,
      endUm: startUm + span,
      stepUm: g.depthStepUm,
      nSteps: g.nDepth,
      measuredSteps,
      firstStep: dp.firstStep,
      lastStep: dp.lastStep,
      passes: hint !== undefined ? 2 : 1,
    };

    // Resample the window's steps, normalise.
    const rows = this.rows.subarray(dp.firstStep * nc);
    this.windowRows = rows;
    const ref = this.referenceLiveTimeS;
    const invScale = 1 / this.scale;
    const acc = this.acc;
    const { offsets, steps: srcSteps, weights } = dp;
    const log = this.log;
    for (let m = 0; m < measuredSteps; m++) {
      const o = off + m * nc;
      const a = offsets[m];
      const b = offsets[m + 1];
      if (b - a === 1 && weights[a] === 1) {
        log.apply(rows, (srcSteps[a] - dp.firstStep) * nc, out, o, ref, invScale);
        continue;
      }
      // The weighted sum of rows; its last term and the logarithm in one loop.
      weightedLog(rows, srcSteps, weights, a, b, dp.firstStep, nc, acc, log, out, o, ref, invScale);
    }
    // Steps past the end of the scan (masked): the normalised value of zero counts.
    out.fill(0, off + measuredSteps * nc, off + g.nDepth * nc);
    if (measuredSteps < g.nDepth)
      warnings.push({
        code: 'short-scan-padded',
        message:
          `the scan gives ${measuredSteps} measured steps of the model's ${g.nDepth} ` +
          `(${g.depthStepUm} µm, window ${fmt(startUm, 6)}–${fmt(startUm + span, 6)} µm); the ` +
          `last ${g.nDepth - measuredSteps} steps lie past the end of the scan (${fmt(scan.lastUm, 6)} µm) ` +
          'and are masked: the model sees less of the sample than in a full window.',
      });

    this.inputGuards(profile, scan, window, edge.peak, warnings);
    return { input: out, scan, window, warnings };
  }

  /** Step, live-time, count-rate, drift and homogeneity guards (warnings). */
  private inputGuards(
    p: DepthProfile,
    scan: ScanFacts,
    window: ModelWindow,
    peakDensity: number,
    warnings: QuantifyWarning[],
  ): void {
    const g = this.grid;
    if (scan.medianStepUm > 2 * g.depthStepUm)
      warnings.push({
        code: 'step-coarse',
        message: `the scan step (median ${fmt(scan.medianStepUm)} µm) is coarser than twice the model's ${g.depthStepUm} µm step; the model input is interpolated and the surface and profile shape are less certain.`,
      });
    if (scan.maxStepUm > 1.5 * scan.minStepUm)
      warnings.push({
        code: 'step-irregular',
        message: `scan steps vary from ${fmt(scan.minStepUm)} to ${fmt(scan.maxStepUm)} µm.`,
      });
    const [tLo, tHi] = this.liveTimeRangeS;
    let tMin = Infinity;
    let tMax = -Infinity;
    for (let j = window.firstStep; j <= window.lastStep; j++) {
      tMin = Math.min(tMin, p.liveTimesS[j]);
      tMax = Math.max(tMax, p.liveTimesS[j]);
    }
    if (tMin < tLo * 0.999 || tMax > tHi * 1.001)
      warnings.push({
        code: 'live-time-out-of-range',
        message: `live times ${fmt(tMin)}–${fmt(tMax)} s per step lie outside the training range ${tLo}–${tHi} s; the noise level differs from what the model learnt.`,
      });
    const rate = scan.peakTotalRateCps;
    const { min, max } = TRAINING_PEAK_TOTAL_RATE_CPS;
    if (rate < min || rate > max)
      warnings.push({
        code: 'count-rate-out-of-range',
        message: `the peak total count rate, ${fmt(rate)} counts/s per ${g.depthStepUm} µm step within ${g.startKeV}–${fmt(g.startKeV + g.nChannels * g.binWidthKeV, 6)} keV, lies outside the training range ${min}–${max} counts/s: the instrument's intensity scale (tube current, optics, step convention) differs from the simulated one.`,
      });
    // Behind the window: a thick homogeneous sample only decays.
    const d = this.density;
    let after = 0;
    let afterAt = -1;
    for (let j = window.lastStep + 2; j < scan.nSteps - 1; j++) {
      const v = median3(d[j - 1], d[j], d[j + 1]);
      if (v > after) {
        after = v;
        afterAt = j;
      }
    }
    const atEnd = median3(
      d[Math.max(window.lastStep - 1, 0)],
      d[window.lastStep],
      d[Math.min(window.lastStep + 1, scan.nSteps - 1)],
    );
    if (afterAt >= 0 && after > 0.2 * peakDensity && after > 1.5 * atEnd)
      warnings.push({
        code: 'deeper-structure',
        message: `behind the model window (ending at ${fmt(window.endUm, 6)} µm) the count rate rises again to ${fmt((100 * after) / peakDensity, 2)} % of its peak at ${fmt(p.depthsUm[afterAt], 6)} µm: the sample is not homogeneous in depth (a layer or inclusion), which the model does not describe.`,
      });
    const drift = this.peakDrift(window, p.liveTimesS);
    const moved = (d: { shiftKeV: number; sigmaKeV: number }): boolean =>
      Math.abs(d.shiftKeV) > 0.012 && Math.abs(d.shiftKeV) > 4 * d.sigmaKeV;
    if (
      drift !== undefined &&
      drift.every(moved) &&
      Math.sign(drift[0].shiftKeV) === Math.sign(drift[1].shiftKeV)
    )
      warnings.push({
        code: 'calibration-drift',
        message: `the two strongest peaks move between the first and second half of the model window, ${drift.map((d) => `${fmt(d.energyKeV, 4)} keV by ${fmt(d.shiftKeV * 1000, 2)} eV`).join(', ')}: the energy calibration drifts along the scan.`,
      });
  }

  /**
   * Centroid shift (keV) between the first and second half of the window's steps of its two
   * strongest peaks at least 1 keV apart, from the rebinned rows, with Poisson standard errors;
   * `undefined` without two clear peaks. A calibration drift moves both; a depth-dependent blend
   * of neighbouring lines moves one.
   */
  private peakDrift(
    window: ModelWindow,
    liveTimesS: Float64Array,
  ): { energyKeV: number; shiftKeV: number; sigmaKeV: number }[] | undefined {
    const g = this.grid;
    const nc = g.nChannels;
    const n = window.lastStep - window.firstStep + 1;
    if (n < 4) return undefined;
    const rows = this.windowRows;
    const sum = this.acc;
    // Σ over the rows, four rows per pass (the same additions in the same order).
    for (let k = 0; k < nc; k++) sum[k] = rows[k];
    let r = 1;
    for (; r + 3 < n; r += 4) {
      const o = r * nc;
      for (let k = 0; k < nc; k++)
        sum[k] =
          sum[k] + rows[o + k] + rows[o + nc + k] + rows[o + 2 * nc + k] + rows[o + 3 * nc + k];
    }
    for (; r < n; r++) for (let k = 0; k < nc; k++) sum[k] += rows[r * nc + k];
    const H = 3; // centroid half-width (bins)
    const B = 12; // background points (bins from the peak)
    const apart = Math.round(1 / g.binWidthKeV);
    const isPeak = (k: number): boolean =>
      sum[k] > 2 * Math.max(sum[k - B], sum[k + B]) && sum[k] >= sum[k - 1] && sum[k] >= sum[k + 1];
    let k1 = -1;
    for (let k = B; k < nc - B; k++) if (isPeak(k) && (k1 < 0 || sum[k] > sum[k1])) k1 = k;
    let k2 = -1;
    for (let k = B; k < nc - B; k++)
      if (Math.abs(k - k1) > apart && isPeak(k) && (k2 < 0 || sum[k] > sum[k2])) k2 = k;
    if (k1 < 0 || k2 < 0) return undefined;
    const half = Math.floor(n / 2);
    let tMean = 0;
    for (let j = window.firstStep; j <= window.lastStep; j++) tMean += liveTimesS[j] / n;
    /** Position (bins) of the peak at kMax above a linear background over steps [r0, r1), and its variance. */
    const centroid = (kMax: number, r0: number, r1: number): [number, number] => {
      let lo = 0;
      let hi = 0;
      for (let r = r0; r < r1; r++) {
        lo += rows[r * nc + kMax - B];
        hi += rows[r * nc + kMax + B];
      }
      const v = new Float64Array(2 * H + 1);
      let s = 0;
      let sw = 0;
      for (let k = kMax - H; k <= kMax + H; k++) {
        let x = 0;
        for (let r = r0; r < r1; r++) x += rows[r * nc + k];
        x -= lo + ((hi - lo) * (k - kMax + B)) / (2 * B);
        v[k - kMax + H] = Math.max(x, 0);
        s += v[k - kMax + H];
        sw += v[k - kMax + H] * k;
      }
      if (!(s > 0)) return [NaN, NaN];
      const c = sw / s;
      let m2 = 0;
      for (let k = kMax - H; k <= kMax + H; k++) m2 += v[k - kMax + H] * (k - c) ** 2;
      // Peak position: vertex of the parabola through the logarithms of the three highest
      // bins (exact for a Gaussian peak, unlike a centroid over a fixed window).
      let i = H;
      for (let t = 1; t < 2 * H; t++) if (v[t] > v[i]) i = t;
      if (i === 0 || i === 2 * H || !(v[i - 1] > 0 && v[i + 1] > 0)) return [NaN, NaN];
      const l0 = Math.log(v[i - 1]);
      const l1 = Math.log(v[i]);
      const l2 = Math.log(v[i + 1]);
      const den = l0 - 2 * l1 + l2;
      if (!(den < 0)) return [NaN, NaN];
      // Poisson: the position of N counts scatters by about (second moment / N)^½.
      return [kMax - H + i + (0.5 * (l0 - l2)) / den, m2 / s / Math.max(s * tMean, 1)];
    };
    const out = [k1, k2].map((k) => {
      const [a, va] = centroid(k, 0, half);
      const [b, vb] = centroid(k, half, n);
      return {
        energyKeV: g.startKeV + (k + 0.5) * g.binWidthKeV,
        shiftKeV: (b - a) * g.binWidthKeV,
        sigmaKeV: Math.sqrt(va + vb) * g.binWidthKeV,
      };
    });
    return out.every((d) => Number.isFinite(d.shiftKeV)) ? out : undefined;
  }
}

/**
 * Sums of one step's counts `[o, o + nChannels)`: `out[0]` inside channels `[chLo, chHi)`,
 * `out[1]` outside, `out[2]`/`out[3]` the smallest count inside/outside (0 when none is
 * negative). A small function of its own, so that the engine optimises the loops.
 */
function stepSums(
  counts: ArrayLike<number>,
  o: number,
  chLo: number,
  chHi: number,
  nChannels: number,
  out: Float64Array,
  withInside = true,
): void {
  let outside = 0;
  let mnOut = 0;
  const a = o + chLo;
  const b = o + chHi;
  const e = o + nChannels;
  for (let i = o; i < a; i++) {
    const v = counts[i];
    outside += v;
    if (v < mnOut) mnOut = v;
  }
  let inside = 0;
  let mnIn = 0;
  if (withInside)
    for (let i = a; i < b; i++) {
      const v = counts[i];
      inside += v;
      if (v < mnIn) mnIn = v;
    }
  for (let i = b; i < e; i++) {
    const v = counts[i];
    outside += v;
    if (v < mnOut) mnOut = v;
  }
  out[0] = inside;
  out[1] = outside;
  out[2] = mnIn;
  out[3] = mnOut;
}

/**
 * `out[o + k] = ln(1 + max(acc[k], 0) · ref) · invScale` of `acc[k] = Σ_t weights[t] ·
 * rows[(steps[t] − first) · nc + k]` over `t ∈ [a, b)`: one or two terms formed in the loop of
 * the logarithm ({@link Log1pRow.applyScaled}, {@link Log1pRow.applySum}); of more, all but the
 * last summed into `acc` first. Same order and rounding as the sum formed in a pass of its own.
 */
function weightedLog(
  rows: Float64Array,
  steps: Int32Array,
  weights: Float64Array,
  a: number,
  b: number,
  first: number,
  nc: number,
  acc: Float64Array,
  log: Log1pRow,
  out: Float32Array,
  o: number,
  ref: number,
  invScale: number,
): void {
  let r = (steps[a] - first) * nc;
  let w = weights[a];
  if (b - a === 1) {
    log.applyScaled(rows, r, w, out, o, ref, invScale);
    return;
  }
  if (b - a === 2) {
    // Two terms (linear interpolation): w·x + w1·x1 rounds exactly as the two passes do.
    log.applySum(
      rows,
      r,
      w,
      rows,
      (steps[a + 1] - first) * nc,
      weights[a + 1],
      out,
      o,
      ref,
      invScale,
    );
    return;
  }
  for (let k = 0; k < nc; k++) acc[k] = w * rows[r + k];
  for (let t = a + 1; t < b - 1; t++) {
    r = (steps[t] - first) * nc;
    w = weights[t];
    for (let k = 0; k < nc; k++) acc[k] += w * rows[r + k];
  }
  log.applySum(
    acc,
    0,
    undefined,
    rows,
    (steps[b - 1] - first) * nc,
    weights[b - 1],
    out,
    o,
    ref,
    invScale,
  );
}

const median3 = (a: number, b: number, c: number): number =>
  Math.max(Math.min(a, b), Math.min(Math.max(a, b), c));

function failNonFinite(
  counts: ArrayLike<number>,
  o: number,
  nChannels: number,
  step: number,
  fail: (d: Omit<ProfileProblemDetail, 'source'>) => never,
): void {
  for (let i = o; i < o + nChannels; i++) {
    const v = counts[i];
    if (!Number.isFinite(v))
      fail({
        problem: 'non-finite-counts',
        detail: 'counts must be finite.',
        step,
        channel: i - o,
        value: v,
      });
  }
  // Finite values whose sum overflows.
  fail({ problem: 'non-finite-counts', detail: 'the counts of this step overflow.', step });
}

function checkPositions(
  depthsUm: Float64Array,
  g: ModelGrid,
  fail: (d: Omit<ProfileProblemDetail, 'source'>) => never,
): void {
  const n = depthsUm.length;
  for (let j = 0; j < n; j++) {
    const d = depthsUm[j];
    if (!Number.isFinite(d))
      fail({
        problem: 'depth-coverage',
        detail: 'scan positions must be finite.',
        step: j,
        value: d,
      });
    if (j > 0 && !(d > depthsUm[j - 1]))
      fail({
        problem: 'depth-coverage',
        detail:
          `scan positions must be strictly increasing into the sample (previous ${depthsUm[j - 1]} µm)` +
          (n > 1 && depthsUm[n - 1] < depthsUm[0]
            ? '; they decrease: the stage axis points out of the sample (invertAxis, CLI --invert-axis).'
            : '.'),
        step: j,
        value: d,
      });
  }
  if (n < 2)
    fail({
      problem: 'short-scan',
      detail:
        `a depth scan needs positions over ${(g.nDepth - 1) * g.depthStepUm} µm (${g.nDepth} steps of ${g.depthStepUm} µm); ` +
        `this profile has ${n} position (one spectrum; a scan stored as one file per position is ` +
        'read with depthProfileFromSpectra).',
      value: n,
    });
  const { medianStepUm: step } = stepStats(depthsUm);
  if (step > PLAUSIBLE_STEP_UM.max)
    fail({
      problem: 'implausible-step',
      detail:
        `the scan step is ${fmt(step, 4)} µm (median), more than ${PLAUSIBLE_STEP_UM.max} µm: ` +
        'not a confocal depth scan, or positions in µm read as mm (EMSA #ZPOSITION is in mm by ' +
        'the standard). Give the unit (--stage-unit um) or the step (--depth-step-um), or pass ' +
        'depthsUm to the parser.',
      value: step,
    });
  if (step < PLAUSIBLE_STEP_UM.min)
    fail({
      problem: 'implausible-step',
      detail:
        `the scan step is ${fmt(step, 4)} µm (median), less than ${PLAUSIBLE_STEP_UM.min} µm: ` +
        'positions in mm read as µm? Give the unit (--stage-unit mm) or the step ' +
        '(--depth-step-um), or pass depthsUm to the parser.',
      value: step,
    });
}

function checkProfile(
  p: DepthProfile,
  fail: (d: Omit<ProfileProblemDetail, 'source'>) => never,
  maxSteps: number,
): void {
  if (typeof p !== 'object' || p === null)
    fail({
      problem: 'shape',
      detail: `expected a DepthProfile object, got ${p === null ? 'null' : typeof p}.`,
    });
  const { nSteps, nChannels, counts } = p;
  if (!Number.isInteger(nSteps) || nSteps < 1 || !Number.isInteger(nChannels) || nChannels < 1)
    fail({
      problem: 'shape',
      detail: `nSteps and nChannels must be positive integers (got ${nSteps} × ${nChannels}).`,
    });
  if (nSteps > maxSteps)
    fail({
      problem: 'too-many-steps',
      detail:
        `the profile has ${nSteps} positions, more than the limit of ${maxSteps} ` +
        '(maxSteps, CLI --max-steps): a confocal depth scan has a few hundred at most; is this ' +
        'a line or area scan?',
      value: nSteps,
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
        detail: 'live times must be finite and > 0 s (set one with the liveTimeS option).',
        step: j,
        value: t,
      });
  }
}

/**
 * Preprocesses one depth profile into the normalised model input `[nDepth][nChannels]`
 * (float32, row-major). For many profiles use a quantifier, which caches plans and buffers.
 *
 * @throws {ProfileNotRepresentableError} for an uncovered energy range, a scan that does not
 *   hold the model window with the surface where the model was trained, non-finite counts, bad
 *   live times or positions, or inconsistent array lengths.
 * @example
 * ```ts
 * const x = preprocessProfile(profile, card); // Float32Array(40 * 1024)
 * ```
 */
export function preprocessProfile(
  profile: DepthProfile,
  card: Pick<ModelCard, 'input'> & Partial<Pick<ModelCard, 'training'>>,
  options: PreprocessOptions = {},
): Float32Array {
  return new Preprocessor(card).run(profile, options);
}
