import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { CliIo } from '../../src/cli/context';
import { runCli } from '../../src/cli/program';
import { defaultModelCardPath } from '../../src/model/node';
import { PREDICTED_ELEMENTS } from '../../src/predictedElements';

const FIX = fileURLToPath(new URL('../fixtures/model/', import.meta.url));
const CARD = `${FIX}cmxrf-tiny.json`;
const SCAN = `${FIX}scan-10um.csv`;
const IO_FIX = fileURLToPath(new URL('../fixtures/io/', import.meta.url));

async function cli(
  argv: string[],
  opts: { tty?: boolean } = {},
): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIo = {
    stdout: (t) => void (out += t),
    stderr: (t) => void (err += t),
    stderrIsTTY: opts.tty ?? false,
    readFile: async (p) => new Uint8Array(await readFile(p)),
  };
  const code = await runCli(argv, io);
  return { code, out, err };
}

describe('cmxrf quantify', () => {
  it('prints a table of detected elements in wt% with density and surface', async () => {
    const r = await cli(['quantify', '--model', CARD, SCAN]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/scan-10um\.csv {2}\(model cmxrf-tiny@[0-9a-f]{12}, threshold 0\.5\)/);
    expect(r.out).toMatch(/density \d+\.\d{3} g\/cm³ {3}surface \d+\.\d µm/);
    expect(r.out).toMatch(/element +wt% +p\n/);
  });

  it('writes JSON (mass fractions 0..1) for several files', async () => {
    const r = await cli([
      'quantify',
      '-m',
      CARD,
      '--format',
      'json',
      '--threshold',
      '0.9',
      SCAN,
      SCAN,
    ]);
    expect(r.code).toBe(0);
    const rows = JSON.parse(r.out) as {
      file: string;
      threshold: number;
      elements: { element: string; massFraction: number; massFractionRaw: number }[];
    }[];
    expect(rows).toHaveLength(2);
    expect(rows[0].file).toBe(SCAN);
    expect(rows[0].threshold).toBe(0.9);
    expect(rows[0].elements.map((e) => e.element)).toEqual([...PREDICTED_ELEMENTS]);
    for (const e of rows[0].elements) expect(e.massFractionRaw).toBeLessThanOrEqual(1);
  });

  it('writes one CSV row per file', async () => {
    const r = await cli(['quantify', '-m', CARD, '-f', 'csv', SCAN]);
    expect(r.code).toBe(0);
    const [header, row, end] = r.out.split('\n');
    const cols = header.split(',');
    expect(cols.slice(0, 11)).toEqual([
      'file',
      'modelId',
      'threshold',
      'densityGPerCm3',
      'surfaceUm',
      'tA',
      'tB',
      'tM',
      'sigmaMaxUm',
      'sigmaExpPerKeV',
      'sigmaOffUm',
    ]);
    expect(cols).toContain('massFraction_Fe');
    expect(cols).toContain('presenceProbability_Bi');
    expect(cols.slice(11, 17)).toEqual([
      'warnings',
      'warningMessages',
      'windowStartUm',
      'windowEndUm',
      'surfaceEdgeUm',
      'modelInstrument',
    ]);
    expect(cols).toHaveLength(17 + 3 * 53);
    expect(row.split(',')).toHaveLength(cols.length);
    expect(end).toBe('');
  });

  it('reports progress on stderr with --progress or on a terminal', async () => {
    const plain = await cli(['quantify', '-m', CARD, '-f', 'json', SCAN, SCAN, SCAN]);
    expect(plain.err).toBe('');
    const forced = await cli([
      'quantify',
      '-m',
      CARD,
      '-f',
      'json',
      '--batch-size',
      '2',
      '--progress',
      SCAN,
      SCAN,
      SCAN,
    ]);
    expect(forced.err).toBe('quantified 2/3 profiles\nquantified 3/3 profiles\n');
    const tty = await cli(['quantify', '-m', CARD, '-f', 'json', SCAN], { tty: true });
    expect(tty.err).toBe('\rquantified 1/1 profiles\n');
  });

  it('--workers quantifies in worker threads with the same output, bad files reported', async () => {
    const args = ['quantify', '-m', CARD, '-f', 'json', SCAN, SCAN, 'missing.csv', SCAN];
    const plain = await cli(args);
    const workers = await cli([...args, '--workers', '2']);
    expect(plain.code).toBe(1);
    expect(workers.code).toBe(1);
    expect(workers.err).toBe(plain.err);
    // The same up to float32 rounding (one intra-op thread per worker, the default threads
    // without workers).
    let worst = 0;
    const walk = (x: unknown, y: unknown): void => {
      if (typeof x === 'number' && typeof y === 'number')
        worst = Math.max(worst, Math.abs(x - y) / Math.max(Math.abs(x), 1e-30));
      else if (x && typeof x === 'object') {
        expect(Object.keys(y as object)).toEqual(Object.keys(x));
        for (const k of Object.keys(x))
          walk((x as Record<string, unknown>)[k], (y as Record<string, unknown>)[k]);
      } else expect(y).toEqual(x);
    };
    walk(JSON.parse(plain.out), JSON.parse(workers.out));
    expect(worst).toBeLessThan(1e-5);
    expect(JSON.parse(workers.out)).toHaveLength(3);
    const bad = await cli(['quantify', '-m', CARD, '--workers', '-1', SCAN]);
    expect(bad.code).not.toBe(0);
    expect(bad.err).toMatch(/--workers/);
  });

  it('exits 1 with the CmxrfError message for unreadable, malformed or unrepresentable files', async () => {
    const missing = await cli(['quantify', '-m', CARD, `${FIX}nope.csv`]);
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(
      /^cmxrf: error: .*nope\.csv: cannot read the file: no such file\n$/,
    );
    const xmso = await cli(['quantify', '-m', CARD, `${IO_FIX}xmso/small.xmso`]);
    expect(xmso.code).toBe(1);
    expect(xmso.err).toMatch(/small\.xmso, line 1: expected a depth profile/);
    const tiny = await cli(['quantify', '-m', CARD, SCAN, `${IO_FIX}csv/profile.csv`]);
    expect(tiny.code).toBe(1);
    expect(tiny.err).toMatch(
      /csv[/\\]profile\.csv: beamline test: cannot be represented on the model grid \(energy-range\)/,
    );
    // The good file of the batch is still quantified.
    expect(tiny.out).toMatch(/scan-10um\.csv {2}\(model/);
    expect(tiny.err).toMatch(/cmxrf: 1 of 2 file\(s\) failed; results for the others above\.\n$/);
  });

  it('exits 2 on usage errors', async () => {
    for (const argv of [
      ['quantify'],
      ['quantify', '--format', 'xml', SCAN],
      ['quantify', '--threshold', '1.5', SCAN],
      ['quantify', '--bogus', SCAN],
      ['frobnicate'],
      [],
    ]) {
      const r = await cli(argv);
      expect(r.code, argv.join(' ')).toBe(2);
      expect(r.err, argv.join(' ')).toMatch(/error|Usage/);
    }
  });

  it('--help shows examples and exits 0', async () => {
    const r = await cli(['quantify', '--help']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/Examples:\n {2}\$ cmxrf quantify scan\.csv/);
    expect(r.out).toMatch(/--threshold <p>/);
    const top = await cli(['--help']);
    expect(top.code).toBe(0);
    expect(top.out).toMatch(/quantify \[options\] <files\.\.\.>/);
    expect(top.out).toMatch(/Exit codes: 0 ok, 1 runtime error/);
  });

  it('without --model uses the default model, or says it is not shipped (exit 1)', async () => {
    const r = await cli(['quantify', SCAN]);
    if (existsSync(await defaultModelCardPath())) expect(r.code).toBe(0);
    else {
      expect(r.code).toBe(1);
      expect(r.err).toMatch(/default cmxrf model is not available/);
    }
  });
});

describe('cmxrf info', () => {
  it('summarises the model card', async () => {
    const r = await cli(['info', '--model', CARD]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^model {8}cmxrf-tiny@[0-9a-f]{12}\n/);
    expect(r.out).toMatch(/energy grid {2}1024 bins × 0\.024 keV from 1 keV \(to 25\.576 keV\)/);
    expect(r.out).toMatch(/normalise {4}ln\(1 \+ rateCps · 10 s\) \/ 4/);
    expect(r.out).toMatch(/elements \(53, output order\)\n {2}K Ca Sc/);
    const j = await cli(['info', '-m', CARD, '-f', 'json']);
    expect(JSON.parse(j.out).card.elements).toHaveLength(53);
  });
});

describe('the bin entry (spawned with tsx)', () => {
  it('sets the process exit code', async () => {
    const run = promisify(execFile);
    const root = fileURLToPath(new URL('../../', import.meta.url));
    const tsx = `${root}node_modules/.bin/tsx`;
    const ok = await run(tsx, ['src/cli/index.ts', 'info', '--model', CARD], { cwd: root });
    expect(ok.stdout).toMatch(/^model {8}cmxrf-tiny/);
    const usage = await run(tsx, ['src/cli/index.ts', 'quantify'], { cwd: root }).catch(
      (e: { code: number }) => e,
    );
    expect((usage as { code: number }).code).toBe(2);
  });
});
