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
    // <energy> 0.5 keV is the lower edge of channel 0: its centre is 0.51 keV.
    expect(s.calibration.offsetKeV).toBeCloseTo(0.51, 14);
    expect(s.calibration.gainKeVPerChannel).toBe(0.02);
    expect(s.calibration.nChannels).toBe(4);
    expect(s.liveTimeS).toBe(100);
    expect(s.metadata.version).toBe('8.1');
    expect(s.referenceLayerIndex).toBe(1);
    expect(s.layers).toHaveLength(2);
    expect(s.layers![1]).toEqual({
      elements: [
        { z: 26, massFraction: 0.6 },
        { z: 28, massFraction: 0.4 },
      ],
      weightPercentSum: 100,
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
    expect(s.calibration.offsetKeV).toBeCloseTo(0.51, 12);
    expect(s.calibration.gainKeVPerChannel).toBeCloseTo(0.02, 12);
    const centre = parseXmso(XMSO(), { channelEnergy: 'centre' });
    expect(centre.calibration.offsetKeV).toBe(0.5);
  });

  it('normalises layer weight fractions as XMI-MSIM does, and notes it', () => {
    // An air layer written as 55.8 + 15.0 + 0.7 = 71.5 %, as in a real srm1132 example.
    const text = XMSO()
      .replace('<weight_fraction>70</weight_fraction>', '<weight_fraction>55.8</weight_fraction>')
      .replace('<weight_fraction>30</weight_fraction>', '<weight_fraction>15.7</weight_fraction>');
    const s = parseXmso(text);
    const air = s.layers![0];
    expect(air.weightPercentSum).toBeCloseTo(71.5, 12);
    expect(air.elements[0].massFraction).toBeCloseTo(55.8 / 71.5, 12);
    expect(air.elements[1].massFraction).toBeCloseTo(15.7 / 71.5, 12);
    expect(s.notes?.join('\n')).toMatch(/layer 1 .*sum to 71\.5 %; normalised/);
    const raw = parseXmso(text, { normalizeLayers: false });
    expect(raw.layers![0].elements[0].massFraction).toBeCloseTo(0.558, 12);
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
