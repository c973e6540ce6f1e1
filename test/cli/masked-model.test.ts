/**
 * `cmxrf quantify --model <card>` with a model that declares a depth mask: short scans are
 * quantified (not refused), the mask reaches the ONNX graph, and the `short-scan-padded` warning
 * is in every output format. The model is the two-input echo model of test/model/masked-onnx.ts
 * (its surface output is Σ mask), run by onnxruntime-node.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { depthProfileToCsv } from '../../src/io/depth-profile-csv-writer';
import { range, syntheticProfile } from '../model/helpers';
import { maskedEchoCard, maskedEchoOnnx } from '../model/masked-onnx';
import { cli } from './run-cli';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'cmxrf-masked-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const onnx = maskedEchoOnnx();
writeFileSync(join(dir, 'cmxrf-masked-echo.onnx'), onnx);
const CARD = join(dir, 'cmxrf-masked-echo.json');
writeFileSync(CARD, JSON.stringify(maskedEchoCard(onnx)));

const scanCsv = (n: number, name: string): string => {
  const p = syntheticProfile({
    depthsUm: range(n, 5),
    offsetKeV: 1.012,
    gainKeVPerChannel: 0.024,
    nChannels: 1024,
    counts: (j, k) => (20 + ((k * 5 + j * 3) % 16)) * (j < 2 ? 0.05 : 1),
  });
  const file = join(dir, name);
  writeFileSync(file, depthProfileToCsv(p));
  return file;
};
const SCAN15 = scanCsv(15, 'short-15.csv');
const SCAN9 = scanCsv(9, 'short-9.csv');

describe('cmxrf quantify with a depth-mask model', () => {
  it('quantifies a 15-step scan and warns in the table, JSON and CSV', async () => {
    const table = await cli(['quantify', '--model', CARD, SCAN15]);
    expect(table.code).toBe(0);
    expect(table.out).toMatch(
      /warning \[short-scan-padded\]: the scan gives 15 measured steps of the model's 40/,
    );
    const json = await cli(['quantify', '--model', CARD, '--format', 'json', SCAN15]);
    expect(json.code).toBe(0);
    const [r] = JSON.parse(json.out) as {
      surfaceUm: number;
      window: { startUm: number; measuredSteps: number };
      warnings: { code: string }[];
    }[];
    // The echo model's surface is Σ mask: the CLI fed 15 measured steps.
    expect(r.surfaceUm - r.window.startUm).toBe(15);
    expect(r.window.measuredSteps).toBe(15);
    expect(r.warnings.map((w) => w.code)).toContain('short-scan-padded');
    expect(json.err).toMatch(/short-scan-padded/);
    const csv = await cli(['quantify', '--model', CARD, '--format', 'csv', SCAN15]);
    expect(csv.code).toBe(0);
    expect(csv.out).toMatch(/short-scan-padded/);
    expect(csv.out).toMatch(/15 measured steps of the model's 40/);
  });

  it('cmxrf info shows the depth-mask input', async () => {
    const r = await cli(['info', '--model', CARD]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(
      /depth mask {3}depth_mask float32 \[batch, 40\]: scans from 10 steps, ≥ 25 µm behind the surface/,
    );
  });

  it('refuses 9 steps with a one-line error naming the steps needed', async () => {
    const r = await cli(['quantify', '--model', CARD, SCAN9]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(
      /short-9\.csv: cannot be represented on the model grid \(short-scan\): the model needs at least 10 measured steps.*9 positions over 40 µm/,
    );
    expect(r.err).not.toMatch(/\n\s+at /);
  });
});

const SHARED = process.env.CMXRF_SHARED_DIR ?? join(ROOT, '..', 'shared');
const CU_FOIL = join(SHARED, 'data/realprofiles/specfit_tuberlin_m4');
const cuFiles = existsSync(CU_FOIL)
  ? readdirSync(CU_FOIL)
      .filter((f) => /^Cu_foil_z[\d.]+\.spx$/.test(f))
      .sort()
      .map((f) => join(CU_FOIL, f))
  : [];
if (cuFiles.length === 0)
  console.warn(`CLI masked-model tests: ${CU_FOIL} not found; the Cu-foil test is skipped`);

describe.skipIf(cuFiles.length === 0)('cmxrf quantify --series with a depth-mask model', () => {
  it('takes the real 15-file Cu-foil scan as one profile of 15 measured steps', async () => {
    const r = await cli(['quantify', '--model', CARD, '--format', 'json', '--series', ...cuFiles]);
    expect(r.code).toBe(0);
    const [res] = JSON.parse(r.out) as {
      surfaceUm: number;
      window: { startUm: number; measuredSteps: number };
      scan: { surfaceEdgeUm: number; firstUm: number; lastUm: number };
    }[];
    expect(res.window.measuredSteps).toBe(15);
    expect(res.surfaceUm - res.window.startUm).toBe(15);
    expect(res.scan.surfaceEdgeUm).toBeGreaterThan(res.scan.firstUm);
    expect(res.scan.surfaceEdgeUm).toBeLessThan(res.scan.lastUm);
  });
});
