import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadCliQuantifier } from '../../src/cli/model.js';
import { ModelCardError } from '../../src/model/errors.js';
import { parseModelCard } from '../../src/model/card.js';

const ROOT = resolve(__dirname, '..', '..');
const card = () => JSON.parse(readFileSync(join(ROOT, 'models', 'cmxrf-default.json'), 'utf8'));
/** The shipped card without its instrument fields (as cards exported before the pipeline). */
const bareCard = () => {
  const c = card();
  delete c.instrument;
  delete c.instrumentRanges;
  return c;
};
const m4 = JSON.parse(readFileSync(join(ROOT, 'instruments', 'm4-tornado.json'), 'utf8'));
const ranges = JSON.parse(
  readFileSync(join(ROOT, 'instruments', 'm4-tornado.ranges.json'), 'utf8'),
);
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('model card: instrument fields', () => {
  it('accepts the instrument and its ranges and keeps them', () => {
    const c = parseModelCard({ ...card(), instrument: m4, instrumentRanges: ranges });
    expect(c.instrument?.name).toBe('M4 Tornado class');
    expect(c.instrumentRanges?.schemaVersion).toBe(1);
  });

  it('still accepts a card without them and rejects malformed ones by field', () => {
    expect(parseModelCard(card()).instrument?.name).toBe('M4 Tornado class');
    expect(parseModelCard(bareCard()).instrument).toBeUndefined();
    try {
      parseModelCard({ ...card(), instrument: 'M4', instrumentRanges: [] });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ModelCardError);
      expect((e as Error).message).toMatch(/instrument/);
      expect((e as Error).message).toMatch(/instrumentRanges/);
    }
  });
});

describe('--model with a directory', () => {
  it('loads the one card of a pipeline output directory', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cmxrf-model-dir-'));
    dirs.push(dir);
    for (const f of ['cmxrf-default.json', 'cmxrf-default.onnx'])
      copyFileSync(join(ROOT, 'models', f), join(dir, f));
    mkdirSync(join(dir, 'report'));
    const q = await loadCliQuantifier(dir);
    expect(q.card.name).toBe('cmxrf-default');
  });

  it('names the directory when it holds no card', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cmxrf-model-empty-'));
    dirs.push(dir);
    await expect(loadCliQuantifier(dir)).rejects.toThrow(/expected one model card.*found 0/);
  });
});

describe('cmxrf info: the card instrument', () => {
  it('names the instrument and how many parameters were randomized', async () => {
    const { formatCardSummary } = await import('../../src/cli/commands/info.js');
    const c = parseModelCard({ ...card(), instrument: m4, instrumentRanges: ranges });
    const n = Object.keys(ranges.parameters).length;
    expect(formatCardSummary(c, 'x')).toContain(
      `instrument   M4 Tornado class (trained over ${n} randomized parameters)`,
    );
    expect(formatCardSummary(parseModelCard(bareCard()), 'x')).not.toContain('instrument ');
  });
});
