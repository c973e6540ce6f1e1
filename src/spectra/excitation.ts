/**
 * Excitation of the sample: the tube spectrum (continuum bins and characteristic lines) times
 * the excitation optic's band-pass, its captured solid angle, the tube current and the air path
 * tube → sample, merged into one ascending energy list. A coarse copy of that list (continuum
 * bins merged in groups, tube lines kept) serves the second-order processes.
 *
 * See docs/physics.md, "Excitation".
 *
 * @module
 */
import {
  comptonEnergyKeV,
  createEnergyGrid,
  massAttenuation,
  type EnergyGrid,
} from '../physics/index.js';
import { AIR, bandPass, type Instrument } from './instrument.js';
import { tubeSpectrum } from './tube.js';

/** Transmission of `pathMm` of ambient air at `energyKeV`. */
export function airTransmission(energyKeV: number, pathMm: number): number {
  if (pathMm === 0) return 1;
  return Math.exp(
    -massAttenuation(AIR.massFractions, energyKeV) * AIR.densityGPerCm3 * pathMm * 0.1,
  );
}

/** Continuum bins merged per node of the coarse excitation grid. */
export const COARSE_GROUP = 16;

/** The excitation spectrum reaching the sample, on its own energy grid. @internal */
export interface Excitation {
  /** Ascending energies (keV): continuum bin centres and tube-line energies. */
  energyKeV: Float64Array;
  /** Photons per second reaching the sample in each bin / line. */
  photonsPerS: Float64Array;
  /** 1 for a tube line, 0 for a continuum bin. */
  isLine: Uint8Array;
  /** Bin width (keV); 0 for lines. */
  binWidthKeV: Float64Array;
  /** Cross-section memo on `energyKeV`. */
  grid: EnergyGrid;
  /** Coarse grid: photon-weighted mean energy of each group (keV). */
  coarseEnergyKeV: Float64Array;
  /** Cross-section memo on `coarseEnergyKeV`. */
  coarseGrid: EnergyGrid;
  /** Index of the coarse group of each fine entry. */
  coarseOf: Int32Array;
  /** Photons per second in each coarse group. */
  coarsePhotonsPerS: Float64Array;
  /** Lowest and highest energy covered by each coarse group (keV). */
  coarseLoKeV: Float64Array;
  coarseHiKeV: Float64Array;
  /** Compton energy at 90° of each coarse energy (keV): the mean energy of isotropically
   * scattered Compton photons, used by the second-order scatter terms. */
  coarseComptonKeV: Float64Array;
  /** Cross-section memo on `coarseComptonKeV`. */
  coarseComptonGrid: EnergyGrid;
}

/**
 * Builds the excitation of `inst`: tube continuum from `minKeV` to the tube voltage plus the
 * anode lines, each multiplied by current × optic solid angle × band-pass × air transmission.
 * @internal
 */
export function prepareExcitation(inst: Instrument, minKeV: number): Excitation {
  const tube = tubeSpectrum(inst.tube, { minKeV });
  const list: { e: number; n: number; line: boolean; w: number }[] = [];
  const scale = inst.tube.currentMA * inst.excitationOptic.solidAngleSr;
  const factor = (e: number) =>
    scale * bandPass(inst.excitationOptic, e) * airTransmission(e, inst.airPathInMm);
  for (let i = 0; i < tube.energyKeV.length; i++) {
    const e = tube.energyKeV[i];
    list.push({ e, n: tube.continuumPerSrPerMA[i] * factor(e), line: false, w: tube.binWidthKeV });
  }
  for (const l of tube.lines) {
    list.push({ e: l.energyKeV, n: l.photonsPerSrPerMA * factor(l.energyKeV), line: true, w: 0 });
  }
  list.sort((a, b) => a.e - b.e);
  const energyKeV = Float64Array.from(list.map((x) => x.e));
  const photonsPerS = Float64Array.from(list.map((x) => x.n));
  const isLine = Uint8Array.from(list.map((x) => (x.line ? 1 : 0)));
  const binWidthKeV = Float64Array.from(list.map((x) => x.w));
  const n = energyKeV.length;

  // Coarse grid: continuum bins merged ×COARSE_GROUP, tube lines kept on their own. Sums of
  // N0·τ over a group are exact (edges inside a group are handled by the caller summing fine
  // products); only attenuation uses the group's mean energy.
  const coarseOf = new Int32Array(n);
  const coarse: number[] = [];
  let accN = 0;
  let accNE = 0;
  let members: number[] = [];
  const flush = () => {
    if (members.length === 0) return;
    const k = coarse.length;
    coarse.push(accN > 0 ? accNE / accN : energyKeV[members[0]]);
    for (const j of members) coarseOf[j] = k;
    accN = accNE = 0;
    members = [];
  };
  for (let j = 0; j < n; j++) {
    if (isLine[j]) flush();
    members.push(j);
    accN += photonsPerS[j];
    accNE += photonsPerS[j] * energyKeV[j];
    if (isLine[j] || members.length === COARSE_GROUP) flush();
  }
  flush();
  const coarseEnergyKeV = Float64Array.from(coarse);
  const nc = coarse.length;
  const coarsePhotonsPerS = new Float64Array(nc);
  const coarseLoKeV = new Float64Array(nc).fill(Infinity);
  const coarseHiKeV = new Float64Array(nc).fill(-Infinity);
  for (let j = 0; j < n; j++) {
    const k = coarseOf[j];
    coarsePhotonsPerS[k] += photonsPerS[j];
    coarseLoKeV[k] = Math.min(coarseLoKeV[k], energyKeV[j] - binWidthKeV[j] / 2);
    coarseHiKeV[k] = Math.max(coarseHiKeV[k], energyKeV[j] + binWidthKeV[j] / 2);
  }
  const coarseComptonKeV = coarseEnergyKeV.map((e) => comptonEnergyKeV(e, 90));
  return {
    coarsePhotonsPerS,
    coarseLoKeV,
    coarseHiKeV,
    coarseComptonKeV,
    coarseComptonGrid: createEnergyGrid(coarseComptonKeV),
    energyKeV,
    photonsPerS,
    isLine,
    binWidthKeV,
    grid: createEnergyGrid(energyKeV),
    coarseEnergyKeV,
    coarseGrid: createEnergyGrid(coarseEnergyKeV),
    coarseOf,
  };
}
