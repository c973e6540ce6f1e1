/**
 * `cmxrf quantify` with a model card that names its instrument: the instrument and the
 * `instrument-*` warnings appear in every output format (table, JSON, CSV, HTML report,
 * --refine CSV).
 */
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { cardSimulatorPhysics } from '../../src/cli/model';
import { formatRefinedResults } from '../../src/cli/refine-output';
import { parseDepthProfileCsv } from '../../src/io';
import { parseModelCard } from '../../src/model/card';
import { createQuantifier } from '../../src/model/quantifier';
import {
  DEFAULT_SIMULATOR_PHYSICS,
  LEGACY_SIMULATOR_PHYSICS,
} from '../../src/spectra/mxrfSimulator';
import * as ortNode from 'onnxruntime-node';
import { cli } from './run-cli';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const FIX = join(ROOT, 'test/fixtures/model');
const dir = mkdtempSync(join(tmpdir(), 'cmxrf-instrument-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// The tiny test model with a card that names the M4 Tornado class and its ranges.
const cardJson = {
  ...(JSON.parse(readFileSync(join(FIX, 'cmxrf-tiny.json'), 'utf8')) as Record<string, unknown>),
  instrument: JSON.parse(
    readFileSync(join(ROOT, 'instruments/m4-tornado.json'), 'utf8'),
  ) as unknown,
  instrumentRanges: JSON.parse(
    readFileSync(join(ROOT, 'instruments/m4-tornado.ranges.json'), 'utf8'),
  ) as unknown,
};
const CARD = join(dir, 'cmxrf-tiny.json');
writeFileSync(CARD, JSON.stringify(cardJson));
copyFileSync(join(FIX, 'cmxrf-tiny.onnx'), join(dir, 'cmxrf-tiny.onnx'));

// The fixture scan measured, as its header says, with a Mo tube at 30 kV.
const scanText = readFileSync(join(FIX, 'scan-10um.csv'), 'utf8');
const MO = join(dir, 'scan-mo.csv');
writeFileSync(MO, scanText.replace('# source=', '# tubeAnode=Mo\n# tubeVoltageKV=30\n# source='));
const PLAIN = join(FIX, 'scan-10um.csv');

describe('quantify reports the model instrument and instrument warnings', () => {
  it('table: the instrument line, its notes, and the warnings with their codes', async () => {
    const r = await cli(['quantify', '-m', CARD, MO, PLAIN]);
    expect(r.code).toBe(0);
    const [mo, plain] = r.out.split(/\n\n/);
    expect(mo).toMatch(/model instrument M4 Tornado class \(Rh anode, 40–50 kV\)/);
    expect(mo).toMatch(/warning \[instrument-anode\]: the file's tube anode is Mo \(# tubeAnode\)/);
    expect(mo).toMatch(/warning \[instrument-voltage\]: the file's tube voltage is 30 kV/);
    expect(plain).toMatch(/model instrument M4 Tornado class/);
    expect(plain).toMatch(/note: tube anode not checked: the file states none/);
    expect(plain).not.toMatch(/instrument-/);
  });

  it('JSON: modelInstrument and the warnings on the result; warnings also on stderr', async () => {
    const r = await cli(['quantify', '-m', CARD, '-f', 'json', MO]);
    expect(r.code).toBe(0);
    const [row] = JSON.parse(r.out) as {
      modelInstrument: { name: string; anode: string; voltageRangeKV: number[] };
      warnings: { code: string }[];
    }[];
    expect(row.modelInstrument).toMatchObject({
      name: 'M4 Tornado class',
      anode: 'Rh',
      voltageRangeKV: [40, 50],
    });
    expect(row.warnings.map((w) => w.code)).toEqual(
      expect.arrayContaining(['instrument-anode', 'instrument-voltage']),
    );
    expect(r.err).toMatch(/warning: .*scan-mo\.csv: \[instrument-anode\]/);
  });

  it('CSV: modelInstrument and the warning codes and messages', async () => {
    const r = await cli(['quantify', '-m', CARD, '-f', 'csv', MO]);
    expect(r.code).toBe(0);
    const [head, line] = r.out.split('\n');
    const cols = head.split(',');
    expect(cols).toContain('modelInstrument');
    expect(line).toContain('M4 Tornado class (Rh anode');
    expect(line).toMatch(/instrument-anode/);
    expect(line).toMatch(/instrument-voltage/);
  });

  it('HTML report: the instrument and the warning messages', async () => {
    const html = join(dir, 'report.html');
    const r = await cli(['quantify', '-m', CARD, '--report', html, MO]);
    expect(r.code).toBe(0);
    const text = readFileSync(html, 'utf8');
    expect(text).toContain('model instrument');
    expect(text).toContain('M4 Tornado class');
    expect(text).toMatch(/tube anode is Mo/);
  });

  it('--refine CSV carries the network warnings and the instrument next to the refinement', async () => {
    const q = await createQuantifier({
      runtime: ortNode,
      model: new Uint8Array(readFileSync(join(dir, 'cmxrf-tiny.onnx'))),
      card: cardJson,
    });
    const profile = parseDepthProfileCsv(readFileSync(MO), { fileName: MO });
    const result = await q.quantify(profile);
    await q.release();
    // A refinement needs no trained network: the start values only have to be finite.
    const csv = formatRefinedResults([{ file: MO, result }], [profile], 'csv');
    const [head, line] = csv.trim().split('\n');
    const cols = head.split(',');
    const cells = line.match(/("([^"]|"")*"|[^,]*)(,|$)/g)!.map((c) => c.replace(/,$/, ''));
    expect(cells[cols.indexOf('networkWarnings')]).toMatch(/instrument-anode/);
    expect(cells[cols.indexOf('modelInstrument')]).toMatch(/M4 Tornado class/);
  });

  it('quantify --refine uses the instrument the card names as the forward model', async () => {
    // A card whose instrument has another excitation optic (centre 17 keV instead of 14).
    const other = JSON.parse(JSON.stringify(cardJson)) as {
      instrument: { excitationOptic: { centreKeV: number } };
    };
    other.instrument.excitationOptic.centreKeV = 17;
    const otherCard = join(dir, 'cmxrf-other.json');
    writeFileSync(otherCard, JSON.stringify(other));
    copyFileSync(join(FIX, 'cmxrf-tiny.onnx'), join(dir, 'cmxrf-other.onnx'));
    type Start = { refinement: { instrument: { opticCentreKeV: { start: number } } } };
    const r = await cli(['quantify', '-m', otherCard, '--refine', '-f', 'json', PLAIN]);
    expect(r.code, r.err).toBe(0);
    expect((JSON.parse(r.out) as Start[])[0].refinement.instrument.opticCentreKeV.start).toBe(17);
    // A card that names no instrument: the default instrument, with a warning.
    const bare = join(FIX, 'cmxrf-tiny.json');
    const b = await cli(['quantify', '-m', bare, '--refine', '-f', 'json', PLAIN]);
    expect(b.code, b.err).toBe(0);
    expect(b.err).toMatch(/names no instrument; --refine uses the default instrument/);
    expect((JSON.parse(b.out) as Start[])[0].refinement.instrument.opticCentreKeV.start).toBe(14);
  }, 120_000);

  it("quantify --refine uses the card's simulator physics (legacy physics when the card has none)", async () => {
    expect(cardSimulatorPhysics(parseModelCard(cardJson))).toEqual(LEGACY_SIMULATOR_PHYSICS);
    const withPhysics = { ...cardJson, simulator: { ...DEFAULT_SIMULATOR_PHYSICS } };
    expect(cardSimulatorPhysics(parseModelCard(withPhysics))).toEqual({
      doubleScatter: 'directional',
      higherScatterOrders: true,
    });
    const directionalCard = join(dir, 'cmxrf-directional.json');
    writeFileSync(directionalCard, JSON.stringify(withPhysics));
    copyFileSync(join(FIX, 'cmxrf-tiny.onnx'), join(dir, 'cmxrf-directional.onnx'));
    type Fit = { refinement: { fit: { deviance: number } } };
    const args = ['--refine', '--refine-hold-instrument', '-f', 'json', PLAIN];
    const legacy = await cli(['quantify', '-m', CARD, ...args]);
    const directional = await cli(['quantify', '-m', directionalCard, ...args]);
    expect(legacy.code, legacy.err).toBe(0);
    expect(directional.code, directional.err).toBe(0);
    // Another forward model: another deviance of the fit (same data, same start).
    const d0 = (JSON.parse(legacy.out) as Fit[])[0].refinement.fit.deviance;
    const d1 = (JSON.parse(directional.out) as Fit[])[0].refinement.fit.deviance;
    expect(Math.abs(d1 - d0)).toBeGreaterThan(1e-6 * Math.abs(d0));
  }, 120_000);
});
