import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  generateDataset,
  MODEL_GRID,
  parseReferenceCompositions,
  PROFILE_SIZE,
  readNpyHeader,
  shardFiles,
} from '../../src/dataset/index.js';
import {
  parseInstrumentJson,
  parseInstrumentRanges,
  type InstrumentRanges,
} from '../../src/instrument/index.js';

const ROOT = resolve(__dirname, '..', '..');
const m4 = parseInstrumentJson(
  readFileSync(resolve(ROOT, 'instruments', 'm4-tornado.json'), 'utf8'),
  'm4-tornado.json',
);
const dirs: string[] = [];
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'cmxrf-rand-'));
  dirs.push(d);
  return d;
};
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

const readProfiles = (dir: string, k: number): Float32Array => {
  const b = new Uint8Array(readFileSync(join(dir, shardFiles(k).profiles)));
  const h = readNpyHeader(b);
  return new Float32Array(b.buffer.slice(b.byteOffset + h.dataOffset));
};
const samplesOf = (dir: string, k: number) =>
  (JSON.parse(readFileSync(join(dir, shardFiles(k).samples), 'utf8')) as {
    samples: { index: number; archetype: string; instrument?: { block: number; values: Record<string, number>; calibrationDrift: { offsetKeV: number; gainFactor: number } } }[];
  }).samples; // prettier-ignore

describe('domain randomization', () => {
  it('draws one instrument per block, records it per profile, and is deterministic', async () => {
    const ranges = parseInstrumentRanges(
      {
        schemaVersion: 1,
        blockSize: 3,
        parameters: {
          'tube.voltageKV': { min: 40, max: 50 },
          'detector.fwhmAtMnKaEv': { min: 120, max: 160 },
        },
        calibrationDrift: { offsetKeV: [-0.01, 0.01] },
      },
      m4,
    );
    const opts = {
      count: 6,
      seed: 'rand',
      shardSize: 4,
      instrumentDescription: m4,
      instrumentRanges: ranges,
    };
    const a = tmp();
    const m = await generateDataset({ ...opts, outDir: a, workers: 0 });
    expect(m.instrumentDescription).toEqual(m4);
    expect(m.instrumentRanges).toEqual(ranges);
    const s = [...samplesOf(a, 0), ...samplesOf(a, 1)];
    expect(s.map((x) => x.instrument?.block)).toEqual([0, 0, 0, 1, 1, 1]);
    // Same block ⇒ same instrument (even across the shard boundary at index 4); blocks differ.
    expect(s[3].instrument?.values).toEqual(s[5].instrument?.values);
    expect(s[0].instrument?.values).not.toEqual(s[3].instrument?.values);
    for (const x of s) {
      const v = x.instrument!.values;
      expect(v['tube.voltageKV']).toBeGreaterThanOrEqual(40);
      expect(v['tube.voltageKV']).toBeLessThanOrEqual(50);
      expect(Math.abs(x.instrument!.calibrationDrift.offsetKeV)).toBeLessThanOrEqual(0.01);
      expect(x.instrument!.calibrationDrift.gainFactor).toBe(1);
    }
    // Drift differs per profile.
    expect(s[0].instrument?.calibrationDrift).not.toEqual(s[1].instrument?.calibrationDrift);
    // Another shard size gives the same profiles (the instrument depends on the index only).
    const b = tmp();
    await generateDataset({ ...opts, shardSize: 6, outDir: b, workers: 0 });
    const pa = new Float32Array([...readProfiles(a, 0), ...readProfiles(a, 1)]);
    expect(Buffer.from(readProfiles(b, 0).buffer).equals(Buffer.from(pa.buffer))).toBe(true);
  }, 120_000);

  it('shifts peaks by the drawn calibration gain error', async () => {
    // Pure Fe with a +0.2 % gain error: Fe Kα (6.404 keV) appears at 6.404 · 1.002 keV on the
    // recorded axis, 12.8 eV higher (independent of the simulator: E_rec = gain' · ch).
    const iron = parseReferenceCompositions(
      { schemaVersion: 1, compositions: [{ name: 'Fe', massFractions: { Fe: 1 }, densityGPerCm3: 7.87 }] },
      'fe.json',
    ).compositions; // prettier-ignore
    const drift: InstrumentRanges = {
      schemaVersion: 1,
      parameters: {},
      calibrationDrift: { gainFactor: [1.002, 1.002] },
    };
    const base = {
      count: 1,
      seed: 'fe',
      shardSize: 1,
      workers: 0,
      compositions: iron,
      instrumentDescription: m4,
    };
    const a = tmp();
    const b = tmp();
    await generateDataset({ ...base, outDir: a });
    await generateDataset({
      ...base,
      outDir: b,
      instrumentRanges: parseInstrumentRanges(drift, m4),
    });
    expect(samplesOf(a, 0)[0].archetype).toBe('reference:Fe');
    const centroid = (p: Float32Array) => {
      // Depth-summed spectrum, centroid over 6.25–6.55 keV (Fe Kα only; Kβ is at 7.06 keV).
      const w = MODEL_GRID.binWidthKeV;
      let s = 0;
      let se = 0;
      for (let k = 0; k < MODEL_GRID.nChannels; k++) {
        const e = MODEL_GRID.startKeV + (k + 0.5) * w;
        if (e < 6.25 || e > 6.55) continue;
        let c = 0;
        for (let d = 0; d < MODEL_GRID.nDepth; d++) c += p[d * MODEL_GRID.nChannels + k];
        s += c;
        se += c * e;
      }
      return se / s;
    };
    const pa = readProfiles(a, 0);
    const pb = readProfiles(b, 0);
    expect(pa.length).toBe(PROFILE_SIZE);
    const shiftEv = (centroid(pb) - centroid(pa)) * 1000;
    expect(shiftEv).toBeGreaterThan(12.8 - 2.5);
    expect(shiftEv).toBeLessThan(12.8 + 2.5);
  }, 120_000);

  it('the held-out composition set parses and holds the NIST 1412-like Cd level', () => {
    const set = parseReferenceCompositions(
      JSON.parse(readFileSync(resolve(ROOT, 'training', 'heldout-compositions.json'), 'utf8')),
      'heldout-compositions.json',
    );
    const glass = set.compositions.find((c) => c.name === 'glass-1412-like')!;
    // SRM 1412 certifies CdO 4.38 wt%: Cd = 4.38 · 112.41 / 128.41 = 3.834 wt%.
    expect(glass.massFractions.Cd).toBeCloseTo(0.03834, 3);
    expect(set.compositions.length).toBeGreaterThanOrEqual(8);
    expect(() =>
      parseReferenceCompositions(
        {
          schemaVersion: 1,
          compositions: [{ name: 'x', massFractions: { Fe: 0.5 }, densityGPerCm3: 7 }],
        },
        'bad.json',
      ),
    ).toThrow(
      /bad\.json, field compositions\[0\]\.massFractions: expected mass fractions summing to 1/,
    );
  });

  it('rejects ranges without a nominal description', async () => {
    await expect(
      generateDataset({
        outDir: tmp(),
        count: 1,
        seed: 1,
        workers: 0,
        instrumentRanges: { schemaVersion: 1, parameters: {} },
      }),
    ).rejects.toThrow(/instrumentDescription/);
  });
});
