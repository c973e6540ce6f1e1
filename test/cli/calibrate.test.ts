/**
 * `cmxrf calibrate` and `cmxrf quantify --intensity-scale`: a simulated unit at half the
 * sensitivity of the model's instrument (excitation solid angle × 0.5, no pile-up so that the
 * scale is linear), a pure-Cu reference scan written as CSV, the scale file, and its use; typed
 * one-line errors for bad references and scale arguments.
 */
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { depthProfileToCsv } from '../../src/io/depth-profile-csv-writer';
import { CALIBRATION_REFERENCE_SETUP } from '../../src/refine';
import { createRng } from '../../src/sampling/rng';
import { samplePoisson } from '../../src/sampling/poisson';
import { confocalProfileFromSpectrum } from '../../src/spectra/confocalFromSpectrum';
import { defaultInstrument } from '../../src/spectra/instrument';
import { createMxrfSimulator } from '../../src/spectra/mxrfSimulator';
import { cli } from './run-cli';

let dir: string;
let cuCsv: string;
let brassCsv: string;

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'cmxrf-calibrate-'));
  const inst = defaultInstrument();
  inst.excitationOptic.solidAngleSr *= 0.5;
  inst.detector.pulsePairResolutionUs = 0;
  inst.detector.deadTimeUs = 0;
  const sim = createMxrfSimulator(inst);
  const write = (name: string, composition: Record<string, number>, rho: number, seed: number) => {
    const spectrum = sim.simulate({ composition, densityGPerCm3: rho });
    const depthsUm = Float64Array.from({ length: 40 }, (_, i) => 5 * i);
    const p = confocalProfileFromSpectrum(spectrum, CALIBRATION_REFERENCE_SETUP, 30, {
      depthsUm,
      out: new Float64Array(40 * spectrum.counts.length),
    });
    const rng = createRng(seed);
    const counts = p.counts.map((c) => samplePoisson(c * 10, rng));
    const file = path.join(dir, name);
    writeFileSync(file, depthProfileToCsv({ ...p, counts, liveTimesS: p.liveTimesS.fill(10) }));
    return file;
  };
  cuCsv = write('cu.csv', { Cu: 1 }, 8.96, 1);
  brassCsv = write('brass.csv', { Cu: 0.6, Zn: 0.4 }, 8.5, 2);
}, 60_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('cmxrf calibrate', () => {
  it('writes the scale of a half-sensitivity unit, which quantify then applies', async () => {
    const out = path.join(dir, 'scale.json');
    const r = await cli([
      'calibrate',
      cuCsv,
      '--composition',
      'Cu=1',
      '--density-g-per-cm3',
      '8.96',
      '--name',
      'Cu sheet',
      '-o',
      out,
    ]);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/intensity scale k {2}0\.\d+ ± /);
    const scale = JSON.parse(readFileSync(out, 'utf8')) as Record<string, unknown>;
    expect(scale.format).toBe('cmxrf-intensity-scale');
    expect(scale.modelInstrument).toBe('M4 Tornado class');
    // The unit's pile-up-free spectrum against the model's instrument (with its pile-up): 0.5
    // within the few per cent that pile-up takes from the model's pure-Cu rates.
    expect(scale.intensityScale as number).toBeGreaterThan(0.5);
    expect(scale.intensityScale as number).toBeLessThan(0.56);
    expect(scale.intensityScaleSigma as number).toBeGreaterThan(0);
    expect(scale.reference).toEqual({
      composition: { Cu: 1 },
      densityGPerCm3: 8.96,
      name: 'Cu sheet',
    });

    const q = await cli(['quantify', brassCsv, '--intensity-scale', out, '--format', 'json']);
    expect(q.code, q.err).toBe(0);
    const [res] = JSON.parse(q.out) as { intensityNormalization: { intensityScale: number } }[];
    expect(res.intensityNormalization.intensityScale).toBe(scale.intensityScale);
    expect(q.err).toMatch(/\[intensity-scaled\]/);
    const n = await cli(['quantify', brassCsv, '--intensity-scale', '0.5', '--format', 'json']);
    expect(n.code, n.err).toBe(0);
    expect(JSON.parse(n.out)[0].intensityNormalization.rateFactor).toBe(2);
  }, 120_000);

  it('quantify --refine-hold-instrument holds the optic and pulse-pair resolution', async () => {
    const run = async (extra: string[]) => {
      const r = await cli(['quantify', brassCsv, '--refine', '--format', 'json', ...extra]);
      expect(r.code, r.err).toBe(0);
      type V = { value: number; free: boolean };
      return (
        JSON.parse(r.out) as {
          refinement: { instrument: { opticCentreKeV: V; pulsePairResolutionUs: V } };
        }[]
      )[0].refinement.instrument;
    };
    const held = await run(['--refine-hold-instrument']);
    expect(held.opticCentreKeV).toMatchObject({ value: 14, free: false });
    expect(held.pulsePairResolutionUs).toMatchObject({ value: 0.25, free: false });
    const fitted = await run([]);
    expect(fitted.opticCentreKeV.free).toBe(true);
    // The profile was simulated without pile-up: the fitted resolution goes towards 0.
    expect(fitted.pulsePairResolutionUs.value).toBeLessThan(0.1);
  }, 120_000);

  it('quantify --refine fits the profile at the exposure the network saw', async () => {
    const tA = async (extra: string[]) => {
      const r = await cli(['quantify', brassCsv, '--refine', '--format', 'json', ...extra]);
      expect(r.code, r.err).toBe(0);
      return (JSON.parse(r.out) as { refinement: { setup: { tA: { value: number } } } }[])[0]
        .refinement.setup.tA.value;
    };
    // The refinement's band-pass amplitude absorbs the scale: × 1/k with the scale given (to
    // within the trade between tA and the fitted optic band-pass, which moves the total flux
    // reaching the sample by several % on this two-element sample).
    const ratio = (await tA(['--intensity-scale', '0.5'])) / (await tA([]));
    expect(ratio).toBeGreaterThan(1.75);
    expect(ratio).toBeLessThan(2.25);
  }, 120_000);

  it('refuses bad references and scale arguments with one-line errors', async () => {
    const base = ['calibrate', cuCsv, '--density-g-per-cm3', '8.96'];
    for (const [composition, message] of [
      ['Cu=100', /Cu is 100: mass fractions are 0\.\.1, not percent/],
      ['Xx=1', /composition.*Xx/],
      ['Cu=0.7,Zn=0.5', /sum to 1\.2/],
    ] as const) {
      const r = await cli([...base, '--composition', composition]);
      expect(r.code).toBe(1);
      expect(r.err).toMatch(message);
      expect(r.err.trim().split('\n')).toHaveLength(1);
      expect(r.err).not.toMatch(/\n\s+at /);
    }
    const usage = await cli([...base, '--composition', 'Cu']);
    expect(usage.code).toBe(2);
    expect(usage.err).toMatch(/element=massFraction/);
    const missing = await cli([
      'quantify',
      brassCsv,
      '--intensity-scale',
      path.join(dir, 'no.json'),
    ]);
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(/neither a number nor a readable file \(no such file\)/);
    const zero = await cli(['quantify', brassCsv, '--intensity-scale', '0']);
    expect(zero.code).toBe(1);
    expect(zero.err).toMatch(/--intensity-scale must be a finite number > 0/);
    const bad = path.join(dir, 'bad.json');
    writeFileSync(bad, '{"intensityScale": -2}');
    const neg = await cli(['quantify', brassCsv, '--intensity-scale', bad]);
    expect(neg.code).toBe(1);
    expect(neg.err).toMatch(/bad\.json, field intensityScale: expected a number > 0, got -2/);
  }, 120_000);

  it('-o into a missing folder: one typed line, and no file left behind', async () => {
    const out = path.join(dir, 'missing', 'scale.json');
    const before = readdirSync(dir).sort();
    const r = await cli([
      'calibrate',
      cuCsv,
      '--composition',
      'Cu=1',
      '--density-g-per-cm3',
      '8.96',
      '-o',
      out,
    ]);
    expect(r.code).toBe(1);
    expect(r.err).toBe(
      `cmxrf: error: ${out}: cannot write the intensity scale: the folder ${path.dirname(out)} does not exist\n`,
    );
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(dir).sort()).toEqual(before);
  }, 120_000);
});
