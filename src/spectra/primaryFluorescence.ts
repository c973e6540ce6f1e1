/**
 * Primary fluorescence of a thick homogeneous sample (Sherman equation), integrated over the
 * polychromatic excitation:
 *
 *   I_i = G/sin ψ1 · w_a · ω_s p_i · ε(E_i) · Σ_j N0(E_j) τ_a,s(E_j) / (μ(E_j)/sin ψ1 + μ(E_i)/sin ψ2)
 *
 * with τ_a,s the vacancy-producing photo cross section of the line's shell (shell ionisation
 * share × element photo cross section, plus Coster–Kronig and radiative cascade terms).
 * Also returns, per line, the effective incident attenuation μ_in that reproduces the
 * thick-sample yield with a single term (used by the confocal transform).
 *
 * Per-element line and shell tables on the excitation grid are prepared once per instrument
 * and element ({@link prepareElement}).
 *
 * See docs/physics.md, "Primary fluorescence".
 *
 * @module
 */
import {
  createEnergyGrid,
  elementData,
  MAX_Z,
  shellVacancyFraction,
  type EnergyGrid,
} from '../physics/index.js';
import type { Excitation } from './excitation.js';

/** Per fluorescing shell of an element, tables on the excitation grids. @internal */
export interface ShellPrep {
  shell: string;
  /** τ_shell,eff(E) = photo × vacancy fraction on the excitation grid (cm²/g). */
  prodExc: Float64Array;
  /** Σ N0·τ_shell,eff over each group of the coarse grid (photons/s · cm²/g). */
  prodSec: Float64Array;
  /** First index of the coarse grid with prodSec > 0 (the grid is ascending). */
  secStart: number;
  /** N0·τ_shell,eff at every entry of the excitation (photons/s · cm²/g): the Sherman numerator. */
  sourceExc: Float64Array;
  /** The entries `[excStart, excEnd)` of `sourceExc` hold every non-zero value. */
  excStart: number;
  excEnd: number;
  /** τ_shell,eff at every energy of the line grid. */
  prodLines: Float64Array;
  /** τ_shell,eff at the coarse excitation energies. */
  tauCoarse: Float64Array;
  edgeKeV: number;
  /** Index of the strongest line of the shell in `lines`. */
  strongest: number;
}

/** One fluorescence line of an element. @internal */
export interface LinePrep {
  iupac: string;
  siegbahn: string;
  shell: string;
  shellIndex: number;
  energyKeV: number;
  /** ω_shell · radiative rate. */
  omegaP: number;
  radiativeRate: number;
  /** Detector efficiency × air transmission at the line energy. */
  detection: number;
  /** Index into the line grid. */
  gridIndex: number;
}

/** Everything sample-independent about one element. @internal */
export interface ElementPrep {
  z: number;
  symbol: string;
  lines: LinePrep[];
  shells: ShellPrep[];
}

/** The grid of every line energy of every element (for μ at line energies). @internal */
export interface LineGrid {
  energyKeV: Float64Array;
  grid: EnergyGrid;
  /** lineIndex[z][k]: grid index of line k of element z, −1 when not simulated. */
  lineIndex: number[][];
}

/** Builds the {@link LineGrid} of all lines in [minLineKeV, maxKeV). @internal */
export function prepareLineGrid(minLineKeV: number, maxKeV: number): LineGrid {
  const e: number[] = [];
  const lineIndex: number[][] = [];
  for (let z = 1; z <= MAX_Z; z++) {
    const idx: number[] = [];
    for (const l of elementData(z).lines) {
      if (l.energyKeV >= minLineKeV && l.energyKeV < maxKeV) {
        idx.push(e.length);
        e.push(l.energyKeV);
      } else idx.push(-1);
    }
    lineIndex[z] = idx;
  }
  const energyKeV = Float64Array.from(e);
  return { energyKeV, grid: createEnergyGrid(energyKeV), lineIndex };
}

function vacancyTable(z: number, shell: string, grid: EnergyGrid, photo: Float64Array) {
  const out = new Float64Array(photo.length);
  let lastE = NaN;
  let v = 0;
  for (let j = 0; j < out.length; j++) {
    const e = grid.energyKeV[j];
    if (e !== lastE) v = shellVacancyFraction(z, shell, e);
    lastE = e;
    out[j] = photo[j] * v;
  }
  return out;
}

/**
 * Prepares element `z`: its lines with energy in the line grid whose shell edge lies below
 * the tube voltage, and per shell the vacancy cross sections on the excitation grids.
 * @internal
 */
export function prepareElement(
  z: number,
  exc: Excitation,
  lineGrid: LineGrid,
  maxKeV: number,
  detectionAt: (energyKeV: number) => number,
): ElementPrep {
  const d = elementData(z);
  const shells: ShellPrep[] = [];
  const lines: LinePrep[] = [];
  const photoExc = exc.grid.element(z, 'photo');
  const photoLines = lineGrid.grid.element(z, 'photo');
  d.lines.forEach((l, k) => {
    const gi = lineGrid.lineIndex[z][k];
    if (gi < 0) return;
    const edge = d.edges.find((e) => e.shell === l.shell);
    if (!edge || edge.energyKeV >= maxKeV) return;
    const omegaP = edge.fluorescenceYield * l.radiativeRate;
    if (!(omegaP > 0)) return;
    let si = shells.findIndex((s) => s.shell === l.shell);
    if (si < 0) {
      shells.push({
        shell: l.shell,
        prodExc: vacancyTable(z, l.shell, exc.grid, photoExc),
        prodSec: new Float64Array(0),
        secStart: 0,
        sourceExc: new Float64Array(0),
        excStart: 0,
        excEnd: 0,
        prodLines: vacancyTable(z, l.shell, lineGrid.grid, photoLines),
        tauCoarse: vacancyTable(z, l.shell, exc.coarseGrid, exc.coarseGrid.element(z, 'photo')),
        edgeKeV: edge.energyKeV,
        strongest: lines.length,
      });
      si = shells.length - 1;
    }
    const lp: LinePrep = {
      iupac: l.iupac,
      siegbahn: l.siegbahn,
      shell: l.shell,
      shellIndex: si,
      energyKeV: l.energyKeV,
      omegaP,
      radiativeRate: l.radiativeRate,
      detection: detectionAt(l.energyKeV),
      gridIndex: gi,
    };
    lines.push(lp);
    const s = shells[si];
    if (
      lines[s.strongest].shell !== l.shell ||
      lp.radiativeRate > lines[s.strongest].radiativeRate
    ) {
      s.strongest = lines.length - 1;
    }
  });
  for (const sh of shells) weighShell(sh, exc);
  return { z, symbol: d.symbol, lines, shells };
}

/**
 * Fills the excitation-dependent fields of a shell (`prodSec`, `secStart`, `sourceExc`,
 * `excStart`, `excEnd`) from `exc.photonsPerS` and the shell's `prodExc`. @internal
 */
export function weighShell(sh: ShellPrep, exc: Excitation): void {
  const nSec = exc.coarseEnergyKeV.length;
  sh.prodSec = new Float64Array(nSec);
  for (let j = 0; j < sh.prodExc.length; j++) {
    sh.prodSec[exc.coarseOf[j]] += exc.photonsPerS[j] * sh.prodExc[j];
  }
  let k = 0;
  while (k < nSec && sh.prodSec[k] === 0) k++;
  sh.secStart = k;
  const nExc = sh.prodExc.length;
  sh.sourceExc = new Float64Array(nExc);
  let first = nExc;
  let end = 0;
  for (let j = 0; j < nExc; j++) {
    const q = exc.photonsPerS[j] * sh.prodExc[j];
    sh.sourceExc[j] = q;
    if (q !== 0) {
      if (first === nExc) first = j;
      end = j + 1;
    }
  }
  sh.excStart = Math.min(first, end);
  sh.excEnd = end;
}

/**
 * The preparation of an element for another excitation spectrum on the same grid (same
 * energies and coarse groups, other photon numbers): shares every excitation-independent
 * table with `base` and recomputes the excitation-dependent shell fields. @internal
 */
export function reweighElement(base: ElementPrep, exc: Excitation): ElementPrep {
  const shells = base.shells.map((s) => {
    const sh: ShellPrep = { ...s };
    weighShell(sh, exc);
    return sh;
  });
  return { ...base, shells };
}

/**
 * Sherman sum of one line: Σ_j N0_j τ_j / (a_j + b) with a_j = μ(E_j)/sin ψ1 (`aExc`) and
 * b = μ(E_i)/sin ψ2, into out[0]; into out[1] μ_in = sin ψ1 · (Σ N0τ / Σ N0τ/(a + b) − b)
 * (cm²/g), the harmonic mean that reproduces the thick-sample yield. Allocation-free.
 * @internal
 */
export function primaryLine(
  photons: Float64Array,
  prod: Float64Array,
  aExc: Float64Array,
  b: number,
  sin1: number,
  out: Float64Array,
): void {
  let c = 0;
  let y = 0;
  for (let j = 0; j < photons.length; j++) {
    const q = photons[j] * prod[j];
    if (q === 0) continue;
    c += q;
    y += q / (aExc[j] + b);
  }
  const aEff = y > 0 ? c / y - b : 0;
  out[0] = y;
  out[1] = Math.max(aEff * sin1, 0);
}

/**
 * {@link primaryLine} from the shell's precomputed numerators `source[j] = N0_j τ_j`, non-zero
 * only in `[start, end)`. The zero terms that {@link primaryLine} skips add exactly 0 here
 * (a_j + b > 0), so the result is the same to the last bit. Allocation-free.
 * @internal
 */
export function primaryLineFromSource(
  source: Float64Array,
  start: number,
  end: number,
  aExc: Float64Array,
  b: number,
  sin1: number,
  out: Float64Array,
): void {
  let c = 0;
  let y = 0;
  for (let j = start; j < end; j++) {
    const q = source[j];
    c += q;
    y += q / (aExc[j] + b);
  }
  const aEff = y > 0 ? c / y - b : 0;
  out[0] = y;
  out[1] = Math.max(aEff * sin1, 0);
}
