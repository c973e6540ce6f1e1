/**
 * Compatibility of the readers with real instrument and software files (kept outside the
 * repository for licence reasons). Every file must parse to what its own header says, per the
 * committed table test/fixtures/io/realfiles-expectations.json; files without a live time must
 * fail naming the override, then parse with it.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ParseError } from '../../src/errors';
import { parseSpectrumAuto, type Spectrum } from '../../src/io';
import { fixtureText } from './fixtures';
import { sharedData } from './shared-data';

interface Expected {
  channels: number;
  offsetKeV: number;
  gainKeVPerChannel: number;
  liveTimeS: number | null;
  stagePositionUm: { xUm: number; yUm: number; zUm: number } | null;
  negativeChannels: number;
}

const TABLE = JSON.parse(fixtureText('realfiles-expectations.json')) as {
  files: Record<string, Expected>;
};
const { dir, present } = sharedData('realfiles/spectra');

function walk(d: string): string[] {
  return readdirSync(d).flatMap((n) => {
    const p = join(d, n);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}

/** Parses like a user would: live time from the file, or else the override after an error. */
function read(rel: string, expected: Expected): Spectrum {
  const bytes = new Uint8Array(readFileSync(join(dir, rel)));
  if (expected.liveTimeS !== null) return parseSpectrumAuto(bytes, { fileName: rel });
  let error: unknown;
  try {
    parseSpectrumAuto(bytes, { fileName: rel });
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(ParseError);
  expect((error as ParseError).file).toBe(rel);
  expect((error as Error).message).toMatch(/liveTimeS option, or --live-time-s/);
  return parseSpectrumAuto(bytes, { fileName: rel, liveTimeS: 1 });
}

function check(s: Spectrum, e: Expected): void {
  expect(s.calibration.nChannels).toBe(e.channels);
  expect(s.counts.length).toBe(e.channels);
  expect(s.calibration.offsetKeV).toBeCloseTo(e.offsetKeV, 9);
  expect(s.calibration.gainKeVPerChannel).toBeCloseTo(e.gainKeVPerChannel, 12);
  expect(s.liveTimeS).toBeCloseTo(e.liveTimeS ?? 1, 9);
  if (e.stagePositionUm === null) expect(s.stagePositionUm).toBeUndefined();
  else
    for (const k of ['xUm', 'yUm', 'zUm'] as const)
      expect(s.stagePositionUm?.[k]).toBeCloseTo(e.stagePositionUm[k], 6);
  expect(s.negativeCountChannels?.length ?? 0).toBe(e.negativeChannels);
}

describe.skipIf(!present)('real-world spectra (shared data)', () => {
  const entries = Object.entries(TABLE.files);

  it('has an expectation for every file of the folder', () => {
    const files = walk(dir)
      .filter((p) => !p.endsWith('.md'))
      .map((p) => relative(dir, p).split('\\').join('/'))
      .sort();
    expect(files).toEqual(entries.map(([k]) => k).sort());
  });

  it.each(entries)('%s parses to its header values', (rel, expected) => {
    check(read(rel, expected), expected);
  });

  it('reads ≥ 95 % of the files with the right calibration and live time', () => {
    let ok = 0;
    for (const [rel, expected] of entries) {
      try {
        check(read(rel, expected), expected);
        ok++;
      } catch {
        // counted as a failure
      }
    }
    expect(ok / entries.length).toBeGreaterThanOrEqual(0.95);
  });

  it('reads the Bruker M6 Jetstream stage position from its RTREM block', () => {
    const s = read('rosettasciio/bruker_m6_jetstream_file_example.spx', {
      liveTimeS: 28.046,
    } as Expected);
    expect(s.stagePositionUm?.xUm).toBeCloseTo(136777, 6);
    expect(s.stagePositionUm?.yUm).toBeCloseTo(157403, 6);
    expect(s.stagePositionUm?.zUm).toBeCloseTo(16479, 6);
    expect(s.stageUnit).toEqual({ unit: 'mm', from: 'default', field: 'TRTUnknownHeader RTREM' });
  });

  it('keeps the negative counts of Bruker XRF EMSA exports beside the zero peak', () => {
    const rel = 'nexlspectrum/test_XRF_Stainless_Zr_50kv_50_ma_Rh_vac_D1.msa';
    const s = read(rel, TABLE.files[rel]);
    const ch = Array.from(s.negativeCountChannels!);
    expect(ch).toEqual([124, 125, 126, 127, 128, 129, 130]);
    const e = (c: number): number => s.calibration.offsetKeV + s.calibration.gainKeVPerChannel * c;
    expect(e(ch[0])).toBeGreaterThan(0.28);
    expect(e(ch[ch.length - 1])).toBeLessThan(0.35);
    expect(s.counts[124]).toBe(-208);
  });

  it('reads the XMI-MSIM layers normalised (the srm1132 air layer sums to 71.5 %)', () => {
    const rel = 'xmimsim/srm1132.xmso';
    const s = read(rel, TABLE.files[rel]) as Spectrum & {
      layers: { weightPercentSum: number; elements: { massFraction: number }[] }[];
    };
    expect(s.layers[0].weightPercentSum).toBeCloseTo(55.8294 + 14.9762 + 0.6678, 9);
    expect(s.layers[0].elements.reduce((a, e) => a + e.massFraction, 0)).toBeCloseTo(1, 12);
  });
});
