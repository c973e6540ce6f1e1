/**
 * Turns the optimum of the refinement into its result: uncertainties from the inverse Fisher
 * information (propagated to mass fractions, density and setup), goodness of fit against the
 * deviance expected under Poisson noise, residuals, unexplained peaks and warnings.
 *
 * @module
 */
import { elementData, MAX_Z } from '../physics/elementData.js';
import { fwhmEv } from '../spectra/detector.js';
import type { Instrument } from '../spectra/instrument.js';
import { unitDevianceMoments } from './deviance.js';
import {
  COUNT_FLOOR,
  type ForwardModel,
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
} from './forward.js';
import { scaledPseudoInverse } from './linalg.js';
import type {
  DetectorParameterName,
  RefineConvergence,
  RefinedValue,
  RefineProgress,
  RefineResult,
  RefineWarning,
  SetupParameterName,
  InstrumentParameterName,
} from './types.js';
import type { CheckedRefineOptions } from './validate.js';

/** Everything the optimiser hands over. */
export interface OptimumState {
  model: ForwardModel;
  theta: Float64Array;
  start: Float64Array;
  lo: Float64Array;
  hi: Float64Array;
  free: number[];
  fisher: Float64Array;
  fitted: Float64Array;
  measured: Float64Array;
  deviance: number;
  instrument: Instrument;
  options: CheckedRefineOptions;
  convergence: RefineConvergence;
  fractions: Float64Array;
  onProgress?: (p: RefineProgress) => void;
}

/** Builds the {@link RefineResult} (see the module docs). */
export function diagnose(s: OptimumState): RefineResult {
  const { model, theta, free, measured, fitted } = s;
  const nEl = model.nEl;
  const nFree = free.length;
  const { inverse: cov } =
    nFree > 0 ? scaledPseudoInverse(s.fisher, nFree) : { inverse: new Float64Array(0) };
  const freePos = new Int32Array(model.nP).fill(-1);
  free.forEach((i, p) => (freePos[i] = p));

  // Goodness of fit.
  const nBins = measured.length;
  let pearson = 0;
  let expMean = 0;
  let expVar = 0;
  for (let i = 0; i < nBins; i++) {
    const f = Math.max(fitted[i], COUNT_FLOOR);
    const d = measured[i] - f;
    pearson += (d * d) / f;
    const mom = unitDevianceMoments(f);
    expMean += mom.mean;
    expVar += mom.variance;
  }
  const dof = Math.max(nBins - nFree, 1);
  const expected = Math.max(expMean - nFree, 1);
  const ratio = s.deviance / expected;
  const inflate = Math.sqrt(Math.max(1, ratio));

  const atLo = (i: number) => theta[i] <= s.lo[i] + 1e-9 * Math.max(1, Math.abs(s.lo[i]));
  const atHi = (i: number) => theta[i] >= s.hi[i] - 1e-9 * Math.max(1, Math.abs(s.hi[i]));
  // A composition parameter on its upper bound means the matrix remainder is at its floor.
  const atBound = (i: number) => freePos[i] >= 0 && (atLo(i) || (i >= nEl && atHi(i)));
  const varOf = (i: number) => (freePos[i] >= 0 ? cov[freePos[i] * nFree + freePos[i]] : 0);
  const value = (v: number, sd: number, start: number, i: number | number[]): RefinedValue => {
    const idx = Array.isArray(i) ? i : [i];
    return {
      value: v,
      sigma: sd * inflate,
      sigmaStatistical: sd,
      start,
      free: idx.some((k) => freePos[k] >= 0),
      atBound: idx.some(atBound),
    };
  };

  // Mass fractions: w_a = e^θa / (1 + Σ e^θ); ∂w_a/∂θ_b = w_a(δab − w_b), ∂w_m/∂θ_b = −w_m w_b.
  const w = s.fractions;
  const w0 = fractionsFromStart(s.start, nEl);
  const compVar = (grad: (b: number) => number) => {
    let v = 0;
    for (let a = 0; a < nEl; a++) {
      const pa = freePos[a];
      if (pa < 0) continue;
      const ga = grad(a);
      for (let b = 0; b < nEl; b++) {
        const pb = freePos[b];
        if (pb < 0) continue;
        v += ga * grad(b) * cov[pa * nFree + pb];
      }
    }
    return Math.max(v, 0);
  };
  const compIdx = Array.from({ length: nEl }, (_, a) => a);
  // Model error: an instrument part for every element and a light-matrix part that grows with
  // the share of the (approximated) light matrix.
  // A floor for traces, whose error does not shrink in proportion to their fraction.
  const eps = Math.hypot(s.options.systematicRelative, s.options.matrixRelative * w[nEl]);
  const floor = s.options.absolute;
  const withSystematic = (v: RefinedValue): RefinedValue =>
    v.free ? { ...v, sigma: Math.hypot(v.sigma, eps * v.value, floor) } : v;
  const elements = model.elements.map((el, a) => ({
    element: el,
    ...withSystematic(
      value(w[a], Math.sqrt(compVar((b) => w[a] * ((a === b ? 1 : 0) - w[b]))), w0[a], a),
    ),
  }));
  const matrixMassFraction = withSystematic(
    value(w[nEl], Math.sqrt(compVar((b) => -w[nEl] * w[b])), w0[nEl], compIdx),
  );
  matrixMassFraction.atBound = compIdx.some((a) => freePos[a] >= 0 && atHi(a));

  const g = (k: number) => nEl + k;
  const expParam = (k: number) =>
    value(
      Math.exp(theta[g(k)]),
      Math.exp(theta[g(k)]) * Math.sqrt(Math.max(varOf(g(k)), 0)),
      Math.exp(s.start[g(k)]),
      g(k),
    );
  const linParam = (k: number) =>
    value(theta[g(k)], Math.sqrt(Math.max(varOf(g(k)), 0)), s.start[g(k)], g(k));
  // Model error of the surface: the Fisher σ scaled, and a fixed σ in quadrature (free surface
  // only).
  const withSurfaceSystematic = (v: RefinedValue): RefinedValue =>
    v.free
      ? {
          ...v,
          sigma: Math.hypot(
            s.options.surfaceStatisticalScale * v.sigma,
            s.options.surfaceSystematicUm,
          ),
        }
      : v;
  // A density held at the network's value: the fit does not measure it, so its σ is the
  // network's own density error.
  const withHeldDensity = (v: RefinedValue): RefinedValue =>
    v.free ? v : { ...v, sigma: s.options.heldDensityRelative * v.value };
  const setup: Record<SetupParameterName, RefinedValue> = {
    tA: expParam(P_TA),
    tB: expParam(P_TB),
    tM: linParam(P_TM),
    sigmaMaxUm: linParam(P_SMAX),
    sigmaExpPerKeV: linParam(P_SEXP),
    sigmaOffUm: linParam(P_SOFF),
  };

  const detector: Record<DetectorParameterName, RefinedValue> = {
    offsetKeV: linParam(P_DOFF),
    gainRelative: linParam(P_DGAIN),
    fwhmAtMnKaEv: linParam(P_DFWHM),
  };
  // The optic is fitted as (β1, β2) of its log band-pass; centre and width and their σ follow
  // by the delta method.
  const opticValue = (which: 'centreKeV' | 'widthKeV'): RefinedValue => {
    const at = (b1: number, b2: number) => {
      const t = Float64Array.from(theta);
      t[g(P_OC)] = b1;
      t[g(P_OW)] = b2;
      return model.opticOf(t)[which];
    };
    const b1 = theta[g(P_OC)];
    const b2 = theta[g(P_OW)];
    const h = 1e-6;
    const grad = [
      (at(b1 + h, b2) - at(b1 - h, b2)) / (2 * h),
      (at(b1, b2 + h) - at(b1, b2 - h)) / (2 * h),
    ];
    const idx = [g(P_OC), g(P_OW)];
    let v = 0;
    for (let p = 0; p < 2; p++)
      for (let q = 0; q < 2; q++) {
        const a = freePos[idx[p]];
        const b = freePos[idx[q]];
        if (a >= 0 && b >= 0) v += grad[p] * grad[q] * cov[a * nFree + b];
      }
    return value(at(b1, b2), Math.sqrt(Math.max(v, 0)), s.instrument.excitationOptic[which], idx);
  };
  const instrumentParams: Record<InstrumentParameterName, RefinedValue> = {
    opticCentreKeV: opticValue('centreKeV'),
    opticWidthKeV: opticValue('widthKeV'),
    pulsePairResolutionUs: linParam(P_PPR),
  };

  // Names and correlation of the free parameters.
  const NAMES = ['ln densityGPerCm3', 'surfaceUm', 'ln tA', 'ln tB', 'tM', 'sigmaMaxUm',
    'sigmaExpPerKeV', 'sigmaOffUm', 'matrixMix', 'detector offsetKeV', 'detector gainRelative',
    'detector fwhmAtMnKaEv', 'instrument optic log-slope β1', 'instrument optic log-curvature β2',
    'instrument pulsePairResolutionUs']; // prettier-ignore
  const parameterNames = free.map((i) =>
    i < nEl ? `ln(w_${model.elements[i]}/w_matrix)` : NAMES[i - nEl],
  );
  const correlation = new Float64Array(nFree * nFree);
  for (let p = 0; p < nFree; p++)
    for (let q = 0; q < nFree; q++) {
      const den = Math.sqrt(cov[p * nFree + p] * cov[q * nFree + q]);
      correlation[p * nFree + q] = den > 0 ? cov[p * nFree + q] / den : p === q ? 1 : 0;
    }

  // Residuals.
  const nb = model.nBins;
  const ns = model.nSteps;
  const perChannel = new Float64Array(nb);
  const perDepth = new Float64Array(ns);
  const mC = new Float64Array(nb);
  const fC = new Float64Array(nb);
  for (let j = 0; j < ns; j++) {
    let mj = 0;
    let fj = 0;
    for (let c = 0; c < nb; c++) {
      const m = measured[j * nb + c];
      const f = Math.max(fitted[j * nb + c], COUNT_FLOOR);
      mj += m;
      fj += f;
      mC[c] += m;
      fC[c] += f;
    }
    perDepth[j] = (mj - fj) / Math.sqrt(fj);
  }
  for (let c = 0; c < nb; c++) perChannel[c] = (mC[c] - fC[c]) / Math.sqrt(fC[c]);

  // Warnings.
  const warnings: RefineWarning[] = [];
  const o = s.options;
  if (ratio > o.maxDevianceRatio)
    warnings.push({
      code: 'MISFIT',
      message:
        `The fit does not describe the data: deviance ${s.deviance.toFixed(1)} is ` +
        `${ratio.toFixed(2)}× the ${expected.toFixed(1)} expected from counting noise ` +
        `(limit ${o.maxDevianceRatio}); uncertainties are inflated by ${inflate.toFixed(2)}.`,
    });
  for (const peak of unexplainedPeaks(model.grid.energyKeV, mC, fC, s.instrument, o))
    warnings.push({
      code: 'UNEXPLAINED_PEAK',
      message:
        `Unexplained counts at ${peak.energyKeV.toFixed(2)} keV: ${peak.excess.toFixed(0)} ` +
        `above the model (${peak.sigma.toFixed(0)}σ, ${(100 * peak.fraction).toFixed(0)} % of ` +
        `the model there)` +
        (peak.candidates.length > 0 ? `; lines nearby: ${peak.candidates.join(', ')}` : '') +
        '. An element missing from the fit?',
    });
  if (!s.convergence.converged)
    warnings.push({
      code: 'NOT_CONVERGED',
      message: `The minimisation did not converge (${s.convergence.reason}, ${s.convergence.iterations} iterations).`,
    });
  const bounded: string[] = [];
  elements.forEach((e) => e.atBound && bounded.push(e.element));
  if (matrixMassFraction.atBound) bounded.push('matrixMassFraction');
  if (setupOrGeometryAtBound(atBound, nEl, P_RHO)) bounded.push('densityGPerCm3');
  if (setupOrGeometryAtBound(atBound, nEl, P_X0)) bounded.push('surfaceUm');
  for (const [n, v] of Object.entries(setup)) if (v.atBound) bounded.push(n);
  for (const [n, v] of Object.entries(detector)) if (v.atBound) bounded.push(`detector ${n}`);
  for (const [n, v] of Object.entries(instrumentParams))
    if (v.atBound) bounded.push(`instrument ${n}`);
  if (bounded.length > 0)
    warnings.push({
      code: 'AT_BOUND',
      message: `On a bound of the fit (σ unreliable): ${bounded.join(', ')}.`,
    });
  const fitDescribesData = !warnings.some(
    (x) => x.code === 'MISFIT' || x.code === 'UNEXPLAINED_PEAK',
  );
  s.onProgress?.({
    status: 'done',
    iterations: s.convergence.iterations,
    deviance: s.deviance,
    converged: s.convergence.converged,
  });

  return {
    elements,
    matrixMassFraction,
    matrixMix: linParam(P_MIX),
    matrix: model.matrix(theta[nEl + P_MIX]),
    densityGPerCm3: withHeldDensity(expParam(P_RHO)),
    surfaceUm: withSurfaceSystematic(linParam(P_X0)),
    setup,
    detector,
    instrument: instrumentParams,
    parameterNames,
    correlation,
    fit: {
      deviance: s.deviance,
      nBins,
      nParameters: nFree,
      degreesOfFreedom: dof,
      reducedDeviance: s.deviance / dof,
      reducedChiSquare: pearson / dof,
      expectedDeviance: expected,
      devianceRatio: ratio,
      devianceZ: (s.deviance - expected) / Math.sqrt(Math.max(expVar, 1e-12)),
    },
    fitDescribesData,
    warnings,
    residuals: {
      energyKeV: Float64Array.from(model.grid.energyKeV),
      perChannel,
      depthsUm: Float64Array.from(model.depthsUm),
      perDepth,
      measured: Float64Array.from(measured),
      fitted: Float64Array.from(fitted),
      calibration: { ...model.grid.calibration },
    },
    convergence: s.convergence,
  };
}

function setupOrGeometryAtBound(atBound: (i: number) => boolean, nEl: number, k: number): boolean {
  return atBound(nEl + k);
}

function fractionsFromStart(theta: Float64Array, nEl: number): Float64Array {
  const w = new Float64Array(nEl + 1);
  let sum = 1;
  for (let a = 0; a < nEl; a++) sum += Math.exp(theta[a]);
  for (let a = 0; a < nEl; a++) w[a] = Math.exp(theta[a]) / sum;
  w[nEl] = 1 / sum;
  return w;
}

interface Peak {
  energyKeV: number;
  excess: number;
  sigma: number;
  fraction: number;
  candidates: string[];
}

/**
 * Windows of one detector FWHM (depth-summed counts) whose excess over the model exceeds both
 * thresholds; the strongest first, non-overlapping, at most 5, each with the K, L and M lines
 * (relative rate ≥ 5 %) within ±½ FWHM of its centre.
 */
function unexplainedPeaks(
  energyKeV: Float64Array,
  m: Float64Array,
  f: Float64Array,
  instrument: Instrument,
  o: CheckedRefineOptions,
): Peak[] {
  const n = energyKeV.length;
  const width = energyKeV[1] - energyKeV[0];
  const cand: { c: number; half: number; excess: number; sigma: number; fraction: number }[] = [];
  for (let c = 0; c < n; c++) {
    const half = Math.max(
      1,
      Math.round(fwhmEv(instrument.detector, energyKeV[c]) / 1000 / width / 2),
    );
    let dm = 0;
    let df = 0;
    for (let k = Math.max(0, c - half); k <= Math.min(n - 1, c + half); k++) {
      dm += m[k];
      df += f[k];
    }
    const excess = dm - df;
    const sigma = excess / Math.sqrt(df);
    if (sigma > o.unexplainedPeakSigma && excess > o.unexplainedPeakFraction * df)
      cand.push({ c, half, excess, sigma, fraction: excess / df });
  }
  cand.sort((a, b) => b.sigma - a.sigma);
  const out: Peak[] = [];
  const taken: number[] = [];
  for (const p of cand) {
    if (out.length >= 5) break;
    if (taken.some((c) => Math.abs(c - p.c) <= 2 * p.half)) continue;
    taken.push(p.c);
    const e = energyKeV[p.c];
    const tol = (p.half + 0.5) * width;
    const names: string[] = [];
    for (let z = 11; z <= MAX_Z; z++) {
      for (const l of elementData(z).lines) {
        if (l.radiativeRate >= 0.05 && Math.abs(l.energyKeV - e) <= tol) {
          names.push(`${elementData(z).symbol} ${l.siegbahn}`);
          break;
        }
      }
    }
    out.push({
      energyKeV: e,
      excess: p.excess,
      sigma: p.sigma,
      fraction: p.fraction,
      candidates: names.slice(0, 8),
    });
  }
  return out;
}
