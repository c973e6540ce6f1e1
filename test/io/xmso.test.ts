import { describe, expect, it } from 'vitest';
import { looksLikeXmso, parseXmso } from '../../src/io';
import { fixtureText } from './fixtures';
import { catchParseError } from './helpers';

const XMSO = (): string => fixtureText('xmso/small.xmso');

describe('parseXmso', () => {
  it('reads the convoluted spectrum of the highest interaction order', () => {
    const s = parseXmso(XMSO(), { fileName: 'small.xmso' });
    expect(s.kind).toBe('convoluted');
    expect(s.interactionNumber).toBe(2);
    expect(Array.from(s.counts)).toEqual([11.5, 21.5, 31.5, 41.5]);
    expect(s.calibration).toEqual({ offsetKeV: 0.5, gainKeVPerChannel: 0.02, nChannels: 4 });
    expect(s.liveTimeS).toBe(100);
    expect(s.metadata.version).toBe('8.1');
    expect(s.referenceLayerIndex).toBe(1);
    expect(s.layers).toHaveLength(2);
    expect(s.layers![1]).toEqual({
      elements: [
        { z: 26, massFraction: 0.6 },
        { z: 28, massFraction: 0.4 },
      ],
      densityGPerCm3: 8.1,
      thicknessUm: 100,
    });
    expect(looksLikeXmso(XMSO())).toBe(true);
  });

  it('reads the unconvoluted spectrum and a chosen order', () => {
    const s = parseXmso(XMSO(), { spectrum: 'unconvoluted', interactionNumber: 1 });
    expect(Array.from(s.counts)).toEqual([910, 920, 930, 940]);
    const e = catchParseError(() => parseXmso(XMSO(), { interactionNumber: 3 }));
    expect(e.field).toBe('counts');
  });

  it('derives the calibration from the channel energies without a detector gain', () => {
    const s = parseXmso(XMSO().replace('<gain>0.02</gain>', '').replace('<zero>0.5</zero>', ''));
    expect(s.calibration.offsetKeV).toBe(0.5);
    expect(s.calibration.gainKeVPerChannel).toBeCloseTo(0.02, 12);
  });

  it('needs a live time', () => {
    const text = XMSO().replace('<live_time>100</live_time>', '');
    expect(catchParseError(() => parseXmso(text)).field).toBe('live_time');
    expect(parseXmso(text, { liveTimeS: 1 }).liveTimeS).toBe(1);
  });

  it.each([
    [
      'negative counts',
      (t: string) => t.replace('>21.5<', '>-21.5<'),
      { field: 'counts', channel: 1 },
    ],
    [
      'non-numeric counts',
      (t: string) => t.replace('>31.5<', '>nan<'),
      { field: 'counts', channel: 2 },
    ],
    [
      'a gap in channelnr',
      (t: string) => t.replace('<channelnr>2</channelnr>', '<channelnr>5</channelnr>'),
      { field: 'channelnr' },
    ],
    [
      'an off-grid energy',
      (t: string) => t.replace('<energy>0.54</energy>', '<energy>0.6</energy>'),
      { field: 'energy' },
    ],
    [
      'a channel count mismatch',
      (t: string) => t.replace('<nchannels>4</nchannels>', '<nchannels>5</nchannels>'),
      { field: 'nchannels' },
    ],
    [
      'a bad atomic number',
      (t: string) =>
        t.replace('<atomic_number>26</atomic_number>', '<atomic_number>0</atomic_number>'),
      { field: 'atomic_number' },
    ],
    [
      'no spectrum_conv',
      (t: string) => t.replace(/<spectrum_conv>[^]*<\/spectrum_conv>/, ''),
      { field: 'spectrum_conv' },
    ],
    ['another root', () => '<xmimsim><a/></xmimsim>', { field: 'xmimsim-results' }],
  ])('rejects %s', (_name, edit, where) => {
    const e = catchParseError(() => parseXmso(edit(XMSO()), { fileName: 'bad.xmso' }));
    expect(e.file).toBe('bad.xmso');
    expect(e).toMatchObject(where);
    expect(e.line).toBeGreaterThan(0);
  });
});
