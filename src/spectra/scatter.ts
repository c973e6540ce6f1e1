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
 * Also fluorescence excited by singly scattered photons ({@link scatterExcitedFluorescence}).
 *
 * See docs/physics.md, "Scatter".
 *
 * @module
 */
import {
  comptonDopplerDensityGrid,
  comptonEnergyKeV,
  createEnergyGrid,
  createScatterGrid,
  crossSectionOnGrid,
  incoherentScatteringFunction,
  kleinNishinaDifferentialCm2PerSr,
  momentumTransferPerAngstrom,
  scatterOnGrid,
  shellVacancyFraction,
} from '../physics/index.js';
import type { EnergyGrid, ResolvedMaterial, ScatterGrid, Shell } from '../physics/index.js';
import type { EnergyCalibration } from '../profile.js';
import type { Excitation } from './excitation.js';
import type { PeakList } from './detectorResponse.js';
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
  crossSectionOnGrid(sp.comptonGrid, material, 'total', muComp);
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
    const v = counts * c;
    const vw = v * muIn;
    for (let i = 0; i < d.length; i++) {
      arrival.counts[lo + i] += v * d[i];
      arrival.weighted[lo + i] += vw * d[i];
    }
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
  /** Per fluorescing shell (lazy): τ averaged over the Compton energies of each direction bin. */
  comptonTau: Map<ShellPrep, Float64Array>;
  /** Per-sample scratch, [k · NB + h] unless noted. */
  ray: Float64Array;
  com: Float64Array;
  muDir: Float64Array;
  /** Outgoing part of the Rayleigh term per group, [k]; of the Compton term, [k · NU + j]. */
  upRay: Float64Array;
  upCom: Float64Array;
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

/** Prepares the second-order scatter tables for incidence at ψ1 (sin ψ1 = `sin1`). @internal */
export function prepareSecondOrder(
  exc: Excitation,
  cal: EnergyCalibration,
  detectionAt: (energyKeV: number) => number,
  sin1: number,
): SecondOrderPrep {
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
  let t = so.comptonTau.get(s);
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
  so.comptonTau.set(s, t);
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
  crossSectionOnGrid(exc.coarseGrid, material, 'total', muC);
  crossSectionOnGrid(so.comptonMeanGrid, material, 'total', muDir);
  ray.fill(0);
  com.fill(0);
  for (let i = 0; i < material.z.length; i++) {
    const d = directionalElement(so, material.z[i]);
    const w = material.massFraction[i];
    for (let q = 0; q < ray.length; q++) {
      ray[q] += w * d.rayleigh[q];
      com[q] += w * d.compton[q];
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
    p.shells.map((s) => {
      const b = muLines[p.lines[s.strongest].gridIndex] / sin2;
      const tauC = comptonTauOf(so, p.z, s);
      let v = 0;
      for (let k = 0; k < n; k++) {
        if (n0[k] === 0) continue;
        const tR = s.tauCoarse[k];
        const row = k * NB;
        let term = 0;
        if (tR > 0) {
          const m = muC[k];
          let down = ray[row] * binKernel(m, b, 0, U_EDGES[1]);
          for (let j = 1; j < NU; j++) {
            down += ray[row + j] * 0.5 * (1 / (m + b * GAUSS_A[j]) + 1 / (m + b * GAUSS_B[j]));
          }
          term += tR * (down + upRay[k]);
        }
        for (let j = 0; j < NU; j++) {
          const q = row + j;
          const tDown = tauC[q];
          if (tDown > 0) {
            const m = muDir[q];
            const kernel =
              j === 0
                ? binKernel(m, b, 0, U_EDGES[1])
                : 0.5 * (1 / (m + b * GAUSS_A[j]) + 1 / (m + b * GAUSS_B[j]));
            term += tDown * com[q] * kernel;
          }
          const tUp = tauC[q + NU];
          if (tUp > 0) term += tUp * upCom[k * NU + j];
        }
        if (term > 0) v += (n0[k] * term) / (muC[k] / sin1 + b);
      }
      return v;
    }),
  );
}

/** Mean of 1/(μ + c u) over u in [u1, u1 + du]. */
function binKernel(mu: number, c: number, u1: number, du: number): number {
  const x = c * du;
  return Math.log1p(x / (mu + c * u1)) / x;
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
 * the group's energy range (at least ±0.4 keV). For a tube line, the part scattered twice by
 * Rayleigh keeps the line's energy and goes to `peaks` when given. Returns the counts added.
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
): number {
  const { muC, muCC, coh, inc, cohCC, incCC } = so;
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
          so.detC[k] *
          (coh[k] + inc[k]) *
          coh[k] *
          (Math.log1p(ak / m) / ak + Math.log1p(b / m) / b)) /
        (ak + b);
      if (peaks !== undefined && exc.coarseLoKeV[k] === exc.coarseHiKeV[k]) {
        // A tube line: two Rayleigh events keep its energy, so that part joins its peak.
        const cr = (c * coh[k]) / (coh[k] + inc[k]);
        peaks.push(exc.coarseEnergyKeV[k], cr, muC[k], 0);
        spread(arrival, so.loR[k], so.hiR[k], c - cr, muC[k]);
      } else spread(arrival, so.loR[k], so.hiR[k], c, muC[k]);
      total += c;
    }
    // First event Compton: photon at E′_k.
    {
      const m = muCC[k];
      const b = m / sin2;
      const c =
        (pre *
          so.detCC[k] *
          (cohCC[k] + incCC[k]) *
          inc[k] *
          (Math.log1p(ak / m) / ak + Math.log1p(b / m) / b)) /
        (ak + b);
      spread(arrival, so.loC[k], so.hiC[k], c, muC[k]);
      total += c;
    }
  }
  return total;
}
