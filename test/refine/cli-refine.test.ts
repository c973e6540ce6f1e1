/**
 * `cmxrf quantify --refine` output: refined values ± 1σ and the fit flag in table, JSON and CSV
 * (the network step is replaced by a fixed result so that no ONNX runtime is needed).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { formatRefinedResults } from '../../src/cli/refine-output';
import type { QuantificationResult } from '../../src/model/result';
import { PREDICTED_ELEMENTS } from '../../src/predictedElements';
import type { DepthProfile } from '../../src/profile';
import { confocalProfileFromSpectrum } from '../../src/spectra/confocalFromSpectrum';
import { createMxrfSimulator } from '../../src/spectra/mxrfSimulator';
import { createRng, poissonNoise } from '../../src/sampling';
import { resultMeta } from './resultMeta';

const SETUP = { tA: 1, tB: 5, tM: 11, sigmaMaxUm: 20, sigmaExpPerKeV: 0.15, sigmaOffUm: 6 };
let profile: DepthProfile;
let result: QuantificationResult;

beforeAll(() => {
  const sim = createMxrfSimulator();
  const spectrum = sim.simulate({
    composition: { Fe: 0.02, Cu: 0.01, H: 0.06, C: 0.43, O: 0.48 },
    densityGPerCm3: 1.2,
  });
  const p = confocalProfileFromSpectrum<Float64Array>(spectrum, SETUP, 30, {
    depthsUm: Float64Array.from({ length: 20 }, (_, i) => i * 5),
    out: new Float64Array(20 * spectrum.counts.length),
  });
  for (let i = 0; i < p.counts.length; i++) p.counts[i] *= 10;
  p.liveTimesS.fill(10);
  profile = { ...p, counts: poissonNoise(p.counts, createRng('cli-refine')) };
  const truth: Record<string, number> = { Fe: 0.02, Cu: 0.01 };
  result = {
    modelId: 'test',
    threshold: 0.5,
    elements: PREDICTED_ELEMENTS.map((element) => ({
      element,
      massFraction: (truth[element] ?? 0) * 1.2,
      massFractionRaw: (truth[element] ?? 1e-6) * 1.2,
      presenceProbability: truth[element] ? 1 : 0,
      detected: truth[element] !== undefined,
    })),
    densityGPerCm3: 1.2,
    surfaceUm: 32,
    setup: { ...SETUP, tA: 1.2 },
    ...resultMeta(profile.depthsUm),
  };
});

describe('quantify --refine output', () => {
  it('JSON carries the refinement with values, σ and the flag', () => {
    const out = formatRefinedResults([{ file: 'a.csv', result }], [profile], 'json');
    const [row] = JSON.parse(out) as {
      file: string;
      refinement: {
        fitDescribesData: boolean;
        elements: { element: string; massFraction: number; sigma: number }[];
        warnings: unknown[];
      };
    }[];
    expect(row.file).toBe('a.csv');
    expect(row.refinement.fitDescribesData).toBe(true);
    const fe = row.refinement.elements.find((e) => e.element === 'Fe');
    // Within 5 % (the optic band-pass and pulse-pair resolution are fitted too).
    expect(Math.abs((fe?.massFraction ?? 0) - 0.02)).toBeLessThan(0.001);
    expect(fe?.sigma).toBeGreaterThan(0);
  }, 60_000);

  it('CSV has one row per file with value and σ columns; the table shows ± and the flag', () => {
    const csv = formatRefinedResults([{ file: 'a.csv', result }], [profile], 'csv');
    const [head, line] = csv.trim().split('\n');
    const cols = head.split(',');
    const vals = line.split(',');
    expect(cols).toContain('massFractionSigma_Cu');
    expect(vals[cols.indexOf('fitDescribesData')]).toBe('true');
    expect(Number(vals[cols.indexOf('massFraction_Cu')])).toBeCloseTo(0.01, 3);
    const table = formatRefinedResults([{ file: 'a.csv', result }], [profile], 'table');
    expect(table).toMatch(/refined \(FP fit\): fit describes the data/);
    expect(table).toMatch(/Cu\s+(0\.9[5-9]|1\.0[0-4])\d{2}\s+0\.\d{4}\s+1\.2000/);
    // The detector line: held at the instrument's values, or fitted with σ.
    expect(table).toMatch(/detector: calibration offset -?\d+\.\d ± \d+\.\d( \(fixed\))? eV/);
    expect(cols).toContain('detector_fwhmAtMnKaEvSigma');
    // The instrument line (optic band-pass, pulse-pair resolution) and its columns.
    expect(table).toMatch(
      /instrument: excitation optic centre \d+\.\d\d ± \d+\.\d\d( \(fixed\))? keV/,
    );
    expect(cols).toContain('instrument_opticWidthKeVSigma');
    expect(cols).toContain('instrument_pulsePairResolutionUs');
  }, 60_000);
});
