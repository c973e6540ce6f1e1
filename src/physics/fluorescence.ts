/**
 * Photoionisation per shell and fluorescence production cross sections (cm²/g).
 *
 * Shell photoionisation (jump-ratio approximation): at energy E only shells with edge ≤ E are
 * ionisable; ordered by decreasing binding energy, shell s takes the fraction (J_s − 1)/J_s of
 * the photo cross section that remains after the more tightly bound ionisable shells, each of
 * which leaves 1/J of it.
 *
 * Vacancy cascade included (documented model choice):
 * - K shell: direct photoionisation only.
 * - L shells: direct photoionisation; Coster–Kronig transfers L1→L2 (f12), L1→L3 (f13),
 *   L2→L3 (f23) (so L3 receives τ_L3 + f23 τ_L2 + (f13 + f12 f23) τ_L1); and the **radiative**
 *   K→L cascade: a K vacancy filled by a K-L1 / K-L2 / K-L3 photon (probability ω_K · p) leaves a
 *   vacancy in L1 / L2 / L3. Non-radiative (KLL Auger) K→L transfer is *not* included.
 * - M shells: direct photoionisation plus the M-subshell Coster–Kronig transfers of the data;
 *   L→M cascades are not included.
 *
 * @see M. O. Krause, J. Phys. Chem. Ref. Data 8 (1979) 307, doi:10.1063/1.555594
 * @see T. Schoonjans et al., Spectrochim. Acta B 66 (2011) 776, doi:10.1016/j.sab.2011.09.011 (xraylib cascade terms)
 * @module
 */
import { elementData, type ElementData, type ElementLike, type Shell } from './elementData.js';
import { evalLogSpline } from './logSpline.js';
import { line } from './atomicParameters.js';
import type { EnergyGrid } from './crossSections.js';

/**
 * Fraction of the photo cross section at `energyKeV` that ionises `shell` (0 below its edge).
 * At exactly the edge energy the shell counts as ionisable.
 */
export function shellIonisationFraction(el: ElementLike, shell: Shell, energyKeV: number): number {
  const d = elementData(el);
  let remaining = 1;
  // Elam lists edges by decreasing binding energy (K, L1, L2, …).
  for (const e of d.edges) {
    if (e.energyKeV > energyKeV) continue;
    const j = e.jumpRatio > 1 ? e.jumpRatio : 1;
    if (e.shell === shell) return (remaining * (j - 1)) / j;
    remaining /= j;
  }
  return 0;
}

/**
 * Photoionisation cross section of one shell, τ_s(E) (cm²/g).
 * @example shellPhotoCrossSection('Fe', 'K', 10) // ≈ 0.87 · τ_Fe(10 keV)
 */
export function shellPhotoCrossSection(el: ElementLike, shell: Shell, energyKeV: number): number {
  const d = elementData(el);
  const f = shellIonisationFraction(d.z, shell, energyKeV);
  return f === 0 ? 0 : f * evalLogSpline(d.photo, energyKeV, d.z);
}

const L_SHELLS = ['L1', 'L2', 'L3'] as const;

function yieldOf(d: ElementData, shell: string): number {
  return d.edges.find((e) => e.shell === shell)?.fluorescenceYield ?? 0;
}

function radiativeRateOf(d: ElementData, iupac: string): number {
  return d.lines.find((l) => l.iupac === iupac)?.radiativeRate ?? 0;
}

/**
 * Vacancies created in `shell` per unit photo cross section at `energyKeV`, i.e. the effective
 * ionisation fraction including the cascade terms listed in the module documentation.
 * `fluorescenceProduction = σ_photo · shellVacancyFraction · ω_shell · p_line`.
 */
export function shellVacancyFraction(el: ElementLike, shell: Shell, energyKeV: number): number {
  const d = elementData(el);
  const direct = (s: string) => shellIonisationFraction(d.z, s, energyKeV);
  if (shell === 'K') return direct('K');
  if (shell[0] === 'L') {
    const nK = direct('K');
    const wK = yieldOf(d, 'K');
    const ck = d.costerKronig;
    const n: Record<string, number> = {};
    for (const s of L_SHELLS) {
      n[s] = direct(s) + nK * wK * radiativeRateOf(d, `K-${s}`);
    }
    n.L2 += (ck.L1?.L2 ?? 0) * n.L1;
    n.L3 += (ck.L1?.L3 ?? 0) * n.L1 + (ck.L2?.L3 ?? 0) * n.L2;
    return n[shell] ?? 0;
  }
  // M (and higher) shells: direct + Coster–Kronig within the group, in data order.
  const group = d.edges.filter((e) => e.shell[0] === shell[0]).map((e) => e.shell);
  const n: Record<string, number> = {};
  for (const s of group) n[s] = direct(s);
  for (const from of group) {
    for (const [to, f] of Object.entries(d.costerKronig[from] ?? {})) {
      if (to in n) n[to] += f * n[from];
    }
  }
  return n[shell] ?? 0;
}

/**
 * Fluorescence production cross section of a line (cm²/g): photoionisation of the line's shell
 * (with Coster–Kronig and radiative K→L cascade, see module doc) × fluorescence yield ×
 * radiative rate. Zero below the relevant edges.
 * @example fluorescenceProduction('Fe', 'KA1', 10) // ≈ 29 cm²/g
 */
export function fluorescenceProduction(el: ElementLike, lineId: string, energyKeV: number): number {
  const d = elementData(el);
  const l = line(d.z, lineId);
  const v = shellVacancyFraction(d.z, l.shell, energyKeV);
  if (v === 0) return 0;
  return evalLogSpline(d.photo, energyKeV, d.z) * v * yieldOf(d, l.shell) * l.radiativeRate;
}

/**
 * {@link fluorescenceProduction} on every energy of an {@link EnergyGrid} (cm²/g), using the
 * grid's cached photo cross sections. Writes into `out` if given.
 */
export function fluorescenceProductionGrid(
  el: ElementLike,
  lineId: string,
  grid: EnergyGrid,
  out?: Float64Array,
): Float64Array {
  const d = elementData(el);
  const l = line(d.z, lineId);
  const photo = grid.element(d.z, 'photo');
  const e = grid.energyKeV;
  const o = out ?? new Float64Array(e.length);
  const k = yieldOf(d, l.shell) * l.radiativeRate;
  // The vacancy fraction is piecewise constant between edges: recompute only when it can change.
  let lastE = NaN;
  let v = 0;
  for (let i = 0; i < e.length; i++) {
    if (e[i] !== lastE) {
      v = shellVacancyFraction(d.z, l.shell, e[i]);
      lastE = e[i];
    }
    o[i] = photo[i] * v * k;
  }
  return o;
}
