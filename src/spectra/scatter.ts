/**
 * Single scatter of the excitation towards the detector: Rayleigh at the incident energy E and
 * Compton at E′ = E / (1 + (E/m_e c²)(1 − cos θ)) for the instrument's scattering angle θ.
 * Tube lines become discrete peaks (the Compton peak carries a Doppler width); continuum bins
 * are spread uniformly over the channels they cover and later pass the continuum detector
 * response.
 *
 *   N_scatter(E) = Ω_det t · N0(E) · (dσ/dΩ)(E, θ) / sin ψ1 / (μ(E)/sin ψ1 + μ(E_out)/sin ψ2)
 *
 * See docs/physics.md, "Scatter".
 *
 * @module
 */
import { comptonEnergyKeV, crossSectionOnGrid, createEnergyGrid } from '../physics/index.js';
import type { ResolvedMaterial, EnergyGrid } from '../physics/index.js';
import type { EnergyCalibration } from '../profile.js';
import type { Excitation } from './excitation.js';
import type { PeakList } from './detectorResponse.js';

const DEG = Math.PI / 180;

/** Per-instrument scatter tables. @internal */
export interface ScatterPrep {
  thetaDeg: number;
  /** Polarisation-averaged Thomson angular factor 3(1 + cos²θ)/(16π) (1/sr). */
  angular: number;
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
  const cosT = Math.cos(thetaDeg * DEG);
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
  return {
    thetaDeg,
    angular: (3 * (1 + cosT * cosT)) / (16 * Math.PI),
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
  crossSectionOnGrid(exc.grid, material, 'coherent', coh);
  crossSectionOnGrid(exc.grid, material, 'incoherent', inc);
  crossSectionOnGrid(sp.comptonGrid, material, 'total', muComp);
  let total = 0;
  const n = exc.energyKeV.length;
  for (let j = 0; j < n; j++) {
    const n0 = exc.photonsPerS[j];
    if (n0 === 0) continue;
    const f = (gScatter * sp.angular * n0) / sin1;
    const ray = (f * coh[j] * sp.detectionE[j]) / (aExc[j] + mu0[j] / sin2);
    const com = (f * inc[j] * sp.detectionC[j]) / (aExc[j] + muComp[j] / sin2);
    if (exc.isLine[j]) {
      peaks.push(exc.energyKeV[j], ray, mu0[j], 0);
      peaks.push(comptonKeV[j], com, mu0[j], dopplerFraction * comptonKeV[j]);
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

function spread(arrival: Arrival, lo: number, hi: number, c: number, muIn: number): void {
  if (!(c > 0)) return;
  const v = c / (hi - lo + 1);
  const vw = v * muIn;
  for (let ch = lo; ch <= hi; ch++) {
    arrival.counts[ch] += v;
    arrival.weighted[ch] += vw;
  }
}
