/**
 * Fluorescence excited by singly scattered photons (`scatterExcitedFluorescence`) against the
 * brute-force depth × direction integral of ./scatterFluorescenceReference.ts, and against the
 * second interaction order of an independent Monte Carlo code (XMI-MSIM .xmso files).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { child, childrenNamed, parseXml, type XmlElement } from '../../src/io/xml.js';
import { crossSectionOnGrid, elementData, resolveMaterial } from '../../src/physics/index.js';
import {
  prepareElement,
  prepareLineGrid,
  primaryLine,
} from '../../src/spectra/primaryFluorescence.js';
import { prepareSecondOrder, scatterExcitedFluorescence } from '../../src/spectra/scatter.js';
import { prepareSecondary, secondaryEnhancement } from '../../src/spectra/secondaryFluorescence.js';
import {
  bruteForce,
  depthPathIntegral,
  discreteExcitation,
  simulatorTerm,
} from './scatterFluorescenceReference.js';

const DEG = Math.PI / 180;

describe('depth × path kernel of the brute-force reference', () => {
  it('closed-form path integral agrees with a two-dimensional numerical integral', () => {
    for (const [a, b, mu, u] of [
      [2, 30, 1.5, 0.4],
      [2, 30, 1.5, -0.4],
      [0.5, 100, 0.3, -0.05],
      [40, 5, 20, -0.9],
    ]) {
      // Riemann sums on fine grids in z and t (no closed form used).
      const zMax = 40 / (u > 0 ? a + b : Math.min(a + b, a + mu / -u));
      const nz = 4000;
      let sum = 0;
      for (let iz = 0; iz < nz; iz++) {
        const z = ((iz + 0.5) / nz) * zMax;
        const tMax = u > 0 ? 40 / (mu + b * u) : z / -u;
        const nt = 400;
        let inner = 0;
        for (let itt = 0; itt < nt; itt++) {
          const t = ((itt + 0.5) / nt) * tMax;
          inner += Math.exp(-mu * t - b * (z + u * t)) * (tMax / nt);
        }
        sum += Math.exp(-a * z) * inner * (zMax / nz);
      }
      expect(Math.abs(depthPathIntegral(a, b, mu, u) / sum - 1)).toBeLessThan(3e-3);
    }
  });
});

describe('scatter-excited fluorescence against a brute-force depth × direction integral', () => {
  const cases: [string, Record<string, number>, number, number, string, number][] = [
    // name, composition, excitation (keV), Z, shell, line energy (keV)
    ['Sr K in cellulose, 20 keV', { C: 0.444, H: 0.062, O: 0.493, Sr: 0.001 }, 20, 38, 'K', 14.165],
    ['Cd K in cellulose, 40 keV', { C: 0.444, H: 0.062, O: 0.493, Cd: 0.001 }, 40, 48, 'K', 23.174],
    [
      'Fe K in glass, 20 keV',
      { O: 0.46, Si: 0.33, Na: 0.1, Ca: 0.1, Fe: 0.01 },
      20,
      26,
      'K',
      6.404,
    ],
    ['Pb L3 in a Pb alloy, 25 keV', { Pb: 0.84, Sn: 0.06, Sb: 0.1 }, 25, 82, 'L3', 10.551],
  ];
  for (const [name, comp, e, z, shell, lineKeV] of cases) {
    it(`${name}: within 3 %`, () => {
      const m = resolveMaterial(comp);
      const exc = discreteExcitation([e], [1]);
      const sim = simulatorTerm(exc, m, z, 50, 50).get(shell)!;
      const ref = bruteForce(m, e, z, shell, 50, 50, lineKeV);
      console.log(`${name}: simulator/brute force = ${(sim / ref).toFixed(4)}`);
      expect(Math.abs(sim / ref - 1)).toBeLessThan(0.03);
    });
  }
});

// ---------------------------------------------------------------------------------------------
// XMI-MSIM second interaction order
// ---------------------------------------------------------------------------------------------

const repoRoot = path.resolve(__dirname, '..', '..');
const sharedDir = process.env.CMXRF_SHARED_DIR ?? path.resolve(repoRoot, '..', 'shared');
const xmsoDir = path.join(sharedDir, 'data', 'realfiles', 'spectra', 'xmimsim');
const haveFiles = existsSync(xmsoDir);
if (!haveFiles) {
  console.warn(`scatterFluorescence: ${xmsoDir} not found — XMI-MSIM comparison skipped.`);
}

interface OrderRow {
  key: string;
  /** Share of the simulated second order excited by scattered photons. */
  scatterShare: number;
  /** Simulated (secondary + scatter-excited) ÷ primary over XMI-MSIM's order 2 ÷ order 1. */
  ratio: number;
}

/**
 * One .xmso file: the simulator's second-order terms (Shiraiwa–Fujino secondary fluorescence and
 * the scatter-excited term, polarisation-corrected by the brute-force ratio) over its primary
 * Sherman sum, against XMI-MSIM's interaction-2 ÷ interaction-1 counts of the same line. Ratios
 * of the same line need no detector, solid angle or air: only the sample, the angles and the
 * excitation.
 */
function secondOrderRows(file: string): OrderRow[] {
  const name = path.basename(file, '.xmso');
  const root = parseXml(readFileSync(file, 'utf8'), file);
  const get = (el: XmlElement | undefined, tag: string): XmlElement => {
    const c = el && child(el, tag);
    if (!c) throw new Error(`${file}: missing <${tag}>`);
    return c;
  };
  const num = (el: XmlElement | undefined, tag: string) => Number(get(el, tag).text);
  const input = get(root, 'xmimsim-input');
  const comp = get(input, 'composition');
  const layer = childrenNamed(comp, 'layer')[num(comp, 'reference_layer') - 1];
  const fractions: Record<string, number> = {};
  for (const e of childrenNamed(layer, 'element')) {
    fractions[elementData(num(e, 'atomic_number')).symbol] = num(e, 'weight_fraction') / 100;
  }
  const m = resolveMaterial(fractions);
  // Angles: beam along z; sample normal and detector position from the geometry.
  const geo = get(input, 'geometry');
  const nS = get(geo, 'n_sample_orientation');
  const pD = get(geo, 'p_detector_window');
  const n = [num(nS, 'x'), num(nS, 'y'), num(nS, 'z')];
  const d = [num(pD, 'x'), num(pD, 'y'), num(pD, 'z') - num(geo, 'd_sample_source')];
  const nLen = Math.hypot(...n);
  const dLen = Math.hypot(...d);
  const sin1 = Math.abs(n[2] / nLen);
  const sin2 = Math.abs((n[0] * d[0] + n[1] * d[1] + n[2] * d[2]) / (nLen * dLen));
  const discrete = childrenNamed(get(input, 'excitation'), 'discrete');
  const eK = discrete.map((x) => num(x, 'energy'));
  const h = discrete.map((x) => num(x, 'horizontal_intensity'));
  const v = discrete.map((x) => num(x, 'vertical_intensity'));
  const exc = discreteExcitation(
    eK,
    eK.map((_, i) => h[i] + v[i]),
  );
  const degree = h.reduce((s, x, i) => s + x - v[i], 0) / h.reduce((s, x, i) => s + x + v[i], 0);
  const eMain = eK[h.indexOf(Math.max(...h))];
  const eMax = Math.max(...eK) + 1;
  const lineGrid = prepareLineGrid(1, eMax);
  const so = prepareSecondOrder(
    exc,
    { offsetKeV: 0, gainKeVPerChannel: 0.01, nChannels: 4096 },
    () => 1,
    sin1,
  );
  const present = Array.from(m.z, (z, i) => ({
    p: prepareElement(z, exc, lineGrid, eMax, () => 1),
    w: m.massFraction[i],
  })).filter((x) => x.p.lines.length > 0);
  const muLines = crossSectionOnGrid(lineGrid.grid, m, 'total');
  const aExc = crossSectionOnGrid(exc.grid, m, 'total').map((x) => x / sin1);
  const sec = secondaryEnhancement(prepareSecondary(exc), exc, m, present, muLines, sin1, sin2, 0);
  const sc = scatterExcitedFluorescence(so, exc, m, present, muLines, sin1, sin2);
  const hist = get(root, 'variance_reduction_history');
  const out = new Float64Array(2);
  const rows: OrderRow[] = [];
  for (const el of childrenNamed(hist, 'fluorescence_line_counts')) {
    const pi = present.findIndex((x) => x.p.z === Number(el.attrs.atomic_number));
    if (pi < 0) continue;
    const { p } = present[pi];
    for (const l of childrenNamed(el, 'fluorescence_line')) {
      const iupac = (l.attrs.type ?? '').replace(/^(K|L\d)/, '$1-');
      const lp = p.lines.find((x) => x.iupac === iupac);
      if (!lp || (iupac !== 'K-L3' && iupac !== 'L3-M5')) continue;
      const order = (k: string) =>
        Number(childrenNamed(l, 'counts').find((x) => x.attrs.interaction_number === k)?.text);
      const xmi = order('2') / order('1');
      const shell = p.shells[lp.shellIndex];
      primaryLine(exc.photonsPerS, shell.prodExc, aExc, muLines[lp.gridIndex] / sin2, sin1, out);
      const s = sec[pi][lp.shellIndex];
      let c = sc[pi][lp.shellIndex];
      // Polarisation: the brute-force integral with and without it, at the main energy (where
      // the scatter-excited part is ≥ 5 % of the second order; elsewhere its 1–3 % don't count).
      if (c > 0.05 * (s + c) && shell.edgeKeV < eMain) {
        const opts = { nT: 100, nPhi: 90 };
        const args = [m, eMain, p.z, shell.shell, 0, 0, lp.energyKeV] as const;
        const deg = [Math.asin(sin1) / DEG, Math.asin(sin2) / DEG];
        const bf = (polarisation: number) =>
          bruteForce(args[0], args[1], args[2], args[3], deg[0], deg[1], args[6], {
            ...opts,
            polarisation,
          });
        c *= bf(degree) / bf(0);
      }
      rows.push({
        key: `${name} ${p.symbol} ${iupac}`,
        scatterShare: c / (s + c),
        ratio: (s + c) / out[0] / xmi,
      });
    }
  }
  return rows;
}

describe.skipIf(!haveFiles)('second interaction order against XMI-MSIM (.xmso)', () => {
  const rows = haveFiles
    ? readdirSync(xmsoDir)
        .filter((f) => f.endsWith('.xmso'))
        .sort()
        .flatMap((f) => secondOrderRows(path.join(xmsoDir, f)))
    : [];
  for (const r of rows) {
    console.log(
      `${r.key}: simulated/XMI-MSIM second order ${r.ratio.toFixed(3)} (scatter-excited share ${(100 * r.scatterShare).toFixed(0)} %)`,
    );
  }
  /**
   * Lines whose second order is mostly secondary fluorescence by other elements (the
   * Shiraiwa–Fujino term, not the scatter-excited one) and deviate beyond the tolerance, with the
   * measured deviation. Cause not established; in each the scatter-excited part is < 10 % of the
   * simulated second order, so the miss lies in the secondary term or in XMI-MSIM's.
   */
  const KNOWN: Record<string, string> = {
    'srm1132 As L3-M5': '+23 %',
    'srm1155 As L3-M5': '−12 %',
    'srm1412 Na K-L3': '+21 %',
    'srm1412 Mg K-L3': '+20 %',
    'srm1412 Al K-L3': '+20 %',
    'srm1412 Si K-L3': '+18 %',
    'srm1412 Sr L3-M5': '+13 %',
  };
  it('finds the lines', () => {
    expect(rows.length).toBeGreaterThan(30);
  });
  for (const r of rows) {
    const scatterLed = r.scatterShare >= 0.8;
    const test = r.key in KNOWN ? it.fails : it;
    test(`${r.key} (${scatterLed ? 'scatter-excited' : 'secondary + scatter-excited'}) within 8 %`, () => {
      expect(Math.abs(r.ratio - 1)).toBeLessThan(0.08);
    });
  }
  it('the scatter-excited lines are checked at all (≥ 6 lines with share ≥ 80 %)', () => {
    expect(rows.filter((r) => r.scatterShare >= 0.8).length).toBeGreaterThanOrEqual(6);
  });
});
