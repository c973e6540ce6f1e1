import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  InstrumentDescriptionError,
  drawCalibrationDrift,
  drawInstrument,
  instrumentFromDescription,
  parseInstrumentJson,
  parseInstrumentRanges,
} from '../../src/instrument/index.js';
import { createRng } from '../../src/sampling/rng.js';

const ROOT = resolve(__dirname, '..', '..');
const m4 = parseInstrumentJson(
  readFileSync(resolve(ROOT, 'instruments', 'm4-tornado.json'), 'utf8'),
  'm4-tornado.json',
);
const rangesJson: unknown = JSON.parse(
  readFileSync(resolve(ROOT, 'instruments', 'm4-tornado.ranges.json'), 'utf8'),
);

describe('shipped ranges', () => {
  const ranges = parseInstrumentRanges(rangesJson, m4, 'm4-tornado.ranges.json');

  it('draw every ranged field inside its range, others nominal, and deterministically', () => {
    const seen: Record<string, [number, number]> = {};
    for (let k = 0; k < 300; k++) {
      const { description, values } = drawInstrument(m4, ranges, `t:${k}`);
      const v = values['tube.voltageKV'];
      expect(v).toBeGreaterThanOrEqual(40);
      expect(v).toBeLessThanOrEqual(50);
      expect(description.tube.voltageKV).toBe(v);
      const inc = values['geometry.incidenceDeg'];
      expect(Math.abs(inc - 50)).toBeLessThanOrEqual(5);
      const air = values['paths.sampleToDetector.lengthMm'];
      expect(air).toBeGreaterThanOrEqual(0);
      expect(air).toBeLessThanOrEqual(10);
      expect(description.detector.solidAngleSr).toBe(0.01); // not ranged
      for (const [p, x] of Object.entries(values)) {
        const s = (seen[p] ??= [Infinity, -Infinity]);
        s[0] = Math.min(s[0], x);
        s[1] = Math.max(s[1], x);
      }
      // Every draw is a valid simulator instrument.
      if (k < 3) expect(() => instrumentFromDescription(description)).not.toThrow();
    }
    // 300 uniform draws cover ≥ 90 % of each range (fails with probability < 1e-10 per field).
    const fwhm = seen['detector.fwhmAtMnKaEv'];
    expect(fwhm[0]).toBeLessThan(124);
    expect(fwhm[1]).toBeGreaterThan(156);
    expect(drawInstrument(m4, ranges, 't:7')).toEqual(drawInstrument(m4, ranges, 't:7'));
    expect(drawInstrument(m4, ranges, 't:7').values).not.toEqual(
      drawInstrument(m4, ranges, 't:8').values,
    );
  });

  it('draws calibration drift within its bounds', () => {
    const rng = createRng('drift');
    for (let k = 0; k < 100; k++) {
      const d = drawCalibrationDrift(ranges, rng);
      expect(Math.abs(d.offsetKeV)).toBeLessThanOrEqual(0.01);
      expect(Math.abs(d.gainFactor - 1)).toBeLessThanOrEqual(0.002);
    }
  });
});

describe('invalid ranges', () => {
  const parse = (parameters: unknown, extra: Record<string, unknown> = {}) =>
    parseInstrumentRanges({ schemaVersion: 1, parameters, ...extra }, m4, 'r.json');

  it('name the field and the range that leaves the plausible bounds', () => {
    expect(() => parse({ 'detector.fwhmAtMnKaEv': { min: 90, max: 160 } })).toThrow(
      'r.json: parameters.detector.fwhmAtMnKaEv: expected draws within 100..250 eV, got [90,160]',
    );
    expect(() => parse({ 'tube.voltageKV': { plusMinus: 20 } })).toThrow(/tube\.voltageKV/);
  });

  it('reject unknown fields, malformed specs, drift out of bounds and FWHM under the Fano limit', () => {
    try {
      parse(
        {
          'detector.fwhm': { min: 1, max: 2 },
          'tube.currentMA': { min: 2, max: 1 },
          'detector.fwhmAtMnKaEv': { min: 110, max: 150 },
        },
        { calibrationDrift: { gainFactor: [0.9, 1.1] } },
      );
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(InstrumentDescriptionError);
      const paths = (e as InstrumentDescriptionError).problems.map((p) => p.path);
      expect(paths).toEqual(
        expect.arrayContaining([
          'parameters.detector.fwhm',
          'parameters.tube.currentMA',
          'calibrationDrift.gainFactor',
          'parameters.detector.fwhmAtMnKaEv',
        ]),
      );
    }
  });
});
