/**
 * Photon interaction cross sections (cm²/g) of elements and materials from the Elam tables:
 * photoabsorption, coherent (Rayleigh) and incoherent (Compton) scattering and their sum, the
 * total mass attenuation coefficient.
 *
 * Scalar functions resolve the material on every call; for hot loops use the grid versions
 * (`…Grid`, filling a caller-provided `Float64Array`) or an {@link EnergyGrid}, which caches the
 * per-element cross sections for a fixed energy grid.
 *
 * @see Elam, Ravel & Sieber, Radiat. Phys. Chem. 63 (2002) 121, doi:10.1016/S0969-806X(01)00227-4
 * @module
 */
import { InvalidArgumentError } from '../errors.js';
import { elementData, type ElementData, type LogSplineTable } from './elementData.js';
import { checkEnergyKeV, evalLogSpline, evalLogSplineGrid, LN_EV_PER_KEV } from './logSpline.js';
import { resolveMaterial, type Material, type ResolvedMaterial } from './material.js';

/** Which interaction. */
export type CrossSectionKind = 'photo' | 'coherent' | 'incoherent' | 'total';

const KINDS: readonly Exclude<CrossSectionKind, 'total'>[] = ['photo', 'coherent', 'incoherent'];

function table(d: ElementData, kind: Exclude<CrossSectionKind, 'total'>): LogSplineTable {
  return kind === 'photo' ? d.photo : kind === 'coherent' ? d.coherent : d.incoherent;
}

function asResolved(material: Material | ResolvedMaterial): ResolvedMaterial {
  if (typeof material === 'object' && material !== null && material.z instanceof Int32Array) {
    return material as ResolvedMaterial;
  }
  return resolveMaterial(material as Material);
}

function scalar(
  material: Material | ResolvedMaterial,
  energyKeV: number,
  kind: CrossSectionKind,
): number {
  checkEnergyKeV(energyKeV);
  const m = asResolved(material);
  let sum = 0;
  for (let i = 0; i < m.z.length; i++) {
    const d = elementData(m.z[i]);
    if (kind === 'total') {
      for (const k of KINDS) sum += m.massFraction[i] * evalLogSpline(table(d, k), energyKeV, d.z);
    } else {
      sum += m.massFraction[i] * evalLogSpline(table(d, kind), energyKeV, d.z);
    }
  }
  return sum;
}

/**
 * Photoabsorption cross section τ (cm²/g) of a material at `energyKeV`.
 * @throws {@link EnergyOutOfRangeError} outside the tabulated range (0.1 keV … 800 keV).
 * @example photoCrossSection('Fe', 10) // ≈ 164 cm²/g
 */
export function photoCrossSection(
  material: Material | ResolvedMaterial,
  energyKeV: number,
): number {
  return scalar(material, energyKeV, 'photo');
}

/**
 * Coherent (Rayleigh) scattering cross section (cm²/g), integrated over all angles.
 * @example
 * ```ts
 * rayleighCrossSection('H2O', 20); // ≈ 0.0886 cm²/g
 * ```
 */
export function rayleighCrossSection(
  material: Material | ResolvedMaterial,
  energyKeV: number,
): number {
  return scalar(material, energyKeV, 'coherent');
}

/**
 * Incoherent (Compton) scattering cross section (cm²/g), integrated over all angles.
 * @example
 * ```ts
 * comptonCrossSection('H2O', 20); // ≈ 0.177 cm²/g
 * ```
 */
export function comptonCrossSection(
  material: Material | ResolvedMaterial,
  energyKeV: number,
): number {
  return scalar(material, energyKeV, 'incoherent');
}

/**
 * Total mass attenuation coefficient μ/ρ (cm²/g) = photo + coherent + incoherent.
 * @example massAttenuation('H2O', 20) // ≈ 0.81 cm²/g
 */
export function massAttenuation(material: Material | ResolvedMaterial, energyKeV: number): number {
  return scalar(material, energyKeV, 'total');
}

function checkGrid(energiesKeV: Float64Array, out: Float64Array | undefined): Float64Array {
  if (!(energiesKeV instanceof Float64Array)) {
    throw new InvalidArgumentError('energiesKeV must be a Float64Array.');
  }
  for (let i = 0; i < energiesKeV.length; i++) checkEnergyKeV(energiesKeV[i], `energiesKeV[${i}]`);
  if (out === undefined) return new Float64Array(energiesKeV.length);
  if (!(out instanceof Float64Array) || out.length !== energiesKeV.length) {
    throw new InvalidArgumentError(
      `out must be a Float64Array of length ${energiesKeV.length}; got length ${out?.length}.`,
    );
  }
  return out;
}

/**
 * Fills `out` (or a new array) with a cross section of `kind` for every energy of the grid.
 * Evaluates the splines directly (no cache); for repeated use on one grid prefer
 * {@link createEnergyGrid}.
 */
export function crossSectionGrid(
  material: Material | ResolvedMaterial,
  energiesKeV: Float64Array,
  kind: CrossSectionKind,
  out?: Float64Array,
): Float64Array {
  const o = checkGrid(energiesKeV, out);
  const m = asResolved(material);
  const ln = new Float64Array(energiesKeV.length);
  for (let i = 0; i < ln.length; i++) ln[i] = Math.log(energiesKeV[i]) + LN_EV_PER_KEV;
  o.fill(0);
  for (let j = 0; j < m.z.length; j++) {
    const d = elementData(m.z[j]);
    for (const k of kind === 'total' ? KINDS : [kind]) {
      evalLogSplineGrid(table(d, k), ln, o, m.massFraction[j], true, d.z);
    }
  }
  return o;
}

/**
 * {@link massAttenuation} on a whole grid (cm²/g), into `out` if given.
 * @example
 * ```ts
 * massAttenuationGrid('H2O', new Float64Array([10, 20])); // ≈ [5.33, 0.810] cm²/g
 * ```
 */
export function massAttenuationGrid(
  material: Material | ResolvedMaterial,
  energiesKeV: Float64Array,
  out?: Float64Array,
): Float64Array {
  return crossSectionGrid(material, energiesKeV, 'total', out);
}

/** {@link photoCrossSection} on a whole grid (cm²/g). */
export function photoCrossSectionGrid(
  material: Material | ResolvedMaterial,
  energiesKeV: Float64Array,
  out?: Float64Array,
): Float64Array {
  return crossSectionGrid(material, energiesKeV, 'photo', out);
}

/**
 * A fixed energy grid with a memo of per-element cross sections on it. The memo is private to
 * the grid object (no global state); evaluating a material is then a weighted sum of cached
 * arrays — the simulator's hot path.
 */
export interface EnergyGrid {
  /** Grid energies (keV), as given. */
  readonly energyKeV: Float64Array;
  /** Per-element cross section of `kind` on the grid (cm²/g); cached, read-only. */
  element(z: number, kind: CrossSectionKind): Float64Array;
}

/**
 * Creates an {@link EnergyGrid} for repeated cross-section evaluation on `energiesKeV`.
 * @throws {@link InvalidArgumentError} for non-finite or non-positive energies.
 * @example
 * ```ts
 * const grid = createEnergyGrid([5, 10, 20]);
 * crossSectionOnGrid(grid, 'H2O'); // Float64Array [42.6, 5.33, 0.810] cm²/g
 * ```
 */
export function createEnergyGrid(energiesKeV: ArrayLike<number>): EnergyGrid {
  const e = Float64Array.from(energiesKeV);
  checkGrid(e, undefined);
  const ln = new Float64Array(e.length);
  for (let i = 0; i < ln.length; i++) ln[i] = Math.log(e[i]) + LN_EV_PER_KEV;
  const memo = new Map<number, Float64Array>();
  const kindIndex: Record<CrossSectionKind, number> = {
    photo: 0,
    coherent: 1,
    incoherent: 2,
    total: 3,
  };
  const get = (z: number, kind: CrossSectionKind): Float64Array => {
    const key = z * 4 + kindIndex[kind];
    let a = memo.get(key);
    if (a === undefined) {
      a = new Float64Array(e.length);
      const d = elementData(z);
      if (kind === 'total') {
        for (const k of KINDS) {
          const part = get(z, k);
          for (let i = 0; i < a.length; i++) a[i] += part[i];
        }
      } else {
        evalLogSplineGrid(table(d, kind), ln, a, 1, false, d.z);
      }
      memo.set(key, a);
    }
    return a;
  };
  return { energyKeV: e, element: get };
}

/**
 * Cross section of a material on an {@link EnergyGrid} (cm²/g), into `out` if given.
 * After the first call per element this is a weighted sum of cached arrays (allocation-free
 * when `out` is given and the material is pre-resolved).
 * @example
 * ```ts
 * const grid = createEnergyGrid([5, 10, 20]);
 * const out = new Float64Array(3);
 * crossSectionOnGrid(grid, 'H2O', 'total', out); // out ≈ [42.6, 5.33, 0.810] cm²/g
 * ```
 */
export function crossSectionOnGrid(
  grid: EnergyGrid,
  material: Material | ResolvedMaterial,
  kind: CrossSectionKind = 'total',
  out?: Float64Array,
): Float64Array {
  const n = grid.energyKeV.length;
  const o = out ?? new Float64Array(n);
  if (o.length !== n) throw new InvalidArgumentError(`out must have length ${n}; got ${o.length}.`);
  const m = asResolved(material);
  o.fill(0);
  for (let j = 0; j < m.z.length; j++) {
    const a = grid.element(m.z[j], kind);
    const w = m.massFraction[j];
    for (let i = 0; i < n; i++) o[i] += w * a[i];
  }
  return o;
}
