import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/program.js';
import type { CliIo } from '../../src/cli/context.js';
import { createMxrfSimulator, parseDepthProfileCsv, spectrumToEmsa } from '../../src/index.js';

const dirs: string[] = [];
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'cmxrf-cli-'));
  dirs.push(d);
  return d;
};
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function captureIo(): CliIo & { out: string; err: string } {
  const io = {
    out: '',
    err: '',
    stdout: (t: string) => void (io.out += t),
    stderr: (t: string) => void (io.err += t),
    stderrIsTTY: false,
    readFile: async (p: string) => new Uint8Array(await readFile(p)),
  };
  return io;
}

describe('cmxrf simulate', () => {
  it('writes a dataset with a manifest and reports progress lines', async () => {
    const dir = join(tmp(), 'ds');
    const io = captureIo();
    const code = await runCli(
      [
        'simulate',
        '--count',
        '5',
        '--seed',
        '9',
        '--out',
        dir,
        '--workers',
        '0',
        '--shard-size',
        '4',
      ],
      io,
    );
    expect(code).toBe(0);
    expect(existsSync(join(dir, 'manifest.json'))).toBe(true);
    expect(io.out).toContain('5 profiles in 2 shards');
    expect(io.err).toContain('simulate: 5 profiles generated');
  });
  it('rejects bad options with exit code 2', async () => {
    const io = captureIo();
    expect(await runCli(['simulate', '--count', '-3', '--seed', '1', '--out', tmp()], io)).toBe(2);
    expect(io.err).toMatch(/--count must be a positive integer/);
  });
});

describe('cmxrf transform', () => {
  it('turns an EMSA bulk spectrum into a depth-profile CSV', async () => {
    const dir = tmp();
    const s = createMxrfSimulator().simulate({ composition: 'Fe', densityGPerCm3: 7.87 });
    const msa = join(dir, 'fe.msa');
    writeFileSync(
      msa,
      spectrumToEmsa({ counts: s.counts, calibration: s.calibration, liveTimeS: 1, metadata: {} }),
    );
    const out = join(dir, 'fe-profile.csv');
    const io = captureIo();
    const code = await runCli(
      ['transform', msa, '-c', 'Fe', '-d', '7.87', '--x0', '40', '-o', out],
      io,
    );
    expect(io.err).toContain('wrote');
    expect(code).toBe(0);
    const p = parseDepthProfileCsv(readFileSync(out, 'utf8'), { fileName: out });
    expect(p.nSteps).toBe(40);
    expect(p.nChannels).toBe(4096);
    // Fe Kα (6.40 keV) rises at the surface (x0 = 40 µm, σ ≈ 17 µm): 2.4σ above it, < 5 % remains.
    const ch = 640;
    expect(p.counts[0 * 4096 + ch]).toBeLessThan(p.counts[8 * 4096 + ch] * 0.05);
    expect(p.counts[8 * 4096 + ch]).toBeGreaterThan(0);
  });
  it('reports an unreadable composition or file as an error', async () => {
    const io = captureIo();
    expect(await runCli(['transform', '/nonexistent.msa', '-c', 'Fe', '-d', '7'], io)).toBe(1);
    const io2 = captureIo();
    expect(await runCli(['transform', '/x.msa', '-c', '{bad', '-d', '7'], io2)).toBe(2);
  });
});
