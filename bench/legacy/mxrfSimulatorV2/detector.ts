/**
 * FROZEN COPY of the simulator's `detector` module as it was before the spectrum speed-up (continuum
 * response read once for both spectra, Sherman numerators precomputed per shell, …), kept
 * unchanged so that the spectrum benchmark can time the current simulator against it on the same
 * sample and check that both give the same spectrum. Not part of the package; do not edit.
 */
/**
 * Silicon drift detector: efficiency, energy resolution, escape fraction and the per-peak
 * response (Gaussian + low-energy exponential tail + flat shelf + Si Kα escape peak).
 *
 * - Efficiency ε(E) = exp(−μ_Be ρ_Be t_Be) · exp(−μ_Si ρ_Si t_dead) · (1 − exp(−μ_Si ρ_Si t_Si)).
 * - FWHM(E) = sqrt(noise² + 2.3548² · F · 3.85 eV · E), noise fixed by the FWHM at Mn Kα.
 * - Escape fraction (normal incidence, Reed & Ware): f(E) = ½ ω_K(Si) (1 − 1/J_K(Si)) ·
 *   (1 − (μ_Kα/μ_E) ln(1 + μ_E/μ_Kα)) for E above the Si K edge, μ = Si photoabsorption at the
 *   Si Kα energy (1.740 keV) and at E. (The factor (1 − 1/J_K) — the share of Si photoabsorption
 *   that ionises the K shell — is physically required; see docs/physics.md §6.)
 *
 * @see S. J. B. Reed and N. G. Ware, J. Phys. E 5 (1972) 582, doi:10.1088/0022-3735/5/6/029
 * @module
 */
import {
  edgeEnergyKeV,
  fluorescenceYield,
  jumpRatio,
  lineEnergyKeV,
  massAttenuation,
  photoCrossSection,
} from '../../../src/physics/index.js';
import type { SddDetector } from '../../../src/spectra/instrument.js';

/** Mean energy per electron–hole pair in Si (eV). */
export const SI_PAIR_ENERGY_EV = 3.85;
const FWHM_PER_SIGMA = 2 * Math.sqrt(2 * Math.LN2);
const MN_KA_KEV = 5.895;
const SI_DENSITY = 2.33;
const BE_DENSITY = 1.848;

/** Si Kα energy (keV) and K edge (keV), from the atomic data. */
export const SI_KA_KEV = lineEnergyKeV('Si', 'KA1');
const SI_K_EDGE_KEV = edgeEnergyKeV('Si', 'K');

/** Electronic-noise FWHM (eV) that yields `fwhmAtMnKaEv` at Mn Kα. */
export function electronicNoiseEv(det: Pick<SddDetector, 'fwhmAtMnKaEv' | 'fanoFactor'>): number {
  const fano2 = FWHM_PER_SIGMA ** 2 * det.fanoFactor * SI_PAIR_ENERGY_EV * MN_KA_KEV * 1000;
  return Math.sqrt(Math.max(det.fwhmAtMnKaEv ** 2 - fano2, 0));
}

/**
 * Energy resolution FWHM (eV) at `energyKeV`.
 * @example fwhmEv(defaultInstrument().detector, 5.895) // 145
 */
export function fwhmEv(
  det: Pick<SddDetector, 'fwhmAtMnKaEv' | 'fanoFactor'>,
  energyKeV: number,
): number {
  const noise = electronicNoiseEv(det);
  return Math.sqrt(
    noise * noise + FWHM_PER_SIGMA ** 2 * det.fanoFactor * SI_PAIR_ENERGY_EV * energyKeV * 1000,
  );
}

/** Gaussian σ (keV) of the peak at `energyKeV`. */
export function sigmaKeV(
  det: Pick<SddDetector, 'fwhmAtMnKaEv' | 'fanoFactor'>,
  energyKeV: number,
): number {
  return fwhmEv(det, Math.max(energyKeV, 0)) / FWHM_PER_SIGMA / 1000;
}

/**
 * Full-energy detection efficiency (0..1) at `energyKeV` (≥ 0.1 keV, the atomic-data range):
 * transmission of the Be window and the Si dead layer (total attenuation: any interaction removes
 * the photon from the peak) times photo-absorption in the active Si, 1 − exp(−τ ρ t) (as PyMca and
 * most FP codes). A Compton event in the crystal deposits only the recoil electron's energy, so it
 * does not count towards the peak
 * (above ~15 keV this matters: total instead of photo absorption overstates the efficiency by 7 %
 * at 20 keV and 48 % at 40 keV for 450 µm Si).
 * @example detectorEfficiency(defaultInstrument().detector, 5.895) // ≈ 0.99
 */
export function detectorEfficiency(det: SddDetector, energyKeV: number): number {
  const muBe = massAttenuation('Be', energyKeV);
  const muSi = massAttenuation('Si', energyKeV);
  const tauSi = photoCrossSection('Si', energyKeV);
  return (
    Math.exp(-muBe * BE_DENSITY * det.beWindowUm * 1e-4) *
    Math.exp(-muSi * SI_DENSITY * det.deadLayerUm * 1e-4) *
    (1 - Math.exp(-tauSi * SI_DENSITY * det.siThicknessUm * 1e-4))
  );
}

/** Fraction of detected photons of `energyKeV` that lose a Si Kα photon (escape peak). */
export function escapeFraction(energyKeV: number): number {
  if (energyKeV <= SI_K_EDGE_KEV) return 0;
  const muK = photoCrossSection('Si', SI_KA_KEV);
  const muE = photoCrossSection('Si', energyKeV);
  const r = muK / muE;
  return (
    0.5 *
    fluorescenceYield('Si', 'K') *
    (1 - 1 / jumpRatio('Si', 'K')) *
    (1 - r * Math.log(1 + 1 / r))
  );
}

/** Precomputed detector constants for fast peak shapes. */
export interface DetectorResponse {
  readonly det: SddDetector;
  readonly offsetKeV: number;
  readonly gainKeVPerChannel: number;
  readonly nChannels: number;
  /** Lower-level discriminator (keV): channels below it record nothing. */
  readonly lowerLevelKeV: number;
  /** Escape fraction tabulated every {@link ESCAPE_TABLE_STEP_KEV} from 0 keV. */
  readonly escapeTable: Float64Array;
}

/** Step of the tabulated escape fraction (keV). */
export const ESCAPE_TABLE_STEP_KEV = 0.01;

/**
 * Builds the precomputed detector response for a calibration (escape-fraction table up to
 * `maxEnergyKeV`, linear interpolation between 10 eV nodes).
 */
export function createDetectorResponse(
  det: SddDetector,
  calibration: { offsetKeV: number; gainKeVPerChannel: number; nChannels: number },
  options: { lowerLevelKeV?: number; maxEnergyKeV?: number } = {},
): DetectorResponse {
  const maxE = options.maxEnergyKeV ?? 100;
  const n = Math.ceil(maxE / ESCAPE_TABLE_STEP_KEV) + 2;
  const escapeTable = new Float64Array(n);
  for (let i = 1; i < n; i++) escapeTable[i] = escapeFraction(i * ESCAPE_TABLE_STEP_KEV);
  return {
    det,
    offsetKeV: calibration.offsetKeV,
    gainKeVPerChannel: calibration.gainKeVPerChannel,
    nChannels: calibration.nChannels,
    lowerLevelKeV: options.lowerLevelKeV ?? 0.5,
    escapeTable,
  };
}

function tabulatedEscape(r: DetectorResponse, energyKeV: number): number {
  const x = energyKeV / ESCAPE_TABLE_STEP_KEV;
  const i = Math.floor(x);
  if (i + 1 >= r.escapeTable.length) return escapeFraction(energyKeV);
  const t = x - i;
  // Exactly 0 below the Si K edge: the node just above the edge is not interpolated downwards.
  if (energyKeV <= SI_K_EDGE_KEV) return 0;
  return r.escapeTable[i] * (1 - t) + r.escapeTable[i + 1] * t;
}

/**
 * Adds the detector response of a monoenergetic peak (`counts` photons detected at
 * `energyKeV`) to `out` (counts per channel) and, if given, `weight · counts` to `outWeighted`
 * (used to carry a per-channel weighted quantity through the same response).
 * Gaussian within ±5σ, exponential low-energy tail, escape peak, flat shelf (accumulated
 * into `shelfStep` as a difference array: the caller prefix-sums it). Allocation-free.
 */
export function addPeak(
  r: DetectorResponse,
  energyKeV: number,
  counts: number,
  out: Float64Array,
  outWeighted: Float64Array | undefined,
  weight: number,
  shelfStep: Float64Array,
  shelfStepWeighted: Float64Array | undefined,
  extraSigmaKeV = 0,
): void {
  if (!(counts > 0)) return;
  const det = r.det;
  const fEsc = det.escapePeaks ? tabulatedEscape(r, energyKeV) : 0;
  const fTail = det.tailFraction;
  const fShelf = det.shelfFraction;
  const main = counts * (1 - fEsc - fTail - fShelf);
  const sDet = sigmaKeV(det, energyKeV);
  const sigma = extraSigmaKeV > 0 ? Math.sqrt(sDet * sDet + extraSigmaKeV * extraSigmaKeV) : sDet;
  addGaussian(r, energyKeV, sigma, main, out, outWeighted, weight);
  if (fEsc > 0) {
    const eEsc = energyKeV - SI_KA_KEV;
    const sEsc = sigmaKeV(det, eEsc);
    const sigmaEsc =
      extraSigmaKeV > 0 ? Math.sqrt(sEsc * sEsc + extraSigmaKeV * extraSigmaKeV) : sEsc;
    addGaussian(r, eEsc, sigmaEsc, counts * fEsc, out, outWeighted, weight);
  }
  if (fTail > 0)
    addTail(r, energyKeV, sigma * det.tailSlopeSigma, counts * fTail, out, outWeighted, weight);
  if (fShelf > 0) {
    const hi = Math.min(Math.floor((energyKeV - r.offsetKeV) / r.gainKeVPerChannel), r.nChannels);
    const lo = Math.max(Math.ceil((r.lowerLevelKeV - r.offsetKeV) / r.gainKeVPerChannel), 0);
    if (hi > lo) {
      const h = (counts * fShelf) / (hi - lo);
      shelfStep[lo] += h;
      shelfStep[hi] -= h;
      if (shelfStepWeighted) {
        shelfStepWeighted[lo] += h * weight;
        shelfStepWeighted[hi] -= h * weight;
      }
    }
  }
}

/** Adds a normalised Gaussian of area `area` (counts) centred at `e0` (keV) into channels. */
export function addGaussian(
  r: DetectorResponse,
  e0: number,
  sigma: number,
  area: number,
  out: Float64Array,
  outWeighted: Float64Array | undefined,
  weight: number,
): void {
  const g = r.gainKeVPerChannel;
  const c0 = (e0 - r.offsetKeV) / g;
  const half = (5 * sigma) / g;
  const lo = Math.max(Math.ceil(c0 - half), 0);
  const hi = Math.min(Math.floor(c0 + half), r.nChannels - 1);
  if (hi < lo) return;
  const sc = sigma / g; // σ in channels
  const norm = area / (sc * Math.sqrt(2 * Math.PI));
  const inv = 1 / (2 * sc * sc);
  for (let c = lo; c <= hi; c++) {
    const d = c - c0;
    const v = norm * Math.exp(-d * d * inv);
    out[c] += v;
    if (outWeighted) outWeighted[c] += v * weight;
  }
}

function addTail(
  r: DetectorResponse,
  e0: number,
  lambdaKeV: number,
  area: number,
  out: Float64Array,
  outWeighted: Float64Array | undefined,
  weight: number,
): void {
  const g = r.gainKeVPerChannel;
  const c0 = (e0 - r.offsetKeV) / g;
  const lc = lambdaKeV / g;
  const hi = Math.min(Math.floor(c0), r.nChannels - 1);
  const lo = Math.max(Math.ceil(c0 - 8 * lc), 0);
  if (hi < lo) return;
  const norm = area / lc;
  const k = Math.exp(1 / lc);
  // exp((c − c0)/lc) evaluated incrementally from the top channel downwards.
  let v = norm * Math.exp((hi - c0) / lc);
  for (let c = hi; c >= lo; c--) {
    out[c] += v;
    if (outWeighted) outWeighted[c] += v * weight;
    v /= k;
  }
}

/**
 * Precomputed detector response for a smooth arrival spectrum given on the channel grid
 * (scatter continuum): channels are grouped by `groupChannels`, each group spread with one
 * normalised kernel row (main Gaussian with the group width folded into σ, plus the escape
 * Gaussian); tail and shelf are applied as O(n) recursions.
 */
export interface ContinuumResponse {
  readonly group: number;
  readonly rowStart: Int32Array;
  readonly rowOffset: Int32Array;
  readonly weights: Float64Array;
  /** Per fine channel: tail decay factor per channel (exp(−gain/λ)). */
  readonly tailDecay: Float64Array;
  readonly lowerLevelChannel: number;
}

function gaussianTaps(
  r: DetectorResponse,
  e0: number,
  sigma: number,
  scale: number,
  taps: Map<number, number>,
): void {
  const g = r.gainKeVPerChannel;
  const c0 = (e0 - r.offsetKeV) / g;
  const sc = sigma / g;
  const lo = Math.max(Math.ceil(c0 - 5 * sc), 0);
  const hi = Math.min(Math.floor(c0 + 5 * sc), r.nChannels - 1);
  let sum = 0;
  const vals: number[] = [];
  for (let c = lo; c <= hi; c++) {
    const v = Math.exp(-((c - c0) ** 2) / (2 * sc * sc));
    vals.push(v);
    sum += v;
  }
  if (sum === 0) return;
  // Normalised to the full (untruncated) Gaussian area so that peaks cut by the spectrum edges lose counts.
  const full = sc * Math.sqrt(2 * Math.PI);
  const norm = scale / Math.max(sum, full * 0.999999);
  for (let i = 0; i < vals.length; i++) taps.set(lo + i, (taps.get(lo + i) ?? 0) + vals[i] * norm);
}

/** Builds the {@link ContinuumResponse} of a detector response (once per simulator). */
export function createContinuumResponse(r: DetectorResponse, groupChannels = 4): ContinuumResponse {
  const det = r.det;
  const nGroups = Math.ceil(r.nChannels / groupChannels);
  const rowStart = new Int32Array(nGroups);
  const rowOffset = new Int32Array(nGroups + 1);
  const all: number[] = [];
  const groupWidth = groupChannels * r.gainKeVPerChannel;
  for (let k = 0; k < nGroups; k++) {
    const e = r.offsetKeV + r.gainKeVPerChannel * (k * groupChannels + (groupChannels - 1) / 2);
    const taps = new Map<number, number>();
    if (e > 0) {
      const fEsc = det.escapePeaks ? tabulatedEscape(r, e) : 0;
      const main = 1 - fEsc - det.tailFraction - det.shelfFraction;
      const s = Math.sqrt(sigmaKeV(det, e) ** 2 + (groupWidth * groupWidth) / 12);
      gaussianTaps(r, e, s, main, taps);
      if (fEsc > 0) {
        const eEsc = e - SI_KA_KEV;
        gaussianTaps(
          r,
          eEsc,
          Math.sqrt(sigmaKeV(det, eEsc) ** 2 + (groupWidth * groupWidth) / 12),
          fEsc,
          taps,
        );
      }
    }
    const keys = [...taps.keys()].sort((a, b) => a - b);
    rowOffset[k] = all.length;
    if (keys.length === 0) {
      rowStart[k] = 0;
      continue;
    }
    rowStart[k] = keys[0];
    for (let c = keys[0]; c <= keys[keys.length - 1]; c++) all.push(taps.get(c) ?? 0);
  }
  rowOffset[nGroups] = all.length;
  const tailDecay = new Float64Array(r.nChannels);
  for (let c = 0; c < r.nChannels; c++) {
    const e = Math.max(r.offsetKeV + r.gainKeVPerChannel * c, 0.01);
    const lambda = det.tailSlopeSigma * sigmaKeV(det, e);
    tailDecay[c] = Math.exp(-r.gainKeVPerChannel / lambda);
  }
  return {
    group: groupChannels,
    rowStart,
    rowOffset,
    weights: Float64Array.from(all),
    tailDecay,
    lowerLevelChannel: Math.max(
      Math.ceil((r.lowerLevelKeV - r.offsetKeV) / r.gainKeVPerChannel),
      0,
    ),
  };
}

/**
 * Applies the detector response to a smooth arrival spectrum `arrival` (photons per channel)
 * and adds the result to `out`. Allocation-free apart from nothing: `scratch` must have length
 * nChannels + 1.
 */
export function addContinuumResponse(
  r: DetectorResponse,
  cr: ContinuumResponse,
  arrival: Float64Array,
  out: Float64Array,
  scratch: Float64Array,
): void {
  const n = r.nChannels;
  const g = cr.group;
  const nGroups = cr.rowStart.length;
  for (let k = 0; k < nGroups; k++) {
    let a = 0;
    const c1 = Math.min((k + 1) * g, n);
    for (let c = k * g; c < c1; c++) a += arrival[c];
    if (a === 0) continue;
    const start = cr.rowStart[k];
    const o0 = cr.rowOffset[k];
    const len = cr.rowOffset[k + 1] - o0;
    for (let t = 0; t < len; t++) out[start + t] += a * cr.weights[o0 + t];
  }
  // Exponential low-energy tail (downward recursion) and flat shelf (suffix sum).
  const fT = r.det.tailFraction;
  const fS = r.det.shelfFraction;
  const lldc = cr.lowerLevelChannel;
  let y = 0;
  let shelf = 0;
  for (let c = n - 1; c >= 0; c--) {
    const k = cr.tailDecay[c];
    y = fT * arrival[c] * (1 - k) + k * y;
    out[c] += y;
    scratch[c] = shelf;
    if (c > lldc) shelf += (fS * arrival[c]) / (c - lldc);
  }
  for (let c = lldc; c < n; c++) out[c] += scratch[c];
}
