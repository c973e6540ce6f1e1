/**
 * Depth-mask models through the real ONNX runtimes.
 *
 * 1. An echo model built in the test (test/model/masked-onnx.ts) whose outputs are the sums of
 *    its two inputs: the mask and the profile rows that onnxruntime-node and onnxruntime-web
 *    receive from `quantify` for short scans.
 * 2. Every card in models/ that declares `input.depthMask`: its PyTorch parity vectors (with
 *    their mask), the real 15-step Cu-foil scan, and a simulated glass cut to 15 and 25 steps
 *    against the same glass scanned over the full window. Skipped, with a message, while no
 *    shipped card declares a depth mask.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import * as ortNode from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { readDepthProfileFromPaths } from '../../src/io/node';
import { parseModelCard } from '../../src/model/card';
import { loadQuantifier } from '../../src/model/node';
import { createQuantifier, type Quantifier } from '../../src/model/quantifier';
import type { OrtLike } from '../../src/model/runtime';
import type { QuantificationResult } from '../../src/model/result';
import type { DepthProfile } from '../../src/profile';
import { createRng } from '../../src/sampling/rng';
import { samplePoisson } from '../../src/sampling/poisson';
import { confocalProfileFromSpectrum } from '../../src/spectra/confocalFromSpectrum';
import { createMxrfSimulator } from '../../src/spectra/mxrfSimulator';
import { range, syntheticProfile } from './helpers';
import { maskedEchoCard, maskedEchoOnnx } from './masked-onnx';

const REPO = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const SHARED = process.env.CMXRF_SHARED_DIR ?? path.resolve(REPO, '..', 'shared');
const CU_FOIL = path.join(SHARED, 'data/realprofiles/specfit_tuberlin_m4');
const hasCu =
  existsSync(CU_FOIL) && readdirSync(CU_FOIL).some((f) => /^Cu_foil_z[\d.]+\.spx$/.test(f));
if (!hasCu) console.warn(`masked-model tests: ${CU_FOIL} not found; the Cu-foil tests are skipped`);
const readCuFoil = (): Promise<DepthProfile> =>
  readDepthProfileFromPaths(path.join(CU_FOIL, 'Cu_foil_z*.spx'));

async function loadWeb(): Promise<OrtLike> {
  const web = (await import('onnxruntime-web')) as unknown as OrtLike & {
    env: { wasm: { numThreads: number } };
  };
  web.env.wasm.numThreads = 1;
  return web;
}

/** A scan of `n` positions 5 µm apart, on the model's energy bins, rising at the 3rd position. */
const shortScan = (n: number): DepthProfile =>
  syntheticProfile({
    depthsUm: range(n, 5),
    offsetKeV: 1.012,
    gainKeVPerChannel: 0.024,
    nChannels: 1024,
    counts: (j, k) => (20 + ((k * 5 + j * 3) % 16)) * (j < 2 ? 0.05 : 1),
  });

describe.each([
  ['onnxruntime-node', async () => ortNode as OrtLike],
  ['onnxruntime-web (wasm)', loadWeb],
] as const)('a two-input echo model through %s', (_name, load) => {
  it('receives the mask and the zeroed rows of short scans, per profile of a batch', async () => {
    const model = maskedEchoOnnx();
    const q = await createQuantifier({ runtime: await load(), model, card: maskedEchoCard(model) });
    try {
      const ps = [shortScan(12), shortScan(40), shortScan(25)];
      const rs = await q.quantify(ps, { batchSize: 2 });
      // The echo's surface is Σ mask: the number of measured steps it was fed.
      expect(rs.map((r) => r.surfaceUm - r.window.startUm)).toEqual([12, 40, 25]);
      expect(rs.map((r) => r.window.measuredSteps)).toEqual([12, 40, 25]);
      // Its density is Σ profile: the sum of the measured rows only (zeros past the end). The
      // runtime sums 40960 float32 values (rounding ≲ 1e-4); one stale row would add ≳ 2 %.
      rs.forEach((r, i) => {
        const x = q.preprocess(ps[i]);
        let sum = 0;
        for (let k = 0; k < r.window.measuredSteps! * 1024; k++) sum += x[k];
        for (let k = r.window.measuredSteps! * 1024; k < x.length; k++) expect(x[k]).toBe(0);
        expect(Math.abs(r.densityGPerCm3 / sum - 1)).toBeLessThan(1e-3);
      });
      expect(rs[0].warnings.map((w) => w.code)).toContain('short-scan-padded');
    } finally {
      await q.release();
    }
  });

  it.skipIf(!hasCu)('takes the real 15-step Cu-foil scan as 15 measured steps', async () => {
    const model = maskedEchoOnnx();
    const q = await createQuantifier({ runtime: await load(), model, card: maskedEchoCard(model) });
    try {
      const r = await q.quantify(await readCuFoil());
      expect(r.surfaceUm - r.window.startUm).toBe(15);
      expect(r.window).toMatchObject({ measuredSteps: 15, firstStep: 0, lastStep: 14 });
    } finally {
      await q.release();
    }
  });
});

// ----- Real depth-mask models shipped in models/ -----------------------------------------------

const MODELS = path.join(REPO, 'models');
const maskedCards = readdirSync(MODELS)
  .filter((f) => f.endsWith('.json'))
  .flatMap((f) => {
    try {
      const card = parseModelCard(JSON.parse(readFileSync(path.join(MODELS, f), 'utf8')));
      return card.input.depthMask && existsSync(path.join(MODELS, card.onnx.file))
        ? [path.join(MODELS, f)]
        : [];
    } catch {
      return [];
    }
  });
if (maskedCards.length === 0)
  console.warn(
    'masked-model tests: no card in models/ declares input.depthMask (with its ONNX file); ' +
      'the integration tests with a real depth-mask model are skipped',
  );

// A lead-potassium glass (Pb 10.95 %, K 9.96 %, Ca 3.57 % by mass), density 3.1 g/cm³.
const GLASS = { SiO2: 0.55, PbO: 0.118, K2O: 0.12, Na2O: 0.05, CaO: 0.05, ZnO: 0.01, Al2O3: 0.102 };
const SETUP = { tA: 1, tB: 5, tM: 11, sigmaMaxUm: 25, sigmaExpPerKeV: 0.15, sigmaOffUm: 7 };

/** The glass, surface at 30 µm, `n` positions of 5 µm from 0 µm, Poisson counts for 10 s. */
function glassScan(n: number, seed: number): DepthProfile {
  const spectrum = createMxrfSimulator().simulate({ composition: GLASS, densityGPerCm3: 3.1 });
  const depthsUm = Float64Array.from({ length: n }, (_, i) => 5 * i);
  const p = confocalProfileFromSpectrum(spectrum, SETUP, 30, {
    depthsUm,
    out: new Float64Array(n * spectrum.counts.length),
  });
  const rng = createRng(seed);
  const counts = new Float64Array(p.counts.length);
  for (let i = 0; i < counts.length; i++) counts[i] = samplePoisson(p.counts[i] * 10, rng);
  return { ...p, counts, liveTimesS: new Float64Array(n).fill(10), source: `glass-${n}` };
}

const raw = (r: QuantificationResult, el: string): number =>
  r.elements.find((e) => e.element === el)!.massFractionRaw;

describe.each(maskedCards.length ? maskedCards : ['(none)'])(
  'the shipped depth-mask model %s',
  (cardPath) => {
    const skip = maskedCards.length === 0;

    it.skipIf(skip)('matches its PyTorch parity vectors, mask included', async () => {
      const json = JSON.parse(readFileSync(cardPath, 'utf8')) as {
        parity: { input: string; output: string; atol: number };
      };
      const dir = path.dirname(cardPath);
      const input = JSON.parse(readFileSync(path.join(dir, json.parity.input), 'utf8')) as {
        inputs: Record<string, { shape: number[]; data: number[] }>;
      };
      const output = JSON.parse(readFileSync(path.join(dir, json.parity.output), 'utf8')) as {
        outputs: Record<string, { data: number[] }>;
      };
      const q = await loadQuantifier(cardPath);
      try {
        const mask = input.inputs[q.card.input.depthMask!.name];
        expect(mask, 'the parity input holds the depth mask').toBeDefined();
        expect(Array.from(mask.data)).toContain(0);
        const n = input.inputs.profile.shape[0];
        const r = await q.runNormalized(
          Float32Array.from(input.inputs.profile.data),
          n,
          Float32Array.from(mask.data),
        );
        const keys = {
          presence_logit: r.presenceLogit,
          log10_mass_fraction: r.log10MassFraction,
          density_g_per_cm3: r.densityGPerCm3,
          surface_um: r.surfaceUm,
          setup: r.setup,
        };
        for (const [name, a] of Object.entries(keys)) {
          const b = output.outputs[name].data;
          let m = 0;
          for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
          expect(m, name).toBeLessThanOrEqual(json.parity.atol);
        }
      } finally {
        await q.release();
      }
    });

    it.skipIf(skip || !hasCu)(
      'quantifies the real 15-step Cu-foil scan: Cu detected and the major element',
      async () => {
        const q: Quantifier = await loadQuantifier(cardPath);
        try {
          const r = await q.quantify(await readCuFoil());
          expect(r.window.measuredSteps).toBe(15);
          expect(r.warnings.map((w) => w.code)).toContain('short-scan-padded');
          const cu = r.elements.find((e) => e.element === 'Cu')!;
          expect(cu.detected).toBe(true);
          const top = [...r.elements].sort((a, b) => b.massFraction - a.massFraction)[0];
          expect(top.element).toBe('Cu');
          // The foil's surface lies between its first and last position.
          expect(r.surfaceUm).toBeGreaterThan(r.scan.firstUm);
          expect(r.surfaceUm).toBeLessThan(r.scan.lastUm);
        } finally {
          await q.release();
        }
      },
      60_000,
    );

    it.skipIf(skip)(
      'quantifies the glass cut to 15 and 25 steps like the same glass over 40 steps',
      async () => {
        const q = await loadQuantifier(cardPath);
        try {
          const [full, s25, s15] = await q.quantify([
            glassScan(40, 1),
            glassScan(25, 2),
            glassScan(15, 3),
          ]);
          expect([full, s25, s15].map((r) => r.window.measuredSteps)).toEqual([40, 25, 15]);
          for (const [r, tol] of [
            [s25, 0.3],
            [s15, 0.5],
          ] as const) {
            expect(Math.abs(r.densityGPerCm3 / full.densityGPerCm3 - 1)).toBeLessThan(tol / 2);
            expect(Math.abs(r.surfaceUm - full.surfaceUm)).toBeLessThan(10);
            for (const el of ['Pb', 'K', 'Ca'])
              expect(Math.abs(raw(r, el) / raw(full, el) - 1), `${el}, ${r.source}`).toBeLessThan(
                tol,
              );
          }
        } finally {
          await q.release();
        }
      },
      120_000,
    );
  },
);
