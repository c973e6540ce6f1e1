import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  InstrumentDescriptionError,
  descriptionFromInstrument,
  fanoLimitEv,
  fitBandPass,
  instrumentFromDescription,
  parseInstrumentDescription,
  parseInstrumentJson,
  type InstrumentDescription,
} from '../../src/instrument/index.js';
import { bandPass, defaultInstrument } from '../../src/spectra/instrument.js';

const ROOT = resolve(__dirname, '..', '..');
const M4_PATH = resolve(ROOT, 'instruments', 'm4-tornado.json');
const m4 = (): InstrumentDescription =>
  parseInstrumentJson(readFileSync(M4_PATH, 'utf8'), 'm4-tornado.json');

describe('the shipped M4 Tornado-class description', () => {
  it('converts to exactly defaultInstrument()', () => {
    const { instrument, warnings } = instrumentFromDescription(m4());
    expect(instrument).toEqual(defaultInstrument());
    expect(warnings).toEqual([]);
  });

  it('round-trips through descriptionFromInstrument', () => {
    const d = descriptionFromInstrument(defaultInstrument(), {
      name: m4().name,
      description: m4().description,
    });
    expect(d).toEqual(m4());
  });

  it('is listed in the package files', () => {
    const pkg = JSON.parse(readFileSync(resolve(ROOT, 'package.json'), 'utf8')) as {
      files: string[];
    };
    expect(pkg.files).toContain('instruments');
  });
});

describe('validation', () => {
  const withField = (path: string, value: unknown): unknown => {
    const d = structuredClone(m4()) as unknown as Record<string, Record<string, unknown>>;
    const [a, b] = path.split('.');
    if (b === undefined) (d as Record<string, unknown>)[a] = value;
    else d[a][b] = value;
    return d;
  };

  it('names the field, the expected range and the value', () => {
    expect(() =>
      parseInstrumentDescription(withField('detector.fwhmAtMnKaEv', 1200), 'my.json'),
    ).toThrow('my.json: detector.fwhmAtMnKaEv: expected 100..250 eV, got 1200');
  });

  it('lists every problem at once, including misspelt and missing fields', () => {
    const d = withField('tube.voltageKv', 45) as Record<string, Record<string, unknown>>;
    delete d.tube.voltageKV;
    d.geometry.exitDeg = 'fifty';
    try {
      parseInstrumentDescription(d, 'x.json');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(InstrumentDescriptionError);
      const paths = (e as InstrumentDescriptionError).problems.map((p) => p.path);
      expect(paths).toEqual(
        expect.arrayContaining(['tube.voltageKv', 'tube.voltageKV', 'geometry.exitDeg']),
      );
      expect((e as Error).message).toContain('tube.voltageKV: expected 10..60 kV, got nothing');
    }
  });

  it('rejects a wrong schema version, an unknown anode and a bad gas', () => {
    const d = structuredClone(m4()) as unknown as Record<string, unknown>;
    d.schemaVersion = 2;
    (d.tube as Record<string, unknown>).anode = 'Xx';
    (d.paths as Record<string, Record<string, unknown>>).tubeToSample.gas = 'argon';
    const msg = (() => {
      try {
        parseInstrumentDescription(d, 'y.json');
      } catch (e) {
        return (e as Error).message;
      }
      return '';
    })();
    expect(msg).toContain('y.json: schemaVersion: expected 1, got 2');
    expect(msg).toContain('tube.anode');
    expect(msg).toContain('paths.tubeToSample.gas');
  });

  it('rejects a resolution below the Fano limit of its Fano factor', () => {
    // Fano limit at Mn Kα: 2.3548·√(F·3.85 eV·5895 eV); F = 0.114 → 119.8 eV, F = 0.16 → 141.9 eV.
    expect(fanoLimitEv(0.114)).toBeCloseTo(119.8, 1);
    const d = withField('detector.fanoFactor', 0.16) as InstrumentDescription;
    d.detector.fwhmAtMnKaEv = 130;
    expect(() => parseInstrumentDescription(d)).toThrow(
      /fwhmAtMnKaEv: expected above the Fano limit 141\.9/,
    );
  });

  it('reports invalid JSON text as a typed error naming the file', () => {
    expect(() => parseInstrumentJson('{ "schemaVersion": 1,', 'broken.json')).toThrow(
      /broken\.json: \(file\): expected valid JSON/,
    );
  });
});

describe('optics and gas paths', () => {
  it('fits a sampled Gaussian band-pass back to its parameters', () => {
    const truth = { amplitude: 0.8, centreKeV: 12.5, widthKeV: 5.5 };
    const energyKeV = Array.from({ length: 60 }, (_, i) => 1 + i * 0.5);
    const transmission = energyKeV.map((e) => bandPass(truth, e));
    const fit = fitBandPass({ kind: 'measured', energyKeV, transmission, solidAngleSr: 0.002 });
    expect(fit.amplitude).toBeCloseTo(0.8, 6);
    expect(fit.centreKeV).toBeCloseTo(12.5, 6);
    expect(fit.widthKeV).toBeCloseTo(5.5, 6);
  });

  it('simulates a measured optic as its Gaussian fit and says so', () => {
    const d = m4();
    const energyKeV = [2, 6, 10, 14, 18, 22, 26];
    const transmission = energyKeV.map((e) => Math.exp(-((e - 15) ** 2) / (2 * 6 ** 2)));
    d.excitationOptic = { kind: 'measured', energyKeV, transmission, solidAngleSr: 0.003 };
    const { instrument, warnings } = instrumentFromDescription(d);
    expect(instrument.excitationOptic.centreKeV).toBeCloseTo(15, 6);
    expect(instrument.excitationOptic.widthKeV).toBeCloseTo(6, 6);
    expect(instrument.excitationOptic.solidAngleSr).toBe(0.003);
    expect(warnings[0]).toMatch(/Gaussian band-pass/);
  });

  it('models a bare tube as a flat transmission and helium as no absorption', () => {
    const d = m4();
    d.excitationOptic = { kind: 'none', solidAngleSr: 0.001 };
    d.paths.tubeToSample = { lengthMm: 10, gas: 'helium' };
    const { instrument } = instrumentFromDescription(d);
    // Flat within 0.2 % over 1–50 keV.
    for (const e of [1, 10, 25, 50]) {
      expect(bandPass(instrument.excitationOptic, e)).toBeGreaterThan(0.998);
    }
    expect(instrument.airPathInMm).toBe(0);
    expect(instrument.airPathOutMm).toBe(5);
  });
});
