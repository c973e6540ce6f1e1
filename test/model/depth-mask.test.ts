/**
 * Short scans with a model that declares a depth mask (`input.depthMask`): the exact feeds
 * (profile rows and mask) built for scans of 10 to 60 steps, the refusals, the unchanged
 * behaviour of cards without a mask, and the card's validation. The runtime is a fake that
 * records its feeds; the expected normalised rows are computed here from the counts with
 * `Math.log1p`, independently of the library's rebinning and table logarithm.
 */
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatResults } from '../../src/cli/format';
import { readDepthProfileFromPaths } from '../../src/io/node';
import { parseModelCard } from '../../src/model/card';
import { InvalidArgumentError } from '../../src/errors';
import {
  ModelCardError,
  ModelRuntimeError,
  ProfileNotRepresentableError,
} from '../../src/model/errors';
import { createQuantifier, type Quantifier } from '../../src/model/quantifier';
import { chooseModelWindow, measuredModelSteps } from '../../src/model/scan';
import type { DepthProfile } from '../../src/profile';
import { fakeRuntime, type FakeOutputs, type RecordedTensor } from './fake-runtime';
import { range, syntheticProfile, tinyCardJson } from './helpers';

const N_DEPTH = 40;
const N_CH = 1024;
const MASK = {
  name: 'depth_mask',
  shape: ['batch', N_DEPTH],
  dtype: 'float32',
  minSteps: 10,
  minMaterialUm: 25,
};

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type LooseCard = Record<string, any>;
function maskedCardJson(mask: unknown = MASK): LooseCard {
  const c = tinyCardJson() as LooseCard;
  c.name = 'cmxrf-masked';
  c.input.depthMask = mask;
  return c;
}

async function quantifier(
  masked: boolean,
  outputs: FakeOutputs = {},
): Promise<{ q: Quantifier; runs: Record<string, RecordedTensor>[] }> {
  const names = masked ? ['profile', 'depth_mask'] : ['profile'];
  const { runtime, runs } = fakeRuntime(names, outputs);
  const q = await createQuantifier({
    runtime,
    model: new Uint8Array(8),
    card: masked ? maskedCardJson() : tinyCardJson(),
    verifySha256: false,
  });
  return { q, runs };
}

/**
 * Counts of step j, channel k: a pattern that differs between steps but sums to the same total
 * over the 1024 channels at every step, × 0.05 in air (steps before `surfaceStep`).
 */
const countsOf =
  (surfaceStep: number) =>
  (j: number, k: number): number =>
    (20 + ((k * 5 + j * 3) % 16)) * (j < surfaceStep ? 0.05 : 1);

/**
 * A scan of `n` positions 5 µm apart from `startUm`, on the model's energy bins (channel k
 * covers [1 + 0.024·k, 1 + 0.024·(k + 1)) keV), 10 s per step, the surface between positions
 * `surfaceStep − 1` and `surfaceStep`.
 */
function scan(n: number, surfaceStep: number, startUm = 0): DepthProfile {
  return {
    ...syntheticProfile({
      depthsUm: range(n, 5, startUm),
      offsetKeV: 1.012,
      gainKeVPerChannel: 0.024,
      nChannels: N_CH,
      liveTimeS: 10,
      counts: countsOf(surfaceStep),
    }),
    source: `scan-${n}`,
  };
}

/** x = ln(1 + rate · 10 s) / 4 of measured step j, as float32. */
function expectedRow(p: DepthProfile, j: number): Float32Array {
  const row = new Float32Array(N_CH);
  for (let k = 0; k < N_CH; k++)
    row[k] = Math.log1p((p.counts[j * N_CH + k] / p.liveTimesS[j]) * 10) / 4;
  return row;
}

const ones = (n: number): number[] => [
  ...new Array<number>(n).fill(1),
  ...new Array<number>(N_DEPTH - n).fill(0),
];

/** Checks model row m of profile b of a recorded feed against measured step j (or zeros). */
function expectRow(feed: RecordedTensor, b: number, m: number, expected: Float32Array | 0): void {
  const row = feed.data.subarray((b * N_DEPTH + m) * N_CH, (b * N_DEPTH + m + 1) * N_CH);
  if (expected === 0) {
    expect(
      row.every((v) => v === 0),
      `row ${m} of profile ${b} is zero`,
    ).toBe(true);
    return;
  }
  let worst = 0;
  for (let k = 0; k < N_CH; k++) worst = Math.max(worst, Math.abs(row[k] - expected[k]));
  expect(worst, `row ${m} of profile ${b}`).toBeLessThan(2e-6);
}

async function problemOf(q: Quantifier, p: DepthProfile): Promise<ProfileNotRepresentableError> {
  const e = await q.quantify(p).catch((x: unknown) => x);
  expect(e).toBeInstanceOf(ProfileNotRepresentableError);
  return e as ProfileNotRepresentableError;
}

describe('scan windows with a depth-mask model (fake runtime)', () => {
  // Surface between 5 and 10 µm: the half-maximum edge lies at 5 + 5 · 0.45/0.95 ≈ 7.37 µm.
  const EDGE_UM = 5 + (5 * 0.45) / 0.95;

  for (const n of [10, 15, 25]) {
    it(`feeds a ${n}-step scan as ${n} measured rows, ${N_DEPTH - n} zero rows and the mask`, async () => {
      // The network's surface 12 µm into the window (the edge lies at 7.4 µm): inside the
      // measured part of every window here.
      const { q, runs } = await quantifier(true, { surfaceUm: 12 });
      const p = scan(n, 2);
      const r = await q.quantify(p);
      expect(runs).toHaveLength(1);
      const { profile, depth_mask: mask } = runs[0];
      expect(Object.keys(runs[0]).sort()).toEqual(['depth_mask', 'profile']);
      expect(profile.dims).toEqual([1, N_DEPTH, N_CH]);
      expect(mask.dims).toEqual([1, N_DEPTH]);
      expect(mask.type).toBe('float32');
      expect(Array.from(mask.data)).toEqual(ones(n));
      for (let m = 0; m < N_DEPTH; m++) expectRow(profile, 0, m, m < n ? expectedRow(p, m) : 0);
      expect(r.scan.surfaceEdgeUm).toBeCloseTo(EDGE_UM, 9);
      expect(r.window).toMatchObject({
        startUm: 0,
        endUm: 195,
        nSteps: N_DEPTH,
        measuredSteps: n,
        firstStep: 0,
        lastStep: n - 1,
        passes: 1,
      });
      expect(r.warnings.map((w) => w.code)).toEqual(['short-scan-padded']);
      expect(r.warnings[0].message).toMatch(
        new RegExp(`gives ${n} measured steps of the model's 40 .*last ${40 - n} steps`),
      );
    });
  }

  describe('surface-beyond-measured', () => {
    // A 15-step scan (0–70 µm, surface edge at 7.4 µm); the fake network's surface is set.
    const codesFor = async (surfaceUm: number) => {
      const { q } = await quantifier(true, { surfaceUm });
      const r = await q.quantify(scan(15, 2));
      expect(r.window).toMatchObject({ startUm: 0, measuredSteps: 15, passes: 1 });
      return r;
    };

    it('is silent while the surface lies ≥ 25 µm (minMaterialUm) in front of the last step', async () => {
      for (const s of [12, 40, 45]) {
        const r = await codesFor(s);
        expect(r.warnings.map((w) => w.code)).not.toContain('surface-beyond-measured');
      }
    });

    it('warns when the surface lies less than 25 µm in front of the last measured step', async () => {
      const r = await codesFor(50);
      const w = r.warnings.find((x) => x.code === 'surface-beyond-measured');
      expect(w?.message).toMatch(
        /surface at 50 µm, only 20 µm in front of the last measured step: the window's 15 measured steps of 40 cover 0–70 µm .*at least 25 µm .*extend the scan to at least 75 µm/,
      );
    });

    it('warns when the surface lies beyond the last measured step', async () => {
      const r = await codesFor(78);
      const w = r.warnings.find((x) => x.code === 'surface-beyond-measured');
      expect(w?.message).toMatch(/surface at 78 µm, 8 µm beyond the last measured step/);
    });

    it('does not apply to a full window', async () => {
      const { q } = await quantifier(true, { surfaceUm: 78 });
      const r = await q.quantify(scan(40, 2));
      expect(r.window.measuredSteps).toBe(40);
      expect(r.warnings.map((w) => w.code)).not.toContain('surface-beyond-measured');
    });
  });

  it('feeds a 40-step scan whole: mask all ones, no warning', async () => {
    const { q, runs } = await quantifier(true);
    const p = scan(40, 2);
    const r = await q.quantify(p);
    expect(Array.from(runs[0].depth_mask.data)).toEqual(ones(40));
    for (let m = 0; m < N_DEPTH; m++) expectRow(runs[0].profile, 0, m, expectedRow(p, m));
    expect(r.window).toMatchObject({ startUm: 0, measuredSteps: 40, lastStep: 39 });
    expect(r.warnings).toEqual([]);
  });

  it('keeps the full-window rule on a 60-step scan (surface at 150 µm: window 100–295 µm)', async () => {
    const { q, runs } = await quantifier(true);
    const p = scan(60, 30);
    const r = await q.quantify(p);
    // Edge ≈ 147.4 µm; 35 µm in front is 112 µm, but the window must end within the scan.
    expect(r.window).toMatchObject({ startUm: 100, endUm: 295, measuredSteps: 40, firstStep: 20 });
    expect(Array.from(runs[0].depth_mask.data)).toEqual(ones(40));
    for (let m = 0; m < N_DEPTH; m++) expectRow(runs[0].profile, 0, m, expectedRow(p, 20 + m));
    expect(r.warnings).toEqual([]);
  });

  it('pads a 60-step scan whose surface (250 µm) lies too deep for a full window', async () => {
    const { q, runs } = await quantifier(true);
    const p = scan(60, 50);
    const r = await q.quantify(p);
    // Edge ≈ 247.4 µm: window from 210 µm (212.4 snapped), 18 steps to the scan end at 295 µm.
    expect(r.window).toMatchObject({
      startUm: 210,
      measuredSteps: 18,
      firstStep: 42,
      lastStep: 59,
    });
    expect(Array.from(runs[0].depth_mask.data)).toEqual(ones(18));
    for (let m = 0; m < N_DEPTH; m++)
      expectRow(runs[0].profile, 0, m, m < 18 ? expectedRow(p, 42 + m) : 0);
    expect(r.warnings.map((w) => w.code)).toEqual(['short-scan-padded']);
  });

  it('carries a mask per profile through batches, and zeroes reused buffer rows', async () => {
    const { q, runs } = await quantifier(true);
    const ps = [scan(40, 2), scan(10, 2), scan(25, 2), scan(15, 2), scan(60, 30)];
    const rs = await q.quantify(ps, { batchSize: 3 });
    expect(runs).toHaveLength(2);
    expect(runs[0].depth_mask.dims).toEqual([3, N_DEPTH]);
    expect(runs[1].depth_mask.dims).toEqual([2, N_DEPTH]);
    expect(Array.from(runs[0].depth_mask.data)).toEqual([...ones(40), ...ones(10), ...ones(25)]);
    expect(Array.from(runs[1].depth_mask.data)).toEqual([...ones(15), ...ones(40)]);
    // The 15-step profile takes the buffer slot of the 40-step one: its tail must be zero.
    for (let m = 0; m < N_DEPTH; m++)
      expectRow(runs[1].profile, 0, m, m < 15 ? expectedRow(ps[3], m) : 0);
    expect(rs.map((r) => r.window.measuredSteps)).toEqual([40, 10, 25, 15, 40]);
  });

  it('moves a padded window on the second pass and feeds its new mask', async () => {
    // The fake network puts the surface 90 µm into the window: the window moves to 45 µm in
    // front of it (hint 90 µm → start 45 µm), 16 steps to the end of the 25-step scan.
    const { q, runs } = await quantifier(true, { surfaceUm: 90 });
    const p = scan(25, 2);
    const r = await q.quantify(p);
    expect(runs).toHaveLength(2);
    expect(Array.from(runs[1].depth_mask.data)).toEqual(ones(16));
    for (let m = 0; m < N_DEPTH; m++)
      expectRow(runs[1].profile, 0, m, m < 16 ? expectedRow(p, 9 + m) : 0);
    expect(r.window).toMatchObject({ startUm: 45, measuredSteps: 16, passes: 2 });
  });

  it('refuses 9 steps, naming the steps needed and got and the card field', async () => {
    const { q, runs } = await quantifier(true);
    const e = await problemOf(q, scan(9, 2));
    expect(e.problem).toBe('short-scan');
    expect(e.message).toMatch(
      /^scan-9: .*needs at least 10 measured steps of 5 µm \(a scan over 45 µm; model card input\.depthMask\.minSteps\); this scan has 9 positions over 40 µm.*10 positions at its 5 µm step would do, 1 more.*--depth-step-um/,
    );
    expect(runs).toHaveLength(0);
  });

  it('refuses a surface too near the scan end, naming the µm behind it and how far to extend', async () => {
    const { q } = await quantifier(true);
    // 15 steps (0–70 µm), surface between 55 and 60 µm: edge ≈ 57.4 µm, 12.6 µm behind it.
    const e = await problemOf(q, scan(15, 12));
    expect(e.problem).toBe('insufficient-depth');
    expect(e.message).toMatch(
      /surface lies at about 57\.37 µm and the scan ends at 70 µm: the window's measured steps reach 12\.6 µm behind the surface; the model needs at least 25 µm .*input\.depthMask\.minMaterialUm.*Extend the scan to at least 82\.37 µm \(3 more position\(s\) at its 5 µm step\).*--invert-axis/,
    );
    expect(e.value).toBeCloseTo(70 - (55 + (5 * 0.45) / 0.95), 9);
  });

  it('refuses a scan whose surface is not in it (starting inside the sample)', async () => {
    const { q } = await quantifier(true);
    // Highest at the first position, decaying: the scan starts behind the surface.
    const p = syntheticProfile({
      depthsUm: range(20, 5),
      offsetKeV: 1.012,
      gainKeVPerChannel: 0.024,
      nChannels: N_CH,
      counts: (j, k) => (20 + (k % 7)) * Math.exp(-j / 4),
    });
    const e = await problemOf(q, p);
    expect(e.problem).toBe('no-surface');
    expect(e.message).toMatch(/highest at the first position.*starts at or behind the surface/);
  });

  it('refuses a scan that only rises at its end (the surface beyond the scan)', async () => {
    const { q } = await quantifier(true);
    const e = await problemOf(q, scan(20, 19));
    expect(e.problem).toBe('insufficient-depth');
    expect(e.message).toMatch(/scan ends at 95 µm.*needs at least 25 µm of scan behind/);
  });
});

describe('models without a depth mask (the v2 card) behave as before', () => {
  it('feeds only the profile input and refuses scans shorter than 40 steps', async () => {
    const { q, runs } = await quantifier(false);
    const p40 = scan(40, 2);
    const r = await q.quantify(p40);
    expect(Object.keys(runs[0])).toEqual(['profile']);
    for (let m = 0; m < N_DEPTH; m++) expectRow(runs[0].profile, 0, m, expectedRow(p40, m));
    expect(r.window).toMatchObject({ startUm: 0, measuredSteps: 40 });
    for (const n of [10, 15, 25]) {
      const e = await problemOf(q, scan(n, 2));
      expect(e.problem).toBe('short-scan');
      expect(e.message).toMatch(
        new RegExp(
          `needs a scan over 195 µm \\(40 steps of 5 µm\\).*${n} positions over ${5 * (n - 1)} µm ` +
            `\\(40 positions at its 5 µm step would do, ${40 - n} more\\)`,
        ),
      );
    }
    // A surface too deep for a full window: refused, not padded.
    expect((await problemOf(q, scan(60, 50))).problem).toBe('insufficient-depth');
    expect(runs).toHaveLength(1);
  });

  it('runNormalized takes no mask, or an all-ones one, and refuses zeros', async () => {
    const { q, runs } = await quantifier(false);
    const x = new Float32Array(2 * N_DEPTH * N_CH);
    await q.runNormalized(x, 2);
    await q.runNormalized(x, 2, new Float32Array(2 * N_DEPTH).fill(1));
    expect(runs.map((r) => Object.keys(r))).toEqual([['profile'], ['profile']]);
    const m = Float32Array.from([...ones(40), ...ones(15)]);
    await expect(q.runNormalized(x, 2, m)).rejects.toThrow(
      /depthMask row 1, step 15: cmxrf-tiny has no depth-mask input \(model card input\.depthMask\)/,
    );
  });

  it('refuses a graph that needs an input the card does not declare', async () => {
    const { runtime } = fakeRuntime(['profile', 'depth_mask']);
    await expect(
      createQuantifier({
        runtime,
        model: new Uint8Array(8),
        card: tinyCardJson(),
        verifySha256: false,
      }),
    ).rejects.toThrow(/needs input\(s\) "depth_mask" that the model card does not declare/);
  });
});

describe('runNormalized with a depth mask', () => {
  it('feeds all ones by default and the given mask otherwise', async () => {
    const { q, runs } = await quantifier(true);
    const x = new Float32Array(2 * N_DEPTH * N_CH);
    await q.runNormalized(x, 2);
    expect(Array.from(runs[0].depth_mask.data)).toEqual([...ones(40), ...ones(40)]);
    const m = Float32Array.from([...ones(12), ...ones(40)]);
    await q.runNormalized(x, 2, m);
    expect(Array.from(runs[1].depth_mask.data)).toEqual(Array.from(m));
    expect(runs[1].depth_mask.dims).toEqual([2, N_DEPTH]);
  });

  it('refuses masks of the wrong length, values other than 0/1, or gaps', async () => {
    const { q } = await quantifier(true);
    const x = new Float32Array(N_DEPTH * N_CH);
    const bad = async (m: Float32Array, re: RegExp): Promise<void> => {
      const e = await q.runNormalized(x, 1, m).catch((v: unknown) => v);
      expect(e).toBeInstanceOf(InvalidArgumentError);
      expect((e as Error).message).toMatch(re);
    };
    await bad(new Float32Array(39).fill(1), /Float32Array of batch · 40 = 40 values.*`39`/);
    await bad(Float32Array.from(ones(0)), /row 0 must start with a measured step/);
    const half = Float32Array.from(ones(20));
    half[5] = 0.5;
    await bad(half, /row 0, step 5: values must be 0 or 1/);
    const gap = Float32Array.from(ones(20));
    gap[3] = 0;
    await bad(gap, /only trailing steps may be masked \(0 before 1 at step 4\)/);
  });

  it('refuses a session without the declared mask input, naming it', async () => {
    const { runtime } = fakeRuntime(['profile']);
    await expect(
      createQuantifier({
        runtime,
        model: new Uint8Array(8),
        card: maskedCardJson(),
        verifySha256: false,
      }),
    ).rejects.toThrow(
      /the ONNX graph lacks input "depth_mask" named by the model card \(graph inputs \["profile"\]/,
    );
    await expect(
      createQuantifier({
        runtime,
        model: new Uint8Array(8),
        card: maskedCardJson(),
        verifySha256: false,
      }),
    ).rejects.toBeInstanceOf(ModelRuntimeError);
  });
});

describe('the short-scan warning in every output format', () => {
  it('appears with its code and message in the table, JSON and CSV', async () => {
    const { q } = await quantifier(true);
    const result = await q.quantify(scan(15, 2));
    const rows = [{ file: 'scan-15.csv', result }];
    expect(formatResults(rows, 'table')).toMatch(
      /warning \[short-scan-padded\]: the scan gives 15 measured steps of the model's 40/,
    );
    const json = JSON.parse(formatResults(rows, 'json')) as {
      warnings: { code: string; message: string }[];
      window: { measuredSteps: number };
    }[];
    expect(json[0].warnings[0].code).toBe('short-scan-padded');
    expect(json[0].window.measuredSteps).toBe(15);
    const csv = formatResults(rows, 'csv');
    expect(csv).toMatch(/short-scan-padded/);
    expect(csv).toMatch(/15 measured steps of the model's 40/);
  });
});

describe('chooseModelWindow', () => {
  const grid = { nDepth: 40, depthStepUm: 5 };
  it('starts short scans at their start when the surface is less than 35 µm from it', () => {
    expect(chooseModelWindow(range(15, 5), 20, grid, { minSteps: 10 })).toEqual({
      startUm: 0,
      measuredSteps: 15,
    });
    expect(chooseModelWindow(range(15, 5, 100), 150, grid, { minSteps: 10 })).toEqual({
      startUm: 115,
      measuredSteps: 12,
    });
  });
  it('starts earlier to take minSteps, and keeps the full window of long scans', () => {
    // Surface at 60 µm of a 0–70 µm scan: a start at 25 µm leaves 10 steps; 12 start at 15 µm.
    expect(chooseModelWindow(range(15, 5), 60, grid, { minSteps: 12 })).toEqual({
      startUm: 15,
      measuredSteps: 12,
    });
    expect(chooseModelWindow(range(80, 5), 180, grid, { minSteps: 10 })).toEqual({
      startUm: 145,
      measuredSteps: 40,
    });
    // Without minSteps (no mask): today's rule, whatever the scan.
    expect(chooseModelWindow(range(15, 5), 20, grid)).toEqual({ startUm: 0, measuredSteps: 15 });
  });
  it('counts measured model steps of scans at other steps', () => {
    expect(measuredModelSteps(0, 70, grid)).toBe(15);
    expect(measuredModelSteps(3, 92, grid)).toBe(18); // 10 µm scan 3…92 µm: 3, 8, …, 88
    expect(measuredModelSteps(0, 500, grid)).toBe(40);
  });
});

describe('input.depthMask in the model card', () => {
  const problems = (mask: unknown): string[] => {
    try {
      parseModelCard(maskedCardJson(mask));
    } catch (e) {
      expect(e).toBeInstanceOf(ModelCardError);
      return (e as ModelCardError).problems.map((p) => `${p.field}: ${p.got}`);
    }
    return [];
  };
  it('accepts the declared mask and keeps it on the card', () => {
    const card = parseModelCard(maskedCardJson({ ...MASK, meaning: '1 = measured' }));
    expect(card.input.depthMask).toMatchObject({
      name: 'depth_mask',
      minSteps: 10,
      minMaterialUm: 25,
    });
    expect(parseModelCard(tinyCardJson()).input.depthMask).toBeUndefined();
  });
  it('lists every invalid field with its path and value', () => {
    expect(problems('yes')).toEqual(['input.depthMask: "yes"']);
    expect(
      problems({
        name: '',
        shape: ['batch', 30],
        dtype: 'float16',
        minSteps: 2.5,
        minMaterialUm: -1,
      }),
    ).toEqual([
      'input.depthMask.name: ""',
      'input.depthMask.shape: ["batch",30]',
      'input.depthMask.dtype: "float16"',
      'input.depthMask.minSteps: 2.5',
      'input.depthMask.minMaterialUm: -1',
    ]);
    expect(problems({ ...MASK, name: 'profile', minSteps: 41 })).toEqual([
      'input.depthMask.name: "profile"',
      'input.depthMask.minSteps: 41',
    ]);
    const { minMaterialUm: _drop, ...noMaterial } = MASK;
    void _drop;
    expect(problems(noMaterial)).toEqual(['input.depthMask.minMaterialUm: nothing']);
    expect(() => parseModelCard(maskedCardJson({ ...MASK, minSteps: 0 }))).toThrow(
      /Invalid model card cmxrf-masked: input\.depthMask\.minSteps: expected an integer from 2 to grid\.nDepth, got 0/,
    );
  });
});

// The real 15 × 5 µm M4 Tornado Cu-foil scan.
const REPO = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const SHARED = process.env.CMXRF_SHARED_DIR ?? path.resolve(REPO, '..', 'shared');
const CU_FOIL = path.join(SHARED, 'data/realprofiles/specfit_tuberlin_m4');
const hasCu =
  existsSync(CU_FOIL) && readdirSync(CU_FOIL).some((f) => /^Cu_foil_z[\d.]+\.spx$/.test(f));
if (!hasCu) console.warn(`depth-mask tests: ${CU_FOIL} not found; the Cu-foil test is skipped`);

describe.skipIf(!hasCu)('the real 15-step Cu-foil scan with a depth-mask model', () => {
  it('is windowed from its first position with 15 measured steps and 25 masked', async () => {
    const profile = await readDepthProfileFromPaths(path.join(CU_FOIL, 'Cu_foil_z*.spx'));
    expect(profile.nSteps).toBe(15);
    const { q, runs } = await quantifier(true);
    const r = await q.quantify(profile);
    const first = profile.depthsUm[0];
    const last = profile.depthsUm[14];
    expect(last - first).toBeCloseTo(70, 6);
    // The Cu Kα counts (7.9–8.2 keV, summed independently of cmxrf: 46281 at 15 µm, 83690 at
    // 20 µm, peak 138544) reach half their maximum at 15 + 5 · (69272 − 46281)/(83690 − 46281)
    // = 18.07 µm; the edge of the total count rate must lie there too.
    expect(r.scan.surfaceEdgeUm - first).toBeGreaterThan(17);
    expect(r.scan.surfaceEdgeUm - first).toBeLessThan(19);
    expect(r.window).toMatchObject({
      startUm: first,
      measuredSteps: 15,
      firstStep: 0,
      lastStep: 14,
    });
    expect(Array.from(runs[0].depth_mask.data)).toEqual(ones(15));
    const x = runs[0].profile.data;
    for (let m = 15; m < N_DEPTH; m++)
      expect(x.subarray(m * N_CH, (m + 1) * N_CH).every((v) => v === 0)).toBe(true);
    for (let m = 0; m < 15; m++)
      expect(x.subarray(m * N_CH, (m + 1) * N_CH).some((v) => v > 0)).toBe(true);
    expect(r.warnings.map((w) => w.code)).toContain('short-scan-padded');
  });
});
