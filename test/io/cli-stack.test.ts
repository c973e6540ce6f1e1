import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { parseDepthProfileCsv, spectrumToEmsa } from '../../src/io';
import { cli } from '../cli/run-cli';

const FIX = fileURLToPath(new URL('../fixtures/model/', import.meta.url));
const CARD = `${FIX}cmxrf-tiny.json`;
const SCAN = `${FIX}scan-10um.csv`;

describe('cmxrf quantify on a set of one-spectrum files', () => {
  // The rows of a CSV profile written as one EMSA file per depth, named in reverse depth order.
  const dir = mkdtempSync(join(tmpdir(), 'cmxrf-cli-stack-'));
  const profile = parseDepthProfileCsv(readFileSync(SCAN, 'utf8'), { fileName: SCAN });
  const names: string[] = [];
  for (let s = profile.nSteps - 1; s >= 0; s--) {
    const name = join(dir, `step${String(profile.nSteps - 1 - s).padStart(3, '0')}.msa`);
    const counts = Float64Array.from(
      profile.counts.subarray(s * profile.nChannels, (s + 1) * profile.nChannels),
    );
    const text = spectrumToEmsa({
      counts,
      calibration: profile.calibration,
      liveTimeS: profile.liveTimesS[s],
      stagePositionUm: { zUm: profile.depthsUm[s] },
      metadata: {},
    });
    writeFileSync(name, text);
    names.push(name);
  }
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('gives the same result for a folder, --stack with files, and the CSV profile', async () => {
    const ref = await cli(['quantify', '-m', CARD, '-f', 'json', SCAN]);
    expect(ref.code).toBe(0);
    // Everything but the file label and the profile's source text must be identical.
    const strip = (out: string) =>
      (JSON.parse(out) as Record<string, unknown>[]).map(
        ({ file: _f, source: _s, ...rest }) => rest,
      );
    const folder = await cli(['quantify', '-m', CARD, '-f', 'json', dir]);
    expect(folder.err).toBe('');
    expect(folder.code).toBe(0);
    expect((JSON.parse(folder.out) as { file: string }[])[0].file).toBe(dir);
    expect(strip(folder.out)).toEqual(strip(ref.out));
    const stack = await cli(['quantify', '-m', CARD, '-f', 'json', '--stack', ...names]);
    expect(stack.code).toBe(0);
    expect(strip(stack.out)).toEqual(strip(ref.out));
    const glob = await cli([
      'quantify',
      '-m',
      CARD,
      '-f',
      'json',
      '--stack',
      join(dir, 'step*.msa'),
    ]);
    expect(strip(glob.out)).toEqual(strip(ref.out));
  });

  it('names the offending file of a stack, without a stack trace', async () => {
    const r = await cli(['quantify', '-m', CARD, '--stack', names[0], names[0]]);
    expect(r.code).toBe(1);
    expect(r.err).toContain(names[0]);
    expect(r.err).toMatch(/is also at/);
    expect(r.err).not.toMatch(/\n\s+at /);
  });
});
