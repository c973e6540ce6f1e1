import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli } from '../../src/cli/program';
import {
  depthHeatmapSpec,
  elementChartSpec,
  renderReport,
  renderSpecToSvg,
  reportElementRows,
} from '../../src/report/index';
import { fakeResult, syntheticProfile } from './helpers';

const profile = syntheticProfile([
  { energyKeV: 6.404, sigmaKeV: 0.06, areaPerStep: (s) => (s > 8 ? 2000 * Math.exp(-s / 10) : 0) },
  { energyKeV: 10.551, sigmaKeV: 0.07, areaPerStep: (s) => (s > 8 ? 500 : 0) },
]);
const result = fakeResult({ Fe: 0.012, Pb: 3e-4 });

describe('reportElementRows', () => {
  it('lists detected elements by decreasing mass fraction, then truly present ones', () => {
    const rows = reportElementRows(result, {
      truth: { massFractions: { Fe: 0.01, Zn: 2e-4, Si: 0.3 } },
      uncertainties: { Fe: { massFractionLow: 0.01, massFractionHigh: 0.014 } },
    });
    expect(rows.map((r) => r.element)).toEqual(['Fe', 'Pb', 'Zn']);
    expect(rows[0]).toMatchObject({ trueMassFraction: 0.01, massFractionLow: 0.01 });
    expect(rows[2].detected).toBe(false);
    expect(reportElementRows(result, { include: 'all' })).toHaveLength(53);
  });
});

describe('chart specs', () => {
  it('bins the heat map by energy and step and marks the surface', () => {
    const spec = depthHeatmapSpec(profile, { energyBinKeV: 0.5, maxEnergyKeV: 20, surfaceUm: 42 });
    const layers = spec.layer as { data: { values: Record<string, number>[] } }[];
    const cells = layers[0].data.values;
    expect(cells).toHaveLength(40 * 38); // (20 − 1) / 0.5 bins × 40 steps
    // A bin holds its channels' counts per second: the 1.0–1.5 keV bin of step 0 is 25 channels
    // of 3 + 0.5·E counts (E = 1.00…1.48 keV) in 2 s.
    let sum = 0;
    for (let c = 50; c < 75; c++) sum += 3 + 0.5 * c * 0.02;
    expect(cells[0].countsPerS).toBeCloseTo(sum / 2, 3);
    expect(layers[1].data.values[0]).toMatchObject({ surfaceUm: 42 });
  });
  it('puts bars on a log axis that reaches below the smallest value', () => {
    const spec = elementChartSpec(reportElementRows(result));
    const x = (
      spec.layer as { encoding: { x: { scale: { type: string; domain: number[] } } } }[]
    )[0].encoding.x;
    expect(x.scale.type).toBe('log');
    expect(x.scale.domain).toEqual([1e-4, 1]);
  });
});

describe('renderReport', () => {
  it('renders SVG charts, the element table with truth and intervals, and warnings', async () => {
    const html = await renderReport(
      { ...result, warnings: ['surface near the scan start'] } as never,
      profile,
      {
        truth: { massFractions: { Fe: 0.01, Pb: 3e-4 }, densityGPerCm3: 2.4 },
        uncertainties: { Fe: { massFractionLow: 0.011, massFractionHigh: 0.013 } },
        fitted: [{ element: 'Fe', line: 'KA1', depthsUm: [0, 100, 195], countsPerS: [0, 50, 10] }],
        warnings: ['model extrapolates'],
      },
    );
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html.match(/<svg /g)?.length).toBe(3);
    expect(html).toContain('Fe Kα');
    expect(html).toContain('Pb Lα');
    expect(html).toContain(
      '<td>Fe</td><td>0.0120</td><td>0.0110 – 0.0130</td><td>0.0100</td><td>1.20</td>',
    );
    expect(html).toContain('2.500 g/cm³ (true 2.400)');
    expect(html).toContain('<li>surface near the scan start</li><li>model extrapolates</li>');
    expect(html).toContain('fitted');
    expect(html).not.toMatch(/NaN|undefined/);
  });
  it('returns a scoped fragment for notebooks', async () => {
    const html = await renderReport(result, profile, { fragment: true });
    expect(html.startsWith('<div class="cmxrf-report">')).toBe(true);
    expect(html).not.toContain('<html');
  });
  it('renders a spec to standalone SVG', async () => {
    const svg = await renderSpecToSvg(elementChartSpec(reportElementRows(result)));
    expect(svg).toMatch(/^<svg [^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(svg).toContain('mass fraction');
  });
});

describe('cmxrf quantify --report', () => {
  it('writes one HTML page with a report per file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cmxrf-report-'));
    try {
      const scan = fileURLToPath(new URL('../fixtures/model/scan-10um.csv', import.meta.url));
      const card = fileURLToPath(new URL('../fixtures/model/cmxrf-tiny.json', import.meta.url));
      let err = '';
      const io = {
        stdout: () => undefined,
        stderr: (t: string) => void (err += t),
        stderrIsTTY: false,
        readFile: async (p: string) => new Uint8Array(readFileSync(p)),
      };
      const out = join(dir, 'out.html');
      const code = await runCli(['quantify', '-m', card, '--report', out, scan, scan], io);
      expect(err).toBe('');
      expect(code).toBe(0);
      const html = readFileSync(out, 'utf8');
      expect(html.match(/<div class="cmxrf-report">/g)?.length).toBe(2);
      expect(html).toContain('scan-10um.csv');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
