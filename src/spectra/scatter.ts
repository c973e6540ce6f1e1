/**
 * Single scatter of the excitation towards the detector: Rayleigh at the incident energy E and
 * Compton at E′ = E / (1 + (E/m_e c²)(1 − cos θ)) for the instrument's scattering angle θ, with
 * the differential cross sections at θ (Rayleigh: Thomson × F²(x, Z); Compton: Klein–Nishina ×
 * S(x, Z)). Tube lines: Rayleigh peaks, and Compton lines with the Doppler shape of the sample's
 * Compton profiles (impulse approximation, ±2 keV window). Continuum bins are spread uniformly
 * over the channels they cover (Doppler broadening of the continuum neglected) and later pass the
 * continuum detector response.
 *
 *   N_scatter(E) = Ω_det t · N0(E) · (dσ/dΩ)(E, θ) / sin ψ1 / (μ(E)/sin ψ1 + μ(E_out)/sin ψ2)
 *
 * Also fluorescence excited by singly scattered photons ({@link scatterExcitedFluorescence}) and
 * multiple scatter in the background ({@link addDoubleScatter}).
 *
 * See docs/physics.md, "Scatter".
 *
 * @module
 */
import {
  atomicFormFactor,
  AVOGADRO_PER_MOL,
  comptonDopplerDensityGrid,
  comptonEnergyKeV,
  createEnergyGrid,
  createScatterGrid,
  crossSectionOnGrid,
  elementData,
  incoherentScatteringFunction,
  kleinNishinaDifferentialCm2PerSr,
  momentumTransferPerAngstrom,
  scatterOnGrid,
  shellVacancyFraction,
  thomsonDifferentialCm2PerSr,
} from '../physics/index.js';
import type { EnergyGrid, ResolvedMaterial, ScatterGrid, Shell } from '../physics/index.js';
import type { EnergyCalibration } from '../profile.js';
import type { Excitation } from './excitation.js';
import type { PeakList } from './detectorResponse.js';
import { materialOnGrid } from './gridSum.js';
import type { ElementPrep, ShellPrep } from './primaryFluorescence.js';

const DEG = Math.PI / 180;
/** Half-width of the channel window that receives a Doppler-broadened Compton line (keV). */
const DOPPLER_WINDOW_KEV = 2;

/** Per-instrument scatter tables. @internal */
export interface ScatterPrep {
  thetaDeg: number;
  /** Differential Rayleigh/Compton cross sections at θ on the excitation grid (per element). */
  dcs: ScatterGrid;
  /** Compton energy of every excitation energy. */
  comptonKeV: Float64Array;
  comptonGrid: EnergyGrid;
  /** Detection efficiency × air at E and at E′. */
  detectionE: Float64Array;
  detectionC: Float64Array;
  /** Channel ranges covered by each continuum bin's Rayleigh / Compton scatter. */
  rayLo: Int32Array;
  rayHi: Int32Array;
  comLo: Int32Array;
  comHi: Int32Array;
  /** Energy of the last channel (keV). */
  lastChannelKeV: number;
  /** Per tube line (index into the excitation): channel window of its Doppler-broadened line. */
  dopplerLo: Int32Array;
  dopplerHi: Int32Array;
  /** Channel energies of the windows (keV), per tube line. */
  dopplerE: (Float64Array | null)[];
  /** Per tube line and element: normalised Doppler density × channel width (cached). */
  dopplerCache: Map<number, Float64Array>[];
  gainKeV: number;
  /** Scratch (per excitation entry). */
  coh: Float64Array;
  inc: Float64Array;
  muComp: Float64Array;
  /** Scratch: the sample's Doppler density of one tube line's Compton line. */
  dopplerSum: Float64Array;
  /** Scratch: the elements' densities and weights that make it up. */
  dopplerTerms: Float64Array[];
  dopplerWeights: Float64Array;
}

/** Prepares the scatter tables for an excitation and calibration. @internal */
export function prepareScatter(
  exc: Excitation,
  thetaDeg: number,
  cal: EnergyCalibration,
  detectionAt: (energyKeV: number) => number,
): ScatterPrep {
  const n = exc.energyKeV.length;
  const comptonKeV = exc.energyKeV.map((e) => comptonEnergyKeV(e, thetaDeg));
  const g = cal.gainKeVPerChannel;
  const nCh = cal.nChannels;
  const chRange = (lo: number, hi: number): [number, number] => {
    let a = Math.ceil((lo - cal.offsetKeV) / g - 0.5);
    let b = Math.ceil((hi - cal.offsetKeV) / g - 0.5) - 1;
    if (b < a) a = b = Math.round(((lo + hi) / 2 - cal.offsetKeV) / g);
    return [Math.max(a, 0), Math.min(b, nCh - 1)];
  };
  const rayLo = new Int32Array(n);
  const rayHi = new Int32Array(n);
  const comLo = new Int32Array(n);
  const comHi = new Int32Array(n);
  for (let j = 0; j < n; j++) {
    const e = exc.energyKeV[j];
    const w = exc.binWidthKeV[j];
    [rayLo[j], rayHi[j]] = chRange(e - w / 2, e + w / 2);
    const de = 1e-3;
    const slope =
      (comptonEnergyKeV(e + de, thetaDeg) - comptonEnergyKeV(e - de, thetaDeg)) / (2 * de);
    const wc = w * slope;
    [comLo[j], comHi[j]] = chRange(comptonKeV[j] - wc / 2, comptonKeV[j] + wc / 2);
  }
  const dopplerLo = new Int32Array(n);
  const dopplerHi = new Int32Array(n);
  const dopplerE: (Float64Array | null)[] = [];
  const dopplerCache: Map<number, Float64Array>[] = [];
  for (let j = 0; j < n; j++) {
    dopplerCache.push(new Map());
    if (!exc.isLine[j]) {
      dopplerE.push(null);
      continue;
    }
    const [lo] = chRange(comptonKeV[j] - DOPPLER_WINDOW_KEV, comptonKeV[j] - DOPPLER_WINDOW_KEV);
    const [hi] = chRange(
      Math.min(comptonKeV[j] + DOPPLER_WINDOW_KEV, exc.energyKeV[j]),
      Math.min(comptonKeV[j] + DOPPLER_WINDOW_KEV, exc.energyKeV[j]),
    );
    dopplerLo[j] = lo;
    dopplerHi[j] = hi;
    dopplerE.push(
      Float64Array.from({ length: hi - lo + 1 }, (_, i) => cal.offsetKeV + g * (lo + i)),
    );
  }
  return {
    thetaDeg,
    dcs: createScatterGrid(exc.energyKeV, thetaDeg * DEG),
    dopplerLo,
    dopplerHi,
    dopplerE,
    dopplerCache,
    gainKeV: g,
    comptonKeV,
    comptonGrid: createEnergyGrid(comptonKeV),
    detectionE: exc.energyKeV.map(detectionAt),
    detectionC: comptonKeV.map(detectionAt),
    rayLo,
    rayHi,
    comLo,
    comHi,
    lastChannelKeV: cal.offsetKeV + g * (nCh - 1),
    coh: new Float64Array(n),
    inc: new Float64Array(n),
    muComp: new Float64Array(n),
    dopplerSum: new Float64Array(0),
    dopplerTerms: [],
    dopplerWeights: new Float64Array(0),
  };
}

/** Smooth (continuum) arrival spectrum on the channel grid, with a μ_in-weighted copy. @internal */
export interface Arrival {
  counts: Float64Array;
  weighted: Float64Array;
}

/**
 * Adds the single scatter of the excitation: tube lines to `peaks`, continuum bins to
 * `arrival`. Returns the total scattered counts of the continuum.
 * @param mu0 - Sample attenuation on the excitation grid (cm²/g).
 * @param aExc - mu0 / sin ψ1.
 * @param gScatter - Ω_det · live time (sr · s).
 * @internal
 */
export function addSingleScatter(
  sp: ScatterPrep,
  exc: Excitation,
  material: ResolvedMaterial,
  mu0: Float64Array,
  aExc: Float64Array,
  sin1: number,
  sin2: number,
  gScatter: number,
  dopplerFraction: number,
  peaks: PeakList,
  arrival: Arrival,
): number {
  const { coh, inc, muComp, comptonKeV } = sp;
  scatterOnGrid(sp.dcs, material, 'rayleigh', coh);
  scatterOnGrid(sp.dcs, material, 'compton', inc);
  materialOnGrid(sp.comptonGrid, material, 'total', muComp);
  let total = 0;
  const n = exc.energyKeV.length;
  for (let j = 0; j < n; j++) {
    const n0 = exc.photonsPerS[j];
    if (n0 === 0) continue;
    const f = (gScatter * n0) / sin1;
    const ray = (f * coh[j] * sp.detectionE[j]) / (aExc[j] + mu0[j] / sin2);
    const com = (f * inc[j] * sp.detectionC[j]) / (aExc[j] + muComp[j] / sin2);
    if (exc.isLine[j]) {
      peaks.push(exc.energyKeV[j], ray, mu0[j], 0);
      addDopplerLine(
        sp,
        j,
        exc.energyKeV[j],
        material,
        com,
        mu0[j],
        arrival,
        dopplerFraction,
        peaks,
      );
    } else {
      total += ray + com;
      if (exc.energyKeV[j] - exc.binWidthKeV[j] / 2 < sp.lastChannelKeV) {
        spread(arrival, sp.rayLo[j], sp.rayHi[j], ray, mu0[j]);
      }
      if (comptonKeV[j] < sp.lastChannelKeV) spread(arrival, sp.comLo[j], sp.comHi[j], com, mu0[j]);
    }
  }
  return total;
}

/**
 * Adds the Compton line of tube line j (`counts` detected photons) with the sample's Doppler
 * shape: Σ_i c_i p_i(E′) / Σ c_i, c_i = w_i dσ_C,i/dΩ, p_i each element's normalised density
 * (cached per element). Counts falling outside the ±2 keV window are dropped (< 1 % for K lines
 * of tube anodes at θ ≥ 60°). With `dopplerFraction` < 0 the legacy Gaussian of
 * |dopplerFraction|·E′ is used instead.
 */
function addDopplerLine(
  sp: ScatterPrep,
  j: number,
  energyKeV: number,
  material: ResolvedMaterial,
  counts: number,
  muIn: number,
  arrival: Arrival,
  dopplerFraction: number,
  peaks: PeakList,
): void {
  const eW = sp.dopplerE[j];
  if (!(counts > 0)) return;
  if (eW === null || dopplerFraction < 0) {
    peaks.push(sp.comptonKeV[j], counts, muIn, Math.abs(dopplerFraction) * sp.comptonKeV[j]);
    return;
  }
  const cache = sp.dopplerCache[j];
  const lo = sp.dopplerLo[j];
  let wSum = 0;
  for (let k = 0; k < material.z.length; k++) {
    wSum += material.massFraction[k] * sp.dcs.element(material.z[k], 'compton')[j];
  }
  if (!(wSum > 0)) return;
  // The sample's density Σ c_i p_i first, then one pass into both arrival spectra.
  const len = eW.length;
  if (sp.dopplerSum.length < len) sp.dopplerSum = new Float64Array(len);
  const sum = sp.dopplerSum;
  sum.fill(0, 0, len);
  // The contributing elements (c > 0) in order, then their sum four per pass (the same
  // additions in the same order as one element at a time).
  const nz = material.z.length;
  if (sp.dopplerWeights.length < nz) sp.dopplerWeights = new Float64Array(nz);
  const dens = sp.dopplerTerms;
  const cs = sp.dopplerWeights;
  let nTerms = 0;
  for (let k = 0; k < material.z.length; k++) {
    const z = material.z[k];
    const c = (material.massFraction[k] * sp.dcs.element(z, 'compton')[j]) / wSum;
    if (!(c > 0)) continue;
    let d = cache.get(z);
    if (d === undefined) {
      d = comptonDopplerDensityGrid(z, energyKeV, sp.thetaDeg * DEG, eW);
      for (let i = 0; i < d.length; i++) d[i] *= sp.gainKeV;
      cache.set(z, d);
    }
    dens[nTerms] = d;
    cs[nTerms++] = c;
  }
  if (nTerms === 0) return;
  const w = cs;
  let t = 0;
  // Every density has `len` values (one per channel of the window).
  for (; t + 3 < nTerms; t += 4) {
    const d0 = dens[t];
    const d1 = dens[t + 1];
    const d2 = dens[t + 2];
    const d3 = dens[t + 3];
    const c0 = w[t];
    const c1 = w[t + 1];
    const c2 = w[t + 2];
    const c3 = w[t + 3];
    for (let i = 0; i < len; i++)
      sum[i] = sum[i] + c0 * d0[i] + c1 * d1[i] + c2 * d2[i] + c3 * d3[i];
  }
  for (; t < nTerms; t++) {
    const d = dens[t];
    const c = w[t];
    for (let i = 0; i < len; i++) sum[i] += c * d[i];
  }
  const vw = counts * muIn;
  for (let i = 0; i < len; i++) {
    arrival.counts[lo + i] += counts * sum[i];
    arrival.weighted[lo + i] += vw * sum[i];
  }
}

function spread(arrival: Arrival, lo: number, hi: number, c: number, muIn: number): void {
  if (!(c > 0)) return;
  const v = c / (hi - lo + 1);
  const vw = v * muIn;
  for (let ch = lo; ch <= hi; ch++) {
    arrival.counts[ch] += v;
    arrival.weighted[ch] += vw;
  }
}

/**
 * Direction-cosine bin edges of either hemisphere for the scatter-excited fluorescence: |cos|
 * of the angle between a scattered photon's direction and the surface normal. Finer near 0,
 * where the re-absorption kernel 1/(μ + c|u|) varies fastest.
 */
const U_EDGES = Float64Array.of(0, 0.03, 0.09, 0.18, 0.3, 0.45, 0.62, 0.8, 1);
const NU = U_EDGES.length - 1;
/**
 * Two-point Gauss–Legendre nodes of each bin: the kernel's mean over bins 1… going into the
 * sample (|u| ratio within a bin ≤ 3, error < 1 % of the bin), exact logarithm in bin 0.
 */
const GAUSS_A = Float64Array.from({ length: NU }, (_, j) => {
  const mid = (U_EDGES[j] + U_EDGES[j + 1]) / 2;
  return mid - (U_EDGES[j + 1] - U_EDGES[j]) / 2 / Math.sqrt(3);
});
const GAUSS_B = Float64Array.from({ length: NU }, (_, j) => {
  const mid = (U_EDGES[j] + U_EDGES[j + 1]) / 2;
  return mid + (U_EDGES[j + 1] - U_EDGES[j]) / 2 / Math.sqrt(3);
});
/** Direction bins: 0…NU−1 going into the sample, NU…2NU−1 going out. */
const NB = 2 * NU;
/** Scattering-angle bins (uniform in θ, 1.5°) of the angular tables. */
const N_THETA = 120;
/** Scattering-angle bins (15°) at whose centres the Compton energy and τ are evaluated. */
const N_THETA_E = 12;
/** Sub-steps per direction-cosine bin when integrating the solid angle of each θ bin. */
const U_SUB = 48;

/** Per element: scatter cross sections integrated over each direction bin (cm²/g). */
interface DirectionalElement {
  rayleigh: Float64Array;
  compton: Float64Array;
}

/** Scratch and per-instrument tables of the second-order scatter terms. @internal */
export interface SecondOrderPrep {
  muC: Float64Array;
  /**
   * Solid angle (sr) of the directions in direction bin h (see {@link NB}) whose scattering
   * angle lies in θ bin m, at [h · N_THETA + m], for the instrument's incidence angle.
   */
  solidAngle: Float64Array;
  /** One scatter grid per θ bin (its centre) on the coarse excitation energies. */
  thetaGrids: ScatterGrid[];
  /** Compton energy of coarse group k at the centre of the 15° bin c, at [k · N_THETA_E + c]. */
  comptonKeVByAngle: Float64Array;
  comptonByAngleGrid: EnergyGrid;
  /**
   * Normalised weight of the 15° bin c among the Compton photons of group k in direction bin
   * h, at [(k · NB + h) · N_THETA_E + c] (solid angle × Klein–Nishina × S(x) of oxygen).
   */
  comptonAngleWeight: Float64Array;
  /** Mean Compton energy per group and direction bin, at [k · NB + h], and its memo grid. */
  comptonMeanKeV: Float64Array;
  comptonMeanGrid: EnergyGrid;
  /** Per element (lazy). */
  directional: Map<number, DirectionalElement>;
  /**
   * Per fluorescing shell (lazy, keyed by the shell's `prodExc`, which reweighted copies of the
   * shell share): τ averaged over the Compton energies of each direction bin.
   */
  comptonTau: Map<Float64Array, Float64Array>;
  /** Per-sample scratch, [k · NB + h] unless noted. */
  ray: Float64Array;
  com: Float64Array;
  muDir: Float64Array;
  /** Outgoing part of the Rayleigh term per group, [k]; of the Compton term, [k · NU + j]. */
  upRay: Float64Array;
  upCom: Float64Array;
  /** Scratch: b · GAUSS_A[j] and b · GAUSS_B[j] of the shell being summed. */
  gaussA: Float64Array;
  gaussB: Float64Array;
  /** Tables of the directional double scatter. */
  double: DoubleScatterPrep;
  /** Tables and scratch of the isotropic double scatter. */
  isotropic: IsotropicDoubleScatterPrep;
}

/** Per-instrument tables and scratch of {@link addIsotropicDoubleScatter}. @internal */
export interface IsotropicDoubleScatterPrep {
  muC: Float64Array;
  muCC: Float64Array;
  coh: Float64Array;
  inc: Float64Array;
  cohCC: Float64Array;
  incCC: Float64Array;
  /** Detection efficiency × air at the coarse energies and their 90° Compton energies. */
  detC: Float64Array;
  detCC: Float64Array;
  /** Channel ranges receiving the double scatter of each coarse group (E and E′). */
  loR: Int32Array;
  hiR: Int32Array;
  loC: Int32Array;
  hiC: Int32Array;
}

function prepareIsotropicDoubleScatter(
  exc: Excitation,
  cal: EnergyCalibration,
  detectionAt: (energyKeV: number) => number,
): IsotropicDoubleScatterPrep {
  const n = exc.coarseEnergyKeV.length;
  const g = cal.gainKeVPerChannel;
  const ch = (e: number) =>
    Math.min(Math.max(Math.round((e - cal.offsetKeV) / g), 0), cal.nChannels - 1);
  const loR = new Int32Array(n);
  const hiR = new Int32Array(n);
  const loC = new Int32Array(n);
  const hiC = new Int32Array(n);
  for (let k = 0; k < n; k++) {
    // Spread over the group's energy range, at least ±0.4 keV (angular spread of the shifts).
    const e = exc.coarseEnergyKeV[k];
    const lo = Math.min(exc.coarseLoKeV[k], e - 0.4);
    const hi = Math.max(exc.coarseHiKeV[k], e + 0.4);
    loR[k] = ch(lo);
    hiR[k] = ch(hi);
    const f = exc.coarseComptonKeV[k] / e;
    loC[k] = ch(lo * f);
    hiC[k] = ch(hi * f);
  }
  const a = () => new Float64Array(n);
  return {
    muC: a(),
    muCC: a(),
    coh: a(),
    inc: a(),
    cohCC: a(),
    incCC: a(),
    detC: exc.coarseEnergyKeV.map(detectionAt),
    detCC: exc.coarseComptonKeV.map(detectionAt),
    loR,
    hiR,
    loC,
    hiC,
  };
}

/**
 * Solid angle of each (direction-cosine bin, scattering-angle bin) pair for photons incident at
 * ψ1 below the surface. With the normal into the sample as z and the incident direction
 * (cos ψ1, 0, sin ψ1), a direction (√(1−u²) cos φ, √(1−u²) sin φ, u) has
 * cos θ = cos ψ1 √(1−u²) cos φ + sin ψ1 u, so the azimuth range with cos θ ≥ c is
 * 2 arccos((c − sin ψ1 u)/(cos ψ1 √(1−u²))) in closed form; u is integrated by the midpoint rule.
 */
function directionSolidAngles(sin1: number): Float64Array {
  const cos1 = Math.sqrt(Math.max(1 - sin1 * sin1, 0));
  const out = new Float64Array(NB * N_THETA);
  const cosEdge = Float64Array.from({ length: N_THETA + 1 }, (_, m) =>
    Math.cos((m * Math.PI) / N_THETA),
  );
  const phi = new Float64Array(N_THETA + 1);
  for (let h = 0; h < NB; h++) {
    const j = h % NU;
    const sign = h < NU ? 1 : -1;
    const du = (U_EDGES[j + 1] - U_EDGES[j]) / U_SUB;
    for (let s = 0; s < U_SUB; s++) {
      const u = sign * (U_EDGES[j] + (s + 0.5) * du);
      const a = cos1 * Math.sqrt(1 - u * u);
      const b = sin1 * u;
      for (let m = 0; m <= N_THETA; m++) {
        const c = cosEdge[m];
        if (a < 1e-12) phi[m] = b >= c ? 2 * Math.PI : 0;
        else {
          const t = (c - b) / a;
          phi[m] = t <= -1 ? 2 * Math.PI : t >= 1 ? 0 : 2 * Math.acos(t);
        }
      }
      for (let m = 0; m < N_THETA; m++) out[h * N_THETA + m] += (phi[m + 1] - phi[m]) * du;
    }
  }
  return out;
}

/**
 * Prepares the second-order scatter tables for incidence at ψ1 and exit at ψ2 (sines `sin1`,
 * `sin2`; the exit angle defaults to the incidence angle). @internal
 */
export function prepareSecondOrder(
  exc: Excitation,
  cal: EnergyCalibration,
  detectionAt: (energyKeV: number) => number,
  sin1: number,
  sin2: number = sin1,
): SecondOrderPrep {
  const n = exc.coarseEnergyKeV.length;
  const solidAngle = directionSolidAngles(sin1);
  const dTheta = Math.PI / N_THETA;
  const thetaGrids: ScatterGrid[] = [];
  for (let m = 0; m < N_THETA; m++) {
    thetaGrids.push(createScatterGrid(exc.coarseEnergyKeV, (m + 0.5) * dTheta));
  }
  // Compton energies by angle, and the weights of the 15° bins within each direction bin.
  const perE = N_THETA / N_THETA_E;
  const comptonKeVByAngle = new Float64Array(n * N_THETA_E);
  const comptonAngleWeight = new Float64Array(n * NB * N_THETA_E);
  const comptonMeanKeV = new Float64Array(n * NB);
  const kn = new Float64Array(N_THETA);
  const eFine = new Float64Array(N_THETA);
  for (let k = 0; k < n; k++) {
    const e = exc.coarseEnergyKeV[k];
    for (let c = 0; c < N_THETA_E; c++) {
      comptonKeVByAngle[k * N_THETA_E + c] = comptonEnergyKeV(e, ((c + 0.5) * 180) / N_THETA_E);
    }
    for (let m = 0; m < N_THETA; m++) {
      const th = (m + 0.5) * dTheta;
      kn[m] =
        kleinNishinaDifferentialCm2PerSr(e, th) *
        incoherentScatteringFunction(8, momentumTransferPerAngstrom(e, th));
      eFine[m] = comptonEnergyKeV(e, (th * 180) / Math.PI);
    }
    for (let h = 0; h < NB; h++) {
      const row = (k * NB + h) * N_THETA_E;
      let sum = 0;
      let sumE = 0;
      for (let m = 0; m < N_THETA; m++) {
        const wgt = solidAngle[h * N_THETA + m] * kn[m];
        comptonAngleWeight[row + Math.floor(m / perE)] += wgt;
        sum += wgt;
        sumE += wgt * eFine[m];
      }
      for (let c = 0; c < N_THETA_E; c++) comptonAngleWeight[row + c] /= sum;
      comptonMeanKeV[k * NB + h] = sumE / sum;
    }
  }
  const a = () => new Float64Array(n);
  return {
    muC: a(),
    solidAngle,
    thetaGrids,
    comptonKeVByAngle,
    comptonByAngleGrid: createEnergyGrid(comptonKeVByAngle),
    comptonAngleWeight,
    comptonMeanKeV,
    comptonMeanGrid: createEnergyGrid(comptonMeanKeV),
    directional: new Map(),
    comptonTau: new Map(),
    ray: new Float64Array(n * NB),
    com: new Float64Array(n * NB),
    muDir: new Float64Array(n * NB),
    upRay: a(),
    upCom: new Float64Array(n * NU),
    gaussA: new Float64Array(NU),
    gaussB: new Float64Array(NU),
    double: prepareDoubleScatter(exc, cal, detectionAt, sin1, sin2),
    isotropic: prepareIsotropicDoubleScatter(exc, cal, detectionAt),
  };
}

/** Rayleigh and Compton cross sections of element z integrated over each direction bin. */
function directionalElement(so: SecondOrderPrep, z: number): DirectionalElement {
  let d = so.directional.get(z);
  if (d !== undefined) return d;
  const n = so.ray.length / NB;
  const rayleigh = new Float64Array(n * NB);
  const compton = new Float64Array(n * NB);
  for (let m = 0; m < N_THETA; m++) {
    const r = so.thetaGrids[m].element(z, 'rayleigh');
    const c = so.thetaGrids[m].element(z, 'compton');
    for (let h = 0; h < NB; h++) {
      const sa = so.solidAngle[h * N_THETA + m];
      if (sa === 0) continue;
      for (let k = 0; k < n; k++) {
        rayleigh[k * NB + h] += sa * r[k];
        compton[k * NB + h] += sa * c[k];
      }
    }
  }
  d = { rayleigh, compton };
  so.directional.set(z, d);
  return d;
}

/** τ of a shell averaged over the Compton energies of each (group, direction bin). */
function comptonTauOf(so: SecondOrderPrep, z: number, s: ShellPrep): Float64Array {
  let t = so.comptonTau.get(s.prodExc);
  if (t !== undefined) return t;
  const n = so.ray.length / NB;
  const photo = so.comptonByAngleGrid.element(z, 'photo');
  const eC = so.comptonKeVByAngle;
  const tau = new Float64Array(eC.length);
  for (let i = 0; i < eC.length; i++) {
    if (eC[i] > s.edgeKeV) tau[i] = photo[i] * shellVacancyFraction(z, s.shell as Shell, eC[i]);
  }
  t = new Float64Array(n * NB);
  const w = so.comptonAngleWeight;
  for (let k = 0; k < n; k++) {
    for (let h = 0; h < NB; h++) {
      const row = (k * NB + h) * N_THETA_E;
      let v = 0;
      for (let c = 0; c < N_THETA_E; c++) v += w[row + c] * tau[k * N_THETA_E + c];
      t[k * NB + h] = v;
    }
  }
  so.comptonTau.set(s.prodExc, t);
  return t;
}

/** A sample element with its prepared shells (see primaryFluorescence.ts). @internal */
interface ScatterTarget {
  p: ElementPrep;
}

/**
 * Fluorescence excited by singly scattered photons, per present element and shell, in the units
 * of the primary Sherman sum (multiply by G/sin ψ1 · w_a ω p ε like the primary yield).
 *
 * A photon of group k scattered at mass depth z into the direction with cosine u to the inward
 * normal (scattering angle θ, energy E′(θ) after Compton, E_k after Rayleigh) and absorbed by
 * shell s of element a after the path t emits towards the detector from z + u·t. The path and
 * depth integrals are closed (a_k = μ(E_k)/sin ψ1, b = μ(E_i)/sin ψ2, μ′ = μ(E′)):
 *
 *   V = Σ_k N0_k/(a_k + b) ∫ dΩ (dσ/dΩ)(E_k, θ) τ_a(E′) / (μ′ + c(u)),
 *   c(u) = b u going into the sample (u > 0), a_k |u| going out (u < 0);
 *
 * the directions are integrated in 2 × 8 bins of |u|, the kernel as its mean over each bin
 * (exactly, ln((μ′ + c u₂)/(μ′ + c u₁))/(c Δu), for the outgoing bins and the first ingoing
 * one; two-point Gauss–Legendre for the others) and the differential cross sections (form factors,
 * Klein–Nishina × S) as their solid-angle integral over the bin (per element and instrument,
 * 1.5° bins of θ). Compton photons use τ_a averaged over the bin's Compton energies (15° bins)
 * and μ at the bin's mean Compton energy.
 * @internal
 */
export function scatterExcitedFluorescence(
  so: SecondOrderPrep,
  exc: Excitation,
  material: ResolvedMaterial,
  present: ScatterTarget[],
  muLines: Float64Array,
  sin1: number,
  sin2: number,
): number[][] {
  const { muC, ray, com, muDir, upRay, upCom } = so;
  materialOnGrid(exc.coarseGrid, material, 'total', muC);
  materialOnGrid(so.comptonMeanGrid, material, 'total', muDir);
  ray.fill(0);
  com.fill(0);
  // Σ_i w_i · table_i, four elements per pass (the same additions in the same order).
  const nz = material.z.length;
  const w = material.massFraction;
  let i = 0;
  for (; i + 3 < nz; i += 4) {
    const d0 = directionalElement(so, material.z[i]);
    const d1 = directionalElement(so, material.z[i + 1]);
    const d2 = directionalElement(so, material.z[i + 2]);
    const d3 = directionalElement(so, material.z[i + 3]);
    const w0 = w[i];
    const w1 = w[i + 1];
    const w2 = w[i + 2];
    const w3 = w[i + 3];
    const r0 = d0.rayleigh;
    const r1 = d1.rayleigh;
    const r2 = d2.rayleigh;
    const r3 = d3.rayleigh;
    const c0 = d0.compton;
    const c1 = d1.compton;
    const c2 = d2.compton;
    const c3 = d3.compton;
    for (let q = 0; q < ray.length; q++) {
      ray[q] = ray[q] + w0 * r0[q] + w1 * r1[q] + w2 * r2[q] + w3 * r3[q];
      com[q] = com[q] + w0 * c0[q] + w1 * c1[q] + w2 * c2[q] + w3 * c3[q];
    }
  }
  for (; i < nz; i++) {
    const d = directionalElement(so, material.z[i]);
    const wi = w[i];
    for (let q = 0; q < ray.length; q++) {
      ray[q] += wi * d.rayleigh[q];
      com[q] += wi * d.compton[q];
    }
  }
  const n = muC.length;
  const n0 = exc.coarsePhotonsPerS;
  // Outgoing directions: the kernel depends on the group only.
  for (let k = 0; k < n; k++) {
    if (n0[k] === 0) continue;
    const ak = muC[k] / sin1;
    let r = 0;
    for (let j = 0; j < NU; j++) {
      const q = k * NB + NU + j;
      const du = U_EDGES[j + 1] - U_EDGES[j];
      r += ray[q] * binKernel(muC[k], ak, U_EDGES[j], du);
      upCom[k * NU + j] = com[q] * binKernel(muDir[q], ak, U_EDGES[j], du);
    }
    upRay[k] = r;
  }
  return present.map(({ p }) =>
    p.shells.map((s) =>
      scatterExcitedShell(
        so,
        n0,
        s.tauCoarse,
        comptonTauOf(so, p.z, s),
        muLines[p.lines[s.strongest].gridIndex] / sin2,
        sin1,
      ),
    ),
  );
}

/**
 * The scatter-excited fluorescence sum of one shell (see {@link scatterExcitedFluorescence}),
 * with τ on the coarse energies `tauR`, τ per Compton direction bin `tauC` and the exit
 * attenuation `b` of its strongest line. A top-level function, so that the engine keeps the
 * tables in registers.
 */
function scatterExcitedShell(
  so: SecondOrderPrep,
  n0: Float64Array,
  tauR: Float64Array,
  tauC: Float64Array,
  b: number,
  sin1: number,
): number {
  const { muC, ray, com, muDir, upRay, upCom } = so;
  const bA = so.gaussA;
  const bB = so.gaussB;
  const u1 = U_EDGES[1];
  for (let j = 1; j < NU; j++) {
    bA[j] = b * GAUSS_A[j];
    bB[j] = b * GAUSS_B[j];
  }
  const n = muC.length;
  let v = 0;
  for (let k = 0; k < n; k++) {
    if (n0[k] === 0) continue;
    const tR = tauR[k];
    const row = k * NB;
    let term = 0;
    if (tR > 0) {
      const m = muC[k];
      let down = ray[row] * binKernel(m, b, 0, u1);
      for (let j = 1; j < NU; j++) down += ray[row + j] * pairKernel(m + bA[j], m + bB[j]);
      term += tR * (down + upRay[k]);
    }
    for (let j = 0; j < NU; j++) {
      const q = row + j;
      const tDown = tauC[q];
      if (tDown > 0) {
        const m = muDir[q];
        const kernel = j === 0 ? binKernel(m, b, 0, u1) : pairKernel(m + bA[j], m + bB[j]);
        term += tDown * com[q] * kernel;
      }
      const tUp = tauC[q + NU];
      if (tUp > 0) term += tUp * upCom[k * NU + j];
    }
    if (term > 0) v += (n0[k] * term) / (muC[k] / sin1 + b);
  }
  return v;
}

/** The two-point Gauss kernel ½ (1/x + 1/y). */
function pairKernel(x: number, y: number): number {
  return 0.5 * (1 / x + 1 / y);
}

/** Mean of 1/(μ + c u) over u in [u1, u1 + du]. */
function binKernel(mu: number, c: number, u1: number, du: number): number {
  const x = c * du;
  return Math.log1p(x / (mu + c * u1)) / x;
}

/** Six-point Gauss–Legendre rule on [−1, 1] (positive nodes, their weights). */
const GL6_X = [0.2386191860831969, 0.6612093864662645, 0.9324695142031521];
const GL6_W = [0.467913934572691, 0.3607615730481386, 0.1713244923791704];
/** Gauss–Legendre nodes and weights on [0, 1] for the direction cosine of each hemisphere. */
const DS_U = Float64Array.from([...GL6_X.map((x) => -x).reverse(), ...GL6_X], (x) => (1 + x) / 2);
const DS_UW = Float64Array.from([...[...GL6_W].reverse(), ...GL6_W], (w) => w / 2);
/** Azimuth nodes (midpoints) on [0, π]; the integrand is even in the azimuth. */
const DS_NPHI = 8;
/** Directions of the intermediate photon: 2 hemispheres × 6 cosines × 8 azimuths. */
const DS_ND = 2 * DS_U.length * DS_NPHI;
/** Nodes of the total Compton shift s = Σ (1 − cos θ) of a photon's events, 0 … 4. */
const DS_NS = 17;
const DS_DS = 4 / (DS_NS - 1);
/** Momentum-transfer grid of the mixture form-factor tables: 0 and log-spaced 10⁻³ … 8 1/Å. */
const DS_NX = 120;
const DS_LX0 = Math.log(1e-3);
const DS_DLX = (Math.log(8) - DS_LX0) / (DS_NX - 2);
const ELECTRON_KEV = 510.99895;
/** Largest ratio of successive scatter orders used by the higher-order estimate. */
const MAX_ORDER_RATIO = 0.9;
const HC_KEV_A = 12.398419843320026;

/** Position of x on the form-factor grid (node 0 is x = 0, node i ≥ 1 is e^(lx0 + (i−1)·dlx)). */
function xPosition(x: number): number {
  if (x <= 0) return 0;
  const lx = Math.log(x);
  if (lx <= DS_LX0) return x / 1e-3; // between x = 0 and the first log node
  return Math.min(1 + (lx - DS_LX0) / DS_DLX, DS_NX - 1.000001);
}
const xNode = (i: number) => (i === 0 ? 0 : Math.exp(DS_LX0 + (i - 1) * DS_DLX));

/** Per-instrument tables of the directional double scatter. @internal */
export interface DoubleScatterPrep {
  /** Per direction: cosine to the inward normal, quadrature weight (sr), Thomson factors of the
   * two events, and the Compton shifts 1 − cos θ of the first and second event. */
  u: Float64Array;
  weight: Float64Array;
  thomson1: Float64Array;
  thomson2: Float64Array;
  shift1: Float64Array;
  shift2: Float64Array;
  /** Per direction: positions of the shifts s1, s2, s1 + s2 on the shift nodes. */
  pos1: Float64Array;
  pos2: Float64Array;
  pos12: Float64Array;
  /** Angular factors of the four chains with the quadrature weight and the detection
   * efficiency at the final energy: RR per direction (detection applied per group), RC, CR, CC
   * per group and direction. */
  cRR: Float64Array;
  cRC: Float64Array;
  cCR: Float64Array;
  cCC: Float64Array;
  /** Per group and direction, at [k · DS_ND + d]: positions on the form-factor grid of the first
   * event (E_k, θ1), the second after a first Rayleigh (E_k, θ2) and after a first Compton
   * (E′, θ2), and the Klein–Nishina factors of the same three events (cm²/sr). */
  x1: Float64Array;
  x2: Float64Array;
  x3: Float64Array;
  kn1: Float64Array;
  kn2: Float64Array;
  kn3: Float64Array;
  /** Single scatter at θ = ψ1 + ψ2, per group: form-factor grid position, Klein–Nishina factor;
   * and the Thomson factor and Compton shift 1 − cos θ. */
  xSingle: Float64Array;
  knSingle: Float64Array;
  thomsonSingle: number;
  shiftSingle: number;
  /** Energies E_k/(1 + E_k s/m_e c²) at the shift nodes, [k · DS_NS + i], their memo grid, and
   * the detection efficiency there. */
  shiftGrid: EnergyGrid;
  detection: Float64Array;
  /** Channel range receiving shift node i of group k (−1: beyond the last channel). */
  chLo: Int32Array;
  chHi: Int32Array;
  /** Per element (lazy): N_A/A · F² and N_A/A · S on the form-factor grid. */
  formFactors: Map<number, { rayleigh: Float64Array; compton: Float64Array }>;
  /** Per-sample scratch. */
  gRayleigh: Float64Array;
  gCompton: Float64Array;
  muShift: Float64Array;
  histogram: Float64Array;
  extra: Float64Array;
}

/** Builds {@link DoubleScatterPrep} for incidence ψ1 and exit ψ2. */
function prepareDoubleScatter(
  exc: Excitation,
  cal: EnergyCalibration,
  detectionAt: (energyKeV: number) => number,
  sin1: number,
  sin2: number,
): DoubleScatterPrep {
  const cos1 = Math.sqrt(Math.max(1 - sin1 * sin1, 0));
  const cos2 = Math.sqrt(Math.max(1 - sin2 * sin2, 0));
  const nu = DS_U.length;
  const u = new Float64Array(DS_ND);
  const weight = new Float64Array(DS_ND);
  const c1 = new Float64Array(DS_ND);
  const c2 = new Float64Array(DS_ND);
  for (let h = 0; h < 2; h++) {
    for (let i = 0; i < nu; i++) {
      for (let p = 0; p < DS_NPHI; p++) {
        const d = (h * nu + i) * DS_NPHI + p;
        const ud = h === 0 ? DS_U[i] : -DS_U[i];
        const phi = ((p + 0.5) * Math.PI) / DS_NPHI;
        const st = Math.sqrt(1 - ud * ud) * Math.cos(phi);
        u[d] = ud;
        weight[d] = DS_UW[i] * ((2 * Math.PI) / DS_NPHI);
        // Incident (cos ψ1, 0, sin ψ1), detector (cos ψ2, 0, −sin ψ2), z into the sample.
        c1[d] = Math.min(Math.max(cos1 * st + sin1 * ud, -1), 1);
        c2[d] = Math.min(Math.max(cos2 * st - sin2 * ud, -1), 1);
      }
    }
  }
  const thomson1 = c1.map((c) => thomsonDifferentialCm2PerSr(Math.acos(c)));
  const thomson2 = c2.map((c) => thomsonDifferentialCm2PerSr(Math.acos(c)));
  const shift1 = c1.map((c) => 1 - c);
  const shift2 = c2.map((c) => 1 - c);
  const n = exc.coarseEnergyKeV.length;
  const x1 = new Float64Array(n * DS_ND);
  const x2 = new Float64Array(n * DS_ND);
  const x3 = new Float64Array(n * DS_ND);
  const kn1 = new Float64Array(n * DS_ND);
  const kn2 = new Float64Array(n * DS_ND);
  const kn3 = new Float64Array(n * DS_ND);
  const kn = (e: number, c: number) => kleinNishinaDifferentialCm2PerSr(e, Math.acos(c));
  const xOf = (e: number, c: number) => (e * Math.sqrt(Math.max((1 - c) / 2, 0))) / HC_KEV_A;
  const shifted = (e: number, s: number) => e / (1 + (e / ELECTRON_KEV) * s);
  for (let k = 0; k < n; k++) {
    const e = exc.coarseEnergyKeV[k];
    for (let d = 0; d < DS_ND; d++) {
      const q = k * DS_ND + d;
      const e1 = shifted(e, shift1[d]);
      x1[q] = xPosition(xOf(e, c1[d]));
      x2[q] = xPosition(xOf(e, c2[d]));
      x3[q] = xPosition(xOf(e1, c2[d]));
      kn1[q] = kn(e, c1[d]);
      kn2[q] = kn(e, c2[d]);
      kn3[q] = kn(e1, c2[d]);
    }
  }
  const cosS = Math.min(Math.max(cos1 * cos2 - sin1 * sin2, -1), 1);
  const xSingle = exc.coarseEnergyKeV.map((e) => xPosition(xOf(e, cosS)));
  const knSingle = exc.coarseEnergyKeV.map((e) => kn(e, cosS));
  const shiftE = new Float64Array(n * DS_NS);
  const chLo = new Int32Array(n * DS_NS);
  const chHi = new Int32Array(n * DS_NS);
  const g = cal.gainKeVPerChannel;
  const ch = (e: number) =>
    Math.min(Math.max(Math.round((e - cal.offsetKeV) / g), 0), cal.nChannels - 1);
  for (let k = 0; k < n; k++) {
    for (let i = 0; i < DS_NS; i++) {
      const s = i * DS_DS;
      shiftE[k * DS_NS + i] = shifted(exc.coarseEnergyKeV[k], s);
      // The node stands for shifts s ± Δs/2 of every energy of the group.
      const lo = shifted(exc.coarseLoKeV[k], Math.min(s + DS_DS / 2, 4));
      // Beyond the last channel: dropped (−1), not piled into the last channel.
      const beyond = lo > cal.offsetKeV + g * (cal.nChannels - 0.5);
      chLo[k * DS_NS + i] = beyond ? -1 : ch(lo);
      chHi[k * DS_NS + i] = beyond
        ? -1
        : ch(shifted(exc.coarseHiKeV[k], Math.max(s - DS_DS / 2, 0)));
    }
  }
  const pos1 = shift1.map((v) => v / DS_DS);
  const pos2 = shift2.map((v) => v / DS_DS);
  const pos12 = pos1.map((v, d) => Math.min(v + pos2[d], DS_NS - 1.000001));
  const detection = shiftE.map(detectionAt);
  const det = (k: number, p: number) => lerpAt(detection, k * DS_NS + p);
  const cRR = weight.map((w, d) => w * thomson1[d] * thomson2[d]);
  const cRC = new Float64Array(n * DS_ND);
  const cCR = new Float64Array(n * DS_ND);
  const cCC = new Float64Array(n * DS_ND);
  for (let k = 0; k < n; k++) {
    for (let d = 0; d < DS_ND; d++) {
      const q = k * DS_ND + d;
      cRC[q] = weight[d] * thomson1[d] * kn2[q] * det(k, pos2[d]);
      cCR[q] = weight[d] * kn1[q] * thomson2[d] * det(k, pos1[d]);
      cCC[q] = weight[d] * kn1[q] * kn3[q] * det(k, pos12[d]);
    }
  }
  return {
    u,
    pos1,
    pos2,
    pos12,
    cRR,
    cRC,
    cCR,
    cCC,
    weight,
    thomson1,
    thomson2,
    shift1,
    shift2,
    x1,
    x2,
    x3,
    kn1,
    kn2,
    kn3,
    xSingle,
    knSingle,
    thomsonSingle: thomsonDifferentialCm2PerSr(Math.acos(cosS)),
    shiftSingle: 1 - cosS,
    shiftGrid: createEnergyGrid(shiftE),
    detection,
    chLo,
    chHi,
    formFactors: new Map(),
    gRayleigh: new Float64Array(DS_NX),
    gCompton: new Float64Array(DS_NX),
    muShift: new Float64Array(n * DS_NS),
    histogram: new Float64Array(n * DS_NS),
    extra: new Float64Array(DS_NS),
  };
}

/** N_A/A · F²(x) and N_A/A · S(x) of element z on the form-factor grid (cached). */
function formFactorsOf(ds: DoubleScatterPrep, z: number) {
  let t = ds.formFactors.get(z);
  if (t !== undefined) return t;
  const na = AVOGADRO_PER_MOL / elementData(z).atomicWeight;
  const rayleigh = new Float64Array(DS_NX);
  const compton = new Float64Array(DS_NX);
  for (let i = 0; i < DS_NX; i++) {
    const f = atomicFormFactor(z, xNode(i));
    rayleigh[i] = na * f * f;
    compton[i] = na * incoherentScatteringFunction(z, xNode(i));
  }
  t = { rayleigh, compton };
  ds.formFactors.set(z, t);
  return t;
}

const lerpAt = (t: Float64Array, pos: number): number => {
  const i = pos | 0;
  return t[i] + (pos - i) * (t[i + 1] - t[i]);
};

/**
 * Double scatter (two scatter events, Rayleigh or Compton each) added to the smooth arrival
 * spectrum. A photon of group k scattered at mass depth z₁ into the direction with cosine u to
 * the inward normal (angle θ1 to the beam), scattered again after the path t towards the
 * detector (angle θ2), leaves through the surface; the depth and path integrals are closed:
 *
 *   N₂ = Ω t N0_k / sin ψ1 ∫ dΩ (dσ₁/dΩ)(E_k, θ1) (dσ₂/dΩ)(E₁, θ2) ε(E₂) / (a_k + b₂) · K(u),
 *   K = 1/(μ(E₁) + b₂ u) for u > 0, 1/(μ(E₁) + a_k |u|) for u < 0,
 *
 * a_k = μ(E_k)/sin ψ1, b₂ = μ(E₂)/sin ψ2; E₁ and E₂ the energies after each event (Compton:
 * 1/E′ = 1/E + (1 − cos θ)/m_e c²). Differential cross sections Thomson × F² and
 * Klein–Nishina × S of the mixture. Directions: 6 Gauss–Legendre cosines per hemisphere × 8
 * azimuths (within 1.5 % of a fine quadrature for 8–40 keV, cellulose and iron). Attenuation
 * and detection at the photon's energy are interpolated between 17 nodes of the total Compton
 * shift Σ(1 − cos θ) ∈ [0, 4] per group, and the counts land on the channels of their node
 * (the group's energy range, ± half a node). For a tube line, the part scattered twice by
 * Rayleigh keeps the line's energy and goes to `peaks` when given. Returns the counts added.
 *
 * With `higherOrders`, orders ≥ 3 are added as a geometric series per group: each further order
 * is the previous one × q, q = N₂/N₁ of the group (≤ 0.9; for a tube line's Rayleigh chains
 * q = RR/R), the part beyond N₂ moved down by half the mean Compton shift of the double scatter.
 * @param gFluo - Ω_det · live time / 4π.
 * @internal
 */
export function addDoubleScatter(
  so: SecondOrderPrep,
  exc: Excitation,
  material: ResolvedMaterial,
  sin1: number,
  sin2: number,
  gFluo: number,
  arrival: Arrival,
  peaks?: PeakList,
  higherOrders = false,
): number {
  const ds = so.double;
  const { muC } = so;
  const { gRayleigh: gR, gCompton: gC, muShift, histogram, detection } = ds;
  crossSectionOnGrid(exc.coarseGrid, material, 'total', muC);
  crossSectionOnGrid(ds.shiftGrid, material, 'total', muShift);
  gR.fill(0);
  gC.fill(0);
  for (let i = 0; i < material.z.length; i++) {
    const t = formFactorsOf(ds, material.z[i]);
    const w = material.massFraction[i];
    for (let j = 0; j < DS_NX; j++) {
      gR[j] += w * t.rayleigh[j];
      gC[j] += w * t.compton[j];
    }
  }
  histogram.fill(0);
  const n0 = exc.coarsePhotonsPerS;
  const { u, pos1, pos2, pos12, x1, x2, x3, cRR, cRC, cCR, cCC } = ds;
  let total = 0;
  for (let k = 0; k < muC.length; k++) {
    if (n0[k] === 0) continue;
    const mk = muC[k];
    const a = mk / sin1;
    const base = k * DS_NS;
    const isLine = exc.coarseLoKeV[k] === exc.coarseHiKeV[k] && peaks !== undefined;
    let rr = 0;
    for (let d = 0; d < DS_ND; d++) {
      const q = k * DS_ND + d;
      const ud = u[d];
      const gR1 = lerpAt(gR, x1[q]);
      const gC1 = lerpAt(gC, x1[q]);
      // Attenuation at the shifts s1 (E₁ after Compton), s2 and s1 + s2.
      const p1 = pos1[d];
      const p2 = pos2[d];
      const p12 = pos12[d];
      const mu1 = lerpAt(muShift, base + p1);
      const up = ud < 0 ? -a * ud : 0;
      // First Rayleigh, second Rayleigh: E_k.
      {
        const b = mk / sin2;
        rr += (cRR[d] * gR1 * lerpAt(gR, x2[q])) / ((a + b) * (mk + (ud > 0 ? b * ud : up)));
      }
      // First Rayleigh, second Compton: shift s2.
      {
        const b = lerpAt(muShift, base + p2) / sin2;
        const v = (cRC[q] * gR1 * lerpAt(gC, x2[q])) / ((a + b) * (mk + (ud > 0 ? b * ud : up)));
        deposit(histogram, base, p2, v);
      }
      // First Compton, second Rayleigh: shift s1.
      {
        const b = mu1 / sin2;
        const v = (cCR[q] * gC1 * lerpAt(gR, x3[q])) / ((a + b) * (mu1 + (ud > 0 ? b * ud : up)));
        deposit(histogram, base, p1, v);
      }
      // Both Compton: shift s1 + s2.
      {
        const b = lerpAt(muShift, base + p12) / sin2;
        const v = (cCC[q] * gC1 * lerpAt(gC, x3[q])) / ((a + b) * (mu1 + (ud > 0 ? b * ud : up)));
        deposit(histogram, base, p12, v);
      }
    }
    const pre = (4 * Math.PI * gFluo * n0[k]) / sin1;
    rr *= detection[base];
    // Third and higher orders: each further order ≈ the previous one × q = N₂/N₁ of the group.
    let orders = 1;
    let rrOrders = 1;
    if (higherOrders) {
      const bR = mk / sin2;
      const pS = ds.shiftSingle / DS_DS;
      const bC = lerpAt(muShift, base + pS) / sin2;
      const r1 = (ds.thomsonSingle * lerpAt(gR, ds.xSingle[k]) * detection[base]) / (a + bR);
      const c1 =
        (ds.knSingle[k] * lerpAt(gC, ds.xSingle[k]) * lerpAt(detection, base + pS)) / (a + bC);
      let n2 = rr;
      for (let i = 0; i < DS_NS; i++) n2 += histogram[base + i];
      const q = Math.min(n2 / (r1 + c1), MAX_ORDER_RATIO);
      const qr = Math.min(rr / r1, MAX_ORDER_RATIO);
      if (q > 0) orders = 1 / (1 - q);
      if (isLine && qr > 0) rrOrders = 1 / (1 - qr);
      // What the chains of Rayleigh events alone do not take goes to the continuum.
      if (isLine) {
        const rest = n2 * orders - rr * rrOrders;
        orders = n2 - rr > 0 ? rest / (n2 - rr) : 1;
      }
    }
    if (isLine) {
      const c = rr * rrOrders * pre;
      peaks.push(exc.coarseEnergyKeV[k], c, mk, 0);
      total += c;
    } else histogram[base] += rr;
    if (orders > 1) {
      // The higher orders hold more Compton events: their part is moved down by half the
      // mean shift of the double scatter (one more event of the same kind on average).
      let sum = 0;
      let sumI = 0;
      for (let i = 0; i < DS_NS; i++) {
        sum += histogram[base + i];
        sumI += i * histogram[base + i];
      }
      const delta = sum > 0 ? sumI / sum / 2 : 0;
      const extra = ds.extra;
      extra.fill(0);
      for (let i = 0; i < DS_NS; i++) {
        deposit(
          extra,
          0,
          Math.min(i + delta, DS_NS - 1.000001),
          histogram[base + i] * (orders - 1),
        );
      }
      for (let i = 0; i < DS_NS; i++) histogram[base + i] += extra[i];
    }
    for (let i = 0; i < DS_NS; i++) {
      const c = histogram[base + i] * pre;
      if (!(c > 0) || ds.chLo[base + i] < 0) continue;
      spread(arrival, ds.chLo[base + i], ds.chHi[base + i], c, mk);
      total += c;
    }
  }
  return total;
}

/** Adds v to the shift histogram of a group, split linearly between the nodes around `pos`. */
function deposit(histogram: Float64Array, base: number, pos: number, v: number): void {
  const i = pos | 0;
  const f = pos - i;
  histogram[base + i] += v * (1 - f);
  histogram[base + i + 1] += v * f;
}

/**
 * Double scatter (two scatter events, either kind) added to the smooth arrival spectrum, same
 * isotropic point-source geometry as {@link scatterExcitedFluorescence} with the second event
 * scattering σ_s(E)/(4π) per sr towards the detector (σ_s = σ_R + σ_C):
 *
 *   N₂(k) = Ω t/(4π sin ψ1) · ε(E) σ_s(E) · ½ N0_k σ_first /(a_k + b_E) · (L(a_k; μ_E) + L(b_E; μ_E))
 *
 * with E = E_k after a first Rayleigh event and E = E′_k (90° Compton) after a first Compton
 * event; the energy shift of a second Compton event is neglected and the counts are spread over
 * the group's energy range (at least ±0.4 keV). Returns the counts added. The simpler model
 * that {@link addDoubleScatter} replaces (2–42 % high against a photon Monte Carlo).
 * @internal
 */
export function addIsotropicDoubleScatter(
  so: SecondOrderPrep,
  exc: Excitation,
  material: ResolvedMaterial,
  sin1: number,
  sin2: number,
  gFluo: number,
  arrival: Arrival,
): number {
  const { muC, muCC, coh, inc, cohCC, incCC } = so.isotropic;
  // muC, muCC, coh, inc were filled by scatterExcitedFluorescence for the same material when
  // it ran; fill them here too so that this term is independent of it.
  crossSectionOnGrid(exc.coarseGrid, material, 'total', muC);
  crossSectionOnGrid(exc.coarseComptonGrid, material, 'total', muCC);
  crossSectionOnGrid(exc.coarseGrid, material, 'coherent', coh);
  crossSectionOnGrid(exc.coarseGrid, material, 'incoherent', inc);
  crossSectionOnGrid(exc.coarseComptonGrid, material, 'coherent', cohCC);
  crossSectionOnGrid(exc.coarseComptonGrid, material, 'incoherent', incCC);
  const n0 = exc.coarsePhotonsPerS;
  let total = 0;
  for (let k = 0; k < muC.length; k++) {
    if (n0[k] === 0) continue;
    const ak = muC[k] / sin1;
    const pre = (gFluo / sin1) * 0.5 * n0[k];
    // First event Rayleigh: photon at E_k.
    {
      const m = muC[k];
      const b = m / sin2;
      const c =
        (pre *
          so.isotropic.detC[k] *
          (coh[k] + inc[k]) *
          coh[k] *
          (Math.log1p(ak / m) / ak + Math.log1p(b / m) / b)) /
        (ak + b);
      spread(arrival, so.isotropic.loR[k], so.isotropic.hiR[k], c, muC[k]);
      total += c;
    }
    // First event Compton: photon at E′_k.
    {
      const m = muCC[k];
      const b = m / sin2;
      const c =
        (pre *
          so.isotropic.detCC[k] *
          (cohCC[k] + incCC[k]) *
          inc[k] *
          (Math.log1p(ak / m) / ak + Math.log1p(b / m) / b)) /
        (ak + b);
      spread(arrival, so.isotropic.loC[k], so.isotropic.hiC[k], c, muC[k]);
      total += c;
    }
  }
  return total;
}
