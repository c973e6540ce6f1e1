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

// The same echo model with its surface at 5 µm × Σ mask: one model step past the last measured
// step of any padded window (a network that puts the surface into the padding).
const onnxDeep = maskedEchoOnnx(40, 1024, 5);
writeFileSync(join(dir, 'cmxrf-masked-deep.onnx'), onnxDeep);
const CARD_DEEP = join(dir, 'cmxrf-masked-deep.json');
writeFileSync(CARD_DEEP, JSON.stringify(maskedEchoCard(onnxDeep, 'cmxrf-masked-deep.onnx')));

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
    // The surface (15 µm into the window) lies 55 µm in front of the last measured step (70 µm).
    for (const o of [table.out, json.out, json.err, csv.out])
      expect(o).not.toMatch(/surface-beyond-measured/);
  });

  it('warns in the table, JSON and CSV when the surface lies in the padding', async () => {
    // 15 measured steps (0–70 µm), the network's surface at 75 µm: 5 µm beyond the last one.
    const message =
      /the network puts the surface at 75 µm, 5 µm beyond the last measured step: the window's 15 measured steps of 40 cover 0–70 µm/;
    const table = await cli(['quantify', '--model', CARD_DEEP, SCAN15]);
    expect(table.code).toBe(0);
    expect(table.out).toMatch(/warning \[surface-beyond-measured\]: /);
    expect(table.out).toMatch(message);
    const json = await cli(['quantify', '--model', CARD_DEEP, '--format', 'json', SCAN15]);
    expect(json.code).toBe(0);
    const [r] = JSON.parse(json.out) as {
      surfaceUm: number;
      warnings: { code: string; message: string }[];
    }[];
    expect(r.surfaceUm).toBe(75);
    const w = r.warnings.find((x) => x.code === 'surface-beyond-measured');
    expect(w?.message).toMatch(message);
    expect(w?.message).toMatch(/at least 25 µm of measured scan behind the surface/);
    expect(json.err).toMatch(/\[surface-beyond-measured\]/);
    const csv = await cli(['quantify', '--model', CARD_DEEP, '--format', 'csv', SCAN15]);
    expect(csv.code).toBe(0);
    expect(csv.out).toMatch(/short-scan-padded;[^,]*surface-beyond-measured/);
    expect(csv.out).toMatch(message);
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
