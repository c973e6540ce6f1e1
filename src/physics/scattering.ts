/**
 * Differential scattering cross sections at a fixed scattering angle and the Doppler-broadened
 * Compton line, for unpolarised incident photons (X-ray tube radiation):
 *
 * - Rayleigh (coherent): dσ/dΩ = (N_A/A) · F(x, Z)² · r_e² (1 + cos²θ)/2
 * - Compton (incoherent): dσ/dΩ = (N_A/A) · S(x, Z) · dσ_KN/dΩ(E, θ)
 * - x = sin(θ/2)/λ = sin(θ/2) · E/(hc) (1/Å), the momentum transfer of the form-factor tables.
 * - Klein–Nishina: dσ_KN/dΩ = (r_e²/2) · P² · (P + 1/P − sin²θ), P = E′/E.
 *
 * F(x, Z) and S(x, Z) are xraylib's tables (`FF_Rayl`, `SF_Compt`) sampled on 48 points per decade
 * of x (1e-2 … 10^1.5 Å⁻¹) and interpolated linearly in log–log (worst deviation from xraylib
 * 0.4 %); below the grid F = F(x_min) and S ∝ x², above it F follows the last log–log slope and
 * S = S(x_max). Within the impulse approximation the Compton line is broadened by the atomic
 * Compton profile J(p_z) (xraylib `ComptonProfile`, one-sided, ∫₀^∞ J dp_z = Z/2); see
 * {@link comptonDopplerDensityGrid}. Everything is per gram (cm²/g/sr); a mixture is the
 * mass-fraction-weighted sum. See docs/physics-data.md for sources and validation.
 *
 * @see T. Schoonjans et al., Spectrochim. Acta B 66 (2011) 776, doi:10.1016/j.sab.2011.09.011
 * @see F. Biggs, L. B. Mendelsohn and J. B. Mann, At. Data Nucl. Data Tables 16 (1975) 201, doi:10.1016/0092-640X(75)90030-3
 * @see R. Ribberfors, Phys. Rev. B 12 (1975) 2067, doi:10.1103/PhysRevB.12.2067
 * @module
 */
import { InvalidArgumentError, describeValue } from '../errors.js';
import { PZ_GRID_AU, X_GRID_PER_ANGSTROM } from './data/atomicData.generated.js';
import { elementData, type ElementData, type ElementLike } from './elementData.js';
import { checkEnergyKeV } from './logSpline.js';
import { resolveMaterial, type Material, type ResolvedMaterial } from './material.js';
import { ELECTRON_REST_ENERGY_KEV } from './atomicParameters.js';

/** Classical electron radius r_e (cm), CODATA 2018. */
export const CLASSICAL_ELECTRON_RADIUS_CM = 2.8179403262e-13;
/** Avogadro constant (1/mol), SI 2019 exact. */
export const AVOGADRO_PER_MOL = 6.02214076e23;
/** h·c in keV·Å, CODATA 2018. */
export const HC_KEV_ANGSTROM = 12.398419843320026;
/** Inverse fine-structure constant 1/α = m_e c in atomic units of momentum, CODATA 2018. */
export const INVERSE_FINE_STRUCTURE = 137.035999084;

const RE2 = CLASSICAL_ELECTRON_RADIUS_CM * CLASSICAL_ELECTRON_RADIUS_CM;
const X_MIN_LOG10 = Math.log10(X_GRID_PER_ANGSTROM[0]);
const X_N = X_GRID_PER_ANGSTROM.length;
const X_STEPS_PER_DECADE = (X_N - 1) / (Math.log10(X_GRID_PER_ANGSTROM[X_N - 1]) - X_MIN_LOG10);
const LN_X_MIN = Math.log(X_GRID_PER_ANGSTROM[0]);
const LN_X_MAX = Math.log(X_GRID_PER_ANGSTROM[X_N - 1]);
const PZ = Float64Array.from(PZ_GRID_AU);

function asResolved(material: Material | ResolvedMaterial): ResolvedMaterial {
  if (typeof material === 'object' && material !== null && material.z instanceof Int32Array) {
    return material as ResolvedMaterial;
  }
  return resolveMaterial(material as Material);
}

function checkAngleRad(scatterAngleRad: number): void {
  if (
    typeof scatterAngleRad !== 'number' ||
    !(scatterAngleRad >= 0 && scatterAngleRad <= Math.PI)
  ) {
    throw new InvalidArgumentError(
      `scatterAngleRad must be within 0…π (radians). Value: \`${describeValue(scatterAngleRad)}\`.`,
    );
  }
}

function checkX(xPerAngstrom: number): void {
  if (typeof xPerAngstrom !== 'number' || !Number.isFinite(xPerAngstrom) || xPerAngstrom < 0) {
    throw new InvalidArgumentError(
      `xPerAngstrom must be a finite number ≥ 0 (1/Å). Value: \`${describeValue(xPerAngstrom)}\`.`,
    );
  }
}

/**
 * Momentum transfer of the form-factor tables, x = sin(θ/2)/λ (1/Å), for a photon of
 * `energyKeV` scattered by `scatterAngleRad`.
 * @example momentumTransferPerAngstrom(20.216, (100 * Math.PI) / 180) // ≈ 1.249 1/Å
 */
export function momentumTransferPerAngstrom(energyKeV: number, scatterAngleRad: number): number {
  checkEnergyKeV(energyKeV);
  checkAngleRad(scatterAngleRad);
  return (Math.sin(scatterAngleRad / 2) * energyKeV) / HC_KEV_ANGSTROM;
}

/** Log–log interpolation on the x grid; `kind` 0 = F (flat below), 1 = S (∝ x² below). */
function lnTable(t: Float64Array, x: number, kind: 0 | 1): number {
  if (!(x > 0)) return kind === 0 ? t[0] : -Infinity;
  const lx = Math.log(x);
  if (lx <= LN_X_MIN) return kind === 0 ? t[0] : t[0] + 2 * (lx - LN_X_MIN);
  // Above the grid: S = S(x_max); F continues the last log–log slope (f > 1 below).
  if (lx >= LN_X_MAX && kind === 1) return t[X_N - 1];
  const u = (Math.log10(x) - X_MIN_LOG10) * X_STEPS_PER_DECADE;
  let k = Math.floor(u);
  if (k > X_N - 2) k = X_N - 2;
  const f = u - k;
  return t[k] + f * (t[k + 1] - t[k]);
}

/**
 * Atomic form factor F(x, Z) (electrons), xraylib `FF_Rayl` (independent-atom, relativistic
 * Hartree–Fock tables). F(0) = Z.
 * @example
 * ```ts
 * import { atomicFormFactor } from 'cmxrf/physics';
 * atomicFormFactor('Cu', 0); // ≈ 28.97
 * atomicFormFactor('Cu', 0.5); // ≈ 13.66
 * ```
 */
export function atomicFormFactor(el: ElementLike, xPerAngstrom: number): number {
  checkX(xPerAngstrom);
  return Math.exp(lnTable(elementData(el).lnFormFactor, xPerAngstrom, 0));
}

/**
 * Incoherent scattering function S(x, Z) (electrons), xraylib `SF_Compt`. S(0) = 0 and
 * S → Z for large x.
 * @example
 * ```ts
 * import { incoherentScatteringFunction } from 'cmxrf/physics';
 * incoherentScatteringFunction('Cu', 0.5); // ≈ 12.94
 * incoherentScatteringFunction('Cu', 10); // ≈ 28.91
 * ```
 */
export function incoherentScatteringFunction(el: ElementLike, xPerAngstrom: number): number {
  checkX(xPerAngstrom);
  return Math.exp(lnTable(elementData(el).lnScatterFunction, xPerAngstrom, 1));
}

/**
 * Thomson cross section of a free electron for unpolarised photons, r_e²(1 + cos²θ)/2 (cm²/sr).
 * @example
 * ```ts
 * import { thomsonDifferentialCm2PerSr } from 'cmxrf/physics';
 * thomsonDifferentialCm2PerSr(0); // ≈ 7.941e-26 (r_e²)
 * thomsonDifferentialCm2PerSr(Math.PI / 2); // ≈ 3.970e-26
 * ```
 */
export function thomsonDifferentialCm2PerSr(scatterAngleRad: number): number {
  checkAngleRad(scatterAngleRad);
  const c = Math.cos(scatterAngleRad);
  return (RE2 * (1 + c * c)) / 2;
}

function kleinNishinaUnchecked(energyKeV: number, cosTheta: number): number {
  const p = 1 / (1 + (energyKeV / ELECTRON_REST_ENERGY_KEV) * (1 - cosTheta));
  return (RE2 / 2) * p * p * (p + 1 / p - (1 - cosTheta * cosTheta));
}

/**
 * Klein–Nishina cross section of a free electron at rest for unpolarised photons (cm²/sr):
 * (r_e²/2)·P²·(P + 1/P − sin²θ), P = E′/E.
 * @example
 * ```ts
 * import { kleinNishinaDifferentialCm2PerSr } from 'cmxrf/physics';
 * kleinNishinaDifferentialCm2PerSr(20, (100 * Math.PI) / 180); // ≈ 3.746e-26 (0.916 × Thomson)
 * ```
 */
export function kleinNishinaDifferentialCm2PerSr(
  energyKeV: number,
  scatterAngleRad: number,
): number {
  checkEnergyKeV(energyKeV);
  checkAngleRad(scatterAngleRad);
  return kleinNishinaUnchecked(energyKeV, Math.cos(scatterAngleRad));
}

function rayleighElement(d: ElementData, energyKeV: number, sinHalf: number, cos: number): number {
  const f = Math.exp(lnTable(d.lnFormFactor, (sinHalf * energyKeV) / HC_KEV_ANGSTROM, 0));
  return ((AVOGADRO_PER_MOL / d.atomicWeight) * f * f * RE2 * (1 + cos * cos)) / 2;
}

function comptonElement(d: ElementData, energyKeV: number, sinHalf: number, cos: number): number {
  const s = Math.exp(lnTable(d.lnScatterFunction, (sinHalf * energyKeV) / HC_KEV_ANGSTROM, 1));
  return (AVOGADRO_PER_MOL / d.atomicWeight) * s * kleinNishinaUnchecked(energyKeV, cos);
}

function scalar(
  material: Material | ResolvedMaterial,
  energyKeV: number,
  scatterAngleRad: number,
  f: typeof rayleighElement,
): number {
  checkEnergyKeV(energyKeV);
  checkAngleRad(scatterAngleRad);
  const m = asResolved(material);
  const sh = Math.sin(scatterAngleRad / 2);
  const c = Math.cos(scatterAngleRad);
  let sum = 0;
  for (let i = 0; i < m.z.length; i++) {
    sum += m.massFraction[i] * f(elementData(m.z[i]), energyKeV, sh, c);
  }
  return sum;
}

/**
 * Differential Rayleigh (coherent) cross section (cm²/g/sr) of an element or material at
 * `energyKeV` and scattering angle `scatterAngleRad`, unpolarised incident photons.
 * @example rayleighDifferentialCm2PerGPerSr('Fe', 20, (100 * Math.PI) / 180) // ≈ 0.0139
 */
export function rayleighDifferentialCm2PerGPerSr(
  material: Material | ResolvedMaterial,
  energyKeV: number,
  scatterAngleRad: number,
): number {
  return scalar(material, energyKeV, scatterAngleRad, rayleighElement);
}

/**
 * Differential Compton (incoherent) cross section (cm²/g/sr): S(x, Z) × Klein–Nishina,
 * integrated over the Doppler-broadened line (its shape: {@link comptonDopplerDensityGrid}).
 * @example comptonDifferentialCm2PerGPerSr('C', 20, (100 * Math.PI) / 180) // ≈ 0.0105
 */
export function comptonDifferentialCm2PerGPerSr(
  material: Material | ResolvedMaterial,
  energyKeV: number,
  scatterAngleRad: number,
): number {
  return scalar(material, energyKeV, scatterAngleRad, comptonElement);
}

/** Which differential scattering cross section. */
export type ScatterKind = 'rayleigh' | 'compton';

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
 * Differential cross section of `kind` (cm²/g/sr) on every energy of `energiesKeV` at one
 * scattering angle, into `out` if given (no allocation then, for a resolved material).
 * @example
 * ```ts
 * import { scatterDifferentialGrid } from 'cmxrf/physics';
 * const e = Float64Array.of(10, 20, 30);
 * scatterDifferentialGrid('Fe', e, (100 * Math.PI) / 180, 'rayleigh'); // ≈ [0.0395, 0.0139, 0.00560]
 * ```
 */
export function scatterDifferentialGrid(
  material: Material | ResolvedMaterial,
  energiesKeV: Float64Array,
  scatterAngleRad: number,
  kind: ScatterKind,
  out?: Float64Array,
): Float64Array {
  checkAngleRad(scatterAngleRad);
  const o = checkGrid(energiesKeV, out);
  const m = asResolved(material);
  const sh = Math.sin(scatterAngleRad / 2);
  const c = Math.cos(scatterAngleRad);
  const f = kind === 'rayleigh' ? rayleighElement : comptonElement;
  o.fill(0);
  for (let j = 0; j < m.z.length; j++) {
    const d = elementData(m.z[j]);
    const w = m.massFraction[j];
    for (let i = 0; i < o.length; i++) o[i] += w * f(d, energiesKeV[i], sh, c);
  }
  return o;
}

/**
 * A fixed energy grid and scattering angle with a memo of per-element differential cross
 * sections (private to the object; no global state). Evaluating a material is then a weighted
 * sum of cached arrays: the simulator's hot path.
 */
export interface ScatterGrid {
  /** Grid energies (keV), as given. */
  readonly energyKeV: Float64Array;
  /** Scattering angle (radians). */
  readonly scatterAngleRad: number;
  /** Per-element differential cross section of `kind` on the grid (cm²/g/sr); read-only. */
  element(z: number, kind: ScatterKind): Float64Array;
}

/**
 * Creates a {@link ScatterGrid} for repeated evaluation at one scattering angle.
 * @throws {@link InvalidArgumentError} for bad energies or an angle outside 0…π.
 * @example
 * ```ts
 * import { createScatterGrid } from 'cmxrf/physics';
 * const grid = createScatterGrid([10, 20, 30], (100 * Math.PI) / 180);
 * grid.element(26, 'rayleigh'); // Fe, cm²/g/sr ≈ [0.0395, 0.0139, 0.00560]
 * ```
 */
export function createScatterGrid(
  energiesKeV: ArrayLike<number>,
  scatterAngleRad: number,
): ScatterGrid {
  checkAngleRad(scatterAngleRad);
  const e = Float64Array.from(energiesKeV);
  checkGrid(e, undefined);
  const memo = new Map<number, Float64Array>();
  const sh = Math.sin(scatterAngleRad / 2);
  const c = Math.cos(scatterAngleRad);
  return {
    energyKeV: e,
    scatterAngleRad,
    element(z: number, kind: ScatterKind): Float64Array {
      const key = z * 2 + (kind === 'rayleigh' ? 0 : 1);
      let a = memo.get(key);
      if (a === undefined) {
        const d = elementData(z);
        const f = kind === 'rayleigh' ? rayleighElement : comptonElement;
        a = new Float64Array(e.length);
        for (let i = 0; i < e.length; i++) a[i] = f(d, e[i], sh, c);
        memo.set(key, a);
      }
      return a;
    },
  };
}

/**
 * Differential cross section of a material on a {@link ScatterGrid} (cm²/g/sr), into `out` if
 * given (allocation-free for a resolved material after the first call per element).
 * @example
 * ```ts
 * import { createScatterGrid, resolveMaterial, scatterOnGrid } from 'cmxrf/physics';
 * const grid = createScatterGrid([10, 20, 30], (100 * Math.PI) / 180);
 * const water = resolveMaterial('H2O');
 * const out = new Float64Array(3);
 * scatterOnGrid(grid, water, 'compton', out); // ≈ [0.01075, 0.01152, 0.01165] cm²/g/sr
 * ```
 */
export function scatterOnGrid(
  grid: ScatterGrid,
  material: Material | ResolvedMaterial,
  kind: ScatterKind,
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

// ---------------------------------------------------------------------------------------------
// Compton profiles and the Doppler-broadened Compton line
// ---------------------------------------------------------------------------------------------

function pzSegment(pzAbs: number): number {
  const n = PZ.length;
  let k: number;
  if (pzAbs >= PZ[n - 1]) {
    k = n - 2;
  } else {
    let lo = 0;
    let hi = n - 1;
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if (PZ[mid] <= pzAbs) lo = mid;
      else hi = mid;
    }
    k = lo;
  }
  return k;
}

function lnProfile(t: Float64Array, pzAbs: number): number {
  const k = pzSegment(pzAbs);
  const f = (pzAbs - PZ[k]) / (PZ[k + 1] - PZ[k]);
  return t[k] + f * (t[k + 1] - t[k]);
}

/** ∫₀^|p| J dp′ (electrons), linear interpolation of the tabulated cumulative profile. */
function cumulativeProfile(d: ElementData, pzAbs: number): number {
  const c = d.cumulativeComptonProfile;
  if (pzAbs >= PZ[PZ.length - 1]) return c[c.length - 1];
  const k = pzSegment(pzAbs);
  const f = (pzAbs - PZ[k]) / (PZ[k + 1] - PZ[k]);
  return c[k] + f * (c[k + 1] - c[k]);
}

/**
 * Atomic Compton profile J(p_z) (electrons per atomic unit of momentum), xraylib
 * `ComptonProfile` (Biggs et al. 1975 Hartree–Fock profiles); symmetric in p_z, with
 * ∫_{−∞}^{∞} J dp_z = Z. Linear interpolation of ln J in p_z on 83 points (0 … 100 a.u.).
 * @example
 * ```ts
 * import { comptonProfile } from 'cmxrf/physics';
 * comptonProfile('C', 0); // ≈ 2.890
 * comptonProfile('C', 1); // ≈ 0.881 (the same at −1)
 * ```
 */
export function comptonProfile(el: ElementLike, pzAu: number): number {
  if (typeof pzAu !== 'number' || !Number.isFinite(pzAu)) {
    throw new InvalidArgumentError(
      `pzAu must be a finite number. Value: \`${describeValue(pzAu)}\`.`,
    );
  }
  return Math.exp(lnProfile(elementData(el).lnComptonProfile, Math.abs(pzAu)));
}

/**
 * Projected electron momentum p_z (atomic units) that scatters a photon of `energyKeV` into
 * `scatteredEnergyKeV` at `scatterAngleRad` (impulse approximation):
 * p_z = −137.036 · (E − E′ − E·E′(1 − cos θ)/m_e c²) / |q|, |q| = √(E² + E′² − 2EE′ cos θ)
 * (energies in keV, so |q| is in keV/c and 137.036 = m_e c in atomic units).
 * Zero at the Compton energy; positive above it.
 * @example
 * ```ts
 * import { comptonEnergyKeV, comptonPzAu } from 'cmxrf/physics';
 * const theta = (100 * Math.PI) / 180;
 * comptonPzAu(20, comptonEnergyKeV(20, 100), theta); // ≈ 0 (E′ ≈ 19.12 keV)
 * comptonPzAu(20, 19.5, theta); // ≈ 1.79
 * comptonPzAu(20, 18.5, theta); // ≈ −3.02
 * ```
 */
export function comptonPzAu(
  energyKeV: number,
  scatteredEnergyKeV: number,
  scatterAngleRad: number,
): number {
  checkEnergyKeV(energyKeV);
  checkEnergyKeV(scatteredEnergyKeV, 'scatteredEnergyKeV');
  checkAngleRad(scatterAngleRad);
  const c = Math.cos(scatterAngleRad);
  const e = energyKeV;
  const ep = scatteredEnergyKeV;
  const q = Math.sqrt(e * e + ep * ep - 2 * e * ep * c);
  return (-INVERSE_FINE_STRUCTURE * (e - ep - (e * ep * (1 - c)) / ELECTRON_REST_ENERGY_KEV)) / q;
}

/**
 * Doppler-broadened Compton line of a material: probability density (per keV) of the scattered
 * energy E′ for photons of `energyKeV` Compton-scattered by `scatterAngleRad`, evaluated at
 * every E′ of `scatteredEnergiesKeV` (into `out` if given; then only two arrays of the
 * material's length are allocated per call). For repeated use with varying compositions,
 * evaluate each element once (a one-element material gives its normalised line) and combine
 * them with weights w_i · dσ_Compton,i/dΩ.
 * Impulse approximation: p(E′) = Σ_i c_i J_i(p_z) |dp_z/dE′| / N_i / Σ_i c_i, with
 * c_i = w_i · dσ_Compton,i/dΩ (each element's profile weighted by its share of the Compton
 * intensity) and N_i = ∫ J_i dp_z over the kinematically allowed range 0 < E′ < E, so that the
 * density integrates to exactly 1 over 0 < E′ < E and the line carries the whole S × KN cross
 * section; E′ ≥ E gives 0. Binding thresholds inside the profile are not modelled (their effect
 * on the integral is carried by S(x, Z)).
 * @example
 * ```ts
 * import { comptonDopplerDensityGrid } from 'cmxrf/physics';
 * const ePrimeKeV = Float64Array.from({ length: 501 }, (_, i) => 15 + 0.01 * i);
 * const p = comptonDopplerDensityGrid('C', 20, (100 * Math.PI) / 180, ePrimeKeV);
 * // peak ≈ 2.37 /keV at 19.12 keV, FWHM ≈ 0.3 keV; Σ p · 0.01 keV ≈ 0.999
 * ```
 */
export function comptonDopplerDensityGrid(
  material: Material | ResolvedMaterial,
  energyKeV: number,
  scatterAngleRad: number,
  scatteredEnergiesKeV: Float64Array,
  out?: Float64Array,
): Float64Array {
  checkEnergyKeV(energyKeV);
  checkAngleRad(scatterAngleRad);
  if (!(scatteredEnergiesKeV instanceof Float64Array)) {
    throw new InvalidArgumentError('scatteredEnergiesKeV must be a Float64Array.');
  }
  const n = scatteredEnergiesKeV.length;
  const o = out ?? new Float64Array(n);
  if (o.length !== n) throw new InvalidArgumentError(`out must have length ${n}; got ${o.length}.`);
  const m = asResolved(material);
  const sh = Math.sin(scatterAngleRad / 2);
  const c = Math.cos(scatterAngleRad);
  const e = energyKeV;
  const kc = (e * (1 - c)) / ELECTRON_REST_ENERGY_KEV;
  let wsum = 0;
  for (let j = 0; j < m.z.length; j++) {
    wsum += m.massFraction[j] * comptonElement(elementData(m.z[j]), e, sh, c);
  }
  o.fill(0);
  if (!(wsum > 0)) return o;
  // p_z at the kinematic limits: E′ → E (largest p_z) and E′ → 0 (p_z → −137).
  const pzMax = (INVERSE_FINE_STRUCTURE * kc) / (2 * sh > 0 ? 2 * sh : 1);
  const ne = m.z.length;
  const weight = new Float64Array(ne);
  const tables: Float64Array[] = [];
  for (let j = 0; j < ne; j++) {
    const d = elementData(m.z[j]);
    const norm = cumulativeProfile(d, pzMax) + cumulativeProfile(d, INVERSE_FINE_STRUCTURE);
    weight[j] = norm > 0 ? (m.massFraction[j] * comptonElement(d, e, sh, c)) / wsum / norm : 0;
    tables.push(d.lnComptonProfile);
  }
  const last = PZ.length - 1;
  for (let i = 0; i < n; i++) {
    const ep = scatteredEnergiesKeV[i];
    if (!(ep > 0 && ep < e)) continue;
    const q = Math.sqrt(e * e + ep * ep - 2 * e * ep * c);
    const num = e - ep - ep * kc;
    const pz = Math.abs((-INVERSE_FINE_STRUCTURE * num) / q);
    // d p_z / dE′ = −137 · (num′ q − num q′)/q², num′ = −1 − kc, q′ = (E′ − E cos θ)/q
    const dpz = Math.abs(
      (-INVERSE_FINE_STRUCTURE * ((-1 - kc) * q - (num * (ep - e * c)) / q)) / (q * q),
    );
    const k = pz >= PZ[last] ? last - 1 : pzSegment(pz);
    const f = (pz - PZ[k]) / (PZ[k + 1] - PZ[k]);
    let sum = 0;
    for (let j = 0; j < ne; j++) {
      const t = tables[j];
      sum += weight[j] * Math.exp(t[k] + f * (t[k + 1] - t[k]));
    }
    o[i] = sum * dpz;
  }
  return o;
}
