/**
 * The forward model of the refinement and its Jacobian.
 *
 * Expected counts at step j and comparison bin c:
 *   f(j, c) = Φ0(c; w) · F(j, c; ρ·k(c; w), x0, setup) · t_j / t_sim,
 * with Φ0 and k = μ_lin/ρ from the simulator (the bulk spectrum of a thick sample does not
 * depend on ρ, so density, surface and setup need no new simulation), F the confocal factors
 * of the library's transform, t_j the step's live time and t_sim the simulator's.
 *
 * Derivatives: with z = x_j − x0, σ = σ(E), μ = ρk, u = (μσ² − z)/(√2σ) and
 * A·C = ½·exp(−z²/(2σ²))·erfcx(u), the Gaussian-to-A·C ratio is r = 2/(√(2π)·σ·erfcx(u)) and
 *   ∂ln f/∂x0 = μ − r,
 *   ∂ln f/∂σ = μ²σ − r(μσ + z/σ),
 *   ∂ln f/∂ln μ = 1 + μ(μσ² − z) − μσ²r        (B = μ·Δ),
 *   ∂ln f/∂ln tA = 1, ∂ln f/∂tM = (E − tM)/tB², ∂ln f/∂ln tB = (E − tM)²/tB²;
 * composition columns are forward differences of the simulator (Φ0 and k), combined with the
 * analytic ∂ln f/∂ln μ.
 *
 * @module
 */
import { erfcx } from '../spectra/erfc.js';
import { confocalProfileFactors } from '../spectra/confocalTransform.js';
import { applyEnergyRebin } from '../model/energyRebin.js';
import { rebinPlan } from '../spectra/rebin.js';
import type { EnergyCalibration } from '../profile.js';
import type { MxrfSimulator } from '../spectra/mxrfSimulator.js';
import type { ConfocalSetup } from '../profile.js';
import type { ComparisonGrid } from './grid.js';

/** Expected counts below this are treated as this (and as constant in the Jacobian). */
export const COUNT_FLOOR = 1e-6;

/** cm per µm. */
const CM_PER_UM = 1e-4;

/** Index of the non-composition parameters after the `nEl` composition ones. */
export const P_RHO = 0;
export const P_X0 = 1;
export const P_TA = 2;
export const P_TB = 3;
export const P_TM = 4;
export const P_SMAX = 5;
export const P_SEXP = 6;
export const P_SOFF = 7;
/** Mixing fraction t of the light matrix, (1 − t)·A + t·B. */
export const P_MIX = 8;
/** Detector energy-calibration offset (keV): recorded label = E·(1 + gain) + offset. */
export const P_DOFF = 9;
/** Detector energy-calibration gain error (relative). */
export const P_DGAIN = 10;
/** Detector resolution, FWHM at Mn Kα (eV); the Fano term stays the simulator's. */
export const P_DFWHM = 11;
/**
 * Slope β1 of the change of the excitation optic's log band-pass, ln(T′/T) = β1·x + β2·x² + c
 * with x = (E − centre)/OPTIC_SCALE_KEV (the constant c is taken out by the flux normalisation,
 * see {@link opticFromLogCoefficients}).
 */
export const P_OC = 12;
/** Curvature β2 of the change of the excitation optic's log band-pass (see P_OC). */
export const P_OW = 13;
/** Pulse-pair resolution (µs). */
export const P_PPR = 14;
/** Number of non-composition parameters. */
export const N_GEOMETRY = 15;

/** Range of the fitted optic centre (keV). */
const OPTIC_CENTRE_MIN_KEV = 1;
const OPTIC_CENTRE_MAX_KEV = 80;

/** Energy scale of the log band-pass coefficients (keV). */
export const OPTIC_SCALE_KEV = 10;

/**
 * The Gaussian band-pass (centre, width in keV) whose logarithm differs from that of the
 * band-pass (centre, width) by β1·x + β2·x² + const, x = (E − centre)/OPTIC_SCALE_KEV:
 * with A = s²/(2w²) − β2, w′ = s/√(2A) and centre′ = centre + s·β1/(2A). Fitting (β1, β2)
 * instead of (centre, width) keeps the model linear in the parameters on the log scale.
 * Requires β2 < s²/(2w²).
 */
export function opticFromLogCoefficients(
  centreKeV: number,
  widthKeV: number,
  beta1: number,
  beta2: number,
): { centreKeV: number; widthKeV: number } {
  const s = OPTIC_SCALE_KEV;
  const a = (s * s) / (2 * widthKeV * widthKeV) - beta2;
  return { centreKeV: centreKeV + (s * beta1) / (2 * a), widthKeV: s / Math.sqrt(2 * a) };
}

/** Finite-difference steps of the detector parameters (θ units). */
const DETECTOR_STEP: Record<number, number> = {
  [P_DOFF]: 0.002,
  [P_DGAIN]: 2e-4,
  [P_DFWHM]: 2,
  [P_OC]: 0.02,
  [P_OW]: 0.02,
  [P_PPR]: 0.005,
};

/** 8 ln 2: FWHM² = 8 ln 2 · σ². */
const FWHM2_PER_SIGMA2 = 8 * Math.LN2;

/** Bulk spectrum of one composition on the grid, for ρ = 1. */
export interface Bulk {
  phi0: Float64Array;
  /** μ_lin at ρ = 1 g/cm³ (1/µm). */
  kPerUm: Float64Array;
}

/** Simulated-parameter Jacobian columns: ΔΦ0/h and (Δk/k)/h per bin, per parameter. */
export interface Columns {
  dPhi0: Float64Array[];
  dLnK: Float64Array[];
}

/** Fractions from the additive log-ratio parameters θ_a = ln(w_a / w_matrix). */
export function fractionsFromLogRatios(theta: ArrayLike<number>, nEl: number): Float64Array {
  const w = new Float64Array(nEl + 1);
  let s = 1;
  for (let a = 0; a < nEl; a++) s += Math.exp(theta[a]);
  const wm = 1 / s;
  for (let a = 0; a < nEl; a++) w[a] = Math.exp(theta[a]) * wm;
  w[nEl] = wm;
  return w;
}

/** Setup from the parameter vector. */
export function setupOf(theta: ArrayLike<number>, nEl: number): ConfocalSetup {
  return {
    tA: Math.exp(theta[nEl + P_TA]),
    tB: Math.exp(theta[nEl + P_TB]),
    tM: theta[nEl + P_TM],
    sigmaMaxUm: theta[nEl + P_SMAX],
    sigmaExpPerKeV: theta[nEl + P_SEXP],
    sigmaOffUm: theta[nEl + P_SOFF],
  };
}

/** The forward model bound to one profile, grid, simulator and element list. */
export class ForwardModel {
  readonly nEl: number;
  readonly nP: number;
  readonly nSteps: number;
  readonly nBins: number;
  /** Simulations run so far. */
  simulations = 0;
  private readonly cache = new Map<string, Bulk>();
  private readonly raw = new Map<string, NativeChannels>();
  private readonly derived = new Map<string, MxrfSimulator>();
  /** The simulator's FWHM at Mn Kα (eV): the width of the simulated lines. */
  readonly nativeFwhmEv: number;
  private readonly factors: Float64Array;
  private readonly mu: Float64Array;
  private readonly ltScale: Float64Array;

  constructor(
    private readonly sim: MxrfSimulator,
    readonly grid: ComparisonGrid,
    readonly depthsUm: Float64Array,
    liveTimesS: ArrayLike<number>,
    readonly elements: readonly string[],
    private readonly matrixA: Readonly<Record<string, number>>,
    private readonly matrixB: Readonly<Record<string, number>>,
  ) {
    this.nEl = elements.length;
    this.nP = this.nEl + N_GEOMETRY;
    this.nSteps = depthsUm.length;
    this.nBins = grid.energyKeV.length;
    this.factors = new Float64Array(this.nSteps * this.nBins);
    this.mu = new Float64Array(this.nBins);
    this.ltScale = new Float64Array(this.nSteps);
    this.nativeFwhmEv = sim.instrument.detector.fwhmAtMnKaEv;
    for (let j = 0; j < this.nSteps; j++)
      this.ltScale[j] = liveTimesS[j] / sim.instrument.liveTimeS;
  }

  /**
   * The excitation optic's band-pass (centre, width in keV) at θ, the centre held within
   * [OPTIC_CENTRE_MIN_KEV, OPTIC_CENTRE_MAX_KEV] (a nearly flat band-pass can put it anywhere).
   */
  opticOf(theta: ArrayLike<number>): { centreKeV: number; widthKeV: number } {
    const o = this.sim.instrument.excitationOptic;
    const b = opticFromLogCoefficients(
      o.centreKeV,
      o.widthKeV,
      theta[this.nEl + P_OC],
      theta[this.nEl + P_OW],
    );
    b.centreKeV = Math.min(Math.max(b.centreKeV, OPTIC_CENTRE_MIN_KEV), OPTIC_CENTRE_MAX_KEV);
    return b;
  }

  /** Whether parameter i changes the bulk spectrum (needs a simulation). */
  simulated(i: number): boolean {
    return i < this.nEl || i >= this.nEl + P_MIX;
  }

  /** Whether parameter i only changes the detector response (no new simulation). */
  detector(i: number): boolean {
    return i >= this.nEl + P_DOFF && i <= this.nEl + P_DFWHM;
  }

  /**
   * The simulator for the instrument parameters of θ: the prepared one at its own values, else
   * a derived one (cached, a few).
   */
  private simulatorFor(theta: ArrayLike<number>): MxrfSimulator {
    const nEl = this.nEl;
    const inst = this.sim.instrument;
    const ppr = theta[nEl + P_PPR];
    if (
      theta[nEl + P_OC] === 0 &&
      theta[nEl + P_OW] === 0 &&
      ppr === inst.detector.pulsePairResolutionUs
    )
      return this.sim;
    const { centreKeV: centre, widthKeV: width } = this.opticOf(theta);
    const key = `${centre},${width},${ppr}`;
    let d = this.derived.get(key);
    if (!d) {
      d = this.sim.derive({
        excitationOptic: { centreKeV: centre, widthKeV: width },
        pulsePairResolutionUs: ppr,
      });
      if (this.derived.size >= 8) this.derived.delete(this.derived.keys().next().value as string);
      this.derived.set(key, d);
    }
    return d;
  }

  /** Light-matrix composition at mixing fraction t. */
  matrix(t: number): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [el, f] of Object.entries(this.matrixA)) out[el] = (1 - t) * f;
    for (const [el, f] of Object.entries(this.matrixB)) out[el] = (out[el] ?? 0) + t * f;
    return out;
  }

  /** Composition record (fitted elements plus the scaled matrix). */
  composition(theta: ArrayLike<number>): Record<string, number> {
    const w = fractionsFromLogRatios(theta, this.nEl);
    const out: Record<string, number> = {};
    for (const [el, f] of Object.entries(this.matrix(theta[this.nEl + P_MIX])))
      if (f > 0) out[el] = f * w[this.nEl];
    for (let a = 0; a < this.nEl; a++) out[this.elements[a]] = (out[this.elements[a]] ?? 0) + w[a];
    return out;
  }

  /** Bulk spectrum of the composition and detector response of θ (cached). */
  bulk(theta: ArrayLike<number>): Bulk {
    const nEl = this.nEl;
    let key = `${theta[nEl + P_MIX]};${theta[nEl + P_OC]},${theta[nEl + P_OW]},${theta[nEl + P_PPR]};`;
    for (let a = 0; a < nEl; a++) key += `,${theta[a]}`;
    const full = `${key}|${theta[nEl + P_DOFF]},${theta[nEl + P_DGAIN]},${theta[nEl + P_DFWHM]}`;
    const hit = this.cache.get(full);
    if (hit) return hit;
    let native = this.raw.get(key);
    if (!native) {
      const sim = this.simulatorFor(theta);
      const spectrum = sim.simulate({
        composition: this.composition(theta),
        densityGPerCm3: 1,
      });
      this.simulations++;
      const n = spectrum.counts.length;
      // The fitted optic changes the shape of the excitation at a fixed photon number: the
      // spectrum is divided by the photons' ratio to the instrument's, so that tA alone carries
      // the intensity scale.
      const norm =
        sim === this.sim ? 1 : this.sim.excitationPhotonsPerS / sim.excitationPhotonsPerS;
      const phi0 = new Float64Array(n);
      const muInWeighted = new Float64Array(n);
      for (let c = 0; c < n; c++) {
        phi0[c] = spectrum.counts[c] * norm;
        muInWeighted[c] = phi0[c] * spectrum.muInCm2PerG[c];
      }
      native = {
        phi0,
        muInWeighted,
        muOutCm2PerG: Float64Array.from(spectrum.muOutCm2PerG),
        inPerUm:
          (spectrum.densityGPerCm3 * CM_PER_UM) / Math.sin((spectrum.incidenceDeg * Math.PI) / 180),
        outPerUm:
          (spectrum.densityGPerCm3 * CM_PER_UM) / Math.sin((spectrum.exitDeg * Math.PI) / 180),
        calibration: { ...spectrum.calibration },
      };
      if (this.raw.size >= 8) this.raw.delete(this.raw.keys().next().value as string);
      this.raw.set(key, native);
    }
    const b = renderDetector(
      native,
      this.grid.calibration,
      theta[nEl + P_DOFF],
      theta[nEl + P_DGAIN],
      theta[nEl + P_DFWHM] ** 2 - this.nativeFwhmEv ** 2,
    );
    if (this.cache.size >= 16) this.cache.delete(this.cache.keys().next().value as string);
    this.cache.set(full, b);
    return b;
  }

  /**
   * Expected counts f (row-major `[step][bin]`, not floored) at θ into `out`; leaves the
   * confocal factors of θ in the model for {@link ForwardModel.accumulate}.
   */
  evaluate(theta: ArrayLike<number>, bulk: Bulk, out: Float64Array): Float64Array {
    const nEl = this.nEl;
    const rho = Math.exp(theta[nEl + P_RHO]);
    for (let c = 0; c < this.nBins; c++) this.mu[c] = rho * bulk.kPerUm[c];
    confocalProfileFactors(this.mu, this.grid.energyKeV, setupOf(theta, nEl), theta[nEl + P_X0], {
      depthsUm: this.depthsUm,
      out: this.factors,
    });
    const nb = this.nBins;
    for (let j = 0; j < this.nSteps; j++) {
      const s = this.ltScale[j];
      const o = j * nb;
      for (let c = 0; c < nb; c++) out[o + c] = bulk.phi0[c] * this.factors[o + c] * s;
    }
    return out;
  }

  /**
   * Columns of the simulated parameters by one-sided differences (step h in θ, backwards where
   * the mixing fraction would leave [0, 1]): per parameter, ΔΦ0/h and (Δk/k)/h per bin.
   */
  compositionColumns(
    theta: Float64Array,
    bulk: Bulk,
    simulatedFree: readonly number[],
  ): { dPhi0: Float64Array[]; dLnK: Float64Array[] } {
    const dPhi0: Float64Array[] = [];
    const dLnK: Float64Array[] = [];
    for (const a of simulatedFree) {
      const t = Float64Array.from(theta);
      let h = DETECTOR_STEP[a - this.nEl] ?? 0.01;
      if (a === this.nEl + P_MIX && t[a] + h > 1) h = -h;
      t[a] += h;
      const b = this.bulk(t);
      const dp = new Float64Array(this.nBins);
      const dk = new Float64Array(this.nBins);
      for (let c = 0; c < this.nBins; c++) {
        dp[c] = (b.phi0[c] - bulk.phi0[c]) / h;
        dk[c] = bulk.kPerUm[c] > 0 ? (b.kPerUm[c] / bulk.kPerUm[c] - 1) / h : 0;
      }
      dPhi0.push(dp);
      dLnK.push(dk);
    }
    return { dPhi0, dLnK };
  }

  /**
   * Fisher matrix H = Σ ∂f ∂fᵀ / f and half-gradient g = Σ (1 − m/f) ∂f of the deviance over
   * the free parameters `free` (indices into θ), at the θ of the last
   * {@link ForwardModel.evaluate} whose expected counts are `f`.
   *
   * A simulated parameter's derivative at (step j, bin c) is A(c)·α_j + B(c)·β_j with
   * A = ΔΦ0/h, B = (Δk/k)/h, α_j = F(j, c)·t_j/t_sim and β_j = f·∂ln f/∂ln μ: per bin, its
   * blocks of H need only the sums over steps of w·α², w·αβ, w·β² (w = 1/f) and of w·α, w·β
   * times the geometry derivatives, so the per-value work is that of the (at most eight)
   * geometry parameters alone.
   */
  accumulate(
    theta: Float64Array,
    bulk: Bulk,
    f: Float64Array,
    measured: Float64Array,
    free: readonly number[],
    columns: { dPhi0: Float64Array[]; dLnK: Float64Array[] } | undefined,
  ): { h: Float64Array; g: Float64Array } {
    const nEl = this.nEl;
    const n = free.length;
    const h = new Float64Array(n * n);
    const g = new Float64Array(n);
    const setup = setupOf(theta, nEl);
    const rho = Math.exp(theta[nEl + P_RHO]);
    const x0 = theta[nEl + P_X0];
    const nb = this.nBins;
    const nSteps = this.nSteps;
    const E = this.grid.energyKeV;
    // Free geometry parameters (P_RHO … P_SOFF): their positions in `free` and geometry index.
    const geoPos: number[] = [];
    const geoIdx: number[] = [];
    // Free simulated parameters with columns: positions in `free` and column index.
    const simPos: number[] = [];
    const simCol: number[] = [];
    let nCols = 0;
    for (let p = 0; p < n; p++) {
      const i = free[p];
      if (columns && this.simulated(i)) {
        simPos.push(p);
        simCol.push(nCols++);
      } else if (i >= nEl + P_RHO && i <= nEl + P_SOFF) {
        geoPos.push(p);
        geoIdx.push(i - nEl);
      }
    }
    const ng = geoPos.length;
    const ns = simPos.length;
    const geo = new Float64Array(P_SOFF + 1);
    const sel = new Float64Array(ng);
    // Per-bin sums over the steps (see above).
    const wa = new Float64Array(ng);
    const wb = new Float64Array(ng);
    const SQRT2 = Math.SQRT2;
    const C = 2 / Math.sqrt(2 * Math.PI);
    for (let c = 0; c < nb; c++) {
      const e = E[c];
      const decay = Math.exp(-setup.sigmaExpPerKeV * e);
      const sigma = setup.sigmaMaxUm * decay + setup.sigmaOffUm;
      const mu = rho * bulk.kPerUm[c];
      const dE = e - setup.tM;
      const dTm = dE / (setup.tB * setup.tB);
      const dTb = dE * dTm;
      let saa = 0;
      let sab = 0;
      let sbb = 0;
      let ga = 0;
      let gb = 0;
      wa.fill(0);
      wb.fill(0);
      for (let j = 0; j < nSteps; j++) {
        const idx = j * nb + c;
        const fi = f[idx];
        if (!(fi > COUNT_FLOOR)) continue;
        const z = this.depthsUm[j] - x0;
        const u = (mu * sigma * sigma - z) / (SQRT2 * sigma);
        const ex = erfcx(u);
        const r = ex === Infinity ? 0 : C / (sigma * ex);
        const dSigma = mu * mu * sigma - r * (mu * sigma + z / sigma);
        const lMu = 1 + mu * (mu * sigma * sigma - z) - mu * sigma * sigma * r;
        const w = 1 / fi;
        const gr = 1 - measured[idx] * w;
        if (ng > 0) {
          geo[P_RHO] = fi * lMu;
          geo[P_X0] = fi * (mu - r);
          geo[P_TA] = fi;
          geo[P_TB] = fi * dTb;
          geo[P_TM] = fi * dTm;
          geo[P_SMAX] = fi * dSigma * decay;
          geo[P_SEXP] = -fi * dSigma * e * setup.sigmaMaxUm * decay;
          geo[P_SOFF] = fi * dSigma;
          for (let p = 0; p < ng; p++) sel[p] = geo[geoIdx[p]];
          for (let p = 0; p < ng; p++) {
            const sp = sel[p];
            if (sp === 0) continue;
            const pp = geoPos[p];
            g[pp] += gr * sp;
            const swp = sp * w;
            const o = pp * n;
            for (let q = 0; q <= p; q++) h[o + geoPos[q]] += swp * sel[q];
          }
        }
        if (ns > 0) {
          const a = this.factors[idx] * this.ltScale[j];
          const b = fi * lMu;
          const aw = a * w;
          const bw = b * w;
          saa += aw * a;
          sab += aw * b;
          sbb += bw * b;
          ga += gr * a;
          gb += gr * b;
          for (let p = 0; p < ng; p++) {
            wa[p] += aw * sel[p];
            wb[p] += bw * sel[p];
          }
        }
      }
      if (ns === 0 || (saa === 0 && sbb === 0)) continue;
      const cols = columns as Columns;
      for (let k = 0; k < ns; k++) {
        const ak = cols.dPhi0[simCol[k]][c];
        const bk = cols.dLnK[simCol[k]][c];
        const pk = simPos[k];
        g[pk] += ak * ga + bk * gb;
        // Simulated × simulated, lower triangle in `free` order.
        for (let l = 0; l < ns; l++) {
          const pl = simPos[l];
          if (pl > pk) continue;
          const al = cols.dPhi0[simCol[l]][c];
          const bl = cols.dLnK[simCol[l]][c];
          h[pk * n + pl] += saa * ak * al + sab * (ak * bl + bk * al) + sbb * bk * bl;
        }
        // Simulated × geometry.
        for (let p = 0; p < ng; p++) {
          const v = ak * wa[p] + bk * wb[p];
          const pp = geoPos[p];
          if (pp < pk) h[pk * n + pp] += v;
          else h[pp * n + pk] += v;
        }
      }
    }
    for (let p = 0; p < n; p++) for (let q = 0; q < p; q++) h[q * n + p] = h[p * n + q];
    return { h, g };
  }
}

/** A simulated bulk spectrum on the simulator's channels, before the detector response. */
interface NativeChannels {
  phi0: Float64Array;
  /** Φ0 · μ_in per channel (the incident attenuation belongs to the photons). */
  muInWeighted: Float64Array;
  /** Sample attenuation at the channel energy (cm²/g). */
  muOutCm2PerG: Float64Array;
  /** ρ·(1e-4 cm/µm)/sin ψ1 and /sin ψ2: μ (cm²/g) to 1/µm along each path. */
  inPerUm: number;
  outPerUm: number;
  calibration: EnergyCalibration;
}

/**
 * Applies a change of the detector response to a simulated spectrum and rebins it onto the
 * comparison grid: the resolution change Δ(FWHM²) is the same at every energy when only the
 * electronic-noise term changes (FWHM² = FWHM_noise² + (2.355)²·ε·F·E), so it is a convolution
 * with one Gaussian of variance Δ(FWHM²)/(8 ln 2) for a wider response; a narrower one (negative
 * Δ) uses the second-order heat-equation step Φ − (|Δσ²|/2)·Φ″, floored at 0. The calibration
 * change relabels the simulator's channels: E → E·(1 + gain) + offset.
 */
function renderDetector(
  nat: NativeChannels,
  grid: EnergyCalibration,
  offsetKeV: number,
  gainRelative: number,
  deltaFwhm2Ev2: number,
): Bulk {
  const n = nat.phi0.length;
  const gKeV = nat.calibration.gainKeVPerChannel;
  const varCh = deltaFwhm2Ev2 / FWHM2_PER_SIGMA2 / (gKeV * 1000) ** 2;
  const a = smooth(nat.phi0, varCh);
  const b = smooth(nat.muInWeighted, varCh);
  for (let c = 0; c < n; c++) {
    if (a[c] < 0) a[c] = 0;
    if (b[c] < 0) b[c] = 0;
  }
  const from: EnergyCalibration = {
    offsetKeV: nat.calibration.offsetKeV * (1 + gainRelative) + offsetKeV,
    gainKeVPerChannel: gKeV * (1 + gainRelative),
    nChannels: n,
  };
  const m = grid.nChannels;
  const phi0 = new Float64Array(m);
  const wIn = new Float64Array(m);
  const muOut = new Float64Array(m);
  const ones = new Float64Array(m);
  // One plan for the four arrays (same calibrations).
  const plan = rebinPlan(from, grid);
  applyEnergyRebin(plan, a, 0, phi0, 0);
  applyEnergyRebin(plan, b, 0, wIn, 0);
  applyEnergyRebin(plan, nat.muOutCm2PerG, 0, muOut, 0);
  applyEnergyRebin(plan, new Float64Array(n).fill(1), 0, ones, 0);
  const kPerUm = new Float64Array(m);
  for (let k = 0; k < m; k++) {
    const mOut = ones[k] > 0 ? muOut[k] / ones[k] : 0;
    const mIn = phi0[k] > 0 ? wIn[k] / phi0[k] : mOut;
    kPerUm[k] = mIn * nat.inPerUm + mOut * nat.outPerUm;
  }
  return { phi0, kPerUm };
}

/** Gaussian smoothing with variance `varCh` (channels²); a negative variance sharpens. */
function smooth(x: Float64Array, varCh: number): Float64Array {
  const n = x.length;
  const out = new Float64Array(n);
  if (Math.abs(varCh) < 1e-9) {
    out.set(x);
    return out;
  }
  if (varCh < 0) {
    const h = -varCh / 2;
    for (let c = 0; c < n; c++) {
      const l = x[c > 0 ? c - 1 : c];
      const r = x[c < n - 1 ? c + 1 : c];
      out[c] = x[c] - h * (l - 2 * x[c] + r);
    }
    return out;
  }
  const sd = Math.sqrt(varCh);
  const half = Math.max(1, Math.ceil(4 * sd));
  const kernel = new Float64Array(2 * half + 1);
  let sum = 0;
  for (let i = -half; i <= half; i++) sum += kernel[i + half] = Math.exp(-(i * i) / (2 * varCh));
  for (let i = 0; i < kernel.length; i++) kernel[i] /= sum;
  for (let c = 0; c < n; c++) {
    const v = x[c];
    if (v === 0) continue;
    const lo = Math.max(0, c - half);
    const hi = Math.min(n - 1, c + half);
    for (let d = lo; d <= hi; d++) out[d] += v * kernel[d - c + half];
  }
  return out;
}
