/**
 * Photoionisation per shell, vacancy cascades and fluorescence production cross sections (cm²/g).
 *
 * Shell photoionisation: τ_s(E) = τ(E) · share_s(E), with τ the Elam photo cross section and
 * share_s(E) = σ_s(E)/Σσ the energy-dependent share of shell s in xraylib's Kissel subshell
 * cross sections (K, L1–L3, M1–M5; the set of ionisable shells is fixed by the Elam edge
 * energies, so the shares switch exactly where τ jumps). Other shells (N, O, …) fall back to the
 * jump-ratio approximation: ordered by decreasing binding energy, shell s takes (J_s − 1)/J_s of
 * what remains after the more tightly bound ionisable shells.
 *
 * Vacancies per photoabsorption in shell s, P_s (the bookkeeping of xraylib's
 * `CS_FluorLine_Kissel_Cascade`, selectable with {@link CascadeMode}):
 * - P_K = share_K
 * - P_Li = share_Li + Σ_{K} P_K (ω_K p_{K→Li} [radiative] + a_{K→Li} [non-radiative])
 *   + Coster–Kronig f_{ji} P_Lj (j < i)
 * - P_Mi = share_Mi + Σ_{K, L1–L3} P_X (ω_X p_{X→Mi} + a_{X→Mi}) + Σ_{j<i} f_{ji} P_Mj
 * with p the radiative rate of the X–Mi line, a the Auger yield × Σ Auger rates × the number of
 * holes each Auger transition leaves in the shell (2 for K-L1L1 into L1), as xraylib counts them.
 * Line production: σ_line(E) = τ(E) · P_shell(E) · ω_shell · p_line.
 *
 * @see M. O. Krause, J. Phys. Chem. Ref. Data 8 (1979) 307, doi:10.1063/1.555594
 * @see T. Schoonjans et al., Spectrochim. Acta B 66 (2011) 776, doi:10.1016/j.sab.2011.09.011 (xraylib cascade terms)
 * @module
 */
import { InvalidArgumentError, describeValue } from '../errors.js';
import {
  elementData,
  INNER_SHELL_LABELS,
  type ElementData,
  type ElementLike,
  type PhotoShareTable,
  type Shell,
} from './elementData.js';
import { evalLogSpline, checkEnergyKeV } from './logSpline.js';
import { line } from './atomicParameters.js';
import type { EnergyGrid } from './crossSections.js';

/**
 * Which vacancy transfers into a shell are counted (Coster–Kronig transfers within the L and M
 * shells are always counted):
 * - `'none'`: direct photoionisation + Coster–Kronig only;
 * - `'radiative'`: + vacancies left by K → L, K → M and L → M X-ray emission;
 * - `'nonradiative'`: + vacancies left by the Auger decay of K and L vacancies;
 * - `'full'` (default): radiative + non-radiative, as xraylib's `CS_FluorLine_Kissel_Cascade`.
 */
export type CascadeMode = 'none' | 'radiative' | 'nonradiative' | 'full';

/** Options of the vacancy and fluorescence functions. */
export interface CascadeOptions {
  /** Vacancy cascade counted; default `'full'`. */
  cascade?: CascadeMode;
}

/** Shells with energy-dependent shares and cascades, in order of decreasing binding energy. */
export const INNER_SHELLS: readonly Shell[] = INNER_SHELL_LABELS;
const N_INNER = INNER_SHELL_LABELS.length;
const INNER_INDEX: Readonly<Record<string, number>> = Object.fromEntries(
  INNER_SHELLS.map((s, i) => [s, i]),
);
/** ln-E tolerance within which an energy just below a tabulated edge counts as at the edge. */
const SHARE_EDGE_SNAP_LN = 1e-6;

function checkCascade(mode: unknown): CascadeMode {
  if (mode === undefined) return 'full';
  if (mode === 'none' || mode === 'radiative' || mode === 'nonradiative' || mode === 'full') {
    return mode;
  }
  throw new InvalidArgumentError(
    `cascade must be 'none', 'radiative', 'nonradiative' or 'full'. Value: \`${describeValue(mode)}\`.`,
  );
}

function edgeKeV(d: ElementData, shell: string): number {
  for (const e of d.edges) if (e.shell === shell) return e.energyKeV;
  return Infinity;
}

/** Linear interpolation of one share column in ln E (no allocation). */
function interpShare(t: PhotoShareTable, col: Float64Array, lnEv: number): number {
  const xs = t.lnEnergyEv;
  const n = xs.length;
  if (lnEv <= xs[0]) return col[0];
  if (lnEv >= xs[n - 1]) return col[n - 1];
  let lo = 0;
  let hi = n - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (xs[mid] <= lnEv) lo = mid;
    else hi = mid;
  }
  // Just below a doubled (edge) abscissa through rounding of the stored ln E: take the
  // above-edge value (the caller has already checked E ≥ the edge energy).
  if (lo + 2 < n && xs[lo + 1] === xs[lo + 2] && xs[lo + 1] - lnEv <= SHARE_EDGE_SNAP_LN) {
    return col[lo + 2];
  }
  const h = xs[lo + 1] - xs[lo];
  if (h === 0) return col[lo + 1];
  return col[lo] + ((lnEv - xs[lo]) / h) * (col[lo + 1] - col[lo]);
}

function jumpRatioFraction(d: ElementData, shell: Shell, energyKeV: number): number {
  let remaining = 1;
  for (const e of d.edges) {
    if (e.energyKeV > energyKeV) continue;
    const j = e.jumpRatio > 1 ? e.jumpRatio : 1;
    if (e.shell === shell) return (remaining * (j - 1)) / j;
    remaining /= j;
  }
  return 0;
}

function shareOf(d: ElementData, shell: Shell, energyKeV: number): number {
  if (energyKeV < edgeKeV(d, shell)) return 0;
  const t = d.photoShares;
  const i = t ? t.shells.indexOf(shell) : -1;
  if (!t || i < 0) return jumpRatioFraction(d, shell, energyKeV);
  return interpShare(t, t.share[i], Math.log(energyKeV * 1000));
}

/**
 * Fraction of the photo cross section at `energyKeV` that ionises `shell` directly (0 below its
 * edge; at exactly the edge energy the shell counts as ionisable). Energy-dependent for K,
 * L1–L3 and M1–M5 (xraylib Kissel shares), jump-ratio approximation for outer shells.
 * @example shellIonisationFraction('Ba', 'L1', 20.2) // ≈ 0.32 (0.13 just above the L1 edge)
 */
export function shellIonisationFraction(el: ElementLike, shell: Shell, energyKeV: number): number {
  checkEnergyKeV(energyKeV);
  return shareOf(elementData(el), shell, energyKeV);
}

/**
 * Photoionisation cross section of one shell, τ_s(E) = τ(E) · share_s(E) (cm²/g).
 * @example shellPhotoCrossSection('Fe', 'K', 10) // ≈ 0.885 · τ_Fe(10 keV)
 */
export function shellPhotoCrossSection(el: ElementLike, shell: Shell, energyKeV: number): number {
  const d = elementData(el);
  const f = shellIonisationFraction(d.z, shell, energyKeV);
  return f === 0 ? 0 : f * evalLogSpline(d.photo, energyKeV, d.z);
}

function yieldOf(d: ElementData, shell: string): number {
  for (const e of d.edges) if (e.shell === shell) return e.fluorescenceYield;
  return 0;
}

/**
 * Fills `out[0..8]` with the vacancies per unit photo cross section of K, L1–L3, M1–M5
 * ({@link INNER_SHELLS} order) at `energyKeV`: P_s of the module documentation. Shells the
 * element lacks are 0. Allocation-free; the per-energy kernel of the simulator.
 * @returns `out`
 * @example
 * ```ts
 * import { INNER_SHELLS, innerShellVacancies } from 'cmxrf/physics';
 * const p = innerShellVacancies('Fe', 10, new Float64Array(INNER_SHELLS.length));
 * p[0]; // ≈ 0.885 (K)
 * p[3]; // ≈ 1.09 (L3, most of it from the K cascade)
 * ```
 */
export function innerShellVacancies(
  el: ElementLike,
  energyKeV: number,
  out: Float64Array,
  options: CascadeOptions = {},
): Float64Array {
  checkEnergyKeV(energyKeV);
  if (!(out instanceof Float64Array) || out.length < N_INNER) {
    throw new InvalidArgumentError(
      `out must be a Float64Array of length ≥ ${N_INNER}; got ${describeValue(out)}.`,
    );
  }
  const mode = checkCascade(options.cascade);
  const d = elementData(el);
  const rad = mode === 'radiative' || mode === 'full';
  const aug = mode === 'nonradiative' || mode === 'full';
  const k = d.innerShells;
  const t = d.photoShares;
  // One segment search in the share table serves all shells.
  const lnEv = Math.log(energyKeV * 1000);
  let seg = -1;
  let frac = 0;
  let snapped = false;
  if (t) {
    const xs = t.lnEnergyEv;
    const n = xs.length;
    if (lnEv <= xs[0]) {
      seg = 0;
    } else if (lnEv >= xs[n - 1]) {
      seg = n - 1;
    } else {
      let lo = 0;
      let hi = n - 1;
      while (hi - lo > 1) {
        const mid = (lo + hi) >> 1;
        if (xs[mid] <= lnEv) lo = mid;
        else hi = mid;
      }
      if (lo + 2 < n && xs[lo + 1] === xs[lo + 2] && xs[lo + 1] - lnEv <= SHARE_EDGE_SNAP_LN) {
        seg = lo + 2;
        snapped = true;
      } else {
        seg = lo;
        const h = xs[lo + 1] - xs[lo];
        frac = h === 0 ? 1 : (lnEv - xs[lo]) / h;
      }
    }
  }
  for (let i = 0; i < N_INNER; i++) {
    if (energyKeV < k.edgeKeV[i]) {
      // Not ionisable: no cascade either (every donor shell is more tightly bound).
      out[i] = 0;
      continue;
    }
    let v: number;
    const c = k.shareColumn[i];
    if (c < 0 || !t) {
      v = jumpRatioFraction(d, INNER_SHELL_LABELS[i], energyKeV);
    } else {
      const col = t.share[c];
      const last = col.length - 1;
      v =
        snapped || seg >= last || frac === 0
          ? col[seg]
          : col[seg] + frac * (col[seg + 1] - col[seg]);
    }
    for (let j = 0; j < i; j++) {
      const pj = out[j];
      if (pj === 0) continue;
      const m = j * N_INNER + i;
      v += k.costerKronig[m] * pj;
      if (rad) v += k.radiative[m] * pj;
      if (aug) v += k.auger[m] * pj;
    }
    out[i] = v;
  }
  return out;
}

/**
 * Vacancies created in `shell` per unit photo cross section at `energyKeV`, including the
 * cascade selected by `options.cascade` (default `'full'`).
 * `fluorescenceProduction = τ · shellVacancyFraction · ω_shell · p_line`.
 * Outer shells (N, O, …): direct photoionisation + the Coster–Kronig transfers of the data.
 */
export function shellVacancyFraction(
  el: ElementLike,
  shell: Shell,
  energyKeV: number,
  options: CascadeOptions = {},
): number {
  const d = elementData(el);
  const idx = INNER_INDEX[shell];
  if (idx !== undefined) {
    return innerShellVacancies(d.z, energyKeV, new Float64Array(INNER_SHELLS.length), options)[idx];
  }
  checkEnergyKeV(energyKeV);
  const group = d.edges.filter((e) => e.shell[0] === shell[0]).map((e) => e.shell);
  const n: Record<string, number> = {};
  for (const s of group) n[s] = shareOf(d, s, energyKeV);
  for (const from of group) {
    for (const [to, f] of Object.entries(d.costerKronig[from] ?? {})) {
      if (to in n) n[to] += f * n[from];
    }
  }
  return n[shell] ?? 0;
}

/**
 * Fluorescence production cross section of a line (cm²/g) at excitation energy
 * `excitationKeV`: τ(E) × vacancies in the line's shell (with the cascade of
 * `options.cascade`, default `'full'`) × fluorescence yield × radiative rate. Zero below the
 * relevant edges. Comparable to xraylib's `CS_FluorLine_Kissel_Cascade` (same yields, rates and
 * cascade; τ from Elam instead of Kissel).
 * @example fluorescenceLineCrossSectionCm2PerG('Fe', 'KA1', 10) // ≈ 31 cm²/g
 */
export function fluorescenceLineCrossSectionCm2PerG(
  el: ElementLike,
  lineId: string,
  excitationKeV: number,
  options: CascadeOptions = {},
): number {
  const d = elementData(el);
  const l = line(d.z, lineId);
  const v = shellVacancyFraction(d.z, l.shell, excitationKeV, options);
  if (v === 0) return 0;
  return evalLogSpline(d.photo, excitationKeV, d.z) * v * yieldOf(d, l.shell) * l.radiativeRate;
}

/**
 * Fluorescence production cross section of a line (cm²/g); the same as
 * {@link fluorescenceLineCrossSectionCm2PerG}.
 * @example fluorescenceProduction('Fe', 'KA1', 10) // ≈ 31 cm²/g
 */
export function fluorescenceProduction(
  el: ElementLike,
  lineId: string,
  energyKeV: number,
  options: CascadeOptions = {},
): number {
  return fluorescenceLineCrossSectionCm2PerG(el, lineId, energyKeV, options);
}

/**
 * {@link fluorescenceProduction} on every energy of an {@link EnergyGrid} (cm²/g), using the
 * grid's cached photo cross sections. Writes into `out` if given (allocation-free then apart
 * from one 9-element scratch array per call).
 */
export function fluorescenceProductionGrid(
  el: ElementLike,
  lineId: string,
  grid: EnergyGrid,
  out?: Float64Array,
  options: CascadeOptions = {},
): Float64Array {
  const d = elementData(el);
  const l = line(d.z, lineId);
  const photo = grid.element(d.z, 'photo');
  const e = grid.energyKeV;
  const o = out ?? new Float64Array(e.length);
  if (o.length !== e.length) {
    throw new InvalidArgumentError(`out must have length ${e.length}; got ${o.length}.`);
  }
  const k = yieldOf(d, l.shell) * l.radiativeRate;
  const idx = INNER_INDEX[l.shell];
  const scratch = new Float64Array(N_INNER);
  let lastE = NaN;
  let v = 0;
  for (let i = 0; i < e.length; i++) {
    if (e[i] !== lastE) {
      v =
        idx !== undefined
          ? innerShellVacancies(d.z, e[i], scratch, options)[idx]
          : shellVacancyFraction(d.z, l.shell, e[i], options);
      lastE = e[i];
    }
    o[i] = photo[i] * v * k;
  }
  return o;
}
