import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CmxrfError, ParseError } from '../../src/errors';
import {
  depthProfileFromFiles,
  depthProfileFromSpectra,
  parseBrukerSpx,
  parseSpectrumAuto,
  readDepthProfileFromPaths,
  readSpectrumFiles,
} from '../../src/io';
import { fixtureText } from './fixtures';
import { catchParseError } from './helpers';
import { rtremBase64, syntheticSpx } from './synthetic-spx';

describe('Bruker RTREM stage block', () => {
  it('reads stage X/Y/Z (mm) from the base64 RTREM block', () => {
    const s = parseBrukerSpx(syntheticSpx({ rtrem: [136.777, 157.403, 16.479], rtremSize: 162 }));
    expect(s.stagePositionUm?.xUm).toBeCloseTo(136777, 9);
    expect(s.stagePositionUm?.yUm).toBeCloseTo(157403, 9);
    expect(s.stagePositionUm?.zUm).toBeCloseTo(16479, 9);
    expect(s.stageUnit).toEqual({ unit: 'mm', from: 'default', field: 'TRTUnknownHeader RTREM' });
    const um = parseBrukerSpx(syntheticSpx({ rtrem: [1, 2, 3] }), { stageUnit: 'um' });
    expect(um.stagePositionUm).toEqual({ xUm: 1, yUm: 2, zUm: 3 });
    expect(um.stageUnit?.from).toBe('option');
  });

  it('prefers TRTSEMStageData (µm) when both are present', () => {
    const s = parseBrukerSpx(syntheticSpx({ rtrem: [1, 2, 3], semStage: [62409.2, 10, 5] }));
    expect(s.stagePositionUm).toEqual({ xUm: 62409.2, yUm: 10, zUm: 5 });
    expect(s.stageUnit?.field).toBe('TRTSEMStageData');
  });

  it.each([
    [
      'an unknown layout version',
      { rtremData: rtremBase64([1, 2, 3], { version: 2 }) },
      /version 2/,
    ],
    [
      'a short block',
      { rtremData: rtremBase64([1, 2, 3], { size: 100 }), rtremSize: 100 },
      /100 bytes/,
    ],
    ['another name', { rtremData: rtremBase64([1, 2, 3], { name: 'RTXXX' }) }, /RTXXX/],
    ['a size mismatch', { rtremData: rtremBase64([1, 2, 3]), rtremSize: 162 }, /size/],
    ['bad base64', { rtremData: '@@@@' }, /not base64/],
  ])('does not guess from %s: no position, a note', (_name, o, why) => {
    const s = parseBrukerSpx(syntheticSpx(o));
    expect(s.stagePositionUm).toBeUndefined();
    expect(s.notes?.join('\n')).toMatch(why);
  });
});

const cuFoil = (zMm: number, peak: number, lifeTimeMs = 10000): string =>
  syntheticSpx({ rtrem: [98.495, 70.186, zMm], counts: [0, peak, 2 * peak, 1], lifeTimeMs });

describe('depthProfileFromFiles', () => {
  it('orders one-spectrum files by stage position and keeps each live time', () => {
    const files = [
      { fileName: 'z127.515.spx', bytes: cuFoil(127.515, 3, 9800) },
      { fileName: 'z127.505.spx', bytes: cuFoil(127.505, 1) },
      { fileName: 'z127.510.spx', bytes: new TextEncoder().encode(cuFoil(127.51, 2)) },
    ];
    const p = depthProfileFromFiles(files);
    expect(p.nSteps).toBe(3);
    expect(Array.from(p.depthsUm).map((d) => Math.round(d * 1000) / 1000)).toEqual([
      127505, 127510, 127515,
    ]);
    expect(Array.from(p.counts)).toEqual([0, 1, 2, 1, 0, 2, 4, 1, 0, 3, 6, 1]);
    expect(Array.from(p.liveTimesS)).toEqual([10, 10, 9.8]);
    expect(p.calibration).toEqual({ offsetKeV: -0.9631, gainKeVPerChannel: 0.01, nChannels: 4 });
    expect(p.source).toBe('3 files: z127.505.spx … z127.515.spx');
    expect(p.notes?.[0]).toBe(
      'scan positions: stage Z from TRTUnknownHeader RTREM (mm, default); files ordered by position',
    );
    expect(p.notes?.join('\n')).toMatch(/live times differ between steps \(9\.8–10 s\)/);
    const inverted = depthProfileFromFiles(files, { invertAxis: true });
    expect(inverted.counts[1]).toBe(3);
  });

  it('takes explicit depths (one per file, in the order given) and mixes formats', () => {
    const emsa = fixtureText('emsa/simple.msa');
    const s = parseSpectrumAuto(emsa);
    const p = depthProfileFromFiles(
      [
        { fileName: 'b.msa', bytes: emsa.replace('#LIVETIME  -s: 100.5', '#LIVETIME  -s: 50') },
        { fileName: 'a.msa', bytes: emsa },
      ],
      { depthsUm: [10, 0] },
    );
    expect(Array.from(p.depthsUm)).toEqual([0, 10]);
    expect(Array.from(p.liveTimesS)).toEqual([s.liveTimeS, 50]);
  });

  it('names the offending file', () => {
    const ok = { fileName: 'a.spx', bytes: cuFoil(127.505, 1) };
    const e1 = catchParseError(() =>
      depthProfileFromFiles([
        ok,
        { fileName: 'b.spx', bytes: syntheticSpx({ counts: [1, 2, 3, 4] }) },
      ]),
    );
    expect(e1).toMatchObject({ file: 'b.spx', field: 'zUm' });
    const e2 = catchParseError(() =>
      depthProfileFromFiles([ok, { fileName: 'c.spx', bytes: cuFoil(127.505, 2) }]),
    );
    expect(e2.file).toBe('c.spx');
    expect(e2.expected).toMatch(/a\.spx is also at/);
    const other = syntheticSpx({ rtrem: [98.495, 70.186, 127.51], calibLin: 0.02 });
    const e3 = catchParseError(() =>
      depthProfileFromFiles([ok, { fileName: 'd.spx', bytes: other }]),
    );
    expect(e3).toMatchObject({ file: 'd.spx', field: 'gainKeVPerChannel' });
    expect(e3.expected).toMatch(/first file, a\.spx/);
    const fewer = syntheticSpx({ rtrem: [98.495, 70.186, 127.51], counts: [1, 2, 3] });
    expect(
      catchParseError(() => depthProfileFromFiles([ok, { fileName: 'e.spx', bytes: fewer }])),
    ).toMatchObject({ file: 'e.spx', field: 'nChannels' });
    expect(
      catchParseError(() => depthProfileFromFiles([{ fileName: 'x.txt', bytes: 'hello' }])).file,
    ).toBe('x.txt');
    expect(() => depthProfileFromFiles([])).toThrow(CmxrfError);
    expect(() => depthProfileFromFiles([ok], { depthsUm: [1, 2] })).toThrow(/one entry per file/);
  });

  it('warns when the stage moves off the scan axis', () => {
    const p = depthProfileFromFiles([
      { fileName: 'a.spx', bytes: cuFoil(127.505, 1) },
      { fileName: 'b.spx', bytes: syntheticSpx({ rtrem: [98.6, 70.186, 127.51] }) },
    ]);
    expect(p.notes?.join('\n')).toMatch(/stage X varies by 105 µm/);
  });
});

describe('depthProfileFromSpectra order option', () => {
  it('sorts parsed spectra by stage position on request', () => {
    const spectra = [127.515, 127.505, 127.51].map((z, i) => parseBrukerSpx(cuFoil(z, i + 1)));
    expect(() => depthProfileFromSpectra(spectra)).toThrow(/strictly increasing/);
    const p = depthProfileFromSpectra(spectra, undefined, { order: 'position' });
    expect(Array.from(p.counts.subarray(0, 4))).toEqual([0, 2, 4, 1]);
    expect(p.depthsUm[2]).toBeCloseTo(127515, 6);
    const dup = [spectra[0], spectra[0]];
    expect(() => depthProfileFromSpectra(dup, undefined, { order: 'position' })).toThrow(
      /spectra\[1\] depthUm/,
    );
  });
});

describe('readDepthProfileFromPaths (Node)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cmxrf-stack-'));
  writeFileSync(join(dir, 'scan_z127.510.spx'), cuFoil(127.51, 2));
  writeFileSync(join(dir, 'scan_z127.505.spx'), cuFoil(127.505, 1));
  writeFileSync(join(dir, 'README.md'), '# not a spectrum\n');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads a folder (skipping non-spectra, with a note), a glob and a list', async () => {
    const folder = await readDepthProfileFromPaths(dir);
    expect(folder.nSteps).toBe(2);
    expect(folder.counts[1]).toBe(1);
    expect(folder.notes?.at(-1)).toMatch(/skipped 1 file\(s\) that are not spectra: .*README\.md/);
    const glob = await readDepthProfileFromPaths(join(dir, 'scan_z*.spx'));
    expect(Array.from(glob.counts)).toEqual(Array.from(folder.counts));
    const list = await readSpectrumFiles([
      join(dir, 'scan_z127.510.spx'),
      join(dir, 'scan_z127.505.spx'),
    ]);
    expect(list.files.map((f) => f.fileName.slice(-10))).toEqual(['27.510.spx', '27.505.spx']);
  });

  it('reports unreadable paths and empty globs as IO errors', async () => {
    await expect(readSpectrumFiles(join(dir, 'missing.spx'))).rejects.toMatchObject({
      code: 'IO_ERROR',
    });
    await expect(readSpectrumFiles(join(dir, '*.msa'))).rejects.toThrow(/no spectrum file/);
    await expect(readDepthProfileFromPaths([join(dir, 'README.md')])).rejects.toBeInstanceOf(
      ParseError,
    );
  });
});
