import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../../src/cli/context.js';
import { runCli } from '../../src/cli/program.js';

const ROOT = resolve(__dirname, '..', '..');
const dirs: string[] = [];
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'cmxrf-cli-inst-'));
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

describe('cmxrf simulate --instrument / --randomize', () => {
  it('reports an invalid instrument file by field, without a stack trace', async () => {
    const dir = tmp();
    const d = JSON.parse(readFileSync(join(ROOT, 'instruments', 'm4-tornado.json'), 'utf8'));
    d.detector.fwhmAtMnKaEv = 1200;
    const file = join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify(d));
    const io = captureIo();
    const code = await runCli(
      ['simulate', '-n', '1', '-s', '1', '-o', join(dir, 'ds'), '--instrument', file],
      io,
    );
    expect(code).toBe(1);
    expect(io.err).toContain(`${file}: detector.fwhmAtMnKaEv: expected 100..250 eV, got 1200`);
    expect(io.err).not.toMatch(/\n\s+at /);
  });

  it('refuses --randomize without --instrument and unreadable JSON, naming the file', async () => {
    const dir = tmp();
    const io = captureIo();
    const ranges = join(ROOT, 'instruments', 'm4-tornado.ranges.json');
    expect(
      await runCli(
        ['simulate', '-n', '1', '-s', '1', '-o', join(dir, 'a'), '--randomize', ranges],
        io,
      ),
    ).toBe(1);
    expect(io.err).toMatch(/--randomize needs --instrument/);
    const broken = join(dir, 'broken.json');
    writeFileSync(broken, '{ "schemaVersion": 1,');
    const io2 = captureIo();
    const inst = join(ROOT, 'instruments', 'm4-tornado.json');
    expect(
      await runCli(
        [
          'simulate',
          '-n',
          '1',
          '-s',
          '1',
          '-o',
          join(dir, 'b'),
          '--instrument',
          inst,
          '--randomize',
          broken,
        ],
        io2,
      ),
    ).toBe(1);
    expect(io2.err).toContain(`${broken}: expected valid JSON`);
  });
});
