/**
 * Prints the simulator's deviations from the Sherman-equation reference values
 * (test/fixtures/sherman/sherman-xraylib.json), per instrument: the instrument scale relative to Ω/4π · live time,
 * every line outside its tolerance after that scale (in the format of the known-deviation list
 * of test/spectra/sherman-reference.test.ts), the worst and median deviation per line group,
 * and the secondary-fluorescence enhancements.
 *
 * Usage: npx tsx scripts/sherman-deviations.ts
 */
import { readFileSync } from 'node:fs';
import { createMxrfSimulator, detectorEfficiency, type InstrumentOverrides } from '../src/index.js';

interface RefLine {
  element: string;
  z: number;
  line: string;
  primary: number;
}
type Samples = Record<
  string,
  { composition: Record<string, number>; densityGPerCm3: number; lines: RefLine[] }
>;
interface Ref {
  primary: Samples;
  asymmetric: { overrides: InstrumentOverrides; primary: Samples };
  secondary: Record<
    string,
    {
      composition: Record<string, number>;
      densityGPerCm3: number;
      analyte: string;
      enhancement: number;
    }
  >;
}
const pct = (d: number) => `${d >= 0 ? '+' : '−'}${Math.abs(100 * d).toFixed(1)} %`;
const ref = JSON.parse(readFileSync('test/fixtures/sherman/sherman-xraylib.json', 'utf8')) as Ref;
function report(label: string, overrides: InstrumentOverrides, samples: Samples): void {
  const sim = createMxrfSimulator(overrides, {
    scatter: false,
    secondaryFluorescence: 'none',
    sumPeakLines: 0,
  });
  const det = sim.instrument.detector;
  const geometric = (det.solidAngleSr / (4 * Math.PI)) * sim.instrument.liveTimeS;
  const tol = { K: 0.02, L: 0.02, L1: 0.03 };
  type Group = keyof typeof tol;
  const rows: { key: string; group: Group; ratio: number }[] = [];
  for (const [name, s] of Object.entries(samples)) {
    const out = sim.simulate({ composition: s.composition, densityGPerCm3: s.densityGPerCm3 });
    for (const l of s.lines) {
      const m = out.lines.find((x) => x.z === l.z && x.line === l.line);
      const key = `${name} ${l.element} ${l.line}`;
      if (!m) {
        console.log(`missing: ${key}`);
        continue;
      }
      const group: Group = l.line.startsWith('K') ? 'K' : l.line.startsWith('L1') ? 'L1' : 'L';
      rows.push({
        key,
        group,
        ratio: m.primaryCounts / detectorEfficiency(det, m.energyKeV) / l.primary,
      });
    }
  }
  const k = rows
    .filter((r) => r.group === 'K')
    .map((r) => r.ratio)
    .sort((a, b) => a - b);
  const scale = k[Math.floor(k.length / 2)];
  console.log(`${label}: instrument scale / (Ω/4π · t): ${pct(scale / geometric - 1)}`);
  console.log('lines outside tolerance after the scale:');
  for (const r of rows) {
    const d = r.ratio / scale - 1;
    if (Math.abs(d) >= tol[r.group]) console.log(`  '${r.key}': '${pct(d)}',`);
  }
  for (const g of Object.keys(tol) as Group[]) {
    const devs = rows
      .filter((r) => r.group === g)
      .map((r) => ({ key: r.key, d: r.ratio / scale - 1 }))
      .sort((a, b) => Math.abs(a.d) - Math.abs(b.d));
    const worst = devs[devs.length - 1];
    console.log(
      `${g}: median |dev| ${pct(Math.abs(devs[Math.floor(devs.length / 2)].d))}, worst ${worst.key} ${pct(worst.d)}`,
    );
  }
}
report('default instrument', {}, ref.primary);
report('asymmetric instrument', ref.asymmetric.overrides, ref.asymmetric.primary);
const sim2 = createMxrfSimulator({}, { scatter: false, sumPeakLines: 0 });
for (const [name, s] of Object.entries(ref.secondary)) {
  const out = sim2.simulate({ composition: s.composition, densityGPerCm3: s.densityGPerCm3 });
  const m = out.lines.find((x) => x.element === s.analyte && x.line === 'K-L3');
  const e = m ? (m.secondaryCounts - m.scatterExcitedCounts) / m.primaryCounts : NaN;
  console.log(
    `secondary ${name}: ${e.toFixed(4)} vs ${s.enhancement.toFixed(4)} (${pct(e / s.enhancement - 1)})`,
  );
}
