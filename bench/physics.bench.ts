/** Physics core benchmark: mass attenuation of a 30-element material on a 4096-point grid. */
import {
  createEnergyGrid,
  crossSectionOnGrid,
  massAttenuation,
  massAttenuationGrid,
  resolveMaterial,
} from '../src/physics/index.js';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
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
  // Cold import of the whole built package in a fresh Node process (needs `npm run build`).
  const dist = fileURLToPath(new URL('../dist/index.js', import.meta.url));
  if (existsSync(dist)) {
    const script = `const t=performance.now(); const m=await import(${JSON.stringify(dist)}); const t1=performance.now(); m.massAttenuation('Fe',10); console.log(JSON.stringify([t1-t, performance.now()-t1]))`;
    const runs = [0, 1, 2].map(
      () =>
        JSON.parse(
          execFileSync(process.execPath, ['--input-type=module', '-e', script], {
            encoding: 'utf8',
          }),
        ) as number[],
    );
    const imp = runs.map((r) => r[0]).sort((a, b) => a - b)[1];
    const first = runs.map((r) => r[1]).sort((a, b) => a - b)[1];
    console.log(
      `cold import of dist/index.js: ${imp.toFixed(1)} ms (median of 3; target < 50 ms); first massAttenuation call (decodes Fe): ${first.toFixed(2)} ms`,
    );
  } else {
    console.log('cold import: skipped (run `npm run build` first)');
  }
}
