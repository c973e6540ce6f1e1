/**
 * Cross section of a resolved material on an energy grid, as `crossSectionOnGrid` computes it
 * (the same products added in the same order, so the same values to the last bit), with four
 * elements per pass over the grid: the simulator evaluates it on grids of thousands of energies
 * for every spectrum, where reading and writing the sum once per element dominated.
 *
 * @module
 */
import type { CrossSectionKind, EnergyGrid, ResolvedMaterial } from '../physics/index.js';

/**
 * `out[i] = Σ_j w_j σ_j(E_i)` over the elements of `m` in order (allocation-free).
 * @internal
 */
export function materialOnGrid(
  grid: EnergyGrid,
  m: ResolvedMaterial,
  kind: CrossSectionKind,
  out: Float64Array,
): Float64Array {
  const n = out.length;
  out.fill(0);
  const nz = m.z.length;
  let j = 0;
  for (; j + 3 < nz; j += 4) {
    const a0 = grid.element(m.z[j], kind);
    const a1 = grid.element(m.z[j + 1], kind);
    const a2 = grid.element(m.z[j + 2], kind);
    const a3 = grid.element(m.z[j + 3], kind);
    const w0 = m.massFraction[j];
    const w1 = m.massFraction[j + 1];
    const w2 = m.massFraction[j + 2];
    const w3 = m.massFraction[j + 3];
    for (let i = 0; i < n; i++) out[i] = out[i] + w0 * a0[i] + w1 * a1[i] + w2 * a2[i] + w3 * a3[i];
  }
  for (; j < nz; j++) {
    const a = grid.element(m.z[j], kind);
    const w = m.massFraction[j];
    for (let i = 0; i < n; i++) out[i] += w * a[i];
  }
  return out;
}
