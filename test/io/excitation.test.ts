/**
 * Excitation metadata (tube anode, voltage, current) read by the parsers: real files where the
 * shared data folder has them (reference values read by eye from each file's header), small
 * synthetic texts otherwise.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  anodeSymbol,
  depthProfileFromSpectra,
  depthProfileToCsv,
  parseDepthProfileCsv,
  parseEmsa,
  parseSpectrumAuto,
  readDepthProfileFromPaths,
} from '../../src/io';
import { leadingNumber } from '../../src/io/excitation';
import { catchParseError } from './helpers';
import { sharedData } from './shared-data';

const profiles = sharedData('realprofiles');
const spectra = sharedData('realfiles');
const bytes = (dir: string, rel: string): Uint8Array =>
  new Uint8Array(readFileSync(join(dir, rel)));

describe('anode symbols and header numbers', () => {
  it('maps atomic numbers and symbols to element symbols', () => {
    expect(anodeSymbol('45')).toBe('Rh');
    expect(anodeSymbol(' 42 ')).toBe('Mo');
    expect(anodeSymbol('74')).toBe('W');
    expect(anodeSymbol('29')).toBe('Cu');
    expect(anodeSymbol('rh')).toBe('Rh');
    expect(anodeSymbol('Mo-FF-421272')).toBe('Mo');
    expect(anodeSymbol('0')).toBeUndefined();
    expect(anodeSymbol('45.5')).toBeUndefined();
    expect(anodeSymbol('Xx')).toBeUndefined();
    expect(anodeSymbol('')).toBeUndefined();
  });

  it('reads the number a free-text header value starts with', () => {
    expect(leadingNumber('28.00  X-ray tube voltage in kilovolts')).toBe(28);
    expect(leadingNumber('1E2')).toBe(100);
    expect(leadingNumber('kV 50')).toBeUndefined();
    expect(leadingNumber('50.1.2')).toBeUndefined();
  });
});

const emsa = (extra: string[]): string =>
  [
    '#FORMAT      : EMSA/MAS Spectral Data File',
    '#VERSION     : 1.0',
    '#NPOINTS     : 3',
    '#NCOLUMNS    : 1',
    '#XUNITS      : keV',
    '#DATATYPE    : Y',
    '#XPERCHAN    : 0.01',
    '#OFFSET      : 0',
    '#LIVETIME  -s: 10',
    ...extra,
    '#SPECTRUM    :',
    '1, 2, 3',
    '#ENDOFDATA   :',
    '',
  ].join('\n');

describe('EMSA excitation keywords', () => {
  it('reads #SIGNALTYPE XRF, ##ANODE (Z), #BEAMKV and #EMISSION with its unit', () => {
    const s = parseEmsa(
      emsa(['#SIGNALTYPE  : XRF', '##ANODE     : 42', '#BEAMKV   -kV: 35', '#EMISSION -uA: 450']),
    );
    expect(s.excitation).toEqual({
      kind: 'x-ray-tube',
      anode: 'Mo',
      voltageKV: 35,
      currentMA: 0.45,
      fields: ['#SIGNALTYPE', '##ANODE', '#BEAMKV', '#EMISSION'],
    });
  });

  it('marks EDS_SEM as an electron beam, and leaves the kind open for plain EDS', () => {
    const sem = parseEmsa(emsa(['#SIGNALTYPE  : EDS_SEM', '#BEAMKV      : 20.0']));
    expect(sem.excitation).toMatchObject({ kind: 'electron-beam', voltageKV: 20 });
    const eds = parseEmsa(emsa(['#SIGNALTYPE  : EDS', '#BEAMKV      : 15']));
    expect(eds.excitation).toEqual({ voltageKV: 15, fields: ['#BEAMKV'] });
  });

  it('gives no excitation for a file that states none, and ignores values that are no numbers', () => {
    expect(parseEmsa(emsa([])).excitation).toBeUndefined();
    expect(parseEmsa(emsa(['#BEAMKV      : n/a', '##ANODE : ?'])).excitation).toBeUndefined();
  });
});

describe('depth-profile CSV excitation keys', () => {
  const csv = (extra: string) =>
    `# offsetKeV=0\n# gainKeVPerChannel=0.01\n${extra}depthUm,liveTimeS,ch0,ch1\n0,10,3,4\n5,10,6,8\n`;

  it('reads # tubeAnode and # tubeVoltageKV, and writes them back', () => {
    const p = parseDepthProfileCsv(csv('# tubeAnode=W\n# tubeVoltageKV=40\n'));
    expect(p.excitation).toEqual({
      kind: 'x-ray-tube',
      anode: 'W',
      voltageKV: 40,
      fields: ['# tubeAnode', '# tubeVoltageKV'],
    });
    const text = depthProfileToCsv(p);
    expect(text).toMatch(/^# tubeAnode=W$/m);
    expect(text).toMatch(/^# tubeVoltageKV=40$/m);
    expect(parseDepthProfileCsv(text).excitation).toEqual(p.excitation);
    expect(parseDepthProfileCsv(csv('')).excitation).toBeUndefined();
  });

  it('rejects an anode that is no element symbol and a voltage that is no positive number', () => {
    expect(
      catchParseError(() => parseDepthProfileCsv(csv('# tubeAnode=45\n'), { fileName: 'a.csv' })),
    ).toMatchObject({ file: 'a.csv', line: 3, field: 'tubeAnode' });
    expect(catchParseError(() => parseDepthProfileCsv(csv('# tubeVoltageKV=-5\n')))).toMatchObject({
      line: 3,
      field: 'tubeVoltageKV',
    });
  });
});

describe('excitation of a profile from several spectra', () => {
  const sp = (voltageKV: number, anode = 'Rh') => ({
    ...parseEmsa(emsa([])),
    excitation: { kind: 'x-ray-tube' as const, anode, voltageKV, fields: ['#BEAMKV'] },
  });

  it('keeps what every step states alike, and drops (with a note) what differs', () => {
    const same = depthProfileFromSpectra([sp(50), sp(50)], [0, 5]);
    expect(same.excitation).toEqual({
      kind: 'x-ray-tube',
      anode: 'Rh',
      voltageKV: 50,
      fields: ['#BEAMKV'],
    });
    // Read-back jitter within 2 % agrees (median); more is a real difference.
    const jitter = depthProfileFromSpectra([sp(50), sp(49.9), sp(50)], [0, 5, 10]);
    expect(jitter.excitation?.voltageKV).toBe(50);
    expect(jitter.notes).toBeUndefined();
    const mixed = depthProfileFromSpectra([sp(50), sp(40)], [0, 5]);
    expect(mixed.excitation).toEqual({ kind: 'x-ray-tube', anode: 'Rh', fields: ['#BEAMKV'] });
    expect(mixed.notes?.join('\n')).toMatch(/voltage \(kV\) differs between steps \(50, 40\)/);
    const none = depthProfileFromSpectra([parseEmsa(emsa([])), parseEmsa(emsa([]))], [0, 5]);
    expect(none.excitation).toBeUndefined();
  });
});

describe.skipIf(!profiles.present)('excitation of real depth scans (shared data)', () => {
  it('reads Rh, 50 kV, 0.6 mA (599/600 µA read back, median) from the TRTXrfHeader of the Bruker M4 Cu-foil scan', async () => {
    const p = await readDepthProfileFromPaths(
      join(profiles.dir, 'specfit_tuberlin_m4', 'Cu_foil_z*.spx'),
    );
    expect(p.excitation).toEqual({
      kind: 'x-ray-tube',
      anode: 'Rh',
      voltageKV: 50,
      currentMA: 0.6,
      fields: ['TRTXrfHeader Anode', 'TRTXrfHeader Voltage', 'TRTXrfHeader Current'],
    });
  });

  it('finds no tube in the voxTrace .spe (its Mo anode is named only in the ROI tables)', () => {
    const s = parseSpectrumAuto(bytes(profiles.dir, 'voxtrace_ati_confocal/000034.spe'), {
      energyCalibration: { offsetKeV: 0, gainKeVPerChannel: 0.01096 },
    });
    expect(s.excitation).toBeUndefined();
  });
});

describe.skipIf(!spectra.present)('excitation of real single spectra (shared data)', () => {
  const read = (rel: string) =>
    parseSpectrumAuto(bytes(spectra.dir, join('spectra', rel)), { fileName: rel });

  it('reads the Mo anode (Z 42) of the Bruker XRF spectra measured with a Mo tube', () => {
    for (const f of [
      'nexlspectrum/test_Other_20170510_D1_Mo_50kv_100mA_acryl_0.spx',
      'nexlspectrum/weave_XRF_backgrounds_20170510_D2_Mo_50kv_100mA_acryl_0.spx',
    ])
      expect(read(f).excitation).toMatchObject({ kind: 'x-ray-tube', anode: 'Mo', voltageKV: 50 });
    expect(
      read('nexlspectrum/weave_XRF_backgrounds_20170510_D1_Rh_50kv_100mA_acryl_f1_0.spx')
        .excitation,
    ).toMatchObject({ kind: 'x-ray-tube', anode: 'Rh', voltageKV: 50 });
  });

  it('marks Bruker SEM spectra (TRTESMAHeader) and AZtec EDS_SEM EMSA as electron beams', () => {
    expect(read('rosettasciio/bruker_nano.spx').excitation).toEqual({
      kind: 'electron-beam',
      voltageKV: 15,
      fields: ['TRTESMAHeader PrimaryEnergy'],
    });
    expect(read('oxford/aztec_header_fixture.msa').excitation).toMatchObject({
      kind: 'electron-beam',
      voltageKV: 20,
    });
  });
});
