/**
 * Fundamental-parameter refinement of a network quantification: Levenberg–Marquardt
 * minimisation of the Poisson deviance between a measured depth profile and the simulator's
 * profile, starting from the network's answer.
 *
 * @see K. Levenberg, Q. Appl. Math. 2 (1944) 164, doi:10.1090/qam/10666
 * @see D. W. Marquardt, J. Soc. Ind. Appl. Math. 11 (1963) 431, doi:10.1137/0111030
 * @module
 */
import { massFractions, type Material } from '../physics/material.js';
import type { DepthProfile } from '../profile.js';
import type { QuantificationResult } from '../model/result.js';
import { resolveInstrument } from '../spectra/instrument.js';
import { createMxrfSimulator } from '../spectra/mxrfSimulator.js';
import { unitDeviance, unitDevianceMoments } from './deviance.js';
import { diagnose } from './diagnostics.js';
import {
  type Columns,
  COUNT_FLOOR,
  ForwardModel,
  fractionsFromLogRatios,
  N_GEOMETRY,
  P_RHO,
  P_SEXP,
  P_SMAX,
  P_SOFF,
  P_TA,
  P_TB,
  P_TM,
  P_X0,
  P_MIX,
  P_DOFF,
  P_DGAIN,
  P_DFWHM,
  P_OC,
  P_OW,
  P_PPR,
  OPTIC_SCALE_KEV,
} from './forward.js';
import { comparisonGrid } from './grid.js';
import { choleskySolve } from './linalg.js';
import type {
  DetectorParameterName,
  InstrumentParameterName,
  RefineOptions,
  RefineResult,
  SetupParameterName,
} from './types.js';
import { checkRefineInput } from './validate.js';

/**
 * End members of the light matrix that makes up the remainder 1 − Σ fitted fractions, mixed
 * as (1 − t)·A + t·B with t fitted: A cellulose-like organic matter, C6H10O5 (H 0.062,
 * C 0.444, O 0.494), and B silicon, the heaviest common matrix element without lines in the
 * fitted window (mixtures span organic, carbonate, silicate and Al-rich matrices).
 */
export const DEFAULT_LIGHT_MATRIX: readonly [
  Readonly<Record<string, number>>,
  Readonly<Record<string, number>>,
] = [{ H: 0.062, C: 0.444, O: 0.494 }, { Si: 1 }];

/** Bounds of the fitted quantities (physical units). */
export const REFINE_BOUNDS = {
  /** w_element / w_matrix (the fit's log-ratio parameters). */
  massFractionToMatrixRatio: [1e-8, 1e5],
  densityGPerCm3: [0.05, 25],
  tA: [1e-3, 100],
  tB: [0.3, 60],
  tM: [1, 60],
  sigmaMaxUm: [0, 500],
  sigmaExpPerKeV: [0, 3],
  sigmaOffUm: [0.3, 300],
} as const;

/**
 * Bounds of the detector-response parameters: calibration offset (keV) and relative gain error
 * of the profile's energy axis, and the FWHM at Mn Kα (eV).
 */
export const REFINE_DETECTOR_BOUNDS = {
  offsetKeV: [-0.05, 0.05],
  gainRelative: [-0.01, 0.01],
  fwhmAtMnKaEv: [100, 220],
} as const;

/**
 * Bounds of the fitted instrument parameters. The excitation optic is fitted as the change of
 * its log band-pass, β1·x + β2·x² with x = (E − centre)/10 keV (see docs/refinement.md):
 * `opticLogSlope` bounds β1; `opticLogCurvature` bounds β2, its upper end as a fraction of the
 * instrument band-pass's own curvature 10²/(2·width²) (0.9: up to √10 × wider). The pulse-pair
 * resolution in µs, widened to include the instrument's value.
 */
export const REFINE_INSTRUMENT_BOUNDS = {
  opticLogSlope: [-5, 5],
  opticLogCurvature: [-3, 0.9],
  pulsePairResolutionUs: [0, 3],
} as const;

const INSTRUMENT_INDEX: Record<InstrumentParameterName, number> = {
  opticCentreKeV: P_OC,
  opticWidthKeV: P_OW,
  pulsePairResolutionUs: P_PPR,
};

const DETECTOR_INDEX: Record<DetectorParameterName, number> = {
  offsetKeV: P_DOFF,
  gainRelative: P_DGAIN,
  fwhmAtMnKaEv: P_DFWHM,
};

const SETUP_INDEX: Record<SetupParameterName, number> = {
  tA: P_TA,
  tB: P_TB,
  tM: P_TM,
  sigmaMaxUm: P_SMAX,
  sigmaExpPerKeV: P_SEXP,
  sigmaOffUm: P_SOFF,
};

/**
 * Refines a network quantification by fitting the forward model to the measured profile:
 * mass fractions of the fitted elements (log-ratio parameters against the light-matrix
 * remainder, so that they are positive and sum to at most 1), density, surface position and
 * the six confocal setup parameters, by Levenberg–Marquardt on the Poisson deviance. A first
 * phase fits only density, surface and setup (no new simulations), a second all free
 * parameters. Uncertainties come from the inverse Fisher information at the optimum.
 *
 * Synchronous and pure (Node and browsers); runs the simulator once per composition tried.
 *
 * @param profile - The measured profile (counts, live times, calibration, scan positions).
 * @param result - The network's quantification of the same profile (start values).
 * @param options - Instrument, elements, free parameters, energy window, limits, progress.
 * @returns Refined values with 1σ, fit statistics, residuals, convergence and warnings.
 * @throws {@link InvalidArgumentError} for an inconsistent profile, result or option (names the
 *   field, step or channel and the value).
 * @example
 * ```ts
 * const net = await quantifier.quantify(profile);
 * const r = refine(profile, net, { instrument: defaultInstrument() });
 * r.elements.map((e) => `${e.element} ${e.value} ± ${e.sigma}`);
 * r.fitDescribesData; // false → see r.warnings
 * ```
 */
export function refine(
  profile: DepthProfile,
  result: QuantificationResult,
  options: RefineOptions = {},
): RefineResult {
  const t0 = Date.now();
  const o = checkRefineInput(profile, result, options);
  const sim =
    options.simulator ??
    createMxrfSimulator(resolveInstrument(options.instrument ?? {}), options.simulatorOptions);
  const instrument = sim.instrument;
  const grid = comparisonGrid(profile, instrument.calibration, o.energyRangeKeV, o.binWidthKeV);
  const mixable = options.matrix === undefined || Array.isArray(options.matrix);
  const pair: readonly Material[] =
    options.matrix === undefined
      ? DEFAULT_LIGHT_MATRIX
      : Array.isArray(options.matrix)
        ? (options.matrix as readonly Material[])
        : [options.matrix as Material, options.matrix as Material];
  const [ma, mb] = pair.map((m) => massFractions(m) as Record<string, number>);
  const model = new ForwardModel(
    sim,
    grid,
    Float64Array.from(profile.depthsUm),
    profile.liveTimesS,
    o.elements,
    ma,
    mb,
  );
  const nEl = o.elements.length;
  const nP = nEl + N_GEOMETRY;
  const depths = profile.depthsUm;

  // Parameter vector and bounds.
  const theta = new Float64Array(nP);
  const lo = new Float64Array(nP);
  const hi = new Float64Array(nP);
  let sumStart = 0;
  for (const w of o.startFractions) sumStart += w;
  const wm0 = Math.max(1 - sumStart, 1e-3);
  const scale = sumStart > 1 - wm0 ? (1 - wm0) / sumStart : 1;
  for (let a = 0; a < nEl; a++) {
    theta[a] = Math.log((o.startFractions[a] * scale) / wm0);
    [lo[a], hi[a]] = logB(REFINE_BOUNDS.massFractionToMatrixRatio);
  }
  const B = REFINE_BOUNDS;
  const clamp = (v: number, b: readonly [number, number]) => Math.min(Math.max(v, b[0]), b[1]);
  const s = result.setup;
  const set = (i: number, v: number, l: number, h: number) => {
    theta[nEl + i] = Math.min(Math.max(v, l), h);
    lo[nEl + i] = l;
    hi[nEl + i] = h;
  };
  set(P_RHO, Math.log(clamp(result.densityGPerCm3, B.densityGPerCm3)), ...logB(B.densityGPerCm3));
  set(P_X0, result.surfaceUm, depths[0] - 200, depths[depths.length - 1]);
  set(P_TA, Math.log(clamp(s.tA, B.tA)), ...logB(B.tA));
  set(P_TB, Math.log(clamp(s.tB, B.tB)), ...logB(B.tB));
  set(P_TM, s.tM, ...B.tM);
  set(P_SMAX, s.sigmaMaxUm, ...B.sigmaMaxUm);
  set(P_SEXP, s.sigmaExpPerKeV, ...B.sigmaExpPerKeV);
  set(P_SOFF, s.sigmaOffUm, ...B.sigmaOffUm);
  set(P_MIX, mixable ? 0.5 : 0, 0, 1);
  const DB = REFINE_DETECTOR_BOUNDS;
  set(P_DOFF, 0, ...DB.offsetKeV);
  set(P_DGAIN, 0, ...DB.gainRelative);
  // The simulator's own width is the start; bounds include it.
  set(
    P_DFWHM,
    model.nativeFwhmEv,
    Math.min(DB.fwhmAtMnKaEv[0], model.nativeFwhmEv),
    Math.max(DB.fwhmAtMnKaEv[1], model.nativeFwhmEv),
  );
  const IB = REFINE_INSTRUMENT_BOUNDS;
  const optic = instrument.excitationOptic;
  const ppr = instrument.detector.pulsePairResolutionUs;
  // Curvature of the instrument's own log band-pass on the x scale.
  const ownCurvature = OPTIC_SCALE_KEV ** 2 / (2 * optic.widthKeV ** 2);
  set(P_OC, 0, ...IB.opticLogSlope);
  set(P_OW, 0, IB.opticLogCurvature[0], IB.opticLogCurvature[1] * ownCurvature);
  set(
    P_PPR,
    ppr,
    Math.min(IB.pulsePairResolutionUs[0], ppr),
    Math.max(IB.pulsePairResolutionUs[1], ppr),
  );
  const start = Float64Array.from(theta);
  // Gaussian priors centred on the start values (σ in θ units; Infinity = none).
  const priorSigma = new Float64Array(nP).fill(Infinity);
  priorSigma[nEl + P_RHO] = Math.log1p(o.prior.densityRelative);
  priorSigma[nEl + P_X0] = o.prior.surfaceUm;
  // Priors given for the centre (keV) and the relative width, as σ of β1 and β2 at the
  // instrument's optic: ∂β1/∂centre = s/w², ∂β2/∂ln w = s²/w².
  priorSigma[nEl + P_OC] = (o.prior.opticCentreKeV * OPTIC_SCALE_KEV) / optic.widthKeV ** 2;
  priorSigma[nEl + P_OW] = o.prior.opticWidthRelative * 2 * ownCurvature;
  priorSigma[nEl + P_PPR] = o.prior.pulsePairResolutionUs;
  const penalty = (t: Float64Array) => {
    let q = 0;
    for (let i = 0; i < nP; i++)
      if (priorSigma[i] < Infinity) q += ((t[i] - start[i]) / priorSigma[i]) ** 2;
    return q;
  };
  const addPrior = (h: Float64Array, g: Float64Array, pf: readonly number[]) => {
    const np = pf.length;
    pf.forEach((i, p) => {
      if (!(priorSigma[i] < Infinity)) return;
      const w = 1 / (priorSigma[i] * priorSigma[i]);
      h[p * np + p] += w;
      g[p] += (theta[i] - start[i]) * w;
    });
  };

  const free: number[] = [];
  if (o.free.massFractions) for (let a = 0; a < nEl; a++) free.push(a);
  const geometryFree: number[] = [];
  if (o.free.density) geometryFree.push(nEl + P_RHO);
  if (o.free.surface) geometryFree.push(nEl + P_X0);
  for (const [name, i] of Object.entries(SETUP_INDEX))
    if (o.free.setup[name as SetupParameterName]) geometryFree.push(nEl + i);
  if (mixable && o.free.matrixMix) geometryFree.push(nEl + P_MIX);
  for (const [name, i] of Object.entries(DETECTOR_INDEX))
    if (o.free.detector[name as DetectorParameterName]) geometryFree.push(nEl + i);
  for (const [name, i] of Object.entries(INSTRUMENT_INDEX))
    if (o.free.instrument[name as InstrumentParameterName]) geometryFree.push(nEl + i);
  free.push(...geometryFree);

  const measured = grid.measured;
  const nBins = measured.length;
  const f = new Float64Array(nBins);
  const fTrial = new Float64Array(nBins);
  const deviance = (ff: Float64Array) => {
    let d = 0;
    for (let i = 0; i < nBins; i++) d += unitDeviance(measured[i], Math.max(ff[i], COUNT_FLOOR));
    return d;
  };

  // Start: the intensity scale tA that matches the total counts, and the light-matrix mixing
  // fraction (when free) from a coarse scan with that scale.
  const scaleTo = (ff: Float64Array): number => {
    let sm = 0;
    let sf = 0;
    for (let i = 0; i < nBins; i++) {
      sm += measured[i];
      sf += ff[i];
    }
    return sm > 0 && sf > 0 ? sm / sf : 1;
  };
  {
    const mixes = mixable && o.free.matrixMix ? [0, 0.25, 0.5, 0.75, 1] : [theta[nEl + P_MIX]];
    let best = Infinity;
    let bestMix = theta[nEl + P_MIX];
    let bestScale = 1;
    for (const t of mixes) {
      theta[nEl + P_MIX] = t;
      model.evaluate(theta, model.bulk(theta), f);
      const k = o.free.setup.tA ? scaleTo(f) : 1;
      for (let i = 0; i < nBins; i++) f[i] *= k;
      const d = deviance(f);
      if (d < best) {
        best = d;
        bestMix = t;
        bestScale = k;
      }
    }
    theta[nEl + P_MIX] = bestMix;
    const ta = nEl + P_TA;
    theta[ta] = Math.min(Math.max(theta[ta] + Math.log(bestScale), lo[ta]), hi[ta]);
  }

  let bulk = model.bulk(theta);
  model.evaluate(theta, bulk, f);
  let dev = deviance(f) + penalty(theta);
  let iterations = 0;
  let converged = false;
  let reason = 'iteration limit reached';
  let lastH: Float64Array | undefined;
  let lastHAtOptimum = false;

  const phases: { name: 'geometry' | 'full'; params: number[] }[] = [];
  // Phase 1 moves only what the start is least sure of and costs no element simulations:
  // intensity scale, surface, matrix mixing (and density when free). The σ(E) and T(E) shapes
  // are left to phase 2, where the compositions move with them.
  const firstPhase = geometryFree.filter((i) =>
    [nEl + P_RHO, nEl + P_X0, nEl + P_TA, nEl + P_MIX].includes(i),
  );
  if (firstPhase.length > 0 && free.length > firstPhase.length)
    phases.push({ name: 'geometry', params: firstPhase });
  if (free.length > 0) phases.push({ name: 'full', params: free });

  for (const phase of phases) {
    const pf = phase.params;
    const np = pf.length;
    const simulatedFree = pf.filter((i) => model.simulated(i));
    let lambda = 1e-3;
    let phaseConverged = false;
    lastHAtOptimum = false;
    // Deviance changes are judged against the noise: a misfit inflates them by D/E[D].
    let expected = 0;
    for (let i = 0; i < nBins; i++)
      expected += unitDevianceMoments(Math.max(f[i], COUNT_FLOOR)).mean;
    const tolerance =
      o.devianceTolerance *
      Math.max(1, (dev - penalty(theta)) / Math.max(expected, 1)) *
      (phase.name === 'geometry' ? 10 : 1);
    let cols: Columns | undefined;
    let colsTheta = theta;
    let sinceRefresh = 0;
    let refresh = true;
    let stalled = 0;
    // The first phase is a warm start: a few iterations at most.
    const phaseEnd =
      phase.name === 'geometry' ? Math.min(o.maxIterations, iterations + 6) : o.maxIterations;
    while (iterations < phaseEnd) {
      iterations++;
      model.evaluate(theta, bulk, f);
      let fresh = true;
      if (simulatedFree.length > 0) {
        if (!cols || refresh || sinceRefresh >= COLUMN_REFRESH) {
          cols = model.compositionColumns(theta, bulk, simulatedFree);
          sinceRefresh = 0;
        } else {
          // Rescale the element columns; the matrix-mixing column (one simulation) and the
          // detector columns (no simulation) are redone; the instrument columns (smooth in
          // the composition) are kept until the next refresh.
          rescaleColumns(cols, simulatedFree, colsTheta, theta, nEl);
          const redo = simulatedFree.filter((i) => i >= nEl && i < nEl + P_OC);
          if (redo.length > 0) {
            const m = model.compositionColumns(theta, bulk, redo);
            const c = cols;
            redo.forEach((i, k) => {
              const at = simulatedFree.indexOf(i);
              c.dPhi0[at] = m.dPhi0[k];
              c.dLnK[at] = m.dLnK[k];
            });
          }
          sinceRefresh++;
          fresh = simulatedFree.every((i) => i >= nEl && i < nEl + P_OC);
        }
        colsTheta = Float64Array.from(theta);
        refresh = false;
      }
      const { h, g } = model.accumulate(theta, bulk, f, measured, pf, cols);
      addPrior(h, g, pf);
      if (pf === free) {
        lastH = h;
        lastHAtOptimum = fresh;
      }
      options.onProgress?.({
        status: 'iteration',
        iteration: iterations,
        phase: phase.name,
        deviance: dev,
        lambda,
      });
      // Parameters on a bound that the gradient pushes outwards stay there this iteration.
      const act: number[] = [];
      for (let p = 0; p < np; p++) {
        const i = pf[p];
        const outLo = theta[i] <= lo[i] && g[p] > 0;
        const outHi = theta[i] >= hi[i] && g[p] < 0;
        if (!outLo && !outHi) act.push(p);
      }
      const na = act.length;
      if (na === 0) {
        phaseConverged = true;
        break;
      }
      const ha = new Float64Array(na * na);
      const ga = new Float64Array(na);
      for (let p = 0; p < na; p++) {
        ga[p] = -g[act[p]];
        for (let q = 0; q < na; q++) ha[p * na + q] = h[act[p] * np + act[q]];
      }
      // Newton decrement gᵀH⁻¹g: the deviance decrease a full Gauss–Newton step would bring.
      const newton = solveDamped(ha, ga, na, 1e-9);
      let decrement = 0;
      if (newton) for (let p = 0; p < na; p++) decrement += newton[p] * ga[p];
      if (newton && decrement < tolerance) {
        if (fresh) {
          phaseConverged = true;
          break;
        }
        refresh = true; // confirm with exact composition columns
        continue;
      }
      let accepted = false;
      let gained = 0;
      const dampedBefore = lambda;
      for (let tries = 0; tries < 12 && !accepted; tries++) {
        const delta = solveDamped(ha, ga, na, lambda);
        if (!delta) {
          lambda *= 10;
          continue;
        }
        const trial = Float64Array.from(theta);
        let moved = false;
        for (let p = 0; p < na; p++) {
          const i = pf[act[p]];
          trial[i] = Math.min(Math.max(theta[i] + delta[p], lo[i]), hi[i]);
          if (trial[i] !== theta[i]) moved = true;
        }
        if (!moved) break;
        const tb = model.bulk(trial);
        model.evaluate(trial, tb, fTrial);
        const dTrial = deviance(fTrial) + penalty(trial);
        if (dTrial < dev) {
          gained = dev - dTrial;
          theta.set(trial);
          bulk = tb;
          dev = dTrial;
          f.set(fTrial);
          accepted = true;
          lastHAtOptimum = false;
          lambda = Math.max(lambda / 5, 1e-7);
        } else lambda *= 6;
      }
      if (!accepted && !fresh) {
        refresh = true;
        continue;
      }
      // Stalled: heavily damped steps that gain almost nothing, twice in a row (the linear
      // model no longer predicts the deviance; what is left is far below the noise).
      if (accepted && gained < tolerance * (dampedBefore > 0.1 ? 10 : 1)) {
        if (++stalled >= 2) {
          phaseConverged = true;
          reason = 'deviance change below tolerance';
          // The Fisher matrix of this iteration, a negligible step away, serves the σ.
          if (pf === free) lastHAtOptimum = true;
          break;
        }
      } else stalled = 0;
      if (!accepted) {
        // No damped step helps: at the optimum to within the Jacobian's accuracy.
        phaseConverged = decrement < 100 * tolerance;
        reason = phaseConverged
          ? 'no step lowers the deviance further'
          : 'no step lowers the deviance (Jacobian inaccurate?)';
        break;
      }
    }
    if (phase.name === 'full' || phases.length === 1) {
      converged = phaseConverged;
      if (converged && reason === 'iteration limit reached')
        reason = 'Gauss–Newton decrement below tolerance';
    }
  }
  if (phases.length === 0) {
    converged = true;
    reason = 'no free parameters';
  }

  // Fisher information at the optimum (over all free parameters).
  model.evaluate(theta, bulk, f);
  if (free.length > 0 && !lastHAtOptimum) {
    const simulatedFree = free.filter((i) => model.simulated(i));
    const cols =
      simulatedFree.length > 0 ? model.compositionColumns(theta, bulk, simulatedFree) : undefined;
    const acc = model.accumulate(theta, bulk, f, measured, free, cols);
    addPrior(acc.h, acc.g, free);
    lastH = acc.h;
  }

  return diagnose({
    model,
    theta,
    start,
    lo,
    hi,
    free,
    fisher: lastH ?? new Float64Array(0),
    fitted: f,
    measured,
    deviance: deviance(f),
    instrument,
    options: o,
    convergence: {
      converged,
      reason,
      iterations,
      simulations: model.simulations,
      elapsedMs: Date.now() - t0,
    },
    fractions: fractionsFromLogRatios(theta, nEl),
    onProgress: options.onProgress,
  });
}

/** Iterations between exact (simulated) composition columns; rescaled in between. */
const COLUMN_REFRESH = 5;

/**
 * Carries composition columns to a new θ: an element's column is dominated by its own lines,
 * which scale with its mass fraction, so both parts are scaled by w_a(new)/w_a(old).
 */
function rescaleColumns(
  cols: Columns,
  simulatedFree: readonly number[],
  from: Float64Array,
  to: Float64Array,
  nEl: number,
): void {
  const w0 = fractionsFromLogRatios(from, nEl);
  const w1 = fractionsFromLogRatios(to, nEl);
  simulatedFree.forEach((a, k) => {
    if (a >= nEl) return;
    const r = w1[a] / w0[a];
    const dp = cols.dPhi0[k];
    const dk = cols.dLnK[k];
    for (let c = 0; c < dp.length; c++) {
      dp[c] *= r;
      dk[c] *= r;
    }
  });
}

/** Solves (H + λ·diag H) x = b; undefined when not positive definite. */
function solveDamped(h: Float64Array, b: Float64Array, n: number, lambda: number) {
  const a = Float64Array.from(h);
  for (let p = 0; p < n; p++) a[p * n + p] += lambda * Math.max(h[p * n + p], 1e-300);
  return choleskySolve(a, b, n);
}

function logB(b: readonly [number, number]): [number, number] {
  return [Math.log(b[0]), Math.log(b[1])];
}
