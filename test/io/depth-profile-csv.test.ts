import { describe, expect, it } from 'vitest';
import type { DepthProfile } from '../../src/profile';
import { depthProfileToCsv, looksLikeDepthProfileCsv, parseDepthProfileCsv } from '../../src/io';
import { fixtureBytes, fixtureText } from './fixtures';
import { catchParseError } from './helpers';

const HEAD = '# offsetKeV=0\n# gainKeVPerChannel=0.01\ndepthUm,liveTimeS,ch0,ch1\n';

describe('parseDepthProfileCsv', () => {
  it('reads the comma-separated fixture', () => {
    const p = parseDepthProfileCsv(fixtureText('csv/profile.csv'), { fileName: 'profile.csv' });
    expect(p.nSteps).toBe(3);
    expect(p.nChannels).toBe(3);
    expect(Array.from(p.depthsUm)).toEqual([0, 5, 10]);
    expect(Array.from(p.liveTimesS)).toEqual([10, 10, 12.5]);
    expect(Array.from(p.counts)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(p.calibration).toEqual({ offsetKeV: -0.02, gainKeVPerChannel: 0.01, nChannels: 3 });
    expect(p.source).toBe('beamline test');
  });

  it('reads ; with decimal commas, BOM and CRLF (bytes and string)', () => {
    for (const input of [
      fixtureBytes('csv/profile-semicolon.csv'),
      fixtureText('csv/profile-semicolon.csv'),
    ]) {
      const p = parseDepthProfileCsv(input, { fileName: 'semi.csv' });
      expect(Array.from(p.depthsUm)).toEqual([0, 2.5]);
      expect(Array.from(p.liveTimesS)).toEqual([1.5, 1.5]);
      expect(Array.from(p.counts)).toEqual([1.25, 2, 3, 4.75]);
      expect(p.calibration.gainKeVPerChannel).toBe(0.02);
      expect(p.source).toBe('semi.csv');
    }
  });

  it('reads tab-separated files with negative depths and a trailing blank line', () => {
    const p = parseDepthProfileCsv(fixtureText('csv/profile.tsv'));
    expect(Array.from(p.depthsUm)).toEqual([-5, 0]);
    expect(p.nChannels).toBe(2);
  });

  it('honours an explicit delimiter', () => {
    const e = catchParseError(() =>
      parseDepthProfileCsv(fixtureText('csv/profile.csv'), { delimiter: ';' }),
    );
    expect(e.field).toBe('header');
  });

  it('does not accept decimal commas with the , delimiter', () => {
    const e = catchParseError(() =>
      parseDepthProfileCsv(HEAD.replace('0.01', '0,01') + '0,1,2,3\n'),
    );
    expect(e.field).toBe('gainKeVPerChannel');
  });

  it.each([
    [
      'missing gain',
      HEAD.replace('# gainKeVPerChannel=0.01\n', '') + '0,1,2,3\n',
      { field: 'gainKeVPerChannel', line: 2 },
    ],
    ['zero gain', HEAD.replace('0.01', '0') + '0,1,2,3\n', { field: 'gainKeVPerChannel', line: 2 }],
    ['missing offset', HEAD.replace('# offsetKeV=0\n', '') + '0,1,2,3\n', { field: 'offsetKeV' }],
    [
      'bad header',
      HEAD.replace('ch1', 'ch2') + '0,1,2,3\n',
      { field: 'header', channel: 1, line: 3 },
    ],
    ['depth header', HEAD.replace('depthUm', 'depth') + '0,1,2,3\n', { field: 'header' }],
    ['mixed delimiters', HEAD.replace('ch0,ch1', 'ch0;ch1') + '0,1,2,3\n', { line: 3 }],
    ['short row', HEAD + '0,1,2\n', { line: 4 }],
    ['long row', HEAD + '0,1,2,3,4\n', { line: 4 }],
    ['NaN count', HEAD + '0,1,NaN,3\n', { line: 4, channel: 0 }],
    ['empty count', HEAD + '0,1,,3\n', { line: 4, channel: 0 }],
    ['zero live time', HEAD + '0,0,2,3\n', { line: 4, field: 'liveTimeS' }],
    ['bad depth', HEAD + 'x,1,2,3\n', { line: 4, field: 'depthUm' }],
    ['equal depths', HEAD + '0,1,2,3\n0,1,2,3\n', { line: 5, field: 'depthUm' }],
    ['decreasing depths', HEAD + '5,1,2,3\n0,1,2,3\n', { line: 5, field: 'depthUm' }],
    ['no rows', HEAD, { field: 'rows' }],
    ['no header', '# offsetKeV=0\n', { field: 'header' }],
    ['duplicate key', '# offsetKeV=0\n' + HEAD + '0,1,2,3\n', { field: 'offsetKeV', line: 2 }],
  ])('rejects %s', (_name, text, where) => {
    const e = catchParseError(() => parseDepthProfileCsv(text, { fileName: 'bad.csv' }));
    expect(e.file).toBe('bad.csv');
    expect(e).toMatchObject(where);
  });
});

describe('depthProfileToCsv', () => {
  const profile: DepthProfile = {
    counts: new Float64Array([0.1, 2, 3e-7, 1234567.891]),
    nSteps: 2,
    nChannels: 2,
    depthsUm: new Float64Array([-2.5, 1 / 3]),
    calibration: { offsetKeV: -0.0123, gainKeVPerChannel: 0.0097, nChannels: 2 },
    liveTimesS: new Float64Array([10, 0.1 + 0.2]),
    source: 'sim\nrun 7',
  };

  it.each([',', ';', '\t'] as const)('round-trips exactly with delimiter %j', (delimiter) => {
    const text = depthProfileToCsv(profile, { delimiter });
    expect(looksLikeDepthProfileCsv(text)).toBe(true);
    const back = parseDepthProfileCsv(text);
    expect(Array.from(back.counts)).toEqual(Array.from(profile.counts));
    expect(Array.from(back.depthsUm)).toEqual(Array.from(profile.depthsUm));
    expect(Array.from(back.liveTimesS)).toEqual(Array.from(profile.liveTimesS));
    expect(back.calibration).toEqual(profile.calibration);
    expect(back.source).toBe('sim run 7');
  });

  it('round-trips Float32 profiles', () => {
    const p32 = { ...profile, counts: new Float32Array([0.1, 2, 3, 4]) };
    expect(Array.from(parseDepthProfileCsv(depthProfileToCsv(p32)).counts)).toEqual(
      Array.from(p32.counts),
    );
  });

  it('refuses inconsistent profiles', () => {
    expect(() => depthProfileToCsv({ ...profile, nSteps: 3 })).toThrow(/profile.counts/);
    expect(() => depthProfileToCsv({ ...profile, depthsUm: new Float64Array([1, 1]) })).toThrow(
      /strictly increasing/,
    );
    expect(() =>
      depthProfileToCsv({ ...profile, counts: new Float64Array([1, 2, Infinity, 4]) }),
    ).toThrow(/counts\[2\]/);
  });
});
