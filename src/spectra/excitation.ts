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
  elementData,
  massAttenuation,
  MAX_Z,
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
  /** The coarse groups cut at every absorption edge inside them (see {@link ExcitationAtoms}). */
  atoms?: ExcitationAtoms;
}

/**
 * The coarse groups cut at the absorption edges of every element (Z ≤ MAX_Z) that fall inside
 * them: runs of continuum bins ("atoms") within which no cross section jumps. The
 * second-order terms use the atoms of a group instead of the group where an element of the
 * sample has an edge inside it. @internal
 */
export interface ExcitationAtoms {
  /** Atom of each fine entry. */
  atomOf: Int32Array;
  /** First atom of each coarse group; the atoms of group k are start[k] … start[k + 1] − 1. */
  start: Int32Array;
  /** Photon-weighted mean energy of each atom (keV) and its cross-section memo. */
  energyKeV: Float64Array;
  grid: EnergyGrid;
  /** Per element (lazy): the coarse groups with an edge of the element strictly inside. */
  groupsWithEdge: Map<number, Int32Array>;
}

/**
 * The same excitation with every entry's photon number multiplied by `factor[j]` (a changed
 * optic band-pass, say): energies, coarse groups and atoms are kept (their photon-weighted mean
 * energies stay those of `exc`, a second-order effect on the scatter and secondary terms), the
 * per-group photon numbers are summed anew. All factors 1 give the same numbers as `exc`.
 * @internal
 */
export function reweighExcitation(exc: Excitation, factor: ArrayLike<number>): Excitation {
  const n = exc.energyKeV.length;
  const photonsPerS = new Float64Array(n);
  const coarsePhotonsPerS = new Float64Array(exc.coarsePhotonsPerS.length);
  for (let j = 0; j < n; j++) {
    photonsPerS[j] = exc.photonsPerS[j] * factor[j];
    coarsePhotonsPerS[exc.coarseOf[j]] += photonsPerS[j];
  }
  return { ...exc, photonsPerS, coarsePhotonsPerS };
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
  const atoms = prepareAtoms(energyKeV, photonsPerS, coarseOf, nc);
  return {
    atoms,
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

/** Every absorption edge of every element, ascending (keV). */
function allEdgesKeV(): Float64Array {
  const e: number[] = [];
  for (let z = 1; z <= MAX_Z; z++) for (const ed of elementData(z).edges) e.push(ed.energyKeV);
  return Float64Array.from(e).sort();
}

/** Cuts the coarse groups at every edge inside them ({@link ExcitationAtoms}). */
function prepareAtoms(
  energyKeV: Float64Array,
  photonsPerS: Float64Array,
  coarseOf: Int32Array,
  nCoarse: number,
): ExcitationAtoms {
  const edges = allEdgesKeV();
  const n = energyKeV.length;
  const atomOf = new Int32Array(n);
  const start = new Int32Array(nCoarse + 1);
  const meanE: number[] = [];
  let accN = 0;
  let accNE = 0;
  let first = 0;
  let ei = 0;
  const close = (j: number) => {
    meanE.push(accN > 0 ? accNE / accN : energyKeV[first]);
    accN = accNE = 0;
    first = j;
  };
  for (let j = 0; j < n; j++) {
    if (j > 0) {
      // A new atom starts with a new group, or when an edge lies in (E_{j−1}, E_j]: the bins
      // are evaluated at their centres, so bin j is the first above the edge.
      let edgeBetween = false;
      while (ei < edges.length && edges[ei] <= energyKeV[j]) {
        if (edges[ei] > energyKeV[j - 1]) edgeBetween = true;
        ei++;
      }
      if (coarseOf[j] !== coarseOf[j - 1]) {
        close(j);
        start[coarseOf[j]] = meanE.length;
      } else if (edgeBetween) close(j);
    } else {
      while (ei < edges.length && edges[ei] <= energyKeV[0]) ei++;
    }
    atomOf[j] = meanE.length;
    accN += photonsPerS[j];
    accNE += photonsPerS[j] * energyKeV[j];
  }
  close(n);
  start[nCoarse] = meanE.length;
  const atomEnergyKeV = Float64Array.from(meanE);
  return {
    atomOf,
    start,
    energyKeV: atomEnergyKeV,
    grid: createEnergyGrid(atomEnergyKeV),
    groupsWithEdge: new Map(),
  };
}

/** The coarse groups with an absorption edge of element z strictly inside (cached). @internal */
export function groupsWithEdge(exc: Excitation, z: number): Int32Array {
  const atoms = exc.atoms;
  if (atoms === undefined) return new Int32Array(0);
  let g = atoms.groupsWithEdge.get(z);
  if (g !== undefined) return g;
  const out: number[] = [];
  const nc = exc.coarseEnergyKeV.length;
  for (const ed of elementData(z).edges) {
    for (let k = 0; k < nc; k++) {
      if (atoms.start[k + 1] - atoms.start[k] < 2) continue;
      if (ed.energyKeV > exc.coarseLoKeV[k] && ed.energyKeV < exc.coarseHiKeV[k]) out.push(k);
    }
  }
  g = Int32Array.from(new Set(out)).sort();
  atoms.groupsWithEdge.set(z, g);
  return g;
}
