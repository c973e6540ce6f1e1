/**
 * The CLI as a user meets it: batches with bad files, unit-less stage positions, missing live
 * times, oversized inputs, unwritable outputs and closed pipes, with the shipped default model.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spectrumToEmsa } from '../../src/io/emsa-writer';
import { depthProfileToCsv } from '../../src/io/depth-profile-csv-writer';
import { confocalProfileFromSpectrum } from '../../src/spectra/confocalFromSpectrum';
import { createMxrfSimulator } from '../../src/spectra/mxrfSimulator';
import { createRng } from '../../src/sampling/rng';
import { samplePoisson } from '../../src/sampling/poisson';
import { cli } from './run-cli';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const TSX = `${ROOT}node_modules/.bin/tsx`;
const shipped = existsSync(`${ROOT}models/cmxrf-default.onnx`);
if (!shipped) console.warn('CLI robustness tests: the default model is not shipped; skipped');

const dir = mkdtempSync(join(tmpdir(), 'cmxrf-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs the real bin (tsx) with stdout optionally closed at once, as `| head -0` does. */
function spawnCli(
  args: string[],
  closeStdout = false,
): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(TSX, ['src/cli/index.ts', ...args], { cwd: ROOT });
    let out = '';
    let err = '';
    if (closeStdout) child.stdout.destroy();
    else child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('close', (code) => resolve({ code, out, err }));
  });
}

const STACK = /\n\s+at /;
const GLASS = { SiO2: 0.55, PbO: 0.118, K2O: 0.12, Na2O: 0.05, CaO: 0.05, ZnO: 0.01, Al2O3: 0.102 };
const SETUP = { tA: 1, tB: 5, tM: 11, sigmaMaxUm: 25, sigmaExpPerKeV: 0.15, sigmaOffUm: 7 };
const files = {
  csv: join(dir, 'glass.csv'),
  longLive: join(dir, 'glass-300s.csv'),
  emsaUm: join(dir, 'glass-um.msa'),
  emsaNoLive: join(dir, 'glass-nolive.msa'),
  bad: join(dir, 'bad.msa'),
  long: join(dir, 'line-scan.csv'),
  bulk: join(dir, 'glass-bulk.msa'),
};

beforeAll(() => {
  const spectrum = createMxrfSimulator().simulate({ composition: GLASS, densityGPerCm3: 3.1 });
  const n = 40;
  const depthsUm = Float64Array.from({ length: n }, (_, i) => i * 5);
  const p = confocalProfileFromSpectrum(spectrum, SETUP, 50, {
    depthsUm,
    out: new Float64Array(n * 4096),
  });
  const rng = createRng(5);
  const scan = (lt: number) => {
    const counts = new Float64Array(p.counts.length);
    for (let i = 0; i < counts.length; i++) counts[i] = samplePoisson(p.counts[i] * lt, rng);
    return { ...p, counts, liveTimesS: new Float64Array(n).fill(lt), source: 'glass' };
  };
  const s10 = scan(10);
  writeFileSync(files.csv, depthProfileToCsv(s10));
  writeFileSync(files.longLive, depthProfileToCsv(scan(300)));
  // An EMSA series whose #ZPOSITION holds µm without a unit (read as mm by the standard).
  const blocks = (live: boolean): string =>
    Array.from({ length: n }, (_, j) =>
      spectrumToEmsa({
        counts: s10.counts.slice(j * 4096, (j + 1) * 4096),
        calibration: s10.calibration,
        liveTimeS: 10,
        metadata: {},
      })
        .replace(/#LIVETIME.*\n/, live ? '$&' : '')
        .replace('#SPECTRUM', `#ZPOSITION  : ${j * 5}\n#SPECTRUM`),
    ).join('\n');
  writeFileSync(files.emsaUm, blocks(true));
  writeFileSync(files.emsaNoLive, blocks(false));
  writeFileSync(files.bad, '#FORMAT : EMSA/MAS Spectral Data File\n#VERSION : 1.0\n');
  // 44,640 rows of a line scan written as a "depth profile".
  const rows = ['# offsetKeV=0', '# gainKeVPerChannel=0.01', 'depthUm,liveTimeS,ch0,ch1'];
  for (let i = 0; i < 44_640; i++) rows.push(`${i * 5},1,1,2`);
  writeFileSync(files.long, rows.join('\n') + '\n');
  writeFileSync(
    files.bulk,
    spectrumToEmsa({
      counts: spectrum.counts,
      calibration: spectrum.calibration,
      liveTimeS: 1,
      metadata: {},
    }),
  );
}, 120_000);

describe.skipIf(!shipped)('cmxrf quantify on real-world input', () => {
  it('goes on past bad files: results for the good ones, an error line per bad one, exit 1', async () => {
    const r = await cli([
      'quantify',
      '-f',
      'csv',
      files.csv,
      files.bad,
      join(dir, 'missing.csv'),
      files.csv,
    ]);
    expect(r.code).toBe(1);
    const lines = r.out.trim().split('\n');
    expect(lines).toHaveLength(3); // header + the two good files
    expect(lines[1].startsWith(files.csv)).toBe(true);
    expect(r.err).toMatch(/^cmxrf: error: .*bad\.msa, line 3, field SPECTRUM: expected/m);
    expect(r.err).toMatch(/^cmxrf: error: .*missing\.csv: cannot read the file: no such file$/m);
    expect(r.err).toMatch(/cmxrf: 2 of 4 file\(s\) failed; results for the others above\.\n$/);
    expect(r.err).not.toMatch(STACK);
  });

  it('refuses µm positions read as mm, naming --stage-unit and --depth-step-um; both fix it', async () => {
    const r = await cli(['quantify', files.emsaUm]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(
      /glass-um\.msa: cannot be represented on the model grid \(implausible-step\): the scan step is 5000 µm.*--stage-unit um.*--depth-step-um/,
    );
    expect(r.out).toBe('');
    for (const flag of [
      ['--stage-unit', 'um'],
      ['--depth-step-um', '5'],
    ]) {
      const ok = await cli(['quantify', '-f', 'json', ...flag, files.emsaUm]);
      expect(ok.code, ok.err).toBe(0);
      const [res] = JSON.parse(ok.out) as { surfaceUm: number; window: { startUm: number } }[];
      expect(Math.abs(res.surfaceUm - 50)).toBeLessThan(5);
    }
  });

  it('names --live-time-s when a file gives no live time, and uses it', async () => {
    const r = await cli(['quantify', files.emsaNoLive]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/LIVETIME.*[;.] [gG]ive it with --live-time-s <s>\./);
    const ok = await cli([
      'quantify',
      '--live-time-s',
      '10',
      '--stage-unit',
      'um',
      files.emsaNoLive,
    ]);
    expect(ok.code, ok.err).toBe(0);
  });

  it('refuses a 44,640-step file before parsing it, naming --max-steps; and files over --max-file-mib', async () => {
    const r = await cli(['quantify', files.long]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(
      /line-scan\.csv: the CSV has about 44643 rows, more than the limit of 4096 steps \(--max-steps\)/,
    );
    const big = await cli(['quantify', '--max-file-mib', '0.01', files.csv]);
    expect(big.code).toBe(1);
    expect(big.err).toMatch(
      /glass\.csv: the file is \d+\.\d MiB, more than the limit of 0\.01 MiB \(--max-file-mib\)/,
    );
  });

  it('shows warnings in the table, in JSON, in CSV and on stderr', async () => {
    const table = await cli(['quantify', files.longLive]);
    expect(table.code).toBe(0);
    expect(table.out).toMatch(/warning \[live-time-out-of-range\]: live times 300–300 s/);
    const json = await cli(['quantify', '-f', 'json', files.longLive]);
    const [res] = JSON.parse(json.out) as { warnings: { code: string }[] }[];
    expect(res.warnings.map((w) => w.code)).toContain('live-time-out-of-range');
    expect(json.err).toMatch(/^cmxrf: warning: .*glass-300s\.csv: \[live-time-out-of-range\]/m);
    const csv = await cli(['quantify', '-f', 'csv', files.longLive, files.csv]);
    const [header, row, clean] = csv.out.split('\n');
    const col = header.split(',').indexOf('warnings');
    expect(row.split(',')[col]).toBe('live-time-out-of-range');
    expect(clean.split(',')[col]).toBe('');
  });
});

describe('the bin never prints a stack trace for I/O errors or closed pipes', () => {
  it('transform -o into a missing folder: one error line, exit 1', async () => {
    const r = await spawnCli([
      'transform',
      files.bulk,
      '-c',
      JSON.stringify(GLASS),
      '-d',
      '3.1',
      '-o',
      '/missing/dir/x.csv',
    ]);
    expect(r.code).toBe(1);
    // Notes of the bulk transform may come first; the error is one line, without a stack.
    expect(r.err).not.toMatch(/\n\s+at /);
    expect(
      r.err.endsWith(
        'cmxrf: error: /missing/dir/x.csv: cannot write the output: the folder /missing/dir does not exist\n',
      ),
    ).toBe(true);
    expect(r.err.match(/cmxrf: error:/g)).toHaveLength(1);
  }, 60_000);

  it('a reader that closes the pipe at once (`cmxrf info | head -0`): quiet, exit 0', async () => {
    const r = await spawnCli(['info', '--format', 'json'], true);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
  }, 60_000);
});

const SHARED = process.env.CMXRF_SHARED_DIR ?? join(ROOT, '..', 'shared');
const CU_FOIL = join(SHARED, 'data/realprofiles/specfit_tuberlin_m4');
const cuFiles = existsSync(CU_FOIL)
  ? readdirSync(CU_FOIL)
      .filter((f) => /^Cu_foil_z[\d.]+\.spx$/.test(f))
      .sort()
      .map((f) => join(CU_FOIL, f))
  : [];
if (cuFiles.length === 0) console.warn(`CLI tests: ${CU_FOIL} not found; --series test skipped`);

describe.skipIf(!shipped || cuFiles.length === 0)('cmxrf quantify --series (real M4 scan)', () => {
  it('reads the 15 Cu-foil .spx files as one scan and quantifies it through a masked window', async () => {
    const r = await cli(['quantify', '--series', '--depth-step-um', '5', ...cuFiles]);
    expect(r.code).toBe(0);
    expect(r.out + r.err).toMatch(/short-scan-padded.*15 measured steps of the model's 40/);
    // Cu is the first (largest) element of the table.
    expect(r.out).toMatch(/element\s+wt%\s+p\s*\n\s*Cu\s/);
    // Without --depth-step-um the positions come from each file's stage block (RTREM): the
    // same 5 µm steps, the same window.
    const noStep = await cli(['quantify', '--series', ...cuFiles]);
    expect(noStep.code).toBe(0);
    expect(noStep.out + noStep.err).toMatch(/window 127505–127700 µm \(steps 0–14 of 15\)/);
  });
});
