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
  scatterOnGrid,
} from '../physics/index.js';
import type { EnergyGrid, ResolvedMaterial, ScatterGrid } from '../physics/index.js';
import type { EnergyCalibration } from '../profile.js';
import type { Excitation } from './excitation.js';
import type { PeakList } from './detectorResponse.js';
import type { ElementPrep } from './primaryFluorescence.js';

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
}

/** Prepares the second-order scatter tables. @internal */
export function prepareSecondOrder(
  exc: Excitation,
  cal: EnergyCalibration,
  detectionAt: (energyKeV: number) => number,
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

/** A sample element with its prepared shells (see primaryFluorescence.ts). @internal */
interface ScatterTarget {
  p: ElementPrep;
}

/**
 * Fluorescence excited by singly scattered photons, per present element and shell, in the units
 * of the primary Sherman sum (multiply by G/sin ψ1 · w_a ω p ε like the primary yield).
 *
 * Each scatter event is treated as an isotropic point source inside the sample (the
 * Shiraiwa–Fujino geometry of secondary fluorescence): Rayleigh photons keep E_k, Compton photons
 * carry the 90° Compton energy E′_k (the mean over an isotropic emission). Per shell:
 *
 *   V = ½ Σ_k N0_k / (a_k + b) · [σ_R(E_k) τ_a(E_k) (L(a_k; μ_k) + L(b; μ_k))
 *                                + σ_C(E_k) τ_a(E′_k) (L(a_k; μ′_k) + L(b; μ′_k))],
 *   L(x; μ) = ln(1 + x/μ)/x,  a_k = μ(E_k)/sin ψ1,  b = μ(E_i)/sin ψ2,
 *
 * with σ_R, σ_C the total coherent and incoherent cross sections (cm²/g). The anisotropy of the
 * scatter (forward-peaked Rayleigh) is neglected.
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
  const { muC, muCC, coh, inc } = so;
  crossSectionOnGrid(exc.coarseGrid, material, 'total', muC);
  crossSectionOnGrid(exc.coarseComptonGrid, material, 'total', muCC);
  crossSectionOnGrid(exc.coarseGrid, material, 'coherent', coh);
  crossSectionOnGrid(exc.coarseGrid, material, 'incoherent', inc);
  const n = muC.length;
  const n0 = exc.coarsePhotonsPerS;
  return present.map(({ p }) =>
    p.shells.map((s) => {
      const b = muLines[p.lines[s.strongest].gridIndex] / sin2;
      let v = 0;
      for (let k = 0; k < n; k++) {
        const tR = s.tauCoarse[k];
        const tC = s.tauCoarseCompton[k];
        if (tR === 0 && tC === 0) continue;
        const ak = muC[k] / sin1;
        let term = 0;
        if (tR > 0) {
          const m = muC[k];
          term += coh[k] * tR * (Math.log1p(ak / m) / ak + Math.log1p(b / m) / b);
        }
        if (tC > 0) {
          const m = muCC[k];
          term += inc[k] * tC * (Math.log1p(ak / m) / ak + Math.log1p(b / m) / b);
        }
        v += (0.5 * n0[k] * term) / (ak + b);
      }
      return v;
    }),
  );
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
 * the group's energy range (at least ±0.4 keV). Returns the counts added.
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
      spread(arrival, so.loR[k], so.hiR[k], c, muC[k]);
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
