/** Physics core benchmark: mass attenuation of a 30-element material on a 4096-point grid. */
import {
  createEnergyGrid,
  crossSectionOnGrid,
  massAttenuation,
  massAttenuationGrid,
  resolveMaterial,
} from '../src/physics/index.js';
import { report, timeIt } from './util.js';

/** A 30-element material in a light matrix (mass fractions sum to 1). */
export const THIRTY_ELEMENTS: Record<string, number> = (() => {
  const heavy = ['K', 'Ca', 'Ti', 'V', 'Cr', 'Mn', 'Fe', 'Co', 'Ni', 'Cu', 'Zn', 'Ga', 'As', 'Se', 'Br',
    'Rb', 'Sr', 'Y', 'Zr', 'Nb', 'Cd', 'Sn', 'Sb', 'Ba', 'La', 'Ce', 'W', 'Au', 'Pb', 'Bi']; // prettier-ignore
  const m: Record<string, number> = { C: 0.45, O: 0.35, H: 0.05, N: 0.05 };
  for (const s of heavy) m[s] = 0.1 / heavy.length;
  return m;
})();

export async function run(): Promise<void> {
  console.log(
    '\n## physics: massAttenuation, 30 elements + light matrix, 4096 × 10 eV grid (1–41.96 keV)',
  );
  const energies = Float64Array.from({ length: 4096 }, (_, i) => 1 + i * 0.01);
  const out = new Float64Array(energies.length);
  const resolved = resolveMaterial(THIRTY_ELEMENTS);
  const baseline = timeIt(() => {
    for (let i = 0; i < energies.length; i++)
      out[i] = massAttenuation(THIRTY_ELEMENTS, energies[i]);
  }, 500);
  report('baseline: scalar massAttenuation per grid point', baseline);
  const base = { name: 'baseline', t: baseline };
  report(
    'massAttenuationGrid (spline walk, no cache)',
    timeIt(() => massAttenuationGrid(resolved, energies, out)),
    base,
  );
  const grid = createEnergyGrid(energies);
  report(
    'crossSectionOnGrid (EnergyGrid, cached per element)',
    timeIt(() => crossSectionOnGrid(grid, resolved, 'total', out)),
    base,
  );
}
