/**
 * Real depth scans and lab spectra (kept outside the repository), read as far as their formats
 * allow. Reference values come from the data's provenance notes, computed independently.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ParseError } from '../../src/errors';
import {
  depthProfileFromFiles,
  parseSpectrumAuto,
  readDepthProfileFromPaths,
  readSpectrumFiles,
} from '../../src/io';
import type { DepthProfile } from '../../src/profile';
import { catchParseError } from './helpers';
import { sharedData } from './shared-data';

const { dir, present } = sharedData('realprofiles');
const bytes = (rel: string): Uint8Array => new Uint8Array(readFileSync(join(dir, rel)));

/** Sum of the counts of step `s` over [e0, e1] keV (channel centres). */
function roiSum(p: DepthProfile, s: number, e0: number, e1: number): number {
  let t = 0;
  for (let c = 0; c < p.nChannels; c++) {
    const e = p.calibration.offsetKeV + p.calibration.gainKeVPerChannel * c;
    if (e >= e0 && e <= e1) t += p.counts[s * p.nChannels + c];
  }
  return t;
}

describe.skipIf(!present)('real depth scans (shared data)', () => {
  const m4 = 'specfit_tuberlin_m4';

  it('stacks the Bruker M4 Cu-foil scan (one .spx per z) by its RTREM stage Z', async () => {
    const p = await readDepthProfileFromPaths(join(dir, m4, 'Cu_foil_z*.spx'));
    expect(p.nSteps).toBe(15);
    expect(p.nChannels).toBe(4096);
    expect(p.calibration.offsetKeV).toBeCloseTo(-0.9631, 12);
    expect(p.calibration.gainKeVPerChannel).toBeCloseTo(0.01, 12);
    for (let s = 0; s < 15; s++) expect(p.depthsUm[s]).toBeCloseTo(127505 + 5 * s, 6);
    // Cu Kα sums (7.9–8.2 keV) from the scan's provenance notes.
    const cuKa = [
      2561, 8426, 21021, 46281, 83690, 115234, 134409, 138544, 128286, 107592, 78506, 43872, 18447,
      6842, 2435,
    ];
    expect(Array.from({ length: 15 }, (_, s) => roiSum(p, s, 7.9, 8.2))).toEqual(cuKa);
    expect(Math.min(...p.liveTimesS)).toBeCloseTo(9.733, 9);
    expect(Math.max(...p.liveTimesS)).toBeCloseTo(10.2, 9);
    expect(p.notes?.[0]).toMatch(/stage Z from TRTUnknownHeader RTREM \(mm, default\)/);
    expect(p.notes?.join('\n')).not.toMatch(/may not be a depth scan/);
  });

  it('gets the same profile whatever the order of the files', async () => {
    const { files } = await readSpectrumFiles(join(dir, m4, 'Cu_foil_z*.spx'));
    const a = depthProfileFromFiles(files);
    const b = depthProfileFromFiles([...files].reverse());
    expect(Array.from(b.counts)).toEqual(Array.from(a.counts));
    expect(Array.from(b.depthsUm)).toEqual(Array.from(a.depthsUm));
  });

  it('RTREM Z equals the z (mm) written in each M4 file name', () => {
    for (const name of readdirSync(join(dir, m4)).filter((n) => n.startsWith('Cu_foil_z'))) {
      const zMm = Number(/_z([\d.]+)\.spx$/.exec(name)![1]);
      const s = parseSpectrumAuto(bytes(join(m4, name)), { fileName: name });
      expect(s.stagePositionUm!.zUm! / 1000).toBeCloseTo(zMm, 9);
    }
  });

  it('reads the other M4 single spectrum, and names the file when a folder mixes formats', async () => {
    const s = parseSpectrumAuto(bytes(join(m4, 'xample_spx_z100.000.spx')));
    expect(s.stagePositionUm?.zUm).toBeCloseTo(127600, 6);
    expect(s.liveTimeS).toBeCloseTo(10.2, 9);
    // The folder also holds two multi-spectrum PRAXIS EMSA files (not one spectrum per file).
    const e = await readDepthProfileFromPaths(join(dir, m4)).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ParseError);
    expect((e as ParseError).file).toMatch(/xample_msa_xz-11-1-11\.MSA$/);
  });

  it('reads the PIXL breadboard bulk-sum EMSA spectra with their header calibration', () => {
    const s = parseSpectrumAuto(
      bytes('piquant_pixl_breadboard/Calibration_box_BHVO-2G_28kV_230uA_03_28_2019_bulk_sum.msa'),
    );
    expect(s.calibration.nChannels).toBe(4096);
    expect(s.calibration.gainKeVPerChannel).toBeCloseTo(0.0100449, 12);
    expect(s.calibration.offsetKeV).toBeCloseTo(-0.0153063, 12);
    expect(s.liveTimeS).toBeCloseTo(13973.4, 9);
  });

  it('reads the 25 PIXL spot spectra (no calibration in the files) with the .xsp calibration', () => {
    const folder = join('piquant_pixl_breadboard', 'pucks_BHVO');
    const names = readdirSync(join(dir, folder)).filter((n) => n.endsWith('.msa'));
    expect(names).toHaveLength(25);
    const cal = { offsetKeV: 0, gainKeVPerChannel: 0.008 }; // XPERCHAN 8.0 eV, OFFSET 0 (.xsp)
    for (const n of names) {
      const b = bytes(join(folder, n));
      const e = catchParseError(() => parseSpectrumAuto(b, { fileName: n }));
      expect(e).toMatchObject({ file: n, field: 'XPERCHAN' });
      expect(e.message).toMatch(/energyCalibration option/);
      const s = parseSpectrumAuto(b, { fileName: n, energyCalibration: cal });
      expect(s.calibration.nChannels).toBe(4096);
      expect(s.liveTimeS).toBeGreaterThan(23.5);
      expect(s.liveTimeS).toBeLessThan(24);
    }
    // Spots of a raster, not a depth scan: no stage position in the files.
    const files = names.slice(0, 2).map((n) => ({ fileName: n, bytes: bytes(join(folder, n)) }));
    expect(
      catchParseError(() => depthProfileFromFiles(files, { energyCalibration: cal })),
    ).toMatchObject({ file: names[0], field: 'zUm' });
  });

  it('reads the one full voxTrace spectrum (.spe) and refuses the ROI tables by name', () => {
    const s = parseSpectrumAuto(bytes('voxtrace_ati_confocal/000034.spe'), {
      energyCalibration: { offsetKeV: 0, gainKeVPerChannel: 0.01096 },
    });
    expect(s.calibration.nChannels).toBe(2052);
    expect(s.liveTimeS).toBe(15);
    expect(s.realTimeS).toBe(15.06);
    // Channels 708–755 hold 388 counts: the Cu-Ka-Gro of row 34 of the depth-01-00 table.
    let cu = 0;
    for (let c = 708; c <= 755; c++) cu += s.counts[c];
    expect(cu).toBe(388);
    const table = 'voxtrace_ati_confocal/nist-1107-depth-01-00.txt';
    expect(catchParseError(() => parseSpectrumAuto(bytes(table), { fileName: table })).file).toBe(
      table,
    );
  });
});
