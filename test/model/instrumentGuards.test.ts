/**
 * Instrument guards: the model card's instrument (instruments/m4-tornado.json with its ranges)
 * against what files state. Real files where the shared data folder has them, synthetic
 * excitation records otherwise.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as ortNode from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { parseSpectrumAuto, readDepthProfileFromPaths } from '../../src/io';
import { parseModelCard } from '../../src/model/card';
import { instrumentGuards } from '../../src/model/instrumentGuards';
import { createQuantifier } from '../../src/model/quantifier';
import type { DepthProfile, ExcitationMetadata } from '../../src/profile';
import { sharedData } from '../io/shared-data';
import { range, syntheticProfile, tinyCardJson, tinyModelBytes } from './helpers';

const INSTRUMENTS = fileURLToPath(new URL('../../instruments/', import.meta.url));
const readJson = (f: string) =>
  JSON.parse(readFileSync(join(INSTRUMENTS, f), 'utf8')) as Record<string, unknown>;
const M4 = readJson('m4-tornado.json');
const M4_RANGES = readJson('m4-tornado.ranges.json');

/** The tiny test card, trained (as its card says) for the M4 Tornado class with its ranges. */
const cardWith = (extra: Record<string, unknown>) =>
  parseModelCard({ ...tinyCardJson(), ...extra });
const CARD = cardWith({ instrument: M4, instrumentRanges: M4_RANGES });
const NOMINAL_ONLY = cardWith({ instrument: M4 });
const NO_INSTRUMENT = cardWith({});

const calibration = { offsetKeV: 0, gainKeVPerChannel: 0.01, nChannels: 4096 };
const check = (excitation?: ExcitationMetadata, card = CARD, cal = calibration) =>
  instrumentGuards(card, { calibration: cal, excitation });
const codes = (r: ReturnType<typeof check>) => r.warnings.map((w) => w.code);
const tube = (e: Partial<ExcitationMetadata>): ExcitationMetadata => ({
  kind: 'x-ray-tube',
  fields: ['test'],
  ...e,
});

describe('instrumentGuards', () => {
  it('reports the card instrument and passes a file that matches it', () => {
    const r = check(tube({ anode: 'Rh', voltageKV: 50 }));
    expect(r.warnings).toEqual([]);
    expect(r.instrument).toEqual({
      name: 'M4 Tornado class',
      anode: 'Rh',
      voltageRangeKV: [40, 50],
      notes: [],
    });
  });

  it('instrument-anode: another anode than the card', () => {
    const r = check(tube({ anode: 'Mo', voltageKV: 50 }));
    expect(codes(r)).toEqual(['instrument-anode']);
    expect(r.warnings[0].message).toMatch(/tube anode is Mo, .*trained with a Rh anode/);
  });

  it('instrument-voltage: outside the randomized 40–50 kV (0.5 kV read-back tolerance)', () => {
    for (const kV of [40, 45, 50, 50.4, 39.6])
      expect(codes(check(tube({ voltageKV: kV })))).toEqual([]);
    for (const kV of [28, 39.4, 50.6, 60]) {
      const r = check(tube({ voltageKV: kV }));
      expect(codes(r)).toEqual(['instrument-voltage']);
      expect(r.warnings[0].message).toMatch(/outside the range 40–50 kV/);
    }
  });

  it('instrument-voltage: against the nominal 50 kV when the card has no ranges', () => {
    expect(codes(check(tube({ voltageKV: 45 }), NOMINAL_ONLY))).toEqual(['instrument-voltage']);
    expect(codes(check(tube({ voltageKV: 50 }), NOMINAL_ONLY))).toEqual([]);
    expect(check(tube({}), NOMINAL_ONLY).instrument?.voltageRangeKV).toEqual([50, 50]);
  });

  it('instrument-excitation: an electron-excited spectrum (its beam voltage is not a tube voltage)', () => {
    const r = check({ kind: 'electron-beam', voltageKV: 20, fields: ['#SIGNALTYPE'] });
    expect(codes(r)).toEqual(['instrument-excitation']);
    expect(r.warnings[0].message).toMatch(/electron-excited spectrum \(#SIGNALTYPE\).*20 kV beam/);
  });

  it('instrument-calibration: channels wide enough to broaden peaks past the trained resolution', () => {
    // FWHM_eff = √(145² + 8 ln2 · w²/12) eV > 1.05 · 160 eV ⇔ w > 124.8 eV (ranges 120–160 eV).
    const wide = (gain: number, card = CARD) =>
      instrumentGuards(card, {
        calibration: { offsetKeV: 0, gainKeVPerChannel: gain, nChannels: 1024 },
        excitation: tube({ anode: 'Rh' }),
      });
    for (const gain of [0.005, 0.024, 0.04, 0.12]) expect(codes(wide(gain))).toEqual([]);
    const r = wide(0.15);
    expect(codes(r)).toEqual(['instrument-calibration']);
    // √(145² + 8 ln2 · 150² / 12) = 177.3 eV
    expect(r.warnings[0].message).toMatch(/150 eV wide.*177\.3 eV detector.*145–160 eV/);
    // Without ranges the nominal 145 eV is the widest: w > 68.3 eV (60 eV → 150.6 eV, 80 eV →
    // 154.9 eV).
    expect(codes(wide(0.06, NOMINAL_ONLY))).toEqual([]);
    expect(codes(wide(0.08, NOMINAL_ONLY))).toEqual(['instrument-calibration']);
  });

  it('notes, never warns, about what a file does not state, and about another calibration', () => {
    const r = check(undefined, CARD, {
      offsetKeV: -0.9631,
      gainKeVPerChannel: 0.01,
      nChannels: 4096,
    });
    expect(r.warnings).toEqual([]);
    expect(r.instrument?.notes).toEqual([
      "tube anode not checked: the file states none (the model's is Rh)",
      "tube voltage not checked: the file states none (the model's is 40–50 kV)",
      expect.stringMatching(
        /calibration \(offset -0\.9631 keV, 10 eV\/channel\) differs .*-10…10 eV offset and 0\.998…1\.002 gain/,
      ),
    ]);
    // Within the drift: no calibration note.
    const within = check(tube({ anode: 'Rh', voltageKV: 50 }), CARD, {
      offsetKeV: 0.005,
      gainKeVPerChannel: 0.01001,
      nChannels: 4096,
    });
    expect(within.instrument?.notes).toEqual([]);
  });

  it('checks nothing against a card without an instrument', () => {
    const r = check(tube({ anode: 'Mo', voltageKV: 10 }), NO_INSTRUMENT, {
      offsetKeV: 0,
      gainKeVPerChannel: 0.2,
      nChannels: 1024,
    });
    expect(r).toEqual({ warnings: [] });
  });
});

describe('createQuantifier with a card that names its instrument', () => {
  const profile = (excitation?: ExcitationMetadata): DepthProfile => ({
    ...syntheticProfile({
      depthsUm: range(30, 7, 100),
      offsetKeV: 0.005,
      gainKeVPerChannel: 0.01,
      nChannels: 2600,
      counts: (j, k) => ((j * k) % 23) * (j < 6 ? 0.1 : 1),
    }),
    ...(excitation ? { excitation } : {}),
  });

  it('puts the instrument on every result and the instrument warnings with the others', async () => {
    const q = await createQuantifier({
      runtime: ortNode,
      model: tinyModelBytes(),
      card: { ...tinyCardJson(), instrument: M4, instrumentRanges: M4_RANGES },
    });
    try {
      const [plain, mo] = await q.quantify([
        profile(),
        profile(tube({ anode: 'Mo', voltageKV: 30, fields: ['TRTXrfHeader Anode'] })),
      ]);
      expect(plain.modelInstrument?.name).toBe('M4 Tornado class');
      expect(plain.warnings.filter((w) => w.code.startsWith('instrument-'))).toEqual([]);
      expect(plain.modelInstrument?.notes[0]).toMatch(/tube anode not checked/);
      expect(mo.warnings.map((w) => w.code)).toEqual(
        expect.arrayContaining(['instrument-anode', 'instrument-voltage']),
      );
      expect(mo.warnings.find((w) => w.code === 'instrument-anode')?.message).toMatch(
        /Mo \(TRTXrfHeader Anode\)/,
      );
    } finally {
      await q.release();
    }
    // The shipped-style card without an instrument: no report, no instrument warning.
    const bare = await createQuantifier({
      runtime: ortNode,
      model: tinyModelBytes(),
      card: tinyCardJson(),
    });
    try {
      const r = await bare.quantify(profile(tube({ anode: 'Mo' })));
      expect(r.modelInstrument).toBeUndefined();
      expect(r.warnings.filter((w) => w.code.startsWith('instrument-'))).toEqual([]);
    } finally {
      await bare.release();
    }
  });
});

const profiles = sharedData('realprofiles');
const spectra = sharedData('realfiles');

describe.skipIf(!profiles.present)('instrument guards on real depth scans (shared data)', () => {
  it('the Bruker M4 Cu-foil scan (Rh, 50 kV) matches the M4 Tornado-class card', async () => {
    const p = await readDepthProfileFromPaths(
      join(profiles.dir, 'specfit_tuberlin_m4', 'Cu_foil_z*.spx'),
    );
    const r = instrumentGuards(CARD, p);
    expect(r.warnings).toEqual([]);
    // Its calibration (offset −0.963 keV) differs from the card's, which is only a note.
    expect(r.instrument?.notes).toEqual([expect.stringMatching(/offset -0\.9631 keV/)]);
  });

  it('the voxTrace .spe states no tube: nothing to warn about, two notes', () => {
    const s = parseSpectrumAuto(
      new Uint8Array(readFileSync(join(profiles.dir, 'voxtrace_ati_confocal/000034.spe'))),
      { energyCalibration: { offsetKeV: 0, gainKeVPerChannel: 0.01096 } },
    );
    const r = instrumentGuards(CARD, s);
    expect(r.warnings).toEqual([]);
    expect(r.instrument?.notes.slice(0, 2)).toEqual([
      expect.stringMatching(/tube anode not checked/),
      expect.stringMatching(/tube voltage not checked/),
    ]);
    // The Mo tube of that lab (named in its ROI tables), stated by the caller, is a contradiction.
    expect(
      codes(instrumentGuards(CARD, { ...s, excitation: tube({ anode: 'Mo', voltageKV: 50 }) })),
    ).toEqual(['instrument-anode']);
  });
});

describe.skipIf(!spectra.present)('instrument guards on real spectra (shared data)', () => {
  const read = (rel: string) =>
    parseSpectrumAuto(new Uint8Array(readFileSync(join(spectra.dir, 'spectra', rel))), {
      fileName: rel,
    });

  it('warns about the Mo tube of the Bruker Mo spectra, not about their Rh twin', () => {
    expect(
      codes(
        instrumentGuards(
          CARD,
          read('nexlspectrum/test_Other_20170510_D1_Mo_50kv_100mA_acryl_0.spx'),
        ),
      ),
    ).toEqual(['instrument-anode']);
    expect(
      codes(
        instrumentGuards(
          CARD,
          read('nexlspectrum/weave_XRF_backgrounds_20170510_D1_Rh_50kv_100mA_acryl_f1_0.spx'),
        ),
      ),
    ).toEqual([]);
  });

  it('warns about electron excitation (SEM .spx, AZtec EMSA) and a 20 kV #BEAMKV of plain EDS', () => {
    expect(codes(instrumentGuards(CARD, read('rosettasciio/bruker_nano.spx')))).toEqual([
      'instrument-excitation',
    ]);
    expect(codes(instrumentGuards(CARD, read('oxford/aztec_header_fixture.msa')))).toEqual([
      'instrument-excitation',
    ]);
    const k412 = instrumentGuards(CARD, read('nexlspectrum/test_K412_spectra_Fe_std.msa'));
    expect(codes(k412)).toEqual(['instrument-voltage']);
    expect(k412.warnings[0].message).toMatch(/beam voltage is 20 kV \(#BEAMKV\)/);
  });
});
